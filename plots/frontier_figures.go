package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim/results"
)

// Frontier is what smesim frontier measured: for each budget (in
// increasing order) and arm (an intervention alone, or a mix), the effects
// against the baseline on the same random draws.
type Frontier struct {
	Currency string
	Budgets  []float64
	Arms     []string
	// Effects[b][a] are the effects (results.EffectMetrics) of arm a at
	// budget b.
	Effects [][]results.Stats
}

// FrontierMetrics are the metrics drawn against budget, one figure each.
var FrontierMetrics = []string{results.FirmsSaved, results.JobsSaved, results.CostPerFirmSaved, results.CostPerJobSaved}

// FrontierFigures returns one figure per FrontierMetrics: the metric
// against the budget on a log axis, one line per arm with its paired
// interval as a band; the costs on a signed log axis. An interval that
// reaches further than twice the largest mean from the panel's means is
// cut there (the caption says so), so that one arm's unbounded cost does
// not flatten the others.
func FrontierFigures(f *Frontier) ([]Figure, error) {
	var figs []Figure
	axis := SweepParam{Numeric: true, Log: true, X: f.Budgets}
	if len(f.Budgets) == 0 {
		return nil, nil
	}
	for _, m := range FrontierMetrics {
		// A cost per unit saved whose interval is unbounded (nothing
		// significantly saved) has a mean that says nothing: it is left
		// out, so that it does not set the axis.
		ratio := m == results.CostPerFirmSaved || m == results.CostPerJobSaved
		usable := func(st results.Stat) bool {
			return isFinite(st.Mean) && (!ratio || st.N < 2 || isFinite(st.Lo) && isFinite(st.Hi))
		}
		label, unit := metricLabel(m, f.Currency)
		xname := "total budget (" + f.Currency + ")"
		p := sweepKit.plot(capitalize(label), xname, unit)
		p.Add(lightGrid())
		setParamAxis(&p.X, axis)
		// The panel's span: the means, widened by their largest size.
		lo, hi, big := math.Inf(1), math.Inf(-1), 0.0
		var means []float64
		for b := range f.Budgets {
			for a := range f.Arms {
				if st, ok := f.Effects[b][a].Get(m); ok && usable(st) {
					lo, hi, big = math.Min(lo, st.Mean), math.Max(hi, st.Mean), math.Max(big, math.Abs(st.Mean))
					means = append(means, st.Mean)
				}
			}
		}
		if ratio {
			// Costs span orders of magnitude between instruments and
			// change sign (a net gain): a signed log axis shows them all.
			ax := signedLog{signedLogLinear(means)}
			p.Y.Scale, p.Y.Tick.Marker = ax, ax
		}
		floor, ceil := lo-2*big, hi+2*big
		cut := false
		var legend []legendEntry
		for a, arm := range f.Arms {
			var mean, low, high plotter.XYs
			for b, budget := range f.Budgets {
				st, ok := f.Effects[b][a].Get(m)
				if !ok || !usable(st) {
					continue
				}
				l, h := st.Lo, st.Hi
				if !isFinite(l) || !isFinite(h) {
					l, h = st.Mean, st.Mean
				}
				if l < floor || h > ceil {
					cut = true
					l, h = math.Max(l, floor), math.Min(h, ceil)
				}
				mean = append(mean, plotter.XY{X: budget, Y: st.Mean})
				low = append(low, plotter.XY{X: budget, Y: l})
				high = append(high, plotter.XY{X: budget, Y: h})
			}
			if len(mean) == 0 {
				continue
			}
			th, err := addBandLine(p, mean, low, high, ArmColor(a+1))
			if err != nil {
				return nil, err
			}
			legend = append(legend, legendEntry{arm, th})
		}
		if m == results.FirmsSaved || m == results.JobsSaved {
			p.Y.Tick.Marker = countTicks{}
		}
		title := capitalize(label) + " against the total budget"
		caption := fmt.Sprintf("%s against the total budget (log axis), one line per intervention alone and per mix "+
			"(a mix's budget split between its instruments in proportion to their scenario budgets); bands: 95%% intervals "+
			"paired with the baseline on the same random draws (Fieller's for costs; none where unbounded). Means over replications.", capitalize(label))
		if ratio {
			caption += " The cost axis is logarithmic on both sides of 0 (a negative cost is a net gain to the state)." +
				" Budgets at which an instrument saves nothing significantly (an unbounded interval) are left out."
		}
		if cut {
			caption += " Intervals are cut at twice the largest mean beyond the means."
		}
		panel := p
		figs = append(figs, Figure{
			Name: fileName("frontier-" + m), Title: title, Caption: caption,
			Width: 8 * vg.Inch, Height: 5.5 * vg.Inch,
			Draw: func(c draw.Canvas) {
				sweepKit.column(sweepKit.headerNote(c, title, "", legend), []*plot.Plot{panel})
			},
		})
	}
	return figs, nil
}
