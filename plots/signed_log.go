package plots

import (
	"math"

	"gonum.org/v1/plot"
)

// signedLog is an axis for values that span orders of magnitude and
// change sign, as costs per firm saved do (from a net gain of a few
// thousand to a subsidy's hundred million): asinh(x / linear), linear
// within about ±linear of 0 and logarithmic in |x| beyond, on both sides.
// A linear axis would flatten every value but the largest onto 0, and a
// log axis cannot show a net gain.
type signedLog struct{ linear float64 }

var (
	_ plot.Normalizer = signedLog{}
	_ plot.Ticker     = signedLog{}
)

func (s signedLog) at(x float64) float64 { return math.Asinh(x / s.linear) }

// Normalize implements plot.Normalizer.
func (s signedLog) Normalize(min, max, x float64) float64 {
	lo, hi := s.at(min), s.at(max)
	if hi == lo {
		return 0.5
	}
	return (s.at(x) - lo) / (hi - lo)
}

// Ticks implements plot.Ticker: 0 and ±1, 10, 100… times the powers of ten
// beyond linear within [lo, hi], labelled; unlabelled 2 to 9 times them
// where a decade is labelled.
func (s signedLog) Ticks(lo, hi float64) []plot.Tick {
	if !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	var ticks []plot.Tick
	if lo <= 0 && 0 <= hi {
		ticks = append(ticks, plot.Tick{Value: 0, Label: "0"})
	}
	// The decades from the first at or above linear to the largest |x|.
	top := math.Max(math.Abs(lo), math.Abs(hi))
	for e := math.Ceil(math.Log10(s.linear)); e <= math.Floor(math.Log10(top)) && e < 300; e++ {
		d := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			for _, v := range []float64{m * d, -m * d} {
				if v < lo || v > hi {
					continue
				}
				label := ""
				if m == 1 {
					label = readable(v)
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: label})
			}
		}
	}
	return ticks
}

// signedLogLinear returns the linear stretch of a signedLog axis for
// values: the smallest non-zero |value|, so that every value but 0 lies in
// the logarithmic part (1 when there is none).
func signedLogLinear(values []float64) float64 {
	small := math.Inf(1)
	for _, v := range values {
		if a := math.Abs(v); a > 0 && a < small {
			small = a
		}
	}
	if math.IsInf(small, 1) {
		return 1
	}
	return small
}
