// Supply chain finance: the choice of participating cores and covered
// links, and the purchase of receivables (factoring) before settlement.

package sim

import (
	"fmt"

	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// compileSCF chooses the participating cores and marks the receivables
// (factoring) or the suppliers (guarantee) the programme covers.
func (e *engine) compileSCF(iv *intervention, where string) error {
	net, ic, s := e.net, iv.cfg, &e.iv
	n := net.N()
	participates := make([]bool, n)
	if len(ic.Cores) > 0 {
		byName := make(map[string]int, n)
		for i := 0; i < n; i++ {
			byName[net.Name(i)] = i
		}
		for _, id := range ic.Cores {
			i, ok := byName[id]
			if !ok {
				return fmt.Errorf("%s: cores: no firm %q in the network", where, id)
			}
			if net.Kind[i] != network.Core {
				return fmt.Errorf("%s: cores: firm %q is an SME, not a core firm", where, id)
			}
			participates[i] = true
		}
	} else {
		key := mix(e.cfg.Seed, uint64(e.rep), streamParticipation, uint64(iv.index))
		for i := 0; i < n; i++ {
			participates[i] = net.Kind[i] == network.Core && uniformAt(key, 0, i) < ic.CoreShare
		}
	}
	guarantee := ic.Mode == "guarantee"
	anchor := make([]int32, net.E())
	for k := range anchor {
		anchor[k] = -1
	}
	// Tier 1: the participating cores' SME suppliers.
	for c := 0; c < n; c++ {
		if !participates[c] {
			continue
		}
		for k := net.InStart[c]; k < net.InStart[c+1]; k++ {
			if net.Kind[net.Supplier[k]] == network.SME && iv.admits(int(net.Supplier[k])) {
				anchor[k] = int32(c)
			}
		}
	}
	if ic.Tiers >= 2 {
		// Tier 2: the SME suppliers of tier-1 suppliers, through the first
		// (lowest-index) core each tier-1 supplier serves.
		tier1 := make([]int32, n)
		for i := range tier1 {
			tier1[i] = -1
		}
		for k, c := range anchor {
			if c >= 0 && tier1[net.Supplier[k]] < 0 {
				tier1[net.Supplier[k]] = c
			}
		}
		for b := 0; b < n; b++ {
			c := tier1[b]
			if c < 0 {
				continue
			}
			for k := net.InStart[b]; k < net.InStart[b+1]; k++ {
				if anchor[k] < 0 && net.Kind[net.Supplier[k]] == network.SME && iv.admits(int(net.Supplier[k])) {
					anchor[k] = c
				}
			}
		}
	}
	if guarantee {
		s.guarantor = make([]int32, n)
		s.guaranteeCap = make([]float64, n)
		s.coreGuaranteed = make([]float64, n)
		s.callDue = make([]float64, n)
		s.coreScore = make([]float64, n)
		s.reqCore = make([]float64, n)
		for i := range s.guarantor {
			s.guarantor[i] = -1
		}
		for k, c := range anchor {
			if c >= 0 && s.guarantor[net.Supplier[k]] < 0 {
				sup := net.Supplier[k]
				s.guarantor[sup] = c
				s.guaranteeCap[sup] = ic.GuaranteeLimit * e.baseOutput[sup] * e.p.stepsPerYear
			}
		}
		return nil
	}
	s.anchor = anchor
	s.factored = make([]float64, net.E())
	s.scfBuy = make([]float64, net.E())
	s.paidBankRound = make([]float64, net.E())
	s.discount = make([]float64, net.E())
	s.scfSpreadStep = units.PerStep(ic.DiscountSpread, e.p.stepDays)
	return nil
}

// factorReceivables is the supply-chain-finance purchase of the step,
// between accrual and payments: each SME supplier whose cash is below its
// target sells to its bank up to advance_rate of each covered receivable,
// at a discount priced on the anchor core's loan rate over the payer's
// payment term, while the programme's outstanding total stays within its
// budget.
func (e *engine) factorReceivables(t int) {
	s, net := &e.iv, e.net
	iv := s.scf
	if iv == nil || s.anchor == nil || !iv.active {
		return
	}
	adv := iv.cfg.AdvanceRate
	want := 0.0
	outstanding := 0.0
	for k, c := range s.anchor {
		s.scfBuy[k] = 0
		outstanding += s.factored[k]
		if c < 0 {
			continue
		}
		sup, b := net.Supplier[k], net.Buyer[k]
		if !e.alive[sup] || !e.alive[b] || e.cash[sup] >= e.cashTarget[sup] || !e.eligible(iv, int(sup)) {
			continue
		}
		if w := adv*e.payable[k] - s.factored[k]; w > 0 {
			s.scfBuy[k] = w
			want += w
		}
	}
	if want <= 0 {
		return
	}
	scale := 1.0
	if room := max(0, iv.budget-outstanding); want > room {
		scale = room / want
	}
	bought := 0.0
	for k, c := range s.anchor {
		w := s.scfBuy[k]
		if w <= 0 {
			continue
		}
		w *= scale
		s.scfBuy[k] = w
		s.factored[k] += w
		bought += w
		s.discount[k] = min(1, (e.loanRate[c]+s.scfSpreadStep)*e.kindOf(int(net.Buyer[k])).termSteps)
	}
	// The seller side, pulled per supplier.
	for sup := 0; sup < net.N(); sup++ {
		for j := net.OutStart[sup]; j < net.OutStart[sup+1]; j++ {
			k := net.OutEdge[j]
			w := s.scfBuy[k]
			if w <= 0 {
				continue
			}
			d := s.discount[k] * w
			e.cash[sup] += w - d
			e.equity[sup] -= d
			e.toBank[sup] += d
			s.factNew[sup] += w
			iv.reached[sup] = true
		}
	}
	if outstanding+bought > iv.used {
		e.noteFactoredPeak(iv)
	}
	iv.used = max(iv.used, outstanding+bought)
	iv.noteExhausted(t)
}

// collectFactored lets the banks that bought receivables of suppliers lo
// to hi collect what the suppliers' buyers paid on them in the round, and
// clears those payments for the next.
func (e *engine) collectFactored(lo, hi int) {
	s, net := &e.iv, e.net
	outStart, outEdge, crossBank, paidBankRound := net.OutStart, net.OutEdge, e.crossBank, s.paidBankRound
	for sup := lo; sup < hi; sup++ {
		got, cross := 0.0, 0.0
		for k := outStart[sup]; k < outStart[sup+1]; k++ {
			ed := outEdge[k]
			v := paidBankRound[ed]
			paidBankRound[ed] = 0
			got += v
			if crossBank != nil && crossBank[ed] {
				cross += v
			}
		}
		s.factRepaid[sup] += got
		e.reserveIn[sup] += cross
	}
}

// bankPart splits payment v on payable k, in a settlement round, between
// the bank that bought part of the receivable, which gets its share, and
// the supplier; it returns both parts. A payable already settled to 0
// (payment terms of one step pay it whole each step) leaves at most
// rounding dust factored, and nothing to split.
func (e *engine) bankPart(k int32, v float64) (toBank, toSupplier float64) {
	s := &e.iv
	if f := s.factored[k]; f > 0 && e.payable[k] > 0 {
		toBank = min(v, v*f/e.payable[k])
		s.factored[k] = f - toBank
	}
	s.paidBankRound[k] = toBank
	return toBank, v - toBank
}
