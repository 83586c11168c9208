package results

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
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
func Headline(r *outcome.Result) []float64 {
	out := make([]float64, len(HeadlineMetrics))
	for i := range out {
		out[i] = math.NaN()
	}
	if n := networkSize(r); len(r.Firms.Status) == n && n > 0 {
		var sme, core, jobs float64
		for i, s := range r.Firms.Status {
			if s != outcome.Failed {
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
func networkSize(r *outcome.Result) int {
	if r.Network == nil {
		return 0
	}
	return r.Network.N()
}

// jobsLostFromSeries is "employment" (the baseline jobs of the firms not
// failed) at the first step less at the last, or NaN when it is not
// recorded or when firms failed at the first step (their jobs are then in
// neither value).
func jobsLostFromSeries(r *outcome.Result) float64 {
	emp, fail := slices.Index(r.Metrics, "employment"), slices.Index(r.Metrics, "failures")
	T := r.Steps()
	if emp < 0 || fail < 0 || T == 0 || r.Value(0, fail) != 0 {
		return math.NaN()
	}
	return r.Value(0, emp) - r.Value(T-1, emp)
}

// seriesSum is the sum over steps of the time-series metric name, or NaN
// when r does not record it.
func seriesSum(r *outcome.Result, name string) float64 {
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
func outputLost(r *outcome.Result) float64 {
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
func Summarize(results []*outcome.Result) (Summary, error) {
	ds := make([]digest, len(results))
	pair := newPairing()
	for _, r := range results {
		pair.add(r)
	}
	for i, r := range results {
		ds[i] = digestOf(r)
		ds[i].additionality = pair.classify(r)
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
	interventions []outcome.InterventionOutcome
	// additionality is the paired classification of each intervention's
	// firms (nil where it could not be made: see pairing.classify).
	additionality []*Paired
}

func digestOf(r *outcome.Result) digest {
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

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Intervention summarises one intervention of an arm over its replications.
type Intervention struct {
	Name   string
	Kind   string
	Budget float64 // as in the scenario; 0 for kinds without a budget
	// Used, FiscalCost and Firms are the Stats over replications of
	// outcome.InterventionOutcome's Used, FiscalCost and Firms (firms reached).
	Used, FiscalCost, Firms Stat
	// ExhaustedShare is the share of replications in which the budget ran
	// out; ExhaustedStep is the mean over those of the step at which it
	// did (NaN, null in summary.json, when it never did).
	ExhaustedShare float64
	ExhaustedStep  float64
	// Additionality is the paired classification of the firms it reached
	// against the baseline (see Additionality); nil when no replication
	// could be paired: without a baseline, without per-firm outcomes
	// (output.record = "aggregate"), or for a payment-term cap.
	Additionality *Additionality
}

// interventions summarises the interventions of the results of one arm,
// in order of first appearance.
func interventions(g []*digest) []Intervention {
	out := []Intervention{}
	index := map[string]int{}
	var outcomes [][]outcome.InterventionOutcome
	var adds [][]*Paired
	for _, d := range g {
		for k, o := range d.interventions {
			i, ok := index[o.Name]
			if !ok {
				i = len(out)
				index[o.Name] = i
				out = append(out, Intervention{Name: o.Name, Kind: o.Kind, Budget: o.Budget})
				outcomes = append(outcomes, nil)
				adds = append(adds, nil)
			}
			outcomes[i] = append(outcomes[i], o)
			if k < len(d.additionality) {
				adds[i] = append(adds[i], d.additionality[k])
			}
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
		iv.Additionality = summarizeAdditionality(adds[i])
	}
	return out
}
