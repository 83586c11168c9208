package plots

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestEffectIntervalsVisible checks that every arm's interval spans a
// visible part of its effects panel, however far apart the arms' values
// are (policy-mix: a 1.95bn upper end beside 24.6k costs flattened every
// arm but one onto 0 on a linear axis).
func TestEffectIntervalsVisible(t *testing.T) {
	const minFrac = 0.005
	type ci = [3]float64 // mean, lo, hi
	tests := []struct {
		name  string
		arms  []ci
		log   bool
		count bool
	}{
		{"policy-mix cost per firm saved", []ci{
			{24.6e3, 18.9e3, 33.2e3}, {-29.4e3, -31.8e3, -27.3e3}, {29.3e6, 14.8e6, 1.95e9},
			{2.95e6, 2.6e6, 3.4e6}, {0, 0, 0}, {1.81e6, 1.68e6, 1.95e6},
		}, true, false},
		{"policy-mix firms saved", []ci{
			{75.7, 59.5, 91.9}, {215, 199, 231}, {1.2, 0.02, 2.38}, {0.2, -0.63, 1.03}, {116, 101, 131}, {214, 198, 230},
		}, true, true},
		{"similar costs", []ci{{1e5, 0.8e5, 1.2e5}, {2e5, 1.5e5, 2.5e5}}, false, false},
		{"negative and positive", []ci{{-3e4, -5e4, -1e4}, {2e4, 1e4, 3e4}}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pts []effectPoint
			for i, a := range tt.arms {
				st := results.Stat{Mean: a[0], Lo: a[1], Hi: a[2]}
				pts = append(pts, effectPoint{arm: "a", index: i + 1, stat: st, defined: true, bounded: true})
			}
			if got := chooseEffectScale(pts, tt.count).c > 0; got != tt.log {
				t.Errorf("log scale: %v, want %v", got, tt.log)
			}
			sc := chooseEffectScale(pts, tt.count)
			p, err := effectPanel("cost", "CNY", pts, tt.count)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range tt.arms {
				lo, hi, m := p.Y.Norm(sc.f(a[1])), p.Y.Norm(sc.f(a[2])), p.Y.Norm(sc.f(a[0]))
				for _, v := range []float64{lo, hi, m} {
					if v < 0 || v > 1 || math.IsNaN(v) {
						t.Errorf("arm %d %v: drawn at %g of the panel, outside it", i, a, v)
					}
				}
				if a[2] > a[1] && hi-lo < minFrac {
					t.Errorf("arm %d %v: interval spans %.4f of the panel, want ≥ %g", i, a, hi-lo, minFrac)
				}
			}
		})
	}
}
