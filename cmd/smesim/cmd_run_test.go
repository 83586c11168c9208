package main

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smesim/smesim/plots"
	"github.com/smesim/smesim/sim/results"
)

// armsScenario is a small scenario with two interventions: its default
// arms are baseline, loans, guar and all.
const armsScenario = `name = "arms"
seed = 3
replications = 3
steps = 30

[network]
chains = 1
cores_per_chain = 1
suppliers_per_chain = 8
raw_materials_per_chain = 12
distributors_per_chain = 10

[[shocks]]
kind = "demand"
market = "domestic"
start = "4w"
duration = "12w"
depth = 0.4

[[interventions]]
kind = "policy-loan"
name = "loans"
from = "shock"
end = "6mo"
budget = 5e7

[[interventions]]
kind = "loan-guarantee"
name = "guar"
from = "shock"
end = "6mo"
budget = 1e8
`

// tableHeader is the header of the arm table for currency CNY.
var tableHeader = []string{"arm", "failures", "jobs lost", "fiscal cost (CNY)", "firms saved", "CNY per firm saved", "jobs saved", "CNY per job saved", "deadweight"}

// tableCells splits the table of a run's stdout into rows of cells, cut
// at the columns where the header's cells start (in runes: "—" and "±" are
// one column wide). It fails unless the header is tableHeader.
func tableCells(t *testing.T, out string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	h := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "arm ") })
	if h < 0 {
		t.Fatalf("no table header in:\n%s", out)
	}
	header := []rune(lines[h])
	var starts []int
	for _, name := range tableHeader {
		at := strings.Index(string(header), name)
		if at < 0 {
			t.Fatalf("header %q lacks column %q", lines[h], name)
		}
		starts = append(starts, len([]rune(string(header)[:at])))
	}
	var rows [][]string
	for _, l := range lines[h:] {
		r := []rune(l)
		if !strings.Contains(l, "  ") || len(r) < starts[len(starts)-1] {
			break // the footnote after the table: no padding
		}
		var cells []string
		for i, s := range starts {
			end := len(r)
			if i+1 < len(starts) {
				end = starts[i+1]
			}
			cells = append(cells, strings.TrimSpace(string(r[s:end])))
		}
		rows = append(rows, cells)
	}
	if !slices.Equal(rows[0], tableHeader) {
		t.Fatalf("header cells %q, want %q", rows[0], tableHeader)
	}
	return rows[1:]
}

var (
	numberRe = `-?\d+(\.\d+)?[kMBT]?`
	// savedRe matches a firms-saved cell: mean ± half-width.
	savedRe = regexp.MustCompile(`^` + numberRe + ` ± ` + numberRe + `$`)
	// costRe matches a cost-per-firm-saved cell.
	costRe = regexp.MustCompile(`^(n/a|not significant|(saves )?` + numberRe + `( net)? \[(` + numberRe + `, ` + numberRe + `|saves ` + numberRe + ` – costs ` + numberRe + `)\])$`)
	numRe  = regexp.MustCompile(`^` + numberRe + `$`)
	// netRe matches a net gain to the state.
	netRe = regexp.MustCompile(`^saves ` + numberRe + ` net$`)
)

func TestRunArms(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	cases := []struct {
		args []string
		arms []string
	}{
		{nil, []string{"baseline", "loans", "guar", "all"}},
		{[]string{"--arms", "loans"}, []string{"baseline", "loans"}},
		{[]string{"--arms", "guar, loans+guar,baseline"}, []string{"baseline", "guar", "loans+guar"}},
		{[]string{"--arms=all", "-r", "1"}, []string{"baseline", "all"}},
	}
	for i, c := range cases {
		name := strings.Join(c.args, " ")
		if name == "" {
			name = "scenario's arms"
		}
		t.Run(name, func(t *testing.T) {
			dir := "out" + string(rune('a'+i))
			code, out, errs := smesim(t, append([]string{"run", "arms.toml", "--out", dir}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			if !strings.HasPrefix(out, "wrote "+dir+"\n") {
				t.Errorf("stdout does not start with the directory:\n%s", out)
			}
			if n := strings.Count(out, "\n"); n > 12 {
				t.Errorf("%d lines of output, want at most 12:\n%s", n, out)
			}
			rows := tableCells(t, out)
			var got []string
			for _, r := range rows {
				got = append(got, r[0])
			}
			if !slices.Equal(got, c.arms) {
				t.Fatalf("table arms %q, want %q:\n%s", got, c.arms, out)
			}
			single := slices.Contains(c.args, "1")
			for _, r := range rows {
				for k := 1; k <= 3; k++ {
					if !numRe.MatchString(r[k]) && !(k == 3 && netRe.MatchString(r[k])) {
						t.Errorf("arm %s: %s cell %q is not a number", r[0], tableHeader[k], r[k])
					}
				}
				if r[0] == "baseline" {
					if r[4] != "—" || r[5] != "—" {
						t.Errorf("baseline effect cells %q, %q; want —", r[4], r[5])
					}
					continue
				}
				if single {
					if !numRe.MatchString(r[4]) {
						t.Errorf("arm %s, one replication: firms saved %q, want a number", r[0], r[4])
					}
				} else if !savedRe.MatchString(r[4]) {
					t.Errorf("arm %s: firms saved %q, want mean ± half-width", r[0], r[4])
				}
				// One replication gives no interval: the mean alone.
				if !costRe.MatchString(r[5]) && !(single && (numRe.MatchString(r[5]) || netRe.MatchString(r[5]))) {
					t.Errorf("arm %s: cost per firm saved %q", r[0], r[5])
				}
			}
			s, err := results.ReadSummary(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range s.Arms {
				if a.Arm != c.arms[i] || (a.Effects == nil) != (i == 0) {
					t.Errorf("summary arm %d: %s with effects %v", i, a.Arm, a.Effects)
				}
			}
		})
	}
}

func TestRunArmsBad(t *testing.T) {
	dir := inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"arms.toml", "--arms", "bogus"}, []string{"--arms", `arm "bogus"`, "allowed baseline, loans, guar, all"}},
		{[]string{"arms.toml", "--arms", "loans,bogus"}, []string{`"bogus" is not an intervention`}},
		{[]string{"arms.toml", "--arms", "loans+bogus"}, []string{`arm "loans+bogus"`, `"bogus"`}},
		{[]string{"arms.toml", "--arms", "loans,,guar"}, []string{"empty name", "allowed baseline, loans, guar, all"}},
		{[]string{"arms.toml", "--arms", ""}, []string{"--arms", "empty name"}},
		{[]string{"arms.toml", "--arms", "loans+loans"}, []string{`names "loans" twice`}},
		{[]string{"--arms", "all"}, []string{`arm "all"`, "no interventions"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errs := smesim(t, append([]string{"run", "--out", "res"}, c.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errs)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			oneErrorLine(t, errs, c.want...)
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d entries after failed runs, want only arms.toml", len(entries))
	}
}

func TestArmTable(t *testing.T) {
	nan := math.NaN()
	st := func(name string, mean, lo, hi float64, n int) results.Stat {
		return results.Stat{Metric: name, Mean: mean, Lo: lo, Hi: hi, SD: nan, N: n}
	}
	head := func(fail, jobs, cost float64) results.Stats {
		return results.Stats{st(results.Failures, fail, nan, nan, 20), st(results.JobsLost, jobs, nan, nan, 20), st(results.FiscalCost, cost, nan, nan, 20)}
	}
	// Each firm saved is 40 jobs: jobs saved and the cost per job saved
	// follow from the firms'.
	eff := func(saved, lo, hi, ratio, rlo, rhi float64, n int) results.Stats {
		return results.Stats{st(results.FirmsSaved, saved, lo, hi, n), st(results.CostPerFirmSaved, ratio, rlo, rhi, n),
			st(results.JobsSaved, 40*saved, 40*lo, 40*hi, n), st(results.CostPerJobSaved, ratio/40, rlo/40, rhi/40, n)}
	}
	dead := func(name string, share, lo, hi float64) results.Intervention {
		return results.Intervention{Name: name, Additionality: &results.Additionality{DeadweightShare: st("deadweight_share", share, lo, hi, 20)}}
	}
	sum := results.Summary{Confidence: 0.95, Arms: []results.Arm{
		{Arm: "baseline", Headline: head(123.45, 4567, 0)},
		// Significant: cost per firm saved with its Fieller interval.
		{Arm: "loans", Headline: head(100.05, 3999.6, 1.234e8), Effects: eff(23.4, 20.3, 26.5, 5.27e6, 4.6e6, 6.1e6, 20),
			Interventions: []results.Intervention{dead("loans", 0.173, 0.0988, 0.247)}},
		// Not significantly above 0: unbounded.
		{Arm: "guar", Headline: head(122, 4500, -2.5e5), Effects: eff(1.45, -0.55, 3.45, -172414, nan, nan, 20)},
		// A net gain to the state, significant.
		{Arm: "fees", Headline: head(100, 4000, -6.38e6), Effects: eff(195, 160, 230, -32700, -39700, -27700, 20)},
		// Fewer failures nowhere: undefined.
		{Arm: "loans+guar", Headline: head(124, 4600, 2e9), Effects: eff(-0.5, -1.5, 0.5, nan, nan, nan, 20),
			Interventions: []results.Intervention{dead("loans", 0.5, 0.42, 0.56), dead("guar", 0.98, 0.97, 0.99)}},
		// One replication: no intervals.
		{Arm: "moratorium", Headline: head(120, 4400, 0), Effects: eff(3, 3, 3, 0, 0, 0, 1)},
	}}
	var b strings.Builder
	writeArmTable(&b, sum, "CNY")
	want := "" +
		"arm         failures  jobs lost  fiscal cost (CNY)  firms saved  CNY per firm saved              jobs saved   CNY per job saved         deadweight\n" +
		"baseline    123       4.57k      0                  —            —                               —            —                         —\n" +
		"loans       100       4k         123M               23.4 ± 3.1   5.27M [4.6M, 6.1M]              936 ± 124    132k [115k, 152k]         17.3% [9.88%, 24.7%]\n" +
		"guar        122       4.5k       saves 250k net     1.45 ± 2     not significant                 58 ± 80      not significant           —\n" +
		"fees        100       4k         saves 6.38M net    195 ± 35     saves 32.7k net [27.7k, 39.7k]  7.8k ± 1.4k  saves 818 net [692, 992]  —\n" +
		"loans+guar  124       4.6k       2B                 -0.5 ± 1     n/a                             -20 ± 40     n/a                       by instrument\n" +
		"moratorium  120       4.4k       0                  3            0                               120          0                         —\n" +
		"loans+guar: deadweight share of spending — loans 50% [42%, 56%], guar 98% [97%, 99%]\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if rows := tableCells(t, b.String()); len(rows) != len(sum.Arms) {
		t.Errorf("%d rows parsed, want %d", len(rows), len(sum.Arms))
	}
}

// withoutDeadweight removes from a run's stdout the arm table's deadweight
// column and the lines of deadweight by instrument.
func withoutDeadweight(out string) string {
	lines := strings.Split(out, "\n")
	col := -1
	var keep []string
	for _, l := range lines {
		if strings.HasPrefix(l, "arm ") {
			col = strings.Index(l, "deadweight")
		}
		if strings.Contains(l, ": deadweight share of spending") {
			continue
		}
		if col > 0 && len(l) > col && strings.Contains(l, "  ") {
			l = strings.TrimRight(string([]rune(l)[:len([]rune(l[:col]))]), " ")
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// TestRunRecordAggregate: --record aggregate writes the same time series as
// a full run, firms.csv and events.csv with their header only, the failure
// counts from the series, and a report that says what is not drawn; run as
// shards and merged, and as a sweep, it writes the same files.
func TestRunRecordAggregate(t *testing.T) {
	inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	code, fullOut, errs := smesim(t, "run", "arms.toml", "--out", "full", "--plots", "png")
	if code != 0 {
		t.Fatalf("full: exit %d: %s", code, errs)
	}
	code, aggOut, errs := smesim(t, "run", "arms.toml", "--record", "aggregate", "--out", "agg", "--plots", "png")
	if code != 0 {
		t.Fatalf("aggregate: exit %d: %s", code, errs)
	}
	read := func(dir, name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if a, b := read("full", results.TimeseriesFile), read("agg", results.TimeseriesFile); a != b || len(a) < 1000 {
		t.Errorf("timeseries.csv differs between full and aggregate records (%d and %d bytes)", len(a), len(b))
	}
	for name, header := range map[string][]string{results.FirmsFile: results.FirmsHeader, results.EventsFile: results.EventsHeader} {
		if got, want := read("agg", name), strings.Join(header, ",")+"\n"; got != want {
			t.Errorf("aggregate %s = %.200q, want the header only", name, got)
		}
		if strings.Count(read("full", name), "\n") < 2 {
			t.Errorf("full %s has no rows", name)
		}
	}
	if !strings.Contains(read("agg", results.ScenarioFile), `record = "aggregate"`) {
		t.Error(`scenario.toml does not record the override: no record = "aggregate"`)
	}
	// The printed tables agree: failures, jobs lost and effects come from
	// the series (jobs lost up to rounding, not seen at 3 digits). The
	// deadweight pairs firms, which an aggregate record does not keep: it
	// is "—" there.
	if strings.ReplaceAll(withoutDeadweight(fullOut), "full", "DIR") != strings.ReplaceAll(withoutDeadweight(aggOut), "agg", "DIR") {
		t.Errorf("printed summaries differ:\n%s\n%s", fullOut, aggOut)
	}
	full, err := results.ReadSummary("full")
	if err != nil {
		t.Fatal(err)
	}
	agg, err := results.ReadSummary("agg")
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range full.Arms {
		for _, m := range []string{results.Failures, results.SMEFailures, results.CoreFailures, results.FiscalCost} {
			f, _ := a.Headline.Get(m)
			g, _ := agg.Arms[i].Headline.Get(m)
			if f != g {
				t.Errorf("arm %s, %s: full %+v, aggregate %+v", a.Arm, m, f, g)
			}
		}
		for _, m := range []string{results.LargestCascade, results.MeanCascadeDepth} {
			if g, _ := agg.Arms[i].Headline.Get(m); g.N != 0 {
				t.Errorf("arm %s, %s: %+v from no events", a.Arm, m, g)
			}
		}
	}
	report := read("agg", "report.html")
	if !strings.Contains(report, "Figures not drawn") || !strings.Contains(report, "not split by channel") {
		t.Error("report.html does not say which figures an aggregate record leaves out")
	}
	if _, err := os.Stat(filepath.Join("agg", "plots", plots.FigCascadeCCDF+".png")); err == nil {
		t.Error("cascade figure drawn without events")
	}

	// Shards merged give the same files.
	for i := 0; i < 2; i++ {
		shard := string(rune('0' + i))
		if code, _, errs := smesim(t, "run", "arms.toml", "--record", "aggregate", "--shard", shard+"/2", "--out", "s"+shard); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs)
		}
	}
	if code, _, errs := smesim(t, "merge", "--out", "merged", "--plots", "none", "s0", "s1"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	for _, f := range []string{results.ScenarioFile, results.TimeseriesFile, results.FirmsFile, results.EventsFile, results.SummaryFile} {
		if read("agg", f) != read("merged", f) {
			t.Errorf("%s differs between the aggregate run and its merged shards", f)
		}
	}
	if code, _, errs := smesim(t, "plot", "agg"); code != 0 {
		t.Errorf("plot of an aggregate directory: exit %d: %s", code, errs)
	}
}

func TestRunRecordBad(t *testing.T) {
	dir := inTempDir(t)
	for _, cmd := range []string{"run", "sweep"} {
		code, out, errs := smesim(t, cmd, "small", "--record", "firms", "--out", "res")
		if code != 2 || out != "" {
			t.Errorf("%s: exit %d, stdout %q: want 2 and nothing", cmd, code, out)
		}
		oneErrorLine(t, errs, `--record "firms": allowed full, aggregate`)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d entries after a refused run", len(entries))
	}
}

// TestSweepRecordAggregate: a sweep with --record aggregate writes its
// points' firms.csv with the header only and the same sweep.csv rows for
// failures as a full sweep.
func TestSweepRecordAggregate(t *testing.T) {
	inTempDir(t)
	writeFile(t, "sw.toml", sweepScenario)
	for _, rec := range []string{"full", "aggregate"} {
		if code, _, errs := smesim(t, "sweep", "sw.toml", "--record", rec, "--out", rec, "--plots", "none"); code != 0 {
			t.Fatalf("%s: exit %d: %s", rec, code, errs)
		}
	}
	b, err := os.ReadFile(filepath.Join("aggregate", "points", "0", results.FirmsFile))
	if err != nil || string(b) != strings.Join(results.FirmsHeader, ",")+"\n" {
		t.Errorf("aggregate point 0 firms.csv = %.100q (%v), want the header only", b, err)
	}
	rows := func(dir string) []string {
		b, err := os.ReadFile(filepath.Join(dir, "sweep.csv"))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, ",failures,") || strings.Contains(l, ",firms_saved,") {
				out = append(out, l)
			}
		}
		return out
	}
	if f, a := rows("full"), rows("aggregate"); !slices.Equal(f, a) || len(f) == 0 {
		t.Errorf("sweep.csv failures rows differ:\n%q\n%q", f, a)
	}
}
