package plots

import (
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot/plotter"
)

func TestMeanBand(t *testing.T) {
	nan := math.NaN()
	const t2 = 4.302653  // Student t, 97.5% quantile, 2 degrees of freedom
	const t1 = 12.706205 // 1 degree of freedom
	for _, tc := range []struct {
		name         string
		reps         [][]float64
		mean, lo, hi []float64
	}{
		{
			name: "three replications",
			reps: [][]float64{{1, 2, 3}, {3, 2, 5}, {2, 2, 4}},
			mean: []float64{2, 2, 4},
			lo:   []float64{2 - t2/math.Sqrt(3), 2, 4 - t2/math.Sqrt(3)},
			hi:   []float64{2 + t2/math.Sqrt(3), 2, 4 + t2/math.Sqrt(3)},
		},
		{
			name: "NaN left out",
			reps: [][]float64{{1, nan}, {3, 5}},
			mean: []float64{2, 5},
			lo:   []float64{2 - t1, 5},
			hi:   []float64{2 + t1, 5},
		},
		{
			name: "one replication",
			reps: [][]float64{{7, -1}},
			mean: []float64{7, -1},
			lo:   []float64{7, -1},
			hi:   []float64{7, -1},
		},
		{
			name: "no value",
			reps: [][]float64{{nan}, {nan}},
			mean: []float64{nan},
			lo:   []float64{nan},
			hi:   []float64{nan},
		},
	} {
		b := meanBand(tc.reps)
		for k, pair := range [][2][]float64{{b.mean, tc.mean}, {b.lo, tc.lo}, {b.hi, tc.hi}} {
			got, want := pair[0], pair[1]
			if len(got) != len(want) {
				t.Errorf("%s: %d steps, want %d", tc.name, len(got), len(want))
				continue
			}
			for i := range want {
				if !(math.IsNaN(want[i]) && math.IsNaN(got[i])) && math.Abs(got[i]-want[i]) > 1e-5 {
					t.Errorf("%s: %s[%d] = %v, want %v", tc.name, []string{"mean", "lo", "hi"}[k], i, got[i], want[i])
				}
			}
		}
	}
}

func TestMeanBandContainsMeanAndAgreesWithDescribe(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 12; n++ {
		reps := make([][]float64, n)
		for k := range reps {
			reps[k] = make([]float64, 50)
			for i := range reps[k] {
				reps[k][i] = rng.NormFloat64()*float64(i) + 100
			}
		}
		b := meanBand(reps)
		for i := range b.mean {
			if !(b.lo[i] <= b.mean[i] && b.mean[i] <= b.hi[i]) {
				t.Errorf("n=%d step %d: band [%v, %v] does not contain the mean %v", n, i, b.lo[i], b.hi[i], b.mean[i])
			}
			var xs []float64
			for k := range reps {
				xs = append(xs, reps[k][i])
			}
			st := results.Describe("x", xs)
			if math.Abs(st.Mean-b.mean[i]) > 1e-9 || math.Abs(st.Lo-b.lo[i]) > 1e-9 || math.Abs(st.Hi-b.hi[i]) > 1e-9 {
				t.Errorf("n=%d step %d: band %v [%v, %v], results.Describe %v [%v, %v]", n, i, b.mean[i], b.lo[i], b.hi[i], st.Mean, st.Lo, st.Hi)
			}
		}
	}
}

func TestNewBand(t *testing.T) {
	x := []float64{0, 1, 2}
	if b := newBand(x, []float64{1, 2, 3}, []float64{1, 2, 3}, color.Black); b != nil {
		t.Errorf("band without width: polygon %v, want none", b.ring)
	}
	p := newBand(x, []float64{0, 1, 2}, []float64{2, 3, 4}, color.Black).ring
	want := plotter.XYs{{X: 0, Y: 2}, {X: 1, Y: 3}, {X: 2, Y: 4}, {X: 2, Y: 2}, {X: 1, Y: 1}, {X: 0, Y: 0}}
	if !slices.Equal(p, want) {
		t.Errorf("polygon %v, want %v", p, want)
	}
	b := newBand(x, []float64{0, 1, 2}, []float64{2, 3, 4}, color.Black)
	if xmin, xmax, ymin, ymax := b.DataRange(); xmin != 0 || xmax != 2 || ymin != 0 || ymax != 4 {
		t.Errorf("data range x %v..%v, y %v..%v, want x 0..2, y 0..4", xmin, xmax, ymin, ymax)
	}
	// Decimated: the envelope of every bucket.
	n := 10 * maxPoints
	x, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], lo[i], hi[i] = float64(i), -float64(i%7), float64(i%11)
	}
	p = newBand(x, lo, hi, color.Black).ring
	if len(p) > 2*maxPoints {
		t.Errorf("%d points, want at most %d", len(p), 2*maxPoints)
	}
	var ymin, ymax float64
	for _, pt := range p {
		ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
	}
	if ymin != -6 || ymax != 10 {
		t.Errorf("decimated band spans [%v, %v], want [-6, 10]", ymin, ymax)
	}
}
