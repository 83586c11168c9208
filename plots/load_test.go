package plots

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// copyFixture copies the run fixture into a fresh directory.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	err := filepath.WalkDir(fixtureDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(fixtureDir, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// editLine replaces line n (1-based) of file name in dir by line, or
// appends line when n is 0.
func editLine(t *testing.T, dir, name string, n int, line string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if n == 0 {
		lines = append(lines, line+"\n")
	} else {
		lines[n-1] = line + "\n"
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadRunMalformed: a result directory holding what no run writes is
// an error naming the file, line and column, never a panic or an
// allocation sized by a number in the file (issue 13, defect 8: step −5
// panicked, step 2e9 allocated 16 GB).
func TestLoadRunMalformed(t *testing.T) {
	for _, tc := range []struct {
		name       string
		file       string
		line       int // 0: appended
		content    string
		wantSubstr string
	}{
		{"negative step", results.TimeseriesFile, 2, "baseline,0,-5,2020-01-01,firms_active,64",
			"timeseries.csv:2: column step: -5: must be 0 or more"},
		{"huge step", results.TimeseriesFile, 0, "guarantee,2,2000000000,2020-01-01,firms_active,64",
			"column step: 2000000000 is not a step of the scenario (0 to 23)"},
		{"step out of order", results.TimeseriesFile, 3, "baseline,0,5,2020-01-01,smes_active,62",
			"timeseries.csv:3: column step: 5: want step 0 or 1 of arm \"baseline\" replication 0"},
		{"replication beyond the scenario's", results.TimeseriesFile, 2, "baseline,7,0,2020-01-01,firms_active,64",
			"timeseries.csv:2: column replication: 7 is not a replication of the scenario (0 to 2)"},
		{"negative replication", results.TimeseriesFile, 2, "baseline,-1,0,2020-01-01,firms_active,64",
			"timeseries.csv:2: column replication: -1: must be 0 or more"},
		{"metric repeated at step 0", results.TimeseriesFile, 3, "baseline,0,0,2020-01-01,firms_active,62",
			"timeseries.csv:3: column metric: \"firms_active\" appears twice at step 0"},
		{"run cut short", results.TimeseriesFile, 0, "guarantee,2,24,2020-01-01,firms_active,64",
			"column step: 24 is not a step of the scenario (0 to 23)"},
		{"not a number", results.TimeseriesFile, 2, "baseline,0,0,2020-01-01,firms_active,lots",
			"timeseries.csv:2: column value: \"lots\" is not a number"},
		{"unknown arm in firms.csv", results.FirmsFile, 2, "nope,0,f0,core,manufacturer,goods-0,0,active,,,-0.28,4.6,730",
			"firms.csv:2: column arm: arm \"nope\" is not in timeseries.csv"},
		{"unknown replication in firms.csv", results.FirmsFile, 2, "baseline,5,f0,core,manufacturer,goods-0,0,active,,,-0.28,4.6,730",
			"firms.csv:2: column replication: replication 5 of arm \"baseline\" is not in timeseries.csv"},
		{"failure step beyond the run", results.FirmsFile, 2, "baseline,0,f0,core,manufacturer,goods-0,0,failed,99,illiquid,-0.28,4.6,730",
			"firms.csv:2: column failure_step: 99 is not a step of the runs in timeseries.csv (0 to 23)"},
		{"chain below -1", results.FirmsFile, 2, "baseline,0,f0,core,manufacturer,goods-0,-3,active,,,-0.28,4.6,730",
			"firms.csv:2: column chain: -3: must be 0 or more"},
		{"event step beyond the run", results.EventsFile, 2, "baseline,0,2000000000,2020-02-19,f31,sme,distributor,distribution,illiquid,demand,,0,f31",
			"events.csv:2: column step: 2000000000 is not a step of the runs in timeseries.csv (0 to 23)"},
		{"negative generation", results.EventsFile, 2, "baseline,0,7,2020-02-19,f31,sme,distributor,distribution,illiquid,demand,,-2,f31",
			"events.csv:2: column generation: -2: must be 0 or more"},
		{"short record", results.EventsFile, 2, "baseline,0,7",
			"events.csv:2: column 1: wrong number of fields"},
		{"edge to an unknown firm", results.NetworkEdgesFile, 2, "zz,f0,0.5",
			"network/edges.csv:2: column supplier: firm \"zz\" is not in network/firms.csv"},
		{"firm twice in the network", results.NetworkFirmsFile, 3, "f0,core,manufacturer,goods-0,0,,1,0,",
			"network/firms.csv:3: column id: firm \"f0\" appears twice"},
		{"summary of other arms", results.SummaryFile, 5, `      "arm": "elsewhere",`,
			`summary.json: arms ["elsewhere", "loans", "guarantee"], but timeseries.csv holds arms ["baseline", "loans", "guarantee"]`},
		{"scenario.toml of another type", results.ScenarioFile, 0, "steps = \"many\"",
			"scenario.toml"},
		{"line over 16 MiB", results.TimeseriesFile, 0, strings.Repeat("x", results.MaxLineBytes+1),
			"line longer than 16 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyFixture(t)
			editLine(t, dir, tc.file, tc.line, tc.content)
			_, err := LoadRun(dir)
			if err == nil {
				t.Fatalf("LoadRun: no error, want one containing %q", tc.wantSubstr)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.wantSubstr) || strings.Contains(msg, "\n") {
				t.Errorf("LoadRun: %q, want one line containing %q", msg, tc.wantSubstr)
			}
		})
	}
}

// TestLoadRunWithoutNetwork: a result directory without network/ (written
// before smesim wrote it) draws the network figure without edges.
func TestLoadRunWithoutNetwork(t *testing.T) {
	dir := copyFixture(t)
	if err := os.RemoveAll(filepath.Join(dir, results.NetworkDir)); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := RunFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name == FigNetwork && !strings.Contains(f.Caption, "edges not drawn: the result directory holds no network (network/)") {
			t.Errorf("caption %q does not say the edges are not drawn", f.Caption)
		}
	}
}

// TestNetworkFigureDrawsStoredNetwork: the network figure draws the edges
// of network/ (88 in the fixture), not a network rebuilt from the scenario.
func TestNetworkFigureDrawsStoredNetwork(t *testing.T) {
	figs, err := RunFigures(loadFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		if f.Name == FigNetwork {
			if !strings.Contains(f.Caption, "all 88 edges drawn") {
				t.Errorf("caption %q, want it to say all 88 edges are drawn", f.Caption)
			}
			return
		}
	}
	t.Fatal("no network figure")
}
