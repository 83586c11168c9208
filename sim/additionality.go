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

// Class is the paired classification of a firm an intervention reached:
// its fate in an arm against its fate in the baseline of the same
// replication, which shares every random draw.
type Class uint8

// Classes of a reached firm.
const (
	NotReached Class = iota
	Saved            // fails in the baseline, survives in the arm
	Deadweight       // survives in both: the money did not decide its survival
	LostAnyway       // fails in both
	Harmed           // survives in the baseline, fails in the arm
	NumClasses = 5
)

var classNames = [NumClasses]string{"", "saved", "deadweight", "lost-anyway", "harmed"}

// String returns the class as written in firms.csv and summary.json ("" for
// NotReached).
func (c Class) String() string { return classNames[c] }

// ClassNames lists the names of the classes of reached firms, in order.
func ClassNames() []string { return classNames[1:] }

// ClassOf returns the class of a reached firm from its fate in the
// baseline and in the arm.
func ClassOf(failedInBaseline, failedInArm bool) Class {
	switch {
	case failedInBaseline && !failedInArm:
		return Saved
	case !failedInBaseline && !failedInArm:
		return Deadweight
	case failedInBaseline:
		return LostAnyway
	}
	return Harmed
}

// Additionality is the paired classification of the firms one intervention
// reached with money in one replication: how many firms fell in each class
// and what they received (InterventionOutcome.Money), indexed by Class
// (NotReached is unused). Over the classes, Money adds up to what the
// firms received in all, which is the intervention's Used.
type Additionality struct {
	Firms [NumClasses]int
	Money [NumClasses]float64
}

// Spent returns the money over all classes.
func (a *Additionality) Spent() float64 {
	total := 0.0
	for _, m := range a.Money[1:] {
		total += m
	}
	return total
}

// Classify returns the additionality of each intervention of arm, in the
// order of arm.Interventions, against the baseline of the same
// replication: failedInBaseline(i) reports whether firm i failed there.
// An intervention without per-firm amounts (Money nil) has the zero
// Additionality, and ok false.
func Classify(arm *Result, failedInBaseline func(i int) bool) (out []Additionality, ok []bool) {
	out = make([]Additionality, len(arm.Interventions))
	ok = make([]bool, len(arm.Interventions))
	status := arm.Firms.Status
	for k, o := range arm.Interventions {
		if o.Money == nil || len(status) != len(o.Money) {
			continue
		}
		ok[k] = true
		a := &out[k]
		for i, m := range o.Money {
			if m == 0 {
				continue
			}
			c := ClassOf(failedInBaseline(i), status[i] == Failed)
			a.Firms[c]++
			a.Money[c] += m
		}
	}
	return out, ok
}

// FirmSupport returns what firm i received from all the interventions of
// arm, and its class against the baseline (NotReached if it received
// nothing, or if the arm records no per-firm amounts).
func FirmSupport(arm *Result, i int, failedInBaseline bool) (money float64, c Class) {
	for _, o := range arm.Interventions {
		if o.Money != nil && i < len(o.Money) {
			money += o.Money[i]
		}
	}
	if money == 0 || i >= len(arm.Firms.Status) {
		return money, NotReached
	}
	return money, ClassOf(failedInBaseline, arm.Firms.Status[i] == Failed)
}
