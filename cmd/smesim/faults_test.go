package main

// Write faults that .ci/faults.sh cannot cause on demand: a torn line at the
// end of a batch's units.log, and messages that must name the user's paths
// rather than temporary ones. .ci/faults.sh covers the real faults (a full
// disk, a read-only file system, signals) through mounts, as root.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/results"
)

// TestSweepResumeAfterTornLog: a sweep whose units.log ends in a torn line
// (the append of a run's hash cut short by a crash or a full disk) resumes
// in one go: the runs appended after the torn line count as finished.
func TestSweepResumeAfterTornLog(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	writeFile(t, "sw.toml", sweepScenario)
	if code, _, errs := smesim(t, "sweep", "sw.toml", "--out", "ref", "--plots", "none"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	if code, _, errs := smesim(t, "sweep", "sw.toml", "--out", "cut", "--plots", "none"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	// Make "cut" a sweep stopped while logging run 10: runs 0 to 9 logged,
	// run 10's file in place but its line torn, run 11 not done.
	logPath := filepath.Join("cut", batch.UnitsLog)
	data, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) < 12 || !strings.HasPrefix(lines[10], "10 ") {
		t.Fatalf("units.log does not list runs 0 to 11 in order:\n%s", data)
	}
	torn := strings.Join(lines[:10], "") + lines[10][:20]
	if err := os.WriteFile(logPath, []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join("cut", batch.UnitsDir, "00000011.gob"), filepath.Join("cut", batch.SweepFile), filepath.Join("cut", batch.PointsDir)} {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := smesim(t, "sweep", "sw.toml", "--out", "cut", "--plots", "none")
	if code != 0 {
		t.Fatalf("resumed sweep after a torn units.log: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "(2 run now, 10 already done)") {
		t.Errorf("resumed sweep: %q; want runs 10 and 11 run again, 10 already done", out)
	}
	sameTree(t, "resumed after a torn log", treeFiles(t, "ref"), treeFiles(t, "cut"))
}

// TestWriteErrorNamesOutDir: an error met while writing a result directory
// names the files by their place in the output directory, not in the
// temporary directory (removed by then), and still unwraps to its cause.
func TestWriteErrorNamesOutDir(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	cfg, err := scenarios.Open("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Replications = 1
	rs, err := runAll(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	scen, err := scenarios.Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A failure in the figures written into the temporary directory.
	cause := &os.PathError{Op: "write", Err: syscall.ENOSPC}
	fail := func(tmp string) error {
		cause.Path = filepath.Join(tmp, ".plots.tmp-123", "active-firms.png")
		return cause
	}
	_, err = results.WriteDir(filepath.Join("sub", "out"), scen, results.Slice(rs), results.Meta{}, fail)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if want := filepath.Join("sub", "out", ".plots.tmp-123", "active-firms.png"); !strings.Contains(msg, want) || strings.Contains(msg, "out.tmp-") {
		t.Errorf("error %q: want it to name %s and no temporary directory", msg, want)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %q does not unwrap to ENOSPC", msg)
	}
	if entries, _ := os.ReadDir("sub"); len(entries) != 0 {
		t.Errorf("a failed write left %v", entries)
	}
}
