package batch

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
)

// fuzzPlan is a plan of one point, one arm and reps replications that
// never runs: FuzzStore only reads stores.
func fuzzPlan(scenario string, reps int) *Plan {
	cfg := config.DefaultConfig()
	return &Plan{Kind: KindRun, Points: []Point{{Config: &cfg}}, Arms: []config.Arm{{Name: config.BaselineArm}},
		Reps: reps, Scenario: []byte(scenario)}
}

// fuzzResult is a small result with every field of a stored unit set.
func fuzzResult() *outcome.Result {
	return &outcome.Result{Arm: config.BaselineArm, Replication: 0, StepDays: 7,
		StartDate: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ShockStep: 1,
		Metrics: []string{"firms_active", "failures"}, Series: []float64{3, 0, 2, 1},
		Firms: outcome.FirmOutcomes{Status: make([]outcome.Status, 3), FailStep: []int32{-1, 1, -1},
			Cause: make([]outcome.Cause, 3), RevenueChange: []float64{0, -1, 0.5}, RunwayMonths: []float64{2, 3, 4}, Jobs: []float64{1, 2, 3}},
		Events:        []outcome.Event{{Step: 1, Firm: 1, Parents: []int32{0}, Generation: 1}},
		Interventions: []outcome.InterventionOutcome{{Name: "loans", Kind: "policy-loan", Budget: 10, Used: 5, FiscalCost: 1, ExhaustedStep: -1}},
	}
}

// storeFiles writes a real store of plan holding run 0 (if put) and
// returns its manifest, log and unit.
func storeFiles(tb testing.TB, plan *Plan, put bool) (manifest, log, unit []byte) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "b")
	s, err := Create(dir, plan)
	if err != nil {
		tb.Fatal(err)
	}
	if put {
		if err := s.Put(0, fuzzResult()); err != nil {
			tb.Fatal(err)
		}
	}
	s.Close()
	manifest, _ = os.ReadFile(filepath.Join(dir, results.ManifestFile))
	log, _ = os.ReadFile(filepath.Join(dir, UnitsLog))
	unit, _ = os.ReadFile(s.unitPath(0))
	return manifest, log, unit
}

// FuzzStore writes arbitrary manifest.json, units.log and units/00000000.gob
// into a batch directory and reads it as smesim run, sweep and merge do:
// Open, Finished, Collect against a plan it matches and one it does not,
// Get, and Create (resuming). Errors are fine; panics, hangs, and a run
// counted finished whose file does not match the log are not.
func FuzzStore(f *testing.F) {
	plan := fuzzPlan("name = \"fuzz\"\n", 1)
	manifest, log, unit := storeFiles(f, plan, true)
	f.Add(manifest, log, unit)
	f.Add(manifest, log, unit[:len(unit)/2])                                        // truncated unit, hash mismatch
	f.Add(manifest, []byte("0 "+hashOf([]byte("garbage"))+"\n"), []byte("garbage")) // garbage logged with its hash
	f.Add(manifest, append(log, "0 abc"...), unit)                                  // torn last line
	f.Add(manifest, []byte{}, unit)
	f.Add([]byte(`{"format":2}`), log, unit)
	f.Add([]byte(`{"format":1,"kind":"run","runs":-5}`), log, unit)
	f.Add([]byte("not json"), log, unit)
	other, _, _ := storeFiles(f, fuzzPlan("name = \"other\"\n", 3), false)
	f.Add(other, log, unit)

	plans := []*Plan{plan, fuzzPlan("name = \"other\"\n", 3)}
	f.Fuzz(func(t *testing.T, manifest, log, unit []byte) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, UnitsDir), 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{results.ManifestFile: manifest, UnitsLog: log, filepath.Join(UnitsDir, "00000000.gob"): unit} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Open(dir)
		if err != nil {
			return
		}
		runs := s.Manifest().Runs
		logged, lerr := s.logged()
		done, ferr := s.Finished()
		if (lerr == nil) != (ferr == nil) {
			t.Fatalf("logged: %v, Finished: %v", lerr, ferr)
		}
		for u := range done {
			if u < 0 || u >= runs {
				t.Fatalf("run %d finished, outside the manifest's %d runs", u, runs)
			}
			if u != 0 || logged[u] != hashOf(unit) {
				t.Fatalf("run %d counted finished, but its file does not match the log", u)
			}
		}
		for _, p := range plans {
			src, err := Collect(p, []*Store{s})
			if err != nil {
				continue
			}
			if !s.Manifest().Equal(ManifestOf(p)) {
				t.Fatalf("Collect accepted a store of another batch")
			}
			for u := 0; u < p.Runs(); u++ {
				if src.of[u] != s || !done[u] {
					t.Fatalf("Collect succeeded without run %d", u)
				}
			}
		}
		if r, err := s.Get(0); err == nil {
			if len(unit) == 0 || r == nil {
				t.Fatalf("Get decoded %d bytes into %v", len(unit), r)
			}
		}
		if done[0] {
			if _, err := s.Raw(0, logged[0]); err != nil {
				t.Fatalf("a finished run does not read back: %v", err)
			}
		}
		// Resuming the store as plan's: it either refuses or opens it
		// with the same finished runs.
		c, err := Create(dir, plan)
		if err != nil {
			return
		}
		defer c.Close()
		again, err := c.Finished()
		if ferr == nil && err == nil && !reflect.DeepEqual(again, done) {
			t.Fatalf("finished runs changed on resuming: %v, was %v", again, done)
		}
	})
}

// TestGetGarbage: a unit file that is not a whole encoded run is an error
// for Get, whatever its length.
func TestGetGarbage(t *testing.T) {
	plan := fuzzPlan("name = \"fuzz\"\n", 1)
	dir := filepath.Join(t.TempDir(), "b")
	s, err := Create(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := fuzzResult()
	if err := s.Put(0, want); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(s.unitPath(0))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(0)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Get: %v, %+v", err, got)
	}
	js, _ := json.Marshal(want)
	bad := [][]byte{nil, []byte("garbage"), bytes.Repeat([]byte{0xff}, 64), js, append([]byte{0x7f}, good...)}
	for n := 1; n < len(good); n++ {
		bad = append(bad, good[:n])
	}
	for _, b := range bad {
		if err := os.WriteFile(s.unitPath(0), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if r, err := s.Get(0); err == nil {
			t.Errorf("Get of %d bytes (%q…) succeeded: %+v", len(b), b[:min(len(b), 16)], r)
		}
	}
}
