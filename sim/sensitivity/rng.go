package sensitivity

import (
	"math/rand/v2"

	"github.com/smesim/smesim/sim/streamkey"
)

// Purposes of the random streams, so that the scrambling of a sequence,
// the bootstrap and the Morris design drawn from one seed are independent.
const (
	streamScramble uint64 = iota + 1
	streamBootstrap
	streamMorris
	streamShapley
)

// Stream returns a ChaCha8 generator keyed by a hash of words: the same
// words give the same draws on every platform.
func Stream(words ...uint64) *rand.Rand {
	return rand.New(rand.NewChaCha8(streamkey.ChaCha8(words...)))
}
