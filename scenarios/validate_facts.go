package scenarios

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// dateLayout is how dates are written in scenarios: YYYY-MM-DD.
const dateLayout = "2006-01-02"

// factNeeds says what a key of [[facts]] holds, for messages on a missing
// key.
var factNeeds = map[string]string{
	"target":    "the observed value, in the quantity's units (shares as fractions: 0.14, not 14)",
	"tolerance": "the largest distance between the simulated mean and the target that counts as reproduced",
	"from":      "the first date of the window, YYYY-MM-DD",
	"to":        "the last date of the window, YYYY-MM-DD",
	"date":      "the date measured, YYYY-MM-DD",
}

// facts checks the [[facts]] entries: a name, distinct; target and
// tolerance set in the file; the keys the quantity needs — series-mean: a
// time-series metric and a window [from, to] of dates within the run
// holding at least one step; reopened-share and failure-share: a date
// within the run; firm-share: min ≤ max — and an arm the scenario can run
// (by default "all" when it has interventions, else the baseline). Keys
// that do not apply to the quantity are rejected by fields (see
// factQuantities).
func (v *validator) facts() error {
	c := v.cfg
	start, err := time.Parse(dateLayout, c.StartDate)
	if err != nil {
		return nil // time reports it
	}
	seen := map[string]int{}
	for i, f := range c.Facts {
		p := index("facts", i)
		key := func(k string) string { return join(p, k) }
		if f.Name == "" {
			return v.errorAt(key("name"), []string{p}, "missing: every fact needs a name, which smesim check-facts prints")
		}
		if j, dup := seen[f.Name]; dup {
			return v.errorAt(key("name"), []string{p}, "%q is already the name of facts[%d]", f.Name, j)
		}
		seen[f.Name] = i
		if v.src.present != nil {
			for _, k := range []string{"target", "tolerance"} {
				if !v.src.present[key(k)] {
					return v.errorAt(key(k), []string{p}, "missing: set %s, %s", k, factNeeds[k])
				}
			}
		}
		switch f.Quantity {
		case "series-mean", "exit-rate":
			if f.Quantity == "series-mean" {
				if err := v.factMetric(p, f); err != nil {
					return err
				}
			}
			from, err := v.factDate(p, "from", f.From, f.Quantity, start)
			if err != nil {
				return err
			}
			to, err := v.factDate(p, "to", f.To, f.Quantity, start)
			if err != nil {
				return err
			}
			if to.Before(from) {
				return v.errorAt(key("to"), []string{key("from"), p}, "%s is before from = %s: allowed ≥ from", f.To, f.From)
			}
			if !v.windowHoldsStep(start, f.From, f.To) {
				return v.errorAt(key("to"), []string{key("from"), p}, "the window %s to %s holds no step (steps of %s from %s): widen it to include a step's date",
					f.From, f.To, c.Step, c.StartDate)
			}
		case "series-change":
			if err := v.factMetric(p, f); err != nil {
				return err
			}
			if _, err := v.factDate(p, "date", f.Date, f.Quantity, start); err != nil {
				return err
			}
		case "reopened-share", "failure-share", "closed-size-ratio":
			if _, err := v.factDate(p, "date", f.Date, f.Quantity, start); err != nil {
				return err
			}
		case "firm-share":
			if f.Min > f.Max {
				return v.errorAt(key("max"), []string{key("min"), p}, "%s is below min = %s: allowed ≥ min", formatNumber(f.Max), formatNumber(f.Min))
			}
		}
		arm := f.Arm
		if arm == "" {
			arm = config.BaselineArm
			if len(c.Interventions) > 0 {
				arm = config.AllArm
			}
		}
		if _, err := c.ResolveArms([]string{arm}); err != nil {
			msg := err.Error()
			var ae *config.ArmError
			if errors.As(err, &ae) {
				msg = ae.Msg
			}
			if f.Arm == "" {
				return v.errorAt(key("arm"), []string{p}, "missing: the default arm %q cannot run: %s; set arm", arm, msg)
			}
			return v.errorAt(key("arm"), []string{p}, "%s", msg)
		}
	}
	return nil
}

// factMetric checks the metric of series-mean or series-change fact f at
// path p.
func (v *validator) factMetric(p string, f config.FactConfig) error {
	names := outcome.MetricNames()
	k := join(p, "metric")
	switch {
	case f.Metric == "":
		return v.errorAt(k, []string{p}, "missing: a %s fact needs metric, a time-series metric: one of %s", f.Quantity, strings.Join(names, ", "))
	case has(names, f.Metric):
		switch m := slices.Index(names, f.Metric); {
		case m >= outcome.NumLegacyMetrics && m < outcome.NumMetrics && v.cfg.Finance.Banking != "system":
			return v.errorAt(k, []string{p, "finance.banking"}, "%q is recorded only with finance.banking = \"system\" (this scenario's banking is %q)", f.Metric, v.cfg.Finance.Banking)
		case m >= outcome.NumMetrics+outcome.NumDemographyMetrics+outcome.NumOutsideBookMetrics && !v.cfg.RecordsCreditAccess():
			return v.errorAt(k, []string{p}, "%q is recorded only in scenarios with a push of SME credit: a credit-supply shock or a credit-push intervention", f.Metric)
		case m >= outcome.NumMetrics+outcome.NumDemographyMetrics && m < outcome.NumMetrics+outcome.NumDemographyMetrics+outcome.NumOutsideBookMetrics && (v.cfg.Finance.Banking != "system" || v.cfg.Finance.OutsideBook == 0):
			return v.errorAt(k, []string{p, "finance.outside_book"}, "%q is recorded only with an outside book: finance.banking = \"system\" and finance.outside_book above 0", f.Metric)
		case m >= outcome.NumMetrics && m < outcome.NumMetrics+outcome.NumDemographyMetrics && !v.cfg.RecordsDemography():
			return v.errorAt(k, []string{p, "demography"}, "%q is recorded only with demography: a background exit_hazard or an entry_pool (with finance)", f.Metric)
		}
		return nil
	}
	if best, ok := closest(f.Metric, names); ok {
		return v.errorf(k, "%q is not a time-series metric; did you mean %q?", f.Metric, best)
	}
	return v.errorf(k, "%q is not a time-series metric: allowed %s", f.Metric, strings.Join(names, ", "))
}

// factDate parses date key k (value s) of the fact at path p and checks
// that it lies within the run: from start_date to the last day of the last
// step.
func (v *validator) factDate(p, k, s, quantity string, start time.Time) (time.Time, error) {
	path := join(p, k)
	if s == "" {
		return time.Time{}, v.errorAt(path, []string{p}, "missing: %s %s fact needs %s, %s", article(quantity), quantity, k, factNeeds[k])
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, v.errorf(path, "%q is not a date: write YYYY-MM-DD, e.g. %q", s, v.cfg.StartDate)
	}
	end := start.Add(time.Duration(v.horizonDays() * 24 * float64(time.Hour)))
	last := end.Add(-time.Nanosecond).Format(dateLayout)
	switch {
	case d.Before(start):
		return time.Time{}, v.errorf(path, "%s is before the start of the run: the run covers %s to %s (start_date, %s)", s, v.cfg.StartDate, last, v.horizonText())
	case !d.Before(end):
		return time.Time{}, v.errorf(path, "%s is after the end of the run: the run covers %s to %s (start_date, %s)", s, v.cfg.StartDate, last, v.horizonText())
	}
	return d, nil
}

// windowHoldsStep reports whether some step's date (as the result files
// write it) lies in [from, to].
func (v *validator) windowHoldsStep(start time.Time, from, to string) bool {
	r := outcome.Result{StartDate: start, StepDays: v.cfg.Step.Days()}
	for t := 0; t < v.cfg.Steps; t++ {
		d := r.Date(t).Format(dateLayout)
		if d > to {
			return false
		}
		if d >= from {
			return true
		}
	}
	return false
}
