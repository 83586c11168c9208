package sim

import (
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

type recorder struct {
	columns int // outcome.NumMetrics, or outcome.NumLegacyMetrics without the banking system
	series  []float64
	width   int // values per step: columns, plus outcome.NumDemographyMetrics with demography, plus outcome.NumOutsideBookMetrics with an outside book
}

func newRecorder(e *engine) *recorder {
	cols := outcome.NumLegacyMetrics
	if e.bs != nil {
		cols = outcome.NumMetrics
	}
	w := cols
	if e.demo != nil {
		w += outcome.NumDemographyMetrics
	}
	if e.bs != nil && e.bs.outside.share > 0 {
		w += outcome.NumOutsideBookMetrics
	}
	if e.cfg.RecordsCreditAccess() {
		w += outcome.NumCreditAccessMetrics
	}
	return &recorder{columns: cols, series: make([]float64, 0, e.p.steps*w), width: w}
}

// totals is the pass over chunk c at the end of step t, as thread wid: it
// updates each firm's revenue history (revenueHistory) and takes the
// step's sums (stepSums).
func (e *engine) totals(c *chunkWork, t, wid int) {
	e.revenueHistory(c.lo, c.hi, t, nil)
	e.stepSums(c, t, wid)
}

// totalsEarly reports whether step t may take its sums in the pass that
// ends finance (phaseGrantOwedFailingTotals), before the step's failures
// are wound up: when winding them up is all that happens in between. It
// changes only the failed firms, their in-links and their suppliers (and,
// under interventions, guarantors and banks), and retotal takes the sums
// of those chunks again; exits, entries, partner search and a knock-out
// would change more, and the banking system's books count arrears as they
// sum, so steps with any of them take the sums after failure
// (phaseTotals). So do steps after one whose failures touched more than a
// third of the chunks (e.touched): in a wave of failures, taking most
// chunks' sums twice costs more than taking them once after the failures.
// Either way the results are the same, bit for bit.
func (e *engine) totalsEarly(t int) bool {
	return !e.iv.on() && e.bs == nil && e.demo == nil &&
		(e.partners == nil || !e.partners.relink) && (e.knock.firm < 0 || t != e.knock.step) &&
		3*e.touched <= len(e.chunks)
}

// flagTouched flags (chunkWork.again) the chunks holding a firm that
// failed this step or a supplier of one, the only firms whose values,
// in-links or out-links winding-up changes (liquidate), and notes their
// number in e.touched.
func (e *engine) flagTouched() {
	e.touched = 0
	net, size := e.net, int32(e.chunks[0].hi-e.chunks[0].lo)
	flag := func(c *chunkWork) {
		if !c.again {
			c.again = true
			e.touched++
		}
	}
	for _, f := range e.failing {
		flag(&e.chunks[f/size])
		for _, s := range net.Supplier[net.InStart[f]:net.InStart[f+1]] {
			flag(&e.chunks[s/size])
		}
	}
}

// retotal completes step t's sums taken early (totalsEarly): it takes
// them again for the chunks winding-up changed (flagTouched). Every other
// chunk's sums are those phaseTotals would take now, and the revenue
// history already counted the failed firms as failed, so the step's
// results are those of phaseTotals, bit for bit.
func (e *engine) retotal(t int) {
	e.flagTouched()
	if e.touched > 0 {
		e.parallel(phaseTotalsAgain, t)
	}
}

// totalsLate takes step t's sums after its failures (phaseTotals), and
// notes how many chunks its failures touched, for totalsEarly.
func (e *engine) totalsLate(t int) {
	e.parallel(phaseTotals, t)
	if e.touched > 0 || len(e.failing) > 0 {
		e.flagTouched()
		for c := range e.chunks {
			e.chunks[c].again = false
		}
	}
}

// revenueHistory updates, for firms lo to hi at the end of step t, the
// smoothed revenue and the sums of revenue over the baseline and the
// measured windows. The firms in failing (ascending, within lo to hi), which
// fail this step but have not been wound up yet, count as failed: no
// revenue.
func (e *engine) revenueHistory(lo, hi, t int, failing []int32) {
	var baseSum, postSum []float64 // nil outside their windows
	if t < e.p.shockStep && t >= e.p.shockStep-e.p.baselineSteps {
		baseSum = e.revBaseSum
	}
	if t >= e.p.revenueFrom && t < e.p.revenueTo {
		postSum = e.revPostSum
	}
	// The runs of firms between the failing ones, each in loops that
	// test nothing but whether a firm is alive.
	for _, f := range failing {
		e.revenueRun(lo, int(f), baseSum, postSum)
		e.revenueEMA[f] = smoothRevenue(e.revenueEMA[f], 0)
		lo = int(f) + 1
	}
	e.revenueRun(lo, hi, baseSum, postSum)
}

// revenueRun updates the revenue history of firms lo to hi, none of them
// failing (see revenueHistory): each firm's smoothed revenue, and its
// revenue added to baseSum and postSum where not nil. One loop per array:
// a firm's values are each a chain of their own, and a loop with fewer
// live values runs without spills.
func (e *engine) revenueRun(lo, hi int, baseSum, postSum []float64) {
	n := hi - lo
	alive, output, ema := e.alive[lo:lo+n:lo+n], e.output[lo : lo+n : lo+n][:n], e.revenueEMA[lo : lo+n : lo+n][:n]
	for j, live := range alive {
		rev := 0.0
		if live {
			rev = output[j]
		}
		ema[j] = smoothRevenue(ema[j], rev)
	}
	for _, sum := range [...][]float64{baseSum, postSum} {
		if sum == nil {
			continue
		}
		sum = sum[lo : lo+n : lo+n][:n]
		for j, live := range alive {
			if live {
				sum[j] += output[j]
			}
		}
	}
}

// smoothRevenue returns the smoothed revenue after a step of revenue rev.
func smoothRevenue(ema, rev float64) float64 { return ema + 0.25*(rev-ema) }

// stepSums sums, at the end of step t for chunk c as thread wid, the
// chunk's flows and per-bank flows for reduceFlows, its cash for the money
// identity and its metrics for record, and checks its firms' balance
// sheets. Without the banking system (whose arrears counts bankBooks
// advances) it is a function of the state alone, which retotal may take
// again. Each sum runs in firm order, in a local variable (added to in
// place in the row, it went through memory, every addition waiting on the
// store of the one before). A sum of floating-point values is a chain of
// additions, each waiting on the one before, so the loops each take
// several sums: their chains run side by side.
func (e *engine) stepSums(c *chunkWork, t, wid int) {
	net, lo, hi := e.net, c.lo, c.hi
	n := hi - lo
	row := &c.row
	*row = [outcome.NumMetrics]float64{}
	alive, kind := e.alive[lo:hi:hi], net.Kind[lo:hi:hi][:n]
	alive = alive[:n]
	{
		output, inputShare := e.output[lo:hi:hi][:n], e.inputShare[lo:hi:hi][:n]
		fdNow, fdDelivered := e.fdNow[lo:hi:hi][:n], e.fdDelivered[lo:hi:hi][:n]
		lastLockdown, lastCredit := e.lastLockdown[lo:hi:hi][:n], e.lastCredit[lo:hi:hi][:n]
		base, kinds, perYear := e.baseOutput[lo:hi:hi][:n], &e.kinds, e.p.stepsPerYear
		now := int32(t)
		// Counts are integers: adding ones to a float64 gives the same
		// count exactly, and an integer addition does not wait.
		active, cores, locked, smesLocked, denied := 0, 0, 0, 0, 0
		out, va, fd, sales, emp := 0.0, 0.0, 0.0, 0.0, 0.0
		for j, live := range alive {
			if !live {
				continue
			}
			core := kind[j] == network.Core
			active++
			if core {
				cores++
			}
			x := output[j]
			out += x
			va += x * (1 - inputShare[j])
			fd += fdNow[j]
			sales += fdDelivered[j]
			emp += kinds[kind[j]].jobs(base[j], perYear)
			if lastLockdown[j] == now {
				locked++
				if !core {
					smesLocked++
				}
			}
			if lastCredit[j] == now {
				denied++
			}
		}
		row[outcome.FirmsActive], row[outcome.CoresActive], row[outcome.SMEsActive] = float64(active), float64(cores), float64(active-cores)
		row[outcome.Output], row[outcome.ValueAdded], row[outcome.FinalDemand] = out, va, fd
		row[outcome.FinalSales], row[outcome.Employment] = sales, emp
		row[outcome.LockedDown], row[outcome.SMEsLockedDown], row[outcome.CreditDenied] = float64(locked), float64(smesLocked), float64(denied)
	}
	if !e.p.finance {
		credit := 0.0
		for _, v := range e.payable[net.InStart[lo]:net.InStart[hi]] {
			credit += v
		}
		row[outcome.TradeCredit] = credit
		return
	}
	var sums [numSums]float64
	capitalIn, reservesIn, loansIn := 0.0, 0.0, 0.0 // per bank when there is one
	{
		toExternal, toGov, lent := e.toExternal[lo:hi:hi][:n], e.toGov[lo:hi:hi][:n], e.lent[lo:hi:hi][:n]
		repaidAll, writtenOff := e.repaidAll[lo:hi:hi][:n], e.writtenOff[lo:hi:hi][:n]
		toBank, reserveIn := e.toBank[lo:hi:hi][:n], e.reserveIn[lo:hi:hi][:n]
		ext, gov, lentSum, repaid, written := 0.0, 0.0, 0.0, 0.0, 0.0
		for j := range n {
			ext += toExternal[j]
			gov += toGov[j]
			lentSum += lent[j]
			repaid += repaidAll[j]
			written += writtenOff[j]
			loansIn += lent[j] - repaidAll[j] - writtenOff[j]
			capitalIn += toBank[j]
			reservesIn += reserveIn[j]
		}
		sums[sumToExternal], sums[sumToGov], sums[sumLent], sums[sumRepaid], sums[sumWrittenOff] = ext, gov, lentSum, repaid, written
	}
	s := e.checkFirms(c, t, wid)
	sums[sumCash], sums[sumCashAbs] = s.cash, s.cashAbs
	row[outcome.BadDebt], row[outcome.CreditOutstanding], row[outcome.TradeCredit] = s.badDebt, s.loans, s.tradeCredit
	row[outcome.Cash] = sums[sumCash]
	row[outcome.NewLoans] = sums[sumLent]
	row[outcome.WriteOffs] = sums[sumWrittenOff]
	c.sums = sums
	if len(e.banks) == 1 {
		// The one bank's deposits and loans are the chunk's cash and
		// loans, summed in the same order.
		v := c.banks[:numBankSums]
		v[bankCapitalIn], v[bankReservesIn], v[bankLoansIn], v[bankDeposits], v[bankLoans] = capitalIn, reservesIn, loansIn, s.cash, s.loans
	} else {
		e.bankTotals(c)
	}
	if e.bs != nil {
		e.bankBooks(c)
	}
}

// bankTotals sums chunk c's flows and stocks per bank, with several
// banks (stepSums sums them with one).
func (e *engine) bankTotals(c *chunkWork) {
	lo, hi := c.lo, c.hi
	for b := range e.banks {
		v := c.banks[b*numBankSums:]
		v[bankCapitalIn], v[bankReservesIn], v[bankLoansIn], v[bankDeposits], v[bankLoans] = 0, 0, 0, 0, 0
	}
	bank := e.bank[lo:hi:hi]
	toBank, reserveIn := e.toBank[lo:hi:hi], e.reserveIn[lo:hi:hi]
	lent, repaidAll, writtenOff := e.lent[lo:hi:hi], e.repaidAll[lo:hi:hi], e.writtenOff[lo:hi:hi]
	cash, loan := e.cash[lo:hi:hi], e.loan[lo:hi:hi]
	for j := range bank {
		v := c.banks[int(bank[j])*numBankSums:]
		v[bankCapitalIn] += toBank[j]
		v[bankReservesIn] += reserveIn[j]
		v[bankLoansIn] += lent[j] - repaidAll[j] - writtenOff[j]
		v[bankDeposits] += cash[j]
		v[bankLoans] += loan[j]
	}
}

// record appends the step's metrics, summed over chunks in order.
func (e *engine) record(t int) {
	net := e.net
	var row [outcome.NumMetrics]float64
	for c := range e.chunks {
		for m, v := range e.chunks[c].row {
			row[m] += v
		}
	}
	for _, f := range e.failing {
		row[outcome.Failures]++
		if net.Kind[f] == network.Core {
			row[outcome.FailuresCore]++
		} else {
			row[outcome.FailuresSME]++
		}
	}
	if s := &e.iv; s.on() {
		for i := range e.alive {
			row[outcome.WriteOffs] += s.factWrittenOff[i]
			row[outcome.GuaranteeCallsState] += s.callsState[i]
			row[outcome.GuaranteeCallsCore] += s.callsCore[i]
			row[outcome.PolicyLoanLosses] += s.policyLosses[i]
			if s.govLoan != nil {
				row[outcome.PolicyLoans] += s.govLoan[i]
			}
		}
		for _, v := range s.factored {
			row[outcome.Factored] += v
		}
		row[outcome.FiscalCost] = s.stepCost
	}
	if e.bs != nil {
		row[outcome.WriteOffs] += e.bs.workout.writeOffs // written off at the end of their workout (workout.go)
	}
	row[outcome.BankLosses] = row[outcome.WriteOffs] - row[outcome.GuaranteeCallsState] - row[outcome.GuaranteeCallsCore]
	row[outcome.DemandDomestic] = e.shock.demand[0]
	row[outcome.DemandExport] = 1
	if w := e.exportWeights; w != nil {
		row[outcome.DemandExport] = 0
		for m, v := range w {
			row[outcome.DemandExport] += v * e.shock.demand[1+m]
		}
	}
	for _, b := range e.banks {
		row[outcome.BankCapital] += b.capital
	}
	if e.bs != nil {
		e.recordBanks(&row)
	}
	e.metrics.series = append(e.metrics.series, row[:e.metrics.columns]...)
	if d := e.demo; d != nil {
		var dr [outcome.NumDemographyMetrics]float64
		dr[outcome.Entries], dr[outcome.Exits] = float64(d.entries), float64(d.exits)
		dr[outcome.EntrantsActive], dr[outcome.OwnerEquityIn], dr[outcome.OwnerEquityOut] = float64(d.entrantsActive), d.ownersIn, d.ownersOut
		e.metrics.series = append(e.metrics.series, dr[:]...)
	}
	if bs := e.bs; bs != nil && bs.outside.share > 0 {
		var ob [outcome.NumOutsideBookMetrics]float64
		if bs.network > 0 {
			ob[outcome.NPLRatioNetwork] = bs.networkNPL / bs.network
		}
		e.metrics.series = append(e.metrics.series, ob[:]...)
	}
	if e.cfg.RecordsCreditAccess() {
		e.metrics.series = append(e.metrics.series, e.bankedSMEs(row[outcome.SMEsActive])...)
	}
}

// bankedSMEs returns the credit-access columns of the step: the SMEs not
// failed with a bank credit line, and their share of active SMEs.
func (e *engine) bankedSMEs(active float64) []float64 {
	var ca [outcome.NumCreditAccessMetrics]float64
	kind := e.net.Kind
	for i, on := range e.hasCredit {
		if on && e.alive[i] && kind[i] == network.SME {
			ca[outcome.BankedSMEs]++
		}
	}
	if active > 0 {
		ca[outcome.BankedSMEShare] = ca[outcome.BankedSMEs] / active
	}
	return ca[:]
}

// result assembles the run's outcome.Result.
func (e *engine) result(arm string) *outcome.Result {
	n := e.net.N()
	r := &outcome.Result{
		Arm:         arm,
		Replication: e.rep,
		Network:     e.built,
		StepDays:    e.p.stepDays,
		StartDate:   e.start,
		ShockStep:   e.p.shockStep,
		Metrics:     outcome.RunMetricNames(e.bs != nil, e.demo != nil, e.bs != nil && e.bs.outside.share > 0, e.cfg.RecordsCreditAccess()),
		Series:      e.metrics.series,
		Events:      e.events,

		Interventions: e.ivOutcomes(),
	}
	if e.cfg.Output.Record == "aggregate" {
		r.DropFirms() // time series only: per-firm outcomes are never built
		return r
	}
	r.Firms = outcome.FirmOutcomes{
		Status:        make([]outcome.Status, n),
		FailStep:      make([]int32, n),
		Cause:         make([]outcome.Cause, n),
		RevenueChange: make([]float64, n),
		RunwayMonths:  make([]float64, n),
		Jobs:          make([]float64, n),
	}
	if d := e.demo; d != nil {
		r.Firms.EnteredStep = append([]int32(nil), d.entered...)
	}
	baseSteps := float64(min(e.p.shockStep, e.p.baselineSteps))
	postSteps := float64(e.p.revenueTo - e.p.revenueFrom)
	for i := 0; i < n; i++ {
		switch {
		case e.alive[i]:
		case e.cause[i] == outcome.Exit:
			r.Firms.Status[i] = outcome.Exited
		case e.failStep[i] < 0:
			r.Firms.Status[i] = outcome.Dormant
		default:
			r.Firms.Status[i] = outcome.Failed
		}
		r.Firms.FailStep[i] = e.failStep[i]
		r.Firms.Cause[i] = e.cause[i]
		base := e.baseOutput[i]
		if baseSteps > 0 {
			base = e.revBaseSum[i] / baseSteps
		}
		if postSteps > 0 && base > 0 {
			r.Firms.RevenueChange[i] = e.revPostSum[i]/postSteps/base - 1
		}
		r.Firms.RunwayMonths[i] = e.runway[i]
		r.Firms.Jobs[i] = e.jobsOf(i)
	}
	return r
}
