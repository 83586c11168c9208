// Rules of the state's instruments as a bank and a firm see them: whether a
// loan is worth putting under a guarantee, and the score a bank screens a
// guaranteed loan on.

package agents

// GuaranteeTakeUp reports whether new money goes under a state guarantee:
// when the expected loss it transfers to the state over the loan's life is
// at least the fee,
//
//	coverage × LifetimeLoss(pd, lgd, years) ≥ fee
//
// with pd the borrower's yearly default probability, lgd the loss given
// default and years the loan's maturity. A guarantee that covers nothing
// (coverage 0) is never taken, whatever the fee; a fee of 0 makes every
// guarantee with some coverage and some risk worth taking.
func GuaranteeTakeUp(coverage, pd, lgd, years, fee float64) bool {
	transferred := coverage * LifetimeLoss(pd, lgd, years, false)
	return transferred > 0 && transferred >= fee
}

// LifetimeLoss returns the expected loss per unit of a loan over its
// remaining life of years: lgd times the probability of default over that
// life, pd × years at most 1 for a performing loan (pd yearly), 1 for a
// non-performing one:
//
//	lgd × (nonPerforming ? 1 : min(1, pd × years))
func LifetimeLoss(pd, lgd, years float64, nonPerforming bool) float64 {
	if nonPerforming {
		return lgd
	}
	return lgd * min(1, pd*years)
}

// RetainedRiskScore returns the score a bank screens and prices a loan on
// when the state covers a share coverage of its loss: the score whose
// default probability (DefaultProbability, linear in the score) is the
// (1 − coverage) share of the borrower's that the bank keeps,
//
//	1 − ((1 − coverage) × (5 − 4 × score) − 1) / 4, at most 1
//
// so that coverage 0 gives the borrower's own score (clamped to [0,1]) and
// the bank's decision without the guarantee.
func RetainedRiskScore(score, coverage float64) float64 {
	s := clamp(score, 0, 1)
	return min(1, 1-((1-coverage)*(5-4*s)-1)/4)
}

// NewBorrowerScore returns the score a bank screens a firm it has never
// lent to on: its credit score less penalty, for what the bank does not
// know of it, at least 0.
func NewBorrowerScore(score, penalty float64) float64 {
	return max(0, score-penalty)
}
