package plots

import (
	"image/color"
	"math"
)

// colourWord names colour c in plain words for captions ("beige: shock
// windows"), from its hue, saturation and lightness, so that a caption
// says the colour the kit draws, whatever it is changed to.
func colourWord(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	r, g, b := float64(n.R)/255, float64(n.G)/255, float64(n.B)/255
	hi, lo := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	light := (hi + lo) / 2
	sat := 0.0
	if hi > lo {
		sat = (hi - lo) / (1 - math.Abs(2*light-1))
	}
	switch {
	case sat < 0.1 || hi-lo < 0.03:
		switch {
		case light > 0.95:
			return "white"
		case light > 0.7:
			return "light grey"
		case light > 0.2:
			return "grey"
		}
		return "black"
	}
	var hue float64 // degrees
	switch hi {
	case r:
		hue = math.Mod((g-b)/(hi-lo)+6, 6) * 60
	case g:
		hue = ((b-r)/(hi-lo) + 2) * 60
	default:
		hue = ((r-g)/(hi-lo) + 4) * 60
	}
	switch {
	case light > 0.8 && hue >= 20 && hue < 70:
		return "beige"
	case hue < 15 || hue >= 330:
		return "red"
	case hue < 45:
		return "orange"
	case hue < 70:
		return "yellow"
	case hue < 170:
		return "green"
	case hue < 260:
		return "blue"
	}
	return "purple"
}

// shockCaption is the part of a caption naming the shading of shock
// windows, empty when the figure has none.
func (d *runData) shockCaption() string {
	if len(d.shocks) == 0 {
		return ""
	}
	return "; " + colourWord(shockColor) + ": shock windows"
}
