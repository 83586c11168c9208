package sensitivity

import (
	"strconv"
	"strings"
	"testing"
)

// The first points of the unscrambled three-dimensional sequence, as
// published with the Joe–Kuo direction numbers.
func TestSobolFirstPoints(t *testing.T) {
	want := [][3]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
		{0.1875, 0.3125, 0.9375},
		{0.6875, 0.8125, 0.4375},
	}
	s, err := NewSobol(3)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 3)
	for i, w := range want {
		s.Point(uint32(i), got)
		if [3]float64(got) != w {
			t.Errorf("point %d = %v, want %v", i, got, w)
		}
	}
}

// Every coordinate of the first 2^m points (and of any block of 2^m points
// starting at a multiple of 2^m) puts exactly one point in each interval
// [c/2^m, (c+1)/2^m), in every dimension, scrambled or not.
func TestSobolBalance(t *testing.T) {
	plain, err := NewSobol(MaxSobolDims)
	if err != nil {
		t.Fatal(err)
	}
	scrambled, err := NewScrambledSobol(MaxSobolDims, 42)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		s    *Sobol
	}{{"plain", plain}, {"scrambled", scrambled}} {
		for _, m := range []int{1, 4, 10} {
			for _, start := range []int{0, 3 << m} {
				n := 1 << m
				counts := make([][]int, MaxSobolDims)
				for d := range counts {
					counts[d] = make([]int, n)
				}
				x := make([]float64, MaxSobolDims)
				for i := start; i < start+n; i++ {
					c.s.Point(uint32(i), x)
					for d, v := range x {
						counts[d][int(v*float64(n))]++
					}
				}
				for d := range counts {
					for cell, k := range counts[d] {
						if k != 1 {
							t.Fatalf("%s: points %d…%d, dimension %d: %d points in interval %d of %d", c.name, start, start+n-1, d+1, k, cell, n)
						}
					}
				}
			}
		}
	}
}

// The first two dimensions form a (0,m,2)-net: each of the 2^m elementary
// rectangles of area 2^-m of any shape holds one of the first 2^m points.
func TestSobolTwoDimensionalNet(t *testing.T) {
	const m = 8
	for _, seed := range []uint64{0, 7} {
		s, err := NewScrambledSobol(2, seed)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, 2)
		for a := 0; a <= m; a++ {
			nx, ny := 1<<a, 1<<(m-a)
			counts := make([]int, nx*ny)
			for i := range 1 << m {
				s.Point(uint32(i), x)
				counts[int(x[0]*float64(nx))*ny+int(x[1]*float64(ny))]++
			}
			for cell, k := range counts {
				if k != 1 {
					t.Fatalf("seed %d, rectangles %d×%d: %d points in rectangle %d", seed, nx, ny, k, cell)
				}
			}
		}
	}
}

func TestScrambledSobolDeterministic(t *testing.T) {
	a, _ := NewScrambledSobol(5, 1)
	b, _ := NewScrambledSobol(5, 1)
	c, _ := NewScrambledSobol(5, 2)
	pa, pb, pc := make([]float64, 5), make([]float64, 5), make([]float64, 5)
	differ := false
	for i := range uint32(64) {
		a.Point(i, pa)
		b.Point(i, pb)
		c.Point(i, pc)
		if [5]float64(pa) != [5]float64(pb) {
			t.Fatalf("point %d differs for the same seed: %v and %v", i, pa, pb)
		}
		if [5]float64(pa) != [5]float64(pc) {
			differ = true
		}
	}
	if !differ {
		t.Error("seeds 1 and 2 give the same points")
	}
}

func TestSobolDims(t *testing.T) {
	for _, d := range []int{0, -1, MaxSobolDims + 1} {
		if _, err := NewSobol(d); err == nil {
			t.Errorf("NewSobol(%d): no error", d)
		}
	}
}

// The embedded direction numbers are those of primitive polynomials (x has
// order 2^s − 1 modulo each), with odd initial numbers m_i < 2^i, and the
// polynomials of each degree are distinct: a check against transcription
// errors of the table.
func TestDirectionNumbers(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(joeKuo), "\n")
	if len(lines) != MaxSobolDims-1 {
		t.Fatalf("%d lines of direction numbers, want %d", len(lines), MaxSobolDims-1)
	}
	seen := map[[2]int]bool{}
	perDegree := map[int]int{}
	for n, line := range lines {
		f := strings.Fields(line)
		var nums []int
		for _, s := range f {
			v, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("line %d: %v", n+1, err)
			}
			nums = append(nums, v)
		}
		s, a, m := nums[0], nums[1], nums[2:]
		if len(m) != s {
			t.Errorf("dimension %d: degree %d with %d numbers", n+2, s, len(m))
		}
		for i, mi := range m {
			if mi%2 != 1 || mi >= 1<<(i+1) {
				t.Errorf("dimension %d: m_%d = %d is not odd and below 2^%d", n+2, i+1, mi, i+1)
			}
		}
		if seen[[2]int{s, a}] {
			t.Errorf("dimension %d: polynomial (%d, %d) repeated", n+2, s, a)
		}
		seen[[2]int{s, a}] = true
		perDegree[s]++
		poly := 1<<s | a<<1 | 1
		if !primitive(poly, s) {
			t.Errorf("dimension %d: polynomial %b is not primitive", n+2, poly)
		}
	}
	// The number of primitive polynomials of degrees 1 to 9 over GF(2).
	for s, want := range map[int]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 6, 6: 6, 7: 18, 8: 16, 9: 48} {
		if perDegree[s] != want {
			t.Errorf("%d polynomials of degree %d, want %d", perDegree[s], s, want)
		}
	}
}

// primitive reports whether the binary polynomial poly of degree s is
// primitive: x generates the multiplicative group modulo poly.
func primitive(poly, s int) bool {
	order := 1<<s - 1
	x := 1
	for k := 1; k <= order; k++ {
		x <<= 1
		if x>>s&1 == 1 {
			x ^= poly
		}
		if x == 1 {
			return k == order
		}
	}
	return false
}
