// Cache warming: tight loops that load, ahead of a pass, the values it
// gathers from other firms' or links' arrays.

package sim

// A pass that gathers a value per link — the order or the payment on each
// out-link, the fill rate of each in-link's supplier — reads arrays indexed
// by other firms, and where a link crosses to another chunk (core-satellite's
// shared suppliers: 14% of the benchmark's links) the read misses every
// cache. In the pass, each miss is surrounded by a firm's or a link's worth
// of other work, so the processor holds only a few misses in flight at a
// time and waits on one after another. A loop that does nothing but the
// same loads keeps many in flight; run over the chunk just before the pass,
// it leaves the pass its values in cache. Over the links across chunks
// alone (initCrossLinks), listed once when the engine is built, it does one
// load per miss: at 10⁶ firms that took about a fifth off collection and a
// twentieth off receipt (docs/performance.md, "Session 8"). Produce also
// loads every eighth order on its own firms' in-links, in sequence, which
// the prefetcher follows where its gather jumps back and forth within a
// chain. (Orders reads its suppliers' alive flags only behind a fill rate
// of 0, and needs no warming: see dropFill.)
//
// The warming loops only read, so results are unchanged, bit for bit.
// Each returns the sum of what it loaded, which the caller stores in
// chunkWork.warm (never read) so that the compiler keeps the loads.

// initCrossLinks lists, for each chunk, the links whose buyer and
// supplier are in different chunks, the only links whose gathered values
// are not the chunk's own: the suppliers of its in-links from other chunks
// (in link order) and its out-links to other chunks (in out-link order),
// in chunkWork's crossSuppliers and crossOutLinks. With partner search,
// which changes links during a run, it lists none, and produce warms every
// out-link instead (warmOrders).
func (e *engine) initCrossLinks() {
	if e.partnerSearchOn() || len(e.chunks) < 2 {
		return
	}
	net := e.net
	size := int32(e.chunks[0].hi - e.chunks[0].lo)
	across := 0 // each link across chunks is an in-link of one and an out-link of another
	for k, s := range net.Supplier {
		if s/size != net.Buyer[k]/size {
			across++
		}
	}
	suppliers, outLinks := make([]int32, 0, across), make([]int32, 0, across)
	for c := range e.chunks {
		w := &e.chunks[c]
		own := int32(c)
		in0, out0 := len(suppliers), len(outLinks)
		for _, s := range net.Supplier[net.InStart[w.lo]:net.InStart[w.hi]] {
			if s/size != own {
				suppliers = append(suppliers, s)
			}
		}
		for _, k := range net.OutEdge[net.OutStart[w.lo]:net.OutStart[w.hi]] {
			if net.Buyer[k]/size != own {
				outLinks = append(outLinks, k)
			}
		}
		w.crossSuppliers = suppliers[in0:len(suppliers):len(suppliers)]
		w.crossOutLinks = outLinks[out0:len(outLinks):len(outLinks)]
	}
	e.crossListed = true
}

// warmOrders loads the orders produce gathers over chunk c's out-links:
// every eighth order on the chunk's in-links (in sequence; the out-links
// within the chunk point there) and the orders on its out-links to other
// chunks. Without a list of those (partner search), it loads every
// out-link's order.
func (e *engine) warmOrders(c *chunkWork) float64 {
	if !e.crossListed {
		return e.warmOutLinks(e.order, c.lo, c.hi)
	}
	net := e.net
	order := e.order
	s := 0.0
	own := order[net.InStart[c.lo]:net.InStart[c.hi]]
	for k := 0; k < len(own); k += 8 {
		s += own[k]
	}
	for _, k := range c.crossOutLinks {
		s += order[k]
	}
	c.bytes += 4 * int64(len(c.crossOutLinks))
	return s
}

// warmSupplierFills loads the fill rates receive's deliver gathers from
// the suppliers of chunk c's in-links in other chunks.
func (e *engine) warmSupplierFills(c *chunkWork) float64 {
	fillRate := e.fillRate
	s := 0.0
	for _, f := range c.crossSuppliers {
		s += fillRate[f]
	}
	c.bytes += 4 * int64(len(c.crossSuppliers))
	return s
}

// warmPayments loads the payments and payables the first round's
// collection gathers on chunk c's out-links to other chunks.
func (e *engine) warmPayments(c *chunkWork) float64 {
	paid, payable := e.paidRound, e.payable
	payable = payable[:len(paid)]
	s := 0.0
	for _, k := range c.crossOutLinks {
		s += paid[k] + payable[k]
	}
	c.bytes += 4 * int64(len(c.crossOutLinks))
	return s
}

// warmOutLinks loads v at every out-link of the firms lo to hi, which a
// pass over suppliers gathers: the orders on their out-links in produce,
// the receivables in the balance-sheet check (checkFirms).
func (e *engine) warmOutLinks(v []float64, lo, hi int) float64 {
	net := e.net
	s := 0.0
	for _, k := range net.OutEdge[net.OutStart[lo]:net.OutStart[hi]] {
		s += v[k]
	}
	return s
}
