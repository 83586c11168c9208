// The outside book (finance.outside_book, docs/model.md "Banks"): with the
// banking system, each bank also lends to the economy outside the
// simulated network — households, other firms, the state — a book
// outside_book times its loans to the network's firms at the start. Real
// banks have thousands of borrowers; the network's few firms are a
// sample of them, and without the outside book one medium SME moves a
// small bank's capital by points.
//
// The book is diversified over many borrowers, so it follows its expected
// values, with no draw: each step outside_default_rate of its performing
// loans become non-performing and are replaced by new loans to the outside
// economy; non-performing loans stay npl_workout (the same workout as the
// network's), then recovery_rate of them comes back in cash and the rest
// is written off. It starts in that stationary state, so its
// non-performing share is outside_default_rate × npl_workout / (1 +
// outside_default_rate × npl_workout) throughout: an input, not an
// outcome. Its performing loans pay outside_rate, carry risk_weight_sme
// and the provisions of a performing loan of default probability
// outside_default_rate; its non-performing loans risk_weight_npl and the
// provisions of a non-performing one.

package sim

import "github.com/smesim/smesim/agents"

// outsideTerms are the outside book's parameters, per step.
type outsideTerms struct {
	share       float64 // outside_book
	defaultRate float64 // per step
	pdYear      float64 // outside_default_rate, for provisions
	rate        float64 // per step
	recovery    float64 // recovery_rate
}

// openOutsideBook sets bank bk's outside book at the start, in its
// stationary state, as outside_book times its loans to the network.
func (e *engine) openOutsideBook(bk *bankState) {
	o, w := &e.bs.outside, e.bs.workout.steps
	total := o.share * (bk.loans + bk.participation)
	// Stationary: what becomes non-performing in a step (defaultRate ×
	// performing) is what falls due (non-performing / w).
	bk.outside = total / (1 + o.defaultRate*float64(w))
	bk.outsideNPL = total - bk.outside
}

// outsideBookStep runs bank bk's outside book for one step: defaults
// replaced by new loans, non-performing loans falling due (recovered in
// part, written off for the rest), and interest on the performing loans.
// The outside economy is the external sector.
func (e *engine) outsideBookStep(bk *bankState) {
	o, l := &e.bs.outside, &e.ledger
	if o.share == 0 {
		return
	}
	inflow := o.defaultRate * bk.outside
	due := inflow
	if w := e.bs.workout.steps; w > 0 {
		due = bk.outsideNPL / float64(w)
	}
	bk.outsideNPL += inflow - due
	rec := o.recovery * due
	interest := o.rate * bk.outside
	bk.reserves += rec + interest - inflow
	bk.capital += interest - (due - rec)
	l.external += inflow - rec - interest
	l.newLoans += inflow
	l.repayments += rec
	l.writeOffs += due - rec
}

// outsideProvisions returns the provisions bank bk's outside book
// requires before the coverage floor: the expected loss of its performing
// loans and the loss given default of its non-performing ones.
func (e *engine) outsideProvisions(bk *bankState) float64 {
	bs := e.bs
	return agents.ProvisionRate(bs.outside.pdYear, bs.lgd, false)*bk.outside + agents.ProvisionRate(0, bs.lgd, true)*bk.outsideNPL
}
