package plots

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/smesim/smesim/sim/config"
)

// Names of the run figures, in the order RunFigures returns them.
const (
	FigActiveFirms         = "active-firms"
	FigFailuresByChannel   = "failures-by-channel"
	FigRelativeLevels      = "relative-levels"
	FigCascadeCCDF         = "cascade-ccdf"
	FigRevenueChange       = "revenue-change"
	FigInterventionEffects = "intervention-effects"
	FigNetwork             = "network"
)

// RunFigures returns the figures of a result directory, in this order
// (a figure without the data it needs is left out, not an error):
//
//   - active-firms: active SMEs and core firms over time, per arm;
//   - failures-by-channel: failures per step stacked by channel (with
//     output.record = "aggregate", the "failures" series, not split by
//     channel);
//   - relative-levels: output, employment and bank credit relative to
//     their pre-shock level, per arm;
//   - cascade-ccdf: complementary CDF of cascade sizes, per arm (needs
//     firm-level results);
//   - revenue-change: firms by revenue change in the bins of the 2020 SME
//     surveys, per arm (needs firm-level results);
//   - intervention-effects: firms saved and cost per firm saved, per arm
//     (only with arms other than the baseline);
//   - network: the network in tiers and chains, failed firms coloured by
//     failure step (only up to MaxNetworkFirms firms, with firm-level
//     results).
//
// Time axes are in weeks from the scenario's start date, with shock
// windows (from each adverse shock's start to the end of its recovery; a
// rise in demand is no shock) shaded. Vertical axes start at 0; counts
// have whole ticks. Bands are 95% intervals of the mean over replications
// (mean ± t·sd/√n), those of counts clamped to [0, the largest count
// recorded]; with one replication only the mean is drawn.
//
// The data of every figure is computed here; Draw only renders it, so a
// figure may be drawn several times (once per format) at little cost.
func RunFigures(r *Run) ([]Figure, error) {
	if r == nil || r.Config == nil {
		return nil, fmt.Errorf("plots: no run or no scenario")
	}
	if len(r.Timeseries) == 0 {
		return nil, fmt.Errorf("plots: %s: timeseries.csv holds no rows", r.Dir)
	}
	d := newRunData(r)
	var figs []Figure
	for _, build := range []func(*runData) (*Figure, error){
		activeFirmsFigure, failuresByChannelFigure, relativeLevelsFigure, cascadeFigure,
		revenueChangeFigure, interventionEffectsFigure, networkFigure,
	} {
		f, err := build(d)
		if err != nil {
			return nil, err
		}
		if f != nil {
			figs = append(figs, *f)
		}
	}
	return figs, nil
}

// runData is a Run indexed for the figures.
type runData struct {
	r        *Run
	stepDays float64
	steps    int                       // number of steps recorded (largest step + 1)
	reps     map[string][]int          // replication ids of each arm, in order of appearance
	series   map[[2]string][][]float64 // (arm, metric) → [replication slot][step]; NaN where missing
	shocks   [][2]float64              // shock windows in steps: start, end of recovery
	shock0   int                       // first step of the earliest shock (steps if none)
}

// seriesMetrics are the time-series metrics the run figures use.
var seriesMetrics = []string{"smes_active", "cores_active", "output", "employment", "credit_outstanding", "failures"}

// Aggregate reports whether the run recorded its time series only
// (output.record = "aggregate"): firms.csv and events.csv then hold no
// rows, and the figures that need them are left out (see RunFigures).
func (r *Run) Aggregate() bool {
	return r.Config != nil && r.Config.Output.Record == "aggregate" && len(r.Firms) == 0 && len(r.Events) == 0
}

func newRunData(r *Run) *runData {
	d := &runData{r: r, stepDays: stepDays(r)}
	d.series, d.reps, d.steps = indexSeries(r, seriesMetrics)
	d.shocks, d.shock0 = shockWindows(r, d.stepDays, d.steps)
	return d
}

// stepDays returns the step length of r in days, 7 when the scenario
// gives none.
func stepDays(r *Run) float64 {
	if days := r.Config.Step.Days(); days > 0 {
		return days
	}
	return 7
}

// indexSeries returns the time series of r for metrics, (arm, metric) →
// [replication slot][step], NaN where missing; the replication ids of each
// arm in order of appearance (their slots); and the number of steps
// (largest step + 1).
func indexSeries(r *Run, metrics []string) (series map[[2]string][][]float64, reps map[string][]int, steps int) {
	reps = map[string][]int{}
	slot := map[string]map[int]int{}
	for _, row := range r.Timeseries {
		steps = max(steps, row.Step+1)
		s, ok := slot[row.Arm]
		if !ok {
			s = map[int]int{}
			slot[row.Arm] = s
		}
		if _, ok := s[row.Replication]; !ok {
			s[row.Replication] = len(reps[row.Arm])
			reps[row.Arm] = append(reps[row.Arm], row.Replication)
		}
	}
	series = map[[2]string][][]float64{}
	for _, row := range r.Timeseries {
		if !slices.Contains(metrics, row.Metric) || row.Step < 0 {
			continue
		}
		k := [2]string{row.Arm, row.Metric}
		v, ok := series[k]
		if !ok {
			v = make([][]float64, len(reps[row.Arm]))
			for i := range v {
				v[i] = make([]float64, steps)
				for t := range v[i] {
					v[i][t] = math.NaN()
				}
			}
			series[k] = v
		}
		v[slot[row.Arm][row.Replication]][row.Step] = row.Value
	}
	return series, reps, steps
}

// shockWindows returns the shock windows of r in steps of days days
// (from the start of each shock to the end of its recovery) and the first
// step of the earliest shock (steps when there is none). Only adverse
// shocks count: a rise in demand (china-2020's 91-week export rebound) is
// no shock to shade nor to measure "before the shock" from.
func shockWindows(r *Run, days float64, steps int) (windows [][2]float64, first int) {
	first = steps
	for _, sc := range r.Config.Shocks {
		if !adverse(sc) {
			continue
		}
		start := math.Round(sc.Start.Steps(days))
		end := start + math.Max(1, math.Round(sc.Duration.Steps(days))) + sc.Recovery.Steps(days)
		windows = append(windows, [2]float64{start, end})
		first = min(first, int(start))
	}
	return windows, first
}

// adverse reports whether shock sc makes something worse for firms: a
// positive depth (demand, credit capacity, imports or production lost),
// dearer or scarcer credit, or later payment. A negative depth is a rise.
func adverse(sc config.ShockConfig) bool {
	return sc.Depth > 0 || sc.SpreadIncrease > 0 || sc.ScoreTightening > 0 || sc.TermStretch.Steps(1) > 0
}

// week converts a step (or a fractional number of steps) to weeks from
// the start date.
func (d *runData) week(step float64) float64 { return step * d.stepDays / 7 }

func (d *runData) timeLabel() string {
	if d.r.Config.StartDate != "" {
		return "weeks from " + d.r.Config.StartDate
	}
	return "weeks"
}

// stepUnit names one step for axis labels: "week", "day" or "step (2w)".
func (d *runData) stepUnit() string {
	switch d.stepDays {
	case 7:
		return "week"
	case 1:
		return "day"
	}
	return "step (" + d.r.Config.Step.String() + ")"
}

// nReps returns a description of the replications per arm for captions.
func (d *runData) nReps() string {
	n := -1
	for _, a := range d.r.Arms {
		k := len(d.reps[a])
		if n >= 0 && k != n {
			return "the replications"
		}
		n = k
	}
	if n == 1 {
		return "1 replication"
	}
	return strconv.Itoa(n) + " replications"
}

// shockSpans returns the shading of the shock windows on a time plot, or
// nil without shocks.
func (d *runData) shockSpans() plot.Plotter {
	if len(d.shocks) == 0 {
		return nil
	}
	s := spans{color: shockColor}
	for _, w := range d.shocks {
		s.xs = append(s.xs, [2]float64{d.week(w[0]), d.week(w[1])})
	}
	return s
}

// shockLegend returns the legend entry of the shock shading, if any.
func (d *runData) shockLegend() []legendEntry {
	if len(d.shocks) == 0 {
		return nil
	}
	return []legendEntry{{"shock (start to end of recovery)", box{shockColor}}}
}

// weeks returns the x values (weeks) of steps 0..T-1.
func (d *runData) weeks() []float64 {
	x := make([]float64, d.steps)
	for t := range x {
		x[t] = d.week(float64(t))
	}
	return x
}

// panelSpec is one panel of armBandPanels: a metric over time.
type panelSpec struct {
	metric, title, ylabel string
	ref                   float64 // horizontal reference line, if not NaN
	// count marks a panel of counts (firms): whole ticks (countTicks),
	// and its bands clamped to [0, the largest value recorded], the
	// range a mean of such counts can take. flatNote, if not empty, drops
	// the panel when every arm's series is one constant, naming it in the
	// figure's notes as flatNote with the constant (e.g. "all %s core
	// firms stay active").
	count    bool
	flatNote string
}

// armBandPanels returns one panel per metric of specs that some arm
// records, each arm's mean with its band, and their legend, and the notes
// of the flat panels dropped (see panelSpec.flatNote); transform, if not
// nil, maps each replication's series before the mean is taken. Every
// vertical axis starts at 0 (or below, for negative values): a fall from
// 2080 to 1950 firms reads as the 6% it is.
func (d *runData) armBandPanels(specs []panelSpec, transform func([]float64) []float64) ([]*plot.Plot, []legendEntry, []string, error) {
	x := d.weeks()
	var panels []*plot.Plot
	var notes []string
	legendThumb := map[string]plot.Thumbnailer{}
	for _, sp := range specs {
		var found bool
		for _, arm := range d.r.Arms {
			if _, ok := d.series[[2]string{arm, sp.metric}]; ok {
				found = true
			}
		}
		if !found {
			continue
		}
		if sp.flatNote != "" {
			if v, ok := d.constant(sp.metric); ok {
				notes = append(notes, fmt.Sprintf(sp.flatNote, readable(v)))
				continue
			}
		}
		p := runKit.plot(sp.title, d.timeLabel(), sp.ylabel)
		if sp.count {
			p.Y.Tick.Marker = countTicks{}
		}
		if s := d.shockSpans(); s != nil {
			p.Add(s)
		}
		p.Add(lightGrid())
		if !math.IsNaN(sp.ref) {
			if _, err := addLine(p, plotter.XYs{{X: x[0], Y: sp.ref}, {X: x[len(x)-1], Y: sp.ref}}, refStyle); err != nil {
				return nil, nil, nil, err
			}
		}
		for i, arm := range d.r.Arms {
			reps, ok := d.series[[2]string{arm, sp.metric}]
			if !ok {
				continue
			}
			if transform != nil {
				tr := make([][]float64, len(reps))
				for k, s := range reps {
					tr[k] = transform(s)
				}
				reps = tr
			}
			m := meanBand(reps)
			if sp.count {
				m.clamp(0, d.largest(sp.metric))
			}
			th, err := addArmSeries(p, i, x, m)
			if err != nil {
				return nil, nil, nil, err
			}
			if legendThumb[arm] == nil {
				legendThumb[arm] = th
			}
		}
		p.X.Min, p.X.Max = x[0], x[len(x)-1]
		if p.X.Max <= p.X.Min {
			p.X.Max = p.X.Min + 1
		}
		p.Y.Min = math.Min(0, p.Y.Min)
		panels = append(panels, p)
	}
	var legend []legendEntry
	for _, arm := range d.r.Arms {
		th := legendThumb[arm]
		if th == nil {
			th = thumbs{}
		}
		legend = append(legend, legendEntry{arm, th})
	}
	legend = append(legend, d.shockLegend()...)
	return panels, legend, notes, nil
}

// largest returns the largest value of metric recorded by any arm and
// replication (0 if none).
func (d *runData) largest(metric string) float64 {
	top := 0.0
	for _, arm := range d.r.Arms {
		for _, rep := range d.series[[2]string{arm, metric}] {
			for _, v := range rep {
				if v > top {
					top = v
				}
			}
		}
	}
	return top
}

// constant reports whether metric holds one value v throughout, in every
// arm and replication recorded, and returns it.
func (d *runData) constant(metric string) (v float64, ok bool) {
	first := true
	for _, arm := range d.r.Arms {
		for _, rep := range d.series[[2]string{arm, metric}] {
			for _, x := range rep {
				if math.IsNaN(x) {
					continue
				}
				if first {
					v, first = x, false
				} else if x != v {
					return 0, false
				}
			}
		}
	}
	return v, !first
}

func (d *runData) bandCaption() string {
	if d.nReps() == "1 replication" {
		return "one replication: no intervals"
	}
	return "lines: mean over " + d.nReps() + ", bands: 95% interval of the mean (mean ± t·sd/√n)"
}

// meanSeries returns the mean over replications of metric of arm at each
// step (NaN values left out; 0 where none is defined).
func (d *runData) meanSeries(arm, metric string) []float64 {
	out := make([]float64, d.steps)
	for t := range out {
		var sum float64
		n := 0
		for _, rep := range d.series[[2]string{arm, metric}] {
			if v := rep[t]; !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n > 0 {
			out[t] = sum / float64(n)
		}
	}
	return out
}
