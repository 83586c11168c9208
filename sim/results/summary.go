package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/smesim/smesim/sim"
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
)

// HeadlineMetrics lists the headline metrics in order.
var HeadlineMetrics = []string{SMEFailures, CoreFailures, Failures, JobsLost, OutputLost, LargestCascade, MeanCascadeDepth}

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
// that is not defined for the result is NaN: the firm-level metrics when
// firms were not recorded (output.record = "aggregate"), output_lost when
// there is no "output" metric or no pre-shock step, and mean_cascade_depth
// when there was no failure.
func Headline(r *sim.Result) []float64 {
	out := make([]float64, len(HeadlineMetrics))
	for i := range out {
		out[i] = math.NaN()
	}
	if n := r.Network.N(); len(r.Firms.Status) == n && n > 0 {
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
	}
	out[4] = outputLost(r)
	return out
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
// appearance), the number of replications, the Stat of every headline metric
// and of the final value of every time-series metric. The results must be
// consistent (as WriteDir checks).
func Summarize(results []*sim.Result) Summary {
	s := Summary{Confidence: Confidence, Arms: []Arm{}}
	index := map[string]int{}
	var groups [][]*sim.Result
	for _, r := range results {
		i, ok := index[r.Arm]
		if !ok {
			i = len(groups)
			index[r.Arm] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], r)
	}
	for _, g := range groups {
		a := Arm{Arm: g[0].Arm, Replications: len(g), Headline: Stats{}, Final: Stats{}}
		cols := make([][]float64, len(HeadlineMetrics))
		for _, r := range g {
			for k, v := range Headline(r) {
				cols[k] = append(cols[k], v)
			}
		}
		for k, name := range HeadlineMetrics {
			a.Headline = append(a.Headline, Describe(name, cols[k]))
		}
		for _, name := range g[0].Metrics {
			var xs []float64
			for _, r := range g {
				T := r.Steps()
				if T == 0 {
					continue
				}
				for m, n := range r.Metrics {
					if n == name {
						xs = append(xs, r.Value(T-1, m))
						break
					}
				}
			}
			a.Final = append(a.Final, Describe(name, xs))
		}
		s.Arms = append(s.Arms, a)
	}
	return s
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
