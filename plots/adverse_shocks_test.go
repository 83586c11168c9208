package plots

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/units"
)

// TestShockWindowsOnlyAdverse checks that only shocks making something
// worse are shaded and start the pre-shock baseline: china-2020's
// 91-week export rebound (depth −4%) once shaded the whole run.
func TestShockWindowsOnlyAdverse(t *testing.T) {
	d := units.MustDuration
	collapse := sim.ShockConfig{Kind: "demand", Start: d("3w"), Duration: d("5w"), Recovery: d("3w"), Shape: "linear", Depth: 0.3}
	rebound := sim.ShockConfig{Kind: "demand", Start: d("13w"), Duration: d("91w"), Shape: "step", Depth: -0.04}
	terms := sim.ShockConfig{Kind: "payment-terms", Start: d("2w"), Duration: d("4w"), Shape: "step", TermStretch: d("15d")}
	spread := sim.ShockConfig{Kind: "credit", Start: d("1w"), Duration: d("2w"), Shape: "step", SpreadIncrease: 0.02}
	tests := []struct {
		name   string
		shocks []sim.ShockConfig
		want   [][2]float64
		first  int
	}{
		{"collapse and rebound", []sim.ShockConfig{collapse, rebound}, [][2]float64{{3, 11}}, 3},
		{"rebound alone", []sim.ShockConfig{rebound}, nil, 104},
		{"payment terms", []sim.ShockConfig{terms, rebound}, [][2]float64{{2, 6}}, 2},
		{"dearer credit, no depth", []sim.ShockConfig{spread}, [][2]float64{{1, 3}}, 1},
	}
	for _, tt := range tests {
		r := &Run{Config: &sim.Config{Shocks: tt.shocks}}
		got, first := shockWindows(r, 7, 104)
		if !slices.Equal(got, tt.want) || first != tt.first {
			t.Errorf("%s: windows %v from %d, want %v from %d", tt.name, got, first, tt.want, tt.first)
		}
	}
}
