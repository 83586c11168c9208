package calibrate

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/sensitivity"
)

// toyParams are two uniform priors on [0, 10].
func toyParams(t *testing.T) []sensitivity.Param {
	t.Helper()
	params := []sensitivity.Param{
		{Name: "a", Dist: sensitivity.Distribution{Kind: sensitivity.Uniform, Lo: 0, Hi: 10}},
		{Name: "b", Dist: sensitivity.Distribution{Kind: sensitivity.LogUniform, Lo: 1, Hi: 10}},
	}
	if err := sensitivity.CheckParams(params); err != nil {
		t.Fatal(err)
	}
	return params
}

// calibrateToy runs the sampler on a model whose facts are a + b and
// a − b, each with Gaussian noise of sd 0.2, observed at a = 3, b = 6 with
// tolerance 0.5.
func calibrateToy(t *testing.T, s Settings) *Posterior {
	t.Helper()
	params := toyParams(t)
	var pop *Population
	for {
		u, w := Proposals(s, len(params), pop)
		d := make([]float64, len(u))
		noise := sensitivity.Stream(99, uint64(len(u)), uint64(s.Seed))
		if pop != nil {
			noise = sensitivity.Stream(99, uint64(pop.Generation+1), uint64(s.Seed))
		}
		for i, x := range u {
			a, b := params[0].Dist.Quantile(x[0]), params[1].Dist.Quantile(x[1])
			f1 := a + b + 0.2*noise.NormFloat64()
			f2 := a - b + 0.2*noise.NormFloat64()
			d[i] = Distance([]float64{(f1 - 9) / 0.5, (f2 + 3) / 0.5})
		}
		next, err := Select(s, pop, u, w, d)
		if err != nil {
			t.Fatal(err)
		}
		pop = next
		if s.Done(pop) {
			break
		}
	}
	return NewPosterior(pop, params)
}

// TestRecoversToyParameters: the 90% posterior intervals hold the truth
// and are narrower than the prior's (0.5 to 9.5 and 1.12 to 8.91).
func TestRecoversToyParameters(t *testing.T) {
	s := Settings{Particles: 400, Alpha: 0.5, MinAcceptance: 0.05, Generations: 12, Seed: 7}
	p := calibrateToy(t, s)
	truth := []float64{3, 6}
	priorWidth := []float64{9, 10*math.Pow(10, -0.05) - math.Pow(10, 0.05)}
	for j, key := range p.Keys {
		col := p.Column(j)
		lo, hi := WeightedQuantile(col, p.Weights, 0.05), WeightedQuantile(col, p.Weights, 0.95)
		if truth[j] < lo || truth[j] > hi {
			t.Errorf("%s: truth %v outside the 90%% interval [%v, %v]", key, truth[j], lo, hi)
		}
		if hi-lo >= priorWidth[j]/3 {
			t.Errorf("%s: 90%% interval [%v, %v] not a third of the prior's width %v", key, lo, hi, priorWidth[j])
		}
	}
	if p.Generation < 2 {
		t.Errorf("stopped after generation %d: the tolerance did not adapt", p.Generation)
	}
	if ess := ESS(p.Weights); ess < 20 {
		t.Errorf("effective sample size %v of %d particles", ess, len(p.Weights))
	}
	// The same seed gives the same posterior, bit for bit.
	var a, b bytes.Buffer
	p.Write(&a)
	calibrateToy(t, s).Write(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two calibrations with one seed differ")
	}
}

// TestSelectKeepsClosest: the kept particles are the closest, ties to the
// earlier, and the acceptance counts the new ones within the previous ε.
func TestSelectKeepsClosest(t *testing.T) {
	s := Settings{Particles: 6, Alpha: 0.5, MinAcceptance: 0.1, Generations: 5}
	u := [][]float64{{0.1}, {0.2}, {0.3}, {0.4}, {0.5}, {0.6}}
	pop, err := Select(s, nil, u, []float64{1, 1, 1, 1, 1, 1}, []float64{5, math.NaN(), 1, 3, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := pop.Distances; !equal(got, []float64{1, 1, 2}) || pop.U[0][0] != 0.3 || pop.U[1][0] != 0.5 || pop.Tolerance != 2 {
		t.Fatalf("kept %v at %v, ε %v", got, pop.U, pop.Tolerance)
	}
	next, err := Select(s, pop, [][]float64{{0.7}, {0.8}, {0.9}}, []float64{2, 2, 2}, []float64{0.5, 2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if !equal(next.Distances, []float64{0.5, 1, 1}) || next.U[1][0] != 0.3 || next.U[2][0] != 0.5 || next.Acceptance != 2.0/3 || next.Runs != 9 || next.Generation != 1 {
		t.Fatalf("kept %v at %v, acceptance %v, runs %d", next.Distances, next.U, next.Acceptance, next.Runs)
	}
	// Particles are numbered in the order simulated: 0 to 5, then 6 to 8.
	if fmt.Sprint(pop.Sims, next.Sims) != "[2 4 5] [6 2 4]" {
		t.Errorf("numbers %v then %v, want [2 4 5] then [6 2 4]", pop.Sims, next.Sims)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestKernelDensityIntegratesToOne: the truncated kernel mixture is a
// density on the unit square (midpoint rule on a 400² grid).
func TestKernelDensityIntegratesToOne(t *testing.T) {
	pop := &Population{U: [][]float64{{0.02, 0.5}, {0.9, 0.97}, {0.4, 0.1}}, Weights: []float64{1, 2, 3}}
	k := newKernel(pop)
	const n = 400
	var sum float64
	for a := range n {
		for b := range n {
			sum += k.density([]float64{(float64(a) + 0.5) / n, (float64(b) + 0.5) / n})
		}
	}
	if got := sum / (n * n); math.Abs(got-1) > 1e-3 {
		t.Errorf("∫ density = %v, want 1", got)
	}
}

func TestWeightedQuantile(t *testing.T) {
	x := []float64{4, 1, 3, 2}
	w := []float64{1, 1, 2, 0}
	for _, tc := range []struct{ p, want float64 }{{0, 1}, {0.25, 1}, {0.26, 3}, {0.75, 3}, {0.76, 4}, {1, 4}} {
		if got := WeightedQuantile(x, w, tc.p); got != tc.want {
			t.Errorf("q(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := ESS([]float64{1, 1, 2, 0}); got != 16.0/6 {
		t.Errorf("ESS = %v, want 16/6", got)
	}
}

const goodFile = `# smesim posterior 1
# scenario: "toy"
# identity: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# generation: 3
# simulations: 40
# tolerance: 0.5
# acceptance: 0.1
# unit: b w
weight,a,b
0.25,1,2
0.75,3,4
`

func TestPosteriorRoundTrip(t *testing.T) {
	p, err := Read("p.csv", strings.NewReader(goodFile))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != goodFile {
		t.Errorf("rewritten:\n%s\nwant\n%s", buf.String(), goodFile)
	}
	if p.Pick(0.2) != 0 || p.Pick(0.3) != 1 || p.Units[1] != "w" || p.Units[0] != "" {
		t.Errorf("pick or units wrong: %+v", p)
	}
}

// TestReadBadPosterior: each fault is one error naming the file and line.
func TestReadBadPosterior(t *testing.T) {
	for _, tc := range []struct{ name, from, to, want string }{
		{"not a posterior", "# smesim posterior 1", "id,x", "p.csv:1: not a smesim posterior file"},
		{"bad identity", "# identity: 0123", "# identity: xyz", "p.csv:3: # identity: xyz456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef: not a SHA-256 in hex"},
		{"unknown header", "# acceptance: 0.1", "# accept: 0.1", "p.csv:7: # accept: 0.1: unknown header line"},
		{"bad header", "weight,a,b", "w,a,b", "p.csv:9: the column header must be weight,KEY..."},
		{"duplicate key", "weight,a,b", "weight,a,a", `p.csv:9: column "a": a key must be named, once`},
		{"unit of no column", "# unit: b w", "# unit: c w", `p.csv:9: a unit is given for "c", which is not a column`},
		{"short row", "0.75,3,4", "0.75,3", "p.csv:11: 2 fields, want 3"},
		{"not a number", "0.75,3,4", "0.75,3,x", `p.csv:11: b: "x" is not a finite number`},
		{"NaN", "0.75,3,4", "0.75,NaN,4", `p.csv:11: a: "NaN" is not a finite number`},
		{"negative weight", "0.75,3,4", "-0.75,3,4", "p.csv:11: weight: -0.75 is negative"},
		{"zero weights", "0.25,1,2\n0.75,3,4", "0,1,2\n0,3,4", "p.csv: the weights sum to 0"},
		{"no particle", "0.25,1,2\n0.75,3,4\n", "", "p.csv: no particle"},
		{"no header", "weight,a,b\n0.25,1,2\n0.75,3,4\n", "", "p.csv: no column header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("p.csv", strings.NewReader(strings.Replace(goodFile, tc.from, tc.to, 1)))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v, want %q…", err, tc.want)
			}
		})
	}
}
