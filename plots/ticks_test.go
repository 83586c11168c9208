package plots

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

// TestReadableTicksDegenerate checks that ticks stay few and sensible on
// ranges too narrow, too wide or too small for round steps: a range of
// 1e-15 relative once made the tick loop spin forever (issue 13, defect 1).
func TestReadableTicksDegenerate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		min, max float64
		labels   []string
	}{
		{"equal", 1, 1, []string{"1"}},
		{"equal zero", 0, 0, []string{"0"}},
		{"1e-15 relative", 1000, 1000 + 1e-12, []string{"1000"}},
		{"1e-16 relative below 1", 1 - 1e-16, 1, []string{"1"}},
		{"negative, 1e-15 relative", -5 - 5e-15, -5, []string{"-5"}},
		{"huge, 1e-15 relative", 1e300, 1e300 * (1 + 1e-15), []string{"1e+291bn"}},
		{"subnormal", 0, 5e-324, []string{"0"}},
		{"tiny", 1e-310, 3e-310, []string{"2e-310"}},
		{"whole float range", -math.MaxFloat64, math.MaxFloat64, []string{"-1.8e+299bn", "0", "1.8e+299bn"}},
		{"just above flat", 1, 1 + 1e-8, []string{"1", "1.000000002", "1.000000004", "1.000000006", "1.000000008"}},
		{"2e-7 relative", 0.9999998, 1.0000001, []string{"0.9999998", "0.99999985", "0.9999999", "0.99999995", "1", "1.00000005", "1.0000001"}},
		{"huge", 1e300, 5e300, []string{"1e+291bn", "2e+291bn", "3e+291bn", "4e+291bn", "5e+291bn"}},
		{"NaN", math.NaN(), 1, nil},
		{"infinite", 0, math.Inf(1), nil},
		{"reversed", 2, 1, nil},
	} {
		ticks := (readableTicks{}).Ticks(tc.min, tc.max)
		if len(ticks) > maxTicks {
			t.Fatalf("%s [%v, %v]: %d ticks, want at most %d", tc.name, tc.min, tc.max, len(ticks), maxTicks)
		}
		var got []string
		for i, tk := range ticks {
			if tk.Value < tc.min || tk.Value > tc.max {
				t.Errorf("%s [%v, %v]: tick %v outside the range", tc.name, tc.min, tc.max, tk.Value)
			}
			if i > 0 && !(tk.Value > ticks[i-1].Value) {
				t.Errorf("%s [%v, %v]: tick %v not above the one before, %v", tc.name, tc.min, tc.max, tk.Value, ticks[i-1].Value)
			}
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tc.labels) {
			t.Errorf("%s [%v, %v]: labels %q, want %q", tc.name, tc.min, tc.max, got, tc.labels)
		}
	}
}

// TestPadFlat checks the range drawn for a flat series: equal ends gonum
// can pad (±1) and ranges near 0 are left alone, others widen to ±5%.
func TestPadFlat(t *testing.T) {
	for _, tc := range []struct {
		name             string
		min, max         float64
		wantMin, wantMax float64
	}{
		{"equal", 5, 5, 5, 5},
		{"equal zero", 0, 0, 0, 0},
		{"wide", 0, 10, 0, 10},
		{"1e-15 relative", 1000, 1000 + 1e-12, 950, 1050},
		{"negative", -1000 - 1e-12, -1000, -1050, -950},
		{"equal, beyond ±1", 1e17, 1e17, 0.95e17, 1.05e17},
		{"at the float limit", math.MaxFloat64, math.MaxFloat64, 0.95 * math.MaxFloat64, math.MaxFloat64},
		{"near zero", 0, 1e-300, 0, 1e-300},
	} {
		p := plot.New()
		p.Y.Min, p.Y.Max = tc.min, tc.max
		padFlat(p)
		if math.Abs(p.Y.Min-tc.wantMin) > 1e-9*math.Abs(tc.wantMin) || math.Abs(p.Y.Max-tc.wantMax) > 1e-9*math.Abs(tc.wantMax) {
			t.Errorf("%s: [%v, %v] padded to [%v, %v], want [%v, %v]", tc.name, tc.min, tc.max, p.Y.Min, p.Y.Max, tc.wantMin, tc.wantMax)
		}
	}
}

// TestParamLogTicksBounded: a log axis up to +Inf once looped over
// decades for ever; it has no ticks. Finite ranges keep theirs.
func TestParamLogTicksBounded(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		labels   []string
	}{
		{1, math.Inf(1), nil},
		{0, 10, nil},
		{1, 100, []string{"1", "2", "5", "10", "20", "50", "100"}},
		{1e-300, 1e300, nil}, // labelled below
	} {
		ticks := (paramLogTicks{}).Ticks(tc.min, tc.max)
		var got []string
		for _, tk := range ticks {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if tc.min == 1e-300 {
			if len(got) != 601 || len(ticks) > 9*602 {
				t.Errorf("[1e-300, 1e300]: %d labels and %d ticks, want 601 labels (one a decade) and at most %d ticks", len(got), len(ticks), 9*602)
			}
			continue
		}
		if !slices.Equal(got, tc.labels) {
			t.Errorf("[%v, %v]: labels %q, want %q", tc.min, tc.max, got, tc.labels)
		}
	}
}
