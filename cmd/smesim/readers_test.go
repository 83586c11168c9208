package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smesim/smesim/plots"
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
