package sensitivity

import (
	"context"
	"math"
	"slices"
	"testing"
)

// ishigami is the Ishigami–Homma function with a = 7, b = 0.1.
func ishigami(x []float64) float64 {
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

func ishigamiParams() []Param {
	p := make([]Param, 3)
	for i, name := range []string{"x1", "x2", "x3"} {
		p[i] = Param{Name: name, Dist: Distribution{Kind: Uniform, Lo: -math.Pi, Hi: math.Pi}}
	}
	return p
}

// Analytic Sobol indices of the Ishigami function (a = 7, b = 0.1).
var (
	ishigamiS1 = []float64{0.3139, 0.4424, 0}
	ishigamiST = []float64{0.5576, 0.4424, 0.2437}
)

// saltelliOutputs evaluates f on every row of the design.
func saltelliOutputs(t *testing.T, s *Saltelli, k int, f func([]float64) float64) []float64 {
	t.Helper()
	block := make([][]float64, k+2)
	for i := range block {
		block[i] = make([]float64, k)
	}
	y := make([]float64, 0, s.Rows())
	for j := range s.BaseSamples() {
		s.Block(j, block)
		for _, row := range block {
			y = append(y, f(row))
		}
	}
	return y
}

// Sobol indices of the Ishigami function at N = 2^14: every index within
// 0.02 of its analytic value, inside its 95% bootstrap interval.
func TestIshigamiSobol(t *testing.T) {
	params := ishigamiParams()
	s, err := NewSaltelli(params, 1<<14, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rows() != 5*(1<<14) {
		t.Fatalf("%d rows, want N(k+2) = %d", s.Rows(), 5*(1<<14))
	}
	y := saltelliOutputs(t, s, 3, ishigami)
	got, err := AnalyzeSobol(context.Background(), y, 3, Bootstrap{Resamples: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		index string
		got   []Index
		want  []float64
	}{{"S1", got.S1, ishigamiS1}, {"ST", got.ST, ishigamiST}} {
		for i, w := range c.want {
			g := c.got[i]
			t.Logf("%s x%d = %.4f [%.4f, %.4f], analytic %.4f", c.index, i+1, g.Value, g.Lo, g.Hi, w)
			if math.Abs(g.Value-w) > 0.02 {
				t.Errorf("%s of x%d = %.4f, want %.4f ± 0.02", c.index, i+1, g.Value, w)
			}
			if !(g.Lo <= g.Value && g.Value <= g.Hi) || g.Hi-g.Lo > 0.1 {
				t.Errorf("%s of x%d = %.4f has the interval [%.4f, %.4f]", c.index, i+1, g.Value, g.Lo, g.Hi)
			}
		}
	}
}

// A model of one parameter has S1 = ST = 1; an additive model of two has
// S1 = ST = the shares of variance; a constant output is an error.
func TestAnalyzeSobolSimpleModels(t *testing.T) {
	u := func(name string) Param {
		return Param{Name: name, Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}}
	}
	cases := []struct {
		name   string
		params []Param
		f      func([]float64) float64
		s1, st []float64
	}{
		{"one parameter", []Param{u("a")}, func(x []float64) float64 { return 3 * x[0] }, []float64{1}, []float64{1}},
		// Var(x) = 1/12, Var(2y) = 4/12: shares 0.2 and 0.8.
		{"additive", []Param{u("a"), u("b")}, func(x []float64) float64 { return x[0] + 2*x[1] }, []float64{0.2, 0.8}, []float64{0.2, 0.8}},
		{"unused parameter", []Param{u("a"), u("b")}, func(x []float64) float64 { return x[0] }, []float64{1, 0}, []float64{1, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewSaltelli(c.params, 1<<12, 3)
			if err != nil {
				t.Fatal(err)
			}
			got, err := AnalyzeSobol(context.Background(), saltelliOutputs(t, s, len(c.params), c.f), len(c.params), Bootstrap{})
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.params {
				if math.Abs(got.S1[i].Value-c.s1[i]) > 0.01 || math.Abs(got.ST[i].Value-c.st[i]) > 0.01 {
					t.Errorf("parameter %d: S1 %.4f ST %.4f, want %v %v", i, got.S1[i].Value, got.ST[i].Value, c.s1[i], c.st[i])
				}
				if !math.IsNaN(got.S1[i].Lo) {
					t.Errorf("no bootstrap asked, but an interval [%v, %v]", got.S1[i].Lo, got.S1[i].Hi)
				}
			}
		})
	}
}

func TestAnalyzeSobolErrors(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		y    []float64
		k    int
		boot Bootstrap
	}{
		{"not a multiple of k+2", []float64{1, 2, 3, 4}, 1, Bootstrap{}},
		{"constant", []float64{1, 1, 1, 1, 1, 1}, 1, Bootstrap{}},
		{"NaN", []float64{1, math.NaN(), 3}, 1, Bootstrap{}},
		{"no parameters", []float64{1, 2}, 0, Bootstrap{}},
		{"negative resamples", []float64{1, 2, 3}, 1, Bootstrap{Resamples: -1}},
		{"level above 1", []float64{1, 2, 3}, 1, Bootstrap{Level: 1.5}},
	}
	for _, c := range cases {
		if _, err := AnalyzeSobol(ctx, c.y, c.k, c.boot); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	y := []float64{1, 2, 3, 4, 5, 6}
	if _, err := AnalyzeSobol(cancelled, y, 1, Bootstrap{Resamples: 10}); err != context.Canceled {
		t.Errorf("cancelled context: error %v, want context.Canceled", err)
	}
}

// The same seed gives the same indices and intervals.
func TestAnalyzeSobolDeterministic(t *testing.T) {
	params := ishigamiParams()
	run := func() SobolIndices {
		s, err := NewSaltelli(params, 256, 5)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AnalyzeSobol(context.Background(), saltelliOutputs(t, s, 3, ishigami), 3, Bootstrap{Resamples: 100, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a, b := run(), run()
	if !slices.Equal(a.S1, b.S1) || !slices.Equal(a.ST, b.ST) {
		t.Errorf("two runs differ: %v and %v", a, b)
	}
}

func TestNewSaltelliErrors(t *testing.T) {
	many := make([]Param, MaxSobolDims/2+1)
	for i := range many {
		many[i] = Param{Name: string(rune('A' + i)), Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}}
	}
	cases := []struct {
		name   string
		params []Param
		n      int
	}{
		{"n not a power of two", ishigamiParams(), 1000},
		{"n = 1", ishigamiParams(), 1},
		{"n too large", ishigamiParams(), MaxBaseSamples * 2},
		{"too many parameters", many, 16},
		{"no parameters", nil, 16},
	}
	for _, c := range cases {
		if _, err := NewSaltelli(c.params, c.n, 1); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// morrisOutputs evaluates f on every row of the design.
func morrisOutputs(m *Morris, k int, f func([]float64) float64) []float64 {
	rows := make([][]float64, k+1)
	for i := range rows {
		rows[i] = make([]float64, k)
	}
	var y []float64
	for t := range m.Trajectories() {
		m.Trajectory(t, rows)
		for _, row := range rows {
			y = append(y, f(row))
		}
	}
	return y
}

// Morris on the Ishigami function, 4 levels (Δ = 2/3). On this grid the
// expected μ* are 7.704 (x1), 7.875 (x2) and 6.249 (x3), computed exactly
// over the grid's points; each must lie in its estimate's 95% interval
// from 2000 trajectories. x2's effect has the same size from every level,
// so its μ* is 7.875 exactly, with an interval of zero width. Screening
// finds every input influential and x3 the least; it puts x2 just above x1
// (by 2%), where the total-order indices put x1 above x2: μ* measures
// effects of steps of 2/3 of the range, and x2's effect is periodic (see
// docs/sensitivity.md).
func TestIshigamiMorris(t *testing.T) {
	params := ishigamiParams()
	m, err := NewMorris(params, 2000, 4, 11)
	if err != nil {
		t.Fatal(err)
	}
	got, err := AnalyzeMorris(context.Background(), m, morrisOutputs(m, 3, ishigami), Bootstrap{Resamples: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantMuStar := []float64{7.704, 7.875, 6.249}
	muStar := make([]float64, 3)
	for i, g := range got {
		t.Logf("x%d: mu %.3f mu* %.3f [%.3f, %.3f] sigma %.3f", i+1, g.Mu, g.MuStar.Value, g.MuStar.Lo, g.MuStar.Hi, g.Sigma)
		muStar[i] = g.MuStar.Value
		if !(g.MuStar.Lo <= wantMuStar[i] && wantMuStar[i] <= g.MuStar.Hi) {
			t.Errorf("mu* of x%d = %.3f [%.3f, %.3f]: the interval misses the expected %.3f", i+1, g.MuStar.Value, g.MuStar.Lo, g.MuStar.Hi, wantMuStar[i])
		}
		if !(g.MuStar.Lo <= g.MuStar.Value && g.MuStar.Value <= g.MuStar.Hi) {
			t.Errorf("mu* of x%d = %.3f outside its interval [%.3f, %.3f]", i+1, g.MuStar.Value, g.MuStar.Lo, g.MuStar.Hi)
		}
	}
	if r := Ranking(muStar); !slices.Equal(r, []int{1, 0, 2}) {
		t.Errorf("ranking by mu* %v, want the grid's [1 0 2]: x2, x1, x3", r)
	}
	if g := got[1].MuStar; math.Abs(g.Value-7.875) > 1e-9 || math.Abs(g.Hi-g.Lo) > 1e-9 {
		t.Errorf("x2: mu* %v [%v, %v], want exactly 7.875 with a zero-width interval", g.Value, g.Lo, g.Hi)
	}
}

// Screening separates influential from inert parameters, and ranks a
// linear model's parameters by their coefficients times their ranges.
func TestMorrisLinearRanking(t *testing.T) {
	params := []Param{
		{Name: "a", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
		{Name: "b", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 10}},
		{Name: "inert", Dist: Distribution{Kind: Normal, Mean: 0, SD: 1}},
		{Name: "c", Dist: Distribution{Kind: LogUniform, Lo: 1, Hi: 100}},
	}
	m, err := NewMorris(params, 20, 6, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Effects on the probability scale: a 5, b 10 × 1 = 10, c log-linear.
	f := func(x []float64) float64 { return 5*x[0] + x[1] + 3*math.Log(x[3]) }
	got, err := AnalyzeMorris(context.Background(), m, morrisOutputs(m, 4, f), Bootstrap{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{5, 10, 0, 3 * math.Log(100)}
	for i, g := range got {
		if math.Abs(g.MuStar.Value-want[i]) > 1e-9 || math.Abs(g.Mu-want[i]) > 1e-9 || g.Sigma > 1e-9 {
			t.Errorf("%s: mu %v mu* %v sigma %v, want mu = mu* = %v, sigma 0", params[i].Name, g.Mu, g.MuStar.Value, g.Sigma, want[i])
		}
	}
	muStar := []float64{got[0].MuStar.Value, got[1].MuStar.Value, got[2].MuStar.Value, got[3].MuStar.Value}
	if r := Ranking(muStar); !slices.Equal(r, []int{3, 1, 0, 2}) {
		t.Errorf("ranking %v, want [3 1 0 2]", r)
	}
}

// Each trajectory moves every parameter exactly once by ±Δ on the grid.
func TestMorrisTrajectories(t *testing.T) {
	params := []Param{
		{Name: "a", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
		{Name: "b", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
		{Name: "c", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
	}
	m, err := NewMorris(params, 50, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]float64{make([]float64, 3), make([]float64, 3), make([]float64, 3), make([]float64, 3)}
	grid := []float64{0, 1.0 / 3, 2.0 / 3, 1}
	for tr := range m.Trajectories() {
		steps := m.Trajectory(tr, rows)
		moved := map[int]bool{}
		for s, st := range steps {
			moved[st.Param] = true
			for i := range 3 {
				d := rows[s+1][i] - rows[s][i]
				if i != st.Param && d != 0 || i == st.Param && math.Abs(d-st.Delta) > 1e-12 {
					t.Fatalf("trajectory %d step %d: row %v → %v, step %+v", tr, s, rows[s], rows[s+1], st)
				}
			}
		}
		if len(moved) != 3 {
			t.Fatalf("trajectory %d moves %v", tr, moved)
		}
		for _, row := range rows {
			for _, v := range row {
				if !slices.ContainsFunc(grid, func(g float64) bool { return math.Abs(g-v) < 1e-12 }) {
					t.Fatalf("trajectory %d: %v is off the grid", tr, v)
				}
			}
		}
	}
}

// A cancelled analysis stops with the context's error.
func TestAnalyzeMorrisCancelled(t *testing.T) {
	m, err := NewMorris(ishigamiParams(), 10, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AnalyzeMorris(ctx, m, morrisOutputs(m, 3, ishigami), Bootstrap{Resamples: 10}); err != context.Canceled {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestAnalyzeMorrisErrors(t *testing.T) {
	m, err := NewMorris(ishigamiParams(), 2, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	nan := make([]float64, 8)
	nan[5] = math.NaN()
	cases := []struct {
		name string
		y    []float64
		boot Bootstrap
	}{
		{"too few outputs", make([]float64, 7), Bootstrap{}},
		{"too many outputs", make([]float64, 9), Bootstrap{}},
		{"NaN", nan, Bootstrap{}},
		{"negative level", make([]float64, 8), Bootstrap{Resamples: 5, Level: -0.5}},
	}
	for _, c := range cases {
		if _, err := AnalyzeMorris(context.Background(), m, c.y, c.boot); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestNewMorrisErrors(t *testing.T) {
	cases := []struct {
		name string
		r, p int
	}{
		{"odd levels", 10, 5},
		{"no trajectories", 0, 4},
		{"one level", 10, 1},
		{"too many trajectories", MaxTrajectories + 1, 4},
	}
	for _, c := range cases {
		if _, err := NewMorris(ishigamiParams(), c.r, c.p, 1); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
