package sim

import (
	"math"

	"github.com/smesim/smesim/sim/network"
)

// Metric names of the time series, in column order. Stocks are measured at
// the end of the step, flows over the step; money in currency units per
// step, employment in jobs.
var metricNames = []string{
	"firms_active",          // firms not failed
	"smes_active",           // SMEs not failed
	"cores_active",          // core enterprises not failed
	"failures",              // firms failing this step
	"failures_sme",          // SMEs failing this step
	"failures_core",         // core firms failing this step
	"output",                // gross output
	"value_added",           // output less intermediate and imported inputs used
	"final_demand",          // final demand addressed to firms
	"final_sales",           // final demand served
	"employment",            // baseline jobs of firms not failed
	"demand_domestic",       // domestic final-demand multiplier
	"locked_down",           // firms unable to produce because of a lockdown
	"cash",                  // firms' cash
	"credit_outstanding",    // firms' bank loans
	"new_loans",             // bank loans granted (capitalised interest included)
	"bank_capital",          // banks' capital
	"write_offs",            // bank loans written off
	"trade_credit",          // trade payables outstanding between firms
	"bad_debt",              // suppliers' losses on receivables from failed buyers
	"credit_denied",         // firms denied (part of) the credit they asked for
	"bank_losses",           // bank write-offs less what guarantors (the state, core firms) paid the banks
	"guarantee_calls_state", // paid by the state to banks on guaranteed loans
	"guarantee_calls_core",  // paid by core firms to banks on the loans of suppliers they guaranteed
	"fiscal_cost",           // public money spent on interventions, net of fees and interest received
	"policy_loans",          // policy loans outstanding
	"policy_loan_losses",    // policy loans written off
	"factored",              // receivables held by banks under supply chain finance
	"demand_export",         // export final-demand multiplier, averaged over export markets by baseline exports
	"smes_locked_down",      // SMEs unable to produce because of a lockdown
}

// Indexes into metricNames.
const (
	mFirms = iota
	mSMEs
	mCores
	mFailures
	mFailuresSME
	mFailuresCore
	mOutput
	mValueAdded
	mFinalDemand
	mFinalSales
	mEmployment
	mDemandDomestic
	mLockedDown
	mCash
	mCredit
	mNewLoans
	mBankCapital
	mWriteOffs
	mTradeCredit
	mBadDebt
	mCreditDenied
	mBankLosses
	mCallsState
	mCallsCore
	mFiscalCost
	mPolicyLoans
	mPolicyLosses
	mFactored
	mDemandExport
	mSMEsLockedDown
	numMetrics
)

// MetricNames returns the names of the time-series metrics in column order.
func MetricNames() []string { return append([]string(nil), metricNames...) }

type recorder struct {
	series []float64
}

func newRecorder(e *engine) *recorder {
	return &recorder{series: make([]float64, 0, e.p.steps*numMetrics)}
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
	*row = [numMetrics]float64{}
	alive, kind, output := e.alive[lo:hi:hi], net.Kind[lo:hi:hi], e.output[lo:hi:hi]
	for j := range n {
		if alive[j] {
			row[mFirms]++
			if kind[j] == network.Core {
				row[mCores]++
			} else {
				row[mSMEs]++
			}
		}
	}
	{
		inputShare, fdNow, fdDelivered, jobs := e.inputShare[lo:hi:hi], e.fdNow[lo:hi:hi], e.fdDelivered[lo:hi:hi], e.jobs[lo:hi:hi]
		for j := range n {
			if alive[j] {
				x := output[j]
				row[mOutput] += x
				row[mValueAdded] += x * (1 - inputShare[j])
				row[mFinalDemand] += fdNow[j]
				row[mFinalSales] += fdDelivered[j]
				row[mEmployment] += jobs[j]
			}
		}
	}
	{
		lastLockdown, lastCredit := e.lastLockdown[lo:hi:hi], e.lastCredit[lo:hi:hi]
		now := int32(t)
		for j := range n {
			if alive[j] {
				if lastLockdown[j] == now {
					row[mLockedDown]++
					if kind[j] != network.Core {
						row[mSMEsLockedDown]++
					}
				}
				if lastCredit[j] == now {
					row[mCreditDenied]++
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
		row[mTradeCredit] += v
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
			row[mBadDebt] += badDebt[j]
			row[mCredit] += loan[j]
		}
	}
	row[mCash] = sums[sumCash]
	row[mNewLoans] = sums[sumLent]
	row[mWriteOffs] = sums[sumWrittenOff]
	c.sums = sums
	e.bankTotals(c)
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
	var row [numMetrics]float64
	for c := range e.chunks {
		for m, v := range e.chunks[c].row {
			row[m] += v
		}
	}
	for _, f := range e.failing {
		row[mFailures]++
		if net.Kind[f] == network.Core {
			row[mFailuresCore]++
		} else {
			row[mFailuresSME]++
		}
	}
	if s := &e.iv; s.on() {
		for i := range e.alive {
			row[mWriteOffs] += s.factWrittenOff[i]
			row[mCallsState] += s.callsState[i]
			row[mCallsCore] += s.callsCore[i]
			row[mPolicyLosses] += s.policyLosses[i]
			if s.govLoan != nil {
				row[mPolicyLoans] += s.govLoan[i]
			}
		}
		for _, v := range s.factored {
			row[mFactored] += v
		}
		row[mFiscalCost] = s.stepCost
	}
	row[mBankLosses] = row[mWriteOffs] - row[mCallsState] - row[mCallsCore]
	row[mDemandDomestic] = e.shock.demand[0]
	row[mDemandExport] = 1
	if w := e.exportWeights; w != nil {
		row[mDemandExport] = 0
		for m, v := range w {
			row[mDemandExport] += v * e.shock.demand[1+m]
		}
	}
	for _, b := range e.banks {
		row[mBankCapital] += b.capital
	}
	e.metrics.series = append(e.metrics.series, row[:]...)
}

// result assembles the run's Result.
func (e *engine) result(arm string) *Result {
	n := e.net.N()
	r := &Result{
		Arm:         arm,
		Replication: e.rep,
		Network:     e.built,
		StepDays:    e.p.stepDays,
		StartDate:   e.start,
		ShockStep:   e.p.shockStep,
		Metrics:     MetricNames(),
		Series:      e.metrics.series,
		Events:      e.events,

		Interventions: e.ivOutcomes(),
	}
	if e.cfg.Output.Record == "aggregate" {
		r.DropFirms() // time series only: per-firm outcomes are never built
		return r
	}
	r.Firms = FirmOutcomes{
		Status:        make([]Status, n),
		FailStep:      make([]int32, n),
		Cause:         make([]Cause, n),
		RevenueChange: make([]float64, n),
		RunwayMonths:  make([]float64, n),
		Jobs:          make([]float64, n),
	}
	baseSteps := float64(min(e.p.shockStep, e.p.baselineSteps))
	postSteps := float64(e.p.revenueTo - e.p.revenueFrom)
	for i := 0; i < n; i++ {
		if !e.alive[i] {
			r.Firms.Status[i] = Failed
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
