package batch

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

func testPlan(t *testing.T, seed uint64) *Plan {
	t.Helper()
	cfg := config.DefaultConfig()
	cfg.Seed = seed
	cfg.Steps = 12
	cfg.Network.Chains = 1
	cfg.Network.SuppliersPerChain = 6
	cfg.Network.RawMaterialsPerChain = 8
	cfg.Network.DistributorsPerChain = 8
	cfg.Replications = 2
	arms, err := cfg.ResolveArms(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Plan{Kind: KindRun, Points: []Point{{Config: &cfg}}, Arms: arms, Reps: 2,
		Scenario: []byte("seed = " + string(rune('0'+seed)) + "\n")}
}

func TestShards(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{{"0/1", true}, {"2/3", true}, {"3/3", false}, {"-1/3", false}, {"1", false}, {"a/b", false}, {"0/0", false}} {
		_, err := ParseShard(c.text)
		if (err == nil) != c.ok {
			t.Errorf("ParseShard(%q): %v", c.text, err)
		}
	}
	// Every run is in exactly one shard.
	for n := 1; n <= 5; n++ {
		for u := 0; u < 40; u++ {
			in := 0
			for i := 0; i < n; i++ {
				if (Shard{i, n}).Has(u) {
					in++
				}
			}
			if in != 1 {
				t.Fatalf("run %d is in %d of %d shards", u, in, n)
			}
		}
	}
	p := &Plan{Points: make([]Point, 3), Arms: make([]config.Arm, 2), Reps: 4}
	if pt, a, r := p.Run(13); pt != 1 || a != 1 || r != 1 {
		t.Errorf("run 13 = point %d arm %d rep %d, want 1 1 1", pt, a, r)
	}
}

func TestStoreRoundTripAndChecks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "b")
	plan := testPlan(t, 1)
	s, err := Create(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.Run(context.Background(), plan.Points[0].Config, plan.Arms[0], 1, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(1, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(1)
	if err != nil {
		t.Fatal(err)
	}
	r.Network = nil
	if !reflect.DeepEqual(got, r) {
		t.Errorf("stored run differs from the run")
	}
	done, _ := s.Finished()
	if !reflect.DeepEqual(done, map[int]bool{1: true}) {
		t.Errorf("finished %v, want run 1", done)
	}
	// A torn log line and a corrupted unit are not trusted.
	s.log.WriteString("2 abc")
	if err := os.WriteFile(s.unitPath(1), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if done, _ := s.Finished(); len(done) != 0 {
		t.Errorf("finished %v after corruption, want none", done)
	}
	s.Close()
	// Reopening as the same batch works (and drops temporary files); as
	// another batch, or on a foreign directory, it does not.
	os.WriteFile(filepath.Join(dir, UnitsDir, ".00000003.gob.tmp-1"), []byte("x"), 0o644)
	s2, err := Create(dir, plan)
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	s2.Close()
	if _, err := os.Stat(filepath.Join(dir, UnitsDir, ".00000003.gob.tmp-1")); err == nil {
		t.Error("temporary file kept")
	}
	if _, err := Create(dir, testPlan(t, 2)); err == nil || !strings.Contains(err.Error(), "another batch") {
		t.Errorf("another batch: %v", err)
	}
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "x"), nil, 0o644)
	if _, err := Create(foreign, plan); err == nil || !strings.Contains(err.Error(), "not a smesim batch") {
		t.Errorf("foreign directory: %v", err)
	}
}

// TestHashInputs: files named relative to the scenario's directory or
// absolute, sorted by name, once each, with the SHA-256 of their content.
func TestHashInputs(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "edges.csv"), []byte("a,b\n"), 0o644)
	abs := filepath.Join(t.TempDir(), "firms.csv")
	os.WriteFile(abs, []byte("c\n"), 0o644)
	got, err := HashInputs(dir, []string{"edges.csv", abs, "edges.csv"})
	if err != nil {
		t.Fatal(err)
	}
	want := []results.Input{
		{File: abs, SHA256: "a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478"},
		{File: "edges.csv", SHA256: "5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("HashInputs = %+v, want %+v", got, want)
	}
	if _, err := HashInputs(dir, []string{"nope.csv"}); err == nil || !strings.Contains(err.Error(), "hashing input nope.csv") {
		t.Errorf("missing file: %v", err)
	}
}

// TestInputsIdentifyBatch: the same scenario run on other input files is
// another batch: resuming refuses it and merging refuses to join its
// shards (issue 13, defect 7), naming the file that changed.
func TestInputsIdentifyBatch(t *testing.T) {
	withInputs := func(sum string) *Plan {
		p := testPlan(t, 1)
		p.Inputs = []results.Input{{File: "edges.csv", SHA256: sum}, {File: "firms.csv", SHA256: "ff"}}
		return p
	}
	old, changed := withInputs("aa"), withInputs("bb")
	dir := filepath.Join(t.TempDir(), "b")
	s, err := Create(dir, old)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Create(dir, changed)
	if err == nil || !strings.Contains(err.Error(), "holds runs of the same scenario with other input files: edges.csv changed (sha256 aa…, now bb…)") {
		t.Errorf("resume on changed inputs: %v", err)
	}
	// Shards of the two: each holds its half; merging them is refused.
	dirs := []string{filepath.Join(t.TempDir(), "s0"), filepath.Join(t.TempDir(), "s1")}
	var stores []*Store
	for i, p := range []*Plan{old, changed} {
		st, err := Create(dirs[i], p)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := Execute(context.Background(), p, st, Options{Workers: 1, Shard: Shard{i, 2}}); err != nil {
			t.Fatal(err)
		}
		stores = append(stores, st)
	}
	if _, err := Collect(old, stores); err == nil || !strings.Contains(err.Error(), "with other input files (edges.csv changed") {
		t.Errorf("merging shards of other inputs: %v", err)
	}
	if _, err := Collect(old, stores[:1]); err == nil || !strings.Contains(err.Error(), "runs are missing") {
		t.Errorf("one shard: %v", err)
	}
}

// TestFirstRepAndElsewhere: a plan that starts at replication FirstRep
// runs the replications another plan numbers the same; and runs finished
// elsewhere are not done again.
func TestFirstRepAndElsewhere(t *testing.T) {
	whole := testPlan(t, 5)
	whole.Reps = 3
	later := testPlan(t, 5)
	later.Reps, later.FirstRep = 2, 1
	if pt, a, r := later.Run(1); pt != 0 || a != 0 || r != 2 {
		t.Errorf("run 1 of the later plan = point %d arm %d rep %d, want 0 0 2", pt, a, r)
	}
	ctx := context.Background()
	all, err := RunAll(ctx, whole, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	last, err := RunAll(ctx, later, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range last {
		w := all[i+1]
		if l.Replication != i+1 || !reflect.DeepEqual(w.Series, l.Series) || !reflect.DeepEqual(w.Firms, l.Firms) {
			t.Errorf("run %d of the later plan, replication %d, differs from replication %d of the whole", i, l.Replication, i+1)
		}
	}
	if reflect.DeepEqual(all[0].Series, all[1].Series) {
		t.Fatal("replications 0 and 1 are the same: the test cannot tell them apart")
	}

	s, err := Create(filepath.Join(t.TempDir(), "b"), later)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ran, err := Execute(ctx, later, s, Options{Workers: 1, Elsewhere: map[int]bool{0: true}})
	if err != nil || ran != 1 {
		t.Fatalf("Execute with run 0 done elsewhere: %d runs, %v; want 1", ran, err)
	}
	if done, _ := s.Finished(); !done[1] || done[0] {
		t.Errorf("the store holds runs %v, want run 1 alone", done)
	}
}
