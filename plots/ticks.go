package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// readableTicks are ticks at round values (1, 2 or 5 times a power of
// ten, or 2.5 where that gives too few), four to eight of them labelled,
// with readable labels (12k, 1.5M), and unlabelled minor ticks between.
//
// The ticks are counted, not accumulated: there are at most maxTicks of
// them whatever the range. A range too narrow to hold distinct round
// values (see flat) gets one labelled tick at its middle; drawn panels
// never have one, as padFlat widens them first.
type readableTicks struct{}

var _ plot.Ticker = readableTicks{}

// maxTicks bounds the ticks readableTicks returns: the step is at least a
// fifth of the range over 8, so there are at most 8·4 minor intervals.
const maxTicks = 34

func (readableTicks) Ticks(lo, hi float64) []plot.Tick {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return nil
	}
	if flat(lo, hi) {
		mid := lo + (hi-lo)/2
		return []plot.Tick{{Value: mid, Label: readable(mid)}}
	}
	if math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: readable(lo)}, {Value: 0, Label: "0"}, {Value: hi, Label: readable(hi)}}
	}
	step := niceStep((hi - lo) / 5)
	if (hi-lo)/step < 3.5 {
		step = niceStep((hi - lo) / 8)
	}
	minor := step / 2
	if m := step / math.Pow10(int(math.Floor(math.Log10(step)))); math.Abs(m-2) < 1e-9 {
		minor = step / 4 // 2 → halves of 1
	}
	// Tick k is at k·minor. The range is at least flatRange of the
	// magnitude, so k stays below about 32/flatRange: exact in a float64.
	first := math.Ceil(lo/minor - 1e-9)
	n := int(math.Floor(hi/minor+1e-9*step/minor)-first) + 1
	n = max(0, min(n, maxTicks))
	ticks := make([]plot.Tick, 0, n)
	for k := 0; k < n; k++ {
		v := roundSig((first+float64(k))*minor, 12)
		label := ""
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			label = readable(v)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// flatRange is the narrowest range, relative to the magnitude of its ends,
// that ticks label: below it the labels (10 significant digits) would all
// read the same, and a step below the spacing of float64 would not advance.
// tinyRange is the narrowest range in absolute terms: below it a tick step
// would be subnormal.
const (
	flatRange = 1e-9
	tinyRange = 1e-290
)

// flat reports whether lo ≤ hi are too close for distinct tick labels:
// hi − lo ≤ flatRange·max(|lo|, |hi|), or below tinyRange.
func flat(lo, hi float64) bool {
	return hi-lo <= flatRange*math.Max(math.Abs(lo), math.Abs(hi)) || hi-lo < tinyRange
}

// padFlat widens each axis of p whose range is flat (a constant series,
// or one varying by float noise) and too large for gonum's own padding of
// equal ends (±1) to make it readable: to ±5% of its middle. Other axes
// are left as they are.
func padFlat(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		lo, hi := a.Min, a.Max
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
			continue
		}
		if lo == hi && !flat(lo-1, hi+1) || !flat(lo, hi) || math.Abs(lo) < tinyRange && math.Abs(hi) < tinyRange {
			continue // gonum pads equal ends to ±1; a range near 0 is left to it
		}
		mid := lo + (hi-lo)/2
		pad := 0.05 * math.Abs(mid)
		a.Min, a.Max = math.Max(mid-pad, -math.MaxFloat64), math.Min(mid+pad, math.MaxFloat64)
	}
}

// niceStep returns the smallest of 1, 2, 2.5 or 5 times a power of ten that
// is at least x > 0.
func niceStep(x float64) float64 {
	p := math.Pow10(int(math.Floor(math.Log10(x))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// readable formats v with at most 3 significant digits above 10,000, with
// a k, M or bn suffix, and as strconv's shortest 'g' format below.
func readable(v float64) string {
	if v == 0 {
		return "0" // not "-0"
	}
	a := math.Abs(v)
	var suffix string
	switch {
	case a >= 1e9:
		v, suffix = v/1e9, "bn"
	case a >= 1e6:
		v, suffix = v/1e6, "M"
	case a >= 1e4:
		v, suffix = v/1e3, "k"
	default:
		// Round away float noise (0.30000000000000004) before printing.
		return strconv.FormatFloat(roundSig(v, 10), 'g', -1, 64)
	}
	return strconv.FormatFloat(roundSig(v, 3), 'g', -1, 64) + suffix
}

func roundSig(v float64, digits int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	s := strconv.FormatFloat(v, 'g', digits, 64)
	r, _ := strconv.ParseFloat(s, 64)
	return r
}

// countTicks are the ticks of an axis counting things (firms, failures,
// cascades): readableTicks at whole numbers only, so that no tick reads
// "16.5 firms". A range under minCountRange, a mean of a few counts per
// step, keeps readableTicks' fractions, since whole numbers would leave
// it with one tick.
type countTicks struct{}

var _ plot.Ticker = countTicks{}

// minCountRange is the narrowest range countTicks draws whole ticks on.
const minCountRange = 3

func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := readableTicks{}.Ticks(lo, hi)
	if !(hi-lo >= minCountRange) {
		return ticks
	}
	whole := ticks[:0]
	for _, t := range ticks {
		if t.Value == math.Trunc(t.Value) {
			whole = append(whole, t)
		}
	}
	return whole
}
