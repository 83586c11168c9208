package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// countMetrics are the headline metrics counting firms that cannot be
// negative: their axes start at 0 with whole ticks, their bands at 0.
var countMetrics = map[string]bool{results.SMEFailures: true, results.CoreFailures: true}

// lineMetrics are the metrics of the line figures: with effects against
// the baseline, firms saved replaces output lost.
func (s *Sweep) lineMetrics() []string {
	if len(s.nonBaseline()) > 0 && s.has(results.FirmsSaved) {
		return []string{results.SMEFailures, results.JobsLost, results.FiscalCost, results.FirmsSaved}
	}
	return []string{results.SMEFailures, results.JobsLost, results.OutputLost, results.FiscalCost}
}

// lineFigure draws headline metrics against parameter j: one panel per
// metric, one line per arm with its interval band.
func (s *Sweep) lineFigure(j int) (Figure, error) {
	pj := s.Params[j]
	metrics := s.lineMetrics()
	// Points drawn: a grid's points with the other parameters at their
	// first value; every point for one parameter or a Latin hypercube.
	var pts []int
	lhs := s.Design == "latin-hypercube" && len(s.Params) > 1
	for k, pt := range s.Points {
		if lhs || s.othersFirst(pt, j) {
			pts = append(pts, k)
		}
	}
	slices.SortStableFunc(pts, func(a, b int) int {
		return cmp.Compare(paramX(pj, s.Points[a].Values[j]), paramX(pj, s.Points[b].Values[j]))
	})
	how := "one line per arm, with its 95% interval band over replications" + s.othersNote(j)
	if lhs {
		how = "one dot per point of the Latin hypercube and arm, with its 95% interval over replications (arms side by side); the other parameters vary between points"
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i], _ = metricLabel(m, s.currency())
	}
	xname := paramName(pj.Key, s.currency())
	title := "Headline metrics against " + xname
	note := s.sliceNote(j)
	if lhs {
		note = "other parameters vary between points"
	}
	fig := Figure{
		Name:    fileName("lines-" + pj.Key),
		Title:   title,
		Caption: fmt.Sprintf("%s against %s (%s): %s. Means over replications.", capitalize(strings.Join(names, ", ")), xname, pj.Key, how),
		Width:   9 * vg.Inch,
		Height:  7.3 * vg.Inch,
	}
	ps := [][]*plot.Plot{make([]*plot.Plot, 2), make([]*plot.Plot, 2)}
	thumb := map[string]plot.Thumbnailer{}
	for i, m := range metrics {
		label, unit := metricLabel(m, s.currency())
		p := sweepKit.plot(capitalize(label), xname, unit)
		p.Add(lightGrid())
		setParamAxis(&p.X, pj)
		for ai, arm := range s.Arms {
			if m == results.FirmsSaved && arm == "baseline" {
				continue
			}
			var mean, low, high plotter.XYs
			for _, k := range pts {
				st, ok := s.Stat(k, arm, m)
				if !ok || math.IsNaN(st.Mean) || math.IsInf(st.Mean, 0) {
					continue
				}
				x := paramX(pj, s.Points[k].Values[j])
				if lhs {
					x = dodge(pj, x, ai, len(s.Arms))
				}
				mean = append(mean, plotter.XY{X: x, Y: st.Mean})
				l, h := st.Lo, st.Hi
				if math.IsNaN(l) || math.IsNaN(h) || math.IsInf(l, 0) || math.IsInf(h, 0) {
					l, h = st.Mean, st.Mean
				}
				if countMetrics[m] {
					l = math.Max(l, 0) // a mean of counts is not below 0
				}
				low = append(low, plotter.XY{X: x, Y: l})
				high = append(high, plotter.XY{X: x, Y: h})
			}
			if len(mean) == 0 {
				continue
			}
			col := ArmColor(s.armIndex(arm))
			var th plot.Thumbnailer
			var err error
			if lhs {
				th, err = addDotsWithBars(p, mean, low, high, col)
			} else {
				th, err = addBandLine(p, mean, low, high, col)
			}
			if err != nil {
				return Figure{}, err
			}
			if thumb[arm] == nil {
				thumb[arm] = th
			}
		}
		if countMetrics[m] {
			p.Y.Tick.Marker = countTicks{}
			p.Y.Min = math.Min(p.Y.Min, 0)
		}
		ps[i/2][i%2] = p
	}
	var legend []legendEntry
	for _, arm := range s.Arms {
		if th := thumb[arm]; th != nil {
			legend = append(legend, legendEntry{arm, th})
		}
	}
	fig.Draw = func(c draw.Canvas) {
		sweepKit.tiles(sweepKit.headerNote(c, title, note, legend), ps)
	}
	return fig, nil
}

// sliceNote says, on the figure, where the parameters other than keep
// are held: "at demand: depth = 0.1, loans: budget (CNY) = 5M", or ""
// when there are none.
func (s *Sweep) sliceNote(keep ...int) string {
	var parts []string
	for j, p := range s.Params {
		if !slices.Contains(keep, j) {
			parts = append(parts, paramName(p.Key, s.currency())+" = "+valueLabel(p, p.Values[0]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "slice at " + strings.Join(parts, ", ") + " (their first values)"
}

// dodge shifts x a little for arm i of n, so that the arms' dots and bars
// stand side by side: by 1.2% of the axis per arm.
func dodge(p SweepParam, x float64, i, n int) float64 {
	off := (float64(i) - float64(n-1)/2) * 0.012
	switch {
	case !p.Numeric:
		return x + off*float64(max(len(p.Values), 2))
	case p.Log:
		return x * math.Pow(p.X[len(p.X)-1]/p.X[0], off)
	case len(p.X) > 1:
		return x + off*(p.X[len(p.X)-1]-p.X[0])
	}
	return x
}

// addBandLine adds the band from low to high (none without width: one
// replication) and the mean line over it, in col, and returns the legend
// thumbnail.
func addBandLine(p *plot.Plot, mean, low, high plotter.XYs, col color.Color) (plot.Thumbnailer, error) {
	var th thumbs
	x, lo, hi := make([]float64, len(mean)), make([]float64, len(mean)), make([]float64, len(mean))
	for i := range mean {
		x[i], lo[i], hi[i] = mean[i].X, low[i].Y, high[i].Y
	}
	if b := newBand(x, lo, hi, withAlpha(col, 0.18)); b != nil {
		p.Add(b)
		th = append(th, b)
	}
	line, err := addLine(p, mean, draw.LineStyle{Color: col, Width: vg.Points(1.6)})
	if err != nil {
		return nil, err
	}
	th = append(th, line)
	if len(mean) == 1 {
		if _, err := addDotsWithBars(p, mean, low, high, col); err != nil {
			return nil, err
		}
	}
	return th, nil
}

// addDotsWithBars adds dots at mean with vertical bars from low to high,
// in col, and returns the legend thumbnail.
func addDotsWithBars(p *plot.Plot, mean, low, high plotter.XYs, col color.Color) (plot.Thumbnailer, error) {
	errs := make(plotter.YErrors, len(mean))
	for i := range mean {
		errs[i].Low = mean[i].Y - low[i].Y
		errs[i].High = high[i].Y - mean[i].Y
	}
	bars, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{mean, errs})
	if err != nil {
		return nil, err
	}
	bars.Color = col
	bars.Width = vg.Points(1.2)
	bars.CapWidth = vg.Points(4)
	sc, err := plotter.NewScatter(mean)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(bars, sc)
	return sc, nil
}
