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
// chunk so that the compiler drops the bounds checks.
func (e *engine) accrue(lo, hi, wid int) {
	net, s := e.net, &e.iv
	n := hi - lo
	adjust := s.parts&partAccrue != 0
	alive, kind := e.alive[lo:hi:hi], net.Kind[lo:hi:hi]
	kinds := &e.kinds
	output := e.output[lo:hi:hi]
	wageNow, profit := e.scratch(wid, 0, n), e.scratch(wid, 1, n)
	// Wages: the flexible share follows output.
	{
		base := e.baseOutput[lo:hi:hi]
		for j := range n {
			if alive[j] {
				k, x := &kinds[kind[j]], base[j]
				wageNow[j] = agents.WageBill(k.wage(x), k.wageFlex, output[j], x)
			}
		}
	}
	var subsidy []float64 // per firm of the chunk: interest the state pays
	if adjust && s.subsidy != nil {
		subsidy = e.scratch(wid, 2, n)
		e.subsidise(lo, subsidy)
	}
	// Interest and principal due; profit before tax.
	{
		loan, rate := e.loan[lo:hi:hi], e.loanRate[lo:hi:hi]
		dueInterest, duePrincipal := e.dueInterest[lo:hi:hi], e.duePrincipal[lo:hi:hi]
		inputShare, fixedCost := e.inputShare[lo:hi:hi], e.fixedCost[lo:hi:hi]
		maturity := e.p.loanMaturity
		var ownMaturity []float64 // nil: every firm at maturity
		if e.maturity != nil {
			ownMaturity = e.maturity[lo:hi:hi]
		}
		for j := range n {
			if alive[j] {
				if ownMaturity != nil {
					maturity = ownMaturity[j]
				}
				x, l := output[j], loan[j]
				interest := l * rate[j]
				if subsidy != nil {
					interest -= subsidy[j]
				}
				profit[j] = agents.ProfitBeforeTax(x, inputShare[j], wageNow[j], fixedCost[j], interest)
				dueInterest[j] = interest
				duePrincipal[j] = l / maturity
			}
		}
	}
	if adjust && s.govLoan != nil {
		e.chargePolicyInterest(lo, profit)
	}
	var reliefTax []float64 // per firm of the chunk: tax waived
	if adjust && s.relief != nil {
		reliefTax = e.scratch(wid, 3, n)
		e.relieve(lo, wageNow, profit, reliefTax)
	}
	// Tax, profit after tax, equity.
	{
		netProfit, profitEMA := e.netProfit[lo:hi:hi], e.profitEMA[lo:hi:hi]
		equity, owedTax := e.equity[lo:hi:hi], e.owedTax[lo:hi:hi]
		for j := range n {
			if alive[j] {
				p := profit[j]
				tax := agents.Tax(kinds[kind[j]].taxRate, p)
				if reliefTax != nil {
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
	// Final sales received in cash (revenue is output; the rest of it is
	// owed by customers, on their in-links). The first writer of the
	// flows toExternal and reserveIn when the step's flows are assigned
	// (flowsAssigned): it stores 0 − fd and 0 + fd, the bits of the clear
	// followed by −= and +=, and 0 for a failed firm.
	{
		fdDelivered, cash := e.fdDelivered[lo:hi:hi], e.cash[lo:hi:hi]
		toExternal, reserveIn := e.toExternal[lo:hi:hi], e.reserveIn[lo:hi:hi]
		assign := e.flowsAssigned()
		for j := range n {
			if alive[j] {
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
	// Wages, fixed costs and imports owed; everything due but trade.
	total := wageNow
	{
		owedExternal, fixedCost, importBuy := e.owedExternal[lo:hi:hi], e.fixedCost[lo:hi:hi], e.importBuy[lo:hi:hi]
		owedTax, dueInterest, duePrincipal := e.owedTax[lo:hi:hi], e.dueInterest[lo:hi:hi], e.duePrincipal[lo:hi:hi]
		for j := range n {
			if alive[j] {
				owed := owedExternal[j] + (wageNow[j] + fixedCost[j] + importBuy[j])
				owedExternal[j] = owed
				total[j] = owed + owedTax[j] + dueInterest[j] + duePrincipal[j]
			}
		}
	}
	if adjust && s.govLoan != nil {
		// Policy-loan interest and principal due.
		gi, gp := s.govDueInterest[lo:hi:hi], s.govDuePrincipal[lo:hi:hi]
		for j := range n {
			if alive[j] {
				total[j] += gi[j] + gp[j]
			}
		}
	}
	// Trade payables: deliveries booked, 1/term of each due (the link's
	// term, or the buyer's); a core's term with an SME stretched by a
	// payment-terms shock and capped by a payment-term cap (stretchedDues).
	{
		// A buyer's in-links lie between consecutive starts (see
		// checkFirms); the per-link arrays are cut to due's length, so
		// that one bounds check per link covers them all.
		inEnd, in1 := net.InStart[lo+1:hi+1:hi+1], net.InStart[lo]
		due := e.due
		payable, delivery := e.payable[:len(due)], e.delivery[:len(due)]
		dueTotal, repaid := e.dueTotal[lo:hi:hi][:len(inEnd)], e.repaid[lo:hi:hi][:len(inEnd)]
		alive, total, kind := alive[:len(inEnd)], total[:len(inEnd)], kind[:len(inEnd)]
		linkTerm := e.linkTerm // nil: every link at its buyer's term
		if linkTerm != nil {
			linkTerm = linkTerm[:len(due)]
		}
		// Without a stretch or a cap, a core's term with an SME is its
		// term plus a zero, the same bits (terms are at least one step:
		// initKinds, drawLinkTerms): the supplier's kind, a read
		// scattered over the chains, is needed only with one of them.
		// Their loop is a function of its own, so that the loops taken
		// without them hold few values: with the stretch and the cap in
		// the same loop, its arrays and flags were reloaded from the
		// stack at every link.
		stretched := e.shock.termStretch != 0 || e.termCapped()
		for j, end := range inEnd {
			in0 := in1
			in1 = end
			if !alive[j] {
				clear(due[in0:in1])
				dueTotal[j] = 0
				continue
			}
			tot := total[j]
			switch {
			case stretched && kind[j] == network.Core:
				tot = e.stretchedDues(lo+j, int(in0), int(in1), tot)
			case linkTerm != nil:
				for k := int(in0); k < int(in1); k++ {
					_, d := bookDue(payable, delivery, due, k, linkTerm[k])
					tot += d
				}
			default:
				term := kinds[kind[j]].termSteps
				for k := int(in0); k < int(in1); k++ {
					_, d := bookDue(payable, delivery, due, k, term)
					tot += d
				}
			}
			dueTotal[j] = tot
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

// stretchedDues books the trade payables k0 to k1 of core firm i under a
// payment-terms stretch or a term cap and returns tot plus their dues: a
// link to an SME has its term stretched, then capped, the difference the
// cap makes to what falls due added to the firm's accelerated payments
// (markTermCap notes the suppliers reached).
//
//go:noinline
func (e *engine) stretchedDues(i, k0, k1 int, tot float64) float64 {
	s := &e.iv
	due := e.due
	payable, delivery, supplier := e.payable[:len(due)], e.delivery[:len(due)], e.net.Supplier[:len(due)]
	stretch, capped, capSteps := e.shock.termStretch, e.termCapped(), s.termCapSteps
	for k := k0; k < k1; k++ {
		tk := e.kinds[network.Core].termSteps
		if e.linkTerm != nil {
			tk = e.linkTerm[k]
		}
		if e.net.Kind[supplier[k]] == network.SME {
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
