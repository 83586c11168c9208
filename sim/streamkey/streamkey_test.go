package streamkey

import "testing"

// TestSplitMix64 checks the mixer against the first outputs of the
// reference splitmix64 generator from state 0 (Vigna's splitmix64.c): the
// n-th output is SplitMix64 of n−1 increments of the state.
func TestSplitMix64(t *testing.T) {
	for _, c := range []struct{ in, want uint64 }{
		{0, 0xe220a8397b1dcdaf},
		{0x9e3779b97f4a7c15, 0x6e789e6aa1b965f4},
	} {
		if got := SplitMix64(c.in); got != c.want {
			t.Errorf("SplitMix64(%#x) = %#x, want %#x", c.in, got, c.want)
		}
	}
}

// TestChaCha8: the key is Mix then four SplitMix64 steps, and different
// words give different keys.
func TestChaCha8(t *testing.T) {
	k := ChaCha8(1, 2, 3)
	h := Mix(1, 2, 3)
	for i := 0; i < 4; i++ {
		h = SplitMix64(h)
		var w uint64
		for b := 7; b >= 0; b-- {
			w = w<<8 | uint64(k[8*i+b])
		}
		if w != h {
			t.Fatalf("word %d of the key = %#x, want %#x", i, w, h)
		}
	}
	if ChaCha8(1, 2, 3) == ChaCha8(1, 2, 4) {
		t.Error("ChaCha8(1, 2, 3) = ChaCha8(1, 2, 4)")
	}
}
