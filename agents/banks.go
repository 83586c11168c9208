// The banking system's rules (finance.banking = "system"): how much new
// money a bank lends given its capital, the provisions it holds, what it
// pays out, and when the state recapitalises it.

package agents

// LendingSupply returns the share of its borrowers' requests for new money
// that a bank funds, from its capital ratio car: all of them at or above
// its target carTarget, none at or below its minimum carMin, and in
// between a share that tapers linearly, so that lending slows as capital
// nears the minimum instead of stopping at a cliff:
//
//	clamp((car − carMin) / (carTarget − carMin)) × supplyMultiplier
//
// with clamp to [0,1]; supplyMultiplier is the credit shock's (1 outside
// it). A target at or below the minimum makes the share a step at carMin.
func LendingSupply(car, carMin, carTarget, supplyMultiplier float64) float64 {
	if !(car > carMin) {
		return 0
	}
	if carTarget <= carMin {
		return supplyMultiplier
	}
	return clamp((car-carMin)/(carTarget-carMin), 0, 1) * supplyMultiplier
}

// DefaultProbability returns a borrower's yearly probability of default
// from its credit score: pdBase for a healthy borrower (score 1), rising
// linearly to 5 × pdBase at score 0, and at most 1:
//
//	min(1, pdBase × (1 + 4 × (1 − clamp(score))))
func DefaultProbability(pdBase, score float64) float64 {
	return min(1, pdBase*(1+4*(1-clamp(score, 0, 1))))
}

// ProvisionRate returns the loan-loss provision a bank holds per unit of a
// loan: the twelve-month expected loss pd × lgd of a performing loan, the
// whole loss given default lgd of a non-performing one:
//
//	lgd × (nonPerforming ? 1 : pd)
func ProvisionRate(pd, lgd float64, nonPerforming bool) float64 {
	if nonPerforming {
		return lgd
	}
	return pd * lgd
}

// Provisions returns a bank's required loan-loss provisions: the expected
// losses expected of its book, but at least coverageMin times its
// non-performing loans (the regulator's provision coverage floor):
//
//	max(expected, coverageMin × npl)
func Provisions(expected, coverageMin, npl float64) float64 {
	return max(expected, coverageMin*npl)
}

// BankDividend returns what a bank pays out of a step's earnings: the
// payout share of positive earnings while its capital is above its target,
// never taking capital below the target; nothing on a loss or below the
// target (it retains earnings to rebuild capital):
//
//	min(payout × earnings, capital − target) if earnings > 0 and capital > target, else 0
func BankDividend(payout, earnings, capital, target float64) float64 {
	if earnings <= 0 || capital <= target {
		return 0
	}
	return min(payout*earnings, capital-target)
}

// Recapitalisation returns what the state pays into a bank's capital when
// the bank has been below its minimum capital ratio for delay steps in a
// row: enough to restore its ratio to carStart on its risk-weighted assets
// rwa, and nothing otherwise:
//
//	max(0, carStart × rwa − capital) if stepsBelow ≥ delay, else 0
func Recapitalisation(capital, rwa, carStart float64, stepsBelow int32, delay int) float64 {
	if int(stepsBelow) < delay {
		return 0
	}
	return max(0, carStart*rwa-capital)
}
