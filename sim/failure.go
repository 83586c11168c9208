// Phase 7, failure: illiquidity and insolvency counters, the attribution of
// each failure to the cascades that reached it, and the winding-up of failed
// firms.

package sim

import (
	"slices"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/outcome"
)

// failureCounters is the first half of phase 7 for chunk c: it counts
// the steps each firm has been illiquid (for grace steps) or insolvent
// (for insolvency steps) and lists the firms that fail this step, and
// those that close because going on is worth less than closing
// (liquidity.go, firms.value_exit). An informal instalment left unpaid
// counts as illiquid, like a wage.
func (e *engine) failureCounters(c *chunkWork) {
	p, l := &e.p, &e.liq
	// Over slices of the chunk (see accrue), the liquidity rules' flags
	// too; the failing firms are collected in a local and stored once.
	lo, hi := c.lo, c.hi
	n := hi - lo
	alive, shortfall, equity := e.alive[lo:hi:hi], e.shortfall[lo:hi:hi][:n], e.equity[lo:hi:hi][:n]
	illiquidRun, insolventRun, cause := e.illiquidRun[lo:hi:hi][:n], e.insolventRun[lo:hi:hi][:n], e.cause[lo:hi:hi][:n]
	var exitDue, informalLate []bool // nil without liquidity's rules, which makes both
	if l.exitDue != nil {
		exitDue, informalLate = l.exitDue[lo:hi:hi], l.informalLate[lo:hi:hi]
	}
	grace, insolvency := p.grace, p.insolvency
	failing := c.failing[:0]
	for j, live := range alive {
		if !live {
			continue
		}
		short := shortfall[j]
		if exitDue != nil {
			if exitDue[j] {
				exitDue[j] = false
				cause[j] = outcome.ExitValue
				failing = append(failing, int32(lo+j))
				continue
			}
			short = short || informalLate[j]
		}
		ill := agents.Streak(illiquidRun[j], short)
		ins := agents.Streak(insolventRun[j], equity[j] < 0)
		illiquidRun[j], insolventRun[j] = ill, ins
		switch agents.FailureOf(ill, ins, grace, insolvency) {
		case agents.FailsIlliquid:
			cause[j] = outcome.Illiquid
		case agents.FailsInsolvent:
			cause[j] = outcome.Insolvent
		default:
			continue
		}
		failing = append(failing, int32(lo+j))
	}
	c.failing = failing
}

// failures is the second half of phase 7: it attributes the firms failing
// this step, in firm order, to cascades from what reached them in earlier
// steps, and then winds them up; e.failing lists them.
func (e *engine) failures(t int) {
	e.failing = e.failing[:0]
	for c := range e.chunks {
		e.failing = append(e.failing, e.chunks[c].failing...)
	}
	e.knockOut(t) // knockout.go
	for _, f := range e.failing {
		e.attribute(f, t)
		if e.cause[f] == outcome.ExitValue {
			// Valued before any of the step's closures is wound up, with
			// its receivables, as demography's orderly exits are.
			e.liq.exitRecovery[f] = agents.OrderlyRecovery(e.firmAssets(int(f)), e.firmLiabilities(int(f)), e.liq.orderlyRealisation)
		}
	}
	for _, f := range e.failing {
		e.alive[f] = false
		e.failStep[f] = int32(t)
		e.dropFill(int(f))
	}
	for _, f := range e.failing {
		if e.cause[f] == outcome.ExitValue {
			// An orderly closure forced by the shock: its assets fetch
			// demography.orderly_recovery of their book value, and its
			// neighbours count it as a failure that reached them.
			e.liquidate(int(f), t, e.liq.exitRecovery[f], true)
			continue
		}
		e.windUp(int(f), t)
	}
}

// attribute records the failure event of firm f at step t: its channels,
// its parents (failed neighbours that reached it within the cascade window
// in earlier steps), its generation and its cascade.
func (e *engine) attribute(f int32, t int) {
	w := e.p.cascadeWindow
	ev := outcome.Event{Step: int32(t), Firm: f, Cause: e.cause[f], Cascade: f}
	recent := func(last int32) bool { return t-int(last) < w }
	if recent(e.lastDemand[f]) {
		ev.Channels |= outcome.ChannelDemand
	}
	if recent(e.lastCredit[f]) {
		ev.Channels |= outcome.ChannelCredit
	}
	if recent(e.lastLockdown[f]) {
		ev.Channels |= outcome.ChannelLockdown
	}
	if recent(e.lastImports[f]) {
		ev.Channels |= outcome.ChannelImports
	}
	bestGen := int32(-1)
	for _, h := range e.hits.of(int(f)) {
		if int(h.step) >= t || !recent(h.step) {
			continue
		}
		ev.Channels |= h.channel
		if !slices.Contains(ev.Parents, h.firm) {
			ev.Parents = append(ev.Parents, h.firm)
		}
		if g := e.generation[h.firm]; g > bestGen {
			bestGen = g
			ev.Cascade = e.cascade[h.firm]
		}
	}
	slices.Sort(ev.Parents)
	ev.Generation = bestGen + 1
	e.generation[f] = ev.Generation
	e.cascade[f] = ev.Cascade
	e.events = append(e.events, ev)
	e.hits.clear(int(f))
}

// windUp liquidates failed firm f: its trade creditors and its bank recover
// recovery_rate of their claims (paid by the liquidator, the external
// sector, which takes its cash and, later, its receivables); the rest is
// their loss. Its buyers lose a supplier and its suppliers a customer.
func (e *engine) windUp(f, t int) { e.liquidate(f, t, e.p.recovery, true) }

// liquidate winds up firm f with its creditors recovering rr of their
// claims. A distress failure also marks its neighbours as reached by it,
// for cascade attribution; an orderly exit (demography.go) does not.
func (e *engine) liquidate(f, t int, rr float64, distress bool) {
	net := e.net
	iv := &e.iv
	for k := net.InStart[f]; k < net.InStart[f+1]; k++ {
		s := net.Supplier[k]
		claim := e.payable[k]
		e.payable[k] = 0
		e.forgetReceivables(s)
		bankLoss := 0.0
		if iv.factored != nil && iv.factored[k] > 0 {
			// The supplier's bank holds part of the claim: it recovers its
			// share, and loses the rest or, with recourse, charges it to the
			// supplier as a loan.
			fk := iv.factored[k]
			iv.factored[k] = 0
			claim -= fk
			rec := rr * fk
			e.toExternal[s] -= rec
			e.reserveIn[s] += rec
			iv.factRepaid[s] += rec
			loss := fk - rec
			if iv.scf.cfg.Recourse && e.alive[s] {
				e.loan[s] += loss
				e.lent[s] += loss
				iv.factRepaid[s] += loss
				e.equity[s] -= loss
				e.badDebt[s] += loss // s is noted in e.losses below: it is alive
				bankLoss = loss
			} else {
				iv.factWrittenOff[s] += loss
				e.toBank[s] -= loss
			}
		}
		if !e.alive[s] {
			continue // the claim belonged to a failed supplier's liquidator
		}
		rec := rr * claim
		e.cash[s] += rec
		e.toExternal[s] -= rec
		e.reserveIn[s] += rec
		e.equity[s] -= claim - rec
		e.badDebt[s] += claim - rec
		e.losses = append(e.losses, s)
		if distress && e.baseFlowOf(int32(f), k) >= contagionMateriality*e.baseOutput[s] {
			ch := outcome.ChannelLostOrders
			if claim > 0 || bankLoss > 0 {
				ch |= outcome.ChannelBadDebt
			}
			e.hits.note(int(s), hit{firm: int32(f), step: int32(t), channel: ch})
		}
	}
	for k := net.OutStart[f]; k < net.OutStart[f+1]; k++ {
		ed := net.OutEdge[k]
		b := net.Buyer[ed]
		if distress && e.alive[b] && e.baseFlowOf(b, ed) >= contagionMateriality*e.baseOutput[b] {
			e.hits.note(int(b), hit{firm: int32(f), step: int32(t), channel: outcome.ChannelLostSupply})
		}
	}
	if l := e.loan[f]; l > 0 && distress && e.bs != nil && e.bs.workout.steps > 0 {
		// The loan is non-performing until its workout ends (workout.go);
		// a guarantee is called at the default, on the loss expected.
		rec := rr * l
		e.guaranteeCalls(f, t, l, l-rec)
		e.enterWorkout(f, l, rec)
	} else if l > 0 {
		rec := rr * l
		e.toExternal[f] -= rec
		e.reserveIn[f] += rec
		e.repaidAll[f] += rec
		e.writtenOff[f] += l - rec
		e.losses = append(e.losses, int32(f))
		e.toBank[f] -= l - rec
		e.loan[f] = 0
		e.guaranteeCalls(f, t, l, l-rec)
	}
	if iv.govLoan != nil {
		if g := iv.govLoan[f]; g > 0 {
			rec := rr * g
			e.toExternal[f] -= rec
			iv.govIn[f] += rec
			iv.policyLosses[f] += g - rec
			iv.govLoan[f] = 0
		}
		iv.govUnpaid[f] = 0
	}
	if iv.callDue != nil {
		iv.callDue[f] = 0
		iv.coreGuaranteed[f] = 0
	}
	if iv.stateGuaranteed != nil {
		iv.stateGuaranteed[f] = 0
	}
	if iv.newPrincipal != nil {
		iv.newPrincipal[f] = 0
	}
	if iv.deferredTax != nil {
		// Deferred payments are claims like any other.
		e.owedTax[f] += iv.deferredTax[f]
		iv.deferredTax[f], iv.deferredExternal[f] = 0, 0
	}
	if tax := e.owedTax[f]; tax > 0 {
		e.toExternal[f] -= rr * tax
		e.toGov[f] += rr * tax
		e.owedTax[f] = 0
	}
	e.owedExternal[f] = 0
	if d := e.liq.informalDebt; d != nil {
		// The liquidator pays the informal lenders rr of their claim: both
		// are the external sector, so no money moves; the rest is the
		// lenders' loss.
		d[f] = 0
	}
	e.toExternal[f] += e.cash[f]
	e.reserveIn[f] -= e.cash[f]
	e.cash[f] = 0
	e.importInv[f] = 0
	for s := net.SlotStart[f]; s < net.SlotStart[f+1]; s++ {
		e.slotInv[s] = 0
	}
	if e.edgeInv != nil {
		for k := net.InStart[f]; k < net.InStart[f+1]; k++ {
			e.edgeInv[k] = 0
		}
	}
	e.output[f] = 0
	// Its customers buy from the survivors of its sector instead.
	e.switchDemand(net.Sector[f], -(e.fdDomestic[f] + e.fdExport[f]))
}

// hitLog keeps, per firm, the failed neighbours that reached it (hit), for
// cascade attribution: a list per firm, linked through one pool, 4 bytes
// per firm where a slice per firm took 24. Only failures add to it.
type hitLog struct {
	last []int32   // per firm: its latest hit in pool, -1 if none
	pool []hitNode // every hit noted
	list []hit     // of's
}

// hitNode is a hit in the pool, linked to the firm's one before.
type hitNode struct {
	hit
	prev int32 // in pool, -1 if none
}

// newHitLog returns the empty log of n firms.
func newHitLog(n int) hitLog {
	last := make([]int32, n)
	for i := range last {
		last[i] = -1
	}
	return hitLog{last: last}
}

// note records that h reached firm i.
func (l *hitLog) note(i int, h hit) {
	l.pool = append(l.pool, hitNode{hit: h, prev: l.last[i]})
	l.last[i] = int32(len(l.pool) - 1)
}

// of returns the hits that reached firm i, in the order they were noted,
// valid until the next call.
func (l *hitLog) of(i int) []hit {
	l.list = l.list[:0]
	for j := l.last[i]; j >= 0; j = l.pool[j].prev {
		l.list = append(l.list, l.pool[j].hit)
	}
	slices.Reverse(l.list)
	return l.list
}

// clear forgets the hits that reached firm i.
func (l *hitLog) clear(i int) { l.last[i] = -1 }
