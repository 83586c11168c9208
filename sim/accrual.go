// The first part of phase 5, payments: each firm's income statement for the
// step (wages, costs, interest, tax, profit) and what falls due, including
// 1/T of each trade payable.

package sim

import (
	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
)

// accrue books, for the firms of a chunk as thread wid, each firm's income
// statement for the step and what it owes: wages (the flexible share
// follows output), interest, tax and profit; final sales received in cash;
// wages, fixed costs, imports, tax and debt service due; and 1/T of each
// trade payable.
//
// An arm whose interventions change accrual (partAccrue) adjusts it in
// passes of their own between the loops, at the points where the formula
// takes them, so that the sums are the same as if written in one formula:
// the interest subsidy before profit (subsidise), policy-loan interest and
// tax relief after it (chargePolicyInterest, relieve), the moratorium and
// guarantee calls on what falls due (deferDebtService, deferPayments,
// callsFallDue),
// policy-loan service in the total, and the payment-term cap on each
// payable. Without such interventions only two
// nil slices and a flag are tested per firm.
//
// The loops each touch few arrays (see numScratch), over slices of the
// chunk so that the compiler drops the bounds checks, each in a function
// of its own (see accrueWages).
func (e *engine) accrue(lo, hi, wid int) {
	s := &e.iv
	n := hi - lo
	adjust := s.parts&partAccrue != 0
	wageNow, profit := e.scratch(wid, 0, n), e.scratch(wid, 1, n)
	e.accrueWages(lo, hi, wageNow)
	var subsidy []float64 // per firm of the chunk: interest the state pays
	if adjust && s.subsidy != nil {
		subsidy = e.scratch(wid, 2, n)
		e.subsidise(lo, subsidy)
	}
	e.accrueInterest(lo, hi, wageNow, subsidy, profit)
	if adjust && s.govLoan != nil {
		e.chargePolicyInterest(lo, profit)
	}
	var reliefTax []float64 // per firm of the chunk: tax waived
	if adjust && s.relief != nil {
		reliefTax = e.scratch(wid, 3, n)
		e.relieve(lo, wageNow, profit, reliefTax)
	}
	e.accrueTax(lo, hi, profit, reliefTax)
	e.receiveFinalSales(lo, hi)
	if adjust && s.moratorium != nil {
		if s.deferLoans {
			e.deferDebtService(lo, hi)
		}
		if s.deferredTax != nil {
			e.deferPayments(lo, wageNow)
		}
	}
	if adjust && s.callDue != nil {
		e.callsFallDue(lo, hi)
	}
	total := wageNow // everything due but trade, in place of the wages
	e.accrueOwed(lo, hi, total)
	if adjust && s.govLoan != nil {
		// Policy-loan interest and principal due.
		alive := e.alive[lo:hi:hi]
		gi, gp := s.govDueInterest[lo:hi:hi], s.govDuePrincipal[lo:hi:hi]
		for j := range n {
			if alive[j] {
				total[j] += gi[j] + gp[j]
			}
		}
	}
	e.tradeDues(lo, hi, total)
}

// The loops of accrue are functions of their own, each with the few
// arrays it touches: in one function, the compiler kept the loop counters,
// arrays and flags of all of them on the stack and reloaded them at every
// firm (docs/performance.md, "Session 7: receipt, accrual, payment and
// closing").

// accrueWages sets wageNow, per firm of lo to hi: the flexible share of
// the wage bill follows output.
func (e *engine) accrueWages(lo, hi int, wageNow []float64) {
	alive, kind := e.alive[lo:hi:hi], e.net.Kind[lo:hi:hi]
	n := len(alive)
	kinds := &e.kinds
	output, base, wageNow := e.output[lo:hi:hi][:n], e.baseOutput[lo:hi:hi][:n], wageNow[:n]
	kind = kind[:n]
	for j, live := range alive {
		if live {
			k, x := &kinds[kind[j]], base[j]
			wageNow[j] = agents.WageBill(k.wage(x), k.wageFlex, output[j], x)
		}
	}
}

// accrueInterest sets the interest and principal due and the profit
// before tax, per firm of lo to hi, less the interest the state pays
// (subsidy, nil without one).
func (e *engine) accrueInterest(lo, hi int, wageNow, subsidy, profit []float64) {
	alive := e.alive[lo:hi:hi]
	n := len(alive)
	output, loan, rate := e.output[lo:hi:hi][:n], e.loan[lo:hi:hi][:n], e.loanRate[lo:hi:hi][:n]
	dueInterest, duePrincipal := e.dueInterest[lo:hi:hi][:n], e.duePrincipal[lo:hi:hi][:n]
	inputShare, fixedCost := e.inputShare[lo:hi:hi][:n], e.fixedCost[lo:hi:hi][:n]
	wageNow, profit = wageNow[:n], profit[:n]
	maturity := e.p.loanMaturity
	var ownMaturity []float64 // nil: every firm at maturity
	if e.maturity != nil {
		ownMaturity = e.maturity[lo:hi:hi][:n]
	}
	// A nil slice has length 0, another length n: j < len tests for nil
	// and lets the compiler drop the bounds check.
	for j, live := range alive {
		if live {
			if j < len(ownMaturity) {
				maturity = ownMaturity[j]
			}
			x, l := output[j], loan[j]
			interest := l * rate[j]
			if j < len(subsidy) {
				interest -= subsidy[j]
			}
			profit[j] = agents.ProfitBeforeTax(x, inputShare[j], wageNow[j], fixedCost[j], interest)
			dueInterest[j] = interest
			duePrincipal[j] = l / maturity
		}
	}
}

// accrueTax books, per firm of lo to hi, the tax on profit (less
// reliefTax, nil without relief), profit after tax and equity.
func (e *engine) accrueTax(lo, hi int, profit, reliefTax []float64) {
	alive, kind := e.alive[lo:hi:hi], e.net.Kind[lo:hi:hi]
	n := len(alive)
	taxRate := [...]float64{network.SME: e.kinds[network.SME].taxRate, network.Core: e.kinds[network.Core].taxRate} // by kind, in a local
	netProfit, profitEMA := e.netProfit[lo:hi:hi][:n], e.profitEMA[lo:hi:hi][:n]
	equity, owedTax := e.equity[lo:hi:hi][:n], e.owedTax[lo:hi:hi][:n]
	kind, profit = kind[:n], profit[:n]
	for j, live := range alive {
		if live {
			p := profit[j]
			tax := agents.Tax(taxRate[kind[j]], p)
			if j < len(reliefTax) { // nil, or one per firm (see accrueInterest)
				tax -= reliefTax[j]
			}
			after := p - tax
			netProfit[j] = after
			profitEMA[j] += 0.25 * (after - profitEMA[j])
			equity[j] += after
			owedTax[j] += tax
		}
	}
}

// receiveFinalSales books the final sales of the firms lo to hi, received
// in cash (revenue is output; the rest of it is owed by customers, on
// their in-links). It is the first writer of the flows toExternal and
// reserveIn when the step's flows are assigned (flowsAssigned): it stores
// 0 − fd and 0 + fd, the bits of the clear followed by −= and +=, and 0
// for a failed firm.
func (e *engine) receiveFinalSales(lo, hi int) {
	alive := e.alive[lo:hi:hi]
	n := len(alive)
	fdDelivered, cash := e.fdDelivered[lo:hi:hi][:n], e.cash[lo:hi:hi][:n]
	toExternal, reserveIn := e.toExternal[lo:hi:hi][:n], e.reserveIn[lo:hi:hi][:n]
	assign := e.flowsAssigned()
	for j, live := range alive {
		if live {
			fd := fdDelivered[j]
			cash[j] += fd
			ext, res := 0.0, 0.0
			if !assign {
				ext, res = toExternal[j], reserveIn[j]
			}
			toExternal[j] = ext - fd
			reserveIn[j] = res + fd
		} else if assign {
			toExternal[j], reserveIn[j] = 0, 0
		}
	}
}

// accrueOwed books, per firm of lo to hi, the wages, fixed costs and
// imports owed, and sets total, which holds the wages, to everything due
// but trade.
func (e *engine) accrueOwed(lo, hi int, total []float64) {
	alive := e.alive[lo:hi:hi]
	n := len(alive)
	owedExternal, fixedCost, importBuy := e.owedExternal[lo:hi:hi][:n], e.fixedCost[lo:hi:hi][:n], e.importBuy[lo:hi:hi][:n]
	owedTax, dueInterest, duePrincipal := e.owedTax[lo:hi:hi][:n], e.dueInterest[lo:hi:hi][:n], e.duePrincipal[lo:hi:hi][:n]
	total = total[:n]
	for j, live := range alive {
		if live {
			wageNow := total[j]
			owed := owedExternal[j] + (wageNow + fixedCost[j] + importBuy[j])
			owedExternal[j] = owed
			total[j] = owed + owedTax[j] + dueInterest[j] + duePrincipal[j]
		}
	}
}

// tradeDues books, per firm of lo to hi, the deliveries on its trade
// payables and sets 1/term of each due, and the firm's total due: total
// plus the trade dues. Each link is due at its buyer's term
// (duesAtKindTerm), but where links have terms of their own or a core's
// term with an SME is stretched or capped (duesByLink).
func (e *engine) tradeDues(lo, hi int, total []float64) {
	// Without a stretch or a cap, a core's term with an SME is its
	// term plus a zero, the same bits (terms are at least one step:
	// initKinds, drawLinkTerms): the supplier's kind, a read
	// scattered over the chains, is needed only with one of them.
	stretched := e.shock.termStretch != 0 || e.termCapped()
	ownTerms := e.linkTerm != nil
	// By kind of buyer: whether duesByLink books its links.
	byLink := [...]bool{network.SME: ownTerms, network.Core: ownTerms || stretched}
	e.duesAtKindTerm(lo, hi, total, byLink)
	if ownTerms || stretched {
		e.duesByLink(lo, hi, total, byLink)
	}
}

// duesAtKindTerm books the trade payables of the live firms of lo to hi
// that byLink leaves to duesByLink (see tradeDues), each link due at its
// buyer's term, and clears the dues of the failed firms.
//
// Each firm books only its own links and values, so the firms left to
// duesByLink can be booked after the others: with its call in this
// loop, the loop's arrays and counter were reloaded from the stack at
// every link.
func (e *engine) duesAtKindTerm(lo, hi int, total []float64, byLink [2]bool) {
	net := e.net
	// A buyer's in-links lie between consecutive starts (see
	// checkFirms); the per-link arrays are cut to due's length, so
	// that one bounds check per link covers them all.
	inEnd, in1 := net.InStart[lo+1:hi+1:hi+1], net.InStart[lo]
	n := len(inEnd)
	due := e.due
	payable, delivery := e.payable[:len(due)], e.delivery[:len(due)]
	dueTotal, repaid := e.dueTotal[lo:hi:hi][:n], e.repaid[lo:hi:hi][:n]
	alive, total, kind := e.alive[lo:hi:hi][:n], total[:n], net.Kind[lo:hi:hi][:n]
	term := [...]float64{network.SME: e.kinds[network.SME].termSteps, network.Core: e.kinds[network.Core].termSteps} // by kind, in a local
	for j, end := range inEnd {
		k0, k1 := int(in1), int(end)
		in1 = end
		if !alive[j] {
			for k := k0; k < k1; k++ {
				due[k] = 0
			}
			dueTotal[j] = 0
			continue
		}
		if byLink[kind[j]] {
			continue
		}
		tot, tk := total[j], term[kind[j]]
		for k := k0; k < k1; k++ {
			_, d := bookDue(payable, delivery, due, k, tk)
			tot += d
		}
		dueTotal[j] = tot
		repaid[j] = 0
	}
}

// duesByLink books the trade payables of the live firms of lo to hi
// whose kind byLink marks (see tradeDues), link by link (linkDues).
func (e *engine) duesByLink(lo, hi int, total []float64, byLink [2]bool) {
	net := e.net
	inEnd, in1 := net.InStart[lo+1:hi+1:hi+1], net.InStart[lo]
	n := len(inEnd)
	dueTotal, repaid := e.dueTotal[lo:hi:hi][:n], e.repaid[lo:hi:hi][:n]
	alive, total, kind := e.alive[lo:hi:hi][:n], total[:n], net.Kind[lo:hi:hi][:n]
	for j, end := range inEnd {
		k0, k1 := int(in1), int(end)
		in1 = end
		if alive[j] && byLink[kind[j]] {
			dueTotal[j] = e.linkDues(lo+j, k0, k1, total[j])
			repaid[j] = 0
		}
	}
}

// bookDue books link k's delivery on its payable pk and sets 1/tk of
// it due, d; the one copy of the formula for every path of accrue.
func bookDue(payable, delivery, due []float64, k int, tk float64) (pk, d float64) {
	pk = payable[k] + delivery[k]
	payable[k] = pk
	d = pk / tk
	due[k] = d
	return pk, d
}

// termCapped reports whether a payment-term cap acts on accrual this step.
func (e *engine) termCapped() bool {
	s := &e.iv
	return s.parts&partAccrue != 0 && s.termCap != nil && s.termCap.active
}

// linkDues books the trade payables k0 to k1 of firm i, where links
// have terms of their own (linkTerm) or a core's term with an SME is
// stretched or capped, and returns tot plus their dues: a core's link to
// an SME has its term stretched, then capped, the difference the cap
// makes to what falls due added to the firm's accelerated payments
// (markTermCap notes the suppliers reached).
//
// It is a function of its own so that the loop over firms holds few
// values: with the stretch and the cap in the same loop, its arrays and
// flags were reloaded from the stack at every link.
//
//go:noinline
func (e *engine) linkDues(i, k0, k1 int, tot float64) float64 {
	s := &e.iv
	due := e.due
	payable, delivery, supplier := e.payable[:len(due)], e.delivery[:len(due)], e.net.Supplier[:len(due)]
	stretch, capped, capSteps := e.shock.termStretch, e.termCapped(), s.termCapSteps
	core := e.net.Kind[i] == network.Core && (stretch != 0 || capped)
	for k := k0; k < k1; k++ {
		tk := e.kinds[e.net.Kind[i]].termSteps
		if e.linkTerm != nil {
			tk = e.linkTerm[k]
		}
		if core && e.net.Kind[supplier[k]] == network.SME {
			tk += stretch
			if capped && tk > capSteps {
				pk, d := bookDue(payable, delivery, due, k, capSteps)
				s.accelerated[i] += pk/capSteps - pk/tk
				tot += d
				continue
			}
		}
		_, d := bookDue(payable, delivery, due, k, tk)
		tot += d
	}
	return tot
}
