package sim

import (
	"math"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// metric declares one column of the time series: its name in the result
// files, its unit, whether it is a stock (measured at the end of the step)
// or a flow (over the step), and how it is computed. Money is in currency
// units per step.
type metric struct {
	name, unit, kind, computed string
}

// metrics is the one table of the time series, in column order and keyed
// by the index constants below (as Mesa's DataCollector keys its model
// reporters), so that a name cannot fall out of step with its column:
// totals and record fill row[m] for each m, and TestMetricTable checks
// that every index has its entry.
var metrics = [numMetrics]metric{
	mFirms:          {"firms_active", "firms", "stock", "firms not failed"},
	mSMEs:           {"smes_active", "firms", "stock", "SMEs not failed"},
	mCores:          {"cores_active", "firms", "stock", "core enterprises not failed"},
	mFailures:       {"failures", "firms", "flow", "firms failing this step"},
	mFailuresSME:    {"failures_sme", "firms", "flow", "SMEs failing this step"},
	mFailuresCore:   {"failures_core", "firms", "flow", "core firms failing this step"},
	mOutput:         {"output", "currency", "flow", "gross output of firms not failed"},
	mValueAdded:     {"value_added", "currency", "flow", "output less intermediate and imported inputs used"},
	mFinalDemand:    {"final_demand", "currency", "flow", "final demand addressed to firms"},
	mFinalSales:     {"final_sales", "currency", "flow", "final demand served"},
	mEmployment:     {"employment", "jobs", "stock", "baseline jobs of firms not failed"},
	mDemandDomestic: {"demand_domestic", "multiplier", "stock", "domestic final-demand multiplier (1 = baseline)"},
	mLockedDown:     {"locked_down", "firms", "stock", "firms unable to produce because of a lockdown"},
	mCash:           {"cash", "currency", "stock", "firms' cash"},
	mCredit:         {"credit_outstanding", "currency", "stock", "firms' bank loans"},
	mNewLoans:       {"new_loans", "currency", "flow", "bank loans granted (capitalised interest included)"},
	mBankCapital:    {"bank_capital", "currency", "stock", "banks' capital"},
	mWriteOffs:      {"write_offs", "currency", "flow", "bank loans and bought receivables written off"},
	mTradeCredit:    {"trade_credit", "currency", "stock", "trade payables outstanding between firms"},
	mBadDebt:        {"bad_debt", "currency", "flow", "suppliers' losses on receivables from failed buyers"},
	mCreditDenied:   {"credit_denied", "firms", "flow", "firms denied (part of) the credit they asked for"},
	mBankLosses:     {"bank_losses", "currency", "flow", "write_offs less guarantee_calls_state and guarantee_calls_core"},
	mCallsState:     {"guarantee_calls_state", "currency", "flow", "paid by the state to banks on guaranteed loans"},
	mCallsCore:      {"guarantee_calls_core", "currency", "flow", "paid by core firms to banks on the loans of suppliers they guaranteed"},
	mFiscalCost:     {"fiscal_cost", "currency", "flow", "public money spent on interventions, net of fees and interest received"},
	mPolicyLoans:    {"policy_loans", "currency", "stock", "policy loans outstanding"},
	mPolicyLosses:   {"policy_loan_losses", "currency", "flow", "policy loans written off"},
	mFactored:       {"factored", "currency", "stock", "receivables held by banks under supply chain finance"},
	mDemandExport:   {"demand_export", "multiplier", "stock", "export final-demand multiplier, averaged over export markets by baseline exports (1 = baseline)"},
	mSMEsLockedDown: {"smes_locked_down", "firms", "stock", "SMEs unable to produce because of a lockdown"},
}

// Indexes into metrics: the columns of the time series.
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

// demographyMetrics are the columns that follow metrics in the time series
// of a run with demography (exits or an entry pool), and only then, so
// that runs without it keep their columns.
var demographyMetrics = [numDemographyMetrics]metric{
	mEntries:        {"entries", "firms", "flow", "dormant firms entering this step"},
	mExits:          {"exits", "firms", "flow", "firms closing in an orderly way this step (background exits, not failures)"},
	mEntrantsActive: {"entrants_active", "firms", "stock", "entrants neither failed nor exited"},
	mOwnerEquityIn:  {"owner_equity_in", "currency", "flow", "equity paid by owners into entrants"},
}

// Indexes into demographyMetrics.
const (
	mEntries = iota
	mExits
	mEntrantsActive
	mOwnerEquityIn
	numDemographyMetrics
)

// allMetrics returns metrics followed by demographyMetrics.
func allMetrics() []metric {
	return append(metrics[:], demographyMetrics[:]...)
}

// MetricNames returns the names of the time-series metrics in column
// order, those of runs with demography last.
// Metric describes one column of the time series for readers of the
// result files: Unit is "firms", "jobs", "currency" or "multiplier"; Kind
// is "stock" (at the end of the step) or "flow" (over the step).
type Metric struct {
	Name, Unit, Kind, Description string
}

// Metrics returns the time-series metrics in column order, from the one
// table the engine records them by.
func Metrics() []Metric {
	all := allMetrics()
	out := make([]Metric, len(all))
	for m, d := range all {
		out[m] = Metric{Name: d.name, Unit: d.unit, Kind: d.kind, Description: d.computed}
	}
	return out
}

func MetricNames() []string {
	all := allMetrics()
	names := make([]string, len(all))
	for m, d := range all {
		names[m] = d.name
	}
	return names
}

// RunMetricNames returns the time-series metrics a run of cfg records:
// those of demography only when it has exits or an entry pool.
func RunMetricNames(cfg *config.Config) []string {
	names := MetricNames()
	if !hasDemography(cfg) {
		names = names[:numMetrics]
	}
	return names
}

// hasDemography reports whether a run of cfg has exits or entry.
func hasDemography(cfg *config.Config) bool {
	d := &cfg.Demography
	return cfg.Finance.Enabled && (d.ExitHazard.Any() || d.EntryPool > 0)
}

type recorder struct {
	series []float64
	width  int // metrics per step: numMetrics, plus numDemographyMetrics with demography
}

func newRecorder(e *engine) *recorder {
	w := numMetrics
	if e.demo != nil {
		w += numDemographyMetrics
	}
	return &recorder{series: make([]float64, 0, e.p.steps*w), width: w}
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
	if d := e.demo; d != nil {
		var dr [numDemographyMetrics]float64
		dr[mEntries], dr[mExits] = float64(d.entries), float64(d.exits)
		dr[mEntrantsActive], dr[mOwnerEquityIn] = float64(d.entrantsActive), d.ownersIn
		e.metrics.series = append(e.metrics.series, dr[:]...)
	}
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
		Metrics:     MetricNames()[:e.metrics.width],
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
	if d := e.demo; d != nil {
		r.Firms.EnteredStep = append([]int32(nil), d.entered...)
	}
	baseSteps := float64(min(e.p.shockStep, e.p.baselineSteps))
	postSteps := float64(e.p.revenueTo - e.p.revenueFrom)
	for i := 0; i < n; i++ {
		switch {
		case e.alive[i]:
		case e.cause[i] == Exit:
			r.Firms.Status[i] = Exited
		case e.failStep[i] < 0:
			r.Firms.Status[i] = Dormant
		default:
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
