package plots

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim/results"
)

// Names of the compare figures, in the order CompareFigures returns them.
const (
	FigCompareActiveSMEs = "compare-active-smes"
	FigCompareOutput     = "compare-output"
	FigCompareFailures   = "compare-failures"
)

// CompareFigures overlays runs made separately (two scenario files, say) on
// the same axes. labels name the runs in legends, one per run; when labels
// is empty each run is named by its scenario's name, with the directory's
// name (or "#2", "#3" …) added to names that repeat. It returns:
//
//   - compare-active-smes: active SMEs over time, the mean over
//     replications with its 95% interval band, one line per run and arm;
//   - compare-output: output relative to its pre-shock level (each
//     replication divided by its mean over the steps before the run's
//     first shock, or by its first step when the shock starts at step 0),
//     likewise;
//   - compare-failures: headline SME failures (and core failures, when
//     any run has some) from summary.json, a dot per run and arm with its
//     95% interval.
//
// An arm has the same colour in every run (by its first appearance over
// the runs, the baseline first), in a lighter or darker shade per run, and
// each run its own dash pattern and dot shape: no two lines share a
// colour. Lines are drawn narrower one after the other, so that a line
// lying on another leaves it showing, and the shock windows of every run
// are shaded. Time is in weeks from each run's start (steps may differ between
// runs). Figures whose metric no run records are left out.
func CompareFigures(runs []*Run, labels []string) ([]Figure, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("plots: compare: no runs")
	}
	for i, r := range runs {
		if r == nil || r.Config == nil {
			return nil, fmt.Errorf("plots: compare: run %d has no scenario", i+1)
		}
	}
	if len(labels) > 0 && len(labels) != len(runs) {
		return nil, fmt.Errorf("plots: compare: %d labels for %d runs", len(labels), len(runs))
	}
	if len(labels) == 0 {
		labels = defaultLabels(runs)
	}
	c := newComparison(runs, labels)
	var figs []Figure
	for _, build := range []func() (*Figure, error){c.activeFigure, c.outputFigure, c.failuresFigure} {
		f, err := build()
		if err != nil {
			return nil, err
		}
		if f != nil {
			figs = append(figs, *f)
		}
	}
	return figs, nil
}

// defaultLabels names each run by its scenario, disambiguating repeats
// with the directory's base name, then with "#k".
func defaultLabels(runs []*Run) []string {
	labels := make([]string, len(runs))
	count := map[string]int{}
	for i, r := range runs {
		labels[i] = r.Config.Name
		if labels[i] == "" {
			labels[i] = "run " + strconv.Itoa(i+1)
		}
		count[labels[i]]++
	}
	for i, r := range runs {
		if count[labels[i]] > 1 && r.Dir != "" {
			labels[i] += " (" + filepath.Base(filepath.Clean(r.Dir)) + ")"
		}
	}
	seen := map[string]int{}
	for i := range labels {
		seen[labels[i]]++
		if k := seen[labels[i]]; k > 1 {
			labels[i] += " #" + strconv.Itoa(k)
		}
	}
	return labels
}

// comparison holds the runs indexed for the compare figures.
type comparison struct {
	runs   []*Run
	labels []string
	arms   []string // union of the runs' arms, in order of first appearance
	series []map[[2]string][][]float64
	days   []float64 // step length of each run, in days
	shock0 []int     // first step of each run's earliest shock
	steps  []int
}

var compareMetrics = []string{"smes_active", results.OutputMetric}

func newComparison(runs []*Run, labels []string) *comparison {
	c := &comparison{runs: runs, labels: labels}
	for _, r := range runs {
		for _, a := range runArms(r) {
			if !slices.Contains(c.arms, a) {
				c.arms = append(c.arms, a)
			}
		}
		days := stepDays(r)
		series, _, steps := indexSeries(r, compareMetrics)
		_, first := shockWindows(r, days, steps)
		c.days = append(c.days, days)
		c.series = append(c.series, series)
		c.steps = append(c.steps, steps)
		c.shock0 = append(c.shock0, first)
	}
	return c
}

// runArms returns a run's arms: Run.Arms, or else the summary's.
func runArms(r *Run) []string {
	if len(r.Arms) > 0 {
		return r.Arms
	}
	var out []string
	if r.Summary != nil {
		for _, a := range r.Summary.Arms {
			out = append(out, a.Arm)
		}
	}
	return out
}

// runDashes gives each run its own dash pattern.
func runDashes(run int) []vg.Length {
	patterns := [][]vg.Length{
		nil,
		{vg.Points(6), vg.Points(3)},
		{vg.Points(2), vg.Points(2)},
		{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
	}
	return patterns[run%len(patterns)]
}

// runShape gives each run its own dot shape.
func runShape(run int) draw.GlyphDrawer {
	s := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}}
	return s[run%len(s)]
}

func (c *comparison) armColor(arm string) color.Color { return ArmColor(slices.Index(c.arms, arm)) }

// timeLabel names the time axis.
func (c *comparison) timeLabel() string {
	start := c.runs[0].Config.StartDate
	for _, r := range c.runs {
		if r.Config.StartDate != start {
			return "weeks from each run's start date"
		}
	}
	if start == "" {
		return "weeks"
	}
	return "weeks from " + start
}

// entryLabel names the line of a run's arm.
func (c *comparison) entryLabel(run int, arm string) string { return c.labels[run] + ": " + arm }

// compareLine is one run's arm on a compare time panel: its mean and
// band, and how it is drawn.
type compareLine struct {
	run    int
	arm    string
	x      []float64
	m      stepMeans
	color  color.Color
	width  vg.Length
	dashes []vg.Length
}

// Line widths of the compare time panels: the first line drawn is the
// widest, each next one narrower, so that a line lying on another (an arm
// that changes nothing, two runs alike) leaves it showing on both sides.
const (
	widestLine    = 3.2
	narrowestLine = 1.2
)

// timeLines returns the lines of metric, per run and arm in the order
// drawn; each replication's series is first mapped by transform(run,
// series) if not nil. Each line has a colour of its own (its arm's, in
// its run's shade), its run's dashes and a width decreasing with the
// order drawn.
func (c *comparison) timeLines(metric string, transform func(run int, s []float64) []float64) []compareLine {
	var lines []compareLine
	for i, r := range c.runs {
		for _, arm := range runArms(r) {
			reps, ok := c.series[i][[2]string{arm, metric}]
			if !ok {
				continue
			}
			if transform != nil {
				tr := make([][]float64, len(reps))
				for k, s := range reps {
					tr[k] = transform(i, s)
				}
				reps = tr
			}
			m := meanBand(reps)
			x := make([]float64, len(m.mean))
			for t := range x {
				x[t] = float64(t) * c.days[i] / 7
			}
			lines = append(lines, compareLine{run: i, arm: arm, x: x, m: m, color: c.entryColor(i, arm), dashes: runDashes(i)})
		}
	}
	for k := range lines {
		w := widestLine
		if len(lines) > 1 {
			w -= (widestLine - narrowestLine) * float64(k) / float64(len(lines)-1)
		}
		lines[k].width = vg.Points(w)
	}
	return lines
}

// timePanel draws metric over time, mean and band per run and arm (see
// timeLines), over the shock windows of every run: the bands first, then
// the lines, so that no band covers a line. It returns nil when no run
// records metric.
func (c *comparison) timePanel(metric, title, ylabel string, ref float64,
	transform func(run int, s []float64) []float64) (*plot.Plot, []legendEntry, error) {
	lines := c.timeLines(metric, transform)
	p := sweepKit.plot(title, c.timeLabel(), ylabel)
	if s := c.shockSpans(); s != nil {
		p.Add(s)
	}
	p.Add(lightGrid())
	var legend []legendEntry
	xmax := 0.0
	thumb := make([]thumbs, len(lines))
	for k, ln := range lines {
		if len(ln.x) > 0 {
			xmax = math.Max(xmax, ln.x[len(ln.x)-1])
		}
		if b := newBand(ln.x, ln.m.lo, ln.m.hi, withAlpha(ln.color, 0.12)); b != nil {
			p.Add(b)
			thumb[k] = append(thumb[k], b)
		}
	}
	for k, ln := range lines {
		xys := lineXYs(ln.x, ln.m.mean)
		if len(xys) == 0 {
			continue
		}
		l, err := addLine(p, xys, draw.LineStyle{Color: ln.color, Width: ln.width, Dashes: ln.dashes})
		if err != nil {
			return nil, nil, err
		}
		legend = append(legend, legendEntry{c.entryLabel(ln.run, ln.arm), append(thumb[k], l)})
	}
	if len(legend) == 0 {
		return nil, nil, nil
	}
	if !math.IsNaN(ref) && xmax > 0 {
		if _, err := addLine(p, plotter.XYs{{X: 0, Y: ref}, {X: xmax, Y: ref}}, refStyle); err != nil {
			return nil, nil, err
		}
	}
	p.X.Min = 0
	if xmax > 0 {
		p.X.Max = xmax
	}
	p.Y.Min = math.Min(0, p.Y.Min)
	return p, legend, nil
}

// shockSpans returns the shading of every run's shock windows, in weeks,
// or nil when no run has a shock.
func (c *comparison) shockSpans() plot.Plotter {
	s := spans{color: shockColor}
	for i, r := range c.runs {
		windows, _ := shockWindows(r, c.days[i], c.steps[i])
		for _, w := range windows {
			s.xs = append(s.xs, [2]float64{w[0] * c.days[i] / 7, w[1] * c.days[i] / 7})
		}
	}
	if len(s.xs) == 0 {
		return nil
	}
	return s
}

// shockCaption names the shading of the time panels, if any.
func (c *comparison) shockCaption() string {
	if c.shockSpans() == nil {
		return ""
	}
	return "; " + colourWord(shockColor) + ": shock windows of any run"
}

// entryColor is the colour of run's arm: the arm's colour (the same in
// every run), in a shade of the run's own (see runShade), so that no two
// lines share a colour.
func (c *comparison) entryColor(run int, arm string) color.Color {
	return runShade(c.armColor(arm), run)
}

// runShade returns colour col in run's shade: as it is for the first run,
// then mixed towards white, then towards black, by turns and further each
// round (lighter or darker still), so that the same arm of different runs
// differs in lightness as well as dashes.
func runShade(col color.Color, run int) color.Color {
	if run == 0 {
		return col
	}
	n := color.NRGBAModel.Convert(col).(color.NRGBA)
	round := float64((run + 1) / 2)
	frac := 1 - math.Pow(0.55, round) // 0.45, 0.70, …
	target := 255.0
	if run%2 == 0 {
		target, frac = 0, 1-math.Pow(0.6, round) // darker: 0.40, 0.64, …
		if max(n.R, n.G, n.B) < 0x40 {
			// Black has no darker shade: a dark grey, darker than run 1's.
			target, frac = 255, frac/2
		}
	}
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + (target-float64(v))*frac)) }
	return color.NRGBA{mix(n.R), mix(n.G), mix(n.B), n.A}
}

func (c *comparison) timeFigure(name, title, caption string, p *plot.Plot, legend []legendEntry) *Figure {
	return &Figure{
		Name: name, Title: title, Caption: caption,
		Width: 9 * vg.Inch, Height: 5.5*vg.Inch + vg.Length(len(legend)/3)*0.22*vg.Inch,
		Draw: func(cv draw.Canvas) {
			sweepKit.tiles(sweepKit.header(cv, title, legend), [][]*plot.Plot{{p}})
		},
	}
}

func (c *comparison) bandNote() string {
	return "lines: mean over replications, bands: 95% interval of the mean; colour: arm, in a lighter or darker shade and a dash pattern per run" + c.shockCaption()
}

func (c *comparison) activeFigure() (*Figure, error) {
	p, legend, err := c.timePanel("smes_active", "", "active SMEs (firms)", math.NaN(), nil)
	if err != nil || p == nil {
		return nil, err
	}
	title := "Active SMEs: " + strings.Join(c.labels, " vs ")
	return c.timeFigure(FigCompareActiveSMEs, title,
		"SMEs not failed over time, per run and arm; "+c.bandNote()+". Look at which run falls further and which recovers.",
		p, legend), nil
}

func (c *comparison) outputFigure() (*Figure, error) {
	transform := func(run int, s []float64) []float64 { return relativeToPreShock(s, c.shock0[run]) }
	p, legend, err := c.timePanel(results.OutputMetric, "", "output / pre-shock level", 1, transform)
	if err != nil || p == nil {
		return nil, err
	}
	title := "Output relative to before the shock: " + strings.Join(c.labels, " vs ")
	return c.timeFigure(FigCompareOutput, title,
		"Gross output divided, replication by replication, by its mean over the steps before the run's first shock (1 = pre-shock); "+
			c.bandNote()+". Look at the depth of the fall and how fast each returns to 1.",
		p, legend), nil
}

// failuresFigure draws the headline failures of every run and arm as dots
// with their intervals, one row per run and arm.
func (c *comparison) failuresFigure() (*Figure, error) {
	type row struct {
		run int
		arm string
	}
	var rows []row
	anyCore := false
	for i, r := range c.runs {
		if r.Summary == nil {
			continue
		}
		for _, a := range r.Summary.Arms {
			rows = append(rows, row{i, a.Arm})
			if st, ok := a.Headline.Get(results.CoreFailures); ok && st.Mean > 0 {
				anyCore = true
			}
		}
	}
	if len(rows) == 0 {
		return nil, nil
	}
	metrics := []string{results.SMEFailures}
	if anyCore {
		metrics = append(metrics, results.CoreFailures)
	}
	n := len(rows)
	ticks := make(plot.ConstantTicks, n)
	for k, rw := range rows {
		ticks[k] = plot.Tick{Value: float64(n - 1 - k), Label: c.entryLabel(rw.run, rw.arm)}
	}
	var panels []*plot.Plot
	var legend []legendEntry
	for mi, m := range metrics {
		label, unit := metricLabel(m, "")
		p := sweepKit.plot(capitalize(label), unit, "")
		p.Add(lightGrid())
		xlo, xhi := math.Inf(1), math.Inf(-1)
		for k, rw := range rows {
			st, ok := c.runs[rw.run].Summary.Get(rw.arm).Headline.Get(m)
			if !ok || !isFinite(st.Mean) {
				continue
			}
			y := float64(n - 1 - k)
			col := c.entryColor(rw.run, rw.arm)
			for _, v := range []float64{st.Mean, st.Lo, st.Hi} {
				if isFinite(v) {
					xlo, xhi = math.Min(xlo, v), math.Max(xhi, v)
				}
			}
			if isFinite(st.Lo) && isFinite(st.Hi) && st.Hi > st.Lo {
				if _, err := addLine(p, plotter.XYs{{X: st.Lo, Y: y}, {X: st.Hi, Y: y}}, draw.LineStyle{Color: col, Width: vg.Points(1.5)}); err != nil {
					return nil, err
				}
			}
			sc, err := plotter.NewScatter(plotter.XYs{{X: st.Mean, Y: y}})
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: runShape(rw.run)}
			p.Add(sc)
			if mi == 0 {
				legend = append(legend, legendEntry{c.entryLabel(rw.run, rw.arm), sc})
			}
		}
		if xhi >= xlo {
			pad := math.Max((xhi-xlo)*0.04, 0.5)
			p.X.Min, p.X.Max = xlo-pad, xhi+pad
			if xlo >= 0 {
				p.X.Min = 0 // failures from 0: a gap between runs reads at its size
			}
		}
		p.X.Tick.Marker = countTicks{}
		p.Y.Tick.Marker = ticks
		p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
		if mi > 0 {
			p.Y.Tick.Marker = blankTicks{ticks}
		}
		panels = append(panels, p)
	}
	title := "Headline failures: " + strings.Join(c.labels, " vs ")
	what := "SME failures"
	if anyCore {
		what = "SME (left) and core (right) failures"
	}
	fig := &Figure{
		Name:  FigCompareFailures,
		Title: title,
		Caption: "Mean " + what + " by the end of each run, per run and arm (summary.json), with 95% intervals over replications; " +
			"colour: arm, in a shade per run, shape: run. Look at whether the intervals of the runs overlap.",
		Width:  max(8*vg.Inch, textStyle(titleSize).Width(title)+0.6*vg.Inch),
		Height: 1.6*vg.Inch + vg.Length(n)*0.32*vg.Inch,
		Draw: func(cv draw.Canvas) {
			sweepKit.tiles(sweepKit.header(cv, title, legend), [][]*plot.Plot{panels})
		},
	}
	return fig, nil
}

// blankTicks keeps the positions of ticks but drops their labels.
type blankTicks struct{ plot.ConstantTicks }

var _ plot.Ticker = blankTicks{}

func (b blankTicks) Ticks(min, max float64) []plot.Tick {
	out := slices.Clone([]plot.Tick(b.ConstantTicks))
	for i := range out {
		out[i].Label = ""
	}
	return out
}
