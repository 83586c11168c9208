package plots

import (
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// activeFirmsSpecs are the panels of active-firms: counts, the core
// firms' panel left out when none fails.
var activeFirmsSpecs = []panelSpec{
	{metric: "smes_active", title: "SMEs", ylabel: "active SMEs (firms)", ref: math.NaN(), count: true},
	{metric: "cores_active", title: "core enterprises", ylabel: "active core firms (firms)", ref: math.NaN(), count: true,
		flatNote: "all %s core firms stay active in every arm and replication (panel left out)"},
}

func activeFirmsFigure(d *runData) (*Figure, error) {
	panels, legend, notes, err := d.armBandPanels(activeFirmsSpecs, nil)
	if err != nil || len(panels) == 0 {
		return nil, err
	}
	title := "Active firms per arm"
	which := "SMEs (top) and core firms (bottom)"
	if len(panels) == 1 {
		which = "SMEs"
	}
	caption := which + " not failed, per arm; " + d.bandCaption() + d.shockCaption() + ". Look at how far each arm falls and whether it stops falling after the shock."
	for _, n := range notes {
		caption += " Core firms: " + n + "."
	}
	return &Figure{
		Name:    FigActiveFirms,
		Title:   title,
		Caption: caption,
		Width:   8 * vg.Inch, Height: vg.Length(1.1+2.6*float64(len(panels))) * vg.Inch,
		Draw: func(c draw.Canvas) {
			runKit.column(runKit.header(c, title, legend), panels)
		},
	}, nil
}
