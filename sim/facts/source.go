package facts

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
)

// memorySource reads results in memory, rounding every number as the
// result files do.
type memorySource struct{ rs []*outcome.Result }

func (m memorySource) series(metrics []string) (*data, error) {
	d := &data{runs: map[string][]*run{}}
	for i, r := range m.rs {
		if r == nil {
			return nil, fmt.Errorf("facts: result %d is nil", i)
		}
		if len(r.Metrics) > 0 && len(r.Series)%len(r.Metrics) != 0 {
			return nil, fmt.Errorf("facts: arm %q replication %d: %d series values is not a whole number of steps of %d metrics", r.Arm, r.Replication, len(r.Series), len(r.Metrics))
		}
		if _, ok := d.runs[r.Arm]; !ok {
			d.arms = append(d.arms, r.Arm)
		}
		for _, name := range r.Metrics {
			if !slices.Contains(d.metrics, name) {
				d.metrics = append(d.metrics, name)
			}
		}
		n := r.Steps()
		ru := &run{rep: r.Replication, dates: make([]string, n), end: r.Date(n), metrics: map[string][]float64{}, res: r}
		for t := range n {
			ru.dates[t] = r.Date(t).Format(results.DateLayout)
		}
		for _, name := range metrics {
			m := slices.Index(r.Metrics, name)
			if m < 0 {
				continue
			}
			xs := make([]float64, n)
			for t := range n {
				xs[t] = fileRound(r.Value(t, m))
			}
			ru.metrics[name] = xs
		}
		d.runs[r.Arm] = append(d.runs[r.Arm], ru)
	}
	sortRuns(d)
	return d, nil
}

func (m memorySource) firms(d *data, arms []string) error {
	for _, arm := range arms {
		for _, ru := range d.runs[arm] {
			r := ru.res
			fo := &r.Firms
			if r.Network == nil || len(fo.Status) == 0 {
				continue
			}
			n := r.Network.N()
			if len(fo.Status) != n || len(fo.FailStep) != n || len(fo.RevenueChange) != n || len(fo.RunwayMonths) != n || len(fo.Jobs) != n {
				return fmt.Errorf("facts: arm %q replication %d: firm outcomes do not match the %d firms of the network", r.Arm, r.Replication, n)
			}
			fd := &firmData{
				kind: make([]string, n), runway: make([]float64, n), revenue: make([]float64, n),
				jobs: make([]float64, n), failStep: make([]int, n), exitStep: make([]int, n), entered: make([]int, n),
			}
			for i := range n {
				fd.kind[i] = r.Network.Kind[i].String()
				fd.runway[i] = fileRound(fo.RunwayMonths[i])
				fd.revenue[i] = fileRound(fo.RevenueChange[i])
				fd.jobs[i] = fileRound(fo.Jobs[i])
				fd.failStep[i], fd.exitStep[i], fd.entered[i] = -1, -1, -1
				switch {
				case fo.Status[i] == outcome.Failed && fo.FailStep[i] >= 0:
					fd.failStep[i] = int(fo.FailStep[i])
				case fo.Status[i] == outcome.Exited && fo.FailStep[i] >= 0:
					fd.exitStep[i] = int(fo.FailStep[i])
				case fo.Status[i] == outcome.Dormant:
					fd.entered[i] = neverEntered
				}
				if fo.EnteredStep != nil && fo.EnteredStep[i] >= 0 {
					fd.entered[i] = int(fo.EnteredStep[i])
				}
			}
			ru.firms = fd
		}
	}
	return nil
}

// fileSource reads a result directory.
type fileSource struct {
	dir    string
	cfg    *config.Config
	layout *results.Layout // of timeseries.csv, once series has read it
}

type runKey struct {
	arm string
	rep int
}

func (s *fileSource) series(metrics []string) (*data, error) {
	start, err := time.Parse(results.DateLayout, s.cfg.StartDate)
	if err != nil {
		return nil, fmt.Errorf("facts: start_date %q is not a date YYYY-MM-DD", s.cfg.StartDate)
	}
	clock := outcome.Result{StartDate: start, StepDays: s.cfg.Step.Days()}
	want := map[string]bool{}
	for _, m := range metrics {
		want[m] = true
	}
	d := &data{runs: map[string][]*run{}}
	seenMetric := map[string]bool{}
	var ru *run
	// The rows come run by run and step by step (ScanTimeseries checks
	// it), so each run's slices grow by one step at a time.
	lim := results.Limits{Steps: max(s.cfg.Steps, 0), Replications: max(s.cfg.Replications, 0)}
	s.layout, err = results.ScanTimeseries(s.dir, lim, func(r results.TimeseriesRow) error {
		if ru == nil || ru.arm != r.Arm || ru.rep != r.Replication {
			ru = &run{arm: r.Arm, rep: r.Replication, metrics: map[string][]float64{}}
			if _, ok := d.runs[r.Arm]; !ok {
				d.arms = append(d.arms, r.Arm)
			}
			d.runs[r.Arm] = append(d.runs[r.Arm], ru)
		}
		if r.Step == len(ru.dates) {
			ru.dates = append(ru.dates, r.Date)
		}
		if !seenMetric[r.Metric] {
			seenMetric[r.Metric] = true
			d.metrics = append(d.metrics, r.Metric)
		}
		if want[r.Metric] {
			ru.metrics[r.Metric] = append(ru.metrics[r.Metric], r.Value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, rs := range d.runs {
		for _, ru := range rs {
			ru.end = clock.Date(len(ru.dates))
		}
	}
	sortRuns(d)
	return d, nil
}

func (s *fileSource) firms(d *data, arms []string) error {
	want := map[string]bool{}
	for _, a := range arms {
		want[a] = true
	}
	byKey := map[runKey]*run{}
	for _, a := range arms {
		for _, ru := range d.runs[a] {
			byKey[runKey{a, ru.rep}] = ru
		}
	}
	path := filepath.Join(s.dir, results.FirmsFile)
	err := results.ScanFirms(s.dir, s.layout, func(r results.FirmRow) error {
		if !want[r.Arm] {
			return nil
		}
		ru := byKey[runKey{r.Arm, r.Replication}]
		fd := ru.firms
		if fd == nil {
			fd = &firmData{}
			ru.firms = fd
		}
		fail, exit, entered := -1, -1, r.EnteredStep
		switch r.Status {
		case outcome.Failed.String():
			fail = r.FailureStep
		case outcome.Exited.String():
			exit = r.FailureStep
		case outcome.Dormant.String():
			entered = neverEntered
		}
		fd.kind = append(fd.kind, r.Kind)
		fd.failStep = append(fd.failStep, fail)
		fd.exitStep = append(fd.exitStep, exit)
		fd.entered = append(fd.entered, entered)
		fd.revenue = append(fd.revenue, r.RevenueChange)
		fd.runway = append(fd.runway, r.CashRunwayMonths)
		fd.jobs = append(fd.jobs, r.Jobs)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return missingFile(path)
	}
	return err
}

// missingFile is the error of a result file that does not exist.
type missingFile string

func (m missingFile) Error() string        { return string(m) + " is missing" }
func (m missingFile) Is(target error) bool { return target == fs.ErrNotExist }

// sortRuns orders each arm's runs by replication.
func sortRuns(d *data) {
	for _, rs := range d.runs {
		slices.SortStableFunc(rs, func(a, b *run) int { return cmp.Compare(a.rep, b.rep) })
	}
}
