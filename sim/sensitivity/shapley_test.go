package sensitivity

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"testing"
)

// gloves is the glove game: player 0 holds a left glove, players 1 and 2 a
// right glove each; a coalition is worth the number of pairs it can make.
func gloves(s Coalition) float64 {
	left := float64(s & 1)
	right := float64(bits.OnesCount64(uint64(s >> 1)))
	return min(left, right)
}

// additive returns the game whose worth is the sum of the players' weights.
func additive(w []float64) Game {
	return func(s Coalition) float64 {
		sum := 0.0
		for i, x := range w {
			if s&(1<<i) != 0 {
				sum += x
			}
		}
		return sum
	}
}

// majority is the symmetric game in which a coalition of more than half of
// n players is worth 1.
func majority(n int) Game {
	return func(s Coalition) float64 {
		if 2*bits.OnesCount64(uint64(s)) > n {
			return 1
		}
		return 0
	}
}

// unanimity is the game worth 1 to every coalition holding players 0 and 1.
func unanimity(s Coalition) float64 {
	if s&3 == 3 {
		return 1
	}
	return 0
}

func TestShapleyExact(t *testing.T) {
	cases := []struct {
		name string
		n    int
		v    Game
		want []float64
	}{
		{"gloves", 3, gloves, []float64{2.0 / 3, 1.0 / 6, 1.0 / 6}},
		{"additive", 4, additive([]float64{1, -2, 3.5, 0}), []float64{1, -2, 3.5, 0}},
		{"majority of 5", 5, majority(5), []float64{0.2, 0.2, 0.2, 0.2, 0.2}},
		{"unanimity of 0 and 1 among 4", 4, unanimity, []float64{0.5, 0.5, 0, 0}},
		{"one player", 1, func(s Coalition) float64 { return 3 + 2*float64(s) }, []float64{2}},
		// A combined arm saving more than its parts: the synergy v({0,1}) −
		// v({0}) − v({1}) = 6 is shared equally.
		{"synergy", 2, func(s Coalition) float64 { return []float64{0, 1, 2, 9}[s] }, []float64{4, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Shapley(context.Background(), c.n, c.v, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Exact {
				t.Error("not exact")
			}
			sum := 0.0
			for i, w := range c.want {
				sum += got.Value[i]
				if math.Abs(got.Value[i]-w) > 1e-12 {
					t.Errorf("player %d: %v, want %v", i, got.Value[i], w)
				}
			}
			all := Coalition(1)<<c.n - 1
			if eff := c.v(all) - c.v(0); math.Abs(sum-eff) > 1e-12 {
				t.Errorf("values add up to %v, want v(all) − v(∅) = %v", sum, eff)
			}
		})
	}
}

func TestShapleySampled(t *testing.T) {
	w := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	cases := []struct {
		name string
		n    int
		v    Game
		want []float64
		tol  float64 // in standard errors, plus 1e-12
	}{
		// Every marginal contribution of an additive game is the weight:
		// exact for any permutations, with zero standard errors.
		{"additive of 8", 8, additive(w), w, 0},
		{"majority of 7", 7, majority(7), []float64{1.0 / 7, 1.0 / 7, 1.0 / 7, 1.0 / 7, 1.0 / 7, 1.0 / 7, 1.0 / 7}, 4},
		{"unanimity among 6", 6, unanimity, []float64{0.5, 0.5, 0, 0, 0, 0}, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Shapley(context.Background(), c.n, c.v, 2000, 3)
			if err != nil {
				t.Fatal(err)
			}
			if got.Exact {
				t.Error("exact above 5 players")
			}
			sum := 0.0
			for i, want := range c.want {
				sum += got.Value[i]
				if math.Abs(got.Value[i]-want) > c.tol*got.SE[i]+1e-12 {
					t.Errorf("player %d: %v ± %v, want %v", i, got.Value[i], got.SE[i], want)
				}
			}
			all := Coalition(1)<<c.n - 1
			if eff := c.v(all) - c.v(0); math.Abs(sum-eff) > 1e-9 {
				t.Errorf("values add up to %v, want v(all) − v(∅) = %v", sum, eff)
			}
		})
	}
}

func TestShapleyErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Shapley(ctx, 0, gloves, 10, 1); err == nil {
		t.Error("0 players: no error")
	}
	if _, err := Shapley(ctx, 64, gloves, 10, 1); err == nil {
		t.Error("64 players: no error")
	}
	if _, err := Shapley(ctx, 6, gloves, 1, 1); err == nil {
		t.Error("6 players, 1 permutation: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Shapley(cancelled, 6, unanimity, 10, 1); err != context.Canceled {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}

// The glove game: the left glove is scarce, so its holder gets most.
func ExampleShapley() {
	gloves := func(s Coalition) float64 {
		hasLeft := s&1 != 0
		hasRight := s&6 != 0
		if hasLeft && hasRight {
			return 1
		}
		return 0
	}
	v, err := Shapley(context.Background(), 3, gloves, 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f %.4f %.4f exact=%v\n", v.Value[0], v.Value[1], v.Value[2], v.Exact)
	// Output: 0.6667 0.1667 0.1667 exact=true
}

// Sobol indices of y = x1 + 2·x2 on the unit square: x2 carries 4/5 of the
// variance.
func ExampleAnalyzeSobol() {
	params := []Param{
		{Name: "x1", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
		{Name: "x2", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
	}
	design, err := NewSaltelli(params, 1024, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	block := [][]float64{make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)}
	var y []float64
	for j := range design.BaseSamples() {
		design.Block(j, block)
		for _, x := range block {
			y = append(y, x[0]+2*x[1])
		}
	}
	ix, err := AnalyzeSobol(context.Background(), y, 2, Bootstrap{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, p := range params {
		fmt.Printf("%s S1 %.2f ST %.2f\n", p.Name, ix.S1[i].Value, ix.ST[i].Value)
	}
	// Output:
	// x1 S1 0.20 ST 0.20
	// x2 S1 0.80 ST 0.80
}

// Morris screening of y = 5·a + 0·b: a's elementary effect is 5 on the
// probability scale of a uniform [0, 1] parameter, b's is 0.
func ExampleAnalyzeMorris() {
	params := []Param{
		{Name: "a", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
		{Name: "b", Dist: Distribution{Kind: Uniform, Lo: 0, Hi: 1}},
	}
	design, err := NewMorris(params, 10, 4, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	rows := [][]float64{make([]float64, 2), make([]float64, 2), make([]float64, 2)}
	var y []float64
	for t := range design.Trajectories() {
		design.Trajectory(t, rows)
		for _, x := range rows {
			y = append(y, 5*x[0])
		}
	}
	ix, err := AnalyzeMorris(context.Background(), design, y, Bootstrap{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, p := range params {
		fmt.Printf("%s mu* %.2f sigma %.2f\n", p.Name, ix[i].MuStar.Value, ix[i].Sigma)
	}
	// Output:
	// a mu* 5.00 sigma 0.00
	// b mu* 0.00 sigma 0.00
}
