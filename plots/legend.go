package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one entry of a figure's legend.
type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// thumbs draws several thumbnails on top of each other.
type thumbs []plot.Thumbnailer

var _ plot.Thumbnailer = thumbs{}

func (t thumbs) Thumbnail(c *draw.Canvas) {
	for _, th := range t {
		th.Thumbnail(c)
	}
}

// box is a filled-rectangle thumbnail.
type box struct{ color color.Color }

var _ plot.Thumbnailer = box{}

func (b box) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// dot is a glyph thumbnail.
type dot draw.GlyphStyle

var _ plot.Thumbnailer = dot{}

func (d dot) Thumbnail(c *draw.Canvas) { c.DrawGlyph(draw.GlyphStyle(d), c.Center()) }

// header draws the figure's title centred at the top of c and its legend
// in centred rows under it, and returns the part of c left below them.
func (k kit) header(c draw.Canvas, title string, legend []legendEntry) draw.Canvas {
	return k.headerNote(c, title, "", legend)
}

// headerNote is header with a note under the title, in smaller grey
// type: what the figure holds fixed, say.
func (k kit) headerNote(c draw.Canvas, title, note string, legend []legendEntry) draw.Canvas {
	const pad = vg.Length(6)
	top := c.Max.Y - pad
	if title != "" {
		ts := textStyle(titleSize)
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
		c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, title)
		top -= ts.Height(title) + pad
	}
	if note != "" {
		ns := textStyle(legendSize)
		ns.XAlign, ns.YAlign = draw.XCenter, draw.YTop
		ns.Color = color.Gray{Y: 0x44}
		c.FillText(ns, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, note)
		top -= ns.Height(note) + pad
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
				if it.e.thumb != nil {
					it.e.thumb.Thumbnail(&tc)
				}
				c.FillText(ls, vg.Point{X: x + thumbW + gap, Y: y}, it.e.label)
				x += it.w + sep
			}
			top -= lineH
		}
		top -= k.legendGap
	}
	out := c
	out.Max.Y = top
	return out
}
