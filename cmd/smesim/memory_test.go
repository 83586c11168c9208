package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestHelperSmesim is not a test: run as a subprocess by other tests with
// SMESIM_HELPER_ARGS set (the arguments, one per line), it is smesim.
func TestHelperSmesim(t *testing.T) {
	args := os.Getenv("SMESIM_HELPER_ARGS")
	if args == "" {
		t.Skip("a helper for subprocess tests")
	}
	os.Exit(run(append([]string{"smesim"}, strings.Split(args, "\n")...), os.Stdout, os.Stderr))
}

// smesimUnderLimit runs smesim with args in a subprocess whose address
// space is limited to limitKB (ulimit -v), and returns its exit code and
// stderr.
func smesimUnderLimit(t *testing.T, limitKB string, args ...string) (int, string) {
	t.Helper()
	if raceEnabled {
		t.Skip("the race detector reserves more address space than ulimit -v allows")
	}
	cmd := exec.Command("bash", "-c", "ulimit -v "+limitKB+" && exec \"$0\" -test.run='^TestHelperSmesim$'", os.Args[0])
	cmd.Env = append(os.Environ(), "SMESIM_HELPER_ARGS="+strings.Join(args, "\n"))
	var errb strings.Builder
	cmd.Stderr = &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, errb.String()
}

// TestAddressSpaceLimit: under ulimit -v, a scenario too large for the
// address space left is refused with one line naming the limit, before
// anything is allocated, and a small one runs (issue 13, defect 5: the
// memory check read only MemAvailable, so the run crashed with a Go
// stack dump). 2 GB leaves some 0.7 GB once the Go runtime has reserved
// the address space it needs to start (about 1.25 GB with Go 1.26, so
// that under 1.3 GB no Go program starts at all).
func TestAddressSpaceLimit(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ulimit -v is Linux's here")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	inTempDir(t)
	writeFile(t, "big.toml", "name = \"big\"\nsteps = 40\nreplications = 2\n\n[network]\nchains = 3000\n")
	code, errs := smesimUnderLimit(t, "2000000", "run", "big.toml", "--out", "big", "--plots", "none")
	if code != 2 {
		t.Errorf("big: exit %d, want 2: %.300s", code, errs)
	}
	oneErrorLine(t, errs, `scenario "big" needs about 1.6 GiB`, "(the address space left under ulimit -v 2000000: ")
	if _, err := os.Stat("big"); err == nil {
		t.Error("a refused run left its --out")
	}
	code, errs = smesimUnderLimit(t, "2000000", "run", "small", "--out", "small", "--plots", "none")
	if code != 0 {
		t.Errorf("small: exit %d, want 0: %.300s", code, errs)
	}
}

// TestNationalRefusedWithoutMemory: the ten-million-firm scenario of
// testdata/national.toml is refused before anything is allocated on a
// machine without the memory it needs (here, 4 GB of address space), with
// the estimate in the one error line, and leaves no --out.
func TestNationalRefusedWithoutMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ulimit -v is Linux's here")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	scenario, err := filepath.Abs("../../testdata/national.toml")
	if err != nil {
		t.Fatal(err)
	}
	inTempDir(t)
	code, errs := smesimUnderLimit(t, "4000000", "run", scenario, "--out", "national", "--plots", "none")
	if code != 2 {
		t.Errorf("exit %d, want 2: %.300s", code, errs)
	}
	oneErrorLine(t, errs, `scenario "national" needs about 10.8 GiB (10000016 firms and 30000048 links per network`, "(the address space left under ulimit -v 4000000: ")
	if _, err := os.Stat("national"); err == nil {
		t.Error("a refused run left its --out")
	}
}

// TestSweepChecksEveryPointsMemory: the memory check of a sweep takes its
// largest point, not its base scenario (issue 13, defect 5: a point with
// network.chains = 100000 was not refused and allocated until it
// crashed). The sweep runs under ulimit -v so that, were it not refused,
// it would fail fast rather than take the machine's memory.
func TestSweepChecksEveryPointsMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ulimit -v is Linux's here")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	inTempDir(t)
	writeFile(t, "pts.toml", "name = \"pts\"\nsteps = 40\n\n[network]\nchains = 2\n\n[[sweep.parameters]]\nkey = \"network.chains\"\nvalues = [2, 100000]\n")
	code, errs := smesimUnderLimit(t, "3000000", "sweep", "pts.toml", "--out", "out", "--plots", "none", "--progress", "none")
	if code != 2 {
		t.Errorf("exit %d, want 2: %.300s", code, errs)
	}
	oneErrorLine(t, errs, `the largest point of scenario "pts" (network.chains = 100000) needs about `, "available")
	if _, err := os.Stat("out"); err == nil {
		t.Error("a refused sweep left its --out")
	}
}
