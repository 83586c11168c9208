// Cache warming: tight loops that load, ahead of a pass, the values it
// gathers from other firms' or links' arrays.

package sim

// A pass that gathers a value per link — the order or the receivable on
// each out-link — reads arrays indexed by other firms, and where a link
// crosses to another chain (core-satellite's shared suppliers) the read
// misses every cache. In the pass, each miss is surrounded by a firm's
// worth of arithmetic, so the processor holds only a few misses in flight
// at a time and waits on one after another. A loop that does nothing but
// the same loads keeps many in flight; run over the chunk just before the
// pass, it leaves the pass its values in cache. At 10⁶ firms this took
// about a quarter off the orders pass when orders gathered fill rates
// (docs/performance.md, "CPU per firm-step"), and takes about a sixth off
// produce. (Receive's deliver and the first
// round's collection, loops that do little but their gather, need no
// warming; nor does orders, which reads its suppliers' alive flags only
// behind a fill rate of 0: see dropFill.)
//
// The warming loops only read, so results are unchanged, bit for bit.
// Each returns the sum of what it loaded, which the caller stores in
// chunkWork.warm (never read) so that the compiler keeps the loads.

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
