package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// figureFiles returns the figure files and report of a result directory,
// by relative path.
func figureFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(filepath.Join(dir, plotsDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, plotsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Join(plotsDir, e.Name())] = data
	}
	data, err := os.ReadFile(filepath.Join(dir, reportFile))
	if err != nil {
		t.Fatal(err)
	}
	out[reportFile] = data
	return out
}

func names(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestPlotRedrawsRunFigures: smesim plot, from the result files alone,
// writes the same figure files (names and bytes) and report as the run.
func TestPlotRedrawsRunFigures(t *testing.T) {
	inTempDir(t)
	writeFile(t, "s.toml", sweepScenario) // its [sweep] is ignored by run
	if code, _, errs := smesim(t, "run", "s.toml", "--out", "r"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	want := figureFiles(t, "r")
	for _, ext := range []string{".png", ".svg"} {
		n := 0
		for name := range want {
			if strings.HasSuffix(name, ext) {
				n++
			}
		}
		if n < 5 {
			t.Errorf("%d %s figures, want at least 5: %v", n, ext, names(want))
		}
	}
	if err := os.RemoveAll(filepath.Join("r", plotsDir)); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join("r", reportFile))
	if code, _, errs := smesim(t, "plot", "r"); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errs)
	}
	got := figureFiles(t, "r")
	if strings.Join(names(got), " ") != strings.Join(names(want), " ") {
		t.Fatalf("plot wrote %v, the run wrote %v", names(got), names(want))
	}
	for name, data := range want {
		if !bytes.Equal(data, got[name]) {
			t.Errorf("%s differs between the run and smesim plot", name)
		}
	}
	// --plots none: no figures, no report.
	if code, _, errs := smesim(t, "run", "s.toml", "--out", "bare", "--plots", "none"); code != 0 {
		t.Fatalf("run --plots none: exit %d: %s", code, errs)
	}
	if exists(filepath.Join("bare", plotsDir)) || exists(filepath.Join("bare", reportFile)) {
		t.Error("--plots none wrote figures")
	}
	if code, _, _ := smesim(t, "run", "s.toml", "--out", "x", "--plots", "gif"); code != 2 {
		t.Errorf("--plots gif: exit %d, want 2", code)
	}
}

func TestCompareAndSweepFigures(t *testing.T) {
	inTempDir(t)
	writeFile(t, "s.toml", sweepScenario)
	for _, d := range []string{"a", "b"} {
		args := []string{"run", "s.toml", "--out", d, "--plots", "none"}
		if d == "b" {
			args = append(args, "--seed", "9")
		}
		if code, _, errs := smesim(t, args...); code != 0 {
			t.Fatalf("run %s: exit %d: %s", d, code, errs)
		}
	}
	if code, _, errs := smesim(t, "compare", "a", "b", "--labels", "first,second", "--out", "cmp"); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	if entries, _ := os.ReadDir("cmp"); len(entries) < 2 {
		t.Errorf("compare wrote %d files", len(entries))
	}
	if code, _, _ := smesim(t, "compare", "a", "--out", "one"); code != 2 {
		t.Errorf("compare with one directory: exit %d, want 2", code)
	}
	if code, _, errs := smesim(t, "sweep", "s.toml", "--out", "sw"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	figs := figureFiles(t, "sw")
	if len(figs) < 3 {
		t.Errorf("the sweep drew %v", names(figs))
	}
}
