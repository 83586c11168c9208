package facts

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/results"
)

// memorySource reads results in memory, rounding every number as the
// result files do.
type memorySource struct{ rs []*sim.Result }

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
				jobs: make([]float64, n), failStep: make([]int, n),
			}
			for i := range n {
				fd.kind[i] = r.Network.Kind[i].String()
				fd.runway[i] = fileRound(fo.RunwayMonths[i])
				fd.revenue[i] = fileRound(fo.RevenueChange[i])
				fd.jobs[i] = fileRound(fo.Jobs[i])
				fd.failStep[i] = -1
				if fo.Status[i] == sim.Failed && fo.FailStep[i] >= 0 {
					fd.failStep[i] = int(fo.FailStep[i])
				}
			}
			ru.firms = fd
		}
	}
	return nil
}

// fileSource reads a result directory.
type fileSource struct {
	dir string
	cfg *sim.Config
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
	clock := sim.Result{StartDate: start, StepDays: s.cfg.Step.Days()}
	want := map[string]bool{}
	for _, m := range metrics {
		want[m] = true
	}
	d := &data{runs: map[string][]*run{}}
	seenMetric := map[string]bool{}
	byKey := map[runKey]*run{}
	path := filepath.Join(s.dir, results.TimeseriesFile)
	err = readCSV(path, results.TimeseriesHeader, func(rec []string) error {
		rep, err := strconv.Atoi(rec[1])
		if err != nil {
			return fmt.Errorf("column replication: %w", err)
		}
		step, err := strconv.Atoi(rec[2])
		if err != nil || step < 0 {
			return fmt.Errorf("column step: %q is not a step", rec[2])
		}
		k := runKey{rec[0], rep}
		ru := byKey[k]
		if ru == nil {
			ru = &run{rep: rep, metrics: map[string][]float64{}}
			byKey[k] = ru
			if _, ok := d.runs[k.arm]; !ok {
				d.arms = append(d.arms, k.arm)
			}
			d.runs[k.arm] = append(d.runs[k.arm], ru)
		}
		for len(ru.dates) <= step {
			ru.dates = append(ru.dates, "")
		}
		ru.dates[step] = rec[3]
		name := rec[4]
		if !seenMetric[name] {
			seenMetric[name] = true
			d.metrics = append(d.metrics, name)
		}
		if !want[name] {
			return nil
		}
		v, err := results.ParseFloat(rec[5])
		if err != nil {
			return fmt.Errorf("column value: %w", err)
		}
		xs := ru.metrics[name]
		for len(xs) <= step {
			xs = append(xs, math.NaN())
		}
		xs[step] = v
		ru.metrics[name] = xs
		return nil
	})
	if err != nil {
		return nil, err
	}
	for k, ru := range byKey {
		if t := slices.Index(ru.dates, ""); t >= 0 {
			return nil, fmt.Errorf("%s: arm %q replication %d has no rows for step %d", path, k.arm, k.rep, t)
		}
		ru.end = clock.Date(len(ru.dates))
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
	err := readCSV(path, results.FirmsHeader, func(rec []string) error {
		if !want[rec[0]] {
			return nil
		}
		rep, err := strconv.Atoi(rec[1])
		if err != nil {
			return fmt.Errorf("column replication: %w", err)
		}
		ru := byKey[runKey{rec[0], rep}]
		if ru == nil {
			return nil // a run without time series: not measured
		}
		fd := ru.firms
		if fd == nil {
			fd = &firmData{}
			ru.firms = fd
		}
		fail := -1
		if rec[7] == sim.Failed.String() && rec[8] != "" {
			if fail, err = strconv.Atoi(rec[8]); err != nil {
				return fmt.Errorf("column failure_step: %w", err)
			}
		}
		var vals [3]float64
		for j, col := range []int{10, 11, 12} {
			if vals[j], err = results.ParseFloat(rec[col]); err != nil {
				return fmt.Errorf("column %s: %w", results.FirmsHeader[col], err)
			}
		}
		fd.kind = append(fd.kind, rec[3])
		fd.failStep = append(fd.failStep, fail)
		fd.revenue = append(fd.revenue, vals[0])
		fd.runway = append(fd.runway, vals[1])
		fd.jobs = append(fd.jobs, vals[2])
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

// readCSV streams the CSV file at path, whose first record must be header,
// calling row on each further record (reused between calls).
func readCSV(path string, header []string, row func(rec []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1 // the header is checked below
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file", path)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !slices.Equal(rec, header) {
		return fmt.Errorf("%s: header %q, want %q", path, strings.Join(rec, ","), strings.Join(header, ","))
	}
	cr.FieldsPerRecord = len(header)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := row(rec); err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
}
