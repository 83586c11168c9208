package sim

import (
	"math"

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
	return &recorder{columns: cols, series: make([]float64, 0, e.p.steps*w), width: w}
}

// totals is the pass over chunk c at the end of step t, as thread wid: it
// sums the chunk's flows and per-bank flows for reduceFlows, its cash for
// the money identity and its metrics for record, updates each firm's
// revenue history and checks its firms' balance sheets. Each sum runs in
// firm order; the loops each touch few arrays (see numScratch).
func (e *engine) totals(c *chunkWork, t, wid int) {
	net, lo, hi := e.net, c.lo, c.hi
	n := hi - lo
	row := &c.row
	*row = [outcome.NumMetrics]float64{}
	alive, kind, output := e.alive[lo:hi:hi], net.Kind[lo:hi:hi], e.output[lo:hi:hi]
	for j := range n {
		if alive[j] {
			row[outcome.FirmsActive]++
			if kind[j] == network.Core {
				row[outcome.CoresActive]++
			} else {
				row[outcome.SMEsActive]++
			}
		}
	}
	{
		inputShare, fdNow, fdDelivered, jobs := e.inputShare[lo:hi:hi], e.fdNow[lo:hi:hi], e.fdDelivered[lo:hi:hi], e.jobs[lo:hi:hi]
		for j := range n {
			if alive[j] {
				x := output[j]
				row[outcome.Output] += x
				row[outcome.ValueAdded] += x * (1 - inputShare[j])
				row[outcome.FinalDemand] += fdNow[j]
				row[outcome.FinalSales] += fdDelivered[j]
				row[outcome.Employment] += jobs[j]
			}
		}
	}
	{
		lastLockdown, lastCredit := e.lastLockdown[lo:hi:hi], e.lastCredit[lo:hi:hi]
		now := int32(t)
		for j := range n {
			if alive[j] {
				if lastLockdown[j] == now {
					row[outcome.LockedDown]++
					if kind[j] != network.Core {
						row[outcome.SMEsLockedDown]++
					}
				}
				if lastCredit[j] == now {
					row[outcome.CreditDenied]++
				}
			}
		}
	}
	{
		ema := e.revenueEMA[lo:hi:hi]
		for j := range n {
			rev := 0.0
			if alive[j] {
				rev = output[j]
			}
			ema[j] += 0.25 * (rev - ema[j])
		}
		if t < e.p.shockStep && t >= e.p.shockStep-e.p.baselineSteps {
			addAlive(e.revBaseSum[lo:hi:hi], output, alive)
		}
		if t >= e.p.revenueFrom && t < e.p.revenueTo {
			addAlive(e.revPostSum[lo:hi:hi], output, alive)
		}
	}
	for _, v := range e.payable[net.InStart[lo]:net.InStart[hi]] {
		row[outcome.TradeCredit] += v
	}
	if !e.p.finance {
		return
	}
	var sums [numSums]float64
	{
		toExternal, toGov, lent := e.toExternal[lo:hi:hi], e.toGov[lo:hi:hi], e.lent[lo:hi:hi]
		repaidAll, writtenOff := e.repaidAll[lo:hi:hi], e.writtenOff[lo:hi:hi]
		for j := range n {
			sums[sumToExternal] += toExternal[j]
			sums[sumToGov] += toGov[j]
			sums[sumLent] += lent[j]
			sums[sumRepaid] += repaidAll[j]
			sums[sumWrittenOff] += writtenOff[j]
		}
	}
	{
		cash, badDebt, loan := e.cash[lo:hi:hi], e.badDebt[lo:hi:hi], e.loan[lo:hi:hi]
		for j := range n {
			sums[sumCash] += cash[j]
			sums[sumCashAbs] += math.Abs(cash[j])
			row[outcome.BadDebt] += badDebt[j]
			row[outcome.CreditOutstanding] += loan[j]
		}
	}
	row[outcome.Cash] = sums[sumCash]
	row[outcome.NewLoans] = sums[sumLent]
	row[outcome.WriteOffs] = sums[sumWrittenOff]
	c.sums = sums
	e.bankTotals(c)
	if e.bs != nil {
		e.bankBooks(c)
	}
	c.checkErr = e.checkFirms(lo, hi, t, wid)
}

// addAlive adds x to sum for the firms alive.
func addAlive(sum, x []float64, alive []bool) {
	x, alive = x[:len(sum)], alive[:len(sum)]
	for j := range sum {
		if alive[j] {
			sum[j] += x[j]
		}
	}
}

// bankTotals sums chunk c's flows and stocks per bank.
func (e *engine) bankTotals(c *chunkWork) {
	lo, hi := c.lo, c.hi
	nb := len(e.banks)
	for b := 0; b < nb; b++ {
		v := c.banks[b*numBankSums:]
		v[bankCapitalIn], v[bankReservesIn], v[bankLoansIn], v[bankDeposits], v[bankLoans] = 0, 0, 0, 0, 0
	}
	bank := e.bank[lo:hi:hi]
	toBank, reserveIn := e.toBank[lo:hi:hi], e.reserveIn[lo:hi:hi]
	lent, repaidAll, writtenOff := e.lent[lo:hi:hi], e.repaidAll[lo:hi:hi], e.writtenOff[lo:hi:hi]
	cash, loan := e.cash[lo:hi:hi], e.loan[lo:hi:hi]
	if nb == 1 {
		v := c.banks[:numBankSums]
		for j := range toBank {
			v[bankCapitalIn] += toBank[j]
			v[bankReservesIn] += reserveIn[j]
		}
		for j := range lent {
			v[bankLoansIn] += lent[j] - repaidAll[j] - writtenOff[j]
		}
		for j := range cash {
			v[bankDeposits] += cash[j]
			v[bankLoans] += loan[j]
		}
		return
	}
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
		Metrics:     outcome.RunMetricNames(e.bs != nil, e.demo != nil, e.bs != nil && e.bs.outside.share > 0),
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
		base := e.baseRevenue[i]
		if baseSteps > 0 {
			base = e.revBaseSum[i] / baseSteps
		}
		if postSteps > 0 && base > 0 {
			r.Firms.RevenueChange[i] = e.revPostSum[i]/postSteps/base - 1
		}
		r.Firms.RunwayMonths[i] = e.runway[i]
		r.Firms.Jobs[i] = e.jobs[i]
	}
	return r
}
