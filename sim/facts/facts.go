// Package facts checks a scenario's [[facts]] against its results: each
// fact names a quantity measured on every replication of one arm, an
// observed target and a tolerance, and is reproduced when the mean over the
// replications lies within the tolerance of the target.
//
// The quantities (see config.FactConfig):
//
//   - firm-share: the share of the firms of a kind (firms = sme, core or
//     all; failed firms included) whose firms.csv column (cash_runway_months,
//     revenue_change or jobs) lies in [min, max], bounds included;
//   - series-mean: the mean of a time-series metric over the steps whose
//     date lies in [from, to], dates included, minus 1 with change = true;
//   - series-change: a time-series metric at the step that holds date over
//     its value at step 0, minus 1 (its growth since the start);
//   - reopened-share: 1 − smes_locked_down / smes_active at the step that
//     holds date (the last step whose date is not after it);
//   - failure-share: the share of the firms of a kind that failed at or
//     before the step that holds date;
//   - exit-rate: the firms of a kind that failed or exited at a step whose
//     date lies in [from, to], per year of the window (the steps' length
//     added up), over the mean number of them active over those steps;
//   - closed-size-ratio: the jobs of the firms of a kind that failed or
//     exited at or before the step that holds date, as a share of the
//     jobs of all of them, over their share of the firms (below 1: the
//     closed firms were smaller).
//
// The firm quantities count the firms of the fact's cohort: incumbents
// (at step 0; the default, as survey panels do), entrants, or all; firms
// of an entry pool that never entered count in none. Runs without
// demography have incumbents only.
//
// A fact measures its arm: arm, or by default "all" when the scenario has
// interventions and the baseline otherwise. An arm the results lack is
// matched to an arm of the results that applies the same interventions
// ("all" of a scenario with one intervention is that intervention's arm).
//
// Check measures results in memory, CheckDir a result directory's files.
// Check reads every number as the result files write it (10 significant
// digits), so both give the same numbers for the same run.
package facts

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// Quantities of a fact.
const (
	FirmShare     = "firm-share"
	SeriesMean    = "series-mean"
	SeriesChange  = "series-change"
	ReopenedShare = "reopened-share"
	FailureShare  = "failure-share"
	ExitRate      = "exit-rate"
	ClosedSize    = "closed-size-ratio"
)

// Metrics read by reopened-share.
const (
	metricSMEs       = "smes_active"
	metricLockedDown = "smes_locked_down"
)

// Outcome is how one fact fared.
type Outcome struct {
	Fact   config.FactConfig
	Arm    string       // the arm of the results measured
	Values []float64    // per replication, in replication order
	Stat   results.Stat // mean and 95% Student-t interval of Values (results.Describe)
	Slack  float64      // Monte Carlo allowance added to the tolerance (0 unless Options.MonteCarloSlack)
	Pass   bool         // |mean − target| ≤ tolerance + slack
}

// IsShare reports whether the fact's quantity is a share (or a relative
// change), best printed as a percentage: firm-share, reopened-share,
// failure-share, series-change, and series-mean with change = true.
func IsShare(f config.FactConfig) bool {
	return f.Quantity != SeriesMean || f.Change
}

// Options tune the check.
type Options struct {
	// MonteCarloSlack widens each tolerance by the half-width of the 95%
	// interval of the mean (t·sd/√n), for quick checks with few
	// replications whose means are noisy.
	MonteCarloSlack bool
}

// DefaultArm returns the arm fact f measures: its arm, or "all" when the
// scenario has interventions and the baseline otherwise.
func DefaultArm(cfg *config.Config, f config.FactConfig) string {
	switch {
	case f.Arm != "":
		return f.Arm
	case len(cfg.Interventions) > 0:
		return config.AllArm
	}
	return config.BaselineArm
}

// Check measures the facts of cfg on results rs (as sim.Run returns them
// for cfg) and says which are reproduced, in the order of cfg.Facts.
func Check(cfg *config.Config, rs []*outcome.Result, opts Options) ([]Outcome, error) {
	if cfg == nil {
		return nil, errors.New("facts: no scenario")
	}
	return evaluate(cfg, memorySource{rs}, opts)
}

// CheckDir reads the result directory dir (scenario.toml, timeseries.csv
// and, for firm-share and failure-share facts, firms.csv) and checks the
// facts of its scenario.
//
// scenario.toml is read as a record of what was run, without validating it
// as input (see results.ReadScenario), so that the directory stays readable
// wherever it is moved; the facts it holds are checked as they are used.
// The rows of the files must lie within its steps and replications (see
// results.ScanTimeseries).
func CheckDir(dir string, opts Options) ([]Outcome, error) {
	cfg, _, err := results.ReadScenario(dir)
	if err != nil {
		return nil, err
	}
	return CheckFiles(cfg, dir, opts)
}

// CheckFiles is CheckDir with the scenario given instead of read from
// dir's scenario.toml: for a caller that has just run cfg into dir.
func CheckFiles(cfg *config.Config, dir string, opts Options) ([]Outcome, error) {
	if cfg == nil {
		return nil, errors.New("facts: no scenario")
	}
	return evaluate(cfg, &fileSource{dir: dir, cfg: cfg}, opts)
}

// run is what the facts read of one arm and replication.
type run struct {
	arm     string
	rep     int
	dates   []string             // per step, YYYY-MM-DD
	end     time.Time            // when the run ends: the start of step len(dates)
	metrics map[string][]float64 // per step, for the metrics asked for
	firms   *firmData            // nil without firm outcomes
	res     *outcome.Result      // the result read, for results in memory
}

// firmData are the firm outcomes of one run, as in firms.csv.
type firmData struct {
	kind                  []string // "sme" or "core"
	runway, revenue, jobs []float64
	failStep              []int // -1 unless failed
	exitStep              []int // -1 unless exited
	entered               []int // step of entry; -1 for incumbents, neverEntered for the entry pool
}

// neverEntered marks a firm of the entry pool that never entered.
const neverEntered = -2

// counts reports whether firm i counts for a fact on firms of kind want in
// cohort c.
func (fd *firmData) counts(i int, want, c string) bool {
	if !kindMatches(want, fd.kind[i]) {
		return false
	}
	e := fd.entered[i]
	switch {
	case e == neverEntered:
		return false
	case c == "entrant":
		return e >= 0
	case c == "all":
		return true
	}
	return e < 0 // incumbent, the default
}

// closedAt returns the step at which firm i failed or exited, -1 if never.
func (fd *firmData) closedAt(i int) int { return max(fd.failStep[i], fd.exitStep[i]) }

// data are the results of every arm, replication by replication.
type data struct {
	arms    []string          // in order of first appearance
	runs    map[string][]*run // by arm, in replication order
	metrics []string          // metrics the results hold
}

// source yields the data the facts need.
type source interface {
	// series returns every run with the given metrics (those the results
	// hold among them) and no firm outcomes.
	series(metrics []string) (*data, error)
	// firms fills the firm outcomes of the runs of arms; runs without any
	// keep nil. An error wrapping fs.ErrNotExist says why there are none
	// (no firms.csv); any other error is a failure to read them.
	firms(d *data, arms []string) error
}

// evaluate checks the facts of cfg on the results of src.
func evaluate(cfg *config.Config, src source, opts Options) ([]Outcome, error) {
	if len(cfg.Facts) == 0 {
		return nil, nil
	}
	var metrics []string
	addMetric := func(m string) {
		if !slices.Contains(metrics, m) {
			metrics = append(metrics, m)
		}
	}
	for _, f := range cfg.Facts {
		switch f.Quantity {
		case SeriesMean, SeriesChange:
			addMetric(f.Metric)
		case ReopenedShare:
			addMetric(metricSMEs)
			addMetric(metricLockedDown)
		}
	}
	d, err := src.series(metrics)
	if err != nil {
		return nil, err
	}
	arms := make([]string, len(cfg.Facts))
	var firmArms []string
	for i, f := range cfg.Facts {
		if arms[i], err = matchArm(cfg, DefaultArm(cfg, f), d.arms); err != nil {
			return nil, factErr(i, f, "%v", err)
		}
		if f.Quantity != SeriesMean && f.Quantity != SeriesChange && f.Quantity != ReopenedShare && !slices.Contains(firmArms, arms[i]) {
			firmArms = append(firmArms, arms[i])
		}
	}
	var firmsErr error
	if len(firmArms) > 0 {
		if firmsErr = src.firms(d, firmArms); firmsErr != nil && !errors.Is(firmsErr, fs.ErrNotExist) {
			return nil, firmsErr
		}
	}
	out := make([]Outcome, len(cfg.Facts))
	for i, f := range cfg.Facts {
		runs := d.runs[arms[i]]
		o := Outcome{Fact: f, Arm: arms[i], Values: make([]float64, len(runs))}
		for k, r := range runs {
			v, err := measure(f, r, d)
			if err != nil {
				if errors.Is(err, errNoFirms) {
					err = noFirmsErr(cfg, firmsErr)
				}
				return nil, factErr(i, f, "%v", err)
			}
			o.Values[k] = v
		}
		o.Stat = results.Describe(f.Name, o.Values)
		if opts.MonteCarloSlack && o.Stat.N >= 2 {
			if half := (o.Stat.Hi - o.Stat.Lo) / 2; !math.IsNaN(half) && !math.IsInf(half, 0) {
				o.Slack = half
			}
		}
		o.Pass = !math.IsNaN(o.Stat.Mean) && math.Abs(o.Stat.Mean-f.Target) <= f.Tolerance+o.Slack
		out[i] = o
	}
	return out, nil
}

func factErr(i int, f config.FactConfig, format string, args ...any) error {
	return fmt.Errorf("facts[%d] %q: %s", i, f.Name, fmt.Sprintf(format, args...))
}

// errNoFirms marks a run without firm outcomes.
var errNoFirms = errors.New("no firm outcomes")

// noFirmsErr explains why the results hold no firm outcomes.
func noFirmsErr(cfg *config.Config, why error) error {
	if cfg.Output.Record == "aggregate" {
		return errors.New(`the results hold no firm outcomes: the scenario has output.record = "aggregate" (time series only); set it to "full" to measure firms`)
	}
	if why != nil {
		return fmt.Errorf("the results hold no firm outcomes: %v", why)
	}
	return errors.New(`the results hold no firm outcomes (were they recorded with output.record = "aggregate"?)`)
}

// matchArm returns the arm of the results, among have, that arm names:
// arm itself, or else the first arm of have applying the same
// interventions.
func matchArm(cfg *config.Config, arm string, have []string) (string, error) {
	if slices.Contains(have, arm) {
		return arm, nil
	}
	want, err := interventionsOf(cfg, arm)
	if err == nil {
		for _, h := range have {
			if got, err := interventionsOf(cfg, h); err == nil && slices.Equal(got, want) {
				return h, nil
			}
		}
	}
	if len(have) == 0 {
		return "", fmt.Errorf("arm %q is not in the results: they hold no runs", arm)
	}
	return "", fmt.Errorf("arm %q is not in the results (arms: %s)", arm, strings.Join(have, ", "))
}

// interventionsOf returns the sorted interventions arm applies.
func interventionsOf(cfg *config.Config, arm string) ([]int, error) {
	if arm == config.BaselineArm {
		return []int{}, nil
	}
	arms, err := cfg.ResolveArms([]string{arm})
	if err != nil {
		return nil, err
	}
	for _, a := range arms {
		if a.Name == arm {
			return append([]int{}, a.Interventions...), nil
		}
	}
	return nil, fmt.Errorf("arm %q does not resolve", arm)
}

// measure computes fact f on one run.
func measure(f config.FactConfig, r *run, d *data) (float64, error) {
	switch f.Quantity {
	case FirmShare:
		if r.firms == nil {
			return 0, errNoFirms
		}
		var col []float64
		switch f.Column {
		case "cash_runway_months":
			col = r.firms.runway
		case "revenue_change":
			col = r.firms.revenue
		case "jobs":
			col = r.firms.jobs
		default:
			return 0, fmt.Errorf("column %q is not a firms.csv column: allowed cash_runway_months, revenue_change, jobs", f.Column)
		}
		n, k := 0, 0
		for i := range r.firms.kind {
			if !r.firms.counts(i, f.Firms, f.Cohort) {
				continue
			}
			n++
			if v := col[i]; v >= f.Min && v <= f.Max {
				k++
			}
		}
		if n == 0 {
			return 0, noKind(f.Firms, r)
		}
		return float64(k) / float64(n), nil

	case FailureShare:
		if r.firms == nil {
			return 0, errNoFirms
		}
		s, err := stepAt(f.Date, r)
		if err != nil {
			return 0, err
		}
		n, k := 0, 0
		for i := range r.firms.kind {
			if !r.firms.counts(i, f.Firms, f.Cohort) {
				continue
			}
			n++
			if fs := r.firms.failStep[i]; fs >= 0 && fs <= s {
				k++
			}
		}
		if n == 0 {
			return 0, noKind(f.Firms, r)
		}
		return float64(k) / float64(n), nil

	case ExitRate:
		if r.firms == nil {
			return 0, errNoFirms
		}
		lo, hi, years, err := window(f, r)
		if err != nil {
			return 0, err
		}
		return exitRate(r.firms, f, lo, hi, years, r)

	case ClosedSize:
		if r.firms == nil {
			return 0, errNoFirms
		}
		s, err := stepAt(f.Date, r)
		if err != nil {
			return 0, err
		}
		return closedSizeRatio(r.firms, f, s, r)

	case ReopenedShare:
		active, err := metric(metricSMEs, r, d)
		if err != nil {
			return 0, err
		}
		locked, err := metric(metricLockedDown, r, d)
		if err != nil {
			return 0, err
		}
		s, err := stepAt(f.Date, r)
		if err != nil {
			return 0, err
		}
		if active[s] == 0 {
			return math.NaN(), nil // no SME left: undefined
		}
		return 1 - locked[s]/active[s], nil

	case SeriesChange:
		xs, err := metric(f.Metric, r, d)
		if err != nil {
			return 0, err
		}
		s, err := stepAt(f.Date, r)
		if err != nil {
			return 0, err
		}
		if xs[0] == 0 {
			return math.NaN(), nil // no level to grow from: undefined
		}
		return xs[s]/xs[0] - 1, nil

	case SeriesMean:
		xs, err := metric(f.Metric, r, d)
		if err != nil {
			return 0, err
		}
		from, err := parseDate("from", f.From)
		if err != nil {
			return 0, err
		}
		to, err := parseDate("to", f.To)
		if err != nil {
			return 0, err
		}
		var sum float64
		n := 0
		for t, ds := range r.dates {
			if ds >= from && ds <= to {
				sum += xs[t]
				n++
			}
		}
		if n == 0 {
			return 0, fmt.Errorf("no step's date lies in the window from %s to %s (the run's steps are dated %s)", from, to, runDates(r))
		}
		v := sum / float64(n)
		if f.Change {
			v--
		}
		return v, nil
	}
	return 0, fmt.Errorf("quantity %q is not allowed: allowed %s, %s, %s, %s, %s, %s, %s", f.Quantity, FirmShare, SeriesMean, SeriesChange, ReopenedShare, FailureShare, ExitRate, ClosedSize)
}

// window returns the steps lo..hi (included) whose dates lie in the
// fact's [from, to], and the years they span.
func window(f config.FactConfig, r *run) (lo, hi int, years float64, err error) {
	from, err := parseDate("from", f.From)
	if err != nil {
		return 0, 0, 0, err
	}
	to, err := parseDate("to", f.To)
	if err != nil {
		return 0, 0, 0, err
	}
	lo, hi = -1, -1
	for t, ds := range r.dates {
		if ds >= from && ds <= to {
			if lo < 0 {
				lo = t
			}
			hi = t
		}
	}
	if lo < 0 {
		return 0, 0, 0, fmt.Errorf("no step's date lies in the window from %s to %s (the run's steps are dated %s)", from, to, runDates(r))
	}
	start, _ := time.Parse(results.DateLayout, r.dates[lo])
	end := r.end
	if hi+1 < len(r.dates) {
		end, _ = time.Parse(results.DateLayout, r.dates[hi+1])
	}
	return lo, hi, end.Sub(start).Hours() / 24 / units.DaysPerYear, nil
}

// exitRate is the exit-rate of the firms of fd over steps lo..hi spanning
// years: failures and exits at those steps, per year, over the mean
// number of firms active at the end of each step (entered by then and not
// closed).
func exitRate(fd *firmData, f config.FactConfig, lo, hi int, years float64, r *run) (float64, error) {
	closed, activeSteps, n := 0, 0, 0
	for i := range fd.kind {
		if !fd.counts(i, f.Firms, f.Cohort) {
			continue
		}
		n++
		in, out := max(lo, fd.entered[i]), hi
		if c := fd.closedAt(i); c >= 0 {
			if c >= lo && c <= hi {
				closed++
			}
			out = min(out, c-1)
		}
		activeSteps += max(0, out-in+1)
	}
	if n == 0 {
		return 0, noKind(f.Firms, r)
	}
	if activeSteps == 0 {
		return math.NaN(), nil // none active: undefined
	}
	mean := float64(activeSteps) / float64(hi-lo+1)
	return float64(closed) / mean / years, nil
}

// closedSizeRatio is the closed-size-ratio of the firms of fd closed at
// or before step s.
func closedSizeRatio(fd *firmData, f config.FactConfig, s int, r *run) (float64, error) {
	var n, k int
	var jobs, closedJobs float64
	for i := range fd.kind {
		if !fd.counts(i, f.Firms, f.Cohort) || fd.entered[i] > s {
			continue
		}
		n++
		jobs += fd.jobs[i]
		if c := fd.closedAt(i); c >= 0 && c <= s {
			k++
			closedJobs += fd.jobs[i]
		}
	}
	if n == 0 {
		return 0, noKind(f.Firms, r)
	}
	if k == 0 || jobs == 0 {
		return math.NaN(), nil // no closure: undefined
	}
	return (closedJobs / jobs) / (float64(k) / float64(n)), nil
}

func kindMatches(want, kind string) bool { return want == "all" || want == kind }

func noKind(want string, r *run) error {
	what := want + " firms"
	if want == "all" {
		what = "firms"
	}
	return fmt.Errorf("no %s in the results (replication %d)", what, r.rep)
}

// metric returns the series of metric name in run r.
func metric(name string, r *run, d *data) ([]float64, error) {
	if xs, ok := r.metrics[name]; ok && len(xs) == len(r.dates) {
		return xs, nil
	}
	if !slices.Contains(d.metrics, name) {
		if name == "" {
			return nil, errors.New("no metric: a series-mean or series-change fact needs metric")
		}
		return nil, fmt.Errorf("metric %q is not in the results (they hold: %s)", name, strings.Join(d.metrics, ", "))
	}
	return nil, fmt.Errorf("metric %q is missing at some steps of replication %d", name, r.rep)
}

func parseDate(key, s string) (string, error) {
	if _, err := time.Parse(results.DateLayout, s); err != nil {
		return "", fmt.Errorf("%s %q is not a date YYYY-MM-DD", key, s)
	}
	return s, nil
}

// stepAt returns the step holding date: the last step whose date is not
// after it. The date must lie within the run.
func stepAt(date string, r *run) (int, error) {
	if _, err := parseDate("date", date); err != nil {
		return 0, err
	}
	day, _ := time.Parse(results.DateLayout, date)
	s := -1
	for t, ds := range r.dates {
		if ds > date {
			break
		}
		s = t
	}
	if s < 0 {
		return 0, fmt.Errorf("date %s is before the run, which covers %s", date, runDates(r))
	}
	if !r.end.IsZero() && !day.Before(r.end) {
		return 0, fmt.Errorf("date %s is after the run, which covers %s", date, runDates(r))
	}
	return s, nil
}

// runDates describes the dates a run covers: "2020-01-01 to 2020-12-29".
func runDates(r *run) string {
	if len(r.dates) == 0 {
		return "no step"
	}
	last := r.dates[len(r.dates)-1]
	if !r.end.IsZero() {
		last = r.end.Add(-time.Nanosecond).Format(results.DateLayout)
	}
	return r.dates[0] + " to " + last
}

// fileRound returns v as the result files write and read it: to 10
// significant digits.
func fileRound(v float64) float64 {
	x, err := results.ParseFloat(results.FormatFloat(v))
	if err != nil {
		return v
	}
	return x
}
