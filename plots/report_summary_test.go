package plots

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// summaryText writes r's report with opts and returns its summary
// section as plain text (tags dropped, entities decoded), and the page.
func summaryText(t *testing.T, r *Run, opts ReportOptions) (summary, page string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReportWith(path, r, nil, opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page = string(data)
	m := regexp.MustCompile(`(?s)<section id="summary">(.*?)</section>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no summary section")
	}
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " ")
	return strings.Join(strings.Fields(html.UnescapeString(text)), " "), page
}

// TestReportSummary: the report opens with an executive summary in words
// (what was run, the baseline's failures with their interval, what each
// arm saved at what cost and how sure) before the table of contents, and
// a facts check when the scenario has facts.
func TestReportSummary(t *testing.T) {
	r, err := LoadRun("testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	facts := ReportOptions{Facts: []ReportFact{
		{Name: "failures by June", Source: "a survey", Arm: "baseline", Target: 0.2, Tolerance: 0.05, Mean: 0.25, Lo: 0.2, Hi: 0.3, Share: true, Pass: true},
		{Name: "output in Q2", Source: "statistics office", Arm: "loans", Target: 120, Tolerance: 10, Mean: 90, Lo: 85, Hi: 95, Pass: false},
	}}
	summary, page := summaryText(t, r, facts)
	for _, want := range []string{
		"What was run: plots-fixture over",
		"with 3 replications per arm",
		"Without intervention (baseline), 16 of 64 firms failed on average (25%), 95% interval -1.39 to 33.4",
		"loans: 10.7 firms saved (95% interval -6.24 to 27.6) — the interval includes zero, so no effect on failures is established",
		"guarantee saved 3 firms (95% interval 0.516 to 5.48)",
		"How sure: the intervals are 95% intervals over the 3 replications",
		"The firms saved by loans (10.7) have a 95% interval from -6.24 to 27.6, which includes zero: the effect is not established.",
		"1 of 2 observed facts are not reproduced (output in Q2): see Facts check.",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if s, n := strings.Index(page, `<section id="summary">`), strings.Index(page, "<nav>"); s < 0 || n < 0 || s > n {
		t.Errorf("the summary (at %d) does not come before the table of contents (at %d)", s, n)
	}
	for _, want := range []string{
		`<section id="facts">`,
		"1 of 2 observed facts reproduced",
		"<th scope=\"row\">failures by June<br><span class=\"source\">a survey</span></th><td>baseline</td><td>20% ± 5%</td><td>25%</td><td>20% to 30%</td><td>yes</td>",
		"<th scope=\"row\">output in Q2<br><span class=\"source\">statistics office</span></th><td>loans</td><td>120 ± 10</td><td>90</td><td>85 to 95</td><td><strong>no</strong></td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}

	_, page = summaryText(t, r, ReportOptions{})
	if strings.Contains(page, `<section id="facts">`) {
		t.Error("a facts section without facts")
	}
	summary, page = summaryText(t, r, ReportOptions{FactsError: "firms.csv holds no rows"})
	if !strings.Contains(summary, "The scenario's facts could not be checked: firms.csv holds no rows") ||
		!strings.Contains(page, "could not be checked on this run: firms.csv holds no rows") {
		t.Errorf("an unchecked fact is not said: %s", summary)
	}
}

// TestReportWarnings: the summary warns of what a reader must know
// before quoting a number, each case on a copy of the fixture changed to
// show it.
func TestReportWarnings(t *testing.T) {
	cases := []struct {
		name   string
		change func(r *Run)
		want   string
	}{
		{"most firms fail", func(r *Run) {
			// 40 of 64 firms fail in the baseline (40 + 24 still active).
			setStat(r.Summary.Get("baseline").Headline, results.Failures, 40)
			setStat(r.Summary.Get("baseline").Final, "firms_active", 24)
		}, "Extreme outcome: in baseline, 62.5% of firms fail (40 of 64)."},
		{"bank capital negative", func(r *Run) {
			for i, row := range r.Timeseries {
				if row.Metric == "bank_capital" && row.Arm == "guarantee" && row.Replication == r.Timeseries[0].Replication && row.Step == 5 {
					r.Timeseries[i].Value = -2.5e6
				}
			}
		}, "Banks' capital goes negative in 1 of 3 replications of guarantee (lowest -2.5M CNY)"},
		{"no failure", func(r *Run) {
			setStat(r.Summary.Get("baseline").Headline, results.Failures, 0)
		}, "No firm failed in the baseline"},
		{"budget used up", func(r *Run) {
			a := r.Summary.Get("guarantee")
			a.Interventions[0].ExhaustedShare = 2.0 / 3
		}, "The budget of guarantee, "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := LoadRun("testdata/run")
			if err != nil {
				t.Fatal(err)
			}
			before, _ := summaryText(t, r, ReportOptions{})
			if strings.Contains(before, c.want) {
				t.Fatalf("the fixture warns %q already", c.want)
			}
			c.change(r)
			after, _ := summaryText(t, r, ReportOptions{})
			if !strings.Contains(after, c.want) {
				t.Errorf("no warning %q in:\n%s", c.want, after)
			}
		})
	}
}

// setStat sets the mean of metric in stats.
func setStat(stats results.Stats, metric string, mean float64) {
	for i := range stats {
		if stats[i].Metric == metric {
			stats[i].Mean = mean
		}
	}
}

// TestSplitInTwo: an effect splits in two when, over at least 10
// replications spanning at least 10 firms, the widest gap between sorted
// values exceeds half their span with a fifth of them on each side.
func TestSplitInTwo(t *testing.T) {
	cases := []struct {
		name     string
		xs       []float64
		split    bool
		lo, hi   float64
		nLo, nHi int
	}{
		{"two groups (china-2020's mix)", []float64{280, 300, 293, 1250, 1270, 1240, 1260, 1280, 1255, 1265}, true, 291, 1260, 3, 7},
		{"one group", []float64{10, 12, 11, 13, 9, 10, 14, 12, 11, 10}, false, 0, 0, 0, 0},
		{"counts 0 and 1", []float64{0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, false, 0, 0, 0, 0},
		{"one outlier", []float64{100, 101, 102, 100, 99, 101, 100, 102, 98, 400}, false, 0, 0, 0, 0},
		{"too few replications", []float64{0, 0, 0, 0, 100, 100, 100, 100, 100}, false, 0, 0, 0, 0},
		{"spread evenly", []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, false, 0, 0, 0, 0},
	}
	for _, c := range cases {
		lo, hi, nLo, nHi, ok := splitInTwo(c.xs)
		if ok != c.split || lo != c.lo || hi != c.hi || nLo != c.nLo || nHi != c.nHi {
			t.Errorf("%s: splitInTwo = %g, %g, %d, %d, %v; want %g, %g, %d, %d, %v", c.name, lo, hi, nLo, nHi, ok, c.lo, c.hi, c.nLo, c.nHi, c.split)
		}
	}
}

// TestFirmCountLeavesOutEntryPool (issue 15): the report counts the firms
// active at the start and gives the entry pool beside them — firms that
// entered during the run or stayed dormant — in the network words and in
// the count the baseline's failures are set against. It counted the pool
// in before (2,720 firms for china-2020's 2,096).
func TestFirmCountLeavesOutEntryPool(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Network.Chains = 1
	row := func(rep int, kind, status string, entered int) results.FirmRow {
		return results.FirmRow{Arm: "baseline", Replication: rep, Kind: kind, Status: status, EnteredStep: entered}
	}
	var firms []results.FirmRow
	for rep := range 2 {
		firms = append(firms, row(rep, "core", "active", -1), row(rep, "sme", "failed", -1), row(rep, "sme", "exited", -1),
			row(rep, "sme", "active", 7), row(rep, "sme", "failed", 12), row(rep, "sme", "dormant", -1))
	}
	r := &Run{Config: &cfg, Firms: firms}
	const want = "Network: 3 firms (+3 in the entry pool) — 1 core enterprise and 2 SMEs — 1 industrial chain of core enterprises"
	if got := networkWords(r); !strings.HasPrefix(got, want) {
		t.Errorf("networkWords = %q, want it to start %q", got, want)
	}
	if got := firmCount(r); got != 3 {
		t.Errorf("firmCount = %v, want 3", got)
	}
}
