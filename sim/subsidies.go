// Interventions that act on accrual: the interest subsidy and tax relief
// (sized against their budgets before accrual) and the payment-term cap.

package sim

import (
	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
)

// markTermCap notes the SME suppliers whose core buyers pay them earlier
// under an active payment-term cap (as accrue capped them): those whose
// link's term, stretched by a payment-terms shock, is beyond the cap.
func (e *engine) markTermCap() {
	s, net := &e.iv, e.net
	capIV := s.termCap
	if capIV == nil || !capIV.active {
		return
	}
	for i := range e.alive {
		if !e.alive[i] || net.Kind[i] != network.Core {
			continue
		}
		if e.linkTerm == nil && e.kindOf(i).termSteps+e.shock.termStretch <= s.termCapSteps {
			continue
		}
		for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
			if sup := net.Supplier[k]; net.Kind[sup] == network.SME && e.termOf(int(k))+e.shock.termStretch > s.termCapSteps {
				capIV.reached[sup] = true
			}
		}
	}
}

// ivRequests sizes, before accrual, what the budget-limited interest
// subsidy and tax relief would pay this step at full scale, and sets
// their scale so that the budget is never exceeded.
func (e *engine) ivRequests() {
	s := &e.iv
	if iv := s.subsidy; iv != nil && iv.active {
		total := 0.0
		for i := range e.alive {
			total += e.subsidyFor(i)
		}
		iv.scale = iv.budgetScale(total)
	}
	if iv := s.relief; iv != nil && iv.active {
		total := 0.0
		for i := range e.alive {
			if e.eligible(iv, i) {
				total += e.reliefRequest(iv, i)
			}
		}
		iv.scale = iv.budgetScale(total)
	}
}

// subsidyFor returns the interest the state pays for firm i this step, at
// the subsidy's current scale (0 without an active subsidy).
func (e *engine) subsidyFor(i int) float64 {
	iv := e.iv.subsidy
	if iv == nil || !e.eligible(iv, i) {
		return 0
	}
	return iv.scale * iv.cfg.Share * e.subsidyBase(i) * e.loanRate[i]
}

// subsidyBase returns the loan on which firm i's interest is subsidised.
func (e *engine) subsidyBase(i int) float64 {
	if e.iv.subsidy.cfg.Loans == "new" {
		return min(e.iv.newPrincipal[i], e.loan[i])
	}
	return e.loan[i]
}

// reliefRequest returns the tax and contributions firm i would have waived
// this step at full scale.
func (e *engine) reliefRequest(iv *intervention, i int) float64 {
	wage := e.wageBill(i)
	c := iv.cfg
	return c.ContributionCut*c.ContributionShare*wage + c.TaxCut*e.kindOf(i).taxRate*max(0, e.profitBeforeTax(i, wage, e.subsidyFor(i)))
}

// wageBill returns firm i's wages and contributions this step.
func (e *engine) wageBill(i int) float64 {
	return agents.WageBill(e.wageOf(i), e.kindOf(i).wageFlex, e.output[i], e.baseOutput[i])
}

// profitBeforeTax returns firm i's profit this step before relief, with
// the interest subsidy sub, as accrue computes it: the policy-loan
// interest comes off after (see chargePolicyInterest).
func (e *engine) profitBeforeTax(i int, wage, sub float64) float64 {
	p := agents.ProfitBeforeTax(e.output[i], e.inputShare[i], wage, e.fixedCost[i], e.loan[i]*e.loanRate[i]-sub)
	if e.iv.govLoan != nil {
		p -= e.iv.govLoan[i] * e.iv.govRate
	}
	return p
}

// subsidise sets sub[j] to the interest the state pays this step for firm
// lo+j, the firms of a chunk, and books it as paid to the firm's bank.
func (e *engine) subsidise(lo int, sub []float64) {
	s := &e.iv
	for j := range sub {
		i := lo + j
		sub[j] = 0
		if !e.alive[i] {
			continue
		}
		if v := e.subsidyFor(i); v > 0 {
			sub[j] = v
			s.subsidyPaid[i] = v
			s.govOut[i] += v
			e.toBank[i] += v
			e.reserveIn[i] += v
			s.subsidy.reached[i] = true
			s.subsidy.receive(i, v)
		}
	}
}

// relieve waives, for each eligible firm lo+j of a chunk, part of its
// social contributions (a cut in its wage bill wage[j], which adds to its
// profit[j]) and part of the tax on its profit, which it returns in
// tax[j]; the state spends what it waived.
func (e *engine) relieve(lo int, wage, profit, tax []float64) {
	s := &e.iv
	rel := s.relief
	c := rel.cfg
	for j := range tax {
		i := lo + j
		tax[j] = 0
		if !e.eligible(rel, i) {
			continue
		}
		rc := rel.scale * c.ContributionCut * c.ContributionShare * wage[j]
		rt := rel.scale * c.TaxCut * e.kindOf(i).taxRate * max(0, profit[j])
		profit[j] += rc
		wage[j] -= rc
		tax[j] = rt
		if rc+rt > 0 {
			s.reliefGiven[i] = rc + rt
			s.govOut[i] += rc + rt
			e.toExternal[i] += rc + rt // the state spends what it waived
			rel.reached[i] = true
			rel.receive(i, rc+rt)
		}
	}
}

// deferDebtService lets the eligible firms among lo to hi defer this
// step's principal, interest or both under a moratorium; deferred interest
// is added to the loan, not counted as arrears.
func (e *engine) deferDebtService(lo, hi int) {
	s := &e.iv
	mor := s.moratorium
	def := mor.cfg.Deferral
	for i := lo; i < hi; i++ {
		if !e.eligible(mor, i) {
			continue
		}
		if def != "interest" && e.duePrincipal[i] > 0 {
			s.deferred[i] += e.duePrincipal[i]
			mor.receive(i, e.duePrincipal[i])
			e.duePrincipal[i] = 0
			mor.reached[i] = true
		}
		if interest := e.dueInterest[i]; def != "principal" && interest > 0 {
			e.loan[i] += interest
			e.lent[i] += interest
			e.toBank[i] += interest
			s.deferred[i] += interest
			mor.receive(i, interest)
			e.dueInterest[i] = 0
			mor.reached[i] = true
		}
	}
}

// deferPayments lets the eligible firms of a chunk starting at lo defer,
// under a moratorium whose payments go beyond loans, the tax they owe,
// their employers' social contributions (a share of this step's wage bill
// wage[j]) and their fixed costs (fixed_cost_share of them), without
// interest: the amounts leave what
// is due now (owedTax, owedExternal, which accrue adds this step's wages
// and fixed costs to next) for a balance that falls due after the
// moratorium ends, whole in the first step or in the equal instalments of
// repay_over (repayShare). No money moves until then; the balances are
// liabilities of the firm (firmLiabilities).
func (e *engine) deferPayments(lo int, wage []float64) {
	s := &e.iv
	mor := s.moratorium
	c := mor.cfg.WageContributions
	for j := range wage {
		i := lo + j
		if !e.alive[i] {
			continue
		}
		if !mor.active {
			if dt, dx := s.deferredTax[i], s.deferredExternal[i]; dt+dx > 0 {
				if r := s.repayShare; r < 1 {
					dt, dx = r*dt, r*dx
					s.deferredTax[i] -= dt
					s.deferredExternal[i] -= dx
				} else {
					s.deferredTax[i], s.deferredExternal[i] = 0, 0
				}
				e.owedTax[i] += dt
				e.owedExternal[i] += dx
			}
			continue
		}
		if !e.eligible(mor, i) {
			continue
		}
		d := 0.0
		if s.deferContributions {
			d += c * wage[j]
		}
		if s.deferFixed {
			d += mor.cfg.FixedCostShare * e.fixedCost[i]
		}
		// accrue adds this step's wages and fixed costs to owedExternal
		// next: taking the deferred part off first leaves it at least at
		// what was owed before.
		e.owedExternal[i] -= d
		s.deferredExternal[i] += d
		if s.deferTaxes {
			d += e.owedTax[i]
			s.deferredTax[i] += e.owedTax[i]
			e.owedTax[i] = 0
		}
		if d > 0 {
			s.deferred[i] += d
			mor.reached[i] = true
			mor.receive(i, d)
		}
	}
}
