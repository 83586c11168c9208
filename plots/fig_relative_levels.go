package plots

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// relativeToPreShock returns s divided by its mean over steps 0..base-1
// (NaN values left out), or by s[0] when base is not in 1..len(s); the
// result is NaN throughout when that level is not positive.
func relativeToPreShock(s []float64, base int) []float64 {
	var b float64
	if base <= 0 || base > len(s) {
		b = s[0]
	} else {
		n := 0
		for _, v := range s[:base] {
			if !math.IsNaN(v) {
				b += v
				n++
			}
		}
		b /= float64(n)
	}
	out := make([]float64, len(s))
	for t, v := range s {
		out[t] = math.NaN()
		if b > 0 {
			out[t] = v / b
		}
	}
	return out
}

func relativeLevelsFigure(d *runData) (*Figure, error) {
	base := d.shock0
	ref := "pre-shock level"
	if base <= 0 || base > d.steps {
		ref = "level at step 0"
	}
	specs := []panelSpec{
		{metric: "output", title: "gross output", ylabel: "output / " + ref, ref: 1},
		{metric: "employment", title: "employment", ylabel: "jobs / " + ref, ref: 1},
		{metric: "credit_outstanding", title: "bank credit outstanding", ylabel: "loans / " + ref, ref: 1},
	}
	transform := func(s []float64) []float64 { return relativeToPreShock(s, base) }
	panels, legend, _, err := d.armBandPanels(specs, transform)
	if err != nil || len(panels) == 0 {
		return nil, err
	}
	title := "Output, employment and bank credit relative to before the shock"
	what := "the mean over the steps before the first shock"
	if ref != "pre-shock level" {
		what = "its value at step 0 (the scenario has no shock after step 0)"
	}
	return &Figure{
		Name:  FigRelativeLevels,
		Title: title,
		Caption: "Each series divided, replication by replication, by " + what + " (1 = pre-shock); " +
			d.bandCaption() + d.shockCaption() + ". Look at the depth of the fall and how fast each arm returns to 1.",
		Width: 8 * vg.Inch, Height: vg.Length(1.1+2.4*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			runKit.column(runKit.header(c, title, legend), panels)
		},
	}, nil
}
