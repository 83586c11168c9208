package sensitivity

import (
	"context"
	"math"
	"slices"
	"testing"
)

// ishigamiMuStar returns the expected μ* of the Ishigami function's inputs
// under the Morris design of p levels and steps of jump levels, summed
// exactly over the grid: each input's effect is taken between the two
// levels of a pair (l, l+jump), l uniform over 0 to p-1-jump, the others
// at either level of a pair of their own, independently.
func ishigamiMuStar(p, jump int) [3]float64 {
	const a, b = 7, 0.1
	delta := float64(jump) / float64(p-1)
	x := func(l int) float64 { return -math.Pi + 2*math.Pi*float64(l)/float64(p-1) }
	pairs := p - jump
	mean := func(g func(float64) float64) float64 { // over a level of a pair
		var s float64
		for l := range pairs {
			s += (g(x(l)) + g(x(l+jump))) / 2
		}
		return s / float64(pairs)
	}
	effect := func(g func(float64) float64) float64 { // E|Δg| / Δ
		var s float64
		for l := range pairs {
			s += math.Abs(g(x(l+jump)) - g(x(l)))
		}
		return s / float64(pairs) / delta
	}
	return [3]float64{
		effect(math.Sin) * mean(func(v float64) float64 { return 1 + b*math.Pow(v, 4) }),
		effect(func(v float64) float64 { return a * math.Pow(math.Sin(v), 2) }),
		b * effect(func(v float64) float64 { return math.Pow(v, 4) }) * mean(func(v float64) float64 { return math.Abs(math.Sin(v)) }),
	}
}

// TestIshigamiMuStarByGrid: the expected μ* on Morris grids. With steps
// of p/2 levels, 4 levels rank x2 (7.875) above x1 (7.704), and 6 or more
// put x3 above x2, whose effect sin²(x2) repeats every π, half the range,
// which the step tends to: no number of levels ranks x1 > x2 > x3 as the
// total-order indices do. Ten levels with steps of 6 (Δ = 2/3, as on 4
// levels) do: 8.581, 6.860, 5.731.
func TestIshigamiMuStarByGrid(t *testing.T) {
	for _, tc := range []struct {
		p, jump int
		want    [3]float64
		ranking []int
	}{
		{4, 2, [3]float64{7.7041, 7.875, 6.2488}, []int{1, 0, 2}},
		{6, 3, [3]float64{7.9900, 2.6872, 5.5429}, []int{0, 2, 1}},
		{8, 4, [3]float64{7.9592, 3.2308, 5.7235}, []int{0, 2, 1}},
		{20, 10, [3]float64{7.7318, 1.3392, 5.1074}, []int{0, 2, 1}},
		{10, 6, [3]float64{8.5814, 6.8600, 5.7310}, []int{0, 1, 2}},
	} {
		got := ishigamiMuStar(tc.p, tc.jump)
		for i := range got {
			if math.Abs(got[i]-tc.want[i]) > 1e-4 {
				t.Errorf("p = %d, jump %d: expected mu* of x%d = %.5f, want %.4f", tc.p, tc.jump, i+1, got[i], tc.want[i])
			}
		}
		if r := Ranking(got[:]); !slices.Equal(r, tc.ranking) {
			t.Errorf("p = %d, jump %d: ranking %v, want %v", tc.p, tc.jump, r, tc.ranking)
		}
	}
}

// TestIshigamiMorrisFineGrid (issue 16, must-show 1): on 10 levels with
// steps of 6, 2000 trajectories rank x1 > x2 > x3, and each expected μ*
// (8.581, 6.860, 5.731) lies in its estimate's 95% interval.
func TestIshigamiMorrisFineGrid(t *testing.T) {
	m, err := NewMorrisJump(ishigamiParams(), 2000, 10, 6, 11)
	if err != nil {
		t.Fatal(err)
	}
	if d := m.Delta(); math.Abs(d-2.0/3) > 1e-15 {
		t.Fatalf("Δ = %v, want 2/3", d)
	}
	got, err := AnalyzeMorris(context.Background(), m, morrisOutputs(m, 3, ishigami), Bootstrap{Resamples: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := ishigamiMuStar(10, 6)
	muStar := make([]float64, 3)
	for i, g := range got {
		muStar[i] = g.MuStar.Value
		if !(g.MuStar.Lo <= want[i] && want[i] <= g.MuStar.Hi) {
			t.Errorf("mu* of x%d = %.3f [%.3f, %.3f]: the interval misses the expected %.4f", i+1, g.MuStar.Value, g.MuStar.Lo, g.MuStar.Hi, want[i])
		}
	}
	if r := Ranking(muStar); !slices.Equal(r, []int{0, 1, 2}) {
		t.Errorf("ranking by mu* %v (%v), want x1, x2, x3", r, muStar)
	}
}

// TestMorrisJumpPairs: every move of a design with jump j is ±j levels
// between levels of the grid, and a trajectory moves each parameter once.
func TestMorrisJumpPairs(t *testing.T) {
	params := []Param{{Name: "u", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 9}}, {Name: "v", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 9}}}
	m, err := NewMorrisJump(params, 200, 10, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	rows := newRowsForTest(3, 2)
	seen := map[float64]bool{}
	for tr := range 200 {
		steps := m.Trajectory(tr, rows)
		for s, st := range steps {
			d := rows[s+1][st.Param] - rows[s][st.Param]
			if math.Abs(math.Abs(d)-3) > 1e-12 || math.Abs(st.Delta*9-d) > 1e-12 {
				t.Fatalf("trajectory %d step %d: moved %v with Δ %v, want ±3 levels", tr, s, d, st.Delta)
			}
			for _, v := range rows[s] {
				if v != math.Round(v) || v < 0 || v > 9 {
					t.Fatalf("value %v off the grid", v)
				}
				seen[v] = true
			}
		}
	}
	if len(seen) != 10 {
		t.Errorf("levels visited %v, want all 10", seen)
	}
	for _, bad := range []int{0, 10} {
		if _, err := NewMorrisJump(params, 2, 10, bad, 1); err == nil {
			t.Errorf("jump %d accepted", bad)
		}
	}
}

func newRowsForTest(n, k int) [][]float64 {
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, k)
	}
	return rows
}
