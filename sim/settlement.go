// Phase 5, payments: the settlement rounds in which firms pay what is due
// from the cash they hold and suppliers collect, and the close of
// settlement (unpaid interest capitalised, shortfalls noted).

package sim

import (
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
// of many rounds costs little more than one of two.
func (e *engine) settle(t int) {
	for round := 0; round < maxSettlementRounds; round++ {
		if round == 0 {
			e.parallel(phasePayFirst, t)
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

// payFirst is the first settlement round for chunk c: every firm with
// something due pays from its cash; the firms still owing afterwards are
// left in c.pending. It returns what was paid to suppliers and their
// banks.
func (e *engine) payFirst(c *chunkWork) float64 {
	c.pending = c.pending[:0]
	moved := 0.0
	for i := c.lo; i < c.hi; i++ {
		if !e.alive[i] || e.dueTotal[i] <= 0 {
			continue
		}
		if e.cash[i] > 0 {
			moved += e.payFirm(i, false)
		}
		if e.dueTotal[i] > 0 {
			c.pending = append(c.pending, int32(i))
		}
	}
	return moved
}

// payFirstPlain is payFirst without interventions (no receivables sold,
// no policy loans), over slices of the chunk: the hottest loop of a step.
func (e *engine) payFirstPlain(c *chunkWork) float64 {
	net := e.net
	lo, hi := c.lo, c.hi
	n := hi - lo
	alive, dueTotal, cash := e.alive[lo:hi:hi], e.dueTotal[lo:hi:hi], e.cash[lo:hi:hi]
	owedExternal, owedTax, toExternal, toGov := e.owedExternal[lo:hi:hi], e.owedTax[lo:hi:hi], e.toExternal[lo:hi:hi], e.toGov[lo:hi:hi]
	reserveIn, dueInterest, toBank := e.reserveIn[lo:hi:hi], e.dueInterest[lo:hi:hi], e.toBank[lo:hi:hi]
	duePrincipal, loan, repaid, repaidAll := e.duePrincipal[lo:hi:hi], e.loan[lo:hi:hi], e.repaid[lo:hi:hi], e.repaidAll[lo:hi:hi]
	inStart := net.InStart[lo : hi+1 : hi+1]
	supplier, due, paid, payable, paidRound := net.Supplier, e.due, e.paid, e.payable, e.paidRound
	supAlive, crossBank := e.alive, e.crossBank
	_ = alive[n-1]
	_ = inStart[n]
	c.pending = c.pending[:0]
	moved := 0.0
	for j := 0; j < n; j++ {
		total := dueTotal[j]
		if !alive[j] || total <= 0 {
			continue
		}
		if m := cash[j]; m > 0 {
			share := agents.PayShare(m, total)
			v := share * owedExternal[j]
			owedExternal[j] -= v
			toExternal[j] += v
			w := share * owedTax[j]
			owedTax[j] -= w
			toGov[j] += w
			interest := share * dueInterest[j]
			dueInterest[j] -= interest
			toBank[j] += interest
			principal := share * duePrincipal[j]
			duePrincipal[j] -= principal
			loan[j] -= principal
			repaid[j] += principal
			repaidAll[j] += principal
			out := (v + w) + (interest + principal) // the order of payFirm's sums
			res := reserveIn[j] - (v + w)
			trade := 0.0
			for k := inStart[j]; k < inStart[j+1]; k++ {
				d := due[k]
				v := share * d
				due[k] = d - v
				paid[k] += v
				trade += v
				payable[k] -= v
				paidRound[k] = v
				if !supAlive[supplier[k]] || crossBank != nil && crossBank[k] {
					res -= v
				}
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
		}
		if total > 0 {
			c.pending = append(c.pending, int32(lo+j))
		}
	}
	return moved
}

// collectPlain is collect without receivables sold to banks.
func (e *engine) collectPlain(lo, hi int) {
	net := e.net
	outStart, outEdge := net.OutStart, net.OutEdge
	paidRound, crossBank, alive, cash, reserveIn, toExternal := e.paidRound, e.crossBank, e.alive, e.cash, e.reserveIn, e.toExternal
	for sup := lo; sup < hi; sup++ {
		got, cross := 0.0, 0.0
		for k := outStart[sup]; k < outStart[sup+1]; k++ {
			ed := outEdge[k]
			v := paidRound[ed]
			if v == 0 {
				continue
			}
			paidRound[ed] = 0
			got += v
			if crossBank != nil && crossBank[ed] {
				cross += v
			}
		}
		if got == 0 {
			continue
		}
		if alive[sup] {
			cash[sup] += got
			reserveIn[sup] += cross
		} else {
			toExternal[sup] += got
		}
	}
}

// payPending is a later settlement round for chunk c: the firms still
// owing pay from the cash they have collected since, and flag the
// suppliers they paid for collectPaid.
func (e *engine) payPending(c *chunkWork) float64 {
	moved := 0.0
	keep := c.pending[:0]
	net := e.net
	for _, f := range c.pending {
		i := int(f)
		if e.cash[i] > 0 {
			moved += e.payFirm(i, true)
			c.bytes += payFirmBytes + int64(net.InStart[i+1]-net.InStart[i])*payEdgeBytes
		}
		if e.dueTotal[i] > 0 {
			keep = append(keep, f)
		}
	}
	c.pending = keep
	return moved
}

// Bytes a payment and a collection touch per firm and per edge (see
// bytesPerStep).
const (
	payFirmBytes     = 13*16 + 4 // thirteen arrays read and written, InStart
	payEdgeBytes     = 3*16 + 13 // due, paid, payable; paidRound, Supplier, alive
	collectFirmBytes = 37
	collectEdgeBytes = 20
)

// payFirm lets firm i pay what it owes from its cash, pro rata to what it
// owes each creditor, and returns the amount paid to suppliers and to the
// banks that bought their receivables (what the next collect passes on).
// Of a payable a bank has bought under supply chain finance, the bank's
// part goes to the bank. With flag, it flags the suppliers it paid.
func (e *engine) payFirm(i int, flag bool) float64 {
	net, s := e.net, &e.iv
	fac := s.factored
	in0, in1 := net.InStart[i], net.InStart[i+1]
	share := agents.PayShare(e.cash[i], e.dueTotal[i])
	moved := 0.0
	out := 0.0
	v := share * e.owedExternal[i]
	e.owedExternal[i] -= v
	e.toExternal[i] += v
	out += v
	w := share * e.owedTax[i]
	e.owedTax[i] -= w
	e.toGov[i] += w
	out += w
	e.reserveIn[i] -= v + w
	interest := share * e.dueInterest[i]
	e.dueInterest[i] -= interest
	e.toBank[i] += interest
	principal := share * e.duePrincipal[i]
	e.duePrincipal[i] -= principal
	e.loan[i] -= principal
	e.repaid[i] += principal
	e.repaidAll[i] += principal
	out += interest + principal
	if s.govLoan != nil {
		gi := share * s.govDueInterest[i]
		gp := share * s.govDuePrincipal[i]
		s.govDueInterest[i] -= gi
		s.govDuePrincipal[i] -= gp
		s.govLoan[i] -= gp
		s.govIn[i] += gi + gp
		s.policyInterest[i] += gi
		e.reserveIn[i] -= gi + gp
		out += gi + gp
	}
	bi := e.bank[i]
	trade := 0.0
	for k := in0; k < in1; k++ {
		v := share * e.due[k]
		e.due[k] -= v
		e.paid[k] += v
		trade += v
		sup := net.Supplier[k]
		toSupplier := v
		if fac != nil {
			vb := 0.0
			// A payable already settled to 0 (payment terms of one step
			// pay it whole each step) leaves at most rounding dust
			// factored, and nothing to split.
			if fac[k] > 0 && e.payable[k] > 0 {
				vb = min(v, v*fac[k]/e.payable[k])
				fac[k] -= vb
				if e.bank[sup] != bi {
					e.reserveIn[i] -= vb
				}
			}
			s.paidBankRound[k] = vb
			toSupplier = v - vb
			moved += vb
		}
		e.payable[k] -= v
		e.paidRound[k] = toSupplier
		moved += toSupplier
		if !e.alive[sup] || e.bank[sup] != bi {
			e.reserveIn[i] -= toSupplier
		}
		if flag {
			atomic.StoreUint32(&e.collectFlag[sup], 1)
		}
	}
	out += trade
	e.cash[i] -= out
	if share >= 1 {
		e.dueTotal[i] = 0
	} else {
		e.dueTotal[i] -= share * e.dueTotal[i]
	}
	return moved
}

// collectPaid lets the suppliers among lo to hi that payPending flagged
// collect.
func (e *engine) collectPaid(lo, hi int, c *chunkWork) {
	net := e.net
	for sup := lo; sup < hi; sup++ {
		if e.collectFlag[sup] != 0 {
			e.collectFlag[sup] = 0
			e.collectOne(sup)
			c.bytes += collectFirmBytes + int64(net.OutStart[sup+1]-net.OutStart[sup])*collectEdgeBytes
		}
	}
}

// collect lets suppliers lo to hi receive what their buyers paid in the
// round.
func (e *engine) collect(lo, hi int) {
	for sup := lo; sup < hi; sup++ {
		e.collectOne(sup)
	}
}

// collectOne lets supplier sup receive what its buyers paid in the round,
// and clears the round's payments for the next; what is paid to a failed
// supplier goes to its liquidator, the external sector. What is paid on a
// receivable the supplier sold goes to the supplier's bank, which bought
// it.
func (e *engine) collectOne(sup int) {
	s := &e.iv
	bs := e.bank[sup]
	got, cross := e.pull(e.paidRound, sup, bs)
	if s.factored != nil {
		toBank, bankCross := e.pull(s.paidBankRound, sup, bs)
		s.factRepaid[sup] += toBank
		e.reserveIn[sup] += bankCross
	}
	if got == 0 {
		return
	}
	if e.alive[sup] {
		e.cash[sup] += got
		e.reserveIn[sup] += cross
	} else {
		e.toExternal[sup] += got
	}
}

// pull sums and clears what the buyers of supplier sup put in paid (per
// link) this round, and the part of it from buyers at banks other than bs.
func (e *engine) pull(paid []float64, sup int, bs int32) (got, cross float64) {
	net := e.net
	for k := net.OutStart[sup]; k < net.OutStart[sup+1]; k++ {
		ed := net.OutEdge[k]
		v := paid[ed]
		paid[ed] = 0
		got += v
		if e.bank[net.Buyer[ed]] != bs {
			cross += v
		}
	}
	return got, cross
}

// closeSettlement capitalises unpaid interest and records who could not pay
// wages, taxes or debt service in full.
func (e *engine) closeSettlement(lo, hi int) {
	s := &e.iv
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			continue
		}
		c := e.dueInterest[i]
		e.loan[i] += c
		e.lent[i] += c
		e.toBank[i] += c
		e.unpaidDebt[i] = c + e.duePrincipal[i]
		if s.callDue != nil {
			s.callDue[i] = min(s.callDue[i], e.duePrincipal[i])
		}
		e.dueInterest[i], e.duePrincipal[i] = 0, 0
		owed := e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i]
		if s.govLoan != nil {
			gc := s.govDueInterest[i]
			s.govLoan[i] += gc
			s.policyInterest[i] += gc
			s.govUnpaid[i] = gc + s.govDuePrincipal[i]
			s.govDueInterest[i], s.govDuePrincipal[i] = 0, 0
			owed += s.govUnpaid[i]
		}
		scale := 1e-12 * e.baseOutput[i]
		e.shortfall[i] = owed > scale
	}
}
