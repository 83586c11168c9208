// The first part of phase 5, payments: each firm's income statement for the
// step (wages, costs, interest, tax, profit) and what falls due, including
// 1/T of each trade payable.

package sim

import (
	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
)

// accrue books firm i's income statement for the step and what it owes.
// Interventions enter here: the state pays a share of the interest, waives
// tax and contributions, defers debt service; a term cap shortens what
// core firms take to pay SMEs.
func (e *engine) accrue(lo, hi, t int) {
	net, p, s := e.net, &e.p, &e.iv
	rel, mor, capIV := s.relief, s.moratorium, s.termCap
	capOn := capIV != nil && capIV.active
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
				e.due[k], e.paid[k] = 0, 0
			}
			e.dueTotal[i] = 0
			continue
		}
		x := e.output[i]
		interest := e.loan[i] * e.loanRate[i]
		wage := e.wage[i] * (1 - e.wageFlex[i]*(1-min(1, x/e.baseOutput[i])))
		if !s.on() {
			profit := x - e.inputUse(i)*x - wage - e.fixedCost[i] - interest
			tax := agents.Tax(e.taxRate[i], profit)
			e.bookProfit(i, profit-tax, wage, tax)
			e.dueInterest[i] = interest
			e.duePrincipal[i] = e.loan[i] / p.loanMaturity
		} else {
			s.loanStart[i] = e.loan[i]
			subsidy := e.subsidyFor(i)
			if subsidy > 0 {
				interest -= subsidy
				s.subsidyPaid[i] = subsidy
				s.govOut[i] += subsidy
				e.toBank[i] += subsidy
				e.reserveIn[i] += subsidy
				s.subsidy.reached[i] = true
			}
			profit := x - e.inputUse(i)*x - wage - e.fixedCost[i] - interest
			if s.govLoan != nil {
				gi := s.govLoan[i] * s.govRate
				profit -= gi
				s.govDueInterest[i] = gi
				s.govDuePrincipal[i] = s.govLoan[i] / s.govTerm
			}
			var rc, rt float64
			if rel != nil && e.eligible(rel, i) {
				rc = rel.scale * rel.cfg.ContributionCut * rel.cfg.ContributionShare * wage
				rt = rel.scale * rel.cfg.TaxCut * e.taxRate[i] * max(0, profit)
				profit += rc
			}
			tax := agents.Tax(e.taxRate[i], profit) - rt
			if rc+rt > 0 {
				s.reliefGiven[i] = rc + rt
				s.govOut[i] += rc + rt
				e.toExternal[i] += rc + rt // the state spends what it waived
				rel.reached[i] = true
			}
			e.bookProfit(i, profit-tax, wage-rc, tax)
			e.dueInterest[i] = interest
			e.duePrincipal[i] = e.loan[i] / p.loanMaturity
			if mor != nil && e.eligible(mor, i) {
				def := mor.cfg.Deferral
				if def != "interest" && e.duePrincipal[i] > 0 {
					s.deferred[i] += e.duePrincipal[i]
					e.duePrincipal[i] = 0
					mor.reached[i] = true
				}
				if def != "principal" && interest > 0 {
					// Deferred interest is added to the loan, not counted as arrears.
					e.loan[i] += interest
					e.lent[i] += interest
					e.toBank[i] += interest
					s.deferred[i] += interest
					e.dueInterest[i] = 0
					mor.reached[i] = true
				}
			}
			// A guarantee call falls due at once; no moratorium defers it.
			if s.callDue != nil && s.callDue[i] > 0 {
				e.duePrincipal[i] = min(e.loan[i], e.duePrincipal[i]+s.callDue[i])
			}
		}
		total := e.owedExternal[i] + e.owedTax[i] + e.dueInterest[i] + e.duePrincipal[i]
		if s.govLoan != nil {
			total += s.govDueInterest[i] + s.govDuePrincipal[i]
		}
		coreBuyer := net.Kind[i] == network.Core
		for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
			e.payable[k] += e.delivery[k]
			term := e.termSteps[i]
			if coreBuyer && net.Kind[net.Supplier[k]] == network.SME {
				term += e.shock.termStretch
				if capOn && term > s.termCapSteps {
					s.accelerated[i] += e.payable[k]/s.termCapSteps - e.payable[k]/term
					term = s.termCapSteps // markTermCap notes the supplier reached
				}
			}
			d := e.payable[k] / term
			e.due[k] = d
			e.paid[k] = 0
			total += d
		}
		e.dueTotal[i] = total
		e.repaid[i] = 0
	}
}

// accruePlain is accrue without interventions, for the firms of a chunk,
// as thread wid. It computes exactly what accrue computes, in loops that
// each touch few arrays (see numScratch), over slices of the chunk so that
// the compiler drops the bounds checks.
func (e *engine) accruePlain(lo, hi, wid int) {
	net := e.net
	n := hi - lo
	alive := e.alive[lo:hi:hi]
	output := e.output[lo:hi:hi]
	wageNow, profit := e.scratch(wid, 0, n), e.scratch(wid, 1, n)
	// Wages: the flexible share follows output.
	{
		wage, flex, base := e.wage[lo:hi:hi], e.wageFlex[lo:hi:hi], e.baseOutput[lo:hi:hi]
		for j := range n {
			if alive[j] {
				x := output[j]
				wageNow[j] = wage[j] * (1 - flex[j]*(1-min(1, x/base[j])))
			}
		}
	}
	// Interest and principal due; profit before tax.
	{
		loan, rate := e.loan[lo:hi:hi], e.loanRate[lo:hi:hi]
		dueInterest, duePrincipal := e.dueInterest[lo:hi:hi], e.duePrincipal[lo:hi:hi]
		inputShare, fixedCost := e.inputShare[lo:hi:hi], e.fixedCost[lo:hi:hi]
		maturity := e.p.loanMaturity
		for j := range n {
			if alive[j] {
				x, l := output[j], loan[j]
				interest := l * rate[j]
				profit[j] = x - inputShare[j]*x - wageNow[j] - fixedCost[j] - interest
				dueInterest[j] = interest
				duePrincipal[j] = l / maturity
			}
		}
	}
	// Tax, profit after tax, equity.
	{
		taxRate, netProfit, profitEMA := e.taxRate[lo:hi:hi], e.netProfit[lo:hi:hi], e.profitEMA[lo:hi:hi]
		equity, owedTax := e.equity[lo:hi:hi], e.owedTax[lo:hi:hi]
		for j := range n {
			if alive[j] {
				p := profit[j]
				tax := agents.Tax(taxRate[j], p)
				after := p - tax
				netProfit[j] = after
				profitEMA[j] += 0.25 * (after - profitEMA[j])
				equity[j] += after
				owedTax[j] += tax
			}
		}
	}
	// Revenue, final sales received in cash.
	{
		revenue, fdDelivered, cash := e.revenue[lo:hi:hi], e.fdDelivered[lo:hi:hi], e.cash[lo:hi:hi]
		toExternal, reserveIn := e.toExternal[lo:hi:hi], e.reserveIn[lo:hi:hi]
		for j := range n {
			if alive[j] {
				revenue[j] = output[j]
				fd := fdDelivered[j]
				cash[j] += fd
				toExternal[j] -= fd
				reserveIn[j] += fd
			}
		}
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
	// Trade payables: deliveries booked, 1/term of each due.
	{
		inStart := net.InStart[lo : hi+1 : hi+1]
		kind, supplier := net.Kind, net.Supplier
		payable, delivery, due, paid := e.payable, e.delivery, e.due, e.paid
		termSteps, dueTotal, repaid := e.termSteps[lo:hi:hi], e.dueTotal[lo:hi:hi], e.repaid[lo:hi:hi]
		stretch := e.shock.termStretch
		for j := range n {
			in0, in1 := inStart[j], inStart[j+1]
			if !alive[j] {
				for k := in0; k < in1; k++ {
					due[k], paid[k] = 0, 0
				}
				dueTotal[j] = 0
				continue
			}
			tot := total[j]
			term := termSteps[j]
			coreBuyer := kind[lo+j] == network.Core
			for k := in0; k < in1; k++ {
				pk := payable[k] + delivery[k]
				payable[k] = pk
				tk := term
				if coreBuyer && kind[supplier[k]] == network.SME {
					tk += stretch
				}
				d := pk / tk
				due[k] = d
				paid[k] = 0
				tot += d
			}
			dueTotal[j] = tot
			repaid[j] = 0
		}
	}
}

// bookProfit books firm i's profit after tax and what it owes for wages,
// fixed costs, imports and tax, and receives its final sales.
func (e *engine) bookProfit(i int, profitAfterTax, wage, tax float64) {
	e.netProfit[i] = profitAfterTax
	e.profitEMA[i] += 0.25 * (profitAfterTax - e.profitEMA[i])
	e.equity[i] += profitAfterTax
	e.revenue[i] = e.output[i]
	fd := e.fdDelivered[i]
	e.cash[i] += fd
	e.toExternal[i] -= fd
	e.reserveIn[i] += fd
	e.owedExternal[i] += wage + e.fixedCost[i] + e.importBuy[i]
	e.owedTax[i] += tax
}

// inputUse returns the intermediate and imported inputs firm i uses per unit
// of output.
func (e *engine) inputUse(i int) float64 { return e.inputShare[i] }
