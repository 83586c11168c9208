package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestFrontierFigures: one figure per metric; a cost whose interval is
// unbounded is left out and said so, and a huge interval is cut.
func TestFrontierFigures(t *testing.T) {
	nan := math.NaN()
	st := func(m string, mean, lo, hi float64) results.Stat {
		return results.Stat{Metric: m, Mean: mean, Lo: lo, Hi: hi, SD: nan, N: 20}
	}
	eff := func(saved, cost, clo, chi float64) results.Stats {
		return results.Stats{st(results.FirmsSaved, saved, saved-1, saved+1), st(results.JobsSaved, 40*saved, 40*saved-40, 40*saved+40),
			st(results.CostPerFirmSaved, cost, clo, chi), st(results.CostPerJobSaved, cost/40, clo/40, chi/40)}
	}
	f := &Frontier{Currency: "CNY", Budgets: []float64{1e6, 1e7}, Arms: []string{"loans", "subsidy"},
		Effects: [][]results.Stats{
			{eff(10, 1e5, 8e4, 1.2e5), eff(0.1, 2e8, nan, nan)},
			{eff(50, 2e5, 1e5, 9e9), eff(0.2, 1.5e8, nan, nan)},
		}}
	figs, err := FrontierFigures(f)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fig := range figs {
		names = append(names, fig.Name)
		if _, err := Render(fig, "png"); err != nil {
			t.Errorf("%s: %v", fig.Name, err)
		}
	}
	want := []string{"frontier-firms_saved", "frontier-jobs_saved", "frontier-cost_per_firm_saved", "frontier-cost_per_job_saved"}
	for i := range want {
		if i >= len(names) || names[i] != want[i] {
			t.Fatalf("figures %v, want %v", names, want)
		}
	}
	cost := figs[2].Caption
	for _, w := range []string{"log axis", "logarithmic on both sides of 0", "left out", "cut at twice the largest mean"} {
		if !strings.Contains(cost, w) {
			t.Errorf("cost caption lacks %q: %s", w, cost)
		}
	}
	if strings.Contains(figs[0].Caption, "left out") {
		t.Errorf("firms saved caption leaves something out: %s", figs[0].Caption)
	}
}
