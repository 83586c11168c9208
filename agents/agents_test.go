package agents

import (
	"math"
	"testing"
)

// Each rule is checked against results worked out by hand from its
// formula, in the manner of gonum's stat tests: a table of arguments and
// the literal result, compared within a relative tolerance of 1e-12 where
// the arithmetic rounds.

const tol = 1e-12

func equal(got, want float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestInputOrder(t *testing.T) {
	for _, c := range []struct {
		coeff, planned, inventory, target, tau float64
		want                                   float64
	}{
		{0.5, 100, 500, 10, 5, 50}, // inventory at target: the input used
		{0.5, 100, 0, 10, 5, 150},  // empty: use plus a fifth of the target
		{0.5, 100, 750, 10, 5, 0},  // a surplus of 250 offsets the use
		{0.5, 100, 1000, 10, 5, 0}, // a larger surplus: never negative
		{0, 100, 0, 10, 5, 0},      // an input the firm does not use
		{0.2, 50, 90, 10, 1, 20},   // tau 1: use 10 plus the whole gap 10
		{0.25, 40, 20, 5, 2, 25},   // use 10 plus half the gap of 30
		{0.5, 0, 100, 10, 5, 0},    // nothing planned, inventory left
	} {
		if got := InputOrder(c.coeff, c.planned, c.inventory, c.target, c.tau); !equal(got, c.want) {
			t.Errorf("InputOrder(%v, %v, %v, %v, %v) = %v, want %v", c.coeff, c.planned, c.inventory, c.target, c.tau, got, c.want)
		}
	}
}

func TestWageBill(t *testing.T) {
	for _, c := range []struct {
		wage, flex, output, base float64
		want                     float64
	}{
		{100, 0.5, 100, 100, 100}, // at baseline output
		{100, 0.5, 50, 100, 75},   // half the output: the flexible half halves
		{100, 0.5, 200, 100, 100}, // above baseline: wages do not rise
		{100, 0, 0, 100, 100},     // rigid wages are owed whatever the output
		{100, 1, 0, 100, 0},       // fully flexible, nothing produced
		{100, 0.25, 0, 100, 75},   // a quarter furloughed
	} {
		if got := WageBill(c.wage, c.flex, c.output, c.base); !equal(got, c.want) {
			t.Errorf("WageBill(%v, %v, %v, %v) = %v, want %v", c.wage, c.flex, c.output, c.base, got, c.want)
		}
	}
}

func TestOutput(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		capacity, demand, inputLimit float64
		want                         float64
	}{
		{10, 20, 30, 10}, // capacity binds
		{30, 10, 20, 10}, // demand binds
		{30, 20, 10, 10}, // the scarcest input binds
		{0, 5, 5, 0},     // locked down
		{10, -5, 10, 0},  // never negative
		{inf, 5, inf, 5}, // no input limits anything
		{7, 7, 7, 7},     // all equal
	} {
		if got := Output(c.capacity, c.demand, c.inputLimit); got != c.want {
			t.Errorf("Output(%v, %v, %v) = %v, want %v", c.capacity, c.demand, c.inputLimit, got, c.want)
		}
	}
}

func TestRationShare(t *testing.T) {
	for _, c := range []struct{ output, demand, want float64 }{
		{5, 10, 0.5},
		{10, 10, 1},
		{12, 10, 1}, // more output than orders: every order filled
		{0, 10, 0},
		{5, 0, 0},  // no demand: nothing to fill
		{5, -1, 0}, // nor with a negative one
	} {
		if got := RationShare(c.output, c.demand); got != c.want {
			t.Errorf("RationShare(%v, %v) = %v, want %v", c.output, c.demand, got, c.want)
		}
	}
}

func TestPayShare(t *testing.T) {
	for _, c := range []struct{ cash, due, want float64 }{
		{10, 0, 1},      // nothing due
		{0, 0, 1},       // nothing due, no cash
		{10, 5, 1},      // more cash than due
		{5, 5, 1},       // exactly enough
		{2.5, 10, 0.25}, // short: pro rata
		{0, 10, 0},      // no cash
		{-1, 10, 0},     // an overdraft pays nothing
	} {
		if got := PayShare(c.cash, c.due); got != c.want {
			t.Errorf("PayShare(%v, %v) = %v, want %v", c.cash, c.due, got, c.want)
		}
	}
}

func TestCreditScore(t *testing.T) {
	for _, c := range []struct {
		equity, assets, revenue, profit float64 // on baseline revenue 1
		arrears                         bool
		want                            float64
	}{
		{50, 100, 1, 0, false, 1},        // healthy: full marks
		{25, 100, 1, 0, false, 0.825},    // equity ratio 0.25: half the equity term
		{0, 100, 1, 0, false, 0.65},      // no equity
		{-10, 100, 1, 0, false, 0.65},    // negative equity counts as none
		{50, 0, 1, 0, false, 0.65},       // no assets: no equity term
		{50, 100, 0.5, 0, false, 0.825},  // revenue halved
		{50, 100, 1, -0.05, false, 0.85}, // losing 5% of revenue: half the profit term
		{50, 100, 1, -0.1, false, 0.7},   // losing 10%: no profit term
		{50, 100, 1, -0.2, false, 0.7},   // losing more: still none
		{50, 100, 1, 0, true, 0.75},      // in arrears
		{0, 100, 0, -0.1, true, 0},       // nothing left, in arrears: floored at 0
		{50, 100, 2, 0.5, false, 1},      // revenue and margin above baseline: capped
	} {
		if got := CreditScore(c.equity, c.assets, c.revenue, c.profit, 1, c.arrears); !equal(got, c.want) {
			t.Errorf("CreditScore(%v, %v, %v, %v, 1, %v) = %v, want %v", c.equity, c.assets, c.revenue, c.profit, c.arrears, got, c.want)
		}
	}
}

func TestLoanRate(t *testing.T) {
	for _, c := range []struct{ base, spread, score, shock, want float64 }{
		{0.04, 0.06, 1, 0, 0.04},      // the best score pays the base rate
		{0.04, 0.06, 0, 0, 0.10},      // the worst pays the whole spread
		{0.04, 0.06, 0.5, 0.01, 0.08}, // half the spread plus a shock's add-on
	} {
		if got := LoanRate(c.base, c.spread, c.score, c.shock); !equal(got, c.want) {
			t.Errorf("LoanRate(%v, %v, %v, %v) = %v, want %v", c.base, c.spread, c.score, c.shock, got, c.want)
		}
	}
}

func TestLendingCapacity(t *testing.T) {
	for _, c := range []struct{ capital, ratio, supply, loans, want float64 }{
		{10, 0.1, 1, 50, 50},   // capital for 100 of loans, 50 lent
		{10, 0.08, 1, 100, 25}, // capital for 125
		{10, 0.1, 0.5, 50, 0},  // a credit crunch halves what it may lend
		{10, 0.1, 1, 150, 0},   // over-lent: never negative
		{0, 0.1, 1, 0, 0},      // no capital
		{-5, 0.1, 1, 0, 0},     // negative capital
	} {
		if got := LendingCapacity(c.capital, c.ratio, c.supply, c.loans); !equal(got, c.want) {
			t.Errorf("LendingCapacity(%v, %v, %v, %v) = %v, want %v", c.capital, c.ratio, c.supply, c.loans, got, c.want)
		}
	}
}

func TestLoanLimit(t *testing.T) {
	for _, c := range []struct{ maxToRevenue, revenue, debt, want float64 }{
		{0.5, 1000, 100, 400},
		{0.5, 1000, 600, 0}, // over the limit: never negative
		{0, 1000, 0, 0},     // no lending against revenue
	} {
		if got := LoanLimit(c.maxToRevenue, c.revenue, c.debt); got != c.want {
			t.Errorf("LoanLimit(%v, %v, %v) = %v, want %v", c.maxToRevenue, c.revenue, c.debt, got, c.want)
		}
	}
}

func TestProfitBeforeTax(t *testing.T) {
	for _, c := range []struct{ output, inputShare, wage, fixed, interest, want float64 }{
		{1000, 0.6, 200, 50, 30, 120},
		{1000, 0.6, 200, 50, -30, 180}, // a subsidy larger than the interest adds to profit
		{0, 0.6, 200, 50, 30, -280},    // no output: the costs are a loss
		{1000, 1, 0, 0, 0, 0},          // all output is inputs
	} {
		if got := ProfitBeforeTax(c.output, c.inputShare, c.wage, c.fixed, c.interest); got != c.want {
			t.Errorf("ProfitBeforeTax(%v, %v, %v, %v, %v) = %v, want %v", c.output, c.inputShare, c.wage, c.fixed, c.interest, got, c.want)
		}
	}
}

func TestTax(t *testing.T) {
	for _, c := range []struct{ rate, profit, want float64 }{
		{0.25, 100, 25},
		{0.25, 0, 0},
		{0.25, -100, 0}, // no tax on a loss
		{0, 100, 0},
	} {
		if got := Tax(c.rate, c.profit); got != c.want {
			t.Errorf("Tax(%v, %v) = %v, want %v", c.rate, c.profit, got, c.want)
		}
	}
}

func TestDividend(t *testing.T) {
	for _, c := range []struct{ payout, profit, cash, target, want float64 }{
		{0.5, 100, 200, 100, 50}, // the payout share
		{0.5, 100, 120, 100, 20}, // no more than the cash above target
		{1, 100, 100, 100, 0},    // cash at target: nothing above it
		{0.5, 100, 90, 100, 0},   // below target: earnings retained
		{0.5, -10, 200, 100, 0},  // no dividend out of a loss
	} {
		if got := Dividend(c.payout, c.profit, c.cash, c.target); got != c.want {
			t.Errorf("Dividend(%v, %v, %v, %v) = %v, want %v", c.payout, c.profit, c.cash, c.target, got, c.want)
		}
	}
}

func TestStreak(t *testing.T) {
	for _, c := range []struct {
		steps int32
		holds bool
		want  int32
	}{
		{0, true, 1},
		{3, true, 4},
		{3, false, 0}, // the streak ends
		{0, false, 0},
	} {
		if got := Streak(c.steps, c.holds); got != c.want {
			t.Errorf("Streak(%d, %v) = %d, want %d", c.steps, c.holds, got, c.want)
		}
	}
}

func TestFailureOf(t *testing.T) {
	for _, c := range []struct {
		illiquid, insolvent int32
		grace, insolvency   int
		want                Failure
	}{
		{0, 0, 2, 4, Survives},
		{1, 3, 2, 4, Survives},       // both short of their limits
		{2, 0, 2, 4, FailsIlliquid},  // illiquid for the grace period
		{0, 4, 2, 4, FailsInsolvent}, // insolvent for the insolvency time
		{5, 9, 2, 4, FailsIlliquid},  // both: illiquidity is named first
		{1, 1, 1, 1, FailsIlliquid},
	} {
		if got := FailureOf(c.illiquid, c.insolvent, c.grace, c.insolvency); got != c.want {
			t.Errorf("FailureOf(%d, %d, %d, %d) = %d, want %d", c.illiquid, c.insolvent, c.grace, c.insolvency, got, c.want)
		}
	}
}

func TestSizeClassOf(t *testing.T) {
	cum := []float64{0.8, 0.97, 1}
	for _, c := range []struct {
		cum  []float64
		u    float64
		want int
	}{
		{cum, 0, 0},
		{cum, 0.79, 0},
		{cum, 0.8, 1}, // the boundary belongs to the next class
		{cum, 0.969, 1},
		{cum, 0.97, 2},
		{cum, 0.999999, 2},
		{cum, 1, 2},                         // rounding past the end: the last class
		{[]float64{0, 0.5, 1}, 0, 1},        // a class of share 0 is never drawn
		{[]float64{0.5, 1, 1}, 0.999999, 1}, // nor at the end
		{[]float64{0.5, 1, 1}, 1, 1},
	} {
		if got := SizeClassOf(c.cum, c.u); got != c.want {
			t.Errorf("SizeClassOf(%v, %v) = %d, want %d", c.cum, c.u, got, c.want)
		}
	}
}

func TestClassFactors(t *testing.T) {
	for _, c := range []struct {
		share, scale, want []float64
	}{
		{[]float64{0.5, 0.5}, []float64{1, 3}, []float64{0.5, 1.5}},                                        // mean scale 2
		{[]float64{1, 1}, []float64{1, 3}, []float64{0.5, 1.5}},                                            // shares normalised
		{[]float64{0.8, 0.17, 0.03}, []float64{1, 7.7, 89}, []float64{1 / 4.779, 7.7 / 4.779, 89 / 4.779}}, // 0.8 + 1.309 + 2.67
		{[]float64{1, 0}, []float64{2, 5}, []float64{1, 2.5}},
	} {
		got := ClassFactors(c.share, c.scale)
		for k := range got {
			if !equal(got[k], c.want[k]) {
				t.Errorf("ClassFactors(%v, %v) = %v, want %v", c.share, c.scale, got, c.want)
				break
			}
		}
	}
}

func TestLogMeanFactors(t *testing.T) {
	for _, c := range []struct {
		share, scale, want []float64
	}{
		{[]float64{0.8, 0.17, 0.03}, []float64{1, 1, 1}, []float64{1, 1, 1}}, // neutral: exactly 1
		{[]float64{0.5, 0.5}, []float64{1, 4}, []float64{0.5, 2}},            // geometric mean 2
		{[]float64{1, 1}, []float64{1, 4}, []float64{0.5, 2}},                // shares normalised
		{[]float64{1, 0}, []float64{2, 5}, []float64{1, 2.5}},                // a class of share 0 weighs nothing
		{[]float64{0.8, 0.2}, []float64{1, 32}, []float64{0.5, 16}},          // 32^0.2 = 2
	} {
		got := LogMeanFactors(c.share, c.scale)
		for k := range got {
			if !equal(got[k], c.want[k]) {
				t.Errorf("LogMeanFactors(%v, %v) = %v, want %v", c.share, c.scale, got, c.want)
				break
			}
		}
	}
}

func TestStepHazard(t *testing.T) {
	for _, c := range []struct {
		yearly, steps, want float64
	}{
		{0, 52, 0},
		{-0.1, 52, 0},
		{0.5, 1, 0.5},
		{0.75, 2, 0.5},                           // two steps of 1/2 survive 1/4
		{0.19, 2, 0.1},                           // 0.9² = 0.81
		{0.088, 52, 1 - math.Pow(0.912, 1.0/52)}, // the micro default: 0.1771% a week
	} {
		if got := StepHazard(c.yearly, c.steps); !equal(got, c.want) {
			t.Errorf("StepHazard(%v, %v) = %v, want %v", c.yearly, c.steps, got, c.want)
		}
	}
}

func TestOrderlyRecovery(t *testing.T) {
	for _, c := range []struct {
		assets, liabilities, realisation, want float64
	}{
		{100, 0, 0.8, 1},     // no creditors
		{100, 50, 0.8, 1},    // proceeds 80 cover 50
		{100, 80, 0.8, 1},    // exactly
		{100, 160, 0.8, 0.5}, // proceeds 80 for 160 of claims
		{100, 160, 0, 0},
		{-10, 50, 0.8, 0}, // negative assets fetch nothing
	} {
		if got := OrderlyRecovery(c.assets, c.liabilities, c.realisation); !equal(got, c.want) {
			t.Errorf("OrderlyRecovery(%v, %v, %v) = %v, want %v", c.assets, c.liabilities, c.realisation, got, c.want)
		}
	}
}

func TestEntrants(t *testing.T) {
	for _, c := range []struct {
		expected, rate, gap, response, open, carry float64
		want                                       int
		wantCarry                                  float64
	}{
		{0, 1, 0, 0, 1, 0, 0, 0},
		{0.3, 1, 0, 0, 1, 0, 0, 0.3},
		{0.3, 1, 0, 0, 1, 0.75, 1, 0.05},
		{2.5, 1, 0, 0, 1, 0, 2, 0.5},
		{0.5, 2, 0, 0, 1, 0, 1, 0},
		{0, 1, 4, 0.125, 1, 0, 0, 0.5},    // a gap of 4 firms at 1/8 a step
		{0, 1, -4, 0.125, 1, 0.5, 0, 0.5}, // a surplus gives no negative entry
		{0.25, 1, 6, 0.5, 1, 0.25, 3, 0.5},
		{2.5, 1, 2, 0.25, 0.4, 0, 1, 0.2}, // 40% open: 0.4 × (2.5 + 0.5)
		{2.5, 1, 2, 0.25, 0, 0.5, 0, 0.5}, // all locked down: only the carry
	} {
		n, carry := Entrants(c.expected, c.rate, c.gap, c.response, c.open, c.carry)
		if n != c.want || !equal(carry, c.wantCarry) {
			t.Errorf("Entrants(%v, %v, %v, %v, %v, %v) = %d, %v, want %d, %v", c.expected, c.rate, c.gap, c.response, c.open, c.carry, n, carry, c.want, c.wantCarry)
		}
	}
}

func TestScoreAverage(t *testing.T) {
	for _, c := range []struct {
		avg, v, alpha float64
		look          bool
		want          float64
	}{
		{100, 0, 0.25, false, 75},                     // the engine's 4-step smoothing
		{100, 0, 0.25, true, 100},                     // a lockdown step looked through
		{100, 60, 1.0 / 26, false, 98.46153846153847}, // 26-week memory: 100 − 40/26
		{0, 50, 1, false, 50},                         // no memory
		{-3, -9, 0.5, false, -6},                      // profits average the same way
	} {
		if got := ScoreAverage(c.avg, c.v, c.alpha, c.look); !equal(got, c.want) {
			t.Errorf("ScoreAverage(%v, %v, %v, %v) = %v, want %v", c.avg, c.v, c.alpha, c.look, got, c.want)
		}
	}
}

// TestCreditScoreSkipsOnlyExactDivisions checks that the terms CreditScore
// takes as 1 without dividing, and the score FullScore takes as 1 without
// computing it, are bit for bit the formula's, on the boundaries where a
// quotient just under a cap rounds up to it, on signed zeros, infinities
// and NaN.
func TestCreditScoreSkipsOnlyExactDivisions(t *testing.T) {
	clamp := func(v, lo, hi float64) float64 { return max(lo, min(hi, v)) }
	plain := func(equity, assets, revenue, profit, base float64, arrears bool) float64 {
		eq := 0.0
		if assets > 0 {
			eq = clamp(equity/assets/0.5, 0, 1)
		}
		s := 0.35*eq + 0.35*clamp(revenue/base, 0, 1) + 0.3*clamp(1+min(0, profit)/base/0.1, 0, 1)
		if arrears {
			s -= 0.25
		}
		return clamp(s, 0, 1)
	}
	below := math.Nextafter(1, 0)
	inf, nan := math.Inf(1), math.NaN()
	values := []float64{0, math.Copysign(0, -1), 1, below, 0.5, math.Nextafter(0.5, 0), 3, -2, 1e-300, math.MaxFloat64, -math.MaxFloat64, inf, -inf, nan}
	for _, a := range values {
		for _, b := range values {
			for _, c := range values {
				for _, arrears := range []bool{false, true} {
					// equity and assets; revenue and profit on base; and each
					// on the others' values.
					for _, in := range [][5]float64{{a, b, 1, 0, 1}, {1, 2, a, b, c}, {b, c, a, 0, 1}, {a, 2 * b, c, -c, b}} {
						got := CreditScore(in[0], in[1], in[2], in[3], in[4], arrears)
						want := plain(in[0], in[1], in[2], in[3], in[4], arrears)
						if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
							t.Fatalf("CreditScore(%v, %v) = %v (%#x), want %v (%#x)", in, arrears, got, math.Float64bits(got), want, math.Float64bits(want))
						}
						if FullScore(in[0], in[1], in[2], in[3], in[4], arrears) && math.Float64bits(want) != math.Float64bits(1) {
							t.Fatalf("FullScore(%v, %v) with a score of %v (%#x)", in, arrears, want, math.Float64bits(want))
						}
					}
				}
			}
		}
	}
}

// TestClamp checks clamp bit for bit against max(lo, min(hi, v)) on and
// around its bounds, on signed zeros, infinities and NaN: a value strictly
// between the bounds is returned without min and max.
func TestClamp(t *testing.T) {
	nz, inf, nan := math.Copysign(0, -1), math.Inf(1), math.NaN()
	values := []float64{0, nz, 1, math.Nextafter(1, 0), math.Nextafter(1, 2), 0.5, 5e-324, -5e-324, -1, 3, math.MaxFloat64, -math.MaxFloat64, inf, -inf, nan}
	bounds := [][2]float64{{0, 1}, {nz, 1}, {0, nz}, {-1, 0.5}, {0, 0}, {1, 0}, {-inf, inf}}
	for _, b := range bounds {
		for _, v := range values {
			got, want := clamp(v, b[0], b[1]), max(b[0], min(b[1], v))
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("clamp(%v, %v, %v) = %v (%#x), want %v (%#x)", v, b[0], b[1], got, math.Float64bits(got), want, math.Float64bits(want))
			}
		}
	}
	// Literal cases: within, on and beyond the bounds.
	for _, c := range []struct{ v, want float64 }{{0.25, 0.25}, {0, 0}, {nz, 0}, {-2, 0}, {1, 1}, {7, 1}} {
		if got := clamp(c.v, 0, 1); math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("clamp(%v, 0, 1) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestCreditScoreInLockdown is mechanism 1 of docs/design-counterfactual.md:
// an SME with equity at 44% of assets, closed for 8 weeks with no revenue
// and a loss, scores 0.35 × 0.88 + 0.35 × 0.75^8 = 0.3430… on the 4-step
// smoothing, below the threshold of 0.35; a bank that looks through the
// closure keeps its revenue and profit averages where they were and
// scores it 0.308 + 0.35 + 0.3 = 0.958.
func TestCreditScoreInLockdown(t *testing.T) {
	for _, c := range []struct {
		alpha float64
		look  bool
		want  float64
	}{
		{0.25, false, 0.34303952026367185},
		{0.25, true, 0.958},
		{1.0 / 26, true, 0.958},
	} {
		rev, profit := 1.0, 0.0 // over baseline revenue
		for range 8 {
			rev = ScoreAverage(rev, 0, c.alpha, c.look)
			profit = ScoreAverage(profit, -0.5, c.alpha, c.look)
		}
		if got := CreditScore(44, 100, rev, profit, 1, false); !equal(got, c.want) {
			t.Errorf("alpha %v, look-through %v: score %v after 8 weeks closed, want %v", c.alpha, c.look, got, c.want)
		}
	}
}

func TestOwnerFunds(t *testing.T) {
	for _, c := range []struct {
		median, sigma, z, yearly float64
		want                     float64
	}{
		{0.1, 0, 1.7, 1000, 100},                 // no spread: the median
		{0.1, 1, 1, 1000, 271.8281828459045},     // one sigma up: × e
		{0.1, 0.5, -2, 1000, 36.787944117144235}, // one sigma of 0.5 × 2 down: × 1/e
		{0, 1, 3, 1000, 0},                       // none
	} {
		if got := OwnerFunds(c.median, c.sigma, c.z, c.yearly); !equal(got, c.want) {
			t.Errorf("OwnerFunds(%v, %v, %v, %v) = %v, want %v", c.median, c.sigma, c.z, c.yearly, got, c.want)
		}
	}
}

func TestLiquiditySources(t *testing.T) {
	for _, c := range []struct {
		need, owner, limit, debt float64
		inject, borrow           float64
	}{
		{0, 30, 5, 0, 0, 0},   // nothing needed
		{-3, 30, 5, 0, 0, 0},  // cash to spare
		{10, 30, 5, 0, 10, 0}, // the owner covers it all
		{10, 4, 5, 0, 4, 5},   // owner, then informal credit; 1 stays short
		{10, 0, 20, 15, 0, 5}, // no owner funds: the room under the limit
		{10, 0, 20, 25, 0, 0}, // over the limit (interest capitalised): nothing
		{10, -1, 0, 0, 0, 0},  // no funds left
		{10, 2.5, 20, 0, 2.5, 7.5},
	} {
		inject, borrow := LiquiditySources(c.need, c.owner, c.limit, c.debt)
		if !equal(inject, c.inject) || !equal(borrow, c.borrow) {
			t.Errorf("LiquiditySources(%v, %v, %v, %v) = %v, %v, want %v, %v", c.need, c.owner, c.limit, c.debt, inject, borrow, c.inject, c.borrow)
		}
	}
}

func TestInformalRepayment(t *testing.T) {
	for _, c := range []struct {
		debt, due, cash, owed, target float64
		want                          float64
	}{
		{0, 1, 100, 0, 0, 0},     // no debt
		{26, 1, 100, 50, 40, 10}, // 10 above what is owed and the target: repaid early
		{26, 1, 100, 50, 60, 1},  // no surplus: the instalment
		{26, 1, 0.5, 0, 0, 0.5},  // short: what cash there is (the rest is late)
		{5, 1, 1000, 0, 0, 5},    // a surplus larger than the debt: all of it
		{26, 1, -1, 0, 0, 0},     // no cash
		{30, 0, 100, 120, 0, 0},  // just borrowed, nothing due yet, no surplus
	} {
		if got := InformalRepayment(c.debt, c.due, c.cash, c.owed, c.target); !equal(got, c.want) {
			t.Errorf("InformalRepayment(%v, %v, %v, %v, %v) = %v, want %v", c.debt, c.due, c.cash, c.owed, c.target, got, c.want)
		}
	}
}

// TestContinuationValue checks the closed form against sums worked by
// hand, and the weekly case of docs/model.md: a firm of 100 a week with a
// profit after tax of 4.8 a week at baseline, a contribution of 0.44 per
// unit of revenue and 50 of short debt, valued over 3 years at 15% a year
// (beta = 1.15^(−1/52)) with its revenue gap halving in 13 weeks
// (q = 0.5^(1/13)): S(beta) = 127.2538, S(beta q) = 17.3569. Looked
// through (gap 0) it is worth 4.8 × 127.25 − 50 = 560.8; expecting its
// whole revenue of 100 lost, 560.8 − 0.44 × 100 × 17.36 = −202.9: it
// closes.
func TestContinuationValue(t *testing.T) {
	beta, q := math.Pow(1.15, -1.0/52), math.Pow(0.5, 1.0/13)
	for _, c := range []struct {
		base, contribution, gap, beta, q float64
		h                                int
		debt                             float64
		want                             float64
	}{
		{2, 0.5, 4, 1, 1, 10, 3, -3},       // 2×10 − 0.5×4×10 − 3
		{4, 1, 0, 0.5, 1, 2, 1, 2},         // 4×(0.5 + 0.25) − 1
		{1, 1, 2, 0.5, 0.5, 3, 0, 0.21875}, // 0.875 − 2×(0.25 + 0.0625 + 0.015625)
		{4.8, 0.44, 0, beta, q, 156, 50, 560.818077675},
		{4.8, 0.44, 100, beta, q, 156, 50, -202.88433651662172},
	} {
		if got := ContinuationValue(c.base, c.contribution, c.gap, c.beta, c.q, c.h, c.debt); !(math.Abs(got-c.want) <= 1e-9*math.Max(1, math.Abs(c.want))) {
			t.Errorf("ContinuationValue(%v, %v, %v, %v, %v, %v, %v) = %v, want %v", c.base, c.contribution, c.gap, c.beta, c.q, c.h, c.debt, got, c.want)
		}
	}
}
