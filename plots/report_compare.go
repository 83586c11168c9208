package plots

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/smesim/smesim/sim/results"
)

// compareTable lists the headline metrics the comparison's table of
// differences shows, with their names in words.
var compareTable = []struct{ metric, words string }{
	{results.Failures, "firms failed"},
	{results.SMEFailures, "SMEs failed"},
	{results.CoreFailures, "core enterprises failed"},
	{results.JobsLost, "jobs lost"},
	{results.OutputLost, "output lost"},
	{results.BankLosses, "bank losses"},
	{results.FiscalCost, "fiscal cost"},
}

// WriteCompareReport writes the file path: one self-contained HTML page
// comparing the runs (see CompareFigures) named by labels: a summary in
// words of how the baseline's failures and each shared arm's firms saved
// differ from the first run, a table of differences (each headline metric
// of every arm the runs share, per run, and its difference from the first
// run with a 95% Welch interval: separate runs are not paired), what each
// run is, and the figures figs. Like WriteReport, it loads nothing else.
func WriteCompareReport(path string, runs []*Run, labels []string, figs []Figure) error {
	if len(runs) < 2 {
		return fmt.Errorf("plots: compare report: %d runs, need at least 2", len(runs))
	}
	for i, r := range runs {
		if r == nil || r.Config == nil || r.Summary == nil {
			return fmt.Errorf("plots: compare report: run %d has no scenario or no summary", i+1)
		}
	}
	if len(labels) == 0 {
		labels = defaultLabels(runs)
	}
	arms := sharedArms(runs)
	var b reportBuilder
	b.head("smesim comparison: " + strings.Join(labels, " vs "))
	b.title(strings.Join(labels, " vs "), "", "smesim compare report: separate runs side by side, and how each differs from the first")

	b.section("summary", "Summary")
	b.p(fmt.Sprintf("Compared %d runs against the first, %s. The runs are separate (their replications are not paired), so each difference has a 95%% Welch interval from the runs' own spreads; a difference whose interval includes zero is not established.",
		len(runs), labels[0]))
	var items []string
	for i := 1; i < len(runs); i++ {
		for _, arm := range arms {
			items = append(items, compareSentence(labels[0], labels[i], arm, runs[0].Summary.Get(arm), runs[i].Summary.Get(arm)))
		}
	}
	if len(arms) == 0 {
		items = append(items, "The runs share no arm: there is nothing to set side by side but the figures.")
	}
	b.list(items)
	b.end("section")

	b.section("runs", "Runs")
	var what []string
	for i, r := range runs {
		s := fmt.Sprintf("%s: scenario %s, %s per arm, arms %s (%s)", labels[i], r.Config.Name, plural(replicationsOf(r), "replication"),
			strings.Join(runArms(r), ", "), filepath.Base(filepath.Clean(r.Dir)))
		if r.Config.Description != "" {
			s += ". " + r.Config.Description
		}
		what = append(what, s)
	}
	b.list(what)
	b.end("section")

	if len(arms) > 0 {
		b.section("differences", "Differences")
		for _, arm := range arms {
			b.differencesTable(runs, labels, arm)
		}
		b.raw("<p class=\"note\">" + esc("Means over each run's replications. The difference is from "+labels[0]+", ± the half-width of its 95% Welch interval (separate runs are not paired); “not significant” marks an interval that includes zero.") + "</p>\n")
		b.end("section")
	}
	if err := b.figures(figs); err != nil {
		return err
	}
	b.foot()
	return b.save(path)
}

// sharedArms lists the arms every run's summary holds, in the first run's
// order.
func sharedArms(runs []*Run) []string {
	var arms []string
	for _, a := range runs[0].Summary.Arms {
		all := true
		for _, r := range runs[1:] {
			all = all && r.Summary.Get(a.Arm) != nil
		}
		if all {
			arms = append(arms, a.Arm)
		}
	}
	return arms
}

// compareSentence says how arm's failures (and firms saved, for an arm
// with effects) in run b differ from run a.
func compareSentence(la, lb, arm string, a, b *results.Arm) string {
	fa, fb := a.Headline.Value(results.Failures), b.Headline.Value(results.Failures)
	s := fmt.Sprintf("%s: %s firms failed in %s against %s in %s, %s", arm, results.Compact(fb.Mean), lb, results.Compact(fa.Mean), la, differenceWords(fa, fb))
	if a.Effects != nil && b.Effects != nil {
		sa, sb := a.Effects.Value(results.FirmsSaved), b.Effects.Value(results.FirmsSaved)
		s += fmt.Sprintf("; it saved %s firms against %s, %s", results.Compact(sb.Mean), results.Compact(sa.Mean), differenceWords(sa, sb))
	}
	return s + "."
}

// differenceWords writes the difference b − a in words, with its
// interval.
func differenceWords(a, b results.Stat) string {
	d, half, ok := welch(a, b)
	s := fmt.Sprintf("a difference of %s", signed(d))
	switch {
	case !ok:
		return s + " (no interval: a run has one replication)"
	case d-half <= 0 && d+half >= 0:
		return s + fmt.Sprintf(" (95%% interval %s to %s, which includes zero: not established)", results.Compact(d-half), results.Compact(d+half))
	}
	return s + fmt.Sprintf(" (95%% interval %s to %s)", results.Compact(d-half), results.Compact(d+half))
}

// signed writes v with its sign.
func signed(v float64) string {
	if v > 0 {
		return "+" + results.Compact(v)
	}
	return results.Compact(v)
}

// welch returns the difference of means b − a and the half-width of its
// 95% Welch interval, ok = false when either has fewer than two values or
// no spread is known.
func welch(a, b results.Stat) (d, half float64, ok bool) {
	d = b.Mean - a.Mean
	if a.N < 2 || b.N < 2 || math.IsNaN(a.SD) || math.IsNaN(b.SD) || math.IsNaN(d) {
		return d, math.NaN(), false
	}
	va, vb := a.SD*a.SD/float64(a.N), b.SD*b.SD/float64(b.N)
	se := math.Sqrt(va + vb)
	if se == 0 {
		return d, 0, true
	}
	df := (va + vb) * (va + vb) / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + results.Confidence/2)
	return d, t * se, true
}

// differencesTable writes, for arm, one row per headline metric: its mean
// in every run and its difference from the first run.
func (b *reportBuilder) differencesTable(runs []*Run, labels []string, arm string) {
	b.raw("<h3>" + esc(arm) + "</h3>\n<table class=\"num\">\n<thead><tr><th>metric</th>")
	for _, l := range labels {
		b.raw("<th>" + esc(l) + "</th>")
	}
	for _, l := range labels[1:] {
		b.raw("<th>" + esc(l+" − "+labels[0]) + "</th>")
	}
	b.raw("</tr></thead>\n<tbody>\n")
	type row struct {
		words string
		stat  func(a *results.Arm) (results.Stat, bool)
	}
	rows := []row{}
	for _, m := range compareTable {
		rows = append(rows, row{m.words, func(a *results.Arm) (results.Stat, bool) { return a.Headline.Get(m.metric) }})
	}
	if runs[0].Summary.Get(arm).Effects != nil {
		rows = append(rows, row{"firms saved", func(a *results.Arm) (results.Stat, bool) {
			if a.Effects == nil {
				return results.Stat{}, false
			}
			return a.Effects.Get(results.FirmsSaved)
		}})
	}
	for _, r := range rows {
		first, ok := r.stat(runs[0].Summary.Get(arm))
		if !ok {
			continue
		}
		b.raw("<tr><th scope=\"row\">" + esc(r.words) + "</th>")
		stats := []results.Stat{first}
		for _, run := range runs[1:] {
			s, _ := r.stat(run.Summary.Get(arm))
			stats = append(stats, s)
		}
		for _, s := range stats {
			b.raw("<td>" + esc(results.Compact(s.Mean)) + "</td>")
		}
		for _, s := range stats[1:] {
			d, half, ok := welch(first, s)
			text := signed(d)
			switch {
			case !ok, half == 0:
			case d-half <= 0 && d+half >= 0:
				text += " ± " + results.Compact(half) + " (not significant)"
			default:
				text += " ± " + results.Compact(half)
			}
			b.raw("<td>" + esc(text) + "</td>")
		}
		b.raw("</tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
}
