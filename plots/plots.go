// Package plots draws smesim's figures from result files alone.
//
// A figure is a Figure: a name (the file stem), a title, a one-line caption
// saying what to look at, a default size and a function drawing it on any
// canvas. RunFigures makes the figures of one result directory (read back
// with LoadRun); Save writes figures as PNG, SVG or PDF files. Every figure
// draws each arm in the colour ArmColor gives its index in the scenario's
// arm order (the baseline first), so that an arm keeps its colour across
// figures.
//
// The package never runs the model nor rebuilds its network: everything it
// draws is in the result files (the network figure draws the network of
// the result directory's network/).
package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/results"
)

// Run is a result directory as read back: what every run figure is drawn from.
type Run struct {
	Dir        string
	Config     *sim.Config // scenario.toml, decoded with scenarios.Decode: a record, not validated input
	Arms       []string    // in order of first appearance in timeseries.csv (baseline first)
	Timeseries []results.TimeseriesRow
	Firms      []results.FirmRow
	Events     []results.EventRow
	Summary    *results.Summary
	Network    *results.Network // network/, or nil when the directory has none
}

// maxScenarioBytes bounds the scenario.toml LoadRun reads.
const maxScenarioBytes = 16 << 20

// LoadRun reads the result directory dir: scenario.toml, timeseries.csv,
// firms.csv, events.csv, summary.json and, if present, the network of
// network/. A missing or malformed file is an error naming it (and the
// line and column of a CSV file).
//
// scenario.toml is read as a record of what was run, without validating
// it as input (see scenarios.Decode): the directory stays readable
// wherever it is moved, whatever files the scenario named. The rows must
// lie within its steps and replications, and firms.csv and events.csv
// must hold runs of timeseries.csv (see results.ScanTimeseries), so that
// what LoadRun holds is bounded by the size of the files.
func LoadRun(dir string) (*Run, error) {
	path := filepath.Join(dir, results.ScenarioFile)
	data, err := results.ReadFile(path, maxScenarioBytes)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	cfg, err := scenarios.Decode(path, data, dir)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	r := &Run{Dir: dir, Config: cfg}
	lim := results.Limits{Steps: max(cfg.Steps, 0), Replications: max(cfg.Replications, 0)}
	var lay *results.Layout
	if r.Timeseries, lay, err = results.ReadTimeseries(dir, lim); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if r.Firms, err = results.ReadFirms(dir, lay); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if r.Events, err = results.ReadEvents(dir, lay); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if r.Summary, err = results.ReadSummary(dir); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	summaryArms := make([]string, len(r.Summary.Arms))
	for i, a := range r.Summary.Arms {
		summaryArms[i] = a.Arm
	}
	if !slices.Equal(summaryArms, lay.Arms) {
		return nil, fmt.Errorf("plots: %s: arms %s, but %s holds arms %s", filepath.Join(dir, results.SummaryFile),
			quoteList(summaryArms), results.TimeseriesFile, quoteList(lay.Arms))
	}
	if r.Network, err = results.ReadNetwork(dir); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	r.Arms = lay.Arms
	return r, nil
}

// quoteList writes names for a message: ["a", "b"], cut after 10.
func quoteList(names []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range names {
		if i == 10 {
			fmt.Fprintf(&b, ", … (%d in all)", len(names))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if len(n) > 40 {
			n = strings.ToValidUTF8(n[:40], "") + "…"
		}
		b.WriteString(strconv.Quote(n))
	}
	b.WriteByte(']')
	return b.String()
}

// Figure is one figure: Name is the file stem ("active-firms"), Title what it shows,
// Caption one line saying what to look at; Draw draws it on a canvas of the
// given size (the default size is Width × Height).
type Figure struct {
	Name, Title, Caption string
	Width, Height        vg.Length
	Draw                 func(c draw.Canvas)
}

// DPI is the resolution of PNG files: a figure of Width × Height is
// written as an image of Width/vg.Inch·DPI × Height/vg.Inch·DPI pixels
// (rounded as vgimg does).
const DPI = 150

// Default figure size, used when a Figure's Width or Height is zero.
const (
	DefaultWidth  = 8 * vg.Inch
	DefaultHeight = 5 * vg.Inch
)

// Formats are the file formats Save writes, in the order of "all".
var Formats = []string{"png", "svg", "pdf"}

// ParseFormats reads the --plots flag: "none", "all" (png, svg, pdf), or a comma list of png, svg, pdf.
// "none" gives an empty list; a list keeps its order and drops repeats.
func ParseFormats(s string) ([]string, error) {
	switch strings.TrimSpace(s) {
	case "none":
		return []string{}, nil
	case "all":
		return slices.Clone(Formats), nil
	case "":
		return nil, fmt.Errorf("empty list of formats: give none, all, or a comma list of %s", strings.Join(Formats, ", "))
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch {
		case f == "":
			return nil, fmt.Errorf("formats %q: empty element", s)
		case f == "none" || f == "all":
			return nil, fmt.Errorf("formats %q: %q cannot be combined with other formats", s, f)
		case !slices.Contains(Formats, f):
			return nil, fmt.Errorf("unknown format %q: allowed values are none, all, or a comma list of %s", f, strings.Join(Formats, ", "))
		case !slices.Contains(out, f):
			out = append(out, f)
		}
	}
	return out, nil
}

// Save writes each figure as dir/<Name>.<format> for each format ("png", "svg", "pdf"),
// creating dir, and returns the file names written (sorted). PNG at 150 dpi or so; readable at default size.
//
// The names returned are paths: filepath.Join(dir, Name+"."+format). A
// figure whose drawing fails (gonum/plot panics on some degenerate data)
// is an error naming it; the files written before it are returned with
// the error.
func Save(dir string, figs []Figure, formats []string) ([]string, error) {
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return nil, fmt.Errorf("plots: unknown format %q (allowed: %s)", f, strings.Join(Formats, ", "))
		}
	}
	if len(figs) == 0 || len(formats) == 0 {
		return []string{}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	names := []string{}
	for _, fig := range figs {
		for _, format := range formats {
			b, err := Render(fig, format)
			if err != nil {
				slices.Sort(names)
				return names, err
			}
			name := filepath.Join(dir, fig.Name+"."+format)
			if err := os.WriteFile(name, b, 0o644); err != nil {
				slices.Sort(names)
				return names, fmt.Errorf("plots: %w", err)
			}
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Render draws fig at its default size on a white background and returns
// the file content in format ("png", "svg" or "pdf").
func Render(fig Figure, format string) (b []byte, err error) {
	w, h := fig.Size()
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = vgpdf.New(w, h)
	default:
		return nil, fmt.Errorf("plots: unknown format %q (allowed: %s)", format, strings.Join(Formats, ", "))
	}
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, fmt.Errorf("plots: figure %s (%s): %v", fig.Name, format, p)
		}
	}()
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(rectPath(dc.Rectangle))
	if fig.Draw != nil {
		fig.Draw(dc)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: figure %s (%s): %w", fig.Name, format, err)
	}
	return buf.Bytes(), nil
}

// Size returns the figure's default size: Width × Height, or DefaultWidth
// and DefaultHeight where they are zero.
func (f Figure) Size() (w, h vg.Length) {
	w, h = f.Width, f.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

func rectPath(r vg.Rectangle) vg.Path {
	var p vg.Path
	p.Move(r.Min)
	p.Line(vg.Point{X: r.Max.X, Y: r.Min.Y})
	p.Line(r.Max)
	p.Line(vg.Point{X: r.Min.X, Y: r.Max.Y})
	p.Close()
	return p
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

// readableTicks are ticks at round values (1, 2 or 5 times a power of
// ten, or 2.5 where that gives too few), four to eight of them labelled,
// with readable labels (12k, 1.5M), and unlabelled minor ticks between.
//
// The ticks are counted, not accumulated: there are at most maxTicks of
// them whatever the range. A range too narrow to hold distinct round
// values (see flat) gets one labelled tick at its middle; drawn panels
// never have one, as padFlat widens them first.
type readableTicks struct{}

// maxTicks bounds the ticks readableTicks returns: the step is at least a
// fifth of the range over 8, so there are at most 8·4 minor intervals.
const maxTicks = 34

func (readableTicks) Ticks(lo, hi float64) []plot.Tick {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return nil
	}
	if flat(lo, hi) {
		mid := lo + (hi-lo)/2
		return []plot.Tick{{Value: mid, Label: readable(mid)}}
	}
	if math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: readable(lo)}, {Value: 0, Label: "0"}, {Value: hi, Label: readable(hi)}}
	}
	step := niceStep((hi - lo) / 5)
	if (hi-lo)/step < 3.5 {
		step = niceStep((hi - lo) / 8)
	}
	minor := step / 2
	if m := step / math.Pow10(int(math.Floor(math.Log10(step)))); math.Abs(m-2) < 1e-9 {
		minor = step / 4 // 2 → halves of 1
	}
	// Tick k is at k·minor. The range is at least flatRange of the
	// magnitude, so k stays below about 32/flatRange: exact in a float64.
	first := math.Ceil(lo/minor - 1e-9)
	n := int(math.Floor(hi/minor+1e-9*step/minor)-first) + 1
	n = max(0, min(n, maxTicks))
	ticks := make([]plot.Tick, 0, n)
	for k := 0; k < n; k++ {
		v := roundSig((first+float64(k))*minor, 12)
		label := ""
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			label = readable(v)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// flatRange is the narrowest range, relative to the magnitude of its ends,
// that ticks label: below it the labels (10 significant digits) would all
// read the same, and a step below the spacing of float64 would not advance.
// tinyRange is the narrowest range in absolute terms: below it a tick step
// would be subnormal.
const (
	flatRange = 1e-9
	tinyRange = 1e-290
)

// flat reports whether lo ≤ hi are too close for distinct tick labels:
// hi − lo ≤ flatRange·max(|lo|, |hi|), or below tinyRange.
func flat(lo, hi float64) bool {
	return hi-lo <= flatRange*math.Max(math.Abs(lo), math.Abs(hi)) || hi-lo < tinyRange
}

// padFlat widens each axis of p whose range is flat (a constant series,
// or one varying by float noise) and too large for gonum's own padding of
// equal ends (±1) to make it readable: to ±5% of its middle. Other axes
// are left as they are.
func padFlat(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		lo, hi := a.Min, a.Max
		if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
			continue
		}
		if lo == hi && !flat(lo-1, hi+1) || !flat(lo, hi) || math.Abs(lo) < tinyRange && math.Abs(hi) < tinyRange {
			continue // gonum pads equal ends to ±1; a range near 0 is left to it
		}
		mid := lo + (hi-lo)/2
		pad := 0.05 * math.Abs(mid)
		a.Min, a.Max = math.Max(mid-pad, -math.MaxFloat64), math.Min(mid+pad, math.MaxFloat64)
	}
}

// niceStep returns the smallest of 1, 2, 2.5 or 5 times a power of ten that
// is at least x > 0.
func niceStep(x float64) float64 {
	p := math.Pow10(int(math.Floor(math.Log10(x))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// readable formats v with at most 3 significant digits above 10,000, with
// a k, M or bn suffix, and as strconv's shortest 'g' format below.
func readable(v float64) string {
	if v == 0 {
		return "0" // not "-0"
	}
	a := math.Abs(v)
	var suffix string
	switch {
	case a >= 1e9:
		v, suffix = v/1e9, "bn"
	case a >= 1e6:
		v, suffix = v/1e6, "M"
	case a >= 1e4:
		v, suffix = v/1e3, "k"
	default:
		// Round away float noise (0.30000000000000004) before printing.
		return strconv.FormatFloat(roundSig(v, 10), 'g', -1, 64)
	}
	return strconv.FormatFloat(roundSig(v, 3), 'g', -1, 64) + suffix
}

func roundSig(v float64, digits int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	s := strconv.FormatFloat(v, 'g', digits, 64)
	r, _ := strconv.ParseFloat(s, 64)
	return r
}

// legendEntry is one entry of a figure's legend.
type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// thumbs draws several thumbnails on top of each other.
type thumbs []plot.Thumbnailer

func (t thumbs) Thumbnail(c *draw.Canvas) {
	for _, th := range t {
		th.Thumbnail(c)
	}
}

// box is a filled-rectangle thumbnail.
type box struct{ color color.Color }

func (b box) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.color, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// dot is a glyph thumbnail.
type dot draw.GlyphStyle

func (d dot) Thumbnail(c *draw.Canvas) { c.DrawGlyph(draw.GlyphStyle(d), c.Center()) }

// header draws the figure's title centred at the top of c and its legend
// in rows under it, and returns the part of c left below them.
func header(c draw.Canvas, title string, legend []legendEntry) draw.Canvas {
	const pad = vg.Length(6)
	top := c.Max.Y - pad
	if title != "" {
		ts := textStyle(titleSize)
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
		c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, title)
		top -= ts.Height(title) + pad
	}
	if len(legend) > 0 {
		ls := textStyle(legendSize)
		ls.YAlign = draw.YCenter
		const thumbW, gap, sep = vg.Length(20), vg.Length(4), vg.Length(14)
		lineH := ls.Height("Ag") + 3
		// Lay the entries out in rows, then centre each row.
		type item struct {
			e legendEntry
			w vg.Length
		}
		var rows [][]item
		var rowW []vg.Length
		avail := c.Max.X - c.Min.X - 2*pad
		for _, e := range legend {
			w := thumbW + gap + ls.Width(e.label)
			if n := len(rows); n == 0 || rowW[n-1]+sep+w > avail {
				rows = append(rows, nil)
				rowW = append(rowW, -sep)
			}
			n := len(rows) - 1
			rows[n] = append(rows[n], item{e, w})
			rowW[n] += sep + w
		}
		for k, row := range rows {
			y := top - lineH/2
			x := (c.Min.X+c.Max.X)/2 - rowW[k]/2
			for _, it := range row {
				tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: y - lineH/2 + 2}, Max: vg.Point{X: x + thumbW, Y: y + lineH/2 - 2},
				}}
				it.e.thumb.Thumbnail(&tc)
				c.FillText(ls, vg.Point{X: x + thumbW + gap, Y: y}, it.e.label)
				x += it.w + sep
			}
			top -= lineH
		}
		top -= pad
	}
	out := c
	out.Max.Y = top
	return out
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
