package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

// countingStream is a Stream that records the results it was asked for.
type countingStream struct {
	rs    []*outcome.Result
	asked []int
}

func (s *countingStream) Len() int { return len(s.rs) }
func (s *countingStream) Result(i int) (*outcome.Result, error) {
	s.asked = append(s.asked, i)
	return s.rs[i], nil
}

// inFileOrder returns the fixture in the order of the result files.
func inFileOrder(t *testing.T) []*outcome.Result {
	rs, err := Ordered(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestWriteDirStreamSameBytes: streaming the results one at a time writes
// the golden files, reading each result once and in order.
func TestWriteDirStreamSameBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	src := &countingStream{rs: inFileOrder(t)}
	w, err := WriteDir(dir, fixtureTOML, src, fixtureMeta, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(src.asked, []int{0, 1, 2, 3}) {
		t.Errorf("results read %v, want each once in order", src.asked)
	}
	if w.Firms != 5 {
		t.Errorf("firms %d, want 5", w.Firms)
	}
	want, err := Summarize(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	writeJSON(&a, w.Summary)
	writeJSON(&b, want)
	if a.String() != b.String() {
		t.Errorf("returned summary differs from Summarize")
	}
	for _, name := range allFiles {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, golden) {
			t.Errorf("%s differs from its golden file", name)
		}
	}
}

// TestWriteDirStreamOrder: a stream out of file order is refused and
// leaves nothing behind.
func TestWriteDirStreamOrder(t *testing.T) {
	cases := map[string]func(rs []*outcome.Result) []*outcome.Result{
		"arms interleaved": func(rs []*outcome.Result) []*outcome.Result { return []*outcome.Result{rs[0], rs[2], rs[1], rs[3]} },
		"replications descending": func(rs []*outcome.Result) []*outcome.Result {
			return []*outcome.Result{rs[1], rs[0], rs[2], rs[3]}
		},
		"replication twice": func(rs []*outcome.Result) []*outcome.Result { return []*outcome.Result{rs[0], rs[0], rs[2], rs[3]} },
		"none":              func(rs []*outcome.Result) []*outcome.Result { return nil },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			if _, err := WriteDir(dir, fixtureTOML, Slice(spoil(inFileOrder(t))), fixtureMeta, nil); err == nil {
				t.Fatal("no error")
			}
			noLeftovers(t, parent)
		})
	}
}

// aggregateOf returns r as recorded with output.record = "aggregate": no
// firm outcomes, no events, no network, and the failure and employment
// series of its firm outcomes.
func aggregateOf(r *outcome.Result) *outcome.Result {
	a := *r
	a.Network = nil
	a.Firms, a.Events = outcome.FirmOutcomes{}, nil
	m := len(r.Metrics)
	a.Metrics = append(slices.Clone(r.Metrics), "failures", "failures_sme", "failures_core", "employment", "firms_active")
	a.Series = nil
	var jobs float64
	for _, j := range r.Firms.Jobs {
		jobs += j
	}
	for t := 0; t < r.Steps(); t++ {
		var f, sme, core, lost float64
		for i, s := range r.Firms.FailStep {
			if s == int32(t) {
				f++
				if r.Network.Kind[i] == network.Core {
					core++
				} else {
					sme++
				}
			}
			if s >= 0 && s <= int32(t) {
				lost += r.Firms.Jobs[i]
			}
		}
		a.Series = append(a.Series, r.Series[t*m:(t+1)*m]...)
		a.Series = append(a.Series, f, sme, core, jobs-lost, float64(r.Network.N())-f)
	}
	return &a
}

// TestWriteDirAggregate: results without firm outcomes, events or network
// give firms.csv and events.csv with their header only, and failure
// counts from the series.
func TestWriteDirAggregate(t *testing.T) {
	var rs []*outcome.Result
	for _, r := range inFileOrder(t) {
		rs = append(rs, aggregateOf(r))
	}
	dir := filepath.Join(t.TempDir(), "out")
	w, err := WriteDir(dir, fixtureTOML, Slice(rs), fixtureMeta, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.Firms != 5 {
		t.Errorf("firms %d, want 5 (from the series)", w.Firms)
	}
	for name, header := range map[string][]string{FirmsFile: FirmsHeader, EventsFile: EventsHeader} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if string(b) != strings.Join(header, ",")+"\n" {
			t.Errorf("%s = %q, want the header only", name, b)
		}
	}
	rows, _, err := ReadTimeseries(dir, Limits{})
	if err != nil || len(rows) != 4*4*9 {
		t.Errorf("%d time-series rows (%v), want 144", len(rows), err)
	}
	// Baseline replication 0: raw (jobs 10), Acme (20) and core (40) fail.
	h := Headline(rs[0])
	want := map[string]float64{SMEFailures: 2, CoreFailures: 1, Failures: 3, JobsLost: 70}
	for name, v := range want {
		if got := h[Index(name)]; got != v {
			t.Errorf("aggregate %s = %v, want %v", name, got, v)
		}
	}
	for _, name := range []string{LargestCascade, MeanCascadeDepth} {
		if !math.IsNaN(h[Index(name)]) {
			t.Errorf("aggregate %s = %v, want NaN (no events)", name, h[Index(name)])
		}
	}
	// A failure at the first step hides jobs from the series.
	full := inFileOrder(t)[0]
	early := aggregateOf(full)
	early.Series[len(full.Metrics)] = 1 // failures at step 0
	if v := Headline(early)[Index(JobsLost)]; !math.IsNaN(v) {
		t.Errorf("jobs lost %v with failures at step 0, want NaN", v)
	}
	// A network is needed only with firm outcomes or events.
	bad := *inFileOrder(t)[0]
	bad.Network = nil
	if _, err := WriteDir(filepath.Join(t.TempDir(), "out"), fixtureTOML, Slice{&bad}, fixtureMeta, nil); err == nil || !strings.Contains(err.Error(), "no network") {
		t.Errorf("firm outcomes without a network: %v", err)
	}
}
