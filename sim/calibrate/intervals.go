package calibrate

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/smesim/smesim/sim/results"
)

// Total is an estimate whose interval carries the uncertainty of the
// parameters as well as Monte Carlo noise.
type Total struct {
	Mean, Lo, Hi float64
	// ParameterShare is the share of the variance of the estimate that
	// the parameters' uncertainty makes: B / (B + V/n) for a mean (see
	// TotalMean); NaN when undefined.
	ParameterShare float64
	N              int
}

// TotalMean returns the mean of a paired effect over draws, one
// replication per posterior draw of the parameters, with an interval that
// carries the parameters' uncertainty. fixed holds the same effect over
// replications at fixed parameters, which measure the Monte Carlo noise.
//
// A draw's value varies with its parameters and its random numbers:
// Var(draw) = B + W, B the variance over the posterior of the expected
// effect and W the Monte Carlo variance of one replication. W is
// estimated by the variance of fixed, and B by Var(draws) − W (0 if
// negative). The interval is
//
//	mean(draws) ± t · √(B + Var(draws)/n)
//
// t the Student quantile at results.Confidence with n − 1 degrees of
// freedom: the spread over the posterior of the expected effect, plus the
// noise of the mean of n draws. As n grows it tends to the central
// interval of the expected effect under the posterior (for a normal
// spread), where the Monte Carlo interval at fixed parameters shrinks to
// a point.
func TotalMean(fixed, draws []float64) Total {
	fixed, draws = finite(fixed), finite(draws)
	out := Total{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), ParameterShare: math.NaN(), N: len(draws)}
	if len(draws) < 2 || len(fixed) < 2 {
		return out
	}
	n := float64(len(draws))
	out.Mean = mean(draws)
	vd := variance(draws, draws)
	b := max(vd-variance(fixed, fixed), 0)
	v := b + vd/n
	half := studentT(len(draws)) * math.Sqrt(v)
	out.Lo, out.Hi = out.Mean-half, out.Mean+half
	if v > 0 {
		out.ParameterShare = b / v
	}
	return out
}

// TotalRatio is TotalMean for the ratio mean(x)/mean(y) of two paired
// effects (a cost per firm saved): the between-parameter covariance
// matrix of (x, y) is the draws' less the fixed replications', its
// variances clamped at 0 and its covariance within their geometric mean;
// adding the draws' covariance over n gives the variance of the two
// means, from which Fieller's interval is taken (see results.Fieller). It
// is undefined (NaN) when mean(y) ≤ 0 and unbounded (Lo, Hi NaN) when
// mean(y) is not significantly above 0. ParameterShare is that of the
// linearised ratio, (x − R·y)/mean(y).
func TotalRatio(fixedX, fixedY, drawX, drawY []float64) Total {
	fixedX, fixedY = finitePairs(fixedX, fixedY)
	drawX, drawY = finitePairs(drawX, drawY)
	out := Total{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), ParameterShare: math.NaN(), N: len(drawX)}
	if len(drawX) < 2 || len(fixedX) < 2 {
		return out
	}
	n := float64(len(drawX))
	mx, my := mean(drawX), mean(drawY)
	if !(my > 0) {
		return out
	}
	r := mx / my
	out.Mean = r
	bxx := max(variance(drawX, drawX)-variance(fixedX, fixedX), 0)
	byy := max(variance(drawY, drawY)-variance(fixedY, fixedY), 0)
	lim := math.Sqrt(bxx * byy)
	bxy := min(max(variance(drawX, drawY)-variance(fixedX, fixedY), -lim), lim)
	vxx := bxx + variance(drawX, drawX)/n
	vyy := byy + variance(drawY, drawY)/n
	vxy := bxy + variance(drawX, drawY)/n
	if lo, hi, ok := results.Fieller(mx, my, vxx, vxy, vyy, studentT(len(drawX))); ok {
		out.Lo, out.Hi = lo, hi
	}
	// The linearised ratio's variances, between parameters and in all.
	b := (bxx - 2*r*bxy + r*r*byy) / (my * my)
	v := (vxx - 2*r*vxy + r*r*vyy) / (my * my)
	if v > 0 {
		out.ParameterShare = max(b, 0) / v
	}
	return out
}

func studentT(n int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.5 + results.Confidence/2)
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// variance returns the sample covariance of x and y (n − 1 divisor).
func variance(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	var s float64
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)-1)
}

func finite(x []float64) []float64 {
	var out []float64
	for _, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

func finitePairs(x, y []float64) (xs, ys []float64) {
	for i := range min(len(x), len(y)) {
		if !math.IsNaN(x[i]) && !math.IsInf(x[i], 0) && !math.IsNaN(y[i]) && !math.IsInf(y[i], 0) {
			xs, ys = append(xs, x[i]), append(ys, y[i])
		}
	}
	return xs, ys
}
