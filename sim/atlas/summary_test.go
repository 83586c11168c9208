package atlas

import (
	"math"
	"testing"
)

func TestSpearman(t *testing.T) {
	row := func(f int, a, b float64) Row { return Row{Firm: f, Weight: 1, Upstream: a, DebtRank: b} }
	up := func(r Row) float64 { return r.Upstream }
	dr := func(r Row) float64 { return r.DebtRank }
	cases := []struct {
		name string
		rows []Row
		rho  float64
		n    int
	}{
		{"same order", []Row{row(0, 1, 10), row(1, 2, 20), row(2, 3, 30), row(3, 4, 40)}, 1, 4},
		{"reversed", []Row{row(0, 1, 40), row(1, 2, 30), row(2, 3, 20), row(3, 4, 10)}, -1, 4},
		// ranks a = 1,2,3,4, b = 2,1,4,3: Σd² = 4, ρ = 1 − 6·4/(4·15) = 0.6.
		{"two swaps", []Row{row(0, 1, 20), row(1, 2, 10), row(2, 3, 40), row(3, 4, 30)}, 0.6, 4},
		// b ties at ranks 1.5, 1.5, 3: Pearson on ranks (1,2,3) and (1.5,1.5,3) = √3/2.
		{"ties", []Row{row(0, 1, 5), row(1, 2, 5), row(2, 3, 9)}, math.Sqrt(3) / 2, 3},
		{"NaN rows left out", []Row{row(0, 1, 10), row(1, math.NaN(), 1), row(2, 2, 20), row(3, 3, 30)}, 1, 3},
	}
	for _, c := range cases {
		rho, n := Spearman(c.rows, up, dr)
		if n != c.n || math.Abs(rho-c.rho) > 1e-12 {
			t.Errorf("%s: ρ %v over %d, want %v over %d", c.name, rho, n, c.rho, c.n)
		}
	}
	if rho, _ := Spearman([]Row{row(0, 1, 1), row(1, 2, 1), row(2, 3, 1)}, up, dr); !math.IsNaN(rho) {
		t.Errorf("constant measure: ρ %v, want NaN", rho)
	}
}

// TestScreen: top-k keeps the firms by their better rank under either
// measure.
func TestScreen(t *testing.T) {
	rows := []Row{
		{Firm: 0, Upstream: 0.9, DebtRank: 0.0}, // ESRI rank 0
		{Firm: 1, Upstream: 0.1, DebtRank: 0.8}, // DebtRank rank 0
		{Firm: 2, Upstream: 0.5, DebtRank: 0.5}, // ranks 1, 1
		{Firm: 3, Upstream: 0.4, DebtRank: 0.1}, // ranks 2, 3
		{Firm: 4, Upstream: 0.0, DebtRank: 0.2}, // ranks 4, 2
	}
	got := Screen(rows, func(r Row) float64 { return r.Upstream }, 4)
	want := []int{0, 1, 2, 3}
	for k, r := range got {
		if r.Firm != want[k] {
			t.Fatalf("screened %v, want firms %v", got, want)
		}
	}
}
