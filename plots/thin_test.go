package plots

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot/plotter"
)

func TestLineXYsDecimates(t *testing.T) {
	n := 100000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], y[i] = float64(i), math.Sin(float64(i)/1000)
	}
	y[31337], y[77777] = 5, -5
	y[500] = math.NaN()
	pts := lineXYs(x, y)
	if len(pts) > maxPoints {
		t.Errorf("%d points, want at most %d", len(pts), maxPoints)
	}
	var hasMax, hasMin bool
	for i, p := range pts {
		hasMax = hasMax || (p.X == 31337 && p.Y == 5)
		hasMin = hasMin || (p.X == 77777 && p.Y == -5)
		if math.IsNaN(p.Y) {
			t.Errorf("NaN point %v", p)
		}
		if i > 0 && p.X <= pts[i-1].X {
			t.Errorf("points out of order at %d: %v after %v", i, p, pts[i-1])
		}
	}
	if !hasMax || !hasMin {
		t.Errorf("decimation lost the extremes (max kept %v, min kept %v)", hasMax, hasMin)
	}
	short := lineXYs([]float64{0, 1, 2}, []float64{1, math.NaN(), 3})
	if want := (plotter.XYs{{X: 0, Y: 1}, {X: 2, Y: 3}}); !slices.Equal(short, want) {
		t.Errorf("short series: %v, want %v", short, want)
	}
}
