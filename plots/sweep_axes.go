package plots

import (
	"math"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/results"
	"gonum.org/v1/plot"
)

// paramX is the x coordinate of value v of parameter p: the number, or
// its category index.
func paramX(p SweepParam, v string) float64 {
	i := p.index(v)
	if p.Numeric && i >= 0 {
		return p.X[i]
	}
	return float64(i)
}

// setParamAxis sets an axis for parameter p: categories as ticks at their
// index, numbers on a linear or log scale.
func setParamAxis(ax *plot.Axis, p SweepParam) {
	switch {
	case !p.Numeric:
		ax.Tick.Marker = categoryTicks(p)
		ax.Min, ax.Max = -0.5, float64(len(p.Values))-0.5
	case p.Log:
		ax.Scale = plot.LogScale{}
		ax.Tick.Marker = paramLogTicks{}
		ax.Min, ax.Max = p.X[0]/1.3, p.X[len(p.X)-1]*1.3
	default:
		ax.Tick.Marker = compactTicks{plot.DefaultTicks{}}
		if len(p.X) == 1 {
			ax.Min, ax.Max = p.X[0]-1, p.X[0]+1
			if p.X[0] != 0 {
				ax.Min, ax.Max = p.X[0]*0.9, p.X[0]*1.1
				if p.X[0] < 0 {
					ax.Min, ax.Max = ax.Max, ax.Min
				}
			}
		} else {
			pad := (p.X[len(p.X)-1] - p.X[0]) * 0.04
			ax.Min, ax.Max = p.X[0]-pad, p.X[len(p.X)-1]+pad
		}
	}
}

// paramLogTicks are ticks for a log axis: at 1, 2 and 5 × 10^k, labelled
// at 1 × 10^k, and also at 2 and 5 × 10^k over less than three decades.
type paramLogTicks struct{}

var _ plot.Ticker = paramLogTicks{}

func (paramLogTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) || math.IsInf(max, 0) {
		return nil
	}
	few := max/min < 1000
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		for _, m := range []float64{1, 2, 3, 4, 5, 6, 7, 8, 9} {
			v := m * math.Pow(10, e)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || few && (m == 2 || m == 5) {
				t.Label = results.Compact(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// categoryTicks labels positions 0, 1, … with the parameter's values.
func categoryTicks(p SweepParam) plot.Ticker {
	ticks := make(plot.ConstantTicks, len(p.Values))
	for i, v := range p.Values {
		ticks[i] = plot.Tick{Value: float64(i), Label: valueLabel(p, v)}
	}
	return ticks
}

// valueLabel writes a parameter value for a tick or a caption: numbers
// with 3 significant digits (1e+07 → 10M), texts as they are.
func valueLabel(p SweepParam, v string) string {
	if !p.Numeric {
		return v
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	return results.Compact(x)
}

// compactTicks relabels the ticks of a Ticker with compact numbers.
type compactTicks struct{ plot.Ticker }

var _ plot.Ticker = compactTicks{}

func (t compactTicks) Ticks(min, max float64) []plot.Tick {
	ticks := t.Ticker.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = results.Compact(ticks[i].Value)
		}
	}
	return ticks
}

// paramName is the readable name of a swept key, with its unit where the
// values do not carry one: "interventions.loans.budget" → "loans: budget
// (CNY)", "shocks.demand.depth" → "demand: depth", "finance.base_rate" →
// "finance: base rate". A key of another form is returned as it is.
func paramName(key, currency string) string {
	parts := strings.Split(key, ".")
	if len(parts) < 2 {
		return key
	}
	field := parts[len(parts)-1]
	owner := parts[len(parts)-2]
	if len(parts) == 2 || parts[0] != "interventions" && parts[0] != "shocks" && parts[0] != "banks" && parts[0] != "markets" {
		owner = strings.Join(parts[:len(parts)-1], ".")
	}
	name := owner + ": " + strings.ReplaceAll(field, "_", " ")
	if moneyFields[field] {
		if currency == "" {
			currency = "currency units"
		}
		name += " (" + currency + ")"
	}
	return name
}

// moneyFields are the keys whose values are amounts of the scenario's
// currency.
var moneyFields = map[string]bool{"budget": true, "final_demand_mean": true}
