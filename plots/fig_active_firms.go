package plots

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func activeFirmsFigure(d *runData) (*Figure, error) {
	specs := []panelSpec{
		{"smes_active", "SMEs", "active SMEs (firms)", math.NaN()},
		{"cores_active", "core enterprises", "active core firms (firms)", math.NaN()},
	}
	panels, legend, err := d.armBandPanels(specs, nil)
	if err != nil || len(panels) == 0 {
		return nil, err
	}
	title := "Active firms per arm"
	return &Figure{
		Name:    FigActiveFirms,
		Title:   title,
		Caption: "SMEs (top) and core firms (bottom) not failed, per arm; " + d.bandCaption() + "; grey: shock windows. Look at how far each arm falls and whether it stops falling after the shock.",
		Width:   8 * vg.Inch, Height: vg.Length(1.1+2.6*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			runKit.column(runKit.header(c, title, legend), panels)
		},
	}, nil
}
