package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MaxNetworkFirms is the largest network the network figure draws; above
// it RunFigures leaves the figure out.
const MaxNetworkFirms = 5000

// maxEdges is the most edges the network figure draws: above it, one edge
// in k is drawn (PNG rendering time grows with the number of strokes).
const maxEdges = 4000

func networkFigure(d *runData) (*Figure, error) {
	// Firms of the baseline's first replication (or the first arm's).
	if len(d.r.Firms) == 0 {
		return nil, nil
	}
	arm := d.r.Firms[0].Arm
	if slices.Contains(d.r.Arms, baselineArm) {
		arm = baselineArm
	}
	rep := -1
	var firms []results.FirmRow
	for _, f := range d.r.Firms {
		if f.Arm != arm {
			continue
		}
		if rep < 0 {
			rep = f.Replication
		}
		if f.Replication == rep {
			firms = append(firms, f)
		}
	}
	if len(firms) == 0 || len(firms) > MaxNetworkFirms {
		return nil, nil
	}
	const w, h = 8 * vg.Inch, 8.5 * vg.Inch
	l := layoutNetwork(firms, 0.85*w.Points()*DPI/72, 0.75*h.Points()*DPI/72)

	// Edges, from the network of the result directory (that of the first
	// result: this replication).
	var segs segments
	edgeNote := ""
	if net := d.r.Network; net == nil {
		edgeNote = "edges not drawn: the result directory holds no network (" + results.NetworkDir + "/)"
	} else if len(net.Firms) != len(firms) {
		edgeNote = "edges not drawn: the network does not match firms.csv"
	} else {
		idx := make(map[string]int, len(firms))
		for i, f := range firms {
			idx[f.Firm] = i
		}
		pos := make([]int, len(net.Firms))
		ok := true
		for i, name := range net.Firms {
			j, found := idx[name]
			if !found {
				ok = false
				break
			}
			pos[i] = j
		}
		if !ok {
			edgeNote = "edges not drawn: the network does not match firms.csv"
		} else {
			ne := len(net.Supplier)
			stride := (ne + maxEdges - 1) / maxEdges
			for e := 0; e < ne; e += max(stride, 1) {
				s, b := pos[net.Supplier[e]], pos[net.Buyer[e]]
				segs.lines = append(segs.lines, [4]float64{l.x[s], l.y[s], l.x[b], l.y[b]})
			}
			if stride > 1 {
				edgeNote = fmt.Sprintf("one edge in %d of %d drawn", stride, ne)
			} else {
				edgeNote = fmt.Sprintf("all %d edges drawn", ne)
			}
		}
	}
	segs.style = draw.LineStyle{Color: color.NRGBA{0x60, 0x70, 0x80, 0x30}, Width: vg.Points(0.35)}

	scale := &failScale{min: 0, max: d.week(float64(max(d.steps-1, 1))), alpha: 1}
	live, dead, cores := networkDots(firms, l, d.stepDays, scale)
	nFailed, pool := 0, 0
	for i := range firms {
		f := &firms[i]
		if f.Status == failedStatus() {
			nFailed++
		}
		if inEntryPool(f) {
			pool++
		}
	}
	// Dots fill about 70% of the space between neighbours; core firms are
	// larger squares, outlined in black, so that the few firms the chains
	// hang on stand out.
	radius := vg.Points(math.Max(0.8, math.Min(3, 0.35*l.spacing*72/DPI)))
	coreR := max(radius*2.2, vg.Points(3.5))
	p := runKit.plot("", "", "")
	p.Add(segs, dotsPlotter{live, radius, draw.CircleGlyph{}}, dotsPlotter{dead, radius * 1.3, draw.CircleGlyph{}},
		dotsPlotter{cores, coreR, draw.BoxGlyph{}}, dotsPlotter{outlines(cores, color.Black), coreR, draw.SquareGlyph{}})
	var xt, yt []plot.Tick
	for i, c := range l.columns {
		xt = append(xt, plot.Tick{Value: float64(i), Label: c})
	}
	for i, b := range l.bands {
		yt = append(yt, plot.Tick{Value: float64(i), Label: b})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	p.X.Min, p.X.Max = -0.5, float64(len(l.columns))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(l.bands))-0.5
	columns := "tier (left to right, upstream to downstream)"
	p.X.Label.Text = "tier (upstream → downstream)"
	if l.sectors {
		columns = "sector (the firms have no tiers)"
		p.X.Label.Text = "sector"
	}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Width = 0
		a.Tick.LineStyle.Width = 0
	}

	bar := runKit.plot("", "failure ("+d.timeLabel()+")", "")
	bar.Add(&plotter.ColorBar{ColorMap: scale})
	bar.HideY()
	bar.X.Tick.Marker = readableTicks{}

	legend := []legendEntry{
		{"survived", dot{Color: greyActive, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}},
		{"failed (colour: failure week)", dot{Color: scale.color(scale.max * 0.4), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}},
	}
	if len(cores) > 0 {
		legend = append(legend, legendEntry{"core enterprise", thumbs{
			dot{Color: greyActive, Radius: vg.Points(3.5), Shape: draw.BoxGlyph{}},
			dot{Color: color.Black, Radius: vg.Points(3.5), Shape: draw.SquareGlyph{}},
		}})
	}
	title := fmt.Sprintf("The network: %d firms%s, %d failed (%s, replication %d)", len(firms)-pool, results.PoolWords(pool), nFailed, arm, rep)
	return &Figure{
		Name:  FigNetwork,
		Title: title,
		Caption: "Firms as dots by " + columns + " and chain (top to bottom), supplier → buyer edges as faint lines (" + edgeNote +
			"); failed firms of " + arm + " replication " + strconv.Itoa(rep) + " coloured by the week they failed, survivors " + colourWord(greyActive) + coreWords(len(cores)) + ". Look for failures clustering in a tier or chain.",
		Width: w, Height: h,
		Draw: func(c draw.Canvas) {
			rest := runKit.header(c, title, legend)
			barH := vg.Points(58)
			main := rest
			main.Min.Y += barH
			runKit.column(main, []*plot.Plot{p})
			bc := rest
			bc.Max.Y = rest.Min.Y + barH
			wid := bc.Max.X - bc.Min.X
			bc.Min.X += wid * 0.25
			bc.Max.X -= wid * 0.25
			bar.Draw(bc)
		},
	}, nil
}

// networkDots returns the dots of the network figure at layout l: the
// SMEs that survived and those that failed, coloured by firmColor, and
// the core firms (whichever their fate), drawn over them.
func networkDots(firms []results.FirmRow, l netLayout, stepDays float64, scale *failScale) (live, dead, cores dots) {
	for i, f := range firms {
		dt := dotAt{l.x[i], l.y[i], firmColor(f, stepDays, scale)}
		switch {
		case f.Kind == coreKind():
			cores = append(cores, dt)
		case f.Status == failedStatus():
			dead = append(dead, dt)
		default:
			live = append(live, dt)
		}
	}
	return live, dead, cores
}

// outlines returns ds in colour c.
func outlines(ds dots, c color.Color) dots {
	out := make(dots, len(ds))
	for i, d := range ds {
		out[i] = dotAt{d.x, d.y, c}
	}
	return out
}

// coreWords describes the core firms' marks for the caption.
func coreWords(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; the %d core enterprises as larger squares outlined in black, coloured likewise", n)
}
