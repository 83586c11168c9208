// Package agents holds the decision rules of smesim's actors — firms, banks
// and the government — as small pure functions of one actor's own state.
// They contain no loops over the network: the engine in package sim calls
// them from its phases, firm by firm and edge by edge.
package agents

import "math"

// InputOrder returns what a buyer orders of one input: the input needed for
// planned output plus a share 1/tau of the gap between the target inventory
// (targetSteps steps of use) and the inventory held, never negative. This is
// the ordering rule of firm-level dynamic input-output (ARIO-style) models:
//
//	max(0, coeff × planned + (targetSteps × coeff × planned − inventory) / tau)
func InputOrder(coeff, planned, inventory, targetSteps, tauSteps float64) float64 {
	use := coeff * planned
	o := use + (targetSteps*use-inventory)/tauSteps
	if o < 0 {
		return 0
	}
	return o
}

// WageBill returns what a firm owes in wages for a step: its baseline wage
// bill, of which the flexible share flex (furloughs, short hours) follows
// output down, never up:
//
//	wage × (1 − flex × (1 − min(1, output/baseOutput)))
func WageBill(wage, flex, output, baseOutput float64) float64 {
	return wage * (1 - flex*(1-min(1, output/baseOutput)))
}

// Output returns what a firm produces: the least of its capacity, the
// demand it received and what its scarcest input allows, never negative:
//
//	max(0, min(capacity, demand, inputLimit))
func Output(capacity, demand, inputLimit float64) float64 {
	return max(0, min(capacity, min(demand, inputLimit)))
}

// RationShare returns the share of every order a firm fills when it
// produces output against demand: deliveries are pro rata,
//
//	min(1, output / demand), and 0 without demand.
func RationShare(output, demand float64) float64 {
	if demand <= 0 {
		return 0
	}
	return min(1, output/demand)
}

// PayShare returns the share of every amount due that a firm with cash
// pays: all if it can (or if nothing is due), otherwise pro rata to what
// it owes each creditor:
//
//	max(0, cash) / due
func PayShare(cash, due float64) float64 {
	if due <= 0 || cash >= due {
		return 1
	}
	if cash <= 0 {
		return 0
	}
	return cash / due
}

// CreditScore rates a borrower in [0,1] from its equity ratio (equity over
// assets), its recent revenue against its baseline revenue, its recent
// profit margin on baseline revenue, and whether it is in arrears. A
// healthy firm (equity ratio ≥ 0.5, revenue at baseline, not losing money,
// no arrears) scores 1; a firm losing 10% of its revenue or more gets
// nothing for profitability:
//
//	clamp(0.35 × clamp(equity/assets / 0.5) + 0.35 × clamp(revenue/baseRevenue)
//	      + 0.3 × clamp(1 + min(0, profit)/baseRevenue/0.1) − 0.25 × inArrears)
//
// with clamp to [0,1], and an equity term of 0 without assets.
func CreditScore(equity, assets, revenue, profit, baseRevenue float64, inArrears bool) float64 {
	// A healthy firm's terms are each at their cap of 1. Where a
	// comparison shows that the quotient is at least the cap (so its
	// rounding is too), the term is 1 without the division: the same
	// bits, for a third of the score's cost (divisions are the dearest
	// arithmetic of a step).
	eq := 0.0
	if assets > 0 {
		eq = 1
		if !(equity+equity >= assets && assets <= math.MaxFloat64) {
			eq = clamp(equity/assets/0.5, 0, 1)
		}
	}
	base := baseRevenue > 0 && baseRevenue <= math.MaxFloat64
	rev := 1.0
	if !(base && revenue >= baseRevenue) {
		rev = clamp(revenue/baseRevenue, 0, 1)
	}
	margin := 1.0
	if !(base && profit >= 0) {
		margin = clamp(1+min(0, profit)/baseRevenue/0.1, 0, 1)
	}
	s := 0.35*eq + 0.35*rev + 0.3*margin
	if inArrears {
		s -= 0.25
	}
	return clamp(s, 0, 1)
}

// FullScore reports whether CreditScore scores a borrower 1 for being
// healthy: equity at least half its assets, revenue at its baseline, no
// loss and no arrears. Each term is then at its cap, and 0.35 + 0.35 + 0.3
// rounds to exactly 1 (TestCreditScoreSkipsOnlyExactDivisions). It is
// cheap enough to inline, so that a loop over many borrowers (most of them
// healthy) calls CreditScore only for the others.
func FullScore(equity, assets, revenue, profit, baseRevenue float64, inArrears bool) bool {
	return !inArrears && assets > 0 && equity+equity >= assets && assets <= math.MaxFloat64 &&
		baseRevenue > 0 && baseRevenue <= math.MaxFloat64 && revenue >= baseRevenue && profit >= 0
}

// ScoreAverage returns a bank's through-the-cycle average of a borrower's
// revenue or profit after one more step with value v: an exponential
// average with weight alpha on the step, left as it was for a step the
// bank looks through (a closure it knows to be temporary, such as a
// lockdown order):
//
//	avg                      if lookThrough
//	avg + alpha × (v − avg)  otherwise
//
// With alpha = 1/m the average's mean age is about m steps.
func ScoreAverage(avg, v, alpha float64, lookThrough bool) float64 {
	if lookThrough {
		return avg
	}
	return avg + alpha*(v-avg)
}

// LoanRate returns the yearly rate a bank charges a borrower with a score:
// the base rate, a risk spread scaled by 1 − score, and any shock add-on,
//
//	base + riskSpread × (1 − score) + shockSpread
func LoanRate(base, riskSpread, score, shockSpread float64) float64 {
	return base + riskSpread*(1-score) + shockSpread
}

// LendingCapacity returns how much more a bank can lend: its capital over
// the required capital ratio, scaled by a credit-supply multiplier, less its
// loans outstanding, never negative; nothing without capital:
//
//	max(0, capital / capitalRatio × supplyMultiplier − loans)
func LendingCapacity(capital, capitalRatio, supplyMultiplier, loans float64) float64 {
	if capital <= 0 {
		return 0
	}
	return max(0, capital/capitalRatio*supplyMultiplier-loans)
}

// LoanLimit returns the most a firm may still borrow: maxToRevenue times its
// yearly baseline revenue, less the debt it has, never negative,
//
//	max(0, maxToRevenue × yearlyRevenue − debt)
func LoanLimit(maxToRevenue, yearlyRevenue, debt float64) float64 {
	return max(0, maxToRevenue*yearlyRevenue-debt)
}

// ProfitBeforeTax returns a firm's profit over a step before tax: its
// output less the inputs it used, its wage bill, its fixed costs and the
// interest it owes,
//
//	output − inputShare × output − wageBill − fixedCost − interest
func ProfitBeforeTax(output, inputShare, wageBill, fixedCost, interest float64) float64 {
	return output - inputShare*output - wageBill - fixedCost - interest
}

// Tax returns the tax due on a step's profit: rate × profit, and nothing
// on a loss.
func Tax(rate, profit float64) float64 {
	if profit <= 0 {
		return 0
	}
	return rate * profit
}

// Dividend returns what a firm pays out of a step's profit after tax: the
// payout share while its cash is at or above its target, but never more
// than the cash above the target; nothing otherwise (it retains earnings
// to rebuild its cash):
//
//	min(payout × profitAfterTax, cash − target) if profitAfterTax > 0 and cash ≥ target, else 0
func Dividend(payout, profitAfterTax, cash, target float64) float64 {
	if profitAfterTax <= 0 || cash < target {
		return 0
	}
	// Never out of cash the firm needs: profit is accrued, and a firm may
	// have spent the cash it earned on what it owed.
	return min(payout*profitAfterTax, cash-target)
}

// OwnerFunds returns the funds a firm's owner can inject over the firm's
// life: a share of its yearly baseline revenue, log-normal across firms
// with median median and spread sigma, z being a standard normal draw:
//
//	median × exp(sigma × z) × yearlyRevenue
func OwnerFunds(median, sigma, z, yearlyRevenue float64) float64 {
	return median * math.Exp(sigma*z) * yearlyRevenue
}

// LiquiditySources returns how a firm short of need covers it beyond its
// bank, in the order it turns to them: first its owner's funds, as equity
// (inject, at most ownerLeft), then informal credit (borrow, up to the
// room left under its informal limit). What neither covers stays short:
//
//	inject = min(need, ownerLeft)
//	borrow = min(need − inject, max(0, informalLimit − informalDebt))
//
// with nothing when need ≤ 0.
func LiquiditySources(need, ownerLeft, informalLimit, informalDebt float64) (inject, borrow float64) {
	if need <= 0 {
		return 0, 0
	}
	inject = min(need, max(0, ownerLeft))
	borrow = min(need-inject, max(0, informalLimit-informalDebt))
	return inject, borrow
}

// InformalRepayment returns what a firm pays its informal lenders in a
// step: the instalment due (1/maturity of what it owed them before the
// step's borrowing), or more when it holds cash beyond what it owes and
// its cash target (informal credit is dear, so any surplus repays it
// first), never more than the debt or the cash it holds:
//
//	min(debt, max(0, cash), max(due, cash − owed − target))
func InformalRepayment(debt, due, cash, owed, target float64) float64 {
	if debt <= 0 {
		return 0
	}
	return min(debt, max(0, cash), max(due, cash-owed-target))
}

// ContinuationValue returns what going on is worth to a firm's owner: the
// profit it expects over the next h steps, discounted by beta per step,
// less its net short-term debt. Its revenue is expected to return from
// below baseline to baseline, the gap shrinking by the factor q each step
// (q = 0.5^(1/half-life)); each unit of revenue below baseline costs
// contribution (revenue less the inputs and flexible wages it pays for).
// With baseProfit the profit per step at baseline and gap the revenue gap
// per step now:
//
//	V = baseProfit × S(beta) − contribution × gap × S(beta × q) − debt
//	S(x) = Σ_{k=1..h} x^k = x (1 − x^h) / (1 − x), and h when x = 1
//
// The firm goes on while V ≥ 0 (docs/model.md, "Liquidity beyond banks").
func ContinuationValue(baseProfit, contribution, gap, beta, q float64, h int, debt float64) float64 {
	return baseProfit*geometricSum(beta, h) - contribution*gap*geometricSum(beta*q, h) - debt
}

// geometricSum returns x + x² + … + x^h.
func geometricSum(x float64, h int) float64 {
	if x == 1 {
		return float64(h)
	}
	return x * (1 - math.Pow(x, float64(h))) / (1 - x)
}

// Streak returns for how many steps in a row a condition has held: one
// more than steps while it holds, and 0 once it does not.
func Streak(steps int32, holds bool) int32 {
	if holds {
		return steps + 1
	}
	return 0
}

// Failure is whether a firm fails, and why.
type Failure uint8

const (
	Survives       Failure = iota // the firm carries on
	FailsIlliquid                 // unable to pay wages, taxes or debt service in full for grace steps in a row
	FailsInsolvent                // negative equity for insolvency steps in a row
)

// FailureOf returns whether a firm fails, from the steps in a row it has
// been illiquid and insolvent: illiquid once illiquidSteps reaches grace,
// insolvent once insolventSteps reaches insolvency; a firm that is both is
// named illiquid.
func FailureOf(illiquidSteps, insolventSteps int32, grace, insolvency int) Failure {
	switch {
	case int(illiquidSteps) >= grace:
		return FailsIlliquid
	case int(insolventSteps) >= insolvency:
		return FailsInsolvent
	}
	return Survives
}

// clamp returns max(lo, min(hi, v)). A value strictly between the bounds
// is its own clamp, and is told by two comparisons: Go's float min and max
// must order signed zeros and pass NaN on, a dozen instructions each,
// which only the values outside need (TestClamp).
func clamp(v, lo, hi float64) float64 {
	if v > lo && v < hi {
		return v
	}
	return max(lo, min(hi, v))
}
