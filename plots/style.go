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

// A kit lays out the figures of one family. Every figure is drawn with
// the same fonts, colours, legends and grids; the families differ only in
// these values, each keeping its look.
type kit struct {
	ticks     plot.Ticker // the ticks of both axes
	axisPad   vg.Length   // between an axis and the data
	legendGap vg.Length   // between the header's legend and the panels
	panelGap  vg.Length   // between two rows of panels
}

var (
	// runKit lays out the figures of a run: round ticks with readable
	// labels (12k, 1.5M), the data close to the axes.
	runKit = kit{ticks: readableTicks{}, axisPad: vg.Points(2), legendGap: vg.Points(6), panelGap: vg.Points(10)}
	// sweepKit lays out the figures of a sweep and of a comparison:
	// gonum's ticks with compact labels, and gonum's padding.
	sweepKit = kit{ticks: compactTicks{plot.DefaultTicks{}}, axisPad: vg.Points(5), legendGap: vg.Points(3), panelGap: vg.Points(12)}
)

// plot returns a panel with the kit's fonts and ticks and no legend of
// its own (figures draw one legend in their header).
func (k kit) plot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, panelSize)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Tick.Marker = k.ticks
		a.Padding = k.axisPad
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.Legend.TextStyle.Font = font.From(sans, legendSize)
	return p
}

// column draws panels stacked in one column on c, aligned so that their
// data areas line up.
func (k kit) column(c draw.Canvas, panels []*plot.Plot) {
	grid := make([][]*plot.Plot, len(panels))
	for i, p := range panels {
		grid[i] = []*plot.Plot{p}
	}
	k.tiles(c, grid)
}

// tiles draws a grid of panels, rows × columns (nil entries left empty),
// aligned on c. Flat ranges are widened first (see padFlat).
func (k kit) tiles(c draw.Canvas, grid [][]*plot.Plot) {
	if len(grid) == 0 || len(grid[0]) == 0 {
		return
	}
	t := draw.Tiles{
		Rows: len(grid), Cols: len(grid[0]),
		PadX: vg.Points(18), PadY: k.panelGap,
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

// lightGrid returns faint grid lines.
func lightGrid() *plotter.Grid {
	g := plotter.NewGrid()
	for _, l := range []*draw.LineStyle{&g.Vertical, &g.Horizontal} {
		l.Color = color.Gray{Y: 0xe8}
		l.Width = vg.Points(0.5)
	}
	return g
}

// refStyle is the style of reference lines (zero, the pre-shock level):
// dashed grey.
var refStyle = draw.LineStyle{Color: color.Gray{Y: 0x66}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}

// addLine adds the line through xys to p, in style sty, and returns it
// (also a legend thumbnail).
func addLine(p *plot.Plot, xys plotter.XYs, sty draw.LineStyle) (*plotter.Line, error) {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.LineStyle = sty
	p.Add(l)
	return l, nil
}

// noteText draws a message in the middle of c (for a figure without data).
func noteText(c draw.Canvas, msg string) {
	ts := textStyle(labelSize)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
	ts.Color = color.Gray{0x55}
	c.FillText(ts, c.Center(), msg)
}
