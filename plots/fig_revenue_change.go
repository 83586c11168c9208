package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// revenueBins are the revenue-change bins of the 2020 SME surveys, as
// shares: (−∞, −0.5), [−0.5, −0.2), [−0.2, −0.1), [−0.1, ∞).
var revenueBins = []struct {
	label  string
	lo, hi float64
}{
	{"< −50%", math.Inf(-1), -0.5},
	{"−50% to −20%", -0.5, -0.2},
	{"−20% to −10%", -0.2, -0.1},
	{"≥ −10%", -0.1, math.Inf(1)},
}

// revenueShares returns the share of the firms given in each revenue bin,
// and the number of firms counted (NaN revenue changes are left out).
func revenueShares(firms []results.FirmRow) ([]float64, int) {
	out := make([]float64, len(revenueBins))
	n := 0
	for _, f := range firms {
		v := f.RevenueChange
		if math.IsNaN(v) {
			continue
		}
		for k, b := range revenueBins {
			if v >= b.lo && v < b.hi {
				out[k]++
				n++
				break
			}
		}
	}
	for k := range out {
		if n > 0 {
			out[k] /= float64(n)
		}
	}
	return out, n
}

func revenueChangeFigure(d *runData) (*Figure, error) {
	if len(d.r.Firms) == 0 {
		return nil, nil
	}
	byArm := map[string][]results.FirmRow{}
	for _, f := range d.r.Firms {
		byArm[f.Arm] = append(byArm[f.Arm], f)
	}
	p := runKit.plot("", "revenue after the shock against before it", "share of firms (%)")
	grid := lightGrid()
	grid.Vertical.Width = 0
	p.Add(grid)
	var labels plotter.XYLabels
	top := 0.0
	var legend []legendEntry
	arms := d.r.Arms
	w := 0.8 / float64(max(len(arms), 1))
	var failed, total int
	for i, arm := range arms {
		shares, n := revenueShares(byArm[arm])
		if n == 0 {
			continue
		}
		var rs rects
		for k, s := range shares {
			x0 := float64(k) - 0.4 + float64(i)*w
			rs = append(rs, rect{x0, x0 + w*0.92, 0, 100 * s, ArmColor(i)})
			labels.XYs = append(labels.XYs, plotter.XY{X: x0 + w*0.46, Y: 100 * s})
			labels.Labels = append(labels.Labels, strconv.FormatFloat(100*s, 'f', 0, 64))
			top = math.Max(top, 100*s)
		}
		p.Add(rs)
		legend = append(legend, legendEntry{arm, box{ArmColor(i)}})
	}
	for _, f := range d.r.Firms {
		total++
		if f.Status == "failed" {
			failed++
		}
	}
	var ticks []plot.Tick
	for k, b := range revenueBins {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: b.label})
	}
	if len(labels.XYs) > 0 {
		lab, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Font = textStyle(tickSize - 1).Font
			lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XCenter, draw.YBottom
		}
		lab.Offset = vg.Point{Y: vg.Points(2)}
		p.Add(lab)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.5, float64(len(revenueBins))-0.5
	p.Y.Min, p.Y.Max = 0, math.Max(top*1.1, 1)
	title := "Firms by change in revenue"
	return &Figure{
		Name:  FigRevenueChange,
		Title: title,
		Caption: "Mean revenue " + revenueWindow(d.r.Config.Output, d.stepDays, d.steps) + " against the pre-shock baseline, firms of " + d.nReps() +
			" pooled per arm (numbers: % of firms), in the bins of the 2020 SME surveys; failed firms are included as in firms.csv (revenue zero from failure on, so mostly < −50%)" +
			fmt.Sprintf(": %d of %d firm rows failed", failed, total) + ". Compare the share of firms hit hardest across arms.",
		Width: 8 * vg.Inch, Height: 5 * vg.Inch,
		Draw: func(c draw.Canvas) {
			runKit.column(runKit.header(c, title, legend), []*plot.Plot{p})
		},
	}, nil
}

// revenueWindow says over which steps firms.csv's revenue_change is
// measured, as the engine does: output.revenue_from to revenue_to when
// revenue_to is set, else from the first shock to the end of the run.
func revenueWindow(out config.OutputConfig, stepDays float64, steps int) string {
	if out.RevenueTo.Days() <= 0 {
		return "from the first shock to the end of the run"
	}
	week := func(d units.Duration) string {
		s := min(float64(steps), math.Round(d.Steps(stepDays)))
		return readable(s * stepDays / 7)
	}
	return "from week " + week(out.RevenueFrom) + " to week " + week(out.RevenueTo) + " (output.revenue_from to revenue_to)"
}
