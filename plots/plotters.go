package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The plotters of the figures: small types each drawing one kind of mark,
// composed on a plot.Plot like gonum's own.
var (
	_ plot.Plotter    = dotsPlotter{}
	_ plot.Plotter    = segments{}
	_ plot.Plotter    = spans{}
	_ plot.Plotter    = rects{}
	_ plot.DataRanger = rects{}
)

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

// segments draws line segments (x0, y0, x1, y1) in one style, one stroke
// each: one long path would take freetype quadratic time.
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
	for _, l := range s.lines {
		var path vg.Path
		path.Move(vg.Point{X: trX(l[0]), Y: trY(l[1])})
		path.Line(vg.Point{X: trX(l[2]), Y: trY(l[3])})
		c.Stroke(path)
	}
}

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
