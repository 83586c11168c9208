package plots

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// Files of a sweep directory read here (see docs/sweeps.md).
const (
	sweepFile = "sweep.csv"
)

// Sweep is what the figures of a sweep are drawn from: sweep.csv,
// scenario.toml and manifest.json of a directory written by
// `smesim sweep`.
type Sweep struct {
	Dir      string
	Config   *config.Config // the resolved scenario, with its [sweep]
	Scenario []byte         // scenario.toml as written
	// Design is "grid" or "latin-hypercube", from the scenario.
	Design string
	// Params are the swept parameters, in the order of sweep.csv's columns.
	Params []SweepParam
	// Arms in order of first appearance in sweep.csv (the baseline first).
	Arms []string
	// Replications per point and arm, from manifest.json (0 if unknown).
	Replications int
	// Points in order of their index; Points[k].Values has one value per
	// parameter, as written in sweep.csv.
	Points []SweepPoint

	stats map[sweepStatKey]results.Stat
}

// SweepPoint is one point of a sweep.
type SweepPoint struct {
	Index  int
	Values []string
}

// SweepParam is one swept parameter and the values it takes, in order:
// numbers ascending, texts (durations, names) in the order the scenario
// lists them.
type SweepParam struct {
	Key     string
	Values  []string  // distinct values
	Numeric bool      // every value is a number
	X       []float64 // the numbers, when Numeric
	// Log is true for numbers spanning two decades or more, all positive
	// (or swept with scale = "log"): drawn on a log axis.
	Log bool
}

type sweepStatKey struct {
	point       int
	arm, metric string
}

// index returns the position of value v among p.Values, or -1.
func (p *SweepParam) index(v string) int { return slices.Index(p.Values, v) }

// Stat returns the Stat of metric for arm at point k.
func (s *Sweep) Stat(k int, arm, metric string) (results.Stat, bool) {
	st, ok := s.stats[sweepStatKey{k, arm, metric}]
	return st, ok
}

// value returns the mean of metric for arm at point k, NaN if absent.
func (s *Sweep) value(k int, arm, metric string) float64 {
	if st, ok := s.Stat(k, arm, metric); ok {
		return st.Mean
	}
	return math.NaN()
}

// currency returns the scenario's currency label.
func (s *Sweep) currency() string {
	if s.Config != nil && s.Config.Currency != "" {
		return s.Config.Currency
	}
	return "currency units"
}

// LoadSweep reads the sweep directory dir: sweep.csv, scenario.toml and,
// if present, manifest.json.
func LoadSweep(dir string) (*Sweep, error) {
	s := &Sweep{Dir: dir, stats: map[sweepStatKey]results.Stat{}}
	var err error
	// A record of what was run, not input: decoded, not validated.
	if s.Config, s.Scenario, err = results.ReadScenario(dir); err != nil {
		return nil, fmt.Errorf("sweep %s: %w", dir, err)
	}
	s.Design = cmp.Or(s.Config.Sweep.Design, "grid")
	if m, err := results.ReadManifest(dir); err == nil {
		s.Replications = m.Replications
		s.Arms = m.Arms
	}
	if err := s.readCSV(filepath.Join(dir, sweepFile)); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sweep) readCSV(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(results.LineLimited(f))
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: empty file", path)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	tail := []string{"arm", "metric", "mean", "lo", "hi", "sd", "n"}
	if len(header) < 1+len(tail) || header[0] != "point" || !slices.Equal(header[len(header)-len(tail):], tail) {
		return fmt.Errorf("%s: header %q, want point,<keys…>,%s", path, strings.Join(header, ","), strings.Join(tail, ","))
	}
	keys := header[1 : len(header)-len(tail)]
	nk := len(keys)
	seenArm := map[string]bool{}
	for _, a := range s.Arms {
		seenArm[a] = true
	}
	var points []SweepPoint
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		k, err := strconv.Atoi(rec[0])
		if err != nil || k < 0 {
			return fmt.Errorf("%s:%d: point %q is not an index", path, line, rec[0])
		}
		for len(points) <= k {
			points = append(points, SweepPoint{Index: len(points)})
		}
		if points[k].Values == nil {
			points[k].Values = slices.Clone(rec[1 : 1+nk])
		}
		arm, metric := rec[1+nk], rec[2+nk]
		if !seenArm[arm] {
			seenArm[arm] = true
			s.Arms = append(s.Arms, arm)
		}
		st := results.Stat{Metric: metric}
		for i, dst := range []*float64{&st.Mean, &st.Lo, &st.Hi, &st.SD} {
			v, err := results.ParseFloat(rec[3+nk+i])
			if err != nil {
				return fmt.Errorf("%s:%d: %s: %w", path, line, tail[2+i], err)
			}
			*dst = v
		}
		if st.N, err = strconv.Atoi(rec[7+nk]); err != nil {
			return fmt.Errorf("%s:%d: n: %w", path, line, err)
		}
		s.stats[sweepStatKey{k, arm, metric}] = st
	}
	for _, p := range points {
		if p.Values == nil {
			return fmt.Errorf("%s: no rows for point %d", path, p.Index)
		}
	}
	if len(points) == 0 {
		return fmt.Errorf("%s: no rows", path)
	}
	s.Points = points
	for j, key := range keys {
		s.Params = append(s.Params, s.param(j, key))
	}
	return nil
}

// param collects the values of parameter j.
func (s *Sweep) param(j int, key string) SweepParam {
	p := SweepParam{Key: key, Numeric: true}
	for _, pt := range s.Points {
		if !slices.Contains(p.Values, pt.Values[j]) {
			p.Values = append(p.Values, pt.Values[j])
		}
	}
	for _, v := range p.Values {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			p.Numeric, p.X = false, nil
			break
		}
		p.X = append(p.X, x)
	}
	var spec *config.SweepParameter
	if s.Config != nil && j < len(s.Config.Sweep.Parameters) && s.Config.Sweep.Parameters[j].Key == key {
		spec = &s.Config.Sweep.Parameters[j]
	}
	if p.Numeric {
		idx := make([]int, len(p.Values))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.X[a], p.X[b]) })
		vals, xs := make([]string, len(idx)), make([]float64, len(idx))
		for i, k := range idx {
			vals[i], xs[i] = p.Values[k], p.X[k]
		}
		p.Values, p.X = vals, xs
		if p.X[0] > 0 && (p.X[len(p.X)-1]/p.X[0] >= 100 || spec != nil && spec.Scale == "log" && len(spec.Values) == 0) {
			p.Log = len(p.X) > 1
		}
		return p
	}
	// Texts: the scenario's order; values it does not list (or all, if
	// the scenario has no such list) by first appearance.
	if spec != nil && len(spec.Texts) > 0 {
		var ordered []string
		for _, t := range spec.Texts {
			if slices.Contains(p.Values, t) && !slices.Contains(ordered, t) {
				ordered = append(ordered, t)
			}
		}
		for _, v := range p.Values {
			if !slices.Contains(ordered, v) {
				ordered = append(ordered, v)
			}
		}
		p.Values = ordered
	}
	return p
}

// isFullGrid reports whether parameters a and b take every combination of
// their values among the points where every other parameter is at its
// first value, and returns those points as cell[ib*len(a)+ia] = point.
func (s *Sweep) isFullGrid(a, b int) ([]int, bool) {
	if s.Design == "latin-hypercube" {
		return nil, false
	}
	pa, pb := &s.Params[a], &s.Params[b]
	cell := make([]int, len(pa.Values)*len(pb.Values))
	for i := range cell {
		cell[i] = -1
	}
	for k, pt := range s.Points {
		if !s.othersFirst(pt, a, b) {
			continue
		}
		i := pb.index(pt.Values[b])*len(pa.Values) + pa.index(pt.Values[a])
		if cell[i] >= 0 {
			return nil, false // two points in a cell: not a grid
		}
		cell[i] = k
	}
	for _, k := range cell {
		if k < 0 {
			return nil, false
		}
	}
	return cell, true
}

// othersFirst reports whether every parameter but those in keep is at its
// first value at point pt.
func (s *Sweep) othersFirst(pt SweepPoint, keep ...int) bool {
	for j := range s.Params {
		if !slices.Contains(keep, j) && pt.Values[j] != s.Params[j].Values[0] {
			return false
		}
	}
	return true
}

// othersNote describes where the other parameters are held, for captions.
func (s *Sweep) othersNote(keep ...int) string {
	var parts []string
	for j, p := range s.Params {
		if !slices.Contains(keep, j) {
			parts = append(parts, p.Key+" = "+valueLabel(p, p.Values[0]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; other parameters at their first value: " + strings.Join(parts, ", ")
}
