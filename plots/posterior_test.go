package plots

import (
	"bytes"
	"testing"

	"github.com/smesim/smesim/sim/calibrate"
)

// TestPosteriorFigure: the pairwise figure of a posterior of three
// parameters draws in every format, with a panel per pair below the
// diagonal; one parameter whose particles all coincide still draws.
func TestPosteriorFigure(t *testing.T) {
	post := &calibrate.Posterior{Keys: []string{"a", "b", "c"}, Units: []string{"", "w", ""},
		Values:  [][]float64{{0.1, 5, 1}, {0.2, 7, 1}, {0.25, 6, 1}, {0.3, 9, 1}},
		Weights: []float64{0.1, 0.2, 0.3, 0.4}}
	fig := PosteriorFigure(post, []float64{0, 2, 0.5}, []float64{0.5, 12, 1.5})
	if fig.Name != "posterior-pairs" {
		t.Errorf("name %q", fig.Name)
	}
	for _, format := range Formats {
		b, err := Render(fig, format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(b) < 1000 {
			t.Errorf("%s: %d bytes", format, len(b))
		}
	}
	// The same posterior draws the same SVG.
	a, _ := Render(fig, "svg")
	b, _ := Render(PosteriorFigure(post, []float64{0, 2, 0.5}, []float64{0.5, 12, 1.5}), "svg")
	if !bytes.Equal(a, b) {
		t.Error("two drawings of one posterior differ")
	}
}
