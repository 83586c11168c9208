// Package streamkey derives the keys of independent random streams from a
// scenario's seed and what each stream is for (the replication, the
// purpose), the same on every platform: the engine's streams, a sweep's
// latin hypercube and a sensitivity design's draws all key ChaCha8 here.
package streamkey

import "encoding/binary"

// SplitMix64 is a bijective 64-bit mixer (Steele, Lea and Flood 2014).
func SplitMix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Mix hashes a sequence of words into one.
func Mix(words ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc908)
	for _, w := range words {
		h = SplitMix64(h ^ w)
	}
	return h
}

// ChaCha8 returns the ChaCha8 key of the stream of words: four SplitMix64
// steps from Mix(words...), little-endian.
func ChaCha8(words ...uint64) [32]byte {
	var key [32]byte
	h := Mix(words...)
	for i := 0; i < 4; i++ {
		h = SplitMix64(h)
		binary.LittleEndian.PutUint64(key[8*i:], h)
	}
	return key
}
