// Phase 5, payments: the settlement rounds in which firms pay what is due
// from the cash they hold and suppliers collect, and the close of
// settlement (unpaid interest capitalised, shortfalls noted).

package sim

import (
	"math/bits"
	"sync/atomic"

	"github.com/smesim/smesim/agents"
)

// settle is phase 5. Firms book the step's income and costs and receive
// cash from final sales; then what is due — 1/T of each trade payable,
// wages, fixed costs, imports, taxes, interest and principal — is settled in
// rounds: each firm pays from the cash it holds, all of it or pro rata when
// short, and its suppliers collect; the rounds repeat while money still
// moves, so cash received from customers within the step can pay suppliers
// within the step. Every round is feasible (nobody pays cash it does not
// hold) and the sequence decreases to the clearing payments of the network.
// What is still unpaid afterwards stays owed: trade payables roll over,
// unpaid interest is capitalised and unpaid principal stays in the loan.
// Supply chain finance buys receivables between accrual and the rounds.
// (Accrual runs before settle, in step.)
//
// The first round visits every firm and every supplier; later rounds visit
// only the firms that still owe and the suppliers they paid, so that a step
// of many rounds costs little more than one of two. With paidFirst, the
// first round's payments were made in the pass that accrued them
// (phaseReceiveAccruePay) and settle starts from their sum.
//
// That fusion is exact: a firm's accrual writes only the firm's own values
// and its in-links' payables and dues, and its first payment reads only
// those, the cash it holds before anyone is paid and whether its suppliers
// are alive (their links' fill rates, which receive set, see payTrade),
// which accrual does not change. Only the term cap and supply
// chain finance act between the two (markTermCap, factorReceivables), and
// step fuses them only without those.
func (e *engine) settle(t int, paidFirst bool) {
	for round := 0; round < maxSettlementRounds; round++ {
		if round == 0 {
			if !paidFirst {
				e.parallel(phasePayFirst, t)
			}
		} else {
			e.parallel(phasePayPending, t)
		}
		moved := 0.0
		for c := range e.chunks {
			moved += e.chunks[c].moved
		}
		if moved == 0 {
			break
		}
		if round == 0 {
			e.receivablesStep = t // collectRange stores every firm's
			e.parallel(phaseCollectAll, t)
		} else {
			e.parallel(phaseCollectPaid, t)
		}
	}
}

// maxSettlementRounds bounds the payment rounds of one step. Money moves
// down a supply chain one tier per round; chains are rarely deeper than a
// few tiers, and what a round leaves unpaid simply stays owed.
const maxSettlementRounds = 16

// pay is a settlement round for chunk c: each firm with something due pays
// from the cash it holds, all of it or, when short, the same share of
// everything it owes — wages, fixed costs and imports, tax, interest and
// principal, and each trade payable — and the firms still owing afterwards
// are left in c.pending. The first round visits every firm of the chunk;
// later rounds visit only c.pending, flag the suppliers they paid for
// collect, and the firms that paid for collectPaid, and count what they
// touch in c.bytes. It returns what was paid to suppliers and to the banks
// that bought their receivables.
//
// Two interventions change a payment (partSettle), each where the formula
// takes it: a firm with a policy loan pays its interest and principal to
// the state after its bank; of a payable a bank has bought under supply
// chain finance, the bank's part goes to the bank. Without them, one nil
// slice is tested per firm and one per payable.
//
// The hottest loop of a step: over slices of the chunk, with the firm's
// sums and the end of its edges kept in locals (the end read once, not
// after every store: the compiler cannot tell an edge array from InStart).
func (e *engine) pay(c *chunkWork, first bool) float64 {
	net, s := e.net, &e.iv
	lo, hi := c.lo, c.hi
	n := hi - lo
	alive, dueTotal, cash := e.alive[lo:hi:hi], e.dueTotal[lo:hi:hi], e.cash[lo:hi:hi]
	owedExternal, owedTax, toExternal, toGov := e.owedExternal[lo:hi:hi], e.owedTax[lo:hi:hi], e.toExternal[lo:hi:hi], e.toGov[lo:hi:hi]
	reserveIn, dueInterest, toBank := e.reserveIn[lo:hi:hi], e.dueInterest[lo:hi:hi], e.toBank[lo:hi:hi]
	duePrincipal, loan, repaid, repaidAll := e.duePrincipal[lo:hi:hi], e.loan[lo:hi:hi], e.repaid[lo:hi:hi], e.repaidAll[lo:hi:hi]
	inStart := net.InStart[lo : hi+1 : hi+1]
	paidRound := e.paidRound
	policy := s.parts&partSettle != 0 && s.govLoan != nil
	// The first round is the first writer of toGov, toBank and repaidAll
	// when the step's flows are assigned (flowsAssigned): it stores 0 + v
	// for the firms that pay and 0 for the others.
	assign := first && e.flowsAssigned()
	visit := len(c.pending)
	if first {
		visit = n
	}
	if !first {
		// Words of the chunk's firms only (chunks are multiples of 64
		// firms): the flags of the round before, which its collection read.
		flags := e.paidFlag[lo/64 : (hi+63)/64]
		clear(flags)
		c.bytes += 8 * int64(len(flags))
	}
	keep := c.pending[:0] // filtered in place: later rounds read c.pending ahead of it
	moved := 0.0
	for x := 0; x < visit; x++ {
		j := x
		if !first {
			j = int(c.pending[x]) - lo
		}
		if uint(j) >= uint(n) {
			continue // never (c.pending holds the chunk's firms): lets the compiler drop bounds checks
		}
		total := dueTotal[j]
		if m := cash[j]; alive[j] && total > 0 && m > 0 {
			gov, bank, repaidBefore := 0.0, 0.0, 0.0
			if !assign {
				gov, bank, repaidBefore = toGov[j], toBank[j], repaidAll[j]
			}
			share := agents.PayShare(m, total)
			v := share * owedExternal[j]
			owedExternal[j] -= v
			toExternal[j] += v
			w := share * owedTax[j]
			owedTax[j] -= w
			toGov[j] = gov + w
			interest := share * dueInterest[j]
			dueInterest[j] -= interest
			toBank[j] = bank + interest
			principal := share * duePrincipal[j]
			duePrincipal[j] -= principal
			loan[j] -= principal
			repaid[j] += principal
			repaidAll[j] = repaidBefore + principal
			out := (v + w) + (interest + principal)
			res := reserveIn[j] - (v + w)
			if policy {
				g := e.payPolicyLoan(lo+j, share)
				out += g
				res -= g
			}
			// Almost half the firms of the benchmark's networks buy
			// no inputs from firms: for them payTrade, a call, would
			// return +0 and res.
			trade := 0.0
			if k0, k1 := inStart[j], inStart[j+1]; k0 < k1 {
				trade, res = e.payTrade(k0, k1, share, res)
			}
			moved += trade
			reserveIn[j] = res
			cash[j] = m - (out + trade)
			if share >= 1 {
				total = 0
			} else {
				total -= share * total
			}
			dueTotal[j] = total
			if !first {
				c.bytes += e.flagPaid(lo + j)
			}
			// Kept if still owing; tested in each branch, so that no
			// flag is kept across payTrade's call.
			if total > 0 {
				keep = append(keep, int32(lo+j))
			}
		} else {
			if assign {
				toGov[j], toBank[j], repaidAll[j] = 0, 0, 0
			}
			if first {
				// The round is the first writer of every link's payment:
				// collect-all reads them all, and does not clear them
				// (collectRange).
				for k := inStart[j]; k < inStart[j+1]; k++ {
					paidRound[k] = 0
				}
			}
			if alive[j] && total > 0 { // owes, but holds no cash
				keep = append(keep, int32(lo+j))
			}
		}
	}
	c.pending = keep
	return moved
}

// flagPaid flags firm i as paid in a round after the first, and its
// suppliers for collect, and returns the bytes the payment touched. A
// function of its own, so that pay's loop holds fewer arrays.
//
//go:noinline
func (e *engine) flagPaid(i int) int64 {
	e.paidFlag[i>>6] |= 1 << (i & 63)
	k0, k1 := e.net.InStart[i], e.net.InStart[i+1]
	for _, sup := range e.net.Supplier[k0:k1] {
		atomic.OrUint64(&e.collectFlag[sup>>6], 1<<(sup&63))
	}
	return payFirmBytes + int64(k1-k0)*payEdgeBytes
}

// payTrade pays share of what is due on the trade payables k0 to k1 of
// one buyer, in order, and returns the sum paid and res, the reserve flow
// of the buyer's bank, less what left it: what a failed supplier's
// liquidator or a supplier at another bank received. Under supply chain
// finance (partSettle) the part of a payment due to the bank that bought
// the receivable goes to that bank (bankPart).
//
// A failed supplier is told by the link's fill rate first: produce sets
// a failed firm's to 0, receive's deliver copied it to the link in this
// step, and no firm fails, exits or enters between produce and the
// rounds, so a link with a fill rate other than 0 has a live supplier.
// Only behind a fill rate of 0 (a failed supplier, or a live one that
// filled nothing) is the supplier's alive flag gathered, a read that
// would miss every cache on a link to another chain. The links' fill
// rates are read in sequence, and the pass needs no warming of the
// suppliers' alive flags (TestFailedSupplierFillIsZero).
//
// It is pay's inner loop, a function of its own so that its few arrays
// stay in registers: inlined in pay, whose loop over firms holds a dozen
// more, their starts and lengths were reloaded from the stack at every
// link. Under cachegrind, BenchmarkPhases -benchtime 20x executes 1,127
// million instructions in pay and payTrade against 1,227 million for the
// loop inlined (8% fewer; 10% fewer than the 1,247 million before the
// unread paid array was dropped). Supply chain finance has a loop of its
// own (payTradeFactored) for the same reason: with its branch in this
// loop, the loop's bound and flags were reloaded from the stack at every
// link.
//
//go:noinline
func (e *engine) payTrade(k0, k1 int32, share, res float64) (trade, resOut float64) {
	if e.iv.parts&partSettle != 0 && e.iv.factored != nil {
		return e.payTradeFactored(k0, k1, share, res)
	}
	// Cut to due's length, so that one bounds check per link covers all
	// four (slicing each to k0:k1 costs more than the checks it saves).
	due := e.due
	payable, paidRound, supplier := e.payable[:len(due)], e.paidRound[:len(due)], e.net.Supplier[:len(due)]
	fill, supAlive, crossBank := e.linkFill[:len(due)], e.alive, e.crossBank
	for k := int(k0); k < int(k1); k++ {
		v := payDue(due, k, share)
		trade += v
		payable[k] -= v
		paidRound[k] = v
		if leavesBank(fill, supAlive, supplier, crossBank, k) {
			res -= v
		}
	}
	return trade, res
}

// payTradeFactored is payTrade under supply chain finance: of each
// payment, the part due to the bank that bought the receivable goes to
// that bank (bankPart, which reads the payable before the payment).
func (e *engine) payTradeFactored(k0, k1 int32, share, res float64) (trade, resOut float64) {
	due := e.due
	payable, paidRound, supplier := e.payable[:len(due)], e.paidRound[:len(due)], e.net.Supplier[:len(due)]
	fill, supAlive, crossBank := e.linkFill[:len(due)], e.alive, e.crossBank
	for k := int(k0); k < int(k1); k++ {
		v := payDue(due, k, share)
		trade += v
		vb, toSupplier := e.bankPart(int32(k), v)
		if crossBank != nil && crossBank[k] {
			res -= vb
		}
		payable[k] -= v
		paidRound[k] = toSupplier
		if leavesBank(fill, supAlive, supplier, crossBank, k) {
			res -= toSupplier
		}
	}
	return trade, res
}

// payDue pays share of what is due on link k and returns the payment.
func payDue(due []float64, k int, share float64) float64 {
	d := due[k]
	v := share * d
	due[k] = d - v
	return v
}

// leavesBank reports whether a payment on link k leaves the buyer's bank:
// to a failed supplier's liquidator (told by a fill rate of 0, see
// payTrade) or to a supplier at another bank.
func leavesBank(fill []float64, supAlive []bool, supplier []int32, crossBank []bool, k int) bool {
	return fill[k] == 0 && !supAlive[supplier[k]] || crossBank != nil && crossBank[k]
}

// Bytes a payment and a collection touch per firm and per edge (see
// bytesPerStep).
const (
	payFirmBytes     = 13*16 + 4 // thirteen arrays read and written, InStart
	payEdgeBytes     = 2*16 + 20 // due, payable; paidRound, Supplier, linkFill (alive only behind a fill rate of 0)
	collectFirmBytes = 37 + 8    // receivables written
	collectEdgeBytes = 12 + 8    // OutEdge, paidRound read (not cleared: see collectRange); payable read
	// In the rounds after the first, the buyer of each link too (Buyer; its
	// flag in paidFlag, an array of bits, is not counted).
	collectPaidEdgeBytes = collectEdgeBytes + 4
)

// collect lets the suppliers among lo to hi receive what their buyers paid
// them in the round — in the first round every supplier, in later ones
// those flagged by pay. What is paid to a failed supplier goes to its
// liquidator, the external sector. Under supply chain finance, what is
// paid on a receivable the supplier sold goes first to the supplier's bank
// (collectFactored).
func (e *engine) collect(c *chunkWork, first bool, wid int) {
	if first {
		e.collectRange(c.lo, c.hi, wid)
		return
	}
	// Chunks are multiples of 64 firms, so no word holds two chunks' firms.
	net, words := e.net, e.collectFlag[c.lo/64:(c.hi+63)/64]
	for w, set := range words {
		if set == 0 {
			continue
		}
		words[w] = 0
		for ; set != 0; set &= set - 1 {
			sup := c.lo + 64*w + bits.TrailingZeros64(set)
			e.collectPaid(sup)
			c.bytes += collectFirmBytes + int64(net.OutStart[sup+1]-net.OutStart[sup])*collectPaidEdgeBytes
		}
	}
	c.bytes += 8 * int64(len(words))
}

// collectRange lets suppliers lo to hi collect, and stores their
// receivables for the balance-sheet check.
//
// The check sums each firm's receivables over its out-links, the links
// whose payments collection has just gathered: a gather across chains
// for every link to another chain. Summed here, beside the payments, the
// payables cost a read of the same links the loop already walks (though
// not the same cache lines), and the check reads one value per firm in
// sequence. Collection comes after every payment of the round (pay is
// the only writer of payables in the rounds), and the rounds after the
// first collect again for every supplier they paid (collect), so the
// sums stored after the last round are those of the payables as
// settlement leaves them; what changes a payable or a supplier's
// out-links after it marks the sum stale (forgetReceivables).
func (e *engine) collectRange(lo, hi, wid int) {
	if e.iv.factored != nil {
		e.collectFactored(lo, hi)
	}
	net := e.net
	outEnd := net.OutStart[lo+1 : hi+1 : hi+1]
	n := len(outEnd)
	// Two loops, each with few enough live values to run without spills:
	// the gather over the out-links, which keeps each supplier's takings
	// in got, then their booking.
	got, receivables := e.scratch(wid, 0, n), e.receivables[lo:hi:hi][:n]
	gatherPaid(got, receivables, outEnd, int(net.OutStart[lo]), net.OutEdge, e.paidRound, e.payable)
	// The links' payments are added without a test: a link paid nothing
	// holds ±0, and x + ±0 is x for any x ≠ 0 and +0 for x = +0, so the
	// sums are the ones a test skipping zeros gives, bit for bit, without
	// a branch on each gathered value. Cross-bank payments (several banks
	// only) are summed over the same links in the same order, for the
	// suppliers booking them.
	//
	// The payments are not cleared: the first round writes every link's,
	// 0 where the buyer pays nothing (pay), and the rounds after it read
	// only the links whose buyer paid in them (collectPaid). Clearing was
	// a store to every gathered line, which then had to be written back;
	// without it the pass takes about a tenth less CPU
	// (docs/performance.md).
	alive, cash, reserveIn, toExternal := e.alive[lo:hi:hi][:n], e.cash[lo:hi:hi][:n], e.reserveIn[lo:hi:hi][:n], e.toExternal[lo:hi:hi][:n]
	crossBank := e.crossBank
	for j, g := range got {
		if g == 0 {
			continue
		}
		if !alive[j] {
			toExternal[j] += g
			continue
		}
		cross := 0.0
		if crossBank != nil {
			i := lo + j
			for _, ed := range net.OutEdge[net.OutStart[i]:net.OutStart[i+1]] {
				if crossBank[ed] {
					cross += e.paidRound[ed]
				}
			}
		}
		cash[j] += g
		reserveIn[j] += cross
	}
}

// gatherPaid sums, for each supplier j of a chunk, the payments
// (paidRound) into got[j] and the payables into receivables[j] over its
// out-links, which run in outEdge from k, where the previous supplier's
// end, to outEnd[j]. A function of its own, not inlined: with only its
// own values live, the loop keeps them all in registers, where inlined
// in collectRange it reloaded a value live after it on every link.
//
// One index runs over the chunk's out-links (see checkFirms), and the
// payables, as long as the payments, need no bounds check of their own.
//
//go:noinline
func gatherPaid(got, receivables []float64, outEnd []int32, k int, outEdge []int32, paidRound, payable []float64) {
	payable = payable[:len(paidRound)]
	receivables = receivables[:len(got)]
	for j, end := range outEnd[:len(got)] {
		g, r := 0.0, 0.0
		for ; k < int(end); k++ {
			ed := outEdge[k]
			g += paidRound[ed]
			r += payable[ed]
		}
		got[j] = g
		receivables[j] = r // addOver(0, payable, out), which checkSheets reads in its place
	}
}

// collectPaid lets supplier i collect in a round after the first, as
// collectRange does, from the links whose buyer paid in the round
// (paidFlag): its other links hold what was paid in an earlier round.
// Skipping a link its buyer did not pay in the round skips what was a
// term of ±0 when collection cleared the payments, so the sums are the
// same bit for bit (see collectRange). The rounds after the first visit
// few firms: the buyer's flag, a gather, costs little there.
func (e *engine) collectPaid(i int) {
	if e.iv.factored != nil {
		e.collectFactored(i, i+1)
	}
	net := e.net
	out := net.OutEdge[net.OutStart[i]:net.OutStart[i+1]]
	buyer, paidFlag, paidRound, payable, crossBank := net.Buyer, e.paidFlag, e.paidRound, e.payable, e.crossBank
	got, cross, r := 0.0, 0.0, 0.0
	for _, ed := range out {
		b := buyer[ed]
		paid := paidFlag[b>>6]&(1<<(b&63)) != 0
		if paid {
			got += paidRound[ed]
			if crossBank != nil && crossBank[ed] {
				cross += paidRound[ed]
			}
		}
		r += payable[ed]
	}
	e.receivables[i] = r
	if got == 0 {
		return
	}
	if e.alive[i] {
		e.cash[i] += got
		e.reserveIn[i] += cross
	} else {
		e.toExternal[i] += got
	}
}

// closeSettled closes settlement, in the pass of the first payment round
// (phaseReceiveAccruePay), for the firms of chunk c that owe nothing after
// it, and keeps the others in c.unclosed for closeUnclosed. Exact: later
// rounds visit only the firms still owing, and nothing else before credit
// is asked reads or writes what closeFirms does for a firm.
func (e *engine) closeSettled(c *chunkWork) {
	c.unclosed = append(c.unclosed[:0], c.pending...)
	// The runs of firms between those still owing, each in one loop.
	from := c.lo
	for _, i := range c.pending {
		e.closeFirms(from, int(i))
		from = int(i) + 1
	}
	e.closeFirms(from, c.hi)
}

// closeUnclosed closes settlement for the firms of chunk c that still
// owed after the first round (closeSettled), and counts what it touches.
func (e *engine) closeUnclosed(c *chunkWork) {
	for _, i := range c.unclosed {
		e.closeFirms(int(i), int(i)+1)
	}
	c.bytes += int64(len(c.unclosed)) * closeFirmBytes
}

// closeFirmBytes is what closing one firm's settlement touches beyond the
// arrays credit demand reads anyway: dueInterest, duePrincipal and toBank
// read and written, lent (assigned, see flowsAssigned), unpaidDebt, loan
// and shortfall written.
const closeFirmBytes = 3*16 + 8 + 8 + 8 + 1

// closeFirms capitalises the unpaid interest of the live firms among lo
// to hi and records whether each could not pay wages, taxes or debt
// service in full. Over slices of the range (see accrue); the
// interventions' part first, in a loop of its own (closePolicy), so
// that this one holds few values.
func (e *engine) closeFirms(lo, hi int) {
	if lo >= hi {
		return
	}
	var govUnpaid []float64 // nil, or per firm of the range: policy-loan service unpaid
	if s := &e.iv; s.callDue != nil || s.govLoan != nil {
		e.closePolicy(lo, hi)
		if s.govLoan != nil {
			govUnpaid = s.govUnpaid[lo:hi:hi]
		}
	}
	alive := e.alive[lo:hi:hi]
	n := len(alive)
	dueInterest, duePrincipal, unpaidDebt := e.dueInterest[lo:hi:hi][:n], e.duePrincipal[lo:hi:hi][:n], e.unpaidDebt[lo:hi:hi][:n]
	loan, lent, toBank := e.loan[lo:hi:hi][:n], e.lent[lo:hi:hi][:n], e.toBank[lo:hi:hi][:n]
	owedExternal, owedTax, baseOutput, shortfall := e.owedExternal[lo:hi:hi][:n], e.owedTax[lo:hi:hi][:n], e.baseOutput[lo:hi:hi][:n], e.shortfall[lo:hi:hi][:n]
	// Closing settlement is the first writer of lent when the step's flows
	// are assigned (flowsAssigned): 0 + c for a live firm, 0 for a failed
	// one.
	assign := e.flowsAssigned()
	for j, live := range alive {
		if !live {
			if assign {
				lent[j] = 0
			}
			continue
		}
		c := dueInterest[j]
		loan[j] += c
		lentBefore := 0.0
		if !assign {
			lentBefore = lent[j]
		}
		lent[j] = lentBefore + c
		toBank[j] += c
		unpaid := c + duePrincipal[j]
		unpaidDebt[j] = unpaid
		dueInterest[j], duePrincipal[j] = 0, 0
		owed := owedExternal[j] + owedTax[j] + unpaid
		if j < len(govUnpaid) { // nil: len 0; else len n
			owed += govUnpaid[j]
		}
		scale := 1e-12 * baseOutput[j]
		shortfall[j] = owed > scale
	}
}

// closePolicy closes settlement of the interventions for the live firms
// among lo to hi, before closeFirms zeroes what is due: the guarantee
// calls still to pay are capped by the principal left unpaid, and the
// unpaid interest on a policy loan is capitalised.
func (e *engine) closePolicy(lo, hi int) {
	s := &e.iv
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			continue
		}
		if s.callDue != nil {
			s.callDue[i] = min(s.callDue[i], e.duePrincipal[i])
		}
		if s.govLoan != nil {
			gc := s.govDueInterest[i]
			s.govLoan[i] += gc
			s.policyInterest[i] += gc
			s.govUnpaid[i] = gc + s.govDuePrincipal[i]
			s.govDueInterest[i], s.govDuePrincipal[i] = 0, 0
		}
	}
}
