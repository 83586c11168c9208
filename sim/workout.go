// NPL workout (finance.npl_workout, docs/model.md "Banks"): with the
// banking system, a failed firm's bank loan is not written off at the
// failure. It moves to its bank's workout book, non-performing and
// provisioned as such, for npl_workout; then the bank recovers the
// recovery_rate share in cash from the liquidator (the external sector)
// and writes the rest off against its provisions. Chinese banks disposed
// of 3.02T CNY of bad assets in 2020 against a stock of 3.2–3.5T (CBIRC,
// January 2021): a bad loan stays on the books about a year.

package sim

// workout is the workout book of the banking system: per bank, what
// entered it in each of the last npl_workout+1 steps, in a ring indexed
// by step, so that what entered npl_workout steps ago falls due.
type workout struct {
	steps     int       // npl_workout in steps; 0: written off at the failure
	gross     []float64 // ring: (slot, bank) → loans entered
	recovered []float64 // ring: (slot, bank) → the cash the bank will recover of them
	slot      int       // the ring slot of the current step
	writeOffs float64   // this step, all banks: workout loans written off
}

// newWorkout returns the workout book of nb banks over steps steps.
func newWorkout(steps, nb int) workout {
	w := workout{steps: steps}
	if steps > 0 {
		w.gross = make([]float64, (steps+1)*nb)
		w.recovered = make([]float64, (steps+1)*nb)
	}
	return w
}

// enterWorkout moves failed firm f's loan l to its bank's workout book,
// of which the bank will recover rec: the loan leaves the firm and the
// bank's performing book, and no money moves until it falls due.
func (e *engine) enterWorkout(f int, l, rec float64) {
	w := &e.bs.workout
	b := int(e.bank[f])
	bk := &e.banks[b]
	bk.loans -= l
	bk.workout += l
	k := w.slot*len(e.banks) + b
	w.gross[k] += l
	w.recovered[k] += rec
	if sy := e.bs.syndicate; sy.syndicated(e, f) {
		bk.coreWorkout += l
		sy.gross[k] += l
		sy.recovered[k] += rec
	}
	e.loan[f] = 0
}

// workoutDue settles, per bank, the workout loans that entered
// npl_workout steps ago: the external sector pays the bank what it
// recovers, into its reserves, and the rest is written off against its
// capital (closeBankBooks then releases the provisions held against them).
// It advances the ring to the next step.
func (e *engine) workoutDue() {
	w, l := &e.bs.workout, &e.ledger
	w.writeOffs = 0
	if w.steps == 0 {
		return
	}
	nb := len(e.banks)
	due := (w.slot + 1) % (w.steps + 1)
	if sy := e.bs.syndicate; sy != nil {
		for b := range e.banks {
			k := due*nb + b
			e.banks[b].coreWorkout -= sy.gross[k]
			sy.workoutLoss[b] = sy.gross[k] - sy.recovered[k]
			sy.gross[k], sy.recovered[k] = 0, 0
		}
	}
	for b := range e.banks {
		k := due*nb + b
		g, rec := w.gross[k], w.recovered[k]
		if g == 0 {
			continue
		}
		bk := &e.banks[b]
		bk.workout -= g
		bk.reserves += rec
		bk.capital -= g - rec
		l.external -= rec
		l.repayments += rec
		l.writeOffs += g - rec
		w.writeOffs += g - rec
		w.gross[k], w.recovered[k] = 0, 0
	}
	w.slot = due
}
