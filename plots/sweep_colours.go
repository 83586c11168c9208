package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// colourRange returns a non-empty range for a colour map from the data's
// lo and hi (infinite when there is no data).
func colourRange(lo, hi float64) (float64, float64) {
	switch {
	case math.IsInf(lo, 1):
		return 0, 1
	case lo == hi:
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		return lo - d, hi + d
	}
	return lo, hi
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// sequentialMap returns a colour map for metric: light yellow to dark red
// for losses (more is worse), light yellow to dark blue for savings (more
// is better).
func sequentialMap(metric string) palette.ColorMap {
	name := "YlOrRd"
	if strings.Contains(metric, "saved") || strings.Contains(metric, "avoided") {
		name = "YlGnBu"
	}
	p, err := brewer.GetPalette(brewer.TypeSequential, name, 9)
	if err != nil {
		panic(err) // a name of the brewer package: cannot fail
	}
	return &rampMap{colors: p.Colors(), min: 0, max: 1, alpha: 1}
}

// rampMap is a palette.ColorMap interpolating linearly (in sRGB) between
// evenly spaced colours.
type rampMap struct {
	colors   []color.Color
	min, max float64
	alpha    float64
}

var _ palette.ColorMap = (*rampMap)(nil)

func (m *rampMap) At(v float64) (color.Color, error) {
	if math.IsNaN(v) || v < m.min || v > m.max {
		return nil, fmt.Errorf("plots: %g outside the colour map's range [%g, %g]", v, m.min, m.max)
	}
	u := 0.0
	if m.max > m.min {
		u = (v - m.min) / (m.max - m.min)
	}
	f := u * float64(len(m.colors)-1)
	i := min(int(f), len(m.colors)-2)
	t := f - float64(i)
	r0, g0, b0, _ := m.colors[i].RGBA()
	r1, g1, b1, _ := m.colors[i+1].RGBA()
	mix := func(a, b uint32) uint8 { return uint8(((1-t)*float64(a) + t*float64(b)) / 0x101) }
	return color.NRGBA{R: mix(r0, r1), G: mix(g0, g1), B: mix(b0, b1), A: uint8(0xff * m.alpha)}, nil
}

func (m *rampMap) Max() float64 { return m.max }

func (m *rampMap) Min() float64 { return m.min }

func (m *rampMap) SetMax(v float64) { m.max = v }

func (m *rampMap) SetMin(v float64) { m.min = v }

func (m *rampMap) Alpha() float64 { return m.alpha }

func (m *rampMap) SetAlpha(a float64) { m.alpha = a }

// Palette returns n colours evenly spaced over the map.
func (m *rampMap) Palette(n int) palette.Palette {
	n = max(n, 2)
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i], _ = m.At(m.min + (m.max-m.min)*float64(i)/float64(n-1))
	}
	return colors(cs)
}

// drawColourBar draws a vertical colour bar of cm, labelled label, in c.
func drawColourBar(c draw.Canvas, cm palette.ColorMap, label string) {
	p := sweepKit.plot("", "", label)
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.HideX()
	p.Y.Min, p.Y.Max = cm.Min(), cm.Max()
	// A narrow strip, vertically centred over most of the height.
	h := c.Max.Y - c.Min.Y
	strip := draw.Crop(c, vg.Points(10), -0.3*vg.Inch, h*0.1, -h*0.1)
	p.Draw(strip)
}
