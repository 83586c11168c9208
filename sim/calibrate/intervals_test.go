package calibrate

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestTotalMean: fixed [1, 3] has W = 2; draws [0, 4, 8, 12] have mean 6
// and variance 80/3, so B = 80/3 − 2 and the half-width is
// t(0.975, 3) · √(B + 80/12) = 3.182446305284263 · √(94/3).
func TestTotalMean(t *testing.T) {
	got := TotalMean([]float64{1, 3}, []float64{0, 4, 8, math.NaN(), 12})
	want := Total{Mean: 6, Lo: -11.814120444988212, Hi: 23.814120444988212, ParameterShare: 0.7872340425531915, N: 4}
	if math.Abs(got.Lo-want.Lo) > 1e-9 || math.Abs(got.Hi-want.Hi) > 1e-9 || got.Mean != want.Mean ||
		math.Abs(got.ParameterShare-want.ParameterShare) > 1e-12 || got.N != want.N {
		t.Errorf("TotalMean = %+v, want %+v", got, want)
	}
	// Draws no noisier than fixed parameters: the interval is the Monte
	// Carlo one, the share 0.
	d := []float64{0, 4, 8, 12}
	got, mc := TotalMean(d, d), results.Describe("x", d)
	if math.Abs(got.Lo-mc.Lo) > 1e-9 || math.Abs(got.Hi-mc.Hi) > 1e-9 || got.ParameterShare != 0 {
		t.Errorf("TotalMean(d, d) = %+v, want the interval of results.Describe %v to %v and share 0", got, mc.Lo, mc.Hi)
	}
	if got := TotalMean([]float64{1}, d); !math.IsNaN(got.Lo) {
		t.Errorf("one fixed replication gives %+v: no Monte Carlo variance, no interval", got)
	}
}

// TestTotalRatio: with B = 0 the interval is Fieller's on the draws
// (results.Ratio); spread between parameters widens it.
func TestTotalRatio(t *testing.T) {
	x := []float64{10, 14, 9, 13, 12, 11}
	y := []float64{2, 2.5, 1.8, 2.6, 2.2, 2.1}
	got, want := TotalRatio(x, y, x, y), results.Ratio("r", x, y)
	if math.Abs(got.Mean-want.Mean) > 1e-12 || math.Abs(got.Lo-want.Lo) > 1e-9 || math.Abs(got.Hi-want.Hi) > 1e-9 || got.ParameterShare != 0 {
		t.Errorf("TotalRatio with B = 0: %+v, want results.Ratio %+v", got, want)
	}
	// Fixed parameters with a third of the spread: the ratio's interval
	// widens about its mean.
	fx := []float64{11, 12, 11.5, 12.5, 11.8, 12.2}
	fy := []float64{2.2, 2.3, 2.1, 2.3, 2.2, 2.2}
	wide := TotalRatio(fx, fy, x, y)
	if !(wide.Lo < want.Lo && wide.Hi > want.Hi) || wide.Mean != got.Mean || !(wide.ParameterShare > 0.5) {
		t.Errorf("TotalRatio %+v: want an interval wider than %v to %v about the same mean, parameters dominating", wide, want.Lo, want.Hi)
	}
	if got := TotalRatio(fx, fy, x, []float64{-1, 0, -2, 1, 0, -1}); !math.IsNaN(got.Mean) {
		t.Errorf("nothing saved on average: %+v, want NaN", got)
	}
}
