package plots

import (
	"math"

	"gonum.org/v1/plot"
)

// effectScale is the vertical scale of an effects panel: linear when
// every arm's interval is visible on it, else a symmetric logarithm
// (sign(v)·log10(1+|v|/c)), which keeps a 24.6k interval visible beside a
// 1.95bn one and, unlike a plain log axis, shows negative and zero costs.
type effectScale struct {
	c float64 // linear width around 0 of the symmetric log; 0: linear scale
}

// minLinear is the least linear width of the symmetric log of a panel of
// counts: below one firm the axis would spend decades on fractions.
const minLinear = 1

// minVisible is the least fraction of a linear effects panel an interval
// may span before the panel turns logarithmic.
const minVisible = 0.02

func (s effectScale) f(v float64) float64 {
	if s.c == 0 {
		return v
	}
	return math.Copysign(math.Log10(1+math.Abs(v)/s.c), v)
}

func (s effectScale) inv(y float64) float64 {
	if s.c == 0 {
		return y
	}
	return math.Copysign(s.c*(math.Pow(10, math.Abs(y))-1), y)
}

// chooseEffectScale returns the scale on which every bounded interval of
// pts (and each mean) is visible: linear if every interval spans at least
// minVisible of the range of all values and 0, else a symmetric log whose
// linear width is a tenth of the smallest non-zero value (at least
// minLinear for counts).
func chooseEffectScale(pts []effectPoint, count bool) effectScale {
	var vals [][3]float64 // mean, lo, hi of bounded points
	lo, hi := 0.0, 0.0
	smallest := math.Inf(1)
	for _, e := range pts {
		if !e.defined {
			continue
		}
		v := [3]float64{e.stat.Mean, e.stat.Mean, e.stat.Mean}
		if e.bounded {
			v[1], v[2] = e.stat.Lo, e.stat.Hi
		}
		vals = append(vals, v)
		for _, x := range v {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
			if x != 0 {
				smallest = math.Min(smallest, math.Abs(x))
			}
		}
	}
	span := hi - lo
	if span == 0 || math.IsInf(smallest, 0) {
		return effectScale{}
	}
	for _, v := range vals {
		if w := v[2] - v[1]; w > 0 && w < minVisible*span {
			c := smallest / 10
			if count {
				c = math.Max(c, minLinear)
			}
			return effectScale{c: c}
		}
	}
	return effectScale{}
}

// symLogTicks are the ticks of an axis drawn in the units of a
// symmetric log sc (at sc.f(v) for a value v): 0 and ±1, 2, 5 times the
// powers of ten from 3c up (closer to 0 their labels would overlap), the
// powers of ten labelled with v.
type symLogTicks struct{ sc effectScale }

var _ plot.Ticker = symLogTicks{}

func (t symLogTicks) Ticks(flo, fhi float64) []plot.Tick {
	c := t.sc.c
	if !(flo < fhi) || math.IsInf(flo, 0) || math.IsInf(fhi, 0) || c <= 0 {
		return nil
	}
	lo, hi := t.sc.inv(flo), t.sc.inv(fhi)
	var ticks []plot.Tick
	if lo <= 0 && hi >= 0 {
		ticks = append(ticks, plot.Tick{Value: 0, Label: "0"})
	}
	top := math.Max(math.Abs(lo), math.Abs(hi))
	for k := math.Ceil(math.Log10(3 * c)); math.Pow(10, k) <= top && len(ticks) < maxTicks; k++ {
		p := math.Pow(10, k)
		for _, m := range []float64{1, 2, 5} {
			for _, v := range []float64{m * p, -m * p} {
				if v < lo || v > hi {
					continue
				}
				label := ""
				if m == 1 {
					label = readable(v)
				}
				ticks = append(ticks, plot.Tick{Value: t.sc.f(v), Label: label})
			}
		}
	}
	return ticks
}
