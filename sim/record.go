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

// totals is the pass over chunk c at the end of step t: it sums the
// chunk's flows and per-bank flows for reduceFlows, its cash for the money
// identity and its metrics for record, updates each firm's revenue history
// and checks its firms' balance sheets.
func (e *engine) totals(c *chunkWork, t int) {
	net, lo, hi := e.net, c.lo, c.hi
	row := &c.row
	*row = [numMetrics]float64{}
	for i := lo; i < hi; i++ {
		rev := 0.0
		if e.alive[i] {
			row[mFirms]++
			if net.Kind[i] == network.Core {
				row[mCores]++
			} else {
				row[mSMEs]++
			}
			x := e.output[i]
			row[mOutput] += x
			row[mValueAdded] += x * (1 - e.inputUse(i))
			row[mFinalDemand] += e.fdNow[i]
			row[mFinalSales] += e.fdDelivered[i]
			row[mEmployment] += e.jobs[i]
			if e.lastLockdown[i] == int32(t) {
				row[mLockedDown]++
				if net.Kind[i] != network.Core {
					row[mSMEsLockedDown]++
				}
			}
			if e.lastCredit[i] == int32(t) {
				row[mCreditDenied]++
			}
			rev = x
		}
		e.revenueEMA[i] += 0.25 * (rev - e.revenueEMA[i])
		if t < e.p.shockStep && t >= e.p.shockStep-e.p.baselineSteps {
			e.revBaseSum[i] += rev
		}
		if t >= e.p.revenueFrom && t < e.p.revenueTo {
			e.revPostSum[i] += rev
		}
	}
	for k := net.InStart[lo]; k < net.InStart[hi]; k++ {
		row[mTradeCredit] += e.payable[k]
	}
	if !e.p.finance {
		return
	}
	var sums [numSums]float64
	for i := lo; i < hi; i++ {
		sums[sumToExternal] += e.toExternal[i]
		sums[sumToGov] += e.toGov[i]
		sums[sumLent] += e.lent[i]
		sums[sumRepaid] += e.repaidAll[i]
		sums[sumWrittenOff] += e.writtenOff[i]
		sums[sumCash] += e.cash[i]
		sums[sumCashAbs] += math.Abs(e.cash[i])
		row[mBadDebt] += e.badDebt[i]
	}
	row[mCash] = sums[sumCash]
	row[mCredit] = 0
	for i := lo; i < hi; i++ {
		row[mCredit] += e.loan[i]
	}
	row[mNewLoans] = sums[sumLent]
	row[mWriteOffs] = sums[sumWrittenOff]
	c.sums = sums
	nb := len(e.banks)
	for b := 0; b < nb; b++ {
		v := c.banks[b*numBankSums:]
		v[bankCapitalIn], v[bankReservesIn], v[bankLoansIn], v[bankDeposits], v[bankLoans] = 0, 0, 0, 0, 0
	}
	for i := lo; i < hi; i++ {
		v := c.banks[int(e.bank[i])*numBankSums:]
		v[bankCapitalIn] += e.toBank[i]
		v[bankReservesIn] += e.reserveIn[i]
		v[bankLoansIn] += e.lent[i] - e.repaidAll[i] - e.writtenOff[i]
		v[bankDeposits] += e.cash[i]
		v[bankLoans] += e.loan[i]
	}
	c.checkErr = e.checkFirms(lo, hi, t)
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
		Network:     e.net,
		StepDays:    e.p.stepDays,
		StartDate:   e.start,
		ShockStep:   e.p.shockStep,
		Metrics:     MetricNames(),
		Series:      e.metrics.series,
		Events:      e.events,

		Interventions: e.ivOutcomes(),
		Firms: FirmOutcomes{
			Status:        make([]Status, n),
			FailStep:      make([]int32, n),
			Cause:         make([]Cause, n),
			RevenueChange: make([]float64, n),
			RunwayMonths:  make([]float64, n),
			Jobs:          make([]float64, n),
		},
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
