package sim

import (
	"math"

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
		e.termSteps[i] = math.Max(1, kp.PaymentTerm.Steps(p.stepDays))
		e.payout[i] = kp.DividendPayout
		e.fixedAssets[i] = kp.FixedAssetsToRevenue * x * p.stepsPerYear
		e.hasCredit[i] = rng.Float64() < kp.CreditAccess
		months := kp.CashRunwayMedian.Days() / units.DaysPerMonth * math.Exp(kp.CashRunwayDispersion*rng.NormFloat64())
		e.runway[i] = months
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
		operating := math.Max(0, va-e.wage[i]-kp.ProfitMargin*x)
		e.cash[i] = e.runway[i] * stepsPerMonth * (e.wage[i] + operating)
		assets := e.firmAssets(i)
		payables := e.firmLiabilities(i)
		l := 0.0
		if e.hasCredit[i] {
			l = math.Max(0, kp.DebtToAssets*assets-payables)
		}
		e.loan[i] = l
		e.equity[i] = assets - payables - l
		bk := &e.banks[e.bank[i]]
		score := agents.CreditScore(e.equity[i], assets, 1, 0, false)
		e.score[i] = score
		e.loanRate[i] = units.PerStep(agents.LoanRate(bk.baseRate, bk.riskSpread, score, 0), p.stepDays)
		// The fixed cost absorbs interest so that the margin is the target.
		e.fixedCost[i] = math.Max(0, operating-l*e.loanRate[i])
		e.cashTarget[i] = e.cash[i]
		buffer := kp.CashBuffer.Steps(p.stepDays) * (e.wage[i] + e.fixedCost[i] + l*e.loanRate[i])
		e.buffer[i] = math.Min(buffer, e.cash[i])
		if e.hasCredit[i] {
			e.loanLimit[i] = math.Max(agents.LoanLimit(p.maxLoanToRev, x*p.stepsPerYear, 0), l)
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
func (e *engine) settle(n int) {
	e.accrue(0, n)
	for round := 0; round < maxSettlementRounds; round++ {
		if e.payRound(0, n) == 0 {
			break
		}
		e.collect(0, n)
	}
	e.closeSettlement(0, n)
}

// maxSettlementRounds bounds the payment rounds of one step. Money moves
// down a supply chain one tier per round; chains are rarely deeper than a
// few tiers, and what a round leaves unpaid simply stays owed.
const maxSettlementRounds = 16

// accrue books firm i's income statement for the step and what it owes.
func (e *engine) accrue(lo, hi int) {
	net, p := e.net, &e.p
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
		wage := e.wage[i] * (1 - e.wageFlex[i]*(1-math.Min(1, x/e.baseOutput[i])))
		profit := x - e.inputUse(i)*x - wage - e.fixedCost[i] - interest
		tax := agents.Tax(e.taxRate[i], profit)
		e.netProfit[i] = profit - tax
		e.profitEMA[i] += 0.25 * (profit - tax - e.profitEMA[i])
		e.equity[i] += profit - tax
		e.revenue[i] = x

		fd := e.fdDelivered[i]
		e.cash[i] += fd
		e.toExternal[i] -= fd
		e.reserveIn[i] += fd
		e.owedExternal[i] += wage + e.fixedCost[i] + e.importBuy[i]
		e.owedTax[i] += tax
		e.dueInterest[i] = interest
		e.duePrincipal[i] = e.loan[i] / p.loanMaturity
		total := e.owedExternal[i] + e.owedTax[i] + interest + e.duePrincipal[i]
		coreBuyer := net.Kind[i] == network.Core
		for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
			e.payable[k] += e.delivery[k]
			term := e.termSteps[i]
			if coreBuyer && net.Kind[net.Supplier[k]] == network.SME {
				term += e.shock.termStretch
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

// payRound lets every firm with something due pay from its cash, pro rata
// to what it owes each creditor. It returns the amount paid to suppliers in
// the round (what the next collect passes on).
func (e *engine) payRound(lo, hi int) float64 {
	net := e.net
	moved := 0.0
	for i := lo; i < hi; i++ {
		in0, in1 := net.InStart[i], net.InStart[i+1]
		if !e.alive[i] || e.dueTotal[i] <= 0 || e.cash[i] <= 0 {
			for k := in0; k < in1; k++ {
				e.paidRound[k] = 0
			}
			continue
		}
		share := agents.PayShare(e.cash[i], e.dueTotal[i])
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
		bi := e.bank[i]
		trade := 0.0
		for k := in0; k < in1; k++ {
			v := share * e.due[k]
			e.due[k] -= v
			e.paid[k] += v
			e.paidRound[k] = v
			e.payable[k] -= v
			trade += v
			if s := net.Supplier[k]; !e.alive[s] || e.bank[s] != bi {
				e.reserveIn[i] -= v
			}
		}
		out += trade
		moved += trade
		e.cash[i] -= out
		if share >= 1 {
			e.dueTotal[i] = 0
		} else {
			e.dueTotal[i] -= share * e.dueTotal[i]
		}
	}
	return moved
}

// collect lets suppliers receive what their buyers paid in the round; what
// is paid to a failed supplier goes to its liquidator, the external sector.
func (e *engine) collect(lo, hi int) {
	net := e.net
	for s := lo; s < hi; s++ {
		got, cross := 0.0, 0.0
		bs := e.bank[s]
		for k := net.OutStart[s]; k < net.OutStart[s+1]; k++ {
			ed := net.OutEdge[k]
			v := e.paidRound[ed]
			got += v
			if e.bank[net.Buyer[ed]] != bs {
				cross += v
			}
		}
		if got == 0 {
			continue
		}
		if e.alive[s] {
			e.cash[s] += got
			e.reserveIn[s] += cross
		} else {
			e.toExternal[s] += got
		}
	}
}

// closeSettlement capitalises unpaid interest and records who could not pay
// wages, taxes or debt service in full.
func (e *engine) closeSettlement(lo, hi int) {
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			continue
		}
		c := e.dueInterest[i]
		e.loan[i] += c
		e.lent[i] += c
		e.toBank[i] += c
		e.unpaidDebt[i] = c + e.duePrincipal[i]
		e.dueInterest[i], e.duePrincipal[i] = 0, 0
		scale := 1e-12 * e.baseOutput[i]
		e.shortfall[i] = e.owedExternal[i]+e.owedTax[i]+e.unpaidDebt[i] > scale
	}
}

// creditDemand is the first half of phase 6: each firm below its cash
// buffer, in arrears or rolling over repaid principal asks its bank for a
// loan; the bank's rules (score threshold, loan limit) decide the request.
func (e *engine) creditDemand(lo, hi, t int) {
	for i := lo; i < hi; i++ {
		e.request[i] = 0
		if !e.alive[i] {
			continue
		}
		if !e.hasCredit[i] {
			continue
		}
		need := e.repaid[i] + math.Max(0, e.buffer[i]-e.cash[i]) + e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
		if need <= 1e-12*e.baseOutput[i] {
			continue
		}
		assets := e.firmAssets(i)
		score := agents.CreditScore(e.equity[i], assets, e.revenueEMA[i]/e.baseRevenue[i], math.Min(0, e.profitEMA[i])/e.baseRevenue[i], e.shortfall[i])
		e.score[i] = score
		req := math.Min(need, math.Max(0, e.loanLimit[i]-e.loan[i]))
		if score < e.p.scoreThreshold+e.shock.score {
			req = 0
		}
		if req < need*(1-1e-9) {
			e.lastCredit[i] = int32(t)
		}
		e.request[i] = req
	}
}

// grantCredit is the second half of phase 6: banks ration their lending
// capacity pro rata among requests, firms pay what they still owe from the
// new cash, and pay dividends out of profit when cash is at its target.
func (e *engine) grantCredit(lo, hi, t int, grantShare []float64) {
	p := e.p
	for i := lo; i < hi; i++ {
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
				annual := agents.LoanRate(bk.baseRate, bk.riskSpread, e.score[i], e.shock.spread)
				r := units.PerStep(annual, p.stepDays)
				e.loanRate[i] = (e.loanRate[i]*e.loan[i] + r*g) / (e.loan[i] + g)
				e.loan[i] += g
				e.cash[i] += g
				e.lent[i] += g
			}
		}
		owed := e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
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
	}
}

// inputUse returns the intermediate and imported inputs firm i uses per unit
// of output.
func (e *engine) inputUse(i int) float64 {
	use := e.importCoeff[i]
	for s := e.net.SlotStart[i]; s < e.net.SlotStart[i+1]; s++ {
		use += e.slotCoeff[s]
	}
	return use
}
