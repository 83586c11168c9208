package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/results"
)

// TestOutSymlink is issue 13 defect 12: --out at a symbolic link to an
// empty directory replaced the link by a directory. The files go to its
// target and the link stays; a dangling link is refused.
func TestOutSymlink(t *testing.T) {
	inTempDir(t)
	os.Mkdir("target", 0o755)
	os.Symlink("target", "link")
	if code, _, errs := smesim(t, "run", "small", "-r", "1", "--out", "link", "--plots", "none"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if fi, err := os.Lstat("link"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("link is no longer a symbolic link: %v", err)
	}
	if _, err := os.Stat(filepath.Join("target", results.SummaryFile)); err != nil {
		t.Errorf("target: %v", err)
	}
	os.Symlink("nowhere", "dangling")
	code, _, errs := smesim(t, "run", "small", "-r", "1", "--out", "dangling")
	if code != 2 {
		t.Errorf("dangling link: exit %d, want 2", code)
	}
	oneErrorLine(t, errs, "--out dangling is a symbolic link")
}

// TestSweepFileModes is issue 13 defect 12: a sweep's own files were mode
// 0600 while a run's are 0644 (less the umask).
func TestSweepFileModes(t *testing.T) {
	inTempDir(t)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	if code, _, errs := smesim(t, "sweep", "small", "-r", "1", "--out", "sw", "--plots", "none", "--progress", "none"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	filepath.WalkDir("sw", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, _ := d.Info()
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", path, fi.Mode().Perm())
		}
		return nil
	})
}

// TestRunOutLockedAndStale is issue 13 defect 11: a second process into
// the same --out is refused with exit 2 naming the holder, and a resumed
// run removes the temporaries a killed writer left beside --out.
func TestRunOutLockedAndStale(t *testing.T) {
	inTempDir(t)
	// The run's partial directory held by another writer (this process
	// stands in for it: the lock is per open file).
	code, _, errs := smesim(t, "run", "small", "-r", "1", "--out", "held", "--plots", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	os.RemoveAll("held")
	holder, err := batch.LockDir(partialDir("held"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs = smesim(t, "run", "small", "-r", "1", "--out", "held", "--plots", "none")
	if code != 2 {
		t.Errorf("second writer: exit %d, want 2", code)
	}
	oneErrorLine(t, errs, partialDir("held"), "in use by process "+strconv.Itoa(os.Getpid()))
	holder.Release()

	// A killed writer's temporary directory beside --out.
	os.MkdirAll(filepath.Join("out.tmp-12345", "plots"), 0o755)
	os.MkdirAll(".out.tmp-777", 0o755)
	if code, _, errs := smesim(t, "run", "small", "-r", "1", "--out", "out", "--plots", "none"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left %s", e.Name())
		}
	}
}

// TestPlotCompareLockedAndStale is issue 13 defect 11 for plot and
// compare: what a killed plot or compare left half-drawn is removed by the
// next one, and one held by another writer is refused with exit 2.
func TestPlotCompareLockedAndStale(t *testing.T) {
	inTempDir(t)
	if code, _, errs := smesim(t, "run", "small", "-r", "1", "--out", "res", "--plots", "none"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	os.MkdirAll(filepath.Join("res", ".plots.tmp-42", "x"), 0o755)
	os.MkdirAll(filepath.Join("cmp.tmp-42", "x"), 0o755)
	if code, _, errs := smesim(t, "plot", "res", "--plots", "svg"); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errs)
	}
	if code, _, errs := smesim(t, "compare", "res", "res", "--out", "cmp", "--plots", "svg"); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	if tmps := temporaries("."); len(tmps) > 0 {
		t.Errorf("left %v", tmps)
	}
	for _, p := range []string{filepath.Join("res", batch.LockFile), ".cmp.partial"} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("left %s", p)
		}
	}

	held, err := batch.LockDir("res")
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := smesim(t, "plot", "res", "--plots", "svg")
	held.Release()
	if code != 2 {
		t.Errorf("plot of a held directory: exit %d, want 2", code)
	}
	oneErrorLine(t, errs, "res is in use by process "+strconv.Itoa(os.Getpid()))
}
