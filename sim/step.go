package sim

// step advances the engine by one step t through the phases of DESIGN §4.
// The passes over firms run in parallel (see parallel.go); interventions'
// budgets, failures and the sums of the step are taken sequentially.
func (e *engine) step(t int) error {
	e.evalShocks(t)
	e.ivBegin(t)
	e.parallel(phaseOrders, t)
	e.parallel(phaseProduce, t)
	ivOn := e.iv.on()
	if !e.p.finance || ivOn {
		e.parallel(phaseReceive, t)
	}
	if !e.p.finance {
		e.parallel(phaseRevenue, t)
		e.failing = e.failing[:0]
		e.parallel(phaseTotals, t)
		e.record(t)
		return nil
	}
	// Without interventions, nothing sequential stands between receipt
	// and accrual or between lending and paying: those passes are fused.
	if ivOn {
		e.ivRequests()
		e.parallel(phaseAccrue, t)
		e.markTermCap()
		e.factorReceivables(t)
	} else {
		e.parallel(phaseReceiveAccrue, t)
	}
	e.settle(t)
	if ivOn && e.iv.guarantor != nil {
		// Suppliers borrow on their core's score as it stood at the start
		// of the phase, whatever the order in which firms are visited.
		copy(e.iv.coreScore, e.score)
	}
	e.parallel(phaseCloseCredit, t)
	e.grantShares()
	if ivOn {
		e.parallel(phaseGrant, t)
		e.guaranteeGrants(t)
		e.allocatePolicyLoans(t)
		e.parallel(phasePayOwed, t)
	} else {
		e.parallel(phaseGrantPayOwed, t)
	}
	e.failures(t)
	e.searchPartners(t, e.failing)
	e.parallel(phaseTotals, t)
	e.reduceFlows()
	if e.iv.on() {
		e.ivCosts(t)
	}
	e.record(t)
	if err := e.checkMoney(t); err != nil {
		return err
	}
	return e.checkBalanceSheets(t)
}

// phase names one parallel pass over the firms.
type phase uint8

const (
	phaseOrders        phase = iota // final demand and orders
	phaseProduce                    // production and deliveries
	phaseReceive                    // deliveries into inventories; the step's flows cleared
	phaseRevenue                    // revenue without finance
	phaseAccrue                     // income statements and what is due
	phasePayFirst                   // the first settlement round: every firm pays
	phaseCollectAll                 // suppliers collect the first round
	phasePayPending                 // later rounds: firms still owing pay
	phaseCollectPaid                // suppliers paid in the round collect
	phaseCloseCredit                // close settlement; credit demand; requests per bank
	phaseGrant                      // banks lend
	phasePayOwed                    // what is still owed, dividends; failure counters
	phaseTotals                     // sums of the step: flows, metrics, accounting checks
	phaseReceiveAccrue              // phaseReceive and phaseAccrue in one pass (no interventions)
	phaseGrantPayOwed               // phaseGrant and phasePayOwed in one pass (no interventions)
	numPhases
)

// phaseNames name the phases in benchmarks.
var phaseNames = [numPhases]string{
	phaseOrders: "orders", phaseProduce: "produce", phaseReceive: "receive", phaseRevenue: "revenue",
	phaseAccrue: "accrue", phasePayFirst: "pay-first", phaseCollectAll: "collect-all",
	phasePayPending: "pay-pending", phaseCollectPaid: "collect-paid", phaseCloseCredit: "close-credit",
	phaseGrant: "grant", phasePayOwed: "pay-owed", phaseTotals: "totals",
	phaseReceiveAccrue: "receive-accrue", phaseGrantPayOwed: "grant-pay-owed",
}

// runChunk runs phase ph on one chunk, as thread wid.
func (e *engine) runChunk(ph phase, c *chunkWork, t, wid int) {
	lo, hi := c.lo, c.hi
	switch ph {
	case phaseOrders:
		e.finalDemand(lo, hi, t)
		e.orders(lo, hi, t)
	case phaseProduce:
		e.produce(lo, hi, t, wid)
	case phaseReceive:
		e.receive(lo, hi)
		e.resetFlows(lo, hi)
	case phaseRevenue:
		copy(e.revenue[lo:hi], e.output[lo:hi])
	case phaseAccrue:
		e.accrue(lo, hi, t)
	case phasePayFirst:
		if e.iv.on() {
			c.moved = e.payFirst(c)
		} else {
			c.moved = e.payFirstPlain(c)
		}
	case phaseCollectAll:
		if e.iv.factored != nil {
			e.collect(lo, hi)
		} else {
			e.collectPlain(lo, hi)
		}
	case phasePayPending:
		c.moved = e.payPending(c)
	case phaseCollectPaid:
		e.collectPaid(lo, hi, c)
	case phaseCloseCredit:
		e.closeSettlement(lo, hi)
		e.creditDemand(lo, hi, t)
		e.bankRequests(c)
	case phaseGrant:
		e.grantLoans(lo, hi, t, e.grantShare)
	case phasePayOwed:
		e.payOwed(lo, hi)
		e.failureCounters(c)
	case phaseTotals:
		e.totals(c, t, wid)
	case phaseReceiveAccrue:
		e.receive(lo, hi)
		e.resetFlows(lo, hi)
		e.accruePlain(lo, hi, wid)
	case phaseGrantPayOwed:
		e.grantLoans(lo, hi, t, e.grantShare)
		e.payOwed(lo, hi)
		e.failureCounters(c)
	}
}
