package plots

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/facts"
	"github.com/smesim/smesim/sim/results"
)

// fuzzSeedDir is a small result directory written by
//
//	smesim run <scenario> --plots none
//
// of a four-firm file network over 4 weekly steps, 2 replications, a demand
// shock, a policy loan (arms baseline and all) and one fact; its events.csv
// holds no rows.
const fuzzSeedDir = "testdata/fuzzseed"

// fuzzFiles are the files of a result directory the fuzz target writes,
// in the order of its arguments.
var fuzzFiles = []string{results.ScenarioFile, results.TimeseriesFile, results.FirmsFile, results.EventsFile,
	results.SummaryFile, results.NetworkFirmsFile, results.NetworkEdgesFile}

// FuzzLoadRun feeds result directories to what smesim plot, compare and
// check-facts read and draw: LoadRun, RunFigures (each figure rendered as
// SVG), CompareFigures and facts.CheckDir. Nothing may panic, hang or
// allocate beyond the size of the files; an error of LoadRun is one line
// naming a file of the directory. Empty network files leave out network/.
func FuzzLoadRun(f *testing.F) {
	seed := make([]string, len(fuzzFiles))
	for i, name := range fuzzFiles {
		b, err := os.ReadFile(filepath.Join(fuzzSeedDir, filepath.FromSlash(name)))
		if err != nil {
			f.Fatal(err)
		}
		seed[i] = string(b)
	}
	f.Add(seed[0], seed[1], seed[2], seed[3], seed[4], seed[5], seed[6])
	// A failure with parents and channels, and a failed firm.
	failed := strings.Replace(seed[2], "baseline,0,f4,sme,distributor,retail,,active,,,", "baseline,0,f4,sme,distributor,retail,,failed,2,illiquid,", 1)
	events := seed[3] + "baseline,0,2,2020-01-15,f4,sme,distributor,retail,illiquid,demand;credit,f2;f1,1,f2\n"
	f.Add(seed[0], seed[1], failed, events, seed[4], seed[5], seed[6])
	// Without network/, and with one run of one step.
	lines := strings.SplitAfter(seed[1], "\n")
	oneStep := lines[0]
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "baseline,0,0,") {
			oneStep += l
		}
	}
	header := func(s string) string { return s[:strings.IndexByte(s, '\n')+1] }
	f.Add(strings.Replace(seed[0], "steps = 4", "steps = 1", 1), oneStep, header(seed[2]), header(seed[3]), seed[4], "", "")

	f.Fuzz(func(t *testing.T, scenario, timeseries, firms, events, summary, netFirms, netEdges string) {
		dir := t.TempDir()
		files := []string{scenario, timeseries, firms, events, summary, netFirms, netEdges}
		if netFirms == "" && netEdges == "" {
			files = files[:5]
		} else if err := os.Mkdir(filepath.Join(dir, results.NetworkDir), 0o755); err != nil {
			t.Fatal(err)
		}
		for i, content := range files {
			if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(fuzzFiles[i])), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := LoadRun(dir)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, dir) || strings.Contains(msg, "\n") {
				t.Fatalf("LoadRun: %q is not one line naming a file of %s", msg, dir)
			}
			return
		}
		if figs, err := RunFigures(r); err == nil {
			for _, fig := range figs {
				if _, err := Render(fig, "svg"); err != nil {
					t.Errorf("run figure: %v", err)
				}
			}
		}
		if figs, err := CompareFigures([]*Run{r, r}, nil); err == nil {
			for _, fig := range figs {
				if _, err := Render(fig, "svg"); err != nil {
					t.Errorf("compare figure: %v", err)
				}
			}
		}
		facts.CheckDir(dir, facts.Options{MonteCarloSlack: true})
	})
}
