// Phase 6, after the banks: liquidity beyond banks — owners' injections and
// informal credit for a firm still short of what it owes — and the
// continuation-value rule by which a firm not worth going on closes in an
// orderly way instead of waiting out its grace.

package sim

import (
	"math"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// liquidityState is the per-firm state of liquidity beyond banks. Its
// slices are nil, and liquidity does nothing, unless the scenario gives
// firms owner funds or informal credit ([firms.sme], [firms.core]) or sets
// firms.value_exit: the neutral defaults leave the engine as it was.
type liquidityState struct {
	on bool

	ownerLeft     []float64 // owner funds not yet injected
	informalDebt  []float64 // owed to informal lenders (the external sector), interest capitalised
	informalLimit []float64 // the most a firm may owe them
	informalRate  []float64 // per step
	informalSteps []float64 // maturity in steps: 1/maturity of the debt owed before a step's borrowing falls due in it
	informalLate  []bool    // this step's instalment not paid in full: arrears, like a wage unpaid
	exitDue       []bool    // the firm's continuation value is negative: it closes this step (value_exit)
	expected      []float64 // value_exit: the revenue the owner expects, averaged leaving out lockdown steps

	valueExit          bool
	horizon            int       // steps over which a firm values its expected profit
	beta               float64   // discount factor per step
	gapRetention       float64   // share of the revenue gap left after a step, 0.5^(1/half-life)
	orderlyRealisation float64   // demography.orderly_recovery: what a closing firm's assets fetch, per unit of book value
	exitRecovery       []float64 // per firm closing by exit-value this step: its creditors' recovery

	injected, borrowed []float64 // per firm, this step (for tests and totals)
}

// initLiquidity sets each firm's owner funds and informal limit from its
// kind's parameters, once the baseline is known. Owner funds are drawn
// from a counter-based normal per firm (streamOwnerFunds), so every arm of
// a replication holds the same funds and no other stream moves; with
// owner_funds_share below 1, a counter-based uniform of the same stream
// (at another counter) decides which owners have funds at all.
func (e *engine) initLiquidity() {
	cfg, net, p := e.cfg, e.net, &e.p
	l := &e.liq
	sme, core := &cfg.Firms.SME, &cfg.Firms.Core
	funds := sme.OwnerFunds > 0 || core.OwnerFunds > 0
	informal := sme.InformalLimit > 0 || core.InformalLimit > 0
	l.valueExit = cfg.Firms.ValueExit
	l.on = p.finance && (funds || informal || l.valueExit)
	if !l.on {
		return
	}
	n := net.N()
	d := p.stepDays
	l.horizon = max(1, int(math.Round(cfg.Firms.Horizon.Steps(d))))
	l.beta = math.Pow(1+cfg.Firms.DiscountRate, -d/units.DaysPerYear)
	l.gapRetention = math.Pow(0.5, 1/math.Max(cfg.Firms.ExpectedRecovery.Steps(d), 1e-9))
	l.orderlyRealisation = cfg.Demography.OrderlyRecovery
	l.ownerLeft, l.informalDebt, l.informalLimit = make([]float64, n), make([]float64, n), make([]float64, n)
	l.informalRate, l.informalSteps = make([]float64, n), make([]float64, n)
	l.informalLate, l.exitDue = make([]bool, n), make([]bool, n)
	l.injected, l.borrowed = make([]float64, n), make([]float64, n)
	if l.valueExit {
		l.expected, l.exitRecovery = make([]float64, n), make([]float64, n)
		copy(l.expected, e.baseOutput)
	}
	key := mix(cfg.Seed, uint64(e.rep), streamOwnerFunds)
	for i := 0; i < n; i++ {
		kp := sme
		if net.Kind[i] == network.Core {
			kp = core
		}
		yearly := e.baseOutput[i] * p.stepsPerYear
		if kp.OwnerFunds > 0 && (kp.OwnerFundsShare >= 1 || uniformAt(key, 1, i) < kp.OwnerFundsShare) {
			l.ownerLeft[i] = agents.OwnerFunds(kp.OwnerFunds, kp.OwnerFundsDispersion, normalAt(key, 0, i), yearly)
		}
		l.informalLimit[i] = kp.InformalLimit * yearly
		l.informalRate[i] = units.PerStep(kp.InformalRate, d)
		l.informalSteps[i] = math.Max(1, kp.InformalMaturity.Steps(d))
	}
}

// liquidity runs, for firms lo to hi at step t, after the banks have lent
// and before what is owed is paid (payOwed): under value_exit, the revenue
// each owner expects is updated; informal interest is capitalised; a firm
// whose cash does not cover what it owes plus its informal instalment
// first asks whether going on is worth it (value_exit: a negative
// agents.ContinuationValue marks it to close in phase 7, and its owner
// injects nothing); otherwise its owner injects funds and informal lenders
// lend, in that order (agents.LiquiditySources); then it pays its informal
// lenders (agents.InformalRepayment). Injections are transfers from the
// external sector (households) into the firm's deposit, with equity up;
// informal loans a transfer against a new liability; interest moves equity
// to that liability, and repayments move deposits back to the external
// sector. No money is created.
func (e *engine) liquidity(lo, hi, t int) {
	l := &e.liq
	if !l.on {
		return
	}
	if l.expected != nil {
		e.expectRevenue(lo, hi, t)
	}
	s := &e.iv
	for i := lo; i < hi; i++ {
		l.injected[i], l.borrowed[i] = 0, 0
		l.informalLate[i] = false
		if !e.alive[i] {
			continue
		}
		debt := l.informalDebt[i]
		if debt > 0 {
			c := debt * l.informalRate[i]
			debt += c
			e.equity[i] -= c
			e.netProfit[i] -= c
		}
		inst := debt / l.informalSteps[i]
		owed := e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
		if s.govUnpaid != nil {
			owed += s.govUnpaid[i]
		}
		// Asked for one part in 10⁹ more than it lacks, so that rounding
		// never leaves the last unit of what it owes unpaid.
		need := (owed+inst)*(1+1e-9) - e.cash[i]
		if need > 1e-12*e.baseOutput[i] {
			if l.valueExit && e.continuationValue(i, owed+debt-e.cash[i]) < 0 {
				l.exitDue[i] = true
			} else {
				inject, borrow := agents.LiquiditySources(need, l.ownerLeft[i], l.informalLimit[i], debt)
				l.ownerLeft[i] -= inject
				e.equity[i] += inject
				debt += borrow
				in := inject + borrow
				e.cash[i] += in
				e.toExternal[i] -= in
				e.reserveIn[i] += in
				l.injected[i], l.borrowed[i] = inject, borrow
			}
		}
		if debt > 0 {
			pay := agents.InformalRepayment(debt, inst, e.cash[i], owed, e.cashTarget[i])
			debt -= pay
			e.cash[i] -= pay
			e.toExternal[i] += pay
			e.reserveIn[i] -= pay
			l.informalLate[i] = pay < inst*(1-1e-9)
			if debt <= 1e-12*e.baseOutput[i] {
				// Paid off: what rounding leaves is forgiven, a transfer
				// from the lender's claim to the owner's equity.
				e.equity[i] += debt
				debt = 0
			}
		}
		l.informalDebt[i] = debt
	}
}

// expectRevenue updates, for firms lo to hi at step t, the revenue each
// owner expects: an average of its revenue with the credit score's weight
// per step (the engine's 4-step smoothing, or 1/finance.score_memory)
// that leaves out the steps the firm is closed by a lockdown, whatever
// the bank does. The owner knows the order is temporary: a firm valued on
// its revenue in a lockdown would expect the closure to last, and
// china-2020's locked-down firms would close at their first step in
// arrears (design-counterfactual.md, "Slices 4–5 landed: measured").
func (e *engine) expectRevenue(lo, hi, t int) {
	alpha, now := e.p.scoreAlpha, int32(t)
	alive, output, locked := e.alive[lo:hi:hi], e.output[lo:hi:hi], e.lastLockdown[lo:hi:hi]
	expected := e.liq.expected[lo:hi:hi]
	for j := range alive {
		if alive[j] {
			expected[j] = agents.ScoreAverage(expected[j], output[j], alpha, locked[j] == now)
		}
	}
}

// continuationValue is agents.ContinuationValue for firm i owing debt net
// of its cash short term: profit per step at baseline output with its
// present loans, and expected revenue (expectRevenue) returning to
// baseline at the half-life of firms.expected_recovery.
func (e *engine) continuationValue(i int, debt float64) float64 {
	l := &e.liq
	x := e.baseOutput[i]
	base := x*(1-e.inputShare[i]) - e.wageOf(i) - e.fixedCost[i] - e.loan[i]*e.loanRate[i] - l.informalDebt[i]*l.informalRate[i]
	kp := e.kindOf(i)
	base -= agents.Tax(kp.taxRate, base)
	contribution := 1 - e.inputShare[i] - e.wageOf(i)*kp.wageFlex/x
	return agents.ContinuationValue(base, contribution, max(0, x-l.expected[i]), l.beta, l.gapRetention, l.horizon, debt)
}

// informalOwed returns what firm i owes informal lenders (0 without
// informal credit): a liability in its balance sheet.
func (e *engine) informalOwed(i int) float64 {
	if e.liq.informalDebt == nil {
		return 0
	}
	return e.liq.informalDebt[i]
}
