package results

import (
	"math"
	"testing"
)

func TestCompact(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{3, "3"},
		{0.3, "0.3"},
		{0.5, "0.5"},
		{12.34, "12.3"},
		{12.345, "12.3"},
		{0.01234, "0.0123"},
		{456, "456"},
		{999.7, "1k"},
		{1234, "1.23k"},
		{-2340, "-2.34k"},
		{45678, "45.7k"},
		{1e6, "1M"},
		{1.5e7, "15M"},
		{1.2e8, "120M"},
		{-3.59e5, "-359k"},
		{2.5e9, "2.5B"},
		{7.77e12, "7.77T"},
		{1.5e18, "1.5e+18"},
		{1e-4, "0.0001"},
		{1e-5, "1e-05"},
		{math.NaN(), "n/a"},
		{math.Inf(1), "+Inf"},
	} {
		if got := Compact(c.v); got != c.want {
			t.Errorf("Compact(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestStatText(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name             string
		s                Stat
		halfWidth, ratio string
	}{
		{"interval", Stat{Mean: 12, Lo: 10, Hi: 14, N: 5}, "12 ± 2", "12 [10, 14]"},
		{"large", Stat{Mean: 2.5e6, Lo: 1.5e6, Hi: 4e6, N: 8}, "2.5M ± 1.25M", "2.5M [1.5M, 4M]"},
		{"one value", Stat{Mean: 3, Lo: 3, Hi: 3, N: 1}, "3", "3"},
		{"unbounded interval", Stat{Mean: 7, Lo: nan, Hi: nan, N: 4}, "7", "not significant"},
		{"undefined", Stat{Mean: nan, Lo: nan, Hi: nan, N: 4}, "n/a", "n/a"},
	} {
		if got := c.s.HalfWidthText(); got != c.halfWidth {
			t.Errorf("%s: HalfWidthText() = %q, want %q", c.name, got, c.halfWidth)
		}
		if got := c.s.RatioText(); got != c.ratio {
			t.Errorf("%s: RatioText() = %q, want %q", c.name, got, c.ratio)
		}
	}
}

func TestStatsValue(t *testing.T) {
	s := Stats{{Metric: "failures", Mean: 4, Lo: 3, Hi: 5, N: 2}}
	if got := s.Value("failures"); got != s[0] {
		t.Errorf("Value(failures) = %+v, want %+v", got, s[0])
	}
	got := s.Value("jobs_lost")
	if got.Metric != "jobs_lost" || !math.IsNaN(got.Mean) || !math.IsNaN(got.Lo) || !math.IsNaN(got.Hi) || !math.IsNaN(got.SD) || got.N != 0 {
		t.Errorf("Value(jobs_lost) = %+v, want an undefined Stat", got)
	}
	if txt := got.HalfWidthText(); txt != "n/a" {
		t.Errorf("an absent metric reads %q, want n/a", txt)
	}
}
