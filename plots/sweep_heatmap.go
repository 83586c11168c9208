package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// pairFigure draws metric over parameters a (x) and b (y), one panel per
// arm, as heatmaps when a and b form a full grid and as scatters
// otherwise, with one colour bar.
func (s *Sweep) pairFigure(a, b int, metric string, arms []string, capNote string) (Figure, error) {
	pa, pb := s.Params[a], s.Params[b]
	cells, grid := s.isFullGrid(a, b)
	label, unit := metricLabel(metric, s.currency())
	// Values per arm (per cell of a grid, per point otherwise) and their
	// common range.
	lo, hi := math.Inf(1), math.Inf(-1)
	zs := make([][]float64, len(arms))
	for i, arm := range arms {
		if grid {
			for _, k := range cells {
				zs[i] = append(zs[i], s.value(k, arm, metric))
			}
		} else {
			for k := range s.Points {
				zs[i] = append(zs[i], s.value(k, arm, metric))
			}
		}
		for _, v := range zs[i] {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	lo, hi = colourRange(lo, hi)
	cm := sequentialMap(metric)
	cm.SetMin(lo)
	cm.SetMax(hi)

	kind, how, note := "heatmap", "Each cell is the mean over replications at one point", s.othersNote(a, b)
	if !grid {
		kind, how, note = "scatter", "Each dot is one point of the sweep, coloured by the mean over replications", ""
		if len(s.Params) > 2 {
			note = "; the other parameters vary between points"
		}
	}
	na, nb := paramName(pa.Key, s.currency()), paramName(pb.Key, s.currency())
	title := fmt.Sprintf("%s by %s and %s", capitalize(label), na, nb)
	slice := ""
	if grid {
		slice = s.sliceNote(a, b)
	}
	cols := min(len(arms), 3)
	rows := (len(arms) + cols - 1) / cols
	const barW = 1.2 * vg.Inch
	fig := Figure{
		Name:  fileName(kind + "-" + metric + "-" + pa.Key + "-" + pb.Key),
		Title: title,
		Caption: fmt.Sprintf("%s of %s (%s), one panel per arm, on a shared colour scale%s.%s",
			how, label, unit, note, capNote),
		Width:  vg.Length(cols)*3.3*vg.Inch + barW,
		Height: vg.Length(rows)*3*vg.Inch + 0.5*vg.Inch,
	}
	fig.Width = max(fig.Width, textStyle(titleSize).Width(title)+0.6*vg.Inch)

	ps := make([][]*plot.Plot, rows)
	for r := range ps {
		ps[r] = make([]*plot.Plot, cols)
	}
	for i, arm := range arms {
		p := sweepKit.plot(arm, na, nb)
		z := zs[i]
		if grid {
			hm := plotter.NewHeatMap(catGrid{nx: len(pa.Values), ny: len(pb.Values), z: z}, cm.Palette(256))
			hm.Min, hm.Max = lo, hi
			hm.NaN = color.Gray{Y: 0xdd}
			p.Add(hm)
			if l := cellLabels(z, len(pa.Values), cm); l != nil && len(z) <= 64 {
				p.Add(l)
			}
			p.X.Tick.Marker = categoryTicks(pa)
			p.Y.Tick.Marker = categoryTicks(pb)
			// A hair wider than the cells: the heatmap skips cells whose
			// corners fall outside the canvas by rounding.
			p.X.Min, p.X.Max = -0.501, float64(len(pa.Values))-0.499
			p.Y.Min, p.Y.Max = -0.501, float64(len(pb.Values))-0.499
		} else {
			xys := make(plotter.XYs, len(s.Points))
			for k, pt := range s.Points {
				xys[k].X = paramX(pa, pt.Values[a])
				xys[k].Y = paramX(pb, pt.Values[b])
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return Figure{}, err
			}
			sc.GlyphStyleFunc = func(k int) draw.GlyphStyle {
				c := color.Color(color.Gray{Y: 0xbb})
				if !math.IsNaN(z[k]) {
					if cc, err := cm.At(clamp(z[k], lo, hi)); err == nil {
						c = cc
					}
				}
				return draw.GlyphStyle{Color: c, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
			}
			// Outline the dots so that pale ones stay visible.
			outline, err := plotter.NewScatter(xys)
			if err != nil {
				return Figure{}, err
			}
			outline.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 0x55}, Radius: vg.Points(5), Shape: draw.RingGlyph{}}
			p.Add(lightGrid(), sc, outline)
			setParamAxis(&p.X, pa)
			setParamAxis(&p.Y, pb)
		}
		ps[i/cols][i%cols] = p
	}
	barLabel := label + " (" + unit + ")"
	fig.Draw = func(c draw.Canvas) {
		c = sweepKit.headerNote(c, title, slice, nil)
		main := draw.Crop(c, 0, -barW, 0, 0)
		bar := draw.Crop(c, c.Max.X-c.Min.X-barW, 0, 0, 0)
		sweepKit.tiles(main, ps)
		drawColourBar(bar, cm, barLabel)
	}
	return fig, nil
}

// catGrid is a plotter.GridXYZ over category indices: z[r*nx+c].
type catGrid struct {
	nx, ny int
	z      []float64
}

var _ plotter.GridXYZ = catGrid{}

func (g catGrid) Dims() (c, r int) { return g.nx, g.ny }

func (g catGrid) Z(c, r int) float64 { return g.z[r*g.nx+c] }

func (g catGrid) X(c int) float64 { return float64(c) }

func (g catGrid) Y(r int) float64 { return float64(r) }

// cellLabels writes each cell's value in its centre, black or white
// against the cell's colour.
func cellLabels(z []float64, nx int, cm palette.ColorMap) *plotter.Labels {
	var xyl cellLabeller
	for i, v := range z {
		xyl.xys = append(xyl.xys, plotter.XY{X: float64(i % nx), Y: float64(i / nx)})
		if math.IsNaN(v) {
			xyl.labels = append(xyl.labels, "n/a")
		} else {
			xyl.labels = append(xyl.labels, results.Compact(v))
		}
		c := color.Color(color.Black)
		if cc, err := cm.At(clamp(v, cm.Min(), cm.Max())); err == nil && !math.IsNaN(v) && luminance(cc) < 0.45 {
			c = color.White
		}
		xyl.colors = append(xyl.colors, c)
	}
	l, err := plotter.NewLabels(xyl)
	if err != nil {
		return nil
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Color = xyl.colors[i]
		l.TextStyle[i].XAlign = draw.XCenter
		l.TextStyle[i].YAlign = draw.YCenter
		l.TextStyle[i].Font = font.From(sans, tickSize)
	}
	return l
}

type cellLabeller struct {
	xys    plotter.XYs
	labels []string
	colors []color.Color
}

var _ plotter.XYLabeller = cellLabeller{}

func (c cellLabeller) Len() int { return len(c.xys) }

func (c cellLabeller) XY(i int) (float64, float64) { return c.xys[i].X, c.xys[i].Y }

func (c cellLabeller) Label(i int) string { return c.labels[i] }

// luminance is the relative luminance of c in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}
