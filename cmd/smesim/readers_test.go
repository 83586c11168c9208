package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smesim/smesim/plots"
	"github.com/smesim/smesim/sim/results"
)

// TestQuietScenarioRunsWithFigures: a scenario without shocks plots flat
// series, whose axis ranges once made the tick loop spin forever and
// exhaust memory (issue 13, defect 1). It must run with its figures, and
// smesim plot must redraw them.
func TestQuietScenarioRunsWithFigures(t *testing.T) {
	inTempDir(t)
	writeFile(t, "quiet.toml", "name = \"quiet\"\nshocks = []\nsteps = 20\n")
	if code, _, errs := smesim(t, "run", "quiet.toml", "--out", "q", "--plots", "svg"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	for _, fig := range []string{plots.FigActiveFirms, plots.FigFailuresByChannel, plots.FigRelativeLevels, plots.FigNetwork} {
		if _, err := os.Stat(filepath.Join("q", plotsDir, fig+".svg")); err != nil {
			t.Errorf("figure %s: %v", fig, err)
		}
	}
	if code, _, errs := smesim(t, "plot", "q", "--plots", "svg"); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errs)
	}
}

// fileNetworkScenario is a file network named by relative paths, the
// documented form, with a fact that holds whatever the run.
const fileNetworkScenario = `name = "file-net"
steps = 40
replications = 2
start_date = "2020-01-01"
[network]
generator = "file"
edges_file = "edges.csv"
firms_file = "firms.csv"

[[facts]]
name = "some firms survive"
quantity = "failure-share"
firms = "all"
date = "2020-02-01"
target = 0.5
tolerance = 0.5
`

// TestFileNetworkResultDirMoves: a run of a file network with relative
// paths writes a result directory that, moved elsewhere and with the
// scenario's folder gone, is plotted (the same figures), fact-checked and
// run again from its scenario.toml (the same result files). It once failed
// after computing every run (issue 13, defect 2).
func TestFileNetworkResultDirMoves(t *testing.T) {
	inTempDir(t)
	if err := os.Mkdir("in", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, "in/edges.csv", "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,0.5\nf2,f4,1\n")
	writeFile(t, "in/firms.csv", "id,kind,role,sector\nf1,sme,supplier,parts\nf2,core,manufacturer,goods\nf3,sme,supplier,parts\nf4,sme,distributor,retail\n")
	writeFile(t, "in/s.toml", fileNetworkScenario)
	if code, _, errs := smesim(t, "run", "in/s.toml", "--out", "r", "--plots", "svg"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	want := figureFiles(t, "r")
	if err := os.MkdirAll("elsewhere", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename("r", "elsewhere/moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll("in"); err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join("elsewhere", "moved")

	if code, _, errs := smesim(t, "plot", moved, "--plots", "svg"); code != 0 {
		t.Fatalf("plot: exit %d: %s", code, errs)
	}
	got := figureFiles(t, moved)
	for name, data := range want {
		if !bytes.Equal(data, got[name]) {
			t.Errorf("%s differs between the run and smesim plot of the moved directory", name)
		}
	}
	if report := string(got[reportFile]); !strings.Contains(report, "all 3 edges drawn") {
		t.Errorf("the caption of the network figure does not say it draws the 3 edges of network/")
	}

	code, out, errs := smesim(t, "check-facts", moved)
	if code != 0 || !strings.Contains(out, "1 of 1 facts reproduced") {
		t.Fatalf("check-facts: exit %d: %s%s", code, out, errs)
	}

	if code, _, errs := smesim(t, "run", filepath.Join(moved, results.ScenarioFile), "--out", "again", "--plots", "svg"); code != 0 {
		t.Fatalf("run of the moved scenario.toml: exit %d: %s", code, errs)
	}
	for _, name := range []string{results.ScenarioFile, results.TimeseriesFile, results.FirmsFile, results.EventsFile, results.SummaryFile,
		results.NetworkFirmsFile, results.NetworkEdgesFile, "input/network-edges.csv", "input/network-firms.csv"} {
		a, err := os.ReadFile(filepath.Join(moved, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join("again", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the run and the run of its moved scenario.toml", name)
		}
	}
}

// TestMalformedResultDirIsBadInput: plot, compare and check-facts of a
// result directory whose timeseries.csv holds a step no run writes exit 2
// with one line naming the file, line and column; a step of −5 panicked
// and one of 2e9 allocated 16 GB (issue 13, defect 8).
func TestMalformedResultDirIsBadInput(t *testing.T) {
	inTempDir(t)
	// A generated network, so that the test does not depend on defect 2.
	scenario := strings.Replace(fileNetworkScenario, "generator = \"file\"\nedges_file = \"edges.csv\"\nfirms_file = \"firms.csv\"", "chains = 2", 1)
	writeFile(t, "s.toml", scenario)
	if code, _, errs := smesim(t, "run", "s.toml", "--out", "good", "--plots", "none"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	ts, err := os.ReadFile(filepath.Join("good", results.TimeseriesFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(ts), "\n")
	for _, tc := range []struct {
		name, row, want string
	}{
		{"negative step", strings.Replace(lines[1], ",0,0,", ",0,-5,", 1), "timeseries.csv:2: column step: -5: must be 0 or more"},
		{"huge step", strings.Replace(lines[1], ",0,0,", ",0,2000000000,", 1), "timeseries.csv:2: column step: 2000000000 is not a step of the scenario (0 to 39)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := strings.ReplaceAll(tc.name, " ", "-")
			if err := os.CopyFS(dir, os.DirFS("good")); err != nil {
				t.Fatal(err)
			}
			bad := append(slices.Clone(lines[:1]), tc.row)
			bad = append(bad, lines[2:]...)
			writeFile(t, filepath.Join(dir, results.TimeseriesFile), strings.Join(bad, ""))
			for _, args := range [][]string{
				{"plot", dir},
				{"compare", "good", dir, "--out", dir + "-compared"},
				{"check-facts", dir},
			} {
				code, _, errs := smesim(t, args...)
				if code != 2 {
					t.Errorf("%s: exit %d, want 2: %s", args[0], code, errs)
				}
				oneErrorLine(t, errs, tc.want)
			}
		})
	}
}
