// Per-firm additionality: what each intervention gave each firm, counted as
// the intervention's Used is counted, so that the firms' amounts add up to
// Used. The paired classification of those firms against the baseline is
// made from the results (package results), which hold every arm.

package sim

import "github.com/smesim/smesim/sim/config"

// givesMoney reports whether an intervention of kind puts money (or credit,
// or deferred debt service) into firms, and so has per-firm amounts. A
// payment-term cap makes core firms pay earlier: nothing public reaches a
// firm.
func givesMoney(kind string) bool { return kind != config.KindPaymentTermCap }

// receive counts v as received by firm i from iv. The array is one per
// intervention, allocated for the kinds that give money; the hooks sit
// where the money moves, so an arm without interventions touches nothing.
func (iv *intervention) receive(i int, v float64) {
	if iv.money != nil {
		iv.money[i] += v
	}
}

// noteFactoredPeak sets each supplier's amount to what the banks hold of
// its receivables now, when the programme's outstanding total reaches a
// new peak: factoring's Used is that peak, and the suppliers' shares of it
// are what they were financed with at that moment.
func (e *engine) noteFactoredPeak(iv *intervention) {
	if iv.money == nil {
		return
	}
	clear(iv.money)
	supplier := e.net.Supplier
	for k, f := range e.iv.factored {
		if f > 0 {
			iv.money[supplier[k]] += f
		}
	}
}
