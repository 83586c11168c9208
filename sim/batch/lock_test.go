package batch

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestCreateLocks is issue 13 defect 11: two writers into one batch
// directory both did all the work. The second Create is refused, naming
// the holder; Close removes the lock file and frees the directory.
func TestCreateLocks(t *testing.T) {
	plan := testPlan(t, 1)
	dir := filepath.Join(t.TempDir(), "b")
	s, err := Create(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Create(dir, plan)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second Create: %v, want ErrLocked naming process %d", err, os.Getpid())
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file after Close: %v", err)
	}
	s2, err := Create(dir, plan)
	if err != nil {
		t.Fatalf("Create after Close: %v", err)
	}
	s2.Close()
}

// TestCreateRemovesStaleTemporaries is issue 13 defect 11: a writer killed
// while writing a sweep's points left points/K.tmp-*, which resuming never
// removed.
func TestCreateRemovesStaleTemporaries(t *testing.T) {
	plan := testPlan(t, 1)
	dir := filepath.Join(t.TempDir(), "b")
	s, err := Create(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	stale := []string{filepath.Join(dir, PointsDir, "0.tmp-123"), filepath.Join(dir, ".plots.tmp-9"), filepath.Join(dir, ".sweep.csv.tmp-1")}
	for _, p := range stale {
		if err := os.MkdirAll(filepath.Join(p, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	keep := filepath.Join(dir, PointsDir, "0")
	os.MkdirAll(keep, 0o755)
	s, err = Create(dir, plan)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, p := range stale {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s kept", p)
		}
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("%s removed: %v", keep, err)
	}
}

// TestCreateWhileAnotherCreates: a second writer that finds the directory
// locked by a first one still creating it (files there, no manifest yet)
// is told it is in use, not that the directory is not a batch (seen in CI
// when two runs started into one --out under load).
func TestCreateWhileAnotherCreates(t *testing.T) {
	plan := testPlan(t, 1)
	dir := filepath.Join(t.TempDir(), "b")
	if err := os.MkdirAll(filepath.Join(dir, results.InputDir), 0o755); err != nil {
		t.Fatal(err)
	}
	held, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()
	if err := os.WriteFile(filepath.Join(dir, results.InputDir, "network-edges.csv"), []byte("supplier,buyer,weight\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Create(dir, plan)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("Create while another creates: %v, want ErrLocked naming process %d", err, os.Getpid())
	}
}
