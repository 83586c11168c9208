package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FigAtlas is the name of the criticality atlas's rank–size figure.
const FigAtlas = "atlas-rank-size"

// AtlasMeasure is one measure of a criticality atlas: its name and one
// value per firm row.
type AtlasMeasure struct {
	Name   string
	Values []float64
}

// AtlasFigure draws the rank–size plot of a criticality atlas: for each
// measure, the firms' values sorted from the largest against their rank,
// on log–log axes, with core firms (core[i] for row i) drawn as larger
// black-edged dots. Zero values, which a log axis cannot show, are left
// out and counted in the caption.
func AtlasFigure(measures []AtlasMeasure, core []bool) (*Figure, error) {
	p := runKit.plot("", "rank (1 = most critical firm)", "share of the economy lost")
	var legend []legendEntry
	xmax, ymin, ymax := 1.0, math.Inf(1), 0.0
	zeros := 0
	for m, ms := range measures {
		if len(ms.Values) != len(core) {
			return nil, fmt.Errorf("plots: atlas measure %s has %d values for %d firms", ms.Name, len(ms.Values), len(core))
		}
		order := make([]int, len(ms.Values))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ms.Values[b], ms.Values[a]) })
		col := ArmColor(m + 1)
		var all, cores plotter.XYs
		for r, i := range order {
			v := ms.Values[i]
			if !(v > 0) {
				zeros++
				continue
			}
			pt := plotter.XY{X: math.Log10(float64(r + 1)), Y: math.Log10(v)}
			all = append(all, pt)
			if core[i] {
				cores = append(cores, pt)
			}
			xmax, ymin, ymax = math.Max(xmax, float64(r+1)), math.Min(ymin, v), math.Max(ymax, v)
		}
		if len(all) == 0 {
			legend = append(legend, legendEntry{ms.Name + " (all zero)", thumbs{}})
			continue
		}
		l, err := plotter.NewLine(all)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = col, vg.Points(1.3)
		p.Add(l)
		th := thumbs{l}
		if len(cores) > 0 {
			s, err := plotter.NewScatter(cores)
			if err != nil {
				return nil, err
			}
			s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			ring, err := plotter.NewScatter(cores)
			if err != nil {
				return nil, err
			}
			ring.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.4), Shape: draw.RingGlyph{}}
			p.Add(s, ring)
		}
		legend = append(legend, legendEntry{ms.Name, th})
	}
	legend = append(legend, legendEntry{"core firm", dot(draw.GlyphStyle{Color: color.Black, Radius: vg.Points(3.4), Shape: draw.RingGlyph{}})})
	title := "Criticality atlas: rank–size"
	caption := "Each firm's share of the economy lost when it fails, per measure, against its rank, log–log axes; rings mark core firms. " +
		"A straight, shallow line is a heavy tail: few firms carry most of the systemic risk."
	if zeros > 0 {
		caption += fmt.Sprintf(" %d zero values are not drawn.", zeros)
	}
	fig := &Figure{Name: FigAtlas, Title: title, Caption: caption, Width: 7 * vg.Inch, Height: 5.5 * vg.Inch}
	if ymax == 0 {
		fig.Draw = func(c draw.Canvas) { noteText(runKit.header(c, title, legend), "every measure is zero for every firm") }
		return fig, nil
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = log10Ticks{}, log10Ticks{}
	p.X.Min, p.X.Max = math.Log10(0.85), math.Log10(math.Max(xmax*1.3, 12))
	p.Y.Min, p.Y.Max = math.Log10(ymin*0.7), math.Log10(ymax*1.4)
	p.Add(lightGrid())
	fig.Draw = func(c draw.Canvas) { runKit.column(runKit.header(c, title, legend), []*plot.Plot{p}) }
	return fig, nil
}
