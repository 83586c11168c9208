package plots

import (
	"math"

	"gonum.org/v1/plot/plotter"
)

// maxPoints is the most points a line is drawn with: longer series are
// decimated to the minimum and maximum of each of maxPoints/2 buckets
// (about one point per pixel column at the default size).
const maxPoints = 1200

// bucketsOf returns the bucket boundaries decimating n points, or nil when
// n ≤ maxPoints.
func bucketsOf(n int) []int {
	if n <= maxPoints {
		return nil
	}
	k := maxPoints / 2
	b := make([]int, k+1)
	for i := range b {
		b[i] = i * n / k
	}
	return b
}

// lineXYs returns the finite points (x[t], y[t]), decimated to the minimum
// and maximum of each bucket (in x order) when there are more than
// maxPoints.
func lineXYs(x, y []float64) plotter.XYs {
	var out plotter.XYs
	bk := bucketsOf(len(y))
	if bk == nil {
		for t := range y {
			if isFinite(y[t]) {
				out = append(out, plotter.XY{X: x[t], Y: y[t]})
			}
		}
		return out
	}
	for i := 0; i+1 < len(bk); i++ {
		lo, hi := -1, -1
		for t := bk[i]; t < bk[i+1]; t++ {
			if !isFinite(y[t]) {
				continue
			}
			if lo < 0 || y[t] < y[lo] {
				lo = t
			}
			if hi < 0 || y[t] > y[hi] {
				hi = t
			}
		}
		if lo < 0 {
			continue
		}
		a, b := min(lo, hi), max(lo, hi)
		out = append(out, plotter.XY{X: x[a], Y: y[a]})
		if b != a {
			out = append(out, plotter.XY{X: x[b], Y: y[b]})
		}
	}
	return out
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
