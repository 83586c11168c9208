package agents

import "testing"

func TestLendingSupply(t *testing.T) {
	for _, c := range []struct{ car, carMin, carTarget, mult, want float64 }{
		{0.146, 0.105, 0.146, 1, 1},        // at target: every request
		{0.20, 0.105, 0.146, 1, 1},         // above target: still every request
		{0.125, 0.0625, 0.1875, 1, 0.5},    // halfway: half
		{0.125, 0.0625, 0.1875, 0.5, 0.25}, // a credit shock halves it again
		{0.105, 0.105, 0.146, 1, 0},        // at the minimum: nothing new
		{0.05, 0.105, 0.146, 1, 0},         // below it: nothing
		{-0.3, 0.105, 0.146, 1, 0},         // negative capital: nothing
		{0.11, 0.105, 0.105, 1, 1},         // target at the minimum: a step
	} {
		if got := LendingSupply(c.car, c.carMin, c.carTarget, c.mult); got != c.want {
			t.Errorf("LendingSupply(%v, %v, %v, %v) = %v, want %v", c.car, c.carMin, c.carTarget, c.mult, got, c.want)
		}
	}
}

func TestDefaultProbability(t *testing.T) {
	for _, c := range []struct{ pdBase, score, want float64 }{
		{0.01, 1, 0.01},   // healthy borrower: the base rate
		{0.01, 0.5, 0.03}, // halfway: 1 + 4 × 0.5
		{0.01, 0, 0.05},   // score 0: five times
		{0.01, -2, 0.05},  // score clamped to [0,1]
		{0.3, 0, 1},       // never above 1
		{0, 0.2, 0},
	} {
		if got := DefaultProbability(c.pdBase, c.score); got != c.want {
			t.Errorf("DefaultProbability(%v, %v) = %v, want %v", c.pdBase, c.score, got, c.want)
		}
	}
}

func TestProvisionRate(t *testing.T) {
	for _, c := range []struct {
		pd, lgd float64
		npl     bool
		want    float64
	}{
		{0.02, 0.5, false, 0.01}, // performing: pd × lgd
		{0.02, 0.5, true, 0.5},   // non-performing: the whole lgd
		{0, 0.7, false, 0},
	} {
		if got := ProvisionRate(c.pd, c.lgd, c.npl); got != c.want {
			t.Errorf("ProvisionRate(%v, %v, %v) = %v, want %v", c.pd, c.lgd, c.npl, got, c.want)
		}
	}
}

func TestProvisions(t *testing.T) {
	for _, c := range []struct{ expected, coverageMin, npl, want float64 }{
		{100, 1.5, 40, 100}, // expected losses above the floor
		{50, 1.5, 40, 60},   // the floor binds: 150% of NPLs
		{0, 1.5, 0, 0},
	} {
		if got := Provisions(c.expected, c.coverageMin, c.npl); got != c.want {
			t.Errorf("Provisions(%v, %v, %v) = %v, want %v", c.expected, c.coverageMin, c.npl, got, c.want)
		}
	}
}

func TestBankDividend(t *testing.T) {
	for _, c := range []struct{ payout, earnings, capital, target, want float64 }{
		{0.3, 100, 1000, 500, 30}, // above target: the payout share
		{0.3, 100, 510, 500, 10},  // never below the target
		{0.3, 100, 500, 500, 0},   // at target: retained
		{0.3, 100, 400, 500, 0},   // below target: retained
		{0.3, -50, 1000, 500, 0},  // no dividend out of a loss
	} {
		if got := BankDividend(c.payout, c.earnings, c.capital, c.target); got != c.want {
			t.Errorf("BankDividend(%v, %v, %v, %v) = %v, want %v", c.payout, c.earnings, c.capital, c.target, got, c.want)
		}
	}
}

func TestRecapitalisation(t *testing.T) {
	for _, c := range []struct {
		capital, rwa, carStart float64
		below                  int32
		delay                  int
		want                   float64
	}{
		{50, 1000, 0.15, 4, 4, 100},   // below for the delay: back to 15%
		{50, 1000, 0.15, 3, 4, 0},     // not yet
		{-200, 1000, 0.15, 4, 4, 350}, // negative capital: the hole and the target
		{200, 1000, 0.15, 9, 4, 0},    // already above the start: nothing
	} {
		if got := Recapitalisation(c.capital, c.rwa, c.carStart, c.below, c.delay); got != c.want {
			t.Errorf("Recapitalisation(%v, %v, %v, %d, %d) = %v, want %v", c.capital, c.rwa, c.carStart, c.below, c.delay, got, c.want)
		}
	}
}
