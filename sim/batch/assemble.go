package batch

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
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
		if change := stores[0].manifest.InputsChanged(s.manifest); change != "" && s != stores[0] {
			return nil, fmt.Errorf("%s holds runs of the same scenario as %s with other input files (%s): shards must be run on the same files",
				s.dir, stores[0].dir, change)
		}
		if !s.manifest.Equal(want) {
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
// It holds them all in memory: WriteRun and WriteSweep stream them instead.
func (src *Sources) Results(p int) ([]*outcome.Result, error) {
	st := src.Stream(p)
	out := make([]*outcome.Result, 0, st.Len())
	for i := 0; i < st.Len(); i++ {
		r, err := st.result(i, true)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Run reads run u of the plan without its network (nil): what needs only
// the firms' fates and the series, as counting failures does.
func (src *Sources) Run(u int) (*outcome.Result, error) { return src.of[u].Get(u) }

// PointStream is the results of one point as a results.Stream: read from
// the stores one at a time, arm-major, as the result files order them.
type PointStream struct {
	src  *Sources
	p    int
	nets []*network.Network // by replication, built when first needed
}

// Stream returns the results of point p as a results.Stream.
func (src *Sources) Stream(p int) *PointStream {
	return &PointStream{src: src, p: p, nets: make([]*network.Network, src.plan.Reps)}
}

// Len returns the number of results of the point: arms × replications.
func (s *PointStream) Len() int { return len(s.src.plan.Arms) * s.src.plan.Reps }

// Result reads result i of the point (arm i / replications, replication
// i mod replications). Its network is built from the scenario, once per
// replication, only if the result needs one to be written: a result
// without firm outcomes and events (output.record = "aggregate") has a nil
// Network, and no network is built for it.
func (s *PointStream) Result(i int) (*outcome.Result, error) { return s.result(i, false) }

func (s *PointStream) result(i int, withNet bool) (*outcome.Result, error) {
	plan := s.src.plan
	a, rep := i/plan.Reps, i%plan.Reps
	u := (s.p*len(plan.Arms)+a)*plan.Reps + rep
	r, err := s.src.of[u].Get(u)
	if err != nil {
		return nil, err
	}
	if withNet || len(r.Firms.Status) > 0 || len(r.Events) > 0 {
		if s.nets[rep] == nil {
			if s.nets[rep], err = sim.BuildNetwork(plan.PointConfig(s.p), plan.FirstRep+rep); err != nil {
				return nil, err
			}
		}
		r.Network = s.nets[rep]
	}
	return r, nil
}

// WriteRun writes the result files of a one-point batch into the new
// directory out, as `smesim run` does, reading the runs one at a time (see
// results.WriteDir); extra, if not nil, adds files (see
// results.WriteDir). It returns what it wrote.
//
// For a scenario that reads files (a file network), the directory holds
// copies of them under results.InputDir, and its scenario.toml names the
// copies (see ResultScenario): it runs again wherever it is moved.
func WriteRun(out string, src *Sources, meta results.Meta, extra func(tmp string) error) (results.Written, error) {
	pt, err := src.plan.Point(0)
	if err != nil {
		return results.Written{}, err
	}
	scenario, inputs, err := ResultScenario(pt)
	if err != nil {
		return results.Written{}, err
	}
	return results.WriteDir(out, scenario, src.Stream(0), meta, func(tmp string) error {
		if err := results.CopyInputs(tmp, inputs); err != nil {
			return err
		}
		if extra != nil {
			return extra(tmp)
		}
		return nil
	})
}

// ResultScenario returns the scenario.toml of point p's result directory
// and the input files to copy into it: p.Scenario itself for a scenario
// that reads no files; otherwise the scenario encoded with its files named
// by their copies (results.Relocated), so that the directory is complete.
func ResultScenario(p Point) ([]byte, []results.InputFile, error) {
	var inputs []results.InputFile
	for _, f := range results.InputFiles(p.Config) {
		if f.Name != "" { // read by the run, not only by the points of its sweep
			inputs = append(inputs, f)
		}
	}
	if len(inputs) == 0 {
		return p.Scenario, nil, nil
	}
	data, err := scenarios.Encode(results.Relocated(p.Config))
	if err != nil {
		return nil, nil, fmt.Errorf("batch: encoding the scenario of the result directory: %w", err)
	}
	return data, inputs, nil
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
	// sweep.csv is written row by row as the points are, to a temporary
	// file renamed into place at the end: a sweep of a million points has
	// tens of millions of rows, too many to hold.
	out, err := results.CreateAtomic(filepath.Join(s.dir, SweepFile))
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	defer out.Abandon()
	cw := csv.NewWriter(out)
	header := append([]string{"point"}, plan.Keys...)
	cw.Write(append(header, "arm", "metric", "mean", "lo", "hi", "sd", "n"))
	width := len(fmt.Sprint(len(plan.Points) - 1))
	for p := range plan.Points {
		dir := filepath.Join(s.dir, PointsDir, fmt.Sprintf("%0*d", width, p))
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		pt, err := plan.Point(p)
		if err != nil {
			return err
		}
		scenario, inputs, err := ResultScenario(pt)
		if err != nil {
			return err
		}
		w, err := results.WriteDir(dir, scenario, src.Stream(p), meta, func(tmp string) error {
			return results.CopyInputs(tmp, inputs)
		})
		if err != nil {
			return err
		}
		for _, a := range w.Summary.Arms {
			for _, set := range []results.Stats{a.Headline, a.Effects} {
				for _, st := range set {
					row := append([]string{strconv.Itoa(p)}, pt.Values...)
					row = append(row, a.Arm, st.Metric, results.FormatFloat(st.Mean), results.FormatFloat(st.Lo),
						results.FormatFloat(st.Hi), results.FormatFloat(st.SD), strconv.Itoa(st.N))
					cw.Write(row)
				}
			}
		}
		if err := cw.Error(); err != nil {
			return fmt.Errorf("batch: writing %s: %w", SweepFile, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("batch: writing %s: %w", SweepFile, err)
	}
	if err := out.Commit(); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	return nil
}
