package sensitivity

import (
	"encoding/binary"
	"math/rand/v2"
)

// Purposes of the random streams, so that the scrambling of a sequence,
// the bootstrap and the Morris design drawn from one seed are independent.
const (
	streamScramble uint64 = iota + 1
	streamBootstrap
	streamMorris
	streamShapley
)

// splitmix64 is a bijective 64-bit mixer (Steele, Lea and Flood 2014).
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Stream returns a ChaCha8 generator keyed by a hash of words: the same
// words give the same draws on every platform.
func Stream(words ...uint64) *rand.Rand {
	h := uint64(0x6a09e667f3bcc908)
	for _, w := range words {
		h = splitmix64(h ^ w)
	}
	var key [32]byte
	for i := 0; i < 4; i++ {
		h = splitmix64(h)
		binary.LittleEndian.PutUint64(key[8*i:], h)
	}
	return rand.New(rand.NewChaCha8(key))
}
