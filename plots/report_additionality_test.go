package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

func TestAdditionalitySection(t *testing.T) {
	nan := math.NaN()
	st := func(name string, mean, lo, hi float64) results.Stat {
		return results.Stat{Metric: name, Mean: mean, Lo: lo, Hi: hi, SD: nan, N: 10}
	}
	class := func(name string, firms, money float64) results.ClassStats {
		return results.ClassStats{Class: name, Firms: st("firms", firms, nan, nan), Money: st("money", money, nan, nan)}
	}
	sum := &results.Summary{Confidence: 0.95, Arms: []results.Arm{
		{Arm: "baseline"},
		{Arm: "guarantee", Headline: results.Stats{st(results.FiscalCost, -6.38e6, nan, nan)},
			Effects: results.Stats{st(results.FirmsSaved, 195, 160, 230), st(results.CostPerFirmSaved, -32700, -39700, -27700),
				st(results.JobsSaved, 15000, 12600, 17400), st(results.CostPerJobSaved, -424, -512, -359)},
			Interventions: []results.Intervention{{Name: "guarantee", Used: st("used", 6.4e8, nan, nan),
				Additionality: &results.Additionality{
					Classes: []results.ClassStats{class("saved", 170, 4.55e7), class("deadweight", 1128, 5.92e8),
						class("lost-anyway", 0, 0), class("harmed", 2, 1e6)},
					DeadweightShare: st("deadweight_share", 0.929, 0.911, 0.945)}}}},
	}}
	var b reportBuilder
	b.additionalitySection(sum, "CNY")
	html := b.String()
	for _, want := range []string{
		`<section id="additionality">`,
		"<td>195 ± 35</td><td>saves 32.7k net [27.7k, 39.7k]</td><td>15k ± 2.4k</td><td>saves 424 net [359, 512]</td><td>saves 6.38M net</td>",
		"<td>guarantee</td><td>640M</td><td>170, 45.5M</td><td>1.13k, 592M</td><td>0, 0</td><td>2, 1M</td><td>92.9% [91.1%, 94.5%]</td>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, ">baseline<") {
		t.Error("the baseline has a row: it has no effects")
	}
	var empty reportBuilder
	empty.additionalitySection(&results.Summary{Arms: []results.Arm{{Arm: "baseline"}}}, "CNY")
	if empty.Len() != 0 {
		t.Errorf("a summary without effects writes %q", empty.String())
	}
}
