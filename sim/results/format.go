package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file writes what results hold as the text of a table: the CLI's
// arm table and the report's headline table both show a Summary's
// Stats, and must write them alike.

// Compact writes v with 3 significant digits and a suffix k (thousand), M
// (million), B (billion) or T (trillion) from 1000 up: 12.3, 456, 7.89k,
// 120M; NaN is "n/a".
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

// HalfWidthText writes s as "mean ± half-width" of its interval, or the
// mean alone without an interval (fewer than two values).
func (s Stat) HalfWidthText() string {
	if s.N < 2 || math.IsNaN(s.Lo) || math.IsNaN(s.Hi) {
		return Compact(s.Mean)
	}
	return Compact(s.Mean) + " ± " + Compact((s.Hi-s.Lo)/2)
}

// RatioText writes a ratio s (a cost per firm saved, with its Fieller
// interval) as "mean [lo, hi]": "n/a" when the ratio is undefined, "not
// significant" when its interval is unbounded, the mean alone from one
// value.
func (s Stat) RatioText() string {
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

// Value returns the Stat of metric name, or an undefined one (NaN mean,
// interval and SD) when s holds none: a table's "n/a".
func (s Stats) Value(name string) Stat {
	if st, ok := s.Get(name); ok {
		return st
	}
	return Stat{Metric: name, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN()}
}
