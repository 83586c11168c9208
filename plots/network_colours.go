package plots

import (
	"image/color"
	"math"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot/palette"
)

// greyActive is the colour of firms that survive in the network figure.
var greyActive = color.NRGBA{0xbb, 0xbb, 0xbb, 0xff}

// failScale is the colour scale of failure times (weeks): a sequential
// scale from dark blue through magenta to orange (after matplotlib's
// "plasma", stopping short of its pale yellow end), with no grey in it.
type failScale struct {
	min, max, alpha float64
}

var failAnchors = []color.NRGBA{
	{0x0d, 0x08, 0x87, 0xff},
	{0x6a, 0x00, 0xa8, 0xff},
	{0xb1, 0x2a, 0x90, 0xff},
	{0xe1, 0x64, 0x62, 0xff},
	{0xfc, 0xa6, 0x36, 0xff},
}

func (s *failScale) color(v float64) color.NRGBA {
	f := 0.0
	if s.max > s.min {
		f = (v - s.min) / (s.max - s.min)
	}
	f = math.Max(0, math.Min(1, f))
	pos := f * float64(len(failAnchors)-1)
	i := min(int(pos), len(failAnchors)-2)
	u := pos - float64(i)
	a, b := failAnchors[i], failAnchors[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-u) + float64(y)*u)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), uint8(math.Round(255 * s.alpha))}
}

// At implements palette.ColorMap.
func (s *failScale) At(v float64) (color.Color, error) { return s.color(v), nil }

// Max implements palette.ColorMap.
func (s *failScale) Max() float64 { return s.max }

// SetMax implements palette.ColorMap.
func (s *failScale) SetMax(v float64) { s.max = v }

// Min implements palette.ColorMap.
func (s *failScale) Min() float64 { return s.min }

// SetMin implements palette.ColorMap.
func (s *failScale) SetMin(v float64) { s.min = v }

// Alpha implements palette.ColorMap.
func (s *failScale) Alpha() float64 { return s.alpha }

// SetAlpha implements palette.ColorMap.
func (s *failScale) SetAlpha(a float64) { s.alpha = a }

// Palette implements palette.ColorMap.
func (s *failScale) Palette(n int) palette.Palette {
	out := make(colors, n)
	for i := range out {
		out[i] = s.color(s.min + (s.max-s.min)*float64(i)/float64(max(n-1, 1)))
	}
	return out
}

// colors is a palette.Palette of the given colours.
type colors []color.Color

var (
	_ palette.Palette  = colors{}
	_ palette.ColorMap = (*failScale)(nil)
)

// Colors implements palette.Palette.
func (c colors) Colors() []color.Color { return c }

// firmColor returns the colour of a firm in the network figure: its
// failure week on scale if it failed, greyActive if it survived.
func firmColor(f results.FirmRow, stepDays float64, scale *failScale) color.Color {
	if f.Status != failedStatus() {
		return greyActive
	}
	step := f.FailureStep
	if step < 0 {
		return scale.color(scale.max)
	}
	return scale.color(float64(step) * stepDays / 7)
}
