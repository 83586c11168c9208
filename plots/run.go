package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/results"
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

// MaxNetworkFirms is the largest network the network figure draws; above
// it RunFigures leaves the figure out.
const MaxNetworkFirms = 5000

// maxEdges is the most edges the network figure draws: above it, one edge
// in k is drawn (PNG rendering time grows with the number of strokes).
const maxEdges = 4000

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
// windows (from each shock's start to the end of its recovery) shaded.
// Bands are 95% intervals of the mean over replications (mean ±
// t·sd/√n); with one replication only the mean is drawn.
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

// unsplit is the one "channel" of failures when channels are not recorded.
const unsplit = "failures (channels not recorded)"

func newRunData(r *Run) *runData {
	d := &runData{r: r, stepDays: r.Config.Step.Days(), reps: map[string][]int{}, series: map[[2]string][][]float64{}}
	if !(d.stepDays > 0) {
		d.stepDays = 7
	}
	slot := map[string]map[int]int{}
	for _, row := range r.Timeseries {
		d.steps = max(d.steps, row.Step+1)
		s, ok := slot[row.Arm]
		if !ok {
			s = map[int]int{}
			slot[row.Arm] = s
		}
		if _, ok := s[row.Replication]; !ok {
			s[row.Replication] = len(d.reps[row.Arm])
			d.reps[row.Arm] = append(d.reps[row.Arm], row.Replication)
		}
	}
	wanted := map[string]bool{}
	for _, m := range seriesMetrics {
		wanted[m] = true
	}
	for _, row := range r.Timeseries {
		if !wanted[row.Metric] {
			continue
		}
		k := [2]string{row.Arm, row.Metric}
		v, ok := d.series[k]
		if !ok {
			v = make([][]float64, len(d.reps[row.Arm]))
			for i := range v {
				v[i] = make([]float64, d.steps)
				for t := range v[i] {
					v[i][t] = math.NaN()
				}
			}
			d.series[k] = v
		}
		v[slot[row.Arm][row.Replication]][row.Step] = row.Value
	}
	d.shock0 = d.steps
	for _, sc := range r.Config.Shocks {
		start := math.Round(sc.Start.Steps(d.stepDays))
		end := start + math.Max(1, math.Round(sc.Duration.Steps(d.stepDays))) + sc.Recovery.Steps(d.stepDays)
		d.shocks = append(d.shocks, [2]float64{start, end})
		d.shock0 = min(d.shock0, int(start))
	}
	return d
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

// band is a mean over replications with its interval, per step.
type band struct {
	mean, lo, hi []float64
}

// meanBand returns, per step t, the mean over replications of reps[k][t]
// and its Student-t interval at level results.Confidence, mean ±
// t·sd/√n, over the n values that are not NaN: lo = hi = mean when n = 1,
// all NaN when n = 0. It agrees with results.Describe.
func meanBand(reps [][]float64) band {
	T := 0
	for _, r := range reps {
		T = max(T, len(r))
	}
	b := band{make([]float64, T), make([]float64, T), make([]float64, T)}
	tq := map[int]float64{}
	for t := 0; t < T; t++ {
		var sum float64
		n := 0
		for _, r := range reps {
			if t < len(r) && !math.IsNaN(r[t]) {
				sum += r[t]
				n++
			}
		}
		if n == 0 {
			b.mean[t], b.lo[t], b.hi[t] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		m := sum / float64(n)
		b.mean[t], b.lo[t], b.hi[t] = m, m, m
		if n < 2 || math.IsInf(m, 0) {
			continue
		}
		var ss float64
		for _, r := range reps {
			if t < len(r) && !math.IsNaN(r[t]) {
				ss += (r[t] - m) * (r[t] - m)
			}
		}
		q, ok := tq[n]
		if !ok {
			q = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.5 + results.Confidence/2)
			tq[n] = q
		}
		half := q * math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
		b.lo[t], b.hi[t] = m-half, m+half
	}
	return b
}

// maxPoints is the most points a line is drawn with: longer series are
// decimated to the minimum and maximum of each of maxPoints/2 buckets
// (about one point per pixel column at the default size).
const maxPoints = 1200

// bucketsOf returns the bucket boundaries decimating n points, or nil when
// n ≤ maxPoints.
func bucketsOf(n int) []int {
	if n <= maxPoints {
		return nil
	}
	k := maxPoints / 2
	b := make([]int, k+1)
	for i := range b {
		b[i] = i * n / k
	}
	return b
}

// lineXYs returns the finite points (x[t], y[t]), decimated to the minimum
// and maximum of each bucket (in x order) when there are more than
// maxPoints.
func lineXYs(x, y []float64) plotter.XYs {
	var out plotter.XYs
	bk := bucketsOf(len(y))
	if bk == nil {
		for t := range y {
			if isFinite(y[t]) {
				out = append(out, plotter.XY{X: x[t], Y: y[t]})
			}
		}
		return out
	}
	for i := 0; i+1 < len(bk); i++ {
		lo, hi := -1, -1
		for t := bk[i]; t < bk[i+1]; t++ {
			if !isFinite(y[t]) {
				continue
			}
			if lo < 0 || y[t] < y[lo] {
				lo = t
			}
			if hi < 0 || y[t] > y[hi] {
				hi = t
			}
		}
		if lo < 0 {
			continue
		}
		a, b := min(lo, hi), max(lo, hi)
		out = append(out, plotter.XY{X: x[a], Y: y[a]})
		if b != a {
			out = append(out, plotter.XY{X: x[b], Y: y[b]})
		}
	}
	return out
}

// bandPolygon returns the polygon of the band lo..hi (upper edge left to
// right, then the lower edge back), decimated to the envelope of each
// bucket, or nil when the band is empty or has no width.
func bandPolygon(x, lo, hi []float64) plotter.XYs {
	var up, down plotter.XYs
	wide := false
	add := func(xv, l, h float64) {
		up = append(up, plotter.XY{X: xv, Y: h})
		down = append(down, plotter.XY{X: xv, Y: l})
		if h > l {
			wide = true
		}
	}
	if bk := bucketsOf(len(lo)); bk == nil {
		for t := range lo {
			if isFinite(lo[t]) && isFinite(hi[t]) {
				add(x[t], lo[t], hi[t])
			}
		}
	} else {
		for i := 0; i+1 < len(bk); i++ {
			l, h, ok := math.Inf(1), math.Inf(-1), false
			for t := bk[i]; t < bk[i+1]; t++ {
				if isFinite(lo[t]) && isFinite(hi[t]) {
					l, h, ok = math.Min(l, lo[t]), math.Max(h, hi[t]), true
				}
			}
			if ok {
				add((x[bk[i]]+x[bk[i+1]-1])/2, l, h)
			}
		}
	}
	if !wide || len(up) < 2 {
		return nil
	}
	slices.Reverse(down)
	return append(up, down...)
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// addArmSeries adds arm i's mean line and band to p and returns its legend
// thumbnail.
func addArmSeries(p *plot.Plot, i int, x []float64, b band) (plot.Thumbnailer, error) {
	col := ArmColor(i)
	var th thumbs
	if poly := bandPolygon(x, b.lo, b.hi); poly != nil {
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, err
		}
		alpha := 0.18
		if i == 0 {
			alpha = 0.16 // black
		}
		pg.Color = translucent(col, alpha)
		pg.LineStyle.Width = 0
		p.Add(pg)
		th = append(th, box{pg.Color})
	}
	xys := lineXYs(x, b.mean)
	if len(xys) == 0 {
		return thumbs{}, nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.Color = col
	l.Width = vg.Points(1.5)
	p.Add(l)
	if len(xys) == 1 {
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
	th = append(th, l)
	return th, nil
}

// weeks returns the x values (weeks) of steps 0..T-1.
func (d *runData) weeks() []float64 {
	x := make([]float64, d.steps)
	for t := range x {
		x[t] = d.week(float64(t))
	}
	return x
}

// lightGrid returns a faint grid.
func lightGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{0xe8}
	g.Horizontal.Color = color.Gray{0xe8}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	return g
}

// armBandsFigure draws one panel per metric, each arm's mean with its
// band; transform, if not nil, maps each replication's series before the
// mean is taken.
type panelSpec struct {
	metric, title, ylabel string
	ref                   float64 // horizontal reference line, if not NaN
}

func (d *runData) armBandPanels(specs []panelSpec, transform func([]float64) []float64) ([]*plot.Plot, []legendEntry, error) {
	x := d.weeks()
	var panels []*plot.Plot
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
		p := newPlot(sp.title, d.timeLabel(), sp.ylabel)
		if s := d.shockSpans(); s != nil {
			p.Add(s)
		}
		p.Add(lightGrid())
		if !math.IsNaN(sp.ref) {
			l, err := plotter.NewLine(plotter.XYs{{X: x[0], Y: sp.ref}, {X: x[len(x)-1], Y: sp.ref}})
			if err != nil {
				return nil, nil, err
			}
			l.Color = color.Gray{0x66}
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			l.Width = vg.Points(0.8)
			p.Add(l)
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
			th, err := addArmSeries(p, i, x, meanBand(reps))
			if err != nil {
				return nil, nil, err
			}
			if legendThumb[arm] == nil {
				legendThumb[arm] = th
			}
		}
		p.X.Min, p.X.Max = x[0], x[len(x)-1]
		if p.X.Max <= p.X.Min {
			p.X.Max = p.X.Min + 1
		}
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
	return panels, legend, nil
}

func (d *runData) bandCaption() string {
	if d.nReps() == "1 replication" {
		return "one replication: no intervals"
	}
	return "lines: mean over " + d.nReps() + ", bands: 95% interval of the mean (mean ± t·sd/√n)"
}

func activeFirmsFigure(d *runData) (*Figure, error) {
	specs := []panelSpec{
		{"smes_active", "SMEs", "active SMEs (firms)", math.NaN()},
		{"cores_active", "core enterprises", "active core firms (firms)", math.NaN()},
	}
	panels, legend, err := d.armBandPanels(specs, nil)
	if err != nil || len(panels) == 0 {
		return nil, err
	}
	title := "Active firms per arm"
	return &Figure{
		Name:    FigActiveFirms,
		Title:   title,
		Caption: "SMEs (top) and core firms (bottom) not failed, per arm; " + d.bandCaption() + "; grey: shock windows. Look at how far each arm falls and whether it stops falling after the shock.",
		Width:   8 * vg.Inch, Height: vg.Length(1.1+2.6*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			drawPanels(header(c, title, legend), panels)
		},
	}, nil
}

// relativeToPreShock returns s divided by its mean over steps 0..base-1
// (NaN values left out), or by s[0] when base is not in 1..len(s); the
// result is NaN throughout when that level is not positive.
func relativeToPreShock(s []float64, base int) []float64 {
	var b float64
	if base <= 0 || base > len(s) {
		b = s[0]
	} else {
		n := 0
		for _, v := range s[:base] {
			if !math.IsNaN(v) {
				b += v
				n++
			}
		}
		b /= float64(n)
	}
	out := make([]float64, len(s))
	for t, v := range s {
		out[t] = math.NaN()
		if b > 0 {
			out[t] = v / b
		}
	}
	return out
}

func relativeLevelsFigure(d *runData) (*Figure, error) {
	base := d.shock0
	ref := "pre-shock level"
	if base <= 0 || base > d.steps {
		ref = "level at step 0"
	}
	specs := []panelSpec{
		{"output", "gross output", "output / " + ref, 1},
		{"employment", "employment", "jobs / " + ref, 1},
		{"credit_outstanding", "bank credit outstanding", "loans / " + ref, 1},
	}
	transform := func(s []float64) []float64 { return relativeToPreShock(s, base) }
	panels, legend, err := d.armBandPanels(specs, transform)
	if err != nil || len(panels) == 0 {
		return nil, err
	}
	title := "Output, employment and bank credit relative to before the shock"
	what := "the mean over the steps before the first shock"
	if ref != "pre-shock level" {
		what = "its value at step 0 (the scenario has no shock after step 0)"
	}
	return &Figure{
		Name:  FigRelativeLevels,
		Title: title,
		Caption: "Each series divided, replication by replication, by " + what + " (1 = pre-shock); " +
			d.bandCaption() + "; grey: shock windows. Look at the depth of the fall and how fast each arm returns to 1.",
		Width: 8 * vg.Inch, Height: vg.Length(1.1+2.4*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			drawPanels(header(c, title, legend), panels)
		},
	}, nil
}

// channelShares returns the failures per step attributed to each channel,
// summed over the events given (of one arm) and divided by reps: a failure
// reached through k channels counts 1/k for each, so the channels of a
// step add up to its failures. Failures without a channel count for
// "unattributed". channels lists the channels in drawing order: the six
// contagion and shock channels always, lockdown, imports and others only
// when present.
func channelShares(events []results.EventRow, steps, reps int) (channels []string, perStep map[string][]float64) {
	perStep = map[string][]float64{}
	present := map[string]bool{}
	var extra []string
	for _, e := range events {
		chs := e.Channels
		if len(chs) == 0 {
			chs = []string{"unattributed"}
		}
		for _, ch := range chs {
			if !present[ch] {
				present[ch] = true
				if !slices.Contains(sim.ChannelNames(), ch) {
					extra = append(extra, ch)
				}
			}
			s, ok := perStep[ch]
			if !ok {
				s = make([]float64, steps)
				perStep[ch] = s
			}
			if e.Step >= 0 && e.Step < steps {
				s[e.Step] += 1 / float64(len(chs)) / float64(max(reps, 1))
			}
		}
	}
	for i, ch := range sim.ChannelNames() {
		if i < 6 || present[ch] {
			channels = append(channels, ch)
		}
	}
	channels = append(channels, extra...)
	for _, ch := range channels {
		if perStep[ch] == nil {
			perStep[ch] = make([]float64, steps)
		}
	}
	return channels, perStep
}

// maxBars is the most bars a panel of failures by channel holds: longer
// runs are shown in bins of several steps.
const maxBars = 150

func failuresByChannelFigure(d *runData) (*Figure, error) {
	if len(d.r.Arms) == 0 || d.steps == 0 {
		return nil, nil
	}
	arms := d.r.Arms
	const maxPanels = 4
	if len(arms) > maxPanels {
		arms = arms[:1]
	}
	byArm := map[string][]results.EventRow{}
	for _, e := range d.r.Events {
		byArm[e.Arm] = append(byArm[e.Arm], e)
	}
	// Collect the channels over the arms shown, so panels share a legend.
	var channels []string
	data := map[string]map[string][]float64{}
	for _, arm := range arms {
		chs, per := channelShares(byArm[arm], d.steps, len(d.reps[arm]))
		if d.r.Aggregate() {
			// No events: failures per step from the series, unsplit.
			chs, per = []string{unsplit}, map[string][]float64{unsplit: d.meanSeries(arm, "failures")}
		}
		data[arm] = per
		for _, ch := range chs {
			if !slices.Contains(channels, ch) {
				channels = append(channels, ch)
			}
		}
	}
	bin := (d.steps + maxBars - 1) / maxBars
	ylabel := "failures per " + d.stepUnit()
	binNote := ""
	if bin > 1 {
		binNote = fmt.Sprintf(" (means over bins of %d steps)", bin)
	}
	var panels []*plot.Plot
	ymax := 0.0
	for _, arm := range arms {
		p := newPlot(arm+binNote, d.timeLabel(), ylabel)
		if s := d.shockSpans(); s != nil {
			p.Add(s)
		}
		p.Add(lightGrid())
		var rs rects
		for t0 := 0; t0 < d.steps; t0 += bin {
			t1 := min(t0+bin, d.steps)
			y := 0.0
			for _, ch := range channels {
				s := data[arm][ch]
				if s == nil {
					continue
				}
				var v float64
				for t := t0; t < t1; t++ {
					v += s[t]
				}
				v /= float64(t1 - t0)
				if v > 0 {
					rs = append(rs, rect{d.week(float64(t0)), d.week(float64(t1)), y, y + v, channelColor(ch)})
					y += v
				}
			}
			ymax = max(ymax, y)
		}
		p.Add(rs)
		p.X.Min, p.X.Max = 0, d.week(float64(d.steps))
		panels = append(panels, p)
	}
	if ymax == 0 {
		ymax = 1
	}
	for _, p := range panels {
		p.Y.Min, p.Y.Max = 0, ymax*1.05
	}
	var legend []legendEntry
	for _, ch := range channels {
		legend = append(legend, legendEntry{ch, box{channelColor(ch)}})
	}
	legend = append(legend, d.shockLegend()...)
	title := "Failures per " + d.stepUnit() + " by channel"
	shown := "panels: arms"
	if len(arms) < len(d.r.Arms) {
		shown = fmt.Sprintf("baseline only (%d arms are too many for panels; compare arms in active-firms)", len(d.r.Arms))
	}
	caption := "Failures per " + d.stepUnit() + ", mean over " + d.nReps() + ", stacked by the channels through which distress reached the firm (events.csv); " +
		"a failure reached through k channels counts 1/k in each, so a bar's height is the number of failures; " + shown + ". Look at which channels drive failures and when."
	if d.r.Aggregate() {
		title = "Failures per " + d.stepUnit()
		caption = "Failures per " + d.stepUnit() + ", mean over " + d.nReps() + ", from the \"failures\" series of timeseries.csv; " +
			"not split by channel, as channels are recorded with each failure in events.csv, which output.record = \"aggregate\" leaves empty; " + shown + ". Look at when failures happen."
	}
	return &Figure{
		Name:    FigFailuresByChannel,
		Title:   title,
		Caption: caption,
		Width:   8 * vg.Inch,
		Height:  vg.Length(1.2+2.3*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			drawPanels(header(c, title, legend), panels)
		},
	}, nil
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

// cascadeSizes returns the sizes of the cascades of the events of one arm:
// the number of failures sharing a cascade root, per replication.
func cascadeSizes(events []results.EventRow) []int {
	type key struct {
		rep     int
		cascade string
	}
	count := map[key]int{}
	var order []key
	for _, e := range events {
		k := key{e.Replication, e.Cascade}
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	out := make([]int, 0, len(order))
	for _, k := range order {
		out = append(out, count[k])
	}
	return out
}

// ccdf returns the points (s, P(size ≥ s)) of the distinct sizes, sorted
// by s; sizes ≤ 0 are left out (the log axes cannot show them).
func ccdf(sizes []int) plotter.XYs {
	var s []int
	for _, v := range sizes {
		if v > 0 {
			s = append(s, v)
		}
	}
	slices.Sort(s)
	n := float64(len(s))
	var out plotter.XYs
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		out = append(out, plotter.XY{X: float64(s[i]), Y: float64(len(s)-i) / n})
	}
	return out
}

// log10XYs returns the points with both coordinates replaced by their
// base-10 logarithms (all must be > 0).
func log10XYs(pts plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, p := range pts {
		out[i] = plotter.XY{X: math.Log10(p.X), Y: math.Log10(p.Y)}
	}
	return out
}

func cascadeFigure(d *runData) (*Figure, error) {
	if len(d.r.Firms) == 0 {
		return nil, nil // firm-level results not recorded: no events either
	}
	byArm := map[string][]results.EventRow{}
	for _, e := range d.r.Events {
		byArm[e.Arm] = append(byArm[e.Arm], e)
	}
	p := newPlot("", "cascade size s (failures sharing a root)", "share of cascades of size ≥ s")
	var legend []legendEntry
	xmax, ymin := 1.0, 1.0
	drawn := false
	for i, arm := range d.r.Arms {
		pts := ccdf(cascadeSizes(byArm[arm]))
		col := ArmColor(i)
		if len(pts) == 0 {
			legend = append(legend, legendEntry{arm + " (no failures)", thumbs{}})
			continue
		}
		drawn = true
		l, s, err := plotter.NewLinePoints(log10XYs(pts))
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = col, vg.Points(1.3)
		s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.2), Shape: draw.CircleGlyph{}}
		p.Add(l, s)
		legend = append(legend, legendEntry{arm, thumbs{l, s}})
		for _, pt := range pts {
			xmax, ymin = math.Max(xmax, pt.X), math.Min(ymin, pt.Y)
		}
	}
	title := "Cascade sizes: complementary CDF"
	fig := &Figure{
		Name:  FigCascadeCCDF,
		Title: title,
		Caption: "Share of cascades with at least s failures, log–log axes, cascades of " + d.nReps() + " pooled per arm; a cascade is the failures " +
			"sharing a generation-0 root in events.csv. A straight tail means heavy-tailed (power-law-like) cascades; look at how far right each arm reaches.",
		Width: 7 * vg.Inch, Height: 5.5 * vg.Inch,
	}
	if !drawn {
		fig.Draw = func(c draw.Canvas) {
			noteText(header(c, title, legend), "no failures in any arm")
		}
		return fig, nil
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = log10Ticks{}, log10Ticks{}
	p.X.Min, p.X.Max = math.Log10(0.85), math.Log10(math.Max(xmax*1.3, 12))
	p.Y.Min, p.Y.Max = math.Log10(math.Min(ymin*0.7, 0.08)), math.Log10(1.2)
	p.Add(lightGrid())
	fig.Draw = func(c draw.Canvas) {
		drawPanels(header(c, title, legend), []*plot.Plot{p})
	}
	return fig, nil
}

// log10Ticks are ticks for an axis of log10 values (drawn on a linear
// scale): labelled with the value itself at each power of ten, and at 2
// and 5 times it when the range spans less than three decades; unlabelled
// minor ticks at the other multiples.
//
// Plotting log10 values on linear axes, rather than using plot.LogScale,
// avoids LogScale's panic on values ≤ 0 and its misplaced axis labels.
type log10Ticks struct{}

func (log10Ticks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) {
		return nil
	}
	few := max-min < 3
	var ticks []plot.Tick
	for e := int(math.Floor(min)); e <= int(math.Ceil(max)); e++ {
		for m := 1; m < 10; m++ {
			lv := float64(e) + math.Log10(float64(m))
			if lv < min-1e-9 || lv > max+1e-9 {
				continue
			}
			label := ""
			if m == 1 || (few && (m == 2 || m == 5)) {
				label = readable(float64(m) * math.Pow10(e))
			}
			ticks = append(ticks, plot.Tick{Value: lv, Label: label})
		}
	}
	return ticks
}

// revenueBins are the revenue-change bins of the 2020 SME surveys, as
// shares: (−∞, −0.5), [−0.5, −0.2), [−0.2, −0.1), [−0.1, ∞).
var revenueBins = []struct {
	label  string
	lo, hi float64
}{
	{"< −50%", math.Inf(-1), -0.5},
	{"−50% to −20%", -0.5, -0.2},
	{"−20% to −10%", -0.2, -0.1},
	{"≥ −10%", -0.1, math.Inf(1)},
}

// revenueShares returns the share of the firms given in each revenue bin,
// and the number of firms counted (NaN revenue changes are left out).
func revenueShares(firms []results.FirmRow) ([]float64, int) {
	out := make([]float64, len(revenueBins))
	n := 0
	for _, f := range firms {
		v := f.RevenueChange
		if math.IsNaN(v) {
			continue
		}
		for k, b := range revenueBins {
			if v >= b.lo && v < b.hi {
				out[k]++
				n++
				break
			}
		}
	}
	for k := range out {
		if n > 0 {
			out[k] /= float64(n)
		}
	}
	return out, n
}

func revenueChangeFigure(d *runData) (*Figure, error) {
	if len(d.r.Firms) == 0 {
		return nil, nil
	}
	byArm := map[string][]results.FirmRow{}
	for _, f := range d.r.Firms {
		byArm[f.Arm] = append(byArm[f.Arm], f)
	}
	p := newPlot("", "revenue after the shock against before it", "share of firms (%)")
	grid := lightGrid()
	grid.Vertical.Width = 0
	p.Add(grid)
	var labels plotter.XYLabels
	top := 0.0
	var legend []legendEntry
	arms := d.r.Arms
	w := 0.8 / float64(max(len(arms), 1))
	var failed, total int
	for i, arm := range arms {
		shares, n := revenueShares(byArm[arm])
		if n == 0 {
			continue
		}
		var rs rects
		for k, s := range shares {
			x0 := float64(k) - 0.4 + float64(i)*w
			rs = append(rs, rect{x0, x0 + w*0.92, 0, 100 * s, ArmColor(i)})
			labels.XYs = append(labels.XYs, plotter.XY{X: x0 + w*0.46, Y: 100 * s})
			labels.Labels = append(labels.Labels, strconv.FormatFloat(100*s, 'f', 0, 64))
			top = math.Max(top, 100*s)
		}
		p.Add(rs)
		legend = append(legend, legendEntry{arm, box{ArmColor(i)}})
	}
	for _, f := range d.r.Firms {
		total++
		if f.Status == "failed" {
			failed++
		}
	}
	var ticks []plot.Tick
	for k, b := range revenueBins {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: b.label})
	}
	if len(labels.XYs) > 0 {
		lab, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Font = textStyle(tickSize - 1).Font
			lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XCenter, draw.YBottom
		}
		lab.Offset = vg.Point{Y: vg.Points(2)}
		p.Add(lab)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.5, float64(len(revenueBins))-0.5
	p.Y.Min, p.Y.Max = 0, math.Max(top*1.1, 1)
	title := "Firms by change in revenue"
	return &Figure{
		Name:  FigRevenueChange,
		Title: title,
		Caption: "Mean revenue from the shock to the end of the run against the pre-shock baseline, firms of " + d.nReps() +
			" pooled per arm (numbers: % of firms), in the bins of the 2020 SME surveys; failed firms are included as in firms.csv (revenue zero from failure on, so mostly < −50%)" +
			fmt.Sprintf(": %d of %d firm rows failed", failed, total) + ". Compare the share of firms hit hardest across arms.",
		Width: 8 * vg.Inch, Height: 5 * vg.Inch,
		Draw: func(c draw.Canvas) {
			drawPanels(header(c, title, legend), []*plot.Plot{p})
		},
	}, nil
}

// effectPoint is one arm's effect as drawn: mean and interval, and how to
// mark it.
type effectPoint struct {
	arm     string
	index   int // in the run's arm order
	stat    results.Stat
	defined bool // Mean is finite
	bounded bool // Lo and Hi are finite
}

func effectPoints(d *runData, metric string) []effectPoint {
	var out []effectPoint
	for i, arm := range d.r.Arms {
		if arm == sim.BaselineArm || d.r.Summary == nil {
			continue
		}
		a := d.r.Summary.Get(arm)
		if a == nil || a.Effects == nil {
			continue
		}
		st, ok := a.Effects.Get(metric)
		if !ok {
			st = results.Stat{Metric: metric, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		}
		out = append(out, effectPoint{arm, i, st, isFinite(st.Mean), isFinite(st.Lo) && isFinite(st.Hi)})
	}
	return out
}

// effectPanel draws one dot per arm with its interval, marking unbounded
// intervals and undefined means with text.
func effectPanel(title, ylabel string, pts []effectPoint) (*plot.Plot, error) {
	p := newPlot(title, "", ylabel)
	p.Add(lightGrid())
	zero, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(len(pts)) - 0.5, Y: 0}})
	if err != nil {
		return nil, err
	}
	zero.Color, zero.Width = color.Gray{0x66}, vg.Points(0.8)
	zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(zero)
	var ticks []plot.Tick
	var notes plotter.XYLabels
	ymin, ymax := 0.0, 0.0
	for k, e := range pts {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: e.arm})
		if e.defined {
			ymin, ymax = math.Min(ymin, e.stat.Mean), math.Max(ymax, e.stat.Mean)
			if e.bounded {
				ymin, ymax = math.Min(ymin, e.stat.Lo), math.Max(ymax, e.stat.Hi)
			}
		}
	}
	span := ymax - ymin
	if span == 0 {
		span = math.Max(1, math.Abs(ymax))
	}
	for k, e := range pts {
		x := float64(k)
		col := ArmColor(e.index)
		switch {
		case !e.defined:
			notes.XYs = append(notes.XYs, plotter.XY{X: x, Y: 0.04 * span})
			notes.Labels = append(notes.Labels, "undefined:\nno firm saved\non average")
			continue
		case e.bounded && e.stat.Hi > e.stat.Lo:
			eb, err := plotter.NewYErrorBars(errPoints{{e.stat.Mean, e.stat.Lo, e.stat.Hi, x}})
			if err != nil {
				return nil, err
			}
			eb.Color, eb.Width, eb.CapWidth = col, vg.Points(1.5), vg.Points(10)
			p.Add(eb)
		case !e.bounded:
			notes.XYs = append(notes.XYs, plotter.XY{X: x, Y: e.stat.Mean + 0.06*span})
			notes.Labels = append(notes.Labels, "interval\nunbounded")
		}
		s, err := plotter.NewScatter(plotter.XYs{{X: x, Y: e.stat.Mean}})
		if err != nil {
			return nil, err
		}
		shape := draw.GlyphDrawer(draw.CircleGlyph{})
		if !e.bounded {
			shape = draw.RingGlyph{}
		}
		s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: shape}
		p.Add(s)
	}
	if len(notes.XYs) > 0 {
		l, err := plotter.NewLabels(notes)
		if err != nil {
			return nil, err
		}
		for i := range l.TextStyle {
			l.TextStyle[i].Font = textStyle(tickSize).Font
			l.TextStyle[i].Color = color.Gray{0x44}
			l.TextStyle[i].XAlign = draw.XCenter
			l.TextStyle[i].YAlign = draw.YBottom
		}
		p.Add(l)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.5, float64(len(pts))-0.5
	p.Y.Min, p.Y.Max = ymin-0.1*span, ymax+0.25*span
	return p, nil
}

// errPoints are points with an asymmetric vertical interval.
type errPoints [][4]float64 // mean, lo, hi, x

func (e errPoints) Len() int                        { return len(e) }
func (e errPoints) XY(i int) (float64, float64)     { return e[i][3], e[i][0] }
func (e errPoints) YError(i int) (float64, float64) { return e[i][0] - e[i][1], e[i][2] - e[i][0] }

func interventionEffectsFigure(d *runData) (*Figure, error) {
	saved := effectPoints(d, results.FirmsSaved)
	if len(saved) == 0 {
		return nil, nil
	}
	cost := effectPoints(d, results.CostPerFirmSaved)
	p1, err := effectPanel("firms saved", "failures avoided against the baseline (firms)", saved)
	if err != nil {
		return nil, err
	}
	cur := d.r.Config.Currency
	if cur == "" {
		cur = "currency units"
	}
	p2, err := effectPanel("fiscal cost per firm saved", cur+" per firm saved", cost)
	if err != nil {
		return nil, err
	}
	title := "Intervention effects against the baseline"
	caption := "Dots: mean over " + d.nReps() + " of the firms saved (baseline failures − arm failures, paired by replication) and of the fiscal cost per firm saved " +
		"(mean cost / mean firms saved); bars: 95% intervals (Fieller's for the ratio). A hollow dot marks an unbounded interval (firms saved not significantly above 0); " +
		"\"undefined\" marks an arm that saves no firm on average."
	if d.nReps() == "1 replication" {
		caption = "Firms saved (baseline failures − arm failures) and fiscal cost per firm saved, one replication: no intervals."
	}
	return &Figure{
		Name:    FigInterventionEffects,
		Title:   title,
		Caption: caption,
		Width:   8 * vg.Inch, Height: 7 * vg.Inch,
		Draw: func(c draw.Canvas) {
			drawPanels(header(c, title, nil), []*plot.Plot{p1, p2})
		},
	}, nil
}

// greyActive is the colour of firms that survive in the network figure.
var greyActive = color.NRGBA{0xbb, 0xbb, 0xbb, 0xff}

// failScale is the colour scale of failure times (weeks): a sequential
// scale from dark blue through magenta to orange (after matplotlib's
// "plasma", stopping short of its pale yellow end), with no grey in it.
type failScale struct {
	min, max, alpha float64
}

var failAnchors = []color.NRGBA{
	{0x0d, 0x08, 0x87, 0xff},
	{0x6a, 0x00, 0xa8, 0xff},
	{0xb1, 0x2a, 0x90, 0xff},
	{0xe1, 0x64, 0x62, 0xff},
	{0xfc, 0xa6, 0x36, 0xff},
}

func (s *failScale) color(v float64) color.NRGBA {
	f := 0.0
	if s.max > s.min {
		f = (v - s.min) / (s.max - s.min)
	}
	f = math.Max(0, math.Min(1, f))
	pos := f * float64(len(failAnchors)-1)
	i := min(int(pos), len(failAnchors)-2)
	u := pos - float64(i)
	a, b := failAnchors[i], failAnchors[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-u) + float64(y)*u)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), uint8(math.Round(255 * s.alpha))}
}

// At implements palette.ColorMap.
func (s *failScale) At(v float64) (color.Color, error) { return s.color(v), nil }

// Max implements palette.ColorMap.
func (s *failScale) Max() float64 { return s.max }

// SetMax implements palette.ColorMap.
func (s *failScale) SetMax(v float64) { s.max = v }

// Min implements palette.ColorMap.
func (s *failScale) Min() float64 { return s.min }

// SetMin implements palette.ColorMap.
func (s *failScale) SetMin(v float64) { s.min = v }

// Alpha implements palette.ColorMap.
func (s *failScale) Alpha() float64 { return s.alpha }

// SetAlpha implements palette.ColorMap.
func (s *failScale) SetAlpha(a float64) { s.alpha = a }

// Palette implements palette.ColorMap.
func (s *failScale) Palette(n int) palette.Palette {
	out := make(colors, n)
	for i := range out {
		out[i] = s.color(s.min + (s.max-s.min)*float64(i)/float64(max(n-1, 1)))
	}
	return out
}

// colors is a palette.Palette.
type colors []color.Color

// Colors implements palette.Palette.
func (c colors) Colors() []color.Color { return c }

// firmColor returns the colour of a firm in the network figure: its
// failure week on scale if it failed, greyActive if it survived.
func firmColor(f results.FirmRow, stepDays float64, scale *failScale) color.Color {
	if f.Status != sim.Failed.String() {
		return greyActive
	}
	step := f.FailureStep
	if step < 0 {
		return scale.color(scale.max)
	}
	return scale.color(float64(step) * stepDays / 7)
}

// netLayout places firms in a layered picture: one column per tier (or
// per sector when all firms share one role), one band per chain.
type netLayout struct {
	x, y    []float64
	columns []string // labels of the columns at x = 0, 1, …
	bands   []string // labels of the bands at y = 0, 1, … (top band highest)
	spacing float64  // smallest distance between neighbouring firms, in pixels of the canvas laid out
	sectors bool     // columns are sectors (all firms share one role), not tiers
}

// layoutNetwork lays out firms (in their firms.csv order) on a canvas of
// about wPx × hPx: columns left to right upstream to downstream, chains
// stacked top to bottom (firms of no chain in a band of their own at the
// bottom); within a cell (column, band) firms fill a grid of about the
// cell's aspect ratio.
func layoutNetwork(firms []results.FirmRow, wPx, hPx float64) netLayout {
	roleOrder := []string{"raw-material", "supplier", "manufacturer", "distributor", "other"}
	roles := map[string]bool{}
	for _, f := range firms {
		roles[f.Role] = true
	}
	colKey := func(f results.FirmRow) string { return f.Role }
	var columns []string
	if len(roles) == 1 {
		colKey = func(f results.FirmRow) string { return f.Sector }
		seen := map[string]bool{}
		for _, f := range firms {
			if !seen[f.Sector] {
				seen[f.Sector] = true
				columns = append(columns, f.Sector)
			}
		}
		slices.Sort(columns)
	} else {
		for _, r := range roleOrder {
			if roles[r] {
				columns = append(columns, r)
			}
		}
		for r := range roles {
			if !slices.Contains(columns, r) {
				columns = append(columns, r)
			}
		}
		slices.Sort(columns[len(columns)-countUnknown(roles, roleOrder):])
	}
	var chains []int
	seenChain := map[int]bool{}
	for _, f := range firms {
		if !seenChain[f.Chain] {
			seenChain[f.Chain] = true
			chains = append(chains, f.Chain)
		}
	}
	// Chains in increasing order, no chain (-1) last.
	slices.SortFunc(chains, func(a, b int) int {
		if (a < 0) != (b < 0) {
			if a < 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	nb := len(chains)
	band := map[int]int{}
	var bands []string
	for i, c := range chains {
		band[c] = nb - 1 - i // first chain at the top
		if c < 0 {
			bands = append(bands, "no chain")
		} else {
			bands = append(bands, "chain "+strconv.Itoa(c))
		}
	}
	slices.Reverse(bands) // bands[y] labels y
	col := map[string]int{}
	for i, c := range columns {
		col[c] = i
	}
	type cell struct{ c, b int }
	members := map[cell][]int{}
	for i, f := range firms {
		k := cell{col[colKey(f)], band[f.Chain]}
		members[k] = append(members[k], i)
	}
	l := netLayout{x: make([]float64, len(firms)), y: make([]float64, len(firms)), columns: columns, bands: bands, sectors: len(roles) == 1}
	const cellW, cellH = 0.7, 0.86 // share of a column's width and a band's height used
	cw := cellW * wPx / float64(max(len(columns), 1))
	ch := cellH * hPx / float64(max(nb, 1))
	l.spacing = math.Inf(1)
	for k, ms := range members {
		n := len(ms)
		nc := max(1, int(math.Ceil(math.Sqrt(float64(n)*cw/ch))))
		nc = min(nc, n)
		nr := (n + nc - 1) / nc
		if nc > 1 {
			l.spacing = math.Min(l.spacing, cw/float64(nc))
		}
		if nr > 1 {
			l.spacing = math.Min(l.spacing, ch/float64(nr))
		}
		for j, i := range ms {
			cx, ry := j%nc, j/nc
			l.x[i] = float64(k.c) + cellW*((float64(cx)+0.5)/float64(nc)-0.5)
			l.y[i] = float64(k.b) + cellH*(0.5-(float64(ry)+0.5)/float64(nr))
		}
	}
	return l
}

func countUnknown(roles map[string]bool, known []string) int {
	n := 0
	for r := range roles {
		if !slices.Contains(known, r) {
			n++
		}
	}
	return n
}

func networkFigure(d *runData) (*Figure, error) {
	// Firms of the baseline's first replication (or the first arm's).
	if len(d.r.Firms) == 0 {
		return nil, nil
	}
	arm := d.r.Firms[0].Arm
	if slices.Contains(d.r.Arms, sim.BaselineArm) {
		arm = sim.BaselineArm
	}
	rep := -1
	var firms []results.FirmRow
	for _, f := range d.r.Firms {
		if f.Arm != arm {
			continue
		}
		if rep < 0 {
			rep = f.Replication
		}
		if f.Replication == rep {
			firms = append(firms, f)
		}
	}
	if len(firms) == 0 || len(firms) > MaxNetworkFirms {
		return nil, nil
	}
	const w, h = 8 * vg.Inch, 8.5 * vg.Inch
	l := layoutNetwork(firms, 0.85*w.Points()*DPI/72, 0.75*h.Points()*DPI/72)

	// Edges, from the network of the result directory (that of the first
	// result: this replication).
	var segs segments
	edgeNote := ""
	if net := d.r.Network; net == nil {
		edgeNote = "edges not drawn: the result directory holds no network (" + results.NetworkDir + "/)"
	} else if len(net.Firms) != len(firms) {
		edgeNote = "edges not drawn: the network does not match firms.csv"
	} else {
		idx := make(map[string]int, len(firms))
		for i, f := range firms {
			idx[f.Firm] = i
		}
		pos := make([]int, len(net.Firms))
		ok := true
		for i, name := range net.Firms {
			j, found := idx[name]
			if !found {
				ok = false
				break
			}
			pos[i] = j
		}
		if !ok {
			edgeNote = "edges not drawn: the network does not match firms.csv"
		} else {
			ne := len(net.Supplier)
			stride := (ne + maxEdges - 1) / maxEdges
			for e := 0; e < ne; e += max(stride, 1) {
				s, b := pos[net.Supplier[e]], pos[net.Buyer[e]]
				segs.lines = append(segs.lines, [4]float64{l.x[s], l.y[s], l.x[b], l.y[b]})
			}
			if stride > 1 {
				edgeNote = fmt.Sprintf("one edge in %d of %d drawn", stride, ne)
			} else {
				edgeNote = fmt.Sprintf("all %d edges drawn", ne)
			}
		}
	}
	segs.style = draw.LineStyle{Color: color.NRGBA{0x60, 0x70, 0x80, 0x30}, Width: vg.Points(0.35)}

	scale := &failScale{min: 0, max: d.week(float64(max(d.steps-1, 1))), alpha: 1}
	var live, dead dots
	nFailed := 0
	for i, f := range firms {
		c := firmColor(f, d.stepDays, scale)
		if f.Status == sim.Failed.String() {
			dead = append(dead, dotAt{l.x[i], l.y[i], c})
			nFailed++
		} else {
			live = append(live, dotAt{l.x[i], l.y[i], c})
		}
	}
	// Dots fill about 70% of the space between neighbours.
	radius := vg.Points(math.Max(0.8, math.Min(3, 0.35*l.spacing*72/DPI)))
	p := newPlot("", "", "")
	p.Add(segs, dotsPlotter{live, radius, draw.CircleGlyph{}}, dotsPlotter{dead, radius * 1.3, draw.CircleGlyph{}})
	var xt, yt []plot.Tick
	for i, c := range l.columns {
		xt = append(xt, plot.Tick{Value: float64(i), Label: c})
	}
	for i, b := range l.bands {
		yt = append(yt, plot.Tick{Value: float64(i), Label: b})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	p.X.Min, p.X.Max = -0.5, float64(len(l.columns))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(l.bands))-0.5
	columns := "tier (left to right, upstream to downstream)"
	p.X.Label.Text = "tier (upstream → downstream)"
	if l.sectors {
		columns = "sector (the firms have no tiers)"
		p.X.Label.Text = "sector"
	}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Width = 0
		a.Tick.LineStyle.Width = 0
	}

	bar := newPlot("", "failure ("+d.timeLabel()+")", "")
	bar.Add(&plotter.ColorBar{ColorMap: scale})
	bar.HideY()
	bar.X.Tick.Marker = readableTicks{}

	legend := []legendEntry{
		{"survived", dot{Color: greyActive, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}},
		{"failed (colour: failure week)", dot{Color: scale.color(scale.max * 0.4), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}},
	}
	title := fmt.Sprintf("The network: %d firms, %d failed (%s, replication %d)", len(firms), nFailed, arm, rep)
	return &Figure{
		Name:  FigNetwork,
		Title: title,
		Caption: "Firms as dots by " + columns + " and chain (top to bottom), supplier → buyer edges as faint lines (" + edgeNote +
			"); failed firms of " + arm + " replication " + strconv.Itoa(rep) + " coloured by the week they failed, survivors grey. Look for failures clustering in a tier or chain.",
		Width: w, Height: h,
		Draw: func(c draw.Canvas) {
			rest := header(c, title, legend)
			barH := vg.Points(58)
			main := rest
			main.Min.Y += barH
			drawPanels(main, []*plot.Plot{p})
			bc := rest
			bc.Max.Y = rest.Min.Y + barH
			wid := bc.Max.X - bc.Min.X
			bc.Min.X += wid * 0.25
			bc.Max.X -= wid * 0.25
			bar.Draw(bc)
		},
	}, nil
}

// dotAt is a firm's dot.
type dotAt struct {
	x, y  float64
	color color.Color
}

type dots []dotAt

// dotsPlotter draws dots of one size, each in its colour.
type dotsPlotter struct {
	dots   dots
	radius vg.Length
	shape  draw.GlyphDrawer
}

func (p dotsPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, d := range p.dots {
		c.DrawGlyph(draw.GlyphStyle{Color: d.color, Radius: p.radius, Shape: p.shape}, vg.Point{X: trX(d.x), Y: trY(d.y)})
	}
}

// segments draws line segments (x0, y0, x1, y1) in one style, as one path.
type segments struct {
	lines [][4]float64
	style draw.LineStyle
}

func (s segments) Plot(c draw.Canvas, plt *plot.Plot) {
	if len(s.lines) == 0 {
		return
	}
	trX, trY := plt.Transforms(&c)
	c.SetLineStyle(s.style)
	var path vg.Path
	for i, l := range s.lines {
		path.Move(vg.Point{X: trX(l[0]), Y: trY(l[1])})
		path.Line(vg.Point{X: trX(l[2]), Y: trY(l[3])})
		if (i+1)%segmentChunk == 0 || i == len(s.lines)-1 {
			c.Stroke(path)
			path = path[:0]
		}
	}
}

var segmentChunk = 1 // one stroke per segment: one long path is quadratic in freetype

// spans shades vertical strips x0..x1 over the whole height of a plot.
type spans struct {
	xs    [][2]float64
	color color.Color
}

func (s spans) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	for _, sp := range s.xs {
		x0 := max(trX(sp[0]), c.Min.X)
		x1 := min(trX(sp[1]), c.Max.X)
		if x1 <= x0 {
			continue
		}
		c.FillPolygon(s.color, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
	}
}

// rect is a filled rectangle in data coordinates.
type rect struct {
	x0, x1, y0, y1 float64
	color          color.Color
}

// rects draws filled rectangles (bars) in data coordinates.
type rects []rect

func (rs rects) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, r := range rs {
		pts := c.ClipPolygonXY([]vg.Point{
			{X: trX(r.x0), Y: trY(r.y0)}, {X: trX(r.x1), Y: trY(r.y0)}, {X: trX(r.x1), Y: trY(r.y1)}, {X: trX(r.x0), Y: trY(r.y1)},
		})
		if len(pts) > 0 {
			c.FillPolygon(r.color, pts)
		}
	}
}

// DataRange implements plot.DataRanger.
func (rs rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range rs {
		xmin, xmax = math.Min(xmin, math.Min(r.x0, r.x1)), math.Max(xmax, math.Max(r.x0, r.x1))
		ymin, ymax = math.Min(ymin, math.Min(r.y0, r.y1)), math.Max(ymax, math.Max(r.y0, r.y1))
	}
	return xmin, xmax, ymin, ymax
}
