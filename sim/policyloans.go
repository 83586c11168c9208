// Policy loans: the state lends directly to eligible firms after bank
// credit, first-come or most-in-need, within its budget. With the banking
// system, a policy loan through the banks (channel = "banks") is
// relending: the central bank lends the firm's bank the principal at the
// intervention's rate and the bank lends it on at that rate, so the loan is
// the bank's asset and its risk the bank's (relend).

package sim

import (
	"cmp"
	"slices"
)

// allocatePolicyLoans is the policy-loan phase, after bank credit: eligible
// firms that still lack cash apply, and the budget serves them in arrival
// order (first-come, a random order within the step that every arm of the
// replication shares) or by need relative to revenue (most-in-need) until
// it runs out.
func (e *engine) allocatePolicyLoans(t int) {
	s := &e.iv
	iv := s.policy
	if iv == nil || !iv.active {
		return
	}
	ic := iv.cfg
	relend := e.bs != nil && ic.Channel == "banks"
	if relend && e.bs.relent == nil {
		e.bs.relent = make([]float64, len(e.alive))
	}
	need := s.need
	for _, a := range s.applicants {
		need[a] = 0
	}
	s.applicants = s.applicants[:0]
	for i := range e.alive {
		if !e.eligible(iv, i) {
			continue
		}
		if ic.Channel == "banks" && (!e.hasCredit[i] || e.score[i] < e.scoreBar(i)) {
			continue
		}
		nd := max(0, e.buffer[i]-e.cash[i]) + e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i] + s.govUnpaid[i]
		lent := s.govLoan[i]
		if relend {
			lent = e.bs.relent[i] // relent so far
		}
		room := ic.MaxPerFirm*e.baseOutput[i]*e.p.stepsPerYear - lent
		nd = min(nd, room)
		if nd <= 1e-9*e.baseOutput[i] {
			continue
		}
		need[i] = nd
		s.applicants = append(s.applicants, int32(i))
	}
	if ic.Allocation == "most-in-need" {
		slices.SortFunc(s.applicants, func(a, b int32) int {
			ra, rb := need[a]/e.baseOutput[a], need[b]/e.baseOutput[b]
			if c := cmp.Compare(rb, ra); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
	} else {
		key := mix(e.cfg.Seed, uint64(e.rep), streamPolicyQueue, uint64(iv.index))
		slices.SortFunc(s.applicants, func(a, b int32) int {
			if c := cmp.Compare(uniformAt(key, t, int(a)), uniformAt(key, t, int(b))); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
	}
	e.prioritise(iv, t) // the priority key, when set, orders them instead (targeting.go)
	for _, a := range s.applicants {
		i := int(a)
		g := min(need[i], iv.budget-iv.used)
		if g <= 0 {
			continue
		}
		iv.used += g
		iv.reached[i] = true
		iv.receive(i, g)
		if relend {
			e.relend(i, g)
			continue
		}
		s.govLoan[i] += g
		e.cash[i] += g
		e.reserveIn[i] += g
		s.govOut[i] += g
	}
	iv.noteExhausted(t)
}

// relend books a policy loan g to firm i through the banking system: the
// central bank lends g to the firm's bank (its reserves and its relending
// debt rise), and the bank lends g to the firm at the intervention's rate.
func (e *engine) relend(i int, g float64) {
	bk := &e.banks[e.bank[i]]
	bk.relending += g
	bk.reserves += g
	e.bs.relent[i] += g
	e.loanRate[i] = (e.loanRate[i]*e.loan[i] + e.iv.govRate*g) / (e.loan[i] + g)
	e.loan[i] += g
	e.cash[i] += g
	e.lent[i] += g
}

// chargePolicyInterest books the interest and principal due this step on
// the policy loans of firms lo+j of a chunk; the interest is a cost,
// taken from profit[j].
func (e *engine) chargePolicyInterest(lo int, profit []float64) {
	s := &e.iv
	for j := range profit {
		i := lo + j
		if !e.alive[i] {
			continue
		}
		gi := s.govLoan[i] * s.govRate
		profit[j] -= gi
		s.govDueInterest[i] = gi
		s.govDuePrincipal[i] = s.govLoan[i] / s.govTerm
	}
}

// payPolicyLoan lets firm i pay share of the interest and principal due
// on its policy loan, in a settlement round, and returns what it paid.
func (e *engine) payPolicyLoan(i int, share float64) float64 {
	s := &e.iv
	gi := share * s.govDueInterest[i]
	gp := share * s.govDuePrincipal[i]
	s.govDueInterest[i] -= gi
	s.govDuePrincipal[i] -= gp
	s.govLoan[i] -= gp
	s.govIn[i] += gi + gp
	s.policyInterest[i] += gi
	return gi + gp
}
