// The step: the phases of docs/model.md in order, and the parallel passes
// over firms that carry them out. Each mechanism has its own file, named
// after its phase; this one only says what runs when.

package sim

// step advances the engine by one step t through the phases of
// docs/model.md. The passes over firms run in parallel (parallel.go);
// interventions' budgets, failures and the sums of the step are taken
// sequentially. Which passes an arm runs follows from the parts of the
// step its interventions change, set once per arm (kindParts).
func (e *engine) step(t int) error {
	e.clearLosses()
	e.evalShocks(t) // 1. shocks (shocks.go)
	e.ivBegin(t)
	e.parallel(phaseOrders, t)  // 2–3. final demand, orders (demand.go, orders.go)
	e.parallel(phaseProduce, t) // 4. production, rationing (production.go)
	if !e.p.finance {
		e.parallel(phaseReceive, t)
		e.failing = e.failing[:0]
		e.parallel(phaseTotals, t)
		e.record(t)
		return nil
	}
	// 5. Payments: accrual (accrual.go), receivables sold (factoring.go),
	// settlement rounds (settlement.go).
	e.ivRequests()
	paidFirst := e.iv.termCap == nil && e.iv.scf == nil
	if paidFirst {
		// Nothing sequential stands between accrual and the first
		// payment round (see settle); the firms that pay in full in it
		// close their settlement in the same pass (closeSettled).
		e.parallel(phaseReceiveAccruePay, t)
		e.settle(t, true)
	} else {
		e.parallel(phaseReceiveAccrue, t)
		e.markTermCap()
		e.factorReceivables(t)
		e.settle(t, false)
	}
	// 6. Finance: settlement closed, credit asked and granted (credit.go);
	// owners' funds and informal credit (liquidity.go); what is still owed
	// and dividends paid; failure counters.
	e.freezeCoreScores()
	if paidFirst {
		e.parallel(phaseCloseRestAndRequest, t)
	} else {
		e.parallel(phaseCloseAndRequest, t)
	}
	early := false // the step's sums taken in the pass that ends finance
	e.grantShares()
	if e.iv.parts&partGrant != 0 {
		e.parallel(phaseGrant, t)
		e.guaranteeGrants(t)
		e.fundPushedLoans()
		e.allocatePolicyLoans(t)
		e.parallel(phaseOwedAndFailing, t)
	} else if early = e.totalsEarly(t); early {
		// Nothing sequential stands between lending and paying, nor,
		// but for the winding-up of the step's failures, between paying
		// and the step's sums (see retotal).
		e.parallel(phaseGrantOwedFailingTotals, t)
	} else {
		e.parallel(phaseGrantOwedFailing, t)
	}
	// 7. Failure (failure.go), and partner search (rewire.go).
	e.failures(t)
	e.exitsAndCensus(t) // background exits (demography.go)
	e.searchPartners(t, e.failing)
	e.entries(t)
	// 8. Record (record.go), with the accounting checks (ledger.go).
	if early {
		e.retotal(t)
	} else {
		e.totalsLate(t)
	}
	e.reduceFlows()
	e.ivCosts(t)
	e.record(t)
	if err := e.checkMoney(t); err != nil {
		return err
	}
	if err := e.checkPopulation(t); err != nil {
		return err
	}
	return e.checkBalanceSheets(t)
}

// phase names one parallel pass over the firms.
type phase uint8

const (
	phaseOrders                 phase = iota // final demand and orders
	phaseProduce                             // production and deliveries
	phaseReceive                             // deliveries into inventories
	phaseReceiveAccrue                       // phaseReceive, the step's flows cleared, then accrual
	phaseReceiveAccruePay                    // phaseReceiveAccrue, then the first settlement round
	phasePayFirst                            // the first settlement round: every firm pays
	phaseCollectAll                          // suppliers collect the first round
	phasePayPending                          // later rounds: firms still owing pay
	phaseCollectPaid                         // suppliers paid in the round collect
	phaseCloseAndRequest                     // settlement closed; credit asked; requests summed per bank
	phaseCloseRestAndRequest                 // phaseCloseAndRequest where phaseReceiveAccruePay closed the firms that paid in full
	phaseGrant                               // banks lend
	phaseOwedAndFailing                      // what is still owed, dividends; failure counters
	phaseGrantOwedFailing                    // phaseGrant and phaseOwedAndFailing in one pass
	phaseGrantOwedFailingTotals              // phaseGrantOwedFailing, then phaseTotals as if the step's failures were wound up
	phaseTotals                              // sums of the step: flows, metrics, accounting checks
	phaseTotalsAgain                         // the step's sums again for the chunks the winding-up changed
	numPhases
)

// phaseNames name the phases in benchmarks.
var phaseNames = [numPhases]string{
	phaseOrders: "orders", phaseProduce: "produce", phaseReceive: "receive",
	phaseReceiveAccrue: "receive-accrue", phaseReceiveAccruePay: "receive-accrue-pay", phasePayFirst: "pay-first", phaseCollectAll: "collect-all",
	phasePayPending: "pay-pending", phaseCollectPaid: "collect-paid", phaseCloseAndRequest: "close-request", phaseCloseRestAndRequest: "close-rest-request",
	phaseGrant: "grant", phaseOwedAndFailing: "owed-failing", phaseGrantOwedFailing: "grant-owed-failing",
	phaseGrantOwedFailingTotals: "grant-owed-failing-totals", phaseTotals: "totals", phaseTotalsAgain: "totals-again",
}

// runChunk runs phase ph on one chunk, as thread wid.
func (e *engine) runChunk(ph phase, c *chunkWork, t, wid int) {
	lo, hi := c.lo, c.hi
	switch ph {
	case phaseOrders:
		e.finalDemand(lo, hi, t)
		e.orders(lo, hi, t)
	case phaseProduce:
		c.warm = e.warmOrders(c)
		e.produce(lo, hi, t, wid)
	case phaseReceive:
		c.warm = e.warmSupplierFills(c)
		e.receive(lo, hi) // no flows to clear without finance (resetFlows)
	case phaseReceiveAccrue:
		c.warm = e.warmSupplierFills(c)
		e.receive(lo, hi)
		e.resetFlows(lo, hi)
		e.accrue(lo, hi, wid)
	case phaseReceiveAccruePay:
		c.warm = e.warmSupplierFills(c)
		e.receive(lo, hi)
		e.resetFlows(lo, hi)
		e.accrue(lo, hi, wid)
		c.moved = e.pay(c, true)
		e.closeSettled(c)
	case phasePayFirst:
		c.moved = e.pay(c, true)
	case phaseCollectAll:
		c.warm = e.warmPayments(c)
		e.collect(c, true, wid)
	case phasePayPending:
		c.moved = e.pay(c, false)
	case phaseCollectPaid:
		e.collect(c, false, wid)
	case phaseCloseAndRequest:
		e.closeFirms(lo, hi)
		e.scoreAverages(lo, hi, t)
		e.creditDemand(lo, hi, t)
		e.bankRequests(c)
	case phaseCloseRestAndRequest:
		e.closeUnclosed(c)
		e.scoreAverages(lo, hi, t)
		e.creditDemand(lo, hi, t)
		e.bankRequests(c)
	case phaseGrant:
		e.grantLoans(lo, hi, t, e.grantShare)
	case phaseOwedAndFailing:
		e.liquidity(lo, hi, t)
		e.payOwed(lo, hi)
		e.failureCounters(c)
	case phaseGrantOwedFailing:
		e.grantLoans(lo, hi, t, e.grantShare)
		e.liquidity(lo, hi, t)
		e.payOwed(lo, hi)
		e.failureCounters(c)
	case phaseGrantOwedFailingTotals:
		e.grantLoans(lo, hi, t, e.grantShare)
		e.liquidity(lo, hi, t)
		e.payOwed(lo, hi)
		e.failureCounters(c)
		e.revenueHistory(lo, hi, t, c.failing)
		e.stepSums(c, t, wid)
	case phaseTotals:
		e.totals(c, t, wid)
	case phaseTotalsAgain:
		if c.again {
			c.again = false
			e.stepSums(c, t, wid)
			c.bytes += e.chunkBytes(c, stepSumsBytes)
		}
	}
}
