package plots

import (
	"math"
	"slices"
	"testing"
)

// TestSignedLog: the axis of costs is monotone through 0, logarithmic
// beyond its linear stretch, and labels 0 and the powers of ten.
func TestSignedLog(t *testing.T) {
	ax := signedLog{signedLogLinear([]float64{-5460, 9430, 0, 2.1e6, 1.04e8})}
	if ax.linear != 5460 {
		t.Fatalf("linear stretch %g, want 5460, the smallest non-zero |value|", ax.linear)
	}
	lo, hi := -3e4, 3e9
	prev := math.Inf(-1)
	for _, x := range []float64{lo, -1e4, -1, 0, 1, 1e4, 1e6, 1e8, hi} {
		n := ax.Normalize(lo, hi, x)
		if !(n > prev) || n < 0 || n > 1 {
			t.Errorf("Normalize(%g) = %g after %g: not increasing within [0, 1]", x, n, prev)
		}
		prev = n
	}
	// A decade takes the same length wherever it is, beyond the linear
	// stretch: 1M to 10M as 10M to 100M.
	d1 := ax.Normalize(lo, hi, 1e7) - ax.Normalize(lo, hi, 1e6)
	d2 := ax.Normalize(lo, hi, 1e8) - ax.Normalize(lo, hi, 1e7)
	if math.Abs(d1-d2) > 1e-6 {
		t.Errorf("decades of %g and %g: not logarithmic", d1, d2)
	}
	var labels []string
	minor := 0
	for _, tk := range ax.Ticks(lo, hi) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		} else {
			minor++
		}
	}
	want := []string{"0", "10k", "-10k", "100k", "1M", "10M", "100M", "1bn"}
	if !slices.Equal(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	if minor == 0 {
		t.Error("no minor ticks")
	}
	if got := signedLogLinear(nil); got != 1 {
		t.Errorf("linear stretch of no values: %g, want 1", got)
	}
}
