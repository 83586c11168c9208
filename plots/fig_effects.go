package plots

import (
	"image/color"
	"math"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
		if arm == baselineArm || d.r.Summary == nil {
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
// intervals and undefined means with text. Its vertical axis is in the
// units of the scale chosen (chooseEffectScale): values are drawn at
// sc.f(v), and the ticks labelled with v. (gonum's own non-linear axis
// scales misplace the axis label's room: they shrink the panel.)
func effectPanel(title, ylabel string, pts []effectPoint, count bool) (*plot.Plot, error) {
	p := runKit.plot(title, "", ylabel)
	p.Add(lightGrid())
	if _, err := addLine(p, plotter.XYs{{X: -0.5, Y: 0}, {X: float64(len(pts)) - 0.5, Y: 0}}, refStyle); err != nil {
		return nil, err
	}
	var ticks []plot.Tick
	var notes plotter.XYLabels
	sc := chooseEffectScale(pts, count)
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
	// span is the range in scaled units (log10 on a symmetric-log axis).
	span := sc.f(ymax) - sc.f(ymin)
	if span == 0 {
		span = math.Max(1, math.Abs(sc.f(ymax)))
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
			eb, err := plotter.NewYErrorBars(errPoints{{sc.f(e.stat.Mean), sc.f(e.stat.Lo), sc.f(e.stat.Hi), x}})
			if err != nil {
				return nil, err
			}
			eb.Color, eb.Width, eb.CapWidth = col, vg.Points(1.5), vg.Points(10)
			p.Add(eb)
		case !e.bounded:
			notes.XYs = append(notes.XYs, plotter.XY{X: x, Y: sc.f(e.stat.Mean) + 0.06*span})
			notes.Labels = append(notes.Labels, "interval\nunbounded")
		}
		s, err := plotter.NewScatter(plotter.XYs{{X: x, Y: sc.f(e.stat.Mean)}})
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
	p.Y.Min, p.Y.Max = sc.f(ymin)-0.1*span, sc.f(ymax)+0.25*span
	if sc.c > 0 {
		p.Y.Tick.Marker = symLogTicks{sc}
		p.Y.Label.Text += ", log scale"
	}
	return p, nil
}

// errPoints are points with an asymmetric vertical interval.
type errPoints [][4]float64 // mean, lo, hi, x

var (
	_ plotter.XYer     = errPoints{}
	_ plotter.YErrorer = errPoints{}
)

func (e errPoints) Len() int { return len(e) }

func (e errPoints) XY(i int) (float64, float64) { return e[i][3], e[i][0] }

func (e errPoints) YError(i int) (float64, float64) { return e[i][0] - e[i][1], e[i][2] - e[i][0] }

func interventionEffectsFigure(d *runData) (*Figure, error) {
	saved := effectPoints(d, results.FirmsSaved)
	if len(saved) == 0 {
		return nil, nil
	}
	cost := effectPoints(d, results.CostPerFirmSaved)
	p1, err := effectPanel("firms saved", "failures avoided (firms)", saved, true)
	if err != nil {
		return nil, err
	}
	cur := d.r.Config.Currency
	if cur == "" {
		cur = "currency units"
	}
	p2, err := effectPanel("fiscal cost per firm saved", cur+" per firm saved", cost, false)
	if err != nil {
		return nil, err
	}
	title := "Intervention effects against the baseline"
	caption := "Dots: mean over " + d.nReps() + " of the firms saved (baseline failures − arm failures, paired by replication) and of the fiscal cost per firm saved " +
		"(mean cost / mean firms saved); bars: 95% intervals (Fieller's for the ratio). A hollow dot marks an unbounded interval (firms saved not significantly above 0); " +
		"\"undefined\" marks an arm that saves no firm on average."
	if chooseEffectScale(saved, true).c > 0 || chooseEffectScale(cost, false).c > 0 {
		caption += " An axis marked \"log scale\" is logarithmic on both sides of 0 (symmetric log), so that arms whose costs differ by orders of magnitude all show their intervals."
	}
	if d.nReps() == "1 replication" {
		caption = "Firms saved (baseline failures − arm failures) and fiscal cost per firm saved, one replication: no intervals."
	}
	return &Figure{
		Name:    FigInterventionEffects,
		Title:   title,
		Caption: caption,
		Width:   8 * vg.Inch, Height: 7 * vg.Inch,
		Draw: func(c draw.Canvas) {
			runKit.column(runKit.header(c, title, nil), []*plot.Plot{p1, p2})
		},
	}, nil
}
