package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// lightGrid returns a faint grid.
func lightGrid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{0xe8}
	g.Horizontal.Color = color.Gray{0xe8}
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	return g
}

// drawTiles draws a grid of plots (nil entries left empty) aligned on c.
func drawTiles(c draw.Canvas, ps [][]*plot.Plot) {
	if len(ps) == 0 {
		return
	}
	tiles := draw.Tiles{Rows: len(ps), Cols: len(ps[0]), PadX: vg.Points(18), PadY: vg.Points(12),
		PadTop: vg.Points(2), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(14)}
	for _, row := range ps {
		for _, p := range row {
			if p != nil {
				padFlat(p)
			}
		}
	}
	canvases := plot.Align(ps, tiles, c)
	for r := range ps {
		for i, p := range ps[r] {
			if p != nil {
				p.Draw(canvases[r][i])
			}
		}
	}
}

// figSans is the typeface of the sweep and compare figures' texts.
var figSans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func figText(size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(figSans, size), Handler: plot.DefaultTextHandler}
}

// stylePlot returns a plot with the figures' fonts and compact tick
// labels.
func stylePlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(figSans, 11)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(figSans, 10)
		a.Tick.Label.Font = font.From(figSans, 9)
		a.Tick.Marker = compactTicks{plot.DefaultTicks{}}
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	return p
}

// faintGrid returns light grid lines.
func faintGrid() *plotter.Grid {
	g := plotter.NewGrid()
	for _, l := range []*draw.LineStyle{&g.Vertical, &g.Horizontal} {
		l.Color = color.Gray{Y: 0xe8}
		l.Width = vg.Points(0.5)
	}
	return g
}

// legendItem is one entry of a figure's legend.
type legendItem struct {
	label string
	thumb plot.Thumbnailer
}

// thumbStack draws several thumbnails on top of each other.
type thumbStack []plot.Thumbnailer

func (t thumbStack) Thumbnail(c *draw.Canvas) {
	for _, th := range t {
		th.Thumbnail(c)
	}
}

// swatch is a filled-rectangle thumbnail.
type swatch struct{ color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// drawHeader writes title centred at the top of c and the legend in
// centred rows under it, and returns the part of c below them.
func drawHeader(c draw.Canvas, title string, legend []legendItem) draw.Canvas {
	const pad = vg.Length(6)
	top := c.Max.Y - pad
	if title != "" {
		ts := figText(13)
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
		c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, title)
		top -= ts.Height(title) + pad
	}
	if len(legend) > 0 {
		ls := figText(10)
		ls.YAlign = draw.YCenter
		const thumbW, gap, sep = vg.Length(20), vg.Length(4), vg.Length(14)
		lineH := ls.Height("Ag") + 3
		var rows [][]legendItem
		var rowW []vg.Length
		avail := c.Max.X - c.Min.X - 2*pad
		for _, e := range legend {
			w := thumbW + gap + ls.Width(e.label)
			if n := len(rows); n == 0 || rowW[n-1]+sep+w > avail {
				rows = append(rows, nil)
				rowW = append(rowW, -sep)
			}
			n := len(rows) - 1
			rows[n] = append(rows[n], e)
			rowW[n] += sep + w
		}
		for k, row := range rows {
			y := top - lineH/2
			x := (c.Min.X+c.Max.X)/2 - rowW[k]/2
			for _, e := range row {
				tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: y - lineH/2 + 2}, Max: vg.Point{X: x + thumbW, Y: y + lineH/2 - 2},
				}}
				if e.thumb != nil {
					e.thumb.Thumbnail(&tc)
				}
				c.FillText(ls, vg.Point{X: x + thumbW + gap, Y: y}, e.label)
				x += thumbW + gap + ls.Width(e.label) + sep
			}
			top -= lineH
		}
		top -= pad / 2
	}
	out := c
	out.Max.Y = top
	return out
}

// withAlpha returns c with opacity alpha in [0, 1].
func withAlpha(c color.Color, alpha float64) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(alpha * 0xff))
	return n
}

// armColors are the colours of the arms (Okabe–Ito, with the yellow, too
// pale for lines on white, replaced by a wine red): the baseline black.
var armColors = []color.NRGBA{
	{0x00, 0x00, 0x00, 0xff}, // black
	{0xe6, 0x9f, 0x00, 0xff}, // orange
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0x00, 0x9e, 0x73, 0xff}, // bluish green
	{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	{0xd5, 0x5e, 0x00, 0xff}, // vermillion
	{0x56, 0xb4, 0xe9, 0xff}, // sky blue
	{0x88, 0x22, 0x55, 0xff}, // wine
}

// ArmColor returns the colour of arm i (by its index in the scenario's arm order; baseline first);
// the same arm has the same colour in every figure.
//
// Arm 0 (the baseline) is black; arms 1 to 7 have distinct colours, and
// further arms repeat them in the same order. A negative index is grey.
func ArmColor(i int) color.Color {
	switch {
	case i < 0:
		return color.NRGBA{0x88, 0x88, 0x88, 0xff}
	case i < len(armColors):
		return armColors[i]
	}
	return armColors[1+(i-1)%(len(armColors)-1)]
}

// translucent returns c with opacity alpha in [0,1].
func translucent(c color.Color, alpha float64) color.Color {
	r, g, b, _ := color.NRGBAModel.Convert(c).(color.NRGBA).RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(math.Round(alpha * 255))}
}

// channelColors are the colours of the failure channels (Paul Tol's
// "bright" scheme, extended), by name.
var channelColors = map[string]color.Color{
	"demand":         color.NRGBA{0x44, 0x77, 0xaa, 0xff},
	"credit":         color.NRGBA{0xee, 0x66, 0x77, 0xff},
	"lost-supply":    color.NRGBA{0x22, 0x88, 0x33, 0xff},
	"lost-orders":    color.NRGBA{0xcc, 0xbb, 0x44, 0xff},
	"bad-debt":       color.NRGBA{0x66, 0xcc, 0xee, 0xff},
	"guarantee-call": color.NRGBA{0xaa, 0x33, 0x77, 0xff},
	"lockdown":       color.NRGBA{0x33, 0x22, 0x88, 0xff},
	"imports":        color.NRGBA{0x99, 0x77, 0x00, 0xff},
}

var (
	shockColor = color.NRGBA{0xf1, 0xec, 0xe0, 0xff} // shading of shock windows: a warm light grey, apart from the baseline's grey band
	otherColor = color.NRGBA{0x99, 0x99, 0x99, 0xff} // channels without a colour of their own
)

func channelColor(name string) color.Color {
	if c, ok := channelColors[name]; ok {
		return c
	}
	return otherColor
}

// sans is the typeface of every text in the figures.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Text sizes.
const (
	titleSize  = 13
	panelSize  = 11
	labelSize  = 10
	tickSize   = 9
	legendSize = 10
)

func textStyle(size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(sans, size), Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot with the package's fonts, readable tick labels
// (12k, 1.5M) and no legend of its own (figures draw one legend in their
// header).
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, panelSize)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Tick.Marker = readableTicks{}
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.X.Padding, p.Y.Padding = vg.Points(2), vg.Points(2)
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	return p
}

// drawPanels draws plots stacked vertically (one column) on c, aligned so
// their data areas line up.
func drawPanels(c draw.Canvas, panels []*plot.Plot) {
	drawGrid(c, [][]*plot.Plot{panels}, true)
}

// drawGrid draws a grid of plots, rows × columns, on c; with column true
// the plots of grid[0] are one column instead of one row.
func drawGrid(c draw.Canvas, grid [][]*plot.Plot, column bool) {
	if column {
		col := grid[0]
		grid = make([][]*plot.Plot, len(col))
		for i, p := range col {
			grid[i] = []*plot.Plot{p}
		}
	}
	if len(grid) == 0 || len(grid[0]) == 0 {
		return
	}
	t := draw.Tiles{
		Rows: len(grid), Cols: len(grid[0]),
		PadX: vg.Points(18), PadY: vg.Points(10),
		PadTop: vg.Points(2), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(14),
	}
	for _, row := range grid {
		for _, p := range row {
			if p != nil {
				padFlat(p)
			}
		}
	}
	canvases := plot.Align(grid, t, c)
	for i := range grid {
		for j, p := range grid[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}

// noteText draws a message in the middle of c (for a figure without data).
func noteText(c draw.Canvas, msg string) {
	ts := textStyle(labelSize)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
	ts.Color = color.Gray{0x55}
	c.FillText(ts, c.Center(), msg)
}
