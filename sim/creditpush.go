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

import "github.com/smesim/smesim/sim/network"

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
