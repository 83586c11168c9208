package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/smesim/smesim/sim/config"
)

// sweep checks [sweep]: its parameters (sweepPlan) and that the points'
// configurations are valid. A grid of at most maxCheckedPoints points is
// checked point by point. A larger grid, and a latin hypercube, are checked
// at their corners: every combination of each parameter's lowest and
// highest value (numbers and durations; every value of a list of strings),
// the first maxCheckedPoints of them in grid order. Since every point lies
// within those bounds and the scenario's rules are monotone in each
// number, the corners stand for all points.
func (v *validator) sweep() error {
	plan, err := v.sweepPlan()
	if err != nil || len(plan.params) == 0 {
		return err
	}
	if plan.design == designGrid && plan.n <= maxCheckedPoints {
		for i := 0; i < plan.n; i++ {
			vals := plan.values(i)
			if err := v.sweepPoint(plan, vals, fmt.Sprintf("point %d", i)); err != nil {
				return err
			}
		}
		return nil
	}
	ext := make([][]sweepValue, len(plan.params))
	total := 1
	for j, p := range plan.params {
		ext[j] = p.extremes()
		total = min(total*len(ext[j]), maxCheckedPoints)
	}
	for c := 0; c < total; c++ {
		vals := cornerValues(ext, c)
		what := "corner"
		if plan.design == designGrid {
			what = fmt.Sprintf("point %d", plan.gridIndex(vals))
		}
		if err := v.sweepPoint(plan, vals, what); err != nil {
			return err
		}
	}
	return nil
}

// gridIndex returns the index of the grid point with vals.
func (s *sweepPlan) gridIndex(vals []sweepValue) int {
	i := 0
	for j, p := range s.params {
		k := 0
		for k < len(p.list) && p.list[k].label != vals[j].label {
			k++
		}
		i = i*len(p.list) + k
	}
	return i
}

// sweepPoint validates the configuration of one point, reporting a failure
// on the line of the parameter that causes it: the one that sets the key
// in error, else the first whose value alone, set back to the scenario's,
// makes the point valid, else the first.
func (v *validator) sweepPoint(plan *sweepPlan, vals []sweepValue, what string) error {
	err := validate(plan.apply(vals, -1), &source{file: v.src.file})
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	culprit := -1
	for j, p := range plan.params {
		for _, t := range p.targets {
			if t.path == e.Key {
				culprit = j
				break
			}
		}
		if culprit >= 0 {
			break
		}
	}
	if culprit < 0 && len(plan.params) > 1 {
		for j := range plan.params {
			if validate(plan.apply(vals, j), &source{file: v.src.file}) == nil {
				culprit = j
				break
			}
		}
	}
	culprit = max(culprit, 0)
	p := plan.params[culprit]
	at := join(p.path, p.form)
	if p.form == "range" {
		at = join(p.path, "max")
		if x := vals[culprit].num; math.Abs(x-p.min) <= math.Abs(p.max-x) {
			at = join(p.path, "min")
		}
	}
	inner := e.Msg
	if e.Key != "" {
		inner = e.Key + ": " + e.Msg
	}
	return v.errorAt(at, []string{p.path}, "%s (%s): %s", what, plan.describe(vals), inner)
}

// sweepKeyOmitted tells whether key f of sweep parameter ev is left out
// when written: a key not of the parameter's form (values, texts or a
// range) holding its default.
func sweepKeyOmitted(f field, ev reflect.Value) bool {
	prm := ev.Interface().(config.SweepParameter)
	keep := map[string]bool{"key": true}
	switch {
	case len(prm.Values) > 0:
		keep["values"] = true
	case len(prm.Texts) > 0:
		keep["texts"] = true
	default:
		keep["min"], keep["max"], keep["scale"] = true, true, true
	}
	if keep[f.key] {
		return false
	}
	return sameValue(ev.Field(f.index), reflect.ValueOf(config.DefaultSweepParameter()).Field(f.index))
}
