package plots

import (
	"fmt"

	"github.com/smesim/smesim/sim/results"
)

// additionalitySection writes the report's section on cost-effectiveness
// and on who the money reached: per arm the jobs saved and the cost per
// job saved, and per intervention the firms and money of each paired class
// (saved, deadweight, lost anyway, harmed) with the deadweight share of its
// spending. It writes nothing when no arm has effects.
func (b *reportBuilder) additionalitySection(sum *results.Summary, currency string) {
	var arms []results.Arm
	for _, a := range sum.Arms {
		if a.Effects != nil {
			arms = append(arms, a)
		}
	}
	if len(arms) == 0 {
		return
	}
	cur := esc(currency)
	b.section("additionality", "Cost-effectiveness and who the money reached")
	b.raw("<table class=\"num\">\n<thead><tr><th>arm</th><th>firms saved</th><th>cost per firm saved (" + cur + ")</th>")
	b.raw("<th>jobs saved</th><th>cost per job saved (" + cur + ")</th><th>fiscal cost (" + cur + ")</th></tr></thead>\n<tbody>\n")
	for _, a := range arms {
		b.raw("<tr><th scope=\"row\">" + esc(a.Arm) + "</th>")
		for _, cell := range []string{
			a.Effects.Value(results.FirmsSaved).HalfWidthText(),
			a.Effects.Value(results.CostPerFirmSaved).CostRatioText(),
			a.Effects.Value(results.JobsSaved).HalfWidthText(),
			a.Effects.Value(results.CostPerJobSaved).CostRatioText(),
			results.NetCostText(a.Headline.Value(results.FiscalCost).Mean),
		} {
			b.raw("<td>" + esc(cell) + "</td>")
		}
		b.raw("</tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
	b.raw("<p class=\"note\">" + esc("Jobs saved: the baseline's jobs lost less the arm's, paired by replication; "+
		"cost per job saved: fiscal cost over jobs saved, with its Fieller interval. A net gain to the state (fees and "+
		"interest above calls and write-offs) is written “saves X net”.") + "</p>\n")

	rows := 0
	for _, a := range arms {
		for _, iv := range a.Interventions {
			if iv.Additionality != nil {
				rows++
			}
		}
	}
	if rows == 0 {
		b.end("section")
		return
	}
	b.raw("<table class=\"num\">\n<thead><tr><th>arm</th><th>intervention</th><th>spending (" + cur + ")</th>")
	for _, c := range []string{"saved", "deadweight", "lost anyway", "harmed"} {
		b.raw("<th>" + c + ": firms, money</th>")
	}
	b.raw("<th>deadweight share of spending</th></tr></thead>\n<tbody>\n")
	for _, a := range arms {
		for _, iv := range a.Interventions {
			ad := iv.Additionality
			if ad == nil {
				continue
			}
			b.raw("<tr><th scope=\"row\">" + esc(a.Arm) + "</th><td>" + esc(iv.Name) + "</td><td>" + esc(results.Compact(iv.Used.Mean)) + "</td>")
			for _, c := range ad.Classes {
				b.raw("<td>" + esc(results.Compact(c.Firms.Mean)+", "+results.Compact(c.Money.Mean)) + "</td>")
			}
			b.raw("<td>" + esc(ad.DeadweightShare.ShareText()) + "</td></tr>\n")
		}
	}
	b.raw("</tbody>\n</table>\n")
	b.raw("<p class=\"note\">" + esc(fmt.Sprintf("Each firm an intervention reached, against the baseline of the same replication: "+
		"saved (fails in the baseline, survives in the arm), deadweight (survives in both), lost anyway (fails in both), "+
		"harmed (survives in the baseline, fails in the arm). Money: what the firms received, counted as the intervention's "+
		"spending (receivables financed at the peak, principal lent or guaranteed, interest paid, tax waived, debt service deferred); "+
		"means over replications. Deadweight share: mean deadweight money over mean spending, with its %g%% Fieller interval.", 100*sum.Confidence)) + "</p>\n")
	b.end("section")
}
