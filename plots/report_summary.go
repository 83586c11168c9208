package plots

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/smesim/smesim/sim/results"
)

// ReportFact is one of the scenario's [[facts]] as checked on the run, for
// the report's facts section (the caller checks them: see package
// sim/facts).
type ReportFact struct {
	Name      string
	Source    string
	Arm       string  // the arm measured
	Target    float64 // the observed value
	Tolerance float64
	Mean      float64 // the simulated mean over replications
	Lo, Hi    float64 // its 95% interval (Lo = Hi = Mean from one replication)
	Share     bool    // a share or relative change: written as percentages
	Pass      bool    // |Mean − Target| within the tolerance
}

// ReportOptions adds to a run's report what its result files alone do not
// say.
type ReportOptions struct {
	// Facts are the scenario's [[facts]] checked on the run, in order.
	Facts []ReportFact
	// FactsError says why the scenario's facts could not be checked ("":
	// they were, or it has none).
	FactsError string
}

// Thresholds of the summary's warnings.
const (
	// mostFail: a share of firms failing above it is an extreme outcome.
	mostFail = 0.5
	// splitShare: an effect is said to split in two when its values
	// across replications fall into two groups, each of at least this
	// share of the replications, separated by a gap wider than
	// splitGap of their range.
	splitShare = 0.2
	splitGap   = 0.5
	// splitMinReps: fewer replications cannot show two groups.
	splitMinReps = 10
	// splitMinSpan: values spread over fewer firms than this differ by
	// the discreteness of counts, not by two outcomes.
	splitMinSpan = 10
)

// summary writes the executive summary: what was run, what happened
// without intervention, what each arm saved and at what cost, how sure
// that is, and warnings a reader must see before quoting a number.
func (b *reportBuilder) summary(r *Run, opts ReportOptions) {
	b.section("summary", "Summary")
	cfg := r.Config
	reps := replicationsOf(r)
	network := strings.TrimSuffix(strings.TrimPrefix(networkWords(r), "Network: "), ".")
	b.p(fmt.Sprintf("What was run: %s over %s, with %s per arm, on a network of %s.", cfg.Name,
		strings.TrimPrefix(timeWords(cfg), "Time: "), plural(reps, "replication"), network))
	sum := r.Summary
	if sum == nil || len(sum.Arms) == 0 {
		b.p("summary.json holds no arm: there are no headline results to summarise.")
		b.end("section")
		return
	}
	firms := firmCount(r)
	base := sum.Get("baseline")
	if base == nil {
		base = &sum.Arms[0]
	}
	b.p(outcomeSentence(base, firms, r.Config.Demography.EntryPool > 0, reps))
	var items []string
	for i := range sum.Arms {
		if a := &sum.Arms[i]; a != base && a.Effects != nil {
			items = append(items, effectSentence(a, cfg.Currency))
		}
	}
	if len(items) > 0 {
		b.list(items)
	}
	if reps > 1 {
		b.p(fmt.Sprintf("How sure: the intervals are %g%% intervals over the %d replications; each arm runs on the same random draws as the baseline, so the effects are paired differences. An effect whose interval includes zero is not established.",
			100*sum.Confidence, reps))
	}
	warnings := summaryWarnings(r, firms, reps, opts)
	b.raw("<h3>Warnings</h3>\n")
	if len(warnings) == 0 {
		b.p("None: no arm loses most of its firms, banks' capital stays positive, every effect's interval lies on one side of zero, and no effect splits into two groups across replications.")
	} else {
		b.raw("<ul class=\"warnings\">\n")
		for _, w := range warnings {
			b.raw("<li>" + esc(w) + "</li>\n")
		}
		b.raw("</ul>\n")
	}
	b.end("section")
}

// firmCount is the number of firms of a run active at the start, the
// count networkWords gives: from firms.csv, the firms of the first arm's
// first replication not in the entry pool; without firm-level results,
// those still active at the end plus those that failed (means over
// replications, which add up when no firm enters or exits).
func firmCount(r *Run) float64 {
	if len(r.Firms) > 0 {
		first, n := &r.Firms[0], 0
		for i := range r.Firms {
			f := &r.Firms[i]
			if f.Arm == first.Arm && f.Replication == first.Replication && !inEntryPool(f) {
				n++
			}
		}
		return float64(n)
	}
	a := r.Summary.Arms[0]
	active, ok := a.Final.Get("firms_active")
	if !ok {
		return math.NaN()
	}
	return active.Mean + a.Headline.Value(results.Failures).Mean
}

// outcomeSentence says what happened in the baseline, out of the firms
// active at the start; with an entry pool, the failures include entrants'.
func outcomeSentence(a *results.Arm, firms float64, entrants bool, reps int) string {
	fail := a.Headline.Value(results.Failures)
	s := fmt.Sprintf("Without intervention (%s), %s of %s firms failed on average", a.Arm, results.Compact(fail.Mean), results.Compact(firms))
	if entrants {
		s = fmt.Sprintf("Without intervention (%s), %s firms failed on average, entrants included, against %s active at the start", a.Arm, results.Compact(fail.Mean), results.Compact(firms))
	}
	if firms > 0 {
		s += " (" + pct(fail.Mean/firms) + ")"
	}
	if reps > 1 && !math.IsNaN(fail.Lo) {
		s += fmt.Sprintf(", 95%% interval %s to %s", results.Compact(fail.Lo), results.Compact(fail.Hi))
	}
	s += fmt.Sprintf(": %s SMEs and %s core enterprises, with %s jobs lost.",
		results.Compact(a.Headline.Value(results.SMEFailures).Mean), results.Compact(a.Headline.Value(results.CoreFailures).Mean),
		results.Compact(a.Headline.Value(results.JobsLost).Mean))
	return s
}

// effectSentence says what arm a saved against the baseline, at what
// cost, and how sure that is.
func effectSentence(a *results.Arm, currency string) string {
	saved := a.Effects.Value(results.FirmsSaved)
	jobs := a.Effects.Value(results.JobsSaved)
	cost := a.Headline.Value(results.FiscalCost).Mean
	interval := func(s results.Stat) string {
		if s.N < 2 || math.IsNaN(s.Lo) {
			return ""
		}
		return fmt.Sprintf(" (95%% interval %s to %s)", results.Compact(s.Lo), results.Compact(s.Hi))
	}
	var s string
	switch {
	case saved.N >= 2 && saved.Lo <= 0 && saved.Hi >= 0:
		s = fmt.Sprintf("%s: %s firms saved%s — the interval includes zero, so no effect on failures is established", a.Arm, results.Compact(saved.Mean), interval(saved))
	case saved.Mean < 0:
		s = fmt.Sprintf("%s made things worse: %s more firms failed than in the baseline%s", a.Arm, results.Compact(-saved.Mean), interval(saved))
	default:
		s = fmt.Sprintf("%s saved %s firms%s and %s jobs%s", a.Arm, results.Compact(saved.Mean), interval(saved), results.Compact(jobs.Mean), interval(jobs))
	}
	switch {
	case cost == 0:
		return s + ", at no fiscal cost."
	case cost < 0:
		return s + fmt.Sprintf(", with a net fiscal gain of %s %s (fees and interest received exceed what was spent).", results.Compact(-cost), currency)
	}
	s += fmt.Sprintf(", at a fiscal cost of %s %s", results.Compact(cost), currency)
	if saved.Mean > 0 && !(saved.N >= 2 && saved.Lo <= 0) {
		s += fmt.Sprintf(": %s %s per firm saved", results.Compact(a.Effects.Value(results.CostPerFirmSaved).Mean), currency)
		if c := a.Effects.Value(results.CostPerFirmSaved); c.N >= 2 && !math.IsNaN(c.Lo) && !math.IsNaN(c.Hi) {
			s += fmt.Sprintf(" (95%% interval %s to %s)", results.Compact(c.Lo), results.Compact(c.Hi))
		}
		if j := a.Effects.Value(results.CostPerJobSaved); jobs.Mean > 0 && !math.IsNaN(j.Mean) {
			s += fmt.Sprintf(" and %s %s per job saved", results.Compact(j.Mean), currency)
		}
	}
	return s + "."
}

// summaryWarnings lists what a reader must know before quoting the run:
// extreme outcomes, banks with negative capital, effects not established
// or split in two, budgets used up, and facts missed or not checked.
func summaryWarnings(r *Run, firms float64, reps int, opts ReportOptions) []string {
	sum := r.Summary
	var out []string
	if reps == 1 {
		out = append(out, "One replication: no intervals, and any number may be chance. Run more (smesim run -r 20) before drawing conclusions.")
	}
	base := sum.Get("baseline")
	if base != nil && base.Headline.Value(results.Failures).Mean == 0 {
		out = append(out, "No firm failed in the baseline: the shock does not push any firm over, so no intervention can save one.")
	}
	for _, a := range sum.Arms {
		if f := a.Headline.Value(results.Failures).Mean; firms > 0 && f/firms > mostFail {
			out = append(out, fmt.Sprintf("Extreme outcome: in %s, %s of firms fail (%s of %s). Check the shock's depth and duration and the firms' cash runway before relying on it.",
				a.Arm, pct(f/firms), results.Compact(f), results.Compact(firms)))
		}
	}
	series, repIDs, _ := indexSeries(r, []string{"bank_capital", results.Failures})
	for _, arm := range r.Arms {
		capital := series[[2]string{arm, "bank_capital"}]
		n, lowest := 0, math.Inf(1)
		for _, rep := range capital {
			m := math.Inf(1)
			for _, v := range rep {
				if !math.IsNaN(v) {
					m = math.Min(m, v)
				}
			}
			if m < 0 {
				n++
				lowest = math.Min(lowest, m)
			}
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("Banks' capital goes negative in %d of %s of %s (lowest %s %s): the banks are insolvent, and what they lend after that is not realistic.",
				n, plural(len(capital), "replication"), arm, results.Compact(lowest), r.Config.Currency))
		}
	}
	for _, a := range sum.Arms {
		if a.Effects == nil {
			continue
		}
		if saved := a.Effects.Value(results.FirmsSaved); saved.N >= 2 && saved.Lo <= 0 && saved.Hi >= 0 {
			out = append(out, fmt.Sprintf("The firms saved by %s (%s) have a 95%% interval from %s to %s, which includes zero: the effect is not established.",
				a.Arm, results.Compact(saved.Mean), results.Compact(saved.Lo), results.Compact(saved.Hi)))
		}
		if lo, hi, nLo, nHi, ok := splitInTwo(pairedSaved(series, repIDs, "baseline", a.Arm)); ok {
			out = append(out, fmt.Sprintf("The firms saved by %s split into two groups across replications: %d around %s and %d around %s. The mean hides two different outcomes (see the effects figure).",
				a.Arm, nLo, results.Compact(lo), nHi, results.Compact(hi)))
		}
		for _, iv := range a.Interventions {
			if iv.ExhaustedShare > 0 && a.Arm == iv.Name {
				out = append(out, fmt.Sprintf("The budget of %s, %s %s, ran out in %s of the replications: its saving measures the budget as much as the instrument.",
					iv.Name, results.Compact(iv.Budget), r.Config.Currency, pct(iv.ExhaustedShare)))
			}
		}
	}
	switch {
	case opts.FactsError != "":
		out = append(out, "The scenario's facts could not be checked: "+opts.FactsError)
	case len(opts.Facts) > 0:
		var missed []string
		for _, f := range opts.Facts {
			if !f.Pass {
				missed = append(missed, f.Name)
			}
		}
		if len(missed) > 0 {
			out = append(out, fmt.Sprintf("%d of %d observed facts are not reproduced (%s): see Facts check.", len(missed), len(opts.Facts), strings.Join(missed, "; ")))
		}
	}
	return out
}

// pairedSaved returns, per replication both arms have, the failures of
// base less those of arm: the firms arm saved in that replication.
func pairedSaved(series map[[2]string][][]float64, repIDs map[string][]int, base, arm string) []float64 {
	total := func(rep []float64) float64 {
		s := 0.0
		for _, v := range rep {
			if !math.IsNaN(v) {
				s += v
			}
		}
		return s
	}
	b, a := series[[2]string{base, results.Failures}], series[[2]string{arm, results.Failures}]
	slotOf := map[int]int{}
	for i, id := range repIDs[base] {
		slotOf[id] = i
	}
	var out []float64
	for i, id := range repIDs[arm] {
		if j, ok := slotOf[id]; ok && i < len(a) && j < len(b) {
			out = append(out, total(b[j])-total(a[i]))
		}
	}
	return out
}

// splitInTwo reports whether xs (firms saved per replication) fall into
// two groups: sorted, they span at least splitMinSpan firms, and the
// widest gap between neighbours is more than splitGap of that span and
// leaves at least splitShare of the values on each side. It returns the groups'
// means and sizes.
func splitInTwo(xs []float64) (lo, hi float64, nLo, nHi int, ok bool) {
	if len(xs) < splitMinReps {
		return 0, 0, 0, 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	span := s[len(s)-1] - s[0]
	if span < splitMinSpan {
		return 0, 0, 0, 0, false
	}
	at, gap := 0, 0.0
	for i := 1; i < len(s); i++ {
		if d := s[i] - s[i-1]; d > gap {
			at, gap = i, d
		}
	}
	minSide := int(math.Ceil(splitShare * float64(len(s))))
	if gap <= splitGap*span || at < minSide || len(s)-at < minSide {
		return 0, 0, 0, 0, false
	}
	mean := func(v []float64) float64 {
		t := 0.0
		for _, x := range v {
			t += x
		}
		return t / float64(len(v))
	}
	return mean(s[:at]), mean(s[at:]), at, len(s) - at, true
}

// factsSection writes the facts check: each observed fact, its target
// and tolerance, the simulated mean with its interval, and whether it is
// reproduced.
func (b *reportBuilder) factsSection(opts ReportOptions) {
	if len(opts.Facts) == 0 && opts.FactsError == "" {
		return
	}
	b.section("facts", "Facts check")
	if opts.FactsError != "" {
		b.p("The scenario's [[facts]] could not be checked on this run: " + opts.FactsError)
		b.end("section")
		return
	}
	pass := 0
	for _, f := range opts.Facts {
		if f.Pass {
			pass++
		}
	}
	b.p(fmt.Sprintf("%d of %d observed facts reproduced: a fact is reproduced when the simulated mean lies within the tolerance of the observed value (smesim check-facts prints the same check).", pass, len(opts.Facts)))
	b.raw("<table class=\"num\">\n<thead><tr><th>fact</th><th>arm</th><th>observed</th><th>simulated mean</th><th>95% interval</th><th>reproduced</th></tr></thead>\n<tbody>\n")
	for _, f := range opts.Facts {
		num := func(v float64) string {
			if f.Share {
				return pct(v)
			}
			return results.Compact(v)
		}
		name := esc(f.Name)
		if f.Source != "" {
			name += "<br><span class=\"source\">" + esc(f.Source) + "</span>"
		}
		b.raw("<tr><th scope=\"row\">" + name + "</th><td>" + esc(f.Arm) + "</td><td>" + esc(num(f.Target)+" ± "+num(f.Tolerance)) + "</td><td>" +
			esc(num(f.Mean)) + "</td><td>" + esc(num(f.Lo)+" to "+num(f.Hi)) + "</td><td>" + pick(f.Pass, "yes", "<strong>no</strong>") + "</td></tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
	b.end("section")
}
