package scenarios

import (
	"math/rand/v2"

	"github.com/smesim/smesim/sim/streamkey"
)

// The latin hypercube design of a sweep: its random stream and draws.

// lhsPurpose tells the latin hypercube's random stream from the engine's.
const lhsPurpose uint64 = 0x7377656570_6c6873 // "sweeplhs"

// lhsSource is the latin hypercube's random source: ChaCha8 keyed by the
// seed, read through Uint64 only so that the draws do not depend on how a
// Go release implements Perm or Float64.
type lhsSource struct{ c *rand.ChaCha8 }

func newLHSSource(seed uint64) *lhsSource {
	return &lhsSource{rand.NewChaCha8(streamkey.ChaCha8(seed, lhsPurpose))}
}

// float64 returns a uniform draw in [0, 1).
func (s *lhsSource) float64() float64 { return float64(s.c.Uint64()>>11) / (1 << 53) }

// intn returns a uniform draw in [0, n), by rejection.
func (s *lhsSource) intn(n int) int {
	un := uint64(n)
	thresh := -un % un
	for {
		if x := s.c.Uint64(); x >= thresh {
			return int(x % un)
		}
	}
}

// perm returns a random permutation of 0…n−1 (Fisher–Yates).
func (s *lhsSource) perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := s.intn(i + 1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// drawLHS draws the latin hypercube's points: each point's place in each
// parameter's range, from which values gives its values (8 bytes a point
// and parameter, so that a million points take little memory).
func (s *sweepPlan) drawLHS() {
	n := s.n
	src := newLHSSource(s.cfg.Seed)
	s.lhs = make([][]float64, len(s.params))
	for j := range s.params {
		perm := src.perm(n)
		t := make([]float64, n)
		for i := 0; i < n; i++ {
			t[i] = (float64(perm[i]) + src.float64()) / float64(n)
		}
		s.lhs[j] = t
	}
}
