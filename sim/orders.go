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
		if e.edgeInv != nil {
			e.linkOrders(b, plan)
			continue
		}
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
		e.importOrder[b] = agents.InputOrder(e.importCoeff[net.Role[b]], plan, e.importInv[b], p.invTarget, p.tau)
	}
}

// linkOrders orders for buyer b with a stock per link
// (production.inventories = "link"): each supplier is ordered what
// planned output needs of its input plus a share of the gap of that
// link's own stock, as in Inoue and Todo's simulator. Orders do not move
// between suppliers; a failed supplier gets none.
func (e *engine) linkOrders(b int, plan float64) {
	net, p := e.net, &e.p
	for k := net.InStart[b]; k < net.InStart[b+1]; k++ {
		e.order[k] = 0
		if e.alive[net.Supplier[k]] {
			e.order[k] = agents.InputOrder(e.edgeCoeff[k], plan, e.edgeInv[k], p.invTarget, p.tau)
		}
	}
	e.importOrder[b] = agents.InputOrder(e.importCoeff[net.Role[b]], plan, e.importInv[b], p.invTarget, p.tau)
}
