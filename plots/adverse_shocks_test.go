package plots

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// TestShockWindowsOnlyAdverse checks that only shocks making something
// worse are shaded and start the pre-shock baseline: china-2020's
// 91-week export rebound (depth −4%) once shaded the whole run.
func TestShockWindowsOnlyAdverse(t *testing.T) {
	d := units.MustDuration
	collapse := config.ShockConfig{Kind: "demand", Start: d("3w"), Duration: d("5w"), Recovery: d("3w"), Shape: "linear", Depth: 0.3}
	rebound := config.ShockConfig{Kind: "demand", Start: d("13w"), Duration: d("91w"), Shape: "step", Depth: -0.04}
	terms := config.ShockConfig{Kind: "payment-terms", Start: d("2w"), Duration: d("4w"), Shape: "step", TermStretch: d("15d")}
	spread := config.ShockConfig{Kind: "credit", Start: d("1w"), Duration: d("2w"), Shape: "step", SpreadIncrease: 0.02}
	tests := []struct {
		name   string
		shocks []config.ShockConfig
		want   [][2]float64
		first  int
	}{
		{"collapse and rebound", []config.ShockConfig{collapse, rebound}, [][2]float64{{3, 11}}, 3},
		{"rebound alone", []config.ShockConfig{rebound}, nil, 104},
		{"payment terms", []config.ShockConfig{terms, rebound}, [][2]float64{{2, 6}}, 2},
		{"dearer credit, no depth", []config.ShockConfig{spread}, [][2]float64{{1, 3}}, 1},
	}
	for _, tt := range tests {
		r := &Run{Config: &config.Config{Shocks: tt.shocks}}
		got, first := shockWindows(r, 7, 104)
		if !slices.Equal(got, tt.want) || first != tt.first {
			t.Errorf("%s: windows %v from %d, want %v from %d", tt.name, got, first, tt.want, tt.first)
		}
	}
}
