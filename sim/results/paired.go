package results

import "github.com/smesim/smesim/sim/outcome"

// This file classifies, replication by replication, the firms an
// intervention reached against the baseline, which shares every random
// draw with the arm (see Classify).

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

// Paired is the paired classification of the firms one intervention
// reached with money in one replication: how many firms fell in each class
// and what they received (InterventionOutcome.Money), indexed by Class
// (NotReached is unused). Over the classes, Money adds up to what the
// firms received in all, which is the intervention's Used.
type Paired struct {
	Firms [NumClasses]int
	Money [NumClasses]float64
}

// Spent returns the money over all classes.
func (a *Paired) Spent() float64 {
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
// Paired, and ok false.
func Classify(arm *outcome.Result, failedInBaseline func(i int) bool) (out []Paired, ok []bool) {
	out = make([]Paired, len(arm.Interventions))
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
			c := ClassOf(failedInBaseline(i), status[i] == outcome.Failed)
			a.Firms[c]++
			a.Money[c] += m
		}
	}
	return out, ok
}

// FirmSupport returns what firm i received from all the interventions of
// arm, and its class against the baseline (NotReached if it received
// nothing, or if the arm records no per-firm amounts).
func FirmSupport(arm *outcome.Result, i int, failedInBaseline bool) (money float64, c Class) {
	for _, o := range arm.Interventions {
		if o.Money != nil && i < len(o.Money) {
			money += o.Money[i]
		}
	}
	if money == 0 || i >= len(arm.Firms.Status) {
		return money, NotReached
	}
	return money, ClassOf(failedInBaseline, arm.Firms.Status[i] == outcome.Failed)
}
