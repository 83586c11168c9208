package results

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// Confidence is the level of the intervals in a Summary.
const Confidence = 0.95

// Headline metric names, in the order they appear in summary.json.
const (
	SMEFailures      = "sme_failures"       // SMEs failed by the end of the run
	CoreFailures     = "core_failures"      // core enterprises failed by the end of the run
	Failures         = "failures"           // all firms failed
	JobsLost         = "jobs_lost"          // sum of the baseline jobs of failed firms
	OutputLost       = "output_lost"        // sum over steps from the shock of (pre-shock mean of "output" − "output")
	LargestCascade   = "largest_cascade"    // firms in the largest cascade (0 without failures)
	MeanCascadeDepth = "mean_cascade_depth" // mean over cascades of their largest generation
	BankLosses       = "bank_losses"        // sum over steps of the "bank_losses" series
	FiscalCost       = "fiscal_cost"        // sum over steps of the "fiscal_cost" series
)

// HeadlineMetrics lists the headline metrics in order.
var HeadlineMetrics = []string{SMEFailures, CoreFailures, Failures, JobsLost, OutputLost, LargestCascade, MeanCascadeDepth, BankLosses, FiscalCost}

// OutputMetric is the time-series metric from which output_lost is computed.
const OutputMetric = "output"

// Summary is the content of summary.json.
type Summary struct {
	Confidence float64 `json:"confidence"` // level of the lo–hi intervals
	Arms       []Arm   `json:"arms"`       // in order of first appearance in the results
}

// Arm summarises the replications of one arm.
type Arm struct {
	Arm          string `json:"arm"`
	Replications int    `json:"replications"`
	// Headline holds the HeadlineMetrics, in that order.
	Headline Stats `json:"headline"`
	// Effects holds the EffectMetrics, in that order: the arm against the
	// baseline, paired by replication. It is nil (and left out of
	// summary.json) for the baseline and when the results hold no
	// baseline arm.
	Effects Stats `json:"effects,omitempty"`
	// Interventions summarises each intervention the arm applies, in the
	// order of the scenario's [[interventions]]; empty for the baseline.
	Interventions []Intervention `json:"interventions"`
	// Final holds the value at the last step of every time-series metric,
	// in the engine's metric order.
	Final Stats `json:"final"`
}

// Stat is the distribution of one metric over replications: the mean, a
// Student-t interval at level Confidence (Lo = Hi = Mean when N = 1), the
// sample standard deviation (NaN when N < 2) and the number of
// replications N for which the metric is defined. Undefined values (NaN)
// are written as null.
type Stat struct {
	Metric string
	Mean   float64
	Lo     float64
	Hi     float64
	SD     float64
	N      int
}

// Stats is a list of Stat written to JSON as an object keyed by metric
// name, in list order: {"failures": {"mean": …, "lo": …, "hi": …, "sd": …, "n": …}, …}.
type Stats []Stat

// Get returns the Stat of metric name.
func (s Stats) Get(name string) (Stat, bool) {
	for _, st := range s {
		if st.Metric == name {
			return st, true
		}
	}
	return Stat{}, false
}

// Get returns the summary of arm name, or nil.
func (s *Summary) Get(name string) *Arm {
	for i := range s.Arms {
		if s.Arms[i].Arm == name {
			return &s.Arms[i]
		}
	}
	return nil
}

// Describe computes the Stat of the finite values in xs (NaN values are
// undefined and left out of N).
func Describe(metric string, xs []float64) Stat {
	st := Stat{Metric: metric, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN()}
	var sum float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum += x
			st.N++
		}
	}
	if st.N == 0 {
		return st
	}
	st.Mean = sum / float64(st.N)
	if st.N == 1 || math.IsInf(st.Mean, 0) {
		st.Lo, st.Hi = st.Mean, st.Mean
		return st
	}
	var ss float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			d := x - st.Mean
			ss += d * d
		}
	}
	st.SD = math.Sqrt(ss / float64(st.N-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(st.N - 1)}.Quantile(0.5 + Confidence/2)
	half := t * st.SD / math.Sqrt(float64(st.N))
	st.Lo, st.Hi = st.Mean-half, st.Mean+half
	return st
}

// Headline returns the HeadlineMetrics of one result, in order. A metric
// that is not defined for the result is NaN: output_lost when there is no
// "output" metric or no pre-shock step, mean_cascade_depth when there was
// no failure, bank_losses and fiscal_cost when their series are not
// recorded.
//
// When firms were not recorded (output.record = "aggregate": no firm
// outcomes, no events), the failure counts are the sums over steps of the
// "failures_sme", "failures_core" and "failures" series, the same numbers
// as from the firm outcomes since a firm fails once; jobs_lost is the
// "employment" series at the first step less at the last (equal up to
// rounding), defined only when no firm failed at the first step, which
// the series cannot tell apart; largest_cascade and mean_cascade_depth,
// which need the events, are NaN; and any of these is NaN when its series
// is not recorded.
func Headline(r *sim.Result) []float64 {
	out := make([]float64, len(HeadlineMetrics))
	for i := range out {
		out[i] = math.NaN()
	}
	if n := networkSize(r); len(r.Firms.Status) == n && n > 0 {
		var sme, core, jobs float64
		for i, s := range r.Firms.Status {
			if s != sim.Failed {
				continue
			}
			if r.Network.Kind[i] == network.Core {
				core++
			} else {
				sme++
			}
			jobs += r.Firms.Jobs[i]
		}
		out[0], out[1], out[2], out[3] = sme, core, sme+core, jobs

		size := map[int32]int{}
		depth := map[int32]int32{}
		for _, e := range r.Events {
			size[e.Cascade]++
			depth[e.Cascade] = max(depth[e.Cascade], e.Generation)
		}
		largest := 0
		for _, s := range size {
			largest = max(largest, s)
		}
		out[5] = float64(largest)
		if len(depth) > 0 {
			var d int64
			for _, g := range depth {
				d += int64(g)
			}
			out[6] = float64(d) / float64(len(depth))
		}
	} else if len(r.Firms.Status) == 0 && len(r.Events) == 0 {
		out[0], out[1], out[2] = seriesSum(r, "failures_sme"), seriesSum(r, "failures_core"), seriesSum(r, "failures")
		out[3] = jobsLostFromSeries(r)
	}
	out[4] = outputLost(r)
	out[7] = seriesSum(r, BankLosses)
	out[8] = seriesSum(r, FiscalCost)
	return out
}

// networkSize is the number of firms of r's network, 0 without one.
func networkSize(r *sim.Result) int {
	if r.Network == nil {
		return 0
	}
	return r.Network.N()
}

// jobsLostFromSeries is "employment" (the baseline jobs of the firms not
// failed) at the first step less at the last, or NaN when it is not
// recorded or when firms failed at the first step (their jobs are then in
// neither value).
func jobsLostFromSeries(r *sim.Result) float64 {
	emp, fail := slices.Index(r.Metrics, "employment"), slices.Index(r.Metrics, "failures")
	T := r.Steps()
	if emp < 0 || fail < 0 || T == 0 || r.Value(0, fail) != 0 {
		return math.NaN()
	}
	return r.Value(0, emp) - r.Value(T-1, emp)
}

// seriesSum is the sum over steps of the time-series metric name, or NaN
// when r does not record it.
func seriesSum(r *sim.Result, name string) float64 {
	m := slices.Index(r.Metrics, name)
	if m < 0 {
		return math.NaN()
	}
	var sum float64
	for t := range r.Steps() {
		sum += r.Value(t, m)
	}
	return sum
}

// outputLost is the sum over steps from ShockStep of the pre-shock mean of
// the output metric minus its value.
func outputLost(r *sim.Result) float64 {
	m := -1
	for i, name := range r.Metrics {
		if name == OutputMetric {
			m = i
		}
	}
	T := r.Steps()
	if m < 0 || r.ShockStep <= 0 || r.ShockStep > T {
		return math.NaN()
	}
	var base float64
	for t := 0; t < r.ShockStep; t++ {
		base += r.Value(t, m)
	}
	base /= float64(r.ShockStep)
	var lost float64
	for t := r.ShockStep; t < T; t++ {
		lost += base - r.Value(t, m)
	}
	return lost
}

// Summarize computes the summary of results: per arm (in order of first
// appearance), the number of replications, the Stat of every headline
// metric, the arm's effects against the baseline (see EffectMetrics), what
// each of its interventions did (see Intervention) and the Stat of the
// final value of every time-series metric. Replications are taken in order
// of their index, whatever their order in results.
//
// Effects pair replication r of an arm with replication r of the baseline.
// Summarize returns an error, rather than misalign them, when an arm holds
// a replication the baseline lacks, or when an arm holds a replication
// twice. The results must otherwise be consistent (as WriteDir checks).
func Summarize(results []*sim.Result) (Summary, error) {
	ds := make([]digest, len(results))
	for i, r := range results {
		ds[i] = digestOf(r)
	}
	return summarize(ds)
}

// digest is what the summary needs of one result: a few numbers rather
// than its series and firms, so that results can be summarised as they
// stream past.
type digest struct {
	arm           string
	replication   int
	metrics       []string
	head          []float64 // Headline
	final         []float64 // the series at the last step, by metric; nil without steps
	interventions []sim.InterventionOutcome
}

func digestOf(r *sim.Result) digest {
	d := digest{arm: r.Arm, replication: r.Replication, metrics: r.Metrics, head: Headline(r), interventions: r.Interventions}
	if T := r.Steps(); T > 0 {
		d.final = slices.Clone(r.Series[(T-1)*len(r.Metrics) : T*len(r.Metrics)])
	}
	return d
}

// summarize is Summarize on digests.
func summarize(ds []digest) (Summary, error) {
	s := Summary{Confidence: Confidence, Arms: []Arm{}}
	index := map[string]int{}
	var groups [][]*digest
	for k := range ds {
		d := &ds[k]
		i, ok := index[d.arm]
		if !ok {
			i = len(groups)
			index[d.arm] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], d)
	}
	for i, g := range groups {
		slices.SortStableFunc(g, func(a, b *digest) int { return cmp.Compare(a.replication, b.replication) })
		for k := 1; k < len(g); k++ {
			if g[k].replication == g[k-1].replication {
				return Summary{}, fmt.Errorf("results: arm %q holds replication %d twice", g[k].arm, g[k].replication)
			}
		}
		groups[i] = g
	}
	var baseline map[int][]float64 // headline of the baseline by replication
	if i, ok := index[config.BaselineArm]; ok {
		baseline = map[int][]float64{}
		for _, d := range groups[i] {
			baseline[d.replication] = d.head
		}
	}
	for _, g := range groups {
		a := Arm{Arm: g[0].arm, Replications: len(g), Headline: Stats{}, Interventions: interventions(g), Final: Stats{}}
		cols := make([][]float64, len(HeadlineMetrics))
		for _, d := range g {
			for k, v := range d.head {
				cols[k] = append(cols[k], v)
			}
		}
		for k, name := range HeadlineMetrics {
			a.Headline = append(a.Headline, Describe(name, cols[k]))
		}
		if baseline != nil && a.Arm != config.BaselineArm {
			eff, err := effects(baseline, g)
			if err != nil {
				return Summary{}, err
			}
			a.Effects = eff
		}
		for _, name := range g[0].metrics {
			var xs []float64
			for _, d := range g {
				if d.final == nil {
					continue
				}
				if m := slices.Index(d.metrics, name); m >= 0 {
					xs = append(xs, d.final[m])
				}
			}
			a.Final = append(a.Final, Describe(name, xs))
		}
		s.Arms = append(s.Arms, a)
	}
	return s, nil
}

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

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Intervention summarises one intervention of an arm over its replications.
type Intervention struct {
	Name   string
	Kind   string
	Budget float64 // as in the scenario; 0 for kinds without a budget
	// Used, FiscalCost and Firms are the Stats over replications of
	// sim.InterventionOutcome's Used, FiscalCost and Firms (firms reached).
	Used, FiscalCost, Firms Stat
	// ExhaustedShare is the share of replications in which the budget ran
	// out; ExhaustedStep is the mean over those of the step at which it
	// did (NaN, null in summary.json, when it never did).
	ExhaustedShare float64
	ExhaustedStep  float64
}

// interventions summarises the interventions of the results of one arm,
// in order of first appearance.
func interventions(g []*digest) []Intervention {
	out := []Intervention{}
	index := map[string]int{}
	var outcomes [][]sim.InterventionOutcome
	for _, d := range g {
		for _, o := range d.interventions {
			i, ok := index[o.Name]
			if !ok {
				i = len(out)
				index[o.Name] = i
				out = append(out, Intervention{Name: o.Name, Kind: o.Kind, Budget: o.Budget})
				outcomes = append(outcomes, nil)
			}
			outcomes[i] = append(outcomes[i], o)
		}
	}
	for i, obs := range outcomes {
		var used, cost, firms []float64
		var exhausted int
		var steps float64
		for _, o := range obs {
			used = append(used, o.Used)
			cost = append(cost, o.FiscalCost)
			firms = append(firms, float64(o.Firms))
			if o.ExhaustedStep >= 0 {
				exhausted++
				steps += float64(o.ExhaustedStep)
			}
		}
		iv := &out[i]
		iv.Used, iv.FiscalCost, iv.Firms = Describe("used", used), Describe("fiscal_cost", cost), Describe("firms", firms)
		iv.ExhaustedShare = float64(exhausted) / float64(len(obs))
		iv.ExhaustedStep = math.NaN()
		if exhausted > 0 {
			iv.ExhaustedStep = steps / float64(exhausted)
		}
	}
	return out
}

// jsonNumber is a float64 written as in the result files (10 significant
// digits), NaN and infinities as null; null reads back as NaN.
type jsonNumber float64

func (v jsonNumber) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	err := jsonFloat(&buf, float64(v))
	return buf.Bytes(), err
}

func (v *jsonNumber) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = jsonNumber(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*v = jsonNumber(f)
	return nil
}

// interventionJSON is the layout of an Intervention in summary.json.
type interventionJSON struct {
	Name           string     `json:"name"`
	Kind           string     `json:"kind"`
	Budget         jsonNumber `json:"budget"`
	Used           Stat       `json:"used"`
	FiscalCost     Stat       `json:"fiscal_cost"`
	Firms          Stat       `json:"firms"`
	ExhaustedShare jsonNumber `json:"exhausted_share"`
	ExhaustedStep  jsonNumber `json:"mean_exhausted_step"`
}

// MarshalJSON writes the intervention as {"name", "kind", "budget", "used",
// "fiscal_cost", "firms", "exhausted_share", "mean_exhausted_step"}.
func (iv Intervention) MarshalJSON() ([]byte, error) {
	return json.Marshal(interventionJSON{iv.Name, iv.Kind, jsonNumber(iv.Budget), iv.Used, iv.FiscalCost, iv.Firms,
		jsonNumber(iv.ExhaustedShare), jsonNumber(iv.ExhaustedStep)})
}

// UnmarshalJSON reads an intervention written by MarshalJSON.
func (iv *Intervention) UnmarshalJSON(b []byte) error {
	nan := jsonNumber(math.NaN())
	v := interventionJSON{Budget: nan, ExhaustedShare: nan, ExhaustedStep: nan}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	v.Used.Metric, v.FiscalCost.Metric, v.Firms.Metric = "used", "fiscal_cost", "firms"
	*iv = Intervention{v.Name, v.Kind, float64(v.Budget), v.Used, v.FiscalCost, v.Firms,
		float64(v.ExhaustedShare), float64(v.ExhaustedStep)}
	return nil
}

// jsonFloat writes v as FormatFloat does (10 significant digits, a valid
// JSON number), or null when it is not finite.
func jsonFloat(buf *bytes.Buffer, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		buf.WriteString("null")
		return nil
	}
	buf.WriteString(FormatFloat(v))
	return nil
}

// MarshalJSON writes the Stat without its metric name, fields in the
// fixed order mean, lo, hi, sd, n; numbers have 10 significant digits, as
// in the CSV files, and NaN and infinities are null.
func (s Stat) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	for i, f := range []struct {
		k string
		v float64
	}{{"mean", s.Mean}, {"lo", s.Lo}, {"hi", s.Hi}, {"sd", s.SD}} {
		if i == 0 {
			buf.WriteString(`{"`)
		} else {
			buf.WriteString(`,"`)
		}
		buf.WriteString(f.k)
		buf.WriteString(`":`)
		if err := jsonFloat(&buf, f.v); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(&buf, `,"n":%d}`, s.N)
	return buf.Bytes(), nil
}

// UnmarshalJSON reads a Stat written by MarshalJSON; null is NaN.
func (s *Stat) UnmarshalJSON(b []byte) error {
	var v struct {
		Mean, Lo, Hi, SD *float64
		N                int
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	get := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	s.Mean, s.Lo, s.Hi, s.SD, s.N = get(v.Mean), get(v.Lo), get(v.Hi), get(v.SD), v.N
	return nil
}

// MarshalJSON writes the list as an object keyed by metric name, in order.
func (s Stats) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, st := range s {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := json.Marshal(st.Metric)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		v, err := st.MarshalJSON()
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads an object keyed by metric name, keeping its order.
func (s *Stats) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("results: stats: want a JSON object, got %v", tok)
	}
	out := Stats{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return fmt.Errorf("results: stats: want a metric name, got %v", tok)
		}
		var st Stat
		if err := dec.Decode(&st); err != nil {
			return fmt.Errorf("results: stats: %s: %w", name, err)
		}
		st.Metric = name
		out = append(out, st)
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*s = out
	return nil
}
