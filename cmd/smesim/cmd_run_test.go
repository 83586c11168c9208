package main

import (
	"math"
	"os"
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
var tableHeader = []string{"arm", "failures", "jobs lost", "fiscal cost (CNY)", "firms saved", "CNY per firm saved"}

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
	costRe = regexp.MustCompile(`^(n/a|not significant|` + numberRe + ` \[` + numberRe + `, ` + numberRe + `\])$`)
	numRe  = regexp.MustCompile(`^` + numberRe + `$`)
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
					if !numRe.MatchString(r[k]) {
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
				if !costRe.MatchString(r[5]) {
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
	eff := func(saved, lo, hi, ratio, rlo, rhi float64, n int) results.Stats {
		return results.Stats{st(results.FirmsSaved, saved, lo, hi, n), st(results.CostPerFirmSaved, ratio, rlo, rhi, n)}
	}
	sum := results.Summary{Confidence: 0.95, Arms: []results.Arm{
		{Arm: "baseline", Headline: head(123.45, 4567, 0)},
		// Significant: cost per firm saved with its Fieller interval.
		{Arm: "loans", Headline: head(100.05, 3999.6, 1.234e8), Effects: eff(23.4, 20.3, 26.5, 5.27e6, 4.6e6, 6.1e6, 20)},
		// Not significantly above 0: unbounded.
		{Arm: "guar", Headline: head(122, 4500, -2.5e5), Effects: eff(1.45, -0.55, 3.45, -172414, nan, nan, 20)},
		// Fewer failures nowhere: undefined.
		{Arm: "loans+guar", Headline: head(124, 4600, 2e9), Effects: eff(-0.5, -1.5, 0.5, nan, nan, nan, 20)},
		// One replication: no intervals.
		{Arm: "moratorium", Headline: head(120, 4400, 0), Effects: eff(3, 3, 3, 0, 0, 0, 1)},
	}}
	var b strings.Builder
	writeArmTable(&b, sum, "CNY")
	want := "" +
		"arm         failures  jobs lost  fiscal cost (CNY)  firms saved  CNY per firm saved\n" +
		"baseline    123       4.57k      0                  —            —\n" +
		"loans       100       4k         123M               23.4 ± 3.1   5.27M [4.6M, 6.1M]\n" +
		"guar        122       4.5k       -250k              1.45 ± 2     not significant\n" +
		"loans+guar  124       4.6k       2B                 -0.5 ± 1     n/a\n" +
		"moratorium  120       4.4k       0                  3            0\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if rows := tableCells(t, b.String()); len(rows) != len(sum.Arms) {
		t.Errorf("%d rows parsed, want %d", len(rows), len(sum.Arms))
	}
}

func TestCompact(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{3, "3"},
		{12.345, "12.3"},
		{0.5, "0.5"},
		{0.01234, "0.0123"},
		{456, "456"},
		{999.7, "1k"},
		{1234, "1.23k"},
		{45678, "45.7k"},
		{1e6, "1M"},
		{1.2e8, "120M"},
		{-3.59e5, "-359k"},
		{2.5e9, "2.5B"},
		{7.77e12, "7.77T"},
		{1.5e18, "1.5e+18"},
		{1e-5, "1e-05"},
		{math.NaN(), "n/a"},
		{math.Inf(1), "+Inf"},
	}
	for _, c := range cases {
		if got := plots.Compact(c.v); got != c.want {
			t.Errorf("plots.Compact(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
