package sensitivity

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
)

// sobolBits is the number of binary digits of a point's coordinates: the
// sequence has 2^32 points.
const sobolBits = 32

// MaxSobolDims is the largest dimension of a Sobol sequence: one plus the
// number of dimensions of the embedded Joe–Kuo direction numbers.
const MaxSobolDims = 128

// directions returns the direction numbers v[d][j] (scaled by 2^32) of
// dimensions d = 0 … MaxSobolDims-1, built once from joeKuo.
var directions = sync.OnceValue(func() [][sobolBits]uint32 {
	v := make([][sobolBits]uint32, 1, MaxSobolDims)
	for j := range sobolBits {
		v[0][j] = 1 << (sobolBits - 1 - j) // van der Corput: every m_j = 1
	}
	for line := range strings.Lines(strings.TrimSpace(joeKuo)) {
		f := strings.Fields(line)
		nums := make([]uint32, len(f))
		for i, s := range f {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				panic(fmt.Sprintf("sensitivity: bad direction numbers %q: %v", line, err))
			}
			nums[i] = uint32(n)
		}
		s, a, m := int(nums[0]), nums[1], nums[2:]
		if len(m) != s {
			panic(fmt.Sprintf("sensitivity: direction numbers %q: degree %d with %d numbers", line, s, len(m)))
		}
		var d [sobolBits]uint32
		for j := range sobolBits {
			if j < s {
				d[j] = m[j] << (sobolBits - 1 - j)
				continue
			}
			// The recurrence of Bratley and Fox (1988) as Joe and Kuo state it.
			x := d[j-s] ^ (d[j-s] >> s)
			for k := 1; k < s; k++ {
				if (a>>(s-1-k))&1 == 1 {
					x ^= d[j-k]
				}
			}
			d[j] = x
		}
		v = append(v, d)
	}
	return v
})

// Sobol is a Sobol low-discrepancy sequence of points in [0,1)^dims, in the
// Gray-code order of Antonov and Saleev, optionally scrambled. Its points
// are computed directly from their index, so any subset of them can be
// produced in any order (by shards, say) with the same values.
type Sobol struct {
	dims  int
	v     [][sobolBits]uint32 // direction numbers per dimension, scrambled or not
	shift []uint32            // digital shift per dimension (zero when not scrambled)
}

// NewSobol returns the unscrambled Sobol sequence of dimension dims (1 to
// MaxSobolDims). Its first point is the origin.
func NewSobol(dims int) (*Sobol, error) {
	if dims < 1 || dims > MaxSobolDims {
		return nil, fmt.Errorf("a Sobol sequence has 1 to %d dimensions, not %d", MaxSobolDims, dims)
	}
	all := directions()
	s := &Sobol{dims: dims, v: make([][sobolBits]uint32, dims), shift: make([]uint32, dims)}
	copy(s.v, all[:dims])
	return s, nil
}

// NewScrambledSobol returns the Sobol sequence of dimension dims with a
// random linear matrix scrambling and a random digital shift (Matoušek
// 1998) drawn from seed: each dimension's generator matrix is multiplied by
// a random lower-triangular binary matrix with a unit diagonal, and its
// points are XORed with a random 32-bit shift. The scrambled sequence keeps
// the net properties of the original (every 2^m consecutive points from a
// multiple of 2^m put one point in each of 2^m equal intervals of each
// coordinate), has no point at the origin, and gives unbiased estimates
// over randomizations. The same seed gives the same points.
func NewScrambledSobol(dims int, seed uint64) (*Sobol, error) {
	s, err := NewSobol(dims)
	if err != nil {
		return nil, err
	}
	rng := Stream(seed, streamScramble)
	for d := range dims {
		// Row r (digit r, counted from the most significant) of the
		// scrambling matrix: its own digit, plus random more significant ones.
		var rows [sobolBits]uint32
		for r := range sobolBits {
			own := uint32(1) << (sobolBits - 1 - r)
			above := ^uint32(0) << (sobolBits - r) // digits 0 … r-1; zero when r = 0
			rows[r] = own | (rng.Uint32() & above)
		}
		for j := range sobolBits {
			var x uint32
			for r := range sobolBits {
				if bits.OnesCount32(rows[r]&s.v[d][j])%2 == 1 {
					x |= 1 << (sobolBits - 1 - r)
				}
			}
			s.v[d][j] = x
		}
		s.shift[d] = rng.Uint32()
	}
	return s, nil
}

// Dims returns the dimension of the sequence.
func (s *Sobol) Dims() int { return s.dims }

// digits sets dst[d] to the coordinates of point i scaled by 2^32.
func (s *Sobol) digits(i uint32, dst []uint32) {
	g := i ^ (i >> 1) // Gray code of i
	for d := range s.dims {
		x := s.shift[d]
		v := &s.v[d]
		for j, b := 0, g; b != 0; j, b = j+1, b>>1 {
			if b&1 == 1 {
				x ^= v[j]
			}
		}
		dst[d] = x
	}
}

// Point sets dst (of length Dims) to point i of the sequence: each
// coordinate is a multiple of 2^-32 in [0,1).
func (s *Sobol) Point(i uint32, dst []float64) {
	var buf [MaxSobolDims]uint32
	s.digits(i, buf[:s.dims])
	for d := range s.dims {
		dst[d] = float64(buf[d]) / (1 << sobolBits)
	}
}

// centredPoint sets dst to point i moved to the centre of its cell of
// width 2^-32, so that every coordinate is strictly inside (0,1) and an
// inverse CDF of an unbounded distribution stays finite.
func (s *Sobol) centredPoint(i uint32, dst []float64) {
	var buf [MaxSobolDims]uint32
	s.digits(i, buf[:s.dims])
	for d := range s.dims {
		dst[d] = (float64(buf[d]) + 0.5) / (1 << sobolBits)
	}
}
