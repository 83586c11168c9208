// Interventions that guarantee bank loans: the state's loan guarantee and a
// core firm's guarantee under supply chain finance — the credit they open,
// their budgets and fees, and the calls on failure.

package sim

import (
	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/outcome"
)

// guaranteeGrants puts the step's new loans under the state's and the
// cores' guarantees, within their budgets (scaled down pro rata in the step
// a budget runs out), charges the state's fee, and marks what the interest
// subsidy covers as new borrowing.
func (e *engine) guaranteeGrants(t int) {
	s := &e.iv
	if s.parts&partGrant == 0 {
		return
	}
	if st := s.guarantee; st != nil && st.active {
		total := 0.0
		for i, g := range s.granted {
			if g > 0 && s.reqState[i] {
				if s.newMoney {
					g = min(g, s.reqNew[i]*e.grantShare[e.bank[i]])
				}
				total += g
			}
		}
		scale := st.budgetScale(total)
		for i, g := range s.granted {
			if g <= 0 || !s.reqState[i] {
				continue
			}
			a := g * scale
			if s.newMoney {
				a = min(g, s.reqNew[i]*e.grantShare[e.bank[i]]) * scale
			}
			s.addState[i] = a
			if fee := st.cfg.Fee * a; fee > 0 {
				fee = min(fee, e.cash[i])
				e.cash[i] -= fee
				e.equity[i] -= fee
				e.reserveIn[i] -= fee
				s.govIn[i] += fee
				s.feePaid[i] += fee
			}
			st.reached[i] = true
			st.receive(i, a)
		}
		st.spend(total*scale, t)
	}
	if scf := s.scf; s.guarantor != nil && scf.active {
		total := 0.0
		for i, g := range s.granted {
			if g > 0 {
				total += min(g, s.reqCore[i])
			}
		}
		scale := scf.budgetScale(total)
		for i, g := range s.granted {
			if g > 0 && s.reqCore[i] > 0 {
				s.addCore[i] = min(g, s.reqCore[i]) * scale
				scf.reached[i] = true
				scf.receive(i, s.addCore[i])
			}
		}
		scf.spend(total*scale, t)
	}
	if sub := s.subsidy; sub != nil && sub.active && sub.cfg.Loans == "new" {
		for i, g := range s.granted {
			if g > 0 && e.eligible(sub, i) {
				s.addNew[i] = g
			}
		}
	}
}

// amortise carries the guaranteed and subsidised parts of firm i's bank
// loan through the step: they shrink with its repayments, grow with what
// was borrowed under the programme, and never exceed the loan.
func amortise(v []float64, i int, repaidShare, added, loan float64) {
	if v == nil {
		return
	}
	v[i] = min(loan, v[i]*(1-repaidShare)+added)
}

// guaranteeCalls makes the guarantors of failed firm f's bank loan l pay
// their share of the bank's loss: first the core that guaranteed it under
// supply chain finance (its bank lends it the call, due at once, and the
// call counts as a channel of the core's own failure), then the state on
// the part of the rest it covered.
func (e *engine) guaranteeCalls(f, t int, l, loss float64) {
	s := &e.iv
	callCore := 0.0
	if s.coreGuaranteed != nil && s.coreGuaranteed[f] > 0 {
		if c := int(s.guarantor[f]); e.alive[c] {
			callCore = min(loss, s.coreGuaranteed[f])
			e.loan[c] += callCore
			e.lent[c] += callCore
			e.reserveIn[c] -= callCore
			e.equity[c] -= callCore
			s.callDue[c] += callCore
			s.callsCore[f] += callCore
			e.toBank[f] += callCore
			e.reserveIn[f] += callCore
			e.hits.note(c, hit{firm: int32(f), step: int32(t), channel: outcome.ChannelGuaranteeCall})
		}
	}
	if s.stateGuaranteed != nil && s.stateGuaranteed[f] > 0 {
		callState := s.guarantee.cfg.Coverage * (loss - callCore) * min(1, s.stateGuaranteed[f]/l)
		s.callsState[f] += callState
		s.govOut[f] += callState
		e.toBank[f] += callState
		e.reserveIn[f] += callState
	}
}

// callsFallDue adds to the principal due of the firms among lo to hi the
// guarantee calls they owe their banks: a call falls due at once, and no
// moratorium defers it.
func (e *engine) callsFallDue(lo, hi int) {
	s := &e.iv
	for i := lo; i < hi; i++ {
		if e.alive[i] && s.callDue[i] > 0 {
			e.duePrincipal[i] = min(e.loan[i], e.duePrincipal[i]+s.callDue[i])
		}
	}
}

// freezeCoreScores keeps the cores' credit scores as they stand at the
// start of the credit phase: suppliers borrow on them, whatever the order
// in which firms are visited.
func (e *engine) freezeCoreScores() {
	if s := &e.iv; s.guarantor != nil {
		copy(s.coreScore, e.score)
	}
}

// requestNewMoney is creditDemand's rule for a firm with a credit line that
// is eligible for a state guarantee under rule new-money (docs/model.md,
// "Loan guarantees"): the principal it repaid is rolled over as without
// the guarantee — by the banking system for a performing borrower, on the
// firm's own score otherwise — and only the new money beyond it may go
// under the guarantee. It does when the loss the guarantee would take off
// the bank is worth the fee (agents.GuaranteeTakeUp); the bank then
// screens and prices it on the risk it keeps (agents.RetainedRiskScore),
// which at coverage 0 is the decision without the guarantee.
func (e *engine) requestNewMoney(i, t int, need float64, rollover []float64) float64 {
	s := &e.iv
	cfg := s.guarantee.cfg
	score := e.updateScore(i)
	room := max(0, e.loanLimit[i]*e.limitPush(i)-e.loan[i])
	roll := min(e.repaid[i], need)
	rolled := 0.0
	switch {
	case rollover != nil && e.bs.performing(i):
		rolled = roll
		rollover[i] = roll
	default:
		rolled = e.screen(i, t, roll, min(roll, room), score)
	}
	fresh := need - roll
	s.reqNew[i] = 0
	if s.effScore != nil {
		s.effScore[i] = score
	}
	if fresh <= 1e-12*e.baseOutput[i] {
		return rolled
	}
	pd := agents.DefaultProbability(e.p.pdBase, score)
	if agents.GuaranteeTakeUp(cfg.Coverage, pd, 1-e.p.recovery, e.maturityOf(i)/e.p.stepsPerYear, cfg.Fee) {
		score = agents.RetainedRiskScore(score, cfg.Coverage)
		if s.effScore != nil {
			s.effScore[i] = score
		}
		got := e.screen(i, t, fresh, min(fresh, max(0, room-rolled)), score)
		if got > 0 {
			s.reqState[i] = true
			s.reqNew[i] = got
		}
		return rolled + got
	}
	return rolled + e.screen(i, t, fresh, min(fresh, max(0, room-rolled)), score)
}

// guaranteeExpectedLoss returns the state's expected loss on the
// guarantees still outstanding (rule new-money) over their remaining life:
// the covered share of each guaranteed principal times
// agents.LifetimeLoss — the loss given default times the probability of
// default over the loan's maturity (the yearly pd of the borrower's final
// score × the maturity in years, at most 1; 1 for a non-performing loan of
// the banking system). A loan repaid at 1/maturity of its balance a year
// is outstanding for the maturity on average, so this is the measure the
// take-up rule weighs against the fee.
func (e *engine) guaranteeExpectedLoss() float64 {
	s := &e.iv
	cov, lgd := s.guarantee.cfg.Coverage, 1-e.p.recovery
	loss := 0.0
	for i, g := range s.stateGuaranteed {
		if g <= 0 || !e.alive[i] {
			continue
		}
		npl := e.bs != nil && !e.bs.performing(i)
		pd := agents.DefaultProbability(e.p.pdBase, e.score[i])
		loss += cov * g * agents.LifetimeLoss(pd, lgd, e.maturityOf(i)/e.p.stepsPerYear, npl)
	}
	return loss
}
