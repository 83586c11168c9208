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
