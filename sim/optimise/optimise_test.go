package optimise

import (
	"context"
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
)

func TestGrid(t *testing.T) {
	got := Grid(3, 2)
	want := []Split{{0, 0, 1}, {0, 0.5, 0.5}, {0, 1, 0}, {0.5, 0, 0.5}, {0.5, 0.5, 0}, {1, 0, 0}}
	if len(got) != len(want) {
		t.Fatalf("Grid(3, 2) = %v, want %v", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("Grid(3, 2)[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// smallMix is a 31-firm chain hit by a demand shock, with a policy loan
// and tax relief sharing a budget too small for both.
const smallMix = `
name = "small-mix"
seed = 11
replications = 1
steps = 30

[network]
chains = 1
cores_per_chain = 1
suppliers_per_chain = 8
raw_materials_per_chain = 12
distributors_per_chain = 10

[[shocks]]
kind = "demand"
market = "domestic"
start = "4w"
duration = "12w"
depth = 0.5

[[interventions]]
kind = "policy-loan"
name = "loans"
end = "6mo"
budget = 1
channel = "direct"

[[interventions]]
kind = "tax-relief"
name = "relief"
end = "6mo"
budget = 1
`

// TestHalvingAgreesWithExhaustiveSearch: on a small mix whose best split
// exhaustive search finds on 16 replications, successive halving from 2
// replications finds the same split with fewer runs.
func TestHalvingAgreesWithExhaustiveSearch(t *testing.T) {
	cfg, err := scenarios.Parse("small-mix.toml", []byte(smallMix), ".")
	if err != nil {
		t.Fatal(err)
	}
	arms, err := cfg.ResolveArms([]string{"loans+relief"})
	if err != nil {
		t.Fatal(err)
	}
	m := NewMix(cfg, arms[1], 1.5e6)
	splits := Grid(2, 4)
	eval := m.FailuresAvoided(splits)
	ctx := context.Background()
	ex, err := Exhaustive(ctx, len(splits), 16, 2, eval)
	if err != nil {
		t.Fatal(err)
	}
	var means []float64
	for c := range splits {
		means = append(means, ex.Mean(c))
	}
	t.Logf("exhaustive: mean failures avoided by split %v: %v; best %v", splits, means, splits[ex.Best])
	if slices.Min(means) == slices.Max(means) {
		t.Fatalf("every split saves as many firms (%v): the case cannot tell a search from a guess", means)
	}
	sh, err := Halving(ctx, len(splits), 2, 16, 2, eval)
	if err != nil {
		t.Fatal(err)
	}
	if sh.Best != ex.Best {
		t.Errorf("successive halving chose %v (mean %g), exhaustive search %v (mean %g)", splits[sh.Best], sh.Mean(sh.Best), splits[ex.Best], ex.Mean(ex.Best))
	}
	if sh.Runs >= ex.Runs {
		t.Errorf("successive halving used %d runs, exhaustive search %d: no saving", sh.Runs, ex.Runs)
	}
	// Common random numbers: a candidate's replications are the same
	// runs whichever search made them.
	for r, v := range sh.Values[sh.Best] {
		if v != ex.Values[sh.Best][r] {
			t.Errorf("replication %d of the best split: %g under halving, %g exhaustively", r, v, ex.Values[sh.Best][r])
		}
	}
	if s := m.ScenarioSplit(); !slices.Equal(s, Split{0.5, 0.5}) {
		t.Errorf("scenario split %v, want [0.5 0.5]", s)
	}
}

// TestRungs: successive halving taken rung by rung on made-up values:
// the candidates, replications and winner of every rung.
func TestRungs(t *testing.T) {
	// Candidate c's value in replication r: c's quality plus noise that
	// ranks 3 above 4 on the first two replications only.
	quality := []float64{1, 5, 2, 7, 6}
	value := func(c, r int) float64 {
		if r < 2 && c == 4 {
			return 8
		}
		return quality[c] + float64(r%2)
	}
	h, err := NewRungs(5, 2, 6)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		cs       []int
		from, to int
	}{
		{[]int{0, 1, 2, 3, 4}, 0, 2},
		{[]int{1, 3, 4}, 2, 4},
		{[]int{3, 4}, 4, 6},
	}
	for k, w := range want {
		if h.Done() {
			t.Fatalf("done after %d rungs, want %d", k, len(want))
		}
		cs, from, to := h.Rung()
		if !slices.Equal(cs, w.cs) || from != w.from || to != w.to {
			t.Fatalf("rung %d: candidates %v, replications %d to %d; want %v, %d to %d", k, cs, from, to, w.cs, w.from, w.to)
		}
		values := make([][]float64, len(cs))
		for i, c := range cs {
			for r := from; r < to; r++ {
				values[i] = append(values[i], value(c, r))
			}
		}
		if err := h.Record(values); err != nil {
			t.Fatal(err)
		}
	}
	if !h.Done() {
		t.Fatal("not done after the last rung")
	}
	if o := h.Outcome(); o.Best != 3 || o.Rounds != 3 || o.Runs != 10+6+4 {
		t.Errorf("best %d, rounds %d, runs %d; want 3, 3, 20", o.Best, o.Rounds, o.Runs)
	}
	if err := h.Record(nil); err == nil {
		t.Error("recording after the search ended is not an error")
	}
	if n := CountRungs(5, 2, 6); n != 3 {
		t.Errorf("CountRungs(5, 2, 6) = %d, want 3", n)
	}
}

func TestCountRungs(t *testing.T) {
	for _, c := range []struct{ n, first, most, want int }{
		{1, 4, 32, 1},  // one candidate: one rung
		{15, 4, 4, 1},  // first = most: one rung
		{15, 4, 32, 4}, // 15, 8, 4, 2 candidates on 4, 8, 16, 32 replications
		{15, 4, 100, 4},
		{2, 1, 100, 1}, // the better of two wins after one rung
		{3, 1, 100, 2},
		{66, 4, 100, 6}, // 66, 33, 17, 9, 5, 3 on 4 … 100
	} {
		if got := CountRungs(c.n, c.first, c.most); got != c.want {
			t.Errorf("CountRungs(%d, %d, %d) = %d, want %d", c.n, c.first, c.most, got, c.want)
		}
	}
}

// TestHalvingStopsAtOneCandidate: once halving leaves one candidate it
// wins; it is not run on more replications, which could decide nothing.
func TestHalvingStopsAtOneCandidate(t *testing.T) {
	eval := func(_ context.Context, c, rep int) (float64, error) { return float64(c), nil }
	o, err := Halving(context.Background(), 3, 1, 100, 1, eval)
	if err != nil {
		t.Fatal(err)
	}
	// 3 candidates × 1 replication, the better 2 × 1 more: candidate 2
	// is left alone.
	if o.Best != 2 || o.Rounds != 2 || o.Runs != 5 || len(o.Values[2]) != 2 {
		t.Errorf("best %d after %d rounds and %d runs, %d replications of the best; want 2, 2, 5, 2", o.Best, o.Rounds, o.Runs, len(o.Values[2]))
	}
}
