// The credit-supply push (shock kind "credit-supply", docs/model.md
// "The 2020 push of SME credit"): a push of bank credit to SMEs by
// guidance, as China's in 2020, when inclusive small-business loans grew
// 30.3% (PBoC). At intensity x and depth d < 0 it raises, by the factor
// 1 − d·x, the loan limits of SMEs that bank with the pushed banks and
// those banks' share of requested new money granted (at most 1); lowers
// SMEs' score threshold at every bank by score_easing·x; and lets an
// unbanked SME in need apply for a first loan with at least
// first_loan_take_up·x a step. It costs the state nothing: the banks
// carry the loans and their losses, so it is part of the environment,
// every arm alike. Without such a shock every factor is 1 and nothing
// changes.

package sim

import (
	"slices"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// addPush adds credit-supply shock s, felt at intensity x, to the step's
// push. Pushes compound like credit shocks.
func (st *shockState) addPush(s *shock, x float64) {
	if x == 0 {
		return
	}
	st.anyPush = true
	f := 1 - s.depth*x
	for b := range st.push {
		if s.pushed == nil || s.pushed[b] {
			st.push[b] *= f
		}
	}
	st.scoreEasing += s.scoreEasing * x
	st.firstLoanFloor = max(st.firstLoanFloor, s.takeUp*x)
}

// scoreBar returns the score firm i must reach for new money this step:
// the threshold, raised by credit shocks and, for an SME, lowered by the
// push.
func (e *engine) scoreBar(i int) float64 {
	bar := e.p.scoreThreshold + e.shock.score
	if e.shock.anyPush && e.net.Kind[i] == network.SME {
		bar -= e.shock.scoreEasing
	}
	return bar
}

// limitPush returns the factor on firm i's loan limit this step: its
// bank's push for an SME, else 1.
func (e *engine) limitPush(i int) float64 {
	if e.shock.anyPush && e.net.Kind[i] == network.SME {
		return e.shock.push[e.bank[i]]
	}
	return 1
}

// firstLoanTakeUp returns the probability that unbanked firm i, in need,
// applies for a first loan this step.
func (e *engine) firstLoanTakeUp(i int) float64 {
	if e.shock.anyPush && e.net.Kind[i] == network.SME {
		return max(e.p.firstLoanTakeUp, e.shock.firstLoanFloor)
	}
	return e.p.firstLoanTakeUp
}

// pushShare returns bank b's share of new money granted, supply, raised
// by the push and at most 1.
func (e *engine) pushShare(b int, supply float64) float64 {
	if e.shock.anyPush {
		return min(1, supply*e.shock.push[b])
	}
	return supply
}

// pushedBanks returns which of banks are of one of kinds, nil (every
// bank) for no kinds.
func pushedBanks(kinds []string, banks []config.BankConfig) []bool {
	if len(kinds) == 0 {
		return nil
	}
	pushed := make([]bool, len(banks))
	for b, bc := range banks {
		pushed[b] = slices.Contains(kinds, bc.Kind)
	}
	return pushed
}

// The credit-push intervention (kind "credit-push") is the same push as an
// instrument of the policy arm: the 2020 lending guidance together with
// the PBoC's credit support tool, which from June 2020 funded 40% of the
// unsecured inclusive loans local banks made to small firms, for a year
// (400B CNY of relending). While active it adds its levers to the step's
// push, as a credit-supply shock at full intensity would, in its arm
// only. The funding does not change what a bank may lend (the banks keep
// the loans and their risk); its cost to the state is the interest the
// central bank forgoes on the funded share of the new money.

// pushLevers returns the levers of credit-push ic as a credit-supply shock
// felt at intensity 1.
func pushLevers(ic *config.InterventionConfig, banks []config.BankConfig) shock {
	return shock{
		kind:        shockCreditSupply,
		depth:       -ic.SupplyRise,
		scoreEasing: ic.ScoreEasing,
		takeUp:      ic.FirstLoanTakeUp,
		pushed:      pushedBanks(ic.BankKinds, banks),
	}
}

// fundPushedLoans counts, while a credit-push is active, the new money
// (beyond rollover) the pushed banks granted SMEs this step: each such SME
// is reached, and funded_share of its new money is what it received from
// the programme and its Used. The interest the central bank forgoes on it
// over funding_term is a transfer from the state to the lending bank's
// capital, booked now and counted in the step's fiscal cost (ivCosts).
func (e *engine) fundPushedLoans() {
	s := &e.iv
	iv := s.push
	if iv == nil || !iv.active {
		return
	}
	pushed, share := s.pushLevers.pushed, iv.cfg.FundedShare
	forgone := iv.cfg.ForgoneRate * iv.cfg.FundingTerm.Days() / 365
	kind := e.net.Kind
	for i, g := range s.granted {
		b := e.bank[i]
		if g <= 0 || kind[i] != network.SME || pushed != nil && !pushed[b] {
			continue
		}
		if e.bs != nil {
			g -= e.bs.rollover[i] * e.bs.rollShare[b]
		}
		if g <= 1e-12*e.baseOutput[i] {
			continue
		}
		iv.reached[i] = true
		f := share * g
		iv.receive(i, f)
		iv.used += f
		if x := f * forgone; x > 0 {
			bk := &e.banks[b]
			bk.capital += x
			bk.reserves += x
			e.ledger.government -= x
			s.pushCost += x
		}
	}
}
