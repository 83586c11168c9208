// Phase 4, production: output as the least of capacity, demand and inputs;
// rationing of deliveries pro rata; inputs used, imports bought, and
// deliveries received into inventories.

package sim

import (
	"math"

	"github.com/smesim/smesim/agents"
)

// produce is phase 4, for the firms of a chunk, as thread wid: output is
// the least of capacity (zero while locked down), demand and inputs;
// deliveries are rationed pro rata among buyers and final demand (the
// buyers take theirs in receive); inputs are used up and imports bought.
// The work is split into loops that each touch few arrays (see
// numScratch), each a function of its own so that its loop keeps its
// values in registers.
func (e *engine) produce(lo, hi, t, wid int) {
	n := hi - lo
	dem, limit, capacity := e.scratch(wid, 0, n), e.scratch(wid, 1, n), e.scratch(wid, 2, n)
	e.demandFor(lo, hi, t, dem)
	capacity = e.capacityNow(lo, hi, t, capacity)
	e.outputFor(lo, hi, dem, limit, capacity)
	if e.edgeInv != nil {
		alive, output := e.alive[lo:hi:hi], e.output[lo:hi:hi]
		for j, live := range alive {
			if live {
				e.useLinkStocks(lo+j, output[j])
			}
		}
	} else {
		e.useInputs(lo, hi)
	}
	var avail []float64 // nil without imports shocks: all imports available
	if len(e.imports) > 0 {
		avail = e.scratch(wid, 3, n)
		e.importsAvailable(lo, avail)
	}
	e.buyImports(lo, hi, t, dem, limit, avail)
}

// demandFor sets dem to the demand of the firms lo to hi: final demand
// and the orders of buyers (a failed firm's demand is 0, and outputFor and
// buyImports zero what it produces, delivers and buys).
func (e *engine) demandFor(lo, hi, t int, dem []float64) {
	net := e.net
	now := int32(t)
	// Each firm's out-links are subslices between consecutive starts
	// (outEnd[j] and the end of the firm before), so that the loop over
	// them carries no bounds checks (see checkFirms).
	outEnd, out0 := net.OutStart[lo+1:hi+1:hi+1], net.OutStart[lo]
	n := len(outEnd)
	alive, outEdge, order, fdNow := e.alive[lo:hi:hi][:n], net.OutEdge, e.order, e.fdNow[lo:hi:hi][:n]
	dem = dem[:n]
	demand := dem // kept only for partner search (engine.demand)
	if e.demand != nil {
		demand = e.demand[lo:hi:hi][:n]
	}
	baseOutput, lastDemand := e.baseOutput[lo:hi:hi][:n], e.lastDemand[lo:hi:hi][:n]
	k1 := out0
	for j, end := range outEnd {
		k0 := k1
		k1 = end
		if !alive[j] {
			demand[j] = 0
			continue
		}
		d := addOver(fdNow[j], order, outEdge[k0:k1])
		dem[j] = d
		demand[j] = d
		if d < 0.9*baseOutput[j] {
			lastDemand[j] = now
		}
	}
}

// capacityNow returns the capacity of the firms lo to hi at step t, zero
// while locked down: the firms' own when no shock changes it, or else
// scratch, set.
func (e *engine) capacityNow(lo, hi, t int, scratch []float64) []float64 {
	if e.capacityLeft == nil && len(e.lockdowns) == 0 {
		return e.capacity[lo:hi:hi]
	}
	now := int32(t)
	capacity, alive := scratch, e.alive[lo:hi:hi]
	copy(capacity, e.capacity[lo:hi:hi])
	if e.capacityLeft != nil {
		for j, left := range e.capacityLeft[lo:hi:hi] {
			capacity[j] *= left
		}
	}
	for jl, k := range e.lockdowns {
		share := e.lockdownShare[jl]
		if share <= 0 {
			continue
		}
		draw, targets, last := e.lockdownDraw[jl][lo:hi:hi], e.shocks[k].targets, e.lastLockdown[lo:hi:hi]
		for j := range hi - lo {
			if alive[j] && draw[j] < share && (targets == nil || targets[lo+j]) {
				capacity[j] = 0
				last[j] = now
			}
		}
	}
	return capacity
}

// outputFor sets the output of the firms lo to hi from their demand dem
// and capacity, the input limit (what the scarcest input allows) and the
// share of orders filled.
func (e *engine) outputFor(lo, hi int, dem, limit, capacity []float64) {
	net := e.net
	slotEnd, slot0 := net.SlotStart[lo+1:hi+1:hi+1], net.SlotStart[lo]
	n := len(slotEnd)
	alive, output, fdNow := e.alive[lo:hi:hi][:n], e.output[lo:hi:hi][:n], e.fdNow[lo:hi:hi][:n]
	importInv, role, importCoeff := e.importInv[lo:hi:hi][:n], net.Role[lo:hi:hi][:n], &e.importCoeff
	slotCoeff, slotInv := e.slotCoeff, e.slotInv[:len(e.slotCoeff)]
	fillRate, fdDelivered := e.fillRate[lo:hi:hi][:n], e.fdDelivered[lo:hi:hi][:n]
	dem, limit, capacity = dem[:n], limit[:n], capacity[:n]
	rationing := e.p.rationing
	s1 := slot0
	for j, end := range slotEnd {
		s0 := s1
		s1 = end
		if !alive[j] {
			// Failed firms produce nothing (and, with a fill rate of
			// 0, deliver nothing).
			output[j], fdDelivered[j], fillRate[j] = 0, 0, 0
			continue
		}
		l := math.Inf(1)
		if c := importCoeff[role[j]]; c > 0 {
			l = importInv[j] / c
		}
		for s := s0; s < s1; s++ {
			// A role with input_share 0 uses none of its suppliers'
			// goods: such a slot limits nothing (and 0/0 would be NaN).
			if c := slotCoeff[s]; c > 0 {
				l = min(l, slotInv[s]/c)
			}
		}
		limit[j] = l
		d := dem[j]
		x := agents.Output(capacity[j], d, l)
		output[j] = x
		if rationing != rationProportional {
			fillRate[j], fdDelivered[j] = rationFinalDemand(rationing, x, d, fdNow[j])
			continue
		}
		// Each order is filled at the share r; a firm without demand
		// had no orders and fills all of them (see deliver).
		r := agents.RationShare(x, d)
		fillRate[j] = r
		if d <= 0 {
			fillRate[j] = 1
		}
		fdDelivered[j] = fdNow[j] * r
	}
}

// useInputs takes the inputs the firms lo to hi used for their output
// from their inventories.
func (e *engine) useInputs(lo, hi int) {
	net := e.net
	slotEnd, s1 := net.SlotStart[lo+1:hi+1:hi+1], net.SlotStart[lo]
	n := len(slotEnd)
	alive, output := e.alive[lo:hi:hi][:n], e.output[lo:hi:hi][:n]
	// The slot arrays with one length and capacity: a firm's bounds
	// checked once leave its loop none to check.
	m := len(e.slotCoeff)
	slotCoeff, slotInv := e.slotCoeff[:m:m], e.slotInv[:m:m]
	for j, end := range slotEnd {
		s0 := s1
		s1 = end
		if !alive[j] {
			continue
		}
		_ = slotInv[s0:s1]
		x := output[j]
		for s := int(s0); s < int(s1); s++ {
			slotInv[s] = nonNegative(slotInv[s] - slotCoeff[s]*x)
		}
	}
}

// buyImports takes the imports the firms lo to hi used and buys what they
// ordered, as far as imports shocks allow (the share avail, or all with
// avail nil), and sets their planned output: last production, or demand
// dem smoothed.
func (e *engine) buyImports(lo, hi, t int, dem, limit, avail []float64) {
	net := e.net
	now := int32(t)
	alive := e.alive[lo:hi:hi]
	n := len(alive)
	output := e.output[lo:hi:hi][:n]
	importInv, role, importCoeff := e.importInv[lo:hi:hi][:n], net.Role[lo:hi:hi][:n], &e.importCoeff
	importOrder, importBuy, lastImports := e.importOrder[lo:hi:hi][:n], e.importBuy[lo:hi:hi][:n], e.lastImports[lo:hi:hi][:n]
	limit, dem, planned := limit[:n], dem[:n], e.planned[lo:hi:hi][:n]
	smoothed, alpha, setPlanned := e.p.smoothed, e.p.smoothAlpha, !e.p.smoothed && !e.p.plannedIsOutput
	for j, live := range alive {
		if !live {
			importBuy[j] = 0
			continue
		}
		a := 1.0
		if avail != nil {
			a = avail[j]
		}
		x, l := output[j], limit[j]
		c := importCoeff[role[j]]
		if a < 1 && l <= x*(1+1e-12) && c > 0 && importInv[j]/c <= l*(1+1e-12) {
			lastImports[j] = now
		}
		inv := nonNegative(importInv[j] - c*x)
		buy := importOrder[j] * a
		importBuy[j] = buy
		importInv[j] = inv + buy
		if smoothed {
			planned[j] += alpha * (dem[j] - planned[j])
		} else if setPlanned {
			planned[j] = x
		}
	}
}

// importsAvailable sets avail to the share of its imports each firm from
// lo on can buy this step: the product of the imports shocks'
// availability over those that target it.
func (e *engine) importsAvailable(lo int, avail []float64) {
	for j := range avail {
		a := 1.0
		for ji, k := range e.imports {
			if tg := e.shocks[k].targets; tg == nil || tg[lo+j] {
				a *= e.importAvail[ji]
			}
		}
		avail[j] = a
	}
}

// nonNegative is max(0, v), bit for bit (NaN stays NaN and −0 becomes
// +0), in a compare and a branch where the compiler's max takes about ten
// instructions to order NaN and signed zeros.
func nonNegative(v float64) float64 {
	if v <= 0 {
		return 0
	}
	return v
}

// receive takes the deliveries to the buyers lo to hi (deliver) and puts
// them into each buyer's inventory for next step.
func (e *engine) receive(lo, hi int) {
	net := e.net
	e.deliver(lo, hi)
	if e.edgeInv != nil {
		for b := lo; b < hi; b++ {
			if e.alive[b] {
				e.receiveLinkStocks(b)
			}
		}
		return
	}
	// A buyer's slots, and a slot's links, lie between consecutive starts
	// (see checkFirms).
	slotEnd, s1 := net.SlotStart[lo+1:hi+1:hi+1], net.SlotStart[lo]
	alive := e.alive[lo:hi:hi][:len(slotEnd)]
	slotEdgeStart, delivery := net.SlotEdgeStart, e.delivery
	slotInv := e.slotInv[:len(slotEdgeStart)-1]
	for b, end := range slotEnd {
		s0 := s1
		s1 = end
		if !alive[b] {
			continue
		}
		for s := s0; s < s1; s++ {
			got := 0.0
			for _, d := range delivery[slotEdgeStart[s]:slotEdgeStart[s+1]] {
				got += d
			}
			slotInv[s] += got
		}
	}
}

// deliver sets the delivery on each in-link of the buyers lo to hi: its
// order times the share of orders its supplier filled, which is the
// supplier's fill rate. (A supplier without demand has a fill rate of 1
// where its share is 0, but it had no orders: the product is 0 either
// way; a failed one has a fill rate of 0 and was ordered nothing.)
//
// The buyer gathers its suppliers' fill rates, where produce would
// scatter deliveries over its out-links: for a link to another chain, one
// side or the other reaches into memory that misses every cache, and a
// tight loop of loads keeps more of those misses in flight than stores
// among produce's work do.
//
// It keeps each fill rate in linkFill, for the next step's orders: no
// fill rate changes before the next produce, and where a link changes
// supplier in between (partner search, entry) setSupplier keeps linkFill
// its new supplier's.
func (e *engine) deliver(lo, hi int) {
	net := e.net
	k0, k1 := net.InStart[lo], net.InStart[hi]
	sup, order, delivery, fill := net.Supplier[k0:k1], e.order[k0:k1], e.delivery[k0:k1], e.linkFill[k0:k1]
	order, delivery, fill = order[:len(sup)], delivery[:len(sup)], fill[:len(sup)]
	fillRate := e.fillRate
	for k, sk := range sup {
		f := fillRate[sk]
		fill[k] = f
		delivery[k] = order[k] * f
	}
}

// receiveLinkStocks puts the inputs delivered to buyer b into its stocks
// per link (production.inventories = "link"), and each slot's stock is
// the sum of its links'.
func (e *engine) receiveLinkStocks(b int) {
	net := e.net
	for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
		sum := 0.0
		for k := net.SlotEdgeStart[s]; k < net.SlotEdgeStart[s+1]; k++ {
			e.edgeInv[k] += e.delivery[k]
			sum += e.edgeInv[k]
		}
		e.slotInv[s] = sum
	}
}

// useLinkStocks takes firm b's use of inputs for output x from its stocks
// per link (production.inventories = "link"): a slot's use, its
// coefficient times x, comes out of its links in proportion to what each
// holds, as in Inoue and Todo's simulator, and the slot's stock is the sum
// left.
func (e *engine) useLinkStocks(b int, x float64) {
	net := e.net
	for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
		held := e.slotInv[s]
		if held <= 0 {
			continue
		}
		r := e.slotCoeff[s] * x / held
		sum := 0.0
		for k := net.SlotEdgeStart[s]; k < net.SlotEdgeStart[s+1]; k++ {
			v := max(0, e.edgeInv[k]-e.edgeInv[k]*r)
			e.edgeInv[k] = v
			sum += v
		}
		e.slotInv[s] = sum
	}
}

// rationRule is production.rationing: how a firm short of output shares
// it between the orders of firms and final demand.
type rationRule uint8

const (
	rationProportional     rationRule = iota // the same share for every order and final demand
	rationFinalDemandLast                    // firms' orders first (Inoue and Todo's -R 1)
	rationFinalDemandFirst                   // final demand first
)

var rationRules = map[string]rationRule{
	"proportional": rationProportional, "final-demand-last": rationFinalDemandLast, "final-demand-first": rationFinalDemandFirst,
}

// rationFinalDemand shares output x between final demand fd and the
// orders of firms, d − fd, when one of them is served first: it returns
// the share of firms' orders filled (1 when they ordered nothing) and the
// final demand served.
func rationFinalDemand(rule rationRule, x, d, fd float64) (orderShare, fdServed float64) {
	orders := d - fd
	if rule == rationFinalDemandLast {
		served := min(x, orders)
		if orders <= 0 {
			return 1, min(fd, x)
		}
		return served / orders, min(fd, max(0, x-served))
	}
	fdServed = min(fd, x)
	if orders <= 0 {
		return 1, fdServed
	}
	return min(1, max(0, x-fdServed)/orders), fdServed
}
