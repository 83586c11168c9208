package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim/calibrate"
)

// PosteriorFigure returns the pairwise figure of a calibration's
// posterior: on the diagonal, each parameter's weighted histogram over the
// range [lo[j], hi[j]] (the prior's 90% interval, or wider, marked by
// vertical lines at priorLo and priorHi); below it, each pair of
// parameters as a scatter of the particles, a dot's area in proportion to
// its weight. Correlated parameters (one fact fixing a combination of two)
// show as a slanted cloud.
func PosteriorFigure(post *calibrate.Posterior, priorLo, priorHi []float64) Figure {
	k := len(post.Keys)
	size := vg.Length(max(k, 2)) * 2.8 * vg.Inch
	fig := Figure{Name: "posterior-pairs", Title: "Posterior of the calibrated parameters",
		Caption: "Diagonal: each parameter's posterior (weighted histogram) against its prior's 90% interval (grey lines); below: each pair of parameters, one dot per particle, its area in proportion to its weight.",
		Width:   size, Height: size + vg.Inch/2}
	fig.Draw = func(c draw.Canvas) {
		grid := make([][]*plot.Plot, k)
		for i := range grid {
			grid[i] = make([]*plot.Plot, k)
			for j := 0; j <= i; j++ {
				p, err := posteriorPanel(post, priorLo, priorHi, i, j)
				if err != nil {
					noteText(c, err.Error())
					return
				}
				grid[i][j] = p
			}
		}
		runKit.tiles(runKit.header(c, fig.Title, nil), grid)
	}
	return fig
}

// posteriorPanel draws panel (i, j): parameter i's histogram when i = j,
// else parameter j (across) against parameter i (up).
func posteriorPanel(post *calibrate.Posterior, priorLo, priorHi []float64, i, j int) (*plot.Plot, error) {
	xlabel, ylabel := "", ""
	if i == len(post.Keys)-1 {
		xlabel = post.Keys[j]
	}
	if j == 0 && i > 0 {
		ylabel = post.Keys[i]
	}
	p := runKit.plot("", xlabel, ylabel)
	p.Add(lightGrid())
	x := post.Column(j)
	p.X.Min, p.X.Max = math.Min(priorLo[j], minOf(x)), math.Max(priorHi[j], maxOf(x))
	if i == j {
		p.Title.Text = post.Keys[j]
		if i == 0 {
			p.Y.Label.Text = "weight"
		}
		xy := make(plotter.XYs, len(x))
		for n := range x {
			xy[n] = plotter.XY{X: x[n], Y: post.Weights[n]}
		}
		h, err := plotter.NewHistogram(xy, 20)
		if err != nil {
			return nil, fmt.Errorf("posterior of %s: %w", post.Keys[j], err)
		}
		h.FillColor = ArmColor(1)
		h.LineStyle.Width = 0
		p.Add(h)
		for _, v := range []float64{priorLo[j], priorHi[j]} {
			l, err := plotter.NewLine(plotter.XYs{{X: v, Y: 0}, {X: v, Y: maxWeightBin(h)}})
			if err != nil {
				return nil, err
			}
			l.Color = ArmColor(-1)
			l.Width = vg.Points(1)
			p.Add(l)
		}
		p.Y.Min = 0
		return p, nil
	}
	y := post.Column(i)
	p.Y.Min, p.Y.Max = math.Min(priorLo[i], minOf(y)), math.Max(priorHi[i], maxOf(y))
	xy := make(plotter.XYs, len(x))
	for m := range x {
		xy[m] = plotter.XY{X: x[m], Y: y[m]}
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	n := float64(len(x))
	sc.GlyphStyleFunc = func(m int) draw.GlyphStyle {
		// A particle of average weight 1/n has radius 1.5 points.
		return draw.GlyphStyle{Color: ArmColor(1), Radius: vg.Points(1.5 * math.Sqrt(post.Weights[m]*n)), Shape: draw.CircleGlyph{}}
	}
	p.Add(sc)
	return p, nil
}

func minOf(x []float64) float64 {
	m := math.Inf(1)
	for _, v := range x {
		m = math.Min(m, v)
	}
	return m
}

func maxOf(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}

// maxWeightBin is the height of the histogram's highest bin.
func maxWeightBin(h *plotter.Histogram) float64 {
	var m float64
	for _, b := range h.Bins {
		m = math.Max(m, b.Weight)
	}
	return m
}
