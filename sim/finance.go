package sim

import (
	"math"
	"sync/atomic"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// initFinance assigns banks, draws starting cash from the runway
// distribution, sets trade credit at its steady state and sizes loans and
// bank capital, so that the baseline is stationary: every flow is matched
// and profit after tax is paid out.
func (e *engine) initFinance() {
	cfg, net, p := e.cfg, e.net, &e.p
	n := net.N()
	banks := cfg.Banks
	if len(banks) == 0 {
		banks = []BankConfig{DefaultBank()}
	}
	e.banks = make([]bankState, len(banks))
	for b, bc := range banks {
		e.banks[b] = bankState{capitalRatio: bc.CapitalRatio, baseRate: bc.BaseRate, riskSpread: bc.RiskSpread}
	}
	if !p.finance {
		return
	}
	rng := stream(cfg.Seed, e.rep, streamFirms)
	totalShare := 0.0
	for _, bc := range banks {
		totalShare += bc.Share
	}
	stepsPerMonth := units.DaysPerMonth / p.stepDays
	for i := 0; i < n; i++ {
		// Bank by share.
		u, acc := rng.Float64()*totalShare, 0.0
		for b, bc := range banks {
			acc += bc.Share
			if u < acc || b == len(banks)-1 {
				e.bank[i] = int32(b)
				break
			}
		}
		kp := &cfg.Firms.SME
		if net.Kind[i] == network.Core {
			kp = &cfg.Firms.Core
		}
		x := e.baseOutput[i]
		e.wage[i] = kp.WageShare * x
		e.wageFlex[i] = kp.WageFlexibility
		e.taxRate[i] = kp.TaxRate
		e.jobs[i] = kp.JobsPerMillion * x * p.stepsPerYear / 1e6
		e.termSteps[i] = max(1, kp.PaymentTerm.Steps(p.stepDays))
		e.payout[i] = kp.DividendPayout
		e.fixedAssets[i] = kp.FixedAssetsToRevenue * x * p.stepsPerYear
		e.hasCredit[i] = rng.Float64() < kp.CreditAccess
		if len(kp.CashRunwayMonths) > 1 {
			e.runway[i] = runwayFromProfile(kp.CashRunwayMonths, kp.CashRunwayShares, rng.Float64())
		} else {
			e.runway[i] = kp.CashRunwayMedian.Days() / units.DaysPerMonth * math.Exp(kp.CashRunwayDispersion*rng.NormFloat64())
		}
	}
	// Trade credit at steady state: after paying 1/T of its payable each
	// step, a buyer owes T−1 steps of deliveries.
	for k := range e.payable {
		e.payable[k] = e.baseFlow[k] * (e.termSteps[net.Buyer[k]] - 1)
	}
	for i := 0; i < n; i++ {
		kp := &cfg.Firms.SME
		if net.Kind[i] == network.Core {
			kp = &cfg.Firms.Core
		}
		// Fixed costs are what value added leaves after wages and the
		// target margin, before interest; interest is set on the loan,
		// which depends on assets, which include cash, which covers fixed
		// costs — so size cash and the loan on operating costs first.
		x := e.baseOutput[i]
		va := x * (1 - e.inputUse(i))
		operating := max(0, va-e.wage[i]-kp.ProfitMargin*x)
		e.cash[i] = e.runway[i] * stepsPerMonth * (e.wage[i] + operating)
		assets := e.firmAssets(i)
		payables := e.firmLiabilities(i)
		l := 0.0
		if e.hasCredit[i] {
			l = max(0, kp.DebtToAssets*assets-payables)
		}
		e.loan[i] = l
		e.equity[i] = assets - payables - l
		bk := &e.banks[e.bank[i]]
		score := agents.CreditScore(e.equity[i], assets, 1, 0, false)
		e.score[i] = score
		e.loanRate[i] = units.PerStep(agents.LoanRate(bk.baseRate, bk.riskSpread, score, 0), p.stepDays)
		// The fixed cost absorbs interest so that the margin is the target.
		e.fixedCost[i] = max(0, operating-l*e.loanRate[i])
		e.cashTarget[i] = e.cash[i]
		buffer := kp.CashBuffer.Steps(p.stepDays) * (e.wage[i] + e.fixedCost[i] + l*e.loanRate[i])
		e.buffer[i] = min(buffer, e.cash[i])
		if e.hasCredit[i] {
			e.loanLimit[i] = max(agents.LoanLimit(p.maxLoanToRev, x*p.stepsPerYear, 0), l)
		}
		bk.loans += l
	}
	deposits := make([]float64, len(e.banks))
	for i := 0; i < n; i++ {
		deposits[e.bank[i]] += e.cash[i]
	}
	for b := range e.banks {
		bk := &e.banks[b]
		bc := banks[b]
		bk.capital = bc.CapitalRatio * bk.loans * (1 + bc.LendingHeadroom)
		bk.capitalTarget = bk.capital
		bk.reserves = deposits[b] + bk.capital - bk.loans
		bk.size = bk.loans + math.Abs(bk.reserves) + deposits[b] + bk.capital
	}
	e.ledger.opening, _ = e.moneySum()
}

// settle is phase 5. Firms book the step's income and costs and receive
// cash from final sales; then what is due — 1/T of each trade payable,
// wages, fixed costs, imports, taxes, interest and principal — is settled in
// rounds: each firm pays from the cash it holds, all of it or pro rata when
// short, and its suppliers collect; the rounds repeat while money still
// moves, so cash received from customers within the step can pay suppliers
// within the step. Every round is feasible (nobody pays cash it does not
// hold) and the sequence decreases to the clearing payments of the network.
// What is still unpaid afterwards stays owed: trade payables roll over,
// unpaid interest is capitalised and unpaid principal stays in the loan.
// Supply chain finance buys receivables between accrual and the rounds.
// (Accrual runs before settle, in step.)
//
// The first round visits every firm and every supplier; later rounds visit
// only the firms that still owe and the suppliers they paid, so that a step
// of many rounds costs little more than one of two.
func (e *engine) settle(t int) {
	for round := 0; round < maxSettlementRounds; round++ {
		if round == 0 {
			e.parallel(phasePayFirst, t)
		} else {
			e.parallel(phasePayPending, t)
		}
		moved := 0.0
		for c := range e.chunks {
			moved += e.chunks[c].moved
		}
		if moved == 0 {
			break
		}
		if round == 0 {
			e.parallel(phaseCollectAll, t)
		} else {
			e.parallel(phaseCollectPaid, t)
		}
	}
}

// maxSettlementRounds bounds the payment rounds of one step. Money moves
// down a supply chain one tier per round; chains are rarely deeper than a
// few tiers, and what a round leaves unpaid simply stays owed.
const maxSettlementRounds = 16

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

// markTermCap notes the SME suppliers whose core buyers pay them earlier
// under an active payment-term cap (as accrue capped them).
func (e *engine) markTermCap() {
	s, net := &e.iv, e.net
	capIV := s.termCap
	if capIV == nil || !capIV.active {
		return
	}
	for i := range e.alive {
		if !e.alive[i] || net.Kind[i] != network.Core || e.termSteps[i]+e.shock.termStretch <= s.termCapSteps {
			continue
		}
		for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
			if sup := net.Supplier[k]; net.Kind[sup] == network.SME {
				capIV.reached[sup] = true
			}
		}
	}
}

// payFirst is the first settlement round for chunk c: every firm with
// something due pays from its cash; the firms still owing afterwards are
// left in c.pending. It returns what was paid to suppliers and their
// banks.
func (e *engine) payFirst(c *chunkWork) float64 {
	c.pending = c.pending[:0]
	moved := 0.0
	for i := c.lo; i < c.hi; i++ {
		if !e.alive[i] || e.dueTotal[i] <= 0 {
			continue
		}
		if e.cash[i] > 0 {
			moved += e.payFirm(i, false)
		}
		if e.dueTotal[i] > 0 {
			c.pending = append(c.pending, int32(i))
		}
	}
	return moved
}

// payFirstPlain is payFirst without interventions (no receivables sold,
// no policy loans), over slices of the chunk: the hottest loop of a step.
func (e *engine) payFirstPlain(c *chunkWork) float64 {
	net := e.net
	lo, hi := c.lo, c.hi
	n := hi - lo
	alive, dueTotal, cash := e.alive[lo:hi:hi], e.dueTotal[lo:hi:hi], e.cash[lo:hi:hi]
	owedExternal, owedTax, toExternal, toGov := e.owedExternal[lo:hi:hi], e.owedTax[lo:hi:hi], e.toExternal[lo:hi:hi], e.toGov[lo:hi:hi]
	reserveIn, dueInterest, toBank := e.reserveIn[lo:hi:hi], e.dueInterest[lo:hi:hi], e.toBank[lo:hi:hi]
	duePrincipal, loan, repaid, repaidAll := e.duePrincipal[lo:hi:hi], e.loan[lo:hi:hi], e.repaid[lo:hi:hi], e.repaidAll[lo:hi:hi]
	inStart := net.InStart[lo : hi+1 : hi+1]
	supplier, due, paid, payable, paidRound := net.Supplier, e.due, e.paid, e.payable, e.paidRound
	supAlive, crossBank := e.alive, e.crossBank
	_ = alive[n-1]
	_ = inStart[n]
	c.pending = c.pending[:0]
	moved := 0.0
	for j := 0; j < n; j++ {
		total := dueTotal[j]
		if !alive[j] || total <= 0 {
			continue
		}
		if m := cash[j]; m > 0 {
			share := agents.PayShare(m, total)
			v := share * owedExternal[j]
			owedExternal[j] -= v
			toExternal[j] += v
			w := share * owedTax[j]
			owedTax[j] -= w
			toGov[j] += w
			interest := share * dueInterest[j]
			dueInterest[j] -= interest
			toBank[j] += interest
			principal := share * duePrincipal[j]
			duePrincipal[j] -= principal
			loan[j] -= principal
			repaid[j] += principal
			repaidAll[j] += principal
			out := (v + w) + (interest + principal) // the order of payFirm's sums
			res := reserveIn[j] - (v + w)
			trade := 0.0
			for k := inStart[j]; k < inStart[j+1]; k++ {
				d := due[k]
				v := share * d
				due[k] = d - v
				paid[k] += v
				trade += v
				payable[k] -= v
				paidRound[k] = v
				if !supAlive[supplier[k]] || crossBank != nil && crossBank[k] {
					res -= v
				}
			}
			moved += trade
			reserveIn[j] = res
			cash[j] = m - (out + trade)
			if share >= 1 {
				total = 0
			} else {
				total -= share * total
			}
			dueTotal[j] = total
		}
		if total > 0 {
			c.pending = append(c.pending, int32(lo+j))
		}
	}
	return moved
}

// collectPlain is collect without receivables sold to banks.
func (e *engine) collectPlain(lo, hi int) {
	net := e.net
	outStart, outEdge := net.OutStart, net.OutEdge
	paidRound, crossBank, alive, cash, reserveIn, toExternal := e.paidRound, e.crossBank, e.alive, e.cash, e.reserveIn, e.toExternal
	for sup := lo; sup < hi; sup++ {
		got, cross := 0.0, 0.0
		for k := outStart[sup]; k < outStart[sup+1]; k++ {
			ed := outEdge[k]
			v := paidRound[ed]
			if v == 0 {
				continue
			}
			paidRound[ed] = 0
			got += v
			if crossBank != nil && crossBank[ed] {
				cross += v
			}
		}
		if got == 0 {
			continue
		}
		if alive[sup] {
			cash[sup] += got
			reserveIn[sup] += cross
		} else {
			toExternal[sup] += got
		}
	}
}

// payPending is a later settlement round for chunk c: the firms still
// owing pay from the cash they have collected since, and flag the
// suppliers they paid for collectPaid.
func (e *engine) payPending(c *chunkWork) float64 {
	moved := 0.0
	keep := c.pending[:0]
	net := e.net
	for _, f := range c.pending {
		i := int(f)
		if e.cash[i] > 0 {
			moved += e.payFirm(i, true)
			c.bytes += payFirmBytes + int64(net.InStart[i+1]-net.InStart[i])*payEdgeBytes
		}
		if e.dueTotal[i] > 0 {
			keep = append(keep, f)
		}
	}
	c.pending = keep
	return moved
}

// Bytes a payment and a collection touch per firm and per edge (see
// bytesPerStep).
const (
	payFirmBytes     = 13*16 + 4 // thirteen arrays read and written, InStart
	payEdgeBytes     = 3*16 + 13 // due, paid, payable; paidRound, Supplier, alive
	collectFirmBytes = 37
	collectEdgeBytes = 20
)

// payFirm lets firm i pay what it owes from its cash, pro rata to what it
// owes each creditor, and returns the amount paid to suppliers and to the
// banks that bought their receivables (what the next collect passes on).
// Of a payable a bank has bought under supply chain finance, the bank's
// part goes to the bank. With flag, it flags the suppliers it paid.
func (e *engine) payFirm(i int, flag bool) float64 {
	net, s := e.net, &e.iv
	fac := s.factored
	in0, in1 := net.InStart[i], net.InStart[i+1]
	share := agents.PayShare(e.cash[i], e.dueTotal[i])
	moved := 0.0
	out := 0.0
	v := share * e.owedExternal[i]
	e.owedExternal[i] -= v
	e.toExternal[i] += v
	out += v
	w := share * e.owedTax[i]
	e.owedTax[i] -= w
	e.toGov[i] += w
	out += w
	e.reserveIn[i] -= v + w
	interest := share * e.dueInterest[i]
	e.dueInterest[i] -= interest
	e.toBank[i] += interest
	principal := share * e.duePrincipal[i]
	e.duePrincipal[i] -= principal
	e.loan[i] -= principal
	e.repaid[i] += principal
	e.repaidAll[i] += principal
	out += interest + principal
	if s.govLoan != nil {
		gi := share * s.govDueInterest[i]
		gp := share * s.govDuePrincipal[i]
		s.govDueInterest[i] -= gi
		s.govDuePrincipal[i] -= gp
		s.govLoan[i] -= gp
		s.govIn[i] += gi + gp
		s.policyInterest[i] += gi
		e.reserveIn[i] -= gi + gp
		out += gi + gp
	}
	bi := e.bank[i]
	trade := 0.0
	for k := in0; k < in1; k++ {
		v := share * e.due[k]
		e.due[k] -= v
		e.paid[k] += v
		trade += v
		sup := net.Supplier[k]
		toSupplier := v
		if fac != nil {
			vb := 0.0
			// A payable already settled to 0 (payment terms of one step
			// pay it whole each step) leaves at most rounding dust
			// factored, and nothing to split.
			if fac[k] > 0 && e.payable[k] > 0 {
				vb = min(v, v*fac[k]/e.payable[k])
				fac[k] -= vb
				if e.bank[sup] != bi {
					e.reserveIn[i] -= vb
				}
			}
			s.paidBankRound[k] = vb
			toSupplier = v - vb
			moved += vb
		}
		e.payable[k] -= v
		e.paidRound[k] = toSupplier
		moved += toSupplier
		if !e.alive[sup] || e.bank[sup] != bi {
			e.reserveIn[i] -= toSupplier
		}
		if flag {
			atomic.StoreUint32(&e.collectFlag[sup], 1)
		}
	}
	out += trade
	e.cash[i] -= out
	if share >= 1 {
		e.dueTotal[i] = 0
	} else {
		e.dueTotal[i] -= share * e.dueTotal[i]
	}
	return moved
}

// collectPaid lets the suppliers among lo to hi that payPending flagged
// collect.
func (e *engine) collectPaid(lo, hi int, c *chunkWork) {
	net := e.net
	for sup := lo; sup < hi; sup++ {
		if e.collectFlag[sup] != 0 {
			e.collectFlag[sup] = 0
			e.collectOne(sup)
			c.bytes += collectFirmBytes + int64(net.OutStart[sup+1]-net.OutStart[sup])*collectEdgeBytes
		}
	}
}

// collect lets suppliers lo to hi receive what their buyers paid in the
// round.
func (e *engine) collect(lo, hi int) {
	for sup := lo; sup < hi; sup++ {
		e.collectOne(sup)
	}
}

// collectOne lets supplier sup receive what its buyers paid in the round,
// and clears the round's payments for the next; what is paid to a failed
// supplier goes to its liquidator, the external sector. What is paid on a
// receivable the supplier sold goes to the supplier's bank, which bought
// it.
func (e *engine) collectOne(sup int) {
	s := &e.iv
	bs := e.bank[sup]
	got, cross := e.pull(e.paidRound, sup, bs)
	if s.factored != nil {
		toBank, bankCross := e.pull(s.paidBankRound, sup, bs)
		s.factRepaid[sup] += toBank
		e.reserveIn[sup] += bankCross
	}
	if got == 0 {
		return
	}
	if e.alive[sup] {
		e.cash[sup] += got
		e.reserveIn[sup] += cross
	} else {
		e.toExternal[sup] += got
	}
}

// pull sums and clears what the buyers of supplier sup put in paid (per
// link) this round, and the part of it from buyers at banks other than bs.
func (e *engine) pull(paid []float64, sup int, bs int32) (got, cross float64) {
	net := e.net
	for k := net.OutStart[sup]; k < net.OutStart[sup+1]; k++ {
		ed := net.OutEdge[k]
		v := paid[ed]
		paid[ed] = 0
		got += v
		if e.bank[net.Buyer[ed]] != bs {
			cross += v
		}
	}
	return got, cross
}

// closeSettlement capitalises unpaid interest and records who could not pay
// wages, taxes or debt service in full.
func (e *engine) closeSettlement(lo, hi int) {
	s := &e.iv
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			continue
		}
		c := e.dueInterest[i]
		e.loan[i] += c
		e.lent[i] += c
		e.toBank[i] += c
		e.unpaidDebt[i] = c + e.duePrincipal[i]
		if s.callDue != nil {
			s.callDue[i] = min(s.callDue[i], e.duePrincipal[i])
		}
		e.dueInterest[i], e.duePrincipal[i] = 0, 0
		owed := e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
		if s.govLoan != nil {
			gc := s.govDueInterest[i]
			s.govLoan[i] += gc
			s.policyInterest[i] += gc
			s.govUnpaid[i] = gc + s.govDuePrincipal[i]
			s.govDueInterest[i], s.govDuePrincipal[i] = 0, 0
			owed += s.govUnpaid[i]
		}
		scale := 1e-12 * e.baseOutput[i]
		e.shortfall[i] = owed > scale
	}
}

// creditDemand is the first half of phase 6: each firm below its cash
// buffer, in arrears or rolling over repaid principal asks its bank for a
// loan; the bank's rules (score threshold, loan limit) decide the request.
// A state guarantee lowers the risk the bank keeps; a core's guarantee
// lets the bank lend on the core's score, beyond the supplier's own limit.
func (e *engine) creditDemand(lo, hi, t int) {
	s := &e.iv
	if s.on() {
		e.creditDemandGuaranteed(lo, hi, t)
		return
	}
	for i := lo; i < hi; i++ {
		e.request[i] = 0
		if !e.alive[i] || !e.hasCredit[i] {
			continue
		}
		need := e.creditNeed(i)
		if need <= 1e-12*e.baseOutput[i] {
			continue
		}
		score := e.updateScore(i)
		req := min(need, max(0, e.loanLimit[i]-e.loan[i]))
		e.request[i] = e.screen(i, t, need, req, score)
	}
}

// creditNeed returns what firm i would borrow: the principal it repaid
// (rolled over), its cash shortfall against its buffer, and what it still
// owes.
func (e *engine) creditNeed(i int) float64 {
	need := e.repaid[i] + max(0, e.buffer[i]-e.cash[i]) + e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
	if e.iv.govUnpaid != nil {
		need += e.iv.govUnpaid[i]
	}
	return need
}

// updateScore computes and stores firm i's credit score.
//
// Its assets are taken as liabilities + equity, which the balance sheet
// check holds equal to the sum of cash, inventories, receivables and fixed
// assets; liabilities are the firm's own (its payables are its in-edges),
// while its receivables are scattered over its customers' payables.
func (e *engine) updateScore(i int) float64 {
	score := agents.CreditScore(e.equity[i], e.firmLiabilities(i)+e.equity[i], e.revenueEMA[i]/e.baseRevenue[i], min(0, e.profitEMA[i])/e.baseRevenue[i], e.shortfall[i])
	e.score[i] = score
	return score
}

// screen applies the bank's score threshold to a request and notes a
// firm denied part of what it needed.
func (e *engine) screen(i, t int, need, req, score float64) float64 {
	if score < e.p.scoreThreshold+e.shock.score {
		req = 0
	}
	if req < need*(1-1e-9) {
		e.lastCredit[i] = int32(t)
	}
	return req
}

// creditDemandGuaranteed is creditDemand under interventions. A state
// guarantee lowers the risk the bank keeps to 1 − coverage of the firm's;
// a core's guarantee lets the bank lend on the core's score, beyond the
// supplier's own limit. Either opens a bank loan to a firm without a
// credit line (the state's up to max_loan_to_revenue, the core's up to
// its guarantee limit).
func (e *engine) creditDemandGuaranteed(lo, hi, t int) {
	s := &e.iv
	st, scf := s.guarantee, s.scf
	coreOn := s.guarantor != nil && scf.active && scf.remaining() > 0
	stateOn := st != nil && st.active && st.remaining() > 0
	for i := lo; i < hi; i++ {
		e.request[i] = 0
		if s.reqState != nil {
			s.reqState[i] = false
		}
		if s.reqCore != nil {
			s.reqCore[i] = 0
		}
		if !e.alive[i] {
			continue
		}
		stateGuar := stateOn && e.eligible(st, i)
		coreRoom := 0.0
		if coreOn {
			if c := s.guarantor[i]; c >= 0 && e.alive[c] {
				coreRoom = max(0, s.guaranteeCap[i]-s.coreGuaranteed[i])
			}
		}
		if !e.hasCredit[i] && !stateGuar && coreRoom <= 0 {
			continue
		}
		need := e.creditNeed(i)
		if need <= 1e-12*e.baseOutput[i] {
			continue
		}
		score := e.updateScore(i)
		limit := e.loanLimit[i]
		if !e.hasCredit[i] {
			limit = 0
			if stateGuar {
				limit = agents.LoanLimit(e.p.maxLoanToRev, e.baseRevenue[i]*e.p.stepsPerYear, 0)
			}
		}
		room := limit - e.loan[i]
		if stateGuar {
			score = 1 - (1-score)*(1-st.cfg.Coverage)
			s.reqState[i] = true
		}
		if coreRoom > 0 {
			score = max(score, s.coreScore[s.guarantor[i]])
			room = max(0, room) + coreRoom
		}
		s.effScore[i] = score
		req := e.screen(i, t, need, min(need, max(0, room)), score)
		if s.reqCore != nil {
			s.reqCore[i] = min(req, coreRoom)
		}
		e.request[i] = req
	}
}

// grantCredit is the second half of phase 6: banks ration their lending
// capacity pro rata among requests (grantLoans); policy loans fill what is
// still missing (allocatePolicyLoans); then firms pay what they still owe
// from the new cash and pay dividends out of profit when cash is at its
// target (payOwed).
func (e *engine) grantCredit(lo, hi, t int, grantShare []float64) {
	e.grantLoans(lo, hi, t, grantShare)
	e.guaranteeGrants(t)
	e.allocatePolicyLoans(t)
	e.payOwed(lo, hi)
}

// grantLoans lends each firm its bank's share of its request, at a rate
// priced on its score.
func (e *engine) grantLoans(lo, hi, t int, grantShare []float64) {
	p, s := e.p, &e.iv
	for i := lo; i < hi; i++ {
		if s.on() {
			s.granted[i] = 0
		}
		if !e.alive[i] {
			continue
		}
		bk := &e.banks[e.bank[i]]
		if req := e.request[i]; req > 0 {
			g := req * grantShare[e.bank[i]]
			if g < req*(1-1e-9) {
				e.lastCredit[i] = int32(t)
			}
			if g > 0 {
				score := e.score[i]
				if s.on() {
					score = s.effScore[i]
					s.granted[i] = g
				}
				annual := agents.LoanRate(bk.baseRate, bk.riskSpread, score, e.shock.spread)
				r := units.PerStep(annual, p.stepDays)
				e.loanRate[i] = (e.loanRate[i]*e.loan[i] + r*g) / (e.loan[i] + g)
				e.loan[i] += g
				e.cash[i] += g
				e.lent[i] += g
			}
		}
	}
}

// guaranteeGrants puts the step's new loans under the state's and the
// cores' guarantees, within their budgets (scaled down pro rata in the step
// a budget runs out), charges the state's fee, and marks what the interest
// subsidy covers as new borrowing.
func (e *engine) guaranteeGrants(t int) {
	s := &e.iv
	if !s.on() {
		return
	}
	if st := s.guarantee; st != nil && st.active {
		total := 0.0
		for i, g := range s.granted {
			if g > 0 && s.reqState[i] {
				total += g
			}
		}
		scale := st.budgetScale(total)
		for i, g := range s.granted {
			if g <= 0 || !s.reqState[i] {
				continue
			}
			a := g * scale
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

// payOwed lets each firm pay, from the cash it now holds, what it still
// owes, pays dividends, and carries the guaranteed and subsidised parts of
// its loan through the step.
func (e *engine) payOwed(lo, hi int) {
	s := &e.iv
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			continue
		}
		owed := e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
		gov := 0.0
		if s.govUnpaid != nil {
			gov = s.govUnpaid[i]
			owed += gov
		}
		if owed > 1e-12*e.baseOutput[i] {
			share := agents.PayShare(e.cash[i], owed)
			v := share * e.owedExternal[i]
			w := share * e.owedTax[i]
			d := share * e.unpaidDebt[i]
			e.owedExternal[i] -= v
			e.owedTax[i] -= w
			e.toExternal[i] += v
			e.toGov[i] += w
			e.reserveIn[i] -= v + w
			e.loan[i] -= d
			e.repaidAll[i] += d
			e.cash[i] -= v + w + d
			e.unpaidDebt[i] -= d
			if s.callDue != nil {
				s.callDue[i] = max(0, s.callDue[i]-d)
			}
			if gov > 0 {
				g := share * gov
				s.govUnpaid[i] -= g
				s.govLoan[i] -= g
				s.govIn[i] += g
				e.reserveIn[i] -= g
				e.cash[i] -= g
			}
			e.shortfall[i] = share < 1
		} else {
			e.shortfall[i] = false
		}
		if div := agents.Dividend(e.payout[i], e.netProfit[i], e.cash[i], e.cashTarget[i]); div > 0 {
			e.cash[i] -= div
			e.equity[i] -= div
			e.toExternal[i] += div
			e.reserveIn[i] -= div
		}
		if s.on() {
			repaidShare := 0.0
			if l0 := s.loanStart[i]; l0 > 0 {
				repaidShare = min(1, e.repaidAll[i]/l0)
			}
			amortise(s.stateGuaranteed, i, repaidShare, s.addState[i], e.loan[i])
			amortise(s.coreGuaranteed, i, repaidShare, s.addCore[i], e.loan[i])
			amortise(s.newPrincipal, i, repaidShare, s.addNew[i], e.loan[i])
			s.addState[i], s.addCore[i], s.addNew[i] = 0, 0, 0
		}
	}
}

// inputUse returns the intermediate and imported inputs firm i uses per unit
// of output.
func (e *engine) inputUse(i int) float64 { return e.inputShare[i] }

// runwayFromProfile returns the runway, in months, at cumulative share u of
// a profile: months[j] is the runway at or below which shares[j] of firms
// lie; between points the runway is interpolated in log-months, so that
// each share is hit exactly. Shares run from 0 to 1.
func runwayFromProfile(months, shares []float64, u float64) float64 {
	for j := 1; j < len(months); j++ {
		if u <= shares[j] || j == len(months)-1 {
			lo, hi := shares[j-1], shares[j]
			f := 1.0
			if hi > lo {
				f = min(1, max(0, (u-lo)/(hi-lo)))
			}
			return math.Exp(math.Log(months[j-1]) + f*(math.Log(months[j])-math.Log(months[j-1])))
		}
	}
	return months[len(months)-1]
}
