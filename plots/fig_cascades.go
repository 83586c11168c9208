package plots

import (
	"math"
	"slices"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

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
	p := runKit.plot("", "cascade size s (failures sharing a root)", "share of cascades of size ≥ s")
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
			noteText(runKit.header(c, title, legend), "no failures in any arm")
		}
		return fig, nil
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = log10Ticks{}, log10Ticks{}
	p.X.Min, p.X.Max = math.Log10(0.85), math.Log10(math.Max(xmax*1.3, 12))
	p.Y.Min, p.Y.Max = math.Log10(math.Min(ymin*0.7, 0.08)), math.Log10(1.2)
	p.Add(lightGrid())
	fig.Draw = func(c draw.Canvas) {
		runKit.column(runKit.header(c, title, legend), []*plot.Plot{p})
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

var _ plot.Ticker = log10Ticks{}

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
