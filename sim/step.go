package sim

import (
	"math"
	"slices"

	"github.com/smesim/smesim/agents"
)

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

// finalDemand is phase 2: each firm's final demand is its baseline,
// domestic and exported, times the market multipliers (and noise).
func (e *engine) finalDemand(lo, hi, t int) {
	net, mult := e.net, e.shock.demand
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			e.fdNow[i] = 0
			continue
		}
		exp := mult[0]
		if m := net.ExportMarket[i]; m >= 0 {
			exp = mult[1+m]
		}
		d := e.fdDomestic[i]*mult[0] + e.fdExport[i]*exp
		if e.sectorScale != nil {
			d *= e.sectorScale[net.Sector[i]]
		}
		if e.p.demandNoise > 0 {
			d *= max(0, 1+e.p.demandNoise*normalAt(e.noiseKey, t, i))
		}
		e.fdNow[i] = d
	}
}

// orders is phase 3: each buyer orders, per input sector, what planned
// output needs plus a share of its inventory gap, split over the sector's
// active suppliers in proportion to weight × the share of orders each
// filled last step, so that orders move within the sector to suppliers that
// can deliver (substitution within a sector; a locked-down supplier gets
// none). A failed supplier's weight stays in the split until the rewiring
// delay has passed, so its share of orders is lost until the buyer has
// rewired. If no active supplier filled anything, orders follow the weights.
func (e *engine) orders(lo, hi, t int) {
	net, p := e.net, &e.p
	for b := lo; b < hi; b++ {
		if !e.alive[b] {
			for k := net.InStart[b]; k < net.InStart[b+1]; k++ {
				e.order[k] = 0
			}
			e.importOrder[b] = 0
			continue
		}
		plan := min(e.planned[b], e.capacity[b])
		for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
			need := agents.InputOrder(e.slotCoeff[s], plan, e.slotInv[s], p.invTarget, p.tau)
			lo, hi := net.SlotEdgeStart[s], net.SlotEdgeStart[s+1]
			filled, alive, pending := 0.0, 0.0, 0.0
			for k := lo; k < hi; k++ {
				sup := net.Supplier[k]
				w := net.Weight[k]
				if e.alive[sup] {
					alive += w
					filled += w * e.fillRate[sup]
				} else if t-int(e.failStep[sup]) < p.rewiringDelay {
					pending += w
				}
			}
			useFill := filled > 0
			for k := lo; k < hi; k++ {
				sup := net.Supplier[k]
				switch {
				case !e.alive[sup]:
					e.order[k] = 0
				case useFill:
					// The share first: with fill rates near the smallest
					// floats, need / filled would overflow.
					e.order[k] = need * (net.Weight[k] * e.fillRate[sup] / (filled + pending))
				default:
					e.order[k] = need * (net.Weight[k] / (alive + pending))
				}
			}
		}
		e.importOrder[b] = agents.InputOrder(e.importCoeff[b], plan, e.importInv[b], p.invTarget, p.tau)
	}
}

// produce is phase 4, for the firms of a chunk, as thread wid: output is
// the least of capacity (zero while locked down), demand and inputs;
// deliveries are rationed pro rata among buyers and final demand; inputs
// are used up and imports bought. The work is split into loops that each
// touch few arrays (see numScratch).
func (e *engine) produce(lo, hi, t, wid int) {
	net := e.net
	n := hi - lo
	now := int32(t)
	alive := e.alive[lo:hi:hi]
	outStart, outEdge := net.OutStart[lo:hi+1:hi+1], net.OutEdge
	slotStart := net.SlotStart[lo : hi+1 : hi+1]
	order, delivery := e.order, e.delivery
	output, demand, fdNow := e.output[lo:hi:hi], e.demand[lo:hi:hi], e.fdNow[lo:hi:hi]
	dem, limit, capacity, share := e.scratch(wid, 0, n), e.scratch(wid, 1, n), e.scratch(wid, 2, n), e.scratch(wid, 3, n)
	// Failed firms produce and deliver nothing.
	{
		fdDelivered, importBuy, fillRate := e.fdDelivered[lo:hi:hi], e.importBuy[lo:hi:hi], e.fillRate[lo:hi:hi]
		for j := range n {
			if !alive[j] {
				output[j], demand[j], fdDelivered[j], importBuy[j], fillRate[j] = 0, 0, 0, 0, 0
				for k := outStart[j]; k < outStart[j+1]; k++ {
					delivery[outEdge[k]] = 0
				}
			}
		}
	}
	// Demand: final demand and the orders of buyers.
	{
		baseOutput, lastDemand := e.baseOutput[lo:hi:hi], e.lastDemand[lo:hi:hi]
		for j := range n {
			if !alive[j] {
				continue
			}
			d := fdNow[j]
			for k := outStart[j]; k < outStart[j+1]; k++ {
				d += order[outEdge[k]]
			}
			dem[j] = d
			demand[j] = d
			if d < 0.9*baseOutput[j] {
				lastDemand[j] = now
			}
		}
	}
	// What the scarcest input allows.
	{
		importInv, importCoeff := e.importInv[lo:hi:hi], e.importCoeff[lo:hi:hi]
		slotInv, slotCoeff := e.slotInv, e.slotCoeff
		for j := range n {
			if !alive[j] {
				continue
			}
			l := math.Inf(1)
			if c := importCoeff[j]; c > 0 {
				l = importInv[j] / c
			}
			for s := slotStart[j]; s < slotStart[j+1]; s++ {
				// A role with input_share 0 uses none of its suppliers'
				// goods: such a slot limits nothing (and 0/0 would be NaN).
				if c := slotCoeff[s]; c > 0 {
					l = min(l, slotInv[s]/c)
				}
			}
			limit[j] = l
		}
	}
	// Capacity, zero while locked down.
	copy(capacity, e.capacity[lo:hi:hi])
	for jl, k := range e.lockdowns {
		share := e.lockdownShare[jl]
		if share <= 0 {
			continue
		}
		draw, targets, last := e.lockdownDraw[jl][lo:hi:hi], e.shocks[k].targets, e.lastLockdown[lo:hi:hi]
		for j := range n {
			if alive[j] && draw[j] < share && (targets == nil || targets[lo+j]) {
				capacity[j] = 0
				last[j] = now
			}
		}
	}
	// Output and the share of orders filled.
	{
		fillRate, fdDelivered := e.fillRate[lo:hi:hi], e.fdDelivered[lo:hi:hi]
		for j := range n {
			if !alive[j] {
				continue
			}
			d := dem[j]
			x := agents.Output(capacity[j], d, limit[j])
			output[j] = x
			r := agents.RationShare(x, d)
			share[j] = r
			fillRate[j] = r
			if d <= 0 {
				fillRate[j] = 1
			}
			fdDelivered[j] = fdNow[j] * r
		}
	}
	// Deliveries, pro rata.
	for j := range n {
		if !alive[j] {
			continue
		}
		r := share[j]
		for k := outStart[j]; k < outStart[j+1]; k++ {
			ed := outEdge[k]
			delivery[ed] = order[ed] * r
		}
	}
	// Inputs used.
	{
		slotInv, slotCoeff := e.slotInv, e.slotCoeff
		for j := range n {
			if !alive[j] {
				continue
			}
			x := output[j]
			for s := slotStart[j]; s < slotStart[j+1]; s++ {
				slotInv[s] = max(0, slotInv[s]-slotCoeff[s]*x)
			}
		}
	}
	// Imports used and bought, as far as imports shocks allow.
	{
		importInv, importCoeff := e.importInv[lo:hi:hi], e.importCoeff[lo:hi:hi]
		importOrder, importBuy, lastImports := e.importOrder[lo:hi:hi], e.importBuy[lo:hi:hi], e.lastImports[lo:hi:hi]
		for j := range n {
			if !alive[j] {
				continue
			}
			avail := 1.0
			for ji, k := range e.imports {
				if tg := e.shocks[k].targets; tg == nil || tg[lo+j] {
					avail *= e.importAvail[ji]
				}
			}
			x, l := output[j], limit[j]
			if avail < 1 && l <= x*(1+1e-12) && importCoeff[j] > 0 && importInv[j]/importCoeff[j] <= l*(1+1e-12) {
				lastImports[j] = now
			}
			inv := max(0, importInv[j]-importCoeff[j]*x)
			buy := importOrder[j] * avail
			importBuy[j] = buy
			importInv[j] = inv + buy
		}
	}
	// Planned output: last production, or demand smoothed.
	planned := e.planned[lo:hi:hi]
	if e.p.smoothed {
		alpha := e.p.smoothAlpha
		for j := range n {
			if alive[j] {
				planned[j] += alpha * (dem[j] - planned[j])
			}
		}
	} else {
		for j := range n {
			if alive[j] {
				planned[j] = output[j]
			}
		}
	}
}

// receive puts delivered inputs into each buyer's inventory for next step.
func (e *engine) receive(lo, hi int) {
	net := e.net
	for b := lo; b < hi; b++ {
		if !e.alive[b] {
			continue
		}
		for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
			got := 0.0
			for k := net.SlotEdgeStart[s]; k < net.SlotEdgeStart[s+1]; k++ {
				got += e.delivery[k]
			}
			e.slotInv[s] += got
		}
	}
}

// resetFlows clears the step's flows of firms lo to hi.
func (e *engine) resetFlows(lo, hi int) {
	if s := &e.iv; s.on() {
		for _, v := range [...][]float64{s.govIn, s.govOut, s.factNew, s.factRepaid, s.factWrittenOff,
			s.callsState, s.callsCore, s.subsidyPaid, s.reliefGiven, s.feePaid, s.policyInterest,
			s.policyLosses, s.deferred, s.accelerated} {
			clear(v[lo:hi])
		}
	}
	for _, v := range [...][]float64{e.toExternal, e.toGov, e.toBank, e.reserveIn, e.lent, e.repaidAll, e.writtenOff, e.badDebt} {
		clear(v[lo:hi])
	}
}

// bankRequests sums, per bank, the requests of chunk c's firms and the
// state-guaranteed loans its firms hold, which need no capital.
func (e *engine) bankRequests(c *chunkWork) {
	nb := len(e.banks)
	for b := 0; b < nb; b++ {
		c.banks[b*numBankSums+bankRequested] = 0
		c.banks[b*numBankSums+bankCovered] = 0
	}
	s := &e.iv
	if s.stateGuaranteed != nil {
		cov := s.guarantee.cfg.Coverage
		for i := c.lo; i < c.hi; i++ {
			r := e.request[i]
			if s.reqState[i] {
				r *= 1 - cov
			}
			b := int(e.bank[i]) * numBankSums
			c.banks[b+bankRequested] += r
			c.banks[b+bankCovered] += cov * s.stateGuaranteed[i]
		}
		return
	}
	for i := c.lo; i < c.hi; i++ {
		c.banks[int(e.bank[i])*numBankSums+bankRequested] += e.request[i]
	}
}

// grantShares sets, per bank, the share of requests it can fund.
func (e *engine) grantShares() {
	for b := range e.banks {
		requested, covered := 0.0, 0.0
		for c := range e.chunks {
			requested += e.chunks[c].banks[b*numBankSums+bankRequested]
			covered += e.chunks[c].banks[b*numBankSums+bankCovered]
		}
		bk := &e.banks[b]
		capacity := agents.LendingCapacity(bk.capital, bk.capitalRatio, e.shock.credit, bk.loans-covered)
		e.grantShare[b] = 1
		if requested > capacity {
			e.grantShare[b] = capacity / requested
		}
	}
}

// reduceFlows adds the step's per-firm flows, summed by phaseTotals, to
// the external sector, the government and the banks, in chunk order; then
// the government spends its receipts and banks pay out capital above their
// target.
func (e *engine) reduceFlows() {
	l := &e.ledger
	var sums [numSums]float64
	for c := range e.chunks {
		for k, v := range e.chunks[c].sums {
			sums[k] += v
		}
	}
	l.external += sums[sumToExternal]
	received := sums[sumToGov]
	l.government += received
	l.newLoans = sums[sumLent]
	l.repayments = sums[sumRepaid]
	l.writeOffs = sums[sumWrittenOff]
	if s := &e.iv; s.on() {
		l.government += sumChunked(s.govIn) - sumChunked(s.govOut)
		l.newLoans += sumChunked(s.factNew)
		l.repayments += sumChunked(s.factRepaid)
		l.writeOffs += sumChunked(s.factWrittenOff)
		clear(e.bankFactoredIn)
		for i := range e.bank {
			e.bankFactoredIn[e.bank[i]] += s.factNew[i] - s.factRepaid[i] - s.factWrittenOff[i]
		}
	}
	// Balanced budget outside interventions: the government spends what it
	// received this step on the external sector.
	l.government -= received
	l.external += received
	for b := range e.banks {
		bk := &e.banks[b]
		for c := range e.chunks {
			v := e.chunks[c].banks[b*numBankSums:]
			bk.capital += v[bankCapitalIn]
			bk.reserves += v[bankReservesIn]
			bk.loans += v[bankLoansIn]
		}
		if e.iv.on() {
			bk.factored += e.bankFactoredIn[b]
		}
		if d := bk.capital - bk.capitalTarget; d > 0 {
			bk.capital -= d
			bk.reserves -= d
			l.external += d
		}
	}
}

// failureCounters is the first half of phase 7 for chunk c: it counts
// the steps each firm has been illiquid (for grace steps) or insolvent
// (for insolvency steps) and lists the firms that fail this step.
func (e *engine) failureCounters(c *chunkWork) {
	p := &e.p
	c.failing = c.failing[:0]
	for i := c.lo; i < c.hi; i++ {
		if !e.alive[i] {
			continue
		}
		if e.shortfall[i] {
			e.illiquidRun[i]++
		} else {
			e.illiquidRun[i] = 0
		}
		if e.equity[i] < 0 {
			e.insolventRun[i]++
		} else {
			e.insolventRun[i] = 0
		}
		switch {
		case int(e.illiquidRun[i]) >= p.grace:
			e.cause[i] = Illiquid
		case int(e.insolventRun[i]) >= p.insolvency:
			e.cause[i] = Insolvent
		default:
			continue
		}
		c.failing = append(c.failing, int32(i))
	}
}

// failures is the second half of phase 7: it attributes the firms failing
// this step, in firm order, to cascades from what reached them in earlier
// steps, and then winds them up; e.failing lists them.
func (e *engine) failures(t int) {
	e.failing = e.failing[:0]
	for c := range e.chunks {
		e.failing = append(e.failing, e.chunks[c].failing...)
	}
	for _, f := range e.failing {
		e.attribute(f, t)
	}
	for _, f := range e.failing {
		e.alive[f] = false
		e.failStep[f] = int32(t)
	}
	for _, f := range e.failing {
		e.windUp(int(f), t)
	}
}

// attribute records the failure event of firm f at step t: its channels,
// its parents (failed neighbours that reached it within the cascade window
// in earlier steps), its generation and its cascade.
func (e *engine) attribute(f int32, t int) {
	w := e.p.cascadeWindow
	ev := Event{Step: int32(t), Firm: f, Cause: e.cause[f], Cascade: f}
	recent := func(last int32) bool { return t-int(last) < w }
	if recent(e.lastDemand[f]) {
		ev.Channels |= ChannelDemand
	}
	if recent(e.lastCredit[f]) {
		ev.Channels |= ChannelCredit
	}
	if recent(e.lastLockdown[f]) {
		ev.Channels |= ChannelLockdown
	}
	if recent(e.lastImports[f]) {
		ev.Channels |= ChannelImports
	}
	bestGen := int32(-1)
	for _, h := range e.hits[f] {
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
	e.hits[f] = nil
}

// windUp liquidates failed firm f: its trade creditors and its bank recover
// recovery_rate of their claims (paid by the liquidator, the external
// sector, which takes its cash and, later, its receivables); the rest is
// their loss. Its buyers lose a supplier and its suppliers a customer.
func (e *engine) windUp(f, t int) {
	net, p := e.net, &e.p
	rr := p.recovery
	iv := &e.iv
	for k := net.InStart[f]; k < net.InStart[f+1]; k++ {
		s := net.Supplier[k]
		claim := e.payable[k]
		e.payable[k] = 0
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
				e.badDebt[s] += loss
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
		if e.baseFlow[k] >= contagionMateriality*e.baseOutput[s] {
			ch := ChannelLostOrders
			if claim > 0 || bankLoss > 0 {
				ch |= ChannelBadDebt
			}
			e.hits[s] = append(e.hits[s], hit{firm: int32(f), step: int32(t), channel: ch})
		}
	}
	for k := net.OutStart[f]; k < net.OutStart[f+1]; k++ {
		ed := net.OutEdge[k]
		b := net.Buyer[ed]
		if e.alive[b] && e.baseFlow[ed] >= contagionMateriality*e.baseOutput[b] {
			e.hits[b] = append(e.hits[b], hit{firm: int32(f), step: int32(t), channel: ChannelLostSupply})
		}
	}
	if l := e.loan[f]; l > 0 {
		rec := rr * l
		e.toExternal[f] -= rec
		e.reserveIn[f] += rec
		e.repaidAll[f] += rec
		e.writtenOff[f] += l - rec
		e.toBank[f] -= l - rec
		e.loan[f] = 0
		if iv.on() {
			e.guaranteeCalls(f, t, l, l-rec)
		}
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
	if tax := e.owedTax[f]; tax > 0 {
		e.toExternal[f] -= rr * tax
		e.toGov[f] += rr * tax
		e.owedTax[f] = 0
	}
	e.owedExternal[f] = 0
	e.toExternal[f] += e.cash[f]
	e.reserveIn[f] -= e.cash[f]
	e.cash[f] = 0
	e.importInv[f] = 0
	for s := net.SlotStart[f]; s < net.SlotStart[f+1]; s++ {
		e.slotInv[s] = 0
	}
	e.output[f], e.revenue[f] = 0, 0
	if e.sectorScale != nil {
		// Its customers buy from the survivors of its sector instead.
		s := net.Sector[f]
		e.sectorAliveFD[s] -= e.fdDomestic[f] + e.fdExport[f]
		e.sectorScale[s] = 0
		if e.sectorAliveFD[s] > 1e-9*e.sectorFD[s] {
			e.sectorScale[s] = e.sectorFD[s] / e.sectorAliveFD[s]
		}
	}
}
