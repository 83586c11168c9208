package plots

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/results"
)

// Compact writes v with 3 significant digits and a suffix k (thousand), M
// (million), B (billion) or T (trillion) from 1000 up, as smesim run's
// table does: 12.3, 456, 7.89k, 120M; NaN is "n/a".
func Compact(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 0) || v == 0:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	a := math.Abs(v)
	if a < 1e-3 || a >= 1e15 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	suffix := ""
	for _, u := range []struct {
		s string
		f float64
	}{{"T", 1e12}, {"B", 1e9}, {"M", 1e6}, {"k", 1e3}} {
		if a >= u.f {
			v, a, suffix = v/u.f, a/u.f, u.s
			break
		}
	}
	decimals := max(0, 2-int(math.Floor(math.Log10(a))))
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + suffix
}

// HalfWidthText writes "mean ± half-width", or the mean alone without an
// interval.
func HalfWidthText(s results.Stat) string {
	if s.N < 2 || math.IsNaN(s.Lo) || math.IsNaN(s.Hi) {
		return Compact(s.Mean)
	}
	return Compact(s.Mean) + " ± " + Compact((s.Hi-s.Lo)/2)
}

// RatioText writes a ratio Stat as "mean [lo, hi]", "n/a" when undefined,
// "not significant" when its interval is unbounded.
func RatioText(s results.Stat) string {
	switch {
	case math.IsNaN(s.Mean):
		return "n/a"
	case math.IsNaN(s.Lo) || math.IsNaN(s.Hi):
		return "not significant"
	case s.N < 2:
		return Compact(s.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", Compact(s.Mean), Compact(s.Lo), Compact(s.Hi))
}
