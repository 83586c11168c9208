package sim

import (
	"runtime"
	"sync/atomic"
	"time"

	"github.com/smesim/smesim/sim/outcome"
)

// Phases split the firms into fixed chunks (see initChunks; the last one
// shorter). A chunk's work depends only on the chunk, never on the thread
// that runs it or on the other chunks of the same phase, and every sum is
// taken within chunks first and then over chunks in order: results are
// identical for any number of threads. Threads take chunks from a shared
// counter, so a slow chunk does not hold the others back.

// chunkWork is what one chunk of firms leaves for the sequential parts of a
// step. Each chunk writes only its own.
type chunkWork struct {
	lo, hi   int
	pending  []int32 // firms that still owe after a settlement round
	failing  []int32 // firms failing this step
	unclosed []int32 // firms still owing after the first settlement round (closeSettled)
	moved    float64 // paid to suppliers and their banks in this round
	row      [outcome.NumMetrics]float64
	sums     [numSums]float64
	banks    []float64 // numBankSums values per bank
	checkErr error     // the first broken balance sheet of the chunk
	bytes    int64     // bytes touched by the sparse settlement rounds, phaseTotalsAgain and the warming lists (warm.go)
	again    bool      // its sums are to be taken again (retotal)
	warm     float64   // the sum of the values a warming loop loaded (warm.go); never read
	// The links across chunks (initCrossLinks; nil without a list):
	crossSuppliers []int32 // the suppliers of the chunk's in-links from other chunks
	crossOutLinks  []int32 // the chunk's out-links to other chunks
}

// Sums over firms taken in phaseTotals.
const (
	sumToExternal = iota
	sumToGov
	sumLent
	sumRepaid
	sumWrittenOff
	sumCash
	sumCashAbs
	numSums
)

// Per-bank sums: in phaseCloseAndRequest (requested, covered) and in
// phaseTotals (the rest).
const (
	bankRequested = iota
	bankCovered
	bankCapitalIn
	bankReservesIn
	bankLoansIn
	bankDeposits
	bankLoans
	numLegacyBankSums
	numBankSums = numLegacyBankSums + 4 // and the banking system's (banks.go)
)

// workers runs the phases of one engine on its threads: the calling
// goroutine and threads − 1 helpers (a crew).
type workers struct {
	threads int
	crew    *crew        // nil with one thread
	next    atomic.Int64 // next chunk to take
	t       int          // the step being taken
	passes  [numPhases]int64
	elapsed [numPhases]time.Duration // wall time spent in each phase
	// clock, if set, replaces the wall clock for elapsed: the benchmarks
	// of one thread read the thread's CPU time, which other jobs on a
	// shared machine disturb less (phase_cpu_linux_test.go).
	clock   func() time.Duration
	scratch [][]float64 // per thread: numScratch arrays of chunk values
}

// crew is the helpers of one engine. A phase is published by advancing
// gen; helpers spin a little while waiting for the next one, because a
// step's phases follow each other within microseconds and waking a parked
// thread costs about as much as a phase of a small network, then park
// until woken through wake.
type crew struct {
	gen     atomic.Uint64 // advanced for each phase
	ph      phase         // the phase of generation gen (written before gen advances)
	pending atomic.Int32  // helpers still working on the phase
	stop    atomic.Bool
	parked  []atomic.Bool   // per helper: waiting on wake
	wake    []chan struct{} // per helper, buffered 1
}

// spinLimit is how many times a thread polls before it parks (tens of
// microseconds).
const spinLimit = 1 << 14

// numScratch is the number of per-chunk temporary arrays a thread has: the
// passes are split into loops over a chunk that each touch few arrays
// (the memory system streams a handful of arrays at full speed, and
// slows down several times with thirty), and pass values between them in
// these, which stay in cache.
const numScratch = 4

// scratch returns temporary array k of thread w, of the chunk's length.
func (e *engine) scratch(w, k, n int) []float64 {
	return e.workers.scratch[w][k*chunk : k*chunk+n : k*chunk+n]
}

// setThreads sets the number of threads that step the engine's phases and
// starts the helpers; close stops them.
func (e *engine) setThreads(n int) {
	e.stopThreads()
	w := &e.workers
	w.threads = max(1, min(n, len(e.chunks)))
	for len(w.scratch) < w.threads {
		w.scratch = append(w.scratch, make([]float64, numScratch*chunk))
	}
	if w.threads == 1 {
		return
	}
	c := &crew{parked: make([]atomic.Bool, w.threads-1), wake: make([]chan struct{}, w.threads-1)}
	w.crew = c
	for i := range c.wake {
		c.wake[i] = make(chan struct{}, 1)
		go e.help(c, i)
	}
}

// help is helper i of crew c: it runs each phase the crew publishes until
// the crew stops.
func (e *engine) help(c *crew, i int) {
	seen := uint64(0)
	for {
		g := c.gen.Load()
		for spins := 0; g == seen; spins++ {
			if c.stop.Load() {
				return
			}
			if spins < spinLimit {
				if spins&63 == 63 {
					runtime.Gosched()
				}
				g = c.gen.Load()
				continue
			}
			// Park. The publisher advances gen before it looks at parked,
			// and this helper sets parked before it looks at gen again, so
			// one of the two sees the other: no wake-up is lost. A token
			// left from an earlier wake-up only costs one more loop.
			c.parked[i].Store(true)
			if g = c.gen.Load(); g == seen && !c.stop.Load() {
				<-c.wake[i]
			}
			c.parked[i].Store(false)
			g, spins = c.gen.Load(), 0
		}
		seen = g
		e.work(c.ph, i+1)
		c.pending.Add(-1)
	}
}

// close stops the engine's helper threads and frees its arrays: the
// engine may not be used afterwards. The network it built is copied back
// to the Go heap after the engine's arrays are freed, so the copy adds
// nothing to the peak.
func (e *engine) close() {
	e.stopThreads()
	e.arena.free()
	e.coldNetwork()
}

// stopThreads stops the engine's helper threads.
func (e *engine) stopThreads() {
	if c := e.workers.crew; c != nil {
		c.stop.Store(true)
		for i := range c.wake {
			select {
			case c.wake[i] <- struct{}{}:
			default:
			}
		}
	}
	e.workers.crew = nil
	e.workers.threads = 1
}

// initChunks splits the firms into chunks: of chunk firms, or of
// smallChunk in networks under 16 chunks, so that two or more threads
// share even a small network evenly. The size depends on the network
// alone, never on the threads.
func (e *engine) initChunks() {
	n := e.net.N()
	nb := len(e.banks)
	size := chunk
	if n < 16*chunk {
		size = smallChunk
	}
	for lo := 0; ; lo += size {
		hi := min(lo+size, n)
		e.chunks = append(e.chunks, chunkWork{
			lo: lo, hi: hi,
			pending: make([]int32, 0, hi-lo), unclosed: make([]int32, 0, hi-lo),
			banks: make([]float64, nb*numBankSums),
		})
		if hi == n {
			break
		}
	}
	e.workers.threads = 1
	e.workers.scratch = [][]float64{make([]float64, numScratch*chunk)}
}

// parallel runs phase ph over every chunk at step t and returns when all
// are done.
func (e *engine) parallel(ph phase, t int) {
	w := &e.workers
	w.t = t
	w.passes[ph]++
	start, cpu := time.Now(), time.Duration(0)
	if w.clock != nil {
		cpu = w.clock()
	}
	w.next.Store(0)
	if c := w.crew; c == nil {
		e.work(ph, 0)
	} else {
		c.ph = ph
		c.pending.Store(int32(len(c.wake)))
		c.gen.Add(1)
		for i := range c.parked {
			if c.parked[i].Load() {
				select {
				case c.wake[i] <- struct{}{}:
				default:
				}
			}
		}
		e.work(ph, 0)
		for spins := 0; c.pending.Load() != 0; spins++ {
			if spins&63 == 63 {
				runtime.Gosched()
			}
		}
	}
	if w.clock != nil {
		w.elapsed[ph] += w.clock() - cpu
	} else {
		w.elapsed[ph] += time.Since(start)
	}
}

// work takes chunks of phase ph until none is left, as thread wid.
func (e *engine) work(ph phase, wid int) {
	w := &e.workers
	for {
		c := int(w.next.Add(1) - 1)
		if c >= len(e.chunks) {
			return
		}
		e.runChunk(ph, &e.chunks[c], w.t, wid)
	}
}

// passBytes is the model's own count of the bytes one pass of each phase
// reads and writes per firm, per slot and per edge: each array the pass
// touches counts its element size once if read or written, twice if both.
// The sparse settlement rounds count what they touch as they go, and so
// do the warming loops their lists of links across chunks (warm.go; the
// values they load are the pass's own, counted here). Orders
// and production read a firm's role byte for its import coefficient
// (engine.importCoeff); accrual, dividends and the sums its kind byte for
// the parameters of its kind (engine.kinds), with which they compute its
// wage bill, jobs and fixed assets from its baseline output. Orders
// writes each link's weight × fill rate to order and reads it back for
// the split while the slot's few links are still in cache: order counts
// as written only; it reads each supplier's fill rate from the link
// (linkFill) in place of gathering it, and the link's supplier and its
// alive flag only in a slot with a fill rate of 0 (dropFill, markFailed),
// which is rare. Deliveries are taken by the buyers (receive's deliver),
// whose sums per slot read them back in cache.
var passBytes = [numPhases]struct{ firm, slot, edge int64 }{
	phaseOrders:          {firm: 66, slot: 20, edge: 28 - 4}, // - 4: the supplier (Supplier) read only by markFailed
	phaseProduce:         {firm: 114, slot: 24, edge: 12},    // demand not written (engine.demand); deliveries are receive's
	phaseReceive:         {firm: 5, slot: 20, edge: 36},      // deliver: supplier, order, its fill rate; delivery and linkFill written; no flows cleared (resetFlows)
	phasePayFirst:        {firm: 213, edge: 45},
	phaseCollectAll:      {firm: collectFirmBytes, edge: collectEdgeBytes}, // with the receivables the check reads
	phasePayPending:      {},
	phaseCollectPaid:     {},                   // counted as it goes, with the words of flags scanned
	phaseCloseAndRequest: {firm: 198, edge: 8}, // the score reads baseOutput, which was baseRevenue
	phaseGrant:           {firm: 85},
	phaseOwedAndFailing:  {firm: 130},
	// The sums read the bank of each firm only with several banks (with
	// one, its sums are the chunk's: stepSums).
	// The check reads each firm's receivables as collection stored them
	// (8 bytes) in place of gathering payables over the out-links
	// (OutEdge, 4 bytes; payable, which it reads on the in-links too,
	// counts once): firms whose sums went stale are not counted.
	phaseTotals: {firm: 209 + 8, slot: 8, edge: 12 - 4},
	// The fused passes count the arrays their parts share once.
	// phaseReceive and accrual: accrual reads the kind of each firm
	// (engine.kinds) in place of its wage, wage flexibility, tax rate and
	// payment term.
	phaseReceiveAccrue: {firm: 274 - 16, slot: 20, edge: 37 + 24}, // + 24: receive's deliver, but for the supplier, which accrual reads too; - 16: writtenOff and badDebt not cleared (clearLosses)
	// phaseReceiveAccrue and phasePayFirst: the payment round reads again,
	// and writes, cash, what is owed and due and the step's flows, which
	// the chunk's accrual has just touched; what it adds is the read of
	// the amounts the accrual only wrote (due and what is owed to banks,
	// the flows it cleared), paidRound, and the fill rate deliver only
	// wrote (linkFill), which tells failed suppliers in place of their
	// alive flags (see payTrade; those are gathered only behind a fill
	// rate of 0, rare, and no longer warmed).
	// Less 24 where the step's flows are assigned by their first writers
	// (flowsAssigned, every step without interventions): toGov, repaidAll
	// and lent written only, where they were cleared, then read and
	// written; toExternal and reserveIn are still read by the payment
	// round, toBank by the close.
	phaseReceiveAccruePay: {firm: 274 - 16 + 64 + 17 - 24, slot: 20, edge: 37 + 24 + 24},
	// phaseCloseAndRequest without closing settlement for every firm
	// (closeFirmBytes, counted for the firms still owing after the first
	// round as closeUnclosed goes, and for the others in
	// phaseReceiveAccruePay: lent and unpaidDebt written, shortfall).
	phaseCloseRestAndRequest: {firm: 198 - 81, edge: 8},
	// phaseGrant and phaseOwedAndFailing share alive and cash (17 bytes).
	phaseGrantOwedFailing: {firm: 85 + 130 - 17},
	// phaseGrantOwedFailing and phaseTotals: the sums read again alive,
	// kind, baseOutput, cash, loan, what is owed to others than banks,
	// equity and the flows finance wrote (toExternal, reserveIn, lent): 74
	// bytes the chunk's finance has just touched. (toGov and repaidAll,
	// which only a firm still owing after credit writes, are not in
	// finance's count.)
	phaseGrantOwedFailingTotals: {firm: 85 + 130 - 17 + 209 + 8 - 74, slot: 8, edge: 12 - 4},
	phaseTotalsAgain:            {}, // counted as it goes (stepSumsBytes)
}

// stepSumsBytes is what stepSums touches: phaseTotals but the revenue
// history's revenueEMA and revPostSum, read and written.
var stepSumsBytes = struct{ firm, slot, edge int64 }{firm: 209 + 8 - 32, slot: 8, edge: 12 - 4}

// chunkBytes is the bytes a pass touching b per firm, slot and edge
// touches in chunk c.
func (e *engine) chunkBytes(c *chunkWork, b struct{ firm, slot, edge int64 }) int64 {
	net := e.net
	return int64(c.hi-c.lo)*b.firm + int64(net.SlotStart[c.hi]-net.SlotStart[c.lo])*b.slot +
		int64(net.InStart[c.hi]-net.InStart[c.lo])*b.edge
}

// bytesPerStep is the model's own count of the bytes one step reads and
// writes in the per-firm, per-slot and per-edge arrays, on average over
// the steps taken so far.
func (e *engine) bytesPerStep() int64 {
	steps := e.workers.passes[phaseOrders]
	if steps == 0 {
		return 0
	}
	n, s, m := int64(e.net.N()), int64(e.net.Slots()), int64(e.net.E())
	total := int64(0)
	for ph, b := range passBytes {
		total += e.workers.passes[ph] * (n*b.firm + s*b.slot + m*b.edge)
	}
	for c := range e.chunks {
		total += e.chunks[c].bytes
	}
	return total / steps
}
