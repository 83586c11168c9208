package sim

import (
	"math"
	"testing"
)

// TestNonNegativeIsMax checks nonNegative against max(0, v), which it
// replaces in produce, bit for bit: signed zeros, NaN, infinities and
// the smallest floats.
func TestNonNegativeIsMax(t *testing.T) {
	negZero := math.Copysign(0, -1)
	cases := []struct{ v, want float64 }{
		{-1, 0},
		{negZero, 0},
		{0, 0},
		{1.5, 1.5},
		{math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64},
		{-math.SmallestNonzeroFloat64, 0},
		{math.Inf(1), math.Inf(1)},
		{math.Inf(-1), 0},
		{math.NaN(), math.NaN()},
	}
	for _, c := range cases {
		got := nonNegative(c.v)
		if math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("nonNegative(%g) = %g (bits %#x), want %g (bits %#x)", c.v, got, math.Float64bits(got), c.want, math.Float64bits(c.want))
		}
		if m := max(0, c.v); math.Float64bits(got) != math.Float64bits(m) {
			t.Errorf("nonNegative(%g) = %g, max(0, %g) = %g", c.v, got, c.v, m)
		}
	}
}
