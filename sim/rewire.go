package sim

import (
	"math"
	"slices"
)

// Partner search (production.partner_search): once the rewiring delay has
// passed since a supplier failed, each of its links to a surviving buyer
// is taken over by a surviving firm of the same sector, drawn with
// probability proportional to its idle capacity (capacity less the demand
// it received this step). Buyers thus find a new supplier for every one
// they lost, and firms that lost customers — which have idle capacity —
// are the likeliest to be found: lost links are re-formed on both sides.
//
// In the compressed arrays this re-points the failed supplier's edges
// (the buyer's slot, weight and contagion materiality stay) and rebuilds
// the out-adjacency. The engine works on its own copy of the supplier and
// out-edge arrays, so the network it was given is never changed.
//
// Before switching, a buyer settles in cash what it still owes the failed
// supplier's liquidator on that link (and the bank, for receivables the
// supplier had sold), so that no claim changes hands with the link; a
// buyer that cannot pay it all yet keeps the dead link and tries again at
// the next step. A sector with no idle capacity left gives no new partner
// that step.
//
// The search runs once per step, after the failure phase, sequentially
// over the failed firms in the order they failed (and by index within a
// step), so its outcome does not depend on how the phases are split over
// threads. Draws are counter-based, keyed by (seed, replication, step,
// edge), and shared by every arm of a replication. Its cost per step is
// O(firms + edges) at most (prefix sums of the sectors searched, and a
// rebuild of the out-adjacency when a link moved), with no allocation
// after the first steps.
type partnerSearch struct {
	key      uint64
	secStart []int32   // firms of sector s are secFirms[secStart[s]:secStart[s+1]], by index
	secFirms []int32   //
	cum      []float64 // per position in secFirms: prefix sum of idle capacity, for the current step
	cumStep  []int32   // per sector: step at which cum was last computed
	pending  []int32   // failed firms some of whose links to surviving buyers are not re-formed yet
	relink   bool      // production.partner_search: failed suppliers' links are re-formed (else the search only serves entrants)
	count    []int32   // scratch, len N+1, for rebuilding the out-adjacency
}

// partnerSearchOn reports whether the scenario searches for partners:
// with production.partner_search, or for the entrants of an entry pool.
func (e *engine) partnerSearchOn() bool {
	return (e.cfg.Production.PartnerSearch || e.net.Dormant != nil) && e.p.finance
}

// initPartnerSearch sets up partner search when the scenario asks for it.
// It gives the engine its own copy of the network's supplier and
// out-adjacency arrays, which the search changes.
func (e *engine) initPartnerSearch() {
	if !e.partnerSearchOn() {
		return
	}
	nn := *e.net
	nn.Supplier = slices.Clone(e.net.Supplier)
	nn.OutStart = slices.Clone(e.net.OutStart)
	nn.OutEdge = slices.Clone(e.net.OutEdge)
	e.net = &nn
	net := e.net
	n := net.N()
	ns := len(net.SectorNames)
	for i := 0; i < n; i++ {
		ns = max(ns, int(net.Sector[i])+1)
	}
	for _, s := range net.SlotSector {
		ns = max(ns, int(s)+1)
	}
	ps := &partnerSearch{
		key:      mix(e.cfg.Seed, uint64(e.rep), streamPartnerSearch),
		secStart: make([]int32, ns+1),
		secFirms: make([]int32, n),
		cum:      make([]float64, n),
		cumStep:  make([]int32, ns),
		pending:  make([]int32, 0, n),
		count:    make([]int32, n+1),
		relink:   e.cfg.Production.PartnerSearch,
	}
	for i := 0; i < n; i++ {
		ps.secStart[net.Sector[i]+1]++
	}
	for s := 0; s < ns; s++ {
		ps.secStart[s+1] += ps.secStart[s]
		ps.cumStep[s] = -1
	}
	next := slices.Clone(ps.secStart[:ns])
	for i := 0; i < n; i++ {
		s := net.Sector[i]
		ps.secFirms[next[s]] = int32(i)
		next[s]++
	}
	e.partners = ps
}

// searchPartners is the partner-search phase of step t (after failures,
// before the step's flows are reduced): failed is the list of firms that
// failed at t, in index order.
func (e *engine) searchPartners(t int, failed []int32) {
	ps := e.partners
	if ps == nil || !ps.relink {
		return
	}
	ps.pending = append(ps.pending, failed...)
	if len(ps.pending) == 0 {
		return
	}
	net := e.net
	edgeSlot := e.edgeSlotOf
	moved := false
	keep := ps.pending[:0]
	for _, f := range ps.pending {
		if t-int(e.failStep[f]) < e.p.rewiringDelay {
			keep = append(keep, f)
			continue
		}
		waiting := false
		for j := net.OutStart[f]; j < net.OutStart[f+1]; j++ {
			k := net.OutEdge[j]
			b := net.Buyer[k]
			if !e.alive[b] {
				continue // the link died with its buyer
			}
			sec := net.SlotSector[edgeSlot(b, k)]
			to := ps.pick(e, int(sec), t, int(k))
			if to < 0 || to == b || !e.settleLink(int(k), int(f), int(b)) {
				waiting = true
				continue
			}
			e.setSupplier(int(k), to)
			e.forgetReceivables(f) // the link, its payable settled, leaves f's out-links for to's
			e.forgetReceivables(to)
			if e.crossBank != nil {
				e.crossBank[k] = e.bank[to] != e.bank[b]
			}
			e.order[k], e.delivery[k], e.due[k] = 0, 0, 0
			moved = true
		}
		if waiting {
			keep = append(keep, f)
		}
	}
	ps.pending = keep
	if moved {
		e.rebuildOutEdges()
	}
}

// edgeSlotOf returns the slot of in-edge k of buyer b (a scan of b's few
// slots).
func (e *engine) edgeSlotOf(b, k int32) int32 {
	net := e.net
	lo, hi := net.SlotStart[b], net.SlotStart[b+1]
	for s := lo; s < hi; s++ {
		if k < net.SlotEdgeStart[s+1] {
			return s
		}
	}
	return hi - 1
}

// pick draws a surviving firm of sector sec with probability proportional
// to its idle capacity at step t, from the counter-based draw of edge k;
// -1 if the sector has no idle capacity.
func (ps *partnerSearch) pick(e *engine, sec, t, k int) int32 {
	lo, hi := int(ps.secStart[sec]), int(ps.secStart[sec+1])
	if lo == hi {
		return -1
	}
	cum := ps.cum[lo:hi]
	if ps.cumStep[sec] != int32(t) {
		ps.cumStep[sec] = int32(t)
		total := 0.0
		for j, i := range ps.secFirms[lo:hi] {
			if e.alive[i] {
				total += math.Max(0, e.capacity[i]-e.demand[i])
			}
			cum[j] = total
		}
	}
	total := cum[len(cum)-1]
	if !(total > 0) {
		return -1
	}
	u := uniformAt(ps.key, t, k) * total
	j, _ := slices.BinarySearch(cum, u)
	// The first firm whose prefix sum reaches u: cum[j-1] < u <= cum[j],
	// so its idle capacity is positive.
	j = min(j, len(cum)-1)
	return ps.secFirms[lo+j]
}

// settleLink pays off, from buyer b's cash, what b still owes on link k to
// failed supplier f: to f's liquidator (the external sector) and, for the
// part f had sold under supply chain finance, to f's bank. It returns
// false, paying nothing, if b's cash does not cover it.
func (e *engine) settleLink(k, f, b int) bool {
	owed := e.payable[k]
	if owed <= 0 {
		return true
	}
	if e.cash[b] < owed {
		return false
	}
	e.cash[b] -= owed
	e.payable[k] = 0
	toBank := 0.0
	if fac := e.iv.factored; fac != nil && fac[k] > 0 {
		toBank = math.Min(owed, fac[k])
		fac[k] = 0
		e.iv.factRepaid[f] += toBank
		if e.bank[f] != e.bank[b] {
			e.reserveIn[b] -= toBank
			e.reserveIn[f] += toBank
		}
	}
	e.toExternal[b] += owed - toBank
	e.reserveIn[b] -= owed - toBank
	return true
}

// rebuildOutEdges recomputes the out-adjacency from the suppliers of the
// edges (a counting sort; each supplier's edges stay in increasing order).
func (e *engine) rebuildOutEdges() {
	net, c := e.net, e.partners.count
	clear(c)
	for _, s := range net.Supplier {
		c[s+1]++
	}
	for i := 1; i < len(c); i++ {
		c[i] += c[i-1]
	}
	copy(net.OutStart, c)
	for k, s := range net.Supplier {
		net.OutEdge[c[s]] = int32(k)
		c[s]++
	}
}
