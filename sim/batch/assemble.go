package batch

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/results"
)

// Files a sweep writes when complete.
const (
	SweepFile = "sweep.csv"
	PointsDir = "points"
)

// Sources says which store holds each run of a plan.
type Sources struct {
	plan *Plan
	of   []*Store
	hash []string
}

// Collect checks that stores all hold runs of plan and that together they
// hold every run of it.
func Collect(plan *Plan, stores []*Store) (*Sources, error) {
	want := ManifestOf(plan)
	src := &Sources{plan: plan, of: make([]*Store, plan.Runs()), hash: make([]string, plan.Runs())}
	for _, s := range stores {
		if !s.manifest.equal(want) {
			return nil, fmt.Errorf("%s holds another batch than %s (scenario sha256 %.12s…, %d runs; want %.12s…, %d runs)",
				s.dir, stores[0].dir, s.manifest.ScenarioSHA256, s.manifest.Runs, want.ScenarioSHA256, want.Runs)
		}
		logged, err := s.logged()
		if err != nil {
			return nil, err
		}
		done, err := s.Finished()
		if err != nil {
			return nil, err
		}
		for u := range done {
			if src.of[u] == nil {
				src.of[u], src.hash[u] = s, logged[u]
			}
		}
	}
	var missing []string
	count := 0
	for u, s := range src.of {
		if s == nil {
			count++
			if len(missing) < 5 {
				missing = append(missing, strconv.Itoa(u))
			}
		}
	}
	if count > 0 {
		more := ""
		if count > len(missing) {
			more = ", …"
		}
		return nil, fmt.Errorf("%d of %d runs are missing (runs %s%s): run the missing shards, or rerun into the same --out to resume",
			count, plan.Runs(), strings.Join(missing, ", "), more)
	}
	return src, nil
}

// Results returns the results of point p, arm-major, with their networks.
func (src *Sources) Results(p int) ([]*sim.Result, error) { return src.point(p) }

// point returns the results of point p, arm-major, with their networks.
func (src *Sources) point(p int) ([]*sim.Result, error) {
	plan := src.plan
	cfg := plan.Points[p].Config
	nets := make([]*network.Network, plan.Reps)
	var out []*sim.Result
	for a := range plan.Arms {
		for rep := 0; rep < plan.Reps; rep++ {
			u := (p*len(plan.Arms)+a)*plan.Reps + rep
			r, err := src.of[u].Get(u)
			if err != nil {
				return nil, err
			}
			if nets[rep] == nil {
				if nets[rep], err = sim.BuildNetwork(cfg, rep); err != nil {
					return nil, err
				}
			}
			r.Network = nets[rep]
			out = append(out, r)
		}
	}
	return out, nil
}

// WriteRun writes the result files of a one-point batch into the new
// directory out, as `smesim run` does; extra, if not nil, adds files (see
// results.WriteDirWith).
func WriteRun(out string, src *Sources, meta results.Meta, extra func(tmp string) error) error {
	rs, err := src.point(0)
	if err != nil {
		return err
	}
	return results.WriteDirWith(out, src.plan.Points[0].Scenario, rs, meta, extra)
}

// WriteSweep copies into s the runs other stores hold, then writes the
// sweep's files into s's directory: points/<k>/ per point (the files of
// `smesim run`) and sweep.csv, one row per point, arm and metric. Each
// file appears complete or not at all; writing again gives the same bytes.
func WriteSweep(s *Store, src *Sources, meta results.Meta) error {
	plan := src.plan
	done := make(map[int]string, plan.Runs())
	for u, from := range src.of {
		if from != s {
			data, err := from.Raw(u, src.hash[u])
			if err != nil {
				return err
			}
			if err := s.PutRaw(u, data); err != nil {
				return err
			}
		}
		done[u] = src.hash[u]
	}
	if err := s.SortLog(done); err != nil {
		return err
	}
	var rows [][]string
	width := len(fmt.Sprint(len(plan.Points) - 1))
	for p := range plan.Points {
		rs, err := src.point(p)
		if err != nil {
			return err
		}
		dir := filepath.Join(s.dir, PointsDir, fmt.Sprintf("%0*d", width, p))
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		if err := results.WriteDir(dir, plan.Points[p].Scenario, rs, meta); err != nil {
			return err
		}
		sum, err := results.Summarize(rs)
		if err != nil {
			return err
		}
		for _, a := range sum.Arms {
			for _, set := range []results.Stats{a.Headline, a.Effects} {
				for _, st := range set {
					row := append([]string{strconv.Itoa(p)}, plan.Points[p].Values...)
					row = append(row, a.Arm, st.Metric, results.FormatFloat(st.Mean), results.FormatFloat(st.Lo),
						results.FormatFloat(st.Hi), results.FormatFloat(st.SD), strconv.Itoa(st.N))
					rows = append(rows, row)
				}
			}
		}
	}
	header := append([]string{"point"}, plan.Keys...)
	header = append(header, "arm", "metric", "mean", "lo", "hi", "sd", "n")
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.dir, SweepFile), []byte(b.String()))
}
