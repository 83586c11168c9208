package results

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Effect metric names, in the order they appear in summary.json. The
// differences are baseline − arm, replication by replication, so a
// positive value is a gain of the arm.
const (
	FirmsSaved        = "firms_saved"         // failures of the baseline − of the arm
	SMEsSaved         = "smes_saved"          // sme_failures of the baseline − of the arm
	CoresSaved        = "cores_saved"         // core_failures of the baseline − of the arm
	JobsSaved         = "jobs_saved"          // jobs_lost of the baseline − of the arm
	OutputSaved       = "output_saved"        // output_lost of the baseline − of the arm
	BankLossesAvoided = "bank_losses_avoided" // bank_losses of the baseline − of the arm
	CostPerFirmSaved  = "cost_per_firm_saved" // mean fiscal cost / mean firms saved (see Ratio)
	CostPerJobSaved   = "cost_per_job_saved"  // mean fiscal cost / mean jobs saved (see Ratio)
)

// EffectMetrics lists the effect metrics in order.
var EffectMetrics = []string{FirmsSaved, SMEsSaved, CoresSaved, JobsSaved, OutputSaved, BankLossesAvoided, CostPerFirmSaved, CostPerJobSaved}

// effectOf maps each difference in EffectMetrics to its headline metric.
var effectOf = []struct{ effect, headline string }{
	{FirmsSaved, Failures}, {SMEsSaved, SMEFailures}, {CoresSaved, CoreFailures},
	{JobsSaved, JobsLost}, {OutputSaved, OutputLost}, {BankLossesAvoided, BankLosses},
}

// EffectHeadline returns the headline metric whose paired difference,
// baseline − arm, is the effect metric effect; ok is false for the ratios
// (cost_per_firm_saved, cost_per_job_saved) and names that are not
// effects.
func EffectHeadline(effect string) (headline string, ok bool) {
	for _, m := range effectOf {
		if m.effect == effect {
			return m.headline, true
		}
	}
	return "", false
}

// effects returns the EffectMetrics of the results of one arm (with their
// Headline values) against the baseline's Headline values by
// replication. It returns an error if the baseline lacks a replication of
// the arm.
//
// The differences are Described over the paired replications: mean,
// Student-t interval, sd, n. The two ratios are Ratio(fiscal cost, saved):
// the fiscal cost of a replication is the arm's fiscal_cost less the
// baseline's (which applies no intervention: 0), so that both terms are
// paired differences.
func effects(baseline map[int][]float64, arm []*digest) (Stats, error) {
	col := func(name string) int { return slices.Index(HeadlineMetrics, name) }
	diffs := make([][]float64, len(effectOf))
	var cost []float64
	for _, d := range arm {
		b, ok := baseline[d.replication]
		if !ok {
			return nil, fmt.Errorf("results: arm %q has replication %d, which the baseline lacks: effects pair replications", d.arm, d.replication)
		}
		for e, m := range effectOf {
			c := col(m.headline)
			diffs[e] = append(diffs[e], b[c]-d.head[c])
		}
		c := col(FiscalCost)
		cost = append(cost, d.head[c]-b[c])
	}
	out := Stats{}
	for e, m := range effectOf {
		out = append(out, Describe(m.effect, diffs[e]))
	}
	out = append(out, Ratio(CostPerFirmSaved, cost, diffs[0]), Ratio(CostPerJobSaved, cost, diffs[3]))
	return out, nil
}

// Ratio returns the Stat of mean(x)/mean(y) over the pairs (x[i], y[i])
// where both are finite (N counts them), with Fieller's interval at level
// Confidence:
//
//   - Mean is mean(x)/mean(y); it is undefined (NaN) when mean(y) ≤ 0: a
//     cost per unit saved means nothing when nothing is saved.
//   - Lo and Hi bound Fieller's interval when mean(y) is significantly
//     above 0 at level Confidence; otherwise the interval is unbounded
//     and both are NaN (null in summary.json), while Mean is still given.
//     With one pair, Lo = Hi = Mean, as in Describe.
//   - SD is NaN: a ratio has no sample standard deviation.
func Ratio(metric string, x, y []float64) Stat {
	st := Stat{Metric: metric, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN()}
	var xs, ys []float64
	for i := range min(len(x), len(y)) {
		if isFinite(x[i]) && isFinite(y[i]) {
			xs, ys = append(xs, x[i]), append(ys, y[i])
		}
	}
	st.N = len(xs)
	if st.N == 0 {
		return st
	}
	n := float64(st.N)
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	if !(my > 0) {
		return st
	}
	st.Mean = mx / my
	if st.N == 1 {
		st.Lo, st.Hi = st.Mean, st.Mean
		return st
	}
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	// Variances and covariance of the two means.
	d := n * (n - 1)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.5 + Confidence/2)
	if lo, hi, ok := Fieller(mx, my, sxx/d, sxy/d, syy/d, t); ok {
		st.Lo, st.Hi = lo, hi
	}
	return st
}

// Fieller returns Fieller's confidence interval for the ratio θ = μx/μy of
// two means, from their estimates mx and my, the estimates vxx, vyy of
// their variances and vxy of their covariance (for means of n paired
// observations: the sample (co)variances divided by n), and t, the
// quantile of the Student t distribution at the level wanted (with n − 1
// degrees of freedom for paired means: the interval is then exact for
// normal data).
//
// The interval is the set of θ for which mx − θ·my, whose variance is
// vxx − 2θ·vxy + θ²·vyy, is not significantly different from 0:
//
//	(mx − θ·my)² ≤ t²·(vxx − 2θ·vxy + θ²·vyy)
//
// that is a·θ² − 2b·θ + c ≤ 0 with
//
//	a = my² − t²·vyy,  b = mx·my − t²·vxy,  c = mx² − t²·vxx.
//
// When a > 0, that is when my is significantly different from 0
// (|my|/√vyy > t), the set is the bounded interval between the roots
// (b ∓ √(b² − ac))/a, which holds mx/my; Fieller returns it with ok true.
// The discriminant is computed as
//
//	b² − ac = t²·(my²·vxx − 2·mx·my·vxy + mx²·vyy − t²·(vxx·vyy − vxy²))
//
// which avoids the cancellation of the large terms mx²·my². When a ≤ 0 the
// set is the whole line or the complement of an interval: Fieller returns
// NaN, NaN, false.
func Fieller(mx, my, vxx, vxy, vyy, t float64) (lo, hi float64, ok bool) {
	t2 := t * t
	a := my*my - t2*vyy
	if !(a > 0) {
		return math.NaN(), math.NaN(), false
	}
	b := mx*my - t2*vxy
	disc := t2 * (my*my*vxx - 2*mx*my*vxy + mx*mx*vyy - t2*(vxx*vyy-vxy*vxy))
	// disc ≥ 0 when a > 0 (the quadratic is ≤ 0 at mx/my); clamp rounding.
	r := math.Sqrt(max(disc, 0))
	return (b - r) / a, (b + r) / a, true
}
