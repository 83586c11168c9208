// Phase 3, orders: what each buyer orders of each input and from which
// suppliers (substitution within a sector follows fill rates).

package sim

import (
	"github.com/smesim/smesim/agents"
)

// orders is phase 3: each buyer orders, per input sector, what planned
// output needs plus a share of its inventory gap, split over the sector's
// active suppliers in proportion to weight × the share of orders each
// filled last step, so that orders move within the sector to suppliers that
// can deliver (substitution within a sector; a locked-down supplier gets
// none). A failed supplier's weight stays in the split until the rewiring
// delay has passed, so its share of orders is lost until the buyer has
// rewired. If no active supplier filled anything, orders follow the weights.
// A supplier's fill rate is read from the link (linkFill, see deliver),
// and a supplier is known to be alive by a fill rate above 0 there: a
// failed supplier's links hold 0 from the step it fails (dropFill).
func (e *engine) orders(lo, hi, t int) {
	if e.edgeInv != nil {
		e.linkOrders(lo, hi)
		return
	}
	net, p := e.net, &e.p
	invTarget, tau := p.invTarget, p.tau
	// A buyer's in-links and slots, and a slot's links, are subslices
	// between consecutive starts (see checkFirms).
	inEnd, in0 := net.InStart[lo+1:hi+1:hi+1], net.InStart[lo]
	slotEnd, slot0 := net.SlotStart[lo+1:hi+1:hi+1], net.SlotStart[lo]
	n := len(inEnd)
	buyerAlive, planned, capacity := e.alive[lo:hi:hi][:n], e.planned[lo:hi:hi][:n], e.capacity[lo:hi:hi][:n]
	importOrder, importInv, role := e.importOrder[lo:hi:hi][:n], e.importInv[lo:hi:hi][:n], net.Role[lo:hi:hi][:n]
	importCoeff := &e.importCoeff
	slotEnd = slotEnd[:n]
	slotEdgeStart, slotCoeff, slotInv := net.SlotEdgeStart, e.slotCoeff, e.slotInv
	// The link arrays with one length and capacity, so that a slot's
	// bounds checked once leave its loops none to check.
	m := len(net.Weight)
	weight, order, linkFill := net.Weight[:m:m], e.order[:m:m], e.linkFill[:m:m]
	k1, s1 := in0, slot0
	for b, end := range inEnd {
		k0, s0 := k1, s1
		k1, s1 = end, slotEnd[b]
		if !buyerAlive[b] {
			// A loop, not clear: its call would make this loop keep
			// its values on the stack.
			_ = order[k0:k1]
			for k := int(k0); k < int(k1); k++ {
				order[k] = 0
			}
			importOrder[b] = 0
			continue
		}
		plan := planToProduce(planned[b], capacity[b])
		e1 := slotEdgeStart[s0]
		for s := s0; s < s1; s++ {
			need := agents.InputOrder(slotCoeff[s], plan, slotInv[s], invTarget, tau)
			e0 := e1
			e1 = slotEdgeStart[s+1]
			_ = linkFill[e0:e1] // bounds once: the loops below check none
			// order holds, until the split below, each live supplier's
			// weight × fill rate and failedSupplier for a failed one, so
			// that the split reads no supplier's values again. A failed
			// supplier's links read a fill rate of 0 (dropFill): only
			// they need the supplier's alive flag, a read into another
			// firm's memory. The loop over all links takes weight × fill
			// rate and the product of the fill rates, which is above 0
			// only if none is 0 (or NaN); otherwise markFailed marks
			// the failed suppliers. Their terms in filled are
			// weight × 0 = ±0, which leave the sum the same bits (it
			// starts at +0 and is never −0).
			filled, prod := 0.0, 1.0
			for k := int(e0); k < int(e1); k++ {
				r := linkFill[k]
				f := weight[k] * r // its fill rate (deliver)
				filled += f
				order[k] = f
				prod *= r
			}
			failed, pending := false, 0.0
			if !(prod > 0) {
				failed, pending = e.markFailed(int(e0), int(e1), t)
			}
			if filled > 0 {
				// The share first: with fill rates near the smallest
				// floats, need / filled would overflow.
				den := filled + pending
				if !failed {
					for k := int(e0); k < int(e1); k++ {
						order[k] = orderShare(need, order[k], den)
					}
					continue
				}
				ord := order[e0:e1]
				for k, f := range ord {
					ord[k] = 0
					if f != failedSupplier {
						ord[k] = orderShare(need, f, den)
					}
				}
				continue
			}
			w, ord := weight[e0:e1], order[e0:e1]
			alive := 0.0
			for k, f := range ord {
				if f != failedSupplier {
					alive += w[k]
				}
			}
			den := alive + pending
			for k, f := range ord {
				ord[k] = 0
				if f != failedSupplier {
					ord[k] = orderShare(need, w[k], den)
				}
			}
		}
		importOrder[b] = agents.InputOrder(importCoeff[role[b]], plan, importInv[b], invTarget, tau)
	}
}

// markFailed marks the links e0 to e1 of a slot whose supplier failed
// with failedSupplier in their orders, for orders' split, and returns
// whether any did and the weight of those whose rewiring delay has not
// passed. Only a link with a fill rate of 0 can have a failed supplier
// (dropFill).
func (e *engine) markFailed(e0, e1, t int) (failed bool, pending float64) {
	sup, w, ord, fill := e.net.Supplier[e0:e1], e.net.Weight[e0:e1], e.order[e0:e1], e.linkFill[e0:e1]
	w, ord, fill = w[:len(sup)], ord[:len(sup)], fill[:len(sup)]
	for k, sk := range sup {
		if fill[k] == 0 && !e.alive[sk] {
			ord[k], failed = failedSupplier, true
			if t-int(e.failStep[sk]) < e.p.rewiringDelay {
				pending += w[k]
			}
		}
	}
	return failed, pending
}

// orderShare is the order on a link that takes share part / whole of
// the slot's need.
func orderShare(need, part, whole float64) float64 {
	return need * (part / whole)
}

// failedSupplier marks a failed supplier's link in orders' split: a live
// one holds weight × fill rate there, which is never negative (weights
// are positive and fill rates in [0, 1]) or NaN.
const failedSupplier = -1.0

// linkOrders is orders with a stock per link
// (production.inventories = "link"), for the buyers lo to hi: each
// supplier is ordered what planned output needs of its input plus a share
// of the gap of that link's own stock, as in Inoue and Todo's simulator.
// Orders do not move between suppliers; a failed supplier gets none.
func (e *engine) linkOrders(lo, hi int) {
	net, p := e.net, &e.p
	for b := lo; b < hi; b++ {
		if !e.alive[b] {
			clear(e.order[net.InStart[b]:net.InStart[b+1]])
			e.importOrder[b] = 0
			continue
		}
		plan := planToProduce(e.planned[b], e.capacity[b])
		for k := net.InStart[b]; k < net.InStart[b+1]; k++ {
			e.order[k] = 0
			if e.alive[net.Supplier[k]] {
				e.order[k] = agents.InputOrder(e.edgeCoeff[k], plan, e.edgeInv[k], p.invTarget, p.tau)
			}
		}
		e.importOrder[b] = agents.InputOrder(e.importCoeff[net.Role[b]], plan, e.importInv[b], p.invTarget, p.tau)
	}
}

// planToProduce is the output a buyer orders its inputs for: its planned
// output, within its capacity.
func planToProduce(planned, capacity float64) float64 {
	return min(planned, capacity)
}

// setSupplier makes firm to the supplier on link k, with its fill rate
// (see deliver). Partner search and entrants pick only live suppliers
// (partnerSearch.pick), so the link keeps dropFill's rule.
func (e *engine) setSupplier(k int, to int32) {
	e.net.Supplier[k] = to
	e.linkFill[k] = e.fillRate[to]
}

// dropFill sets the fill rate on firm f's out-links to 0 where f stops
// being alive (it fails or exits), so that every link whose supplier is
// not alive reads 0 there (TestLinkFillIsSupplierFill): orders then needs
// a supplier's alive flag only behind a fill rate of 0. The only firms not
// alive from the start, those of the entry pool, have no buyers
// (network.Build), so no link needs it before the first step.
//
// The results are unchanged, bit for bit. Orders, which read every
// supplier's alive flag before, never read a failed supplier's fill rate.
// A live supplier's links keep its fill rate, and a link with a fill rate
// of 0 still reads the flag, so orders tells the same suppliers failed
// and weighs the others by the same values. The other readers of linkFill
// read it after receive's deliver has set it again: payTrade, which treats
// a fill rate of 0 as "maybe failed" and then reads the flag. An entrant
// gets buyers only once it is alive (setSupplier), with its fill rate.
func (e *engine) dropFill(f int) {
	net := e.net
	for _, k := range net.OutEdge[net.OutStart[f]:net.OutStart[f+1]] {
		e.linkFill[k] = 0
	}
}
