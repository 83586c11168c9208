package plots

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

const indicesCSV = `output,parameter,index,value,lo,hi
baseline:failures,depth,S1,0.6,0.5,0.7
baseline:failures,depth,ST,0.7,0.6,0.8
baseline:failures,budget,S1,0,0,0
baseline:failures,budget,ST,0,0,0
baseline:failures,runway,S1,0.2,0.1,0.3
baseline:failures,runway,ST,0.3,0.2,0.4
loans:firms_saved,depth,mu,1.5,,
loans:firms_saved,depth,mu_star,2,1,3
loans:firms_saved,depth,sigma,0.5,,
loans:firms_saved,budget,mu,3,,
loans:firms_saved,budget,mu_star,3,2,4
loans:firms_saved,budget,sigma,1,,
`

// TestSensitivityFigure: the indices file is read (empty bounds as NaN),
// each output's panel lists the parameters by ST or mu*, largest first,
// and the figure renders.
func TestSensitivityFigure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, SensitivityIndicesFile), []byte(indicesCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	ixs, err := LoadIndices(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m := ixs[6]; len(ixs) != 12 || m.Output != "loans:firms_saved" || m.Param != "depth" || m.Index != "mu" || m.Value != 1.5 || !math.IsNaN(m.Lo) || !math.IsNaN(m.Hi) {
		t.Errorf("LoadIndices = %+v", ixs)
	}
	for _, tc := range []struct {
		output string
		want   []string
	}{
		{"baseline:failures", []string{"depth", "runway", "budget"}},
		{"loans:firms_saved", []string{"budget", "depth"}},
	} {
		p, err := indicesPanel(tc.output, ixs)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tick := range p.X.Tick.Marker.(plot.ConstantTicks) {
			got = append(got, tick.Label)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: parameters %q, want %q", tc.output, got, tc.want)
		}
	}
	figs, err := SensitivityFigures(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"png", "svg"} {
		if b, err := Render(figs[0], format); err != nil || len(b) == 0 {
			t.Errorf("Render %s: %d bytes, %v", format, len(b), err)
		}
	}
	if err := WriteSensitivityReport(filepath.Join(dir, "report.html"), dir, figs); err != nil {
		t.Fatal(err)
	}
}
