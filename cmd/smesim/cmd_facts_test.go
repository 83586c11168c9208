package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// factsScenario holds by construction: the domestic demand multiplier is
// 0.6 at full depth (steps 4 to 15, dated 2020-01-29 to 2020-04-15), and
// every firm has a number of jobs.
const factsScenario = `name = "facts"
seed = 3
replications = 2
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

[[facts]]
name = "demand at full depth"
source = "by construction"
quantity = "series-mean"
metric = "demand_domestic"
from = "2020-02-01"
to = "2020-04-01"
change = true
target = -0.4
tolerance = 0.001

[[facts]]
name = "firms with jobs"
quantity = "firm-share"
firms = "all"
column = "jobs"
target = 1
tolerance = 0
`

// factsRow returns the cells of the table row of fact name: the row cut at
// runs of two spaces or more.
func factsRow(t *testing.T, out, name string) []string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, name+"  ") {
			var cells []string
			for _, c := range strings.Split(l, "  ") {
				if c = strings.TrimSpace(c); c != "" {
					cells = append(cells, c)
				}
			}
			return cells
		}
	}
	t.Fatalf("no row %q in:\n%s", name, out)
	return nil
}

func TestCheckFacts(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	writeFile(t, "facts.toml", factsScenario)

	// Facts that hold: exit 0, the temporary results removed.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, out, errs := smesim(t, "check-facts", "facts.toml")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	if !strings.Contains(out, "fact  ") || !strings.Contains(out, "2 of 2 facts reproduced (means of 2 replications [95% intervals])\n") {
		t.Errorf("output:\n%s", out)
	}
	if got := factsRow(t, out, "demand at full depth"); len(got) != 7 || got[1] != "baseline" || got[2] != "-40.0%" || got[3] != "±0.1%" ||
		got[4] != "-40.0%" || got[5] != "ok" || got[6] != "by construction" {
		t.Errorf("demand row %q", got)
	}
	if got := factsRow(t, out, "firms with jobs"); len(got) != 6 || got[2] != "100.0%" || got[3] != "±0.0%" || got[5] != "ok" {
		t.Errorf("jobs row %q", got)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temporary results left behind: %v", entries)
	}

	// A target off by 20 points: exit 1, the fact marked MISS.
	writeFile(t, "off.toml", strings.Replace(factsScenario, "target = -0.4", "target = -0.2", 1))
	code, out, errs = smesim(t, "check-facts", "off.toml", "-r", "1")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q\n%s", code, errs, out)
	}
	oneErrorLine(t, errs, "1 of 2 facts missed")
	if got := factsRow(t, out, "demand at full depth"); got[2] != "-20.0%" || got[4] != "-40.0%" || got[5] != "MISS" {
		t.Errorf("missed row %q", got)
	}
	if !strings.Contains(out, "1 of 2 facts reproduced (means of 1 replication)\n") {
		t.Errorf("output:\n%s", out)
	}
	// Monte Carlo slack does not rescue a deterministic series.
	if code, _, _ := smesim(t, "check-facts", "off.toml", "--mc-slack"); code != 1 {
		t.Errorf("--mc-slack: exit %d, want 1", code)
	}

	// Kept results, checked again from the directory.
	code, out, errs = smesim(t, "check-facts", "facts.toml", "--out", "kept", "--workers", "1")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(out, "wrote kept\n") {
		t.Errorf("output:\n%s", out)
	}
	for _, f := range []string{results.ScenarioFile, results.TimeseriesFile, results.FirmsFile} {
		if _, err := os.Stat(filepath.Join("kept", f)); err != nil {
			t.Error(err)
		}
	}
	code, again, errs := smesim(t, "check-facts", "kept")
	if code != 0 {
		t.Fatalf("result directory: exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(again, "results kept\n") || !strings.HasSuffix(out, strings.SplitN(again, "\n", 2)[1]) {
		t.Errorf("the directory's table differs from the run's:\n%s\n---\n%s", out, again)
	}
}

// TestCheckFactsArms: the arm a fact measures runs even when --arms
// leaves it out, and "all" of one intervention is that intervention's arm.
func TestCheckFactsArms(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	withLoans := strings.Replace(factsScenario, "[[facts]]", `[[interventions]]
kind = "policy-loan"
name = "loans"
from = "shock"
end = "6mo"
budget = 5e7

[[facts]]`, 1)
	writeFile(t, "loans.toml", withLoans)
	code, out, errs := smesim(t, "check-facts", "loans.toml", "-r", "1", "--arms", "loans")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, errs, out)
	}
	if !strings.Contains(out, "arms baseline, loans\n") || factsRow(t, out, "demand at full depth")[1] != "loans" {
		t.Errorf("output:\n%s", out)
	}

	withArm := strings.Replace(factsScenario, `source = "by construction"`, `arm = "baseline"`, 1)
	writeFile(t, "arm.toml", withArm)
	if code, out, _ := smesim(t, "check-facts", "arm.toml", "-r", "1"); code != 0 || !strings.Contains(out, "1 replication, arm baseline\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCheckFactsBad(t *testing.T) {
	inTempDir(t)
	writeFile(t, "nofacts.toml", "name = \"nofacts\"\n")
	writeFile(t, "badfact.toml", factsScenario+"\n[[facts]]\nname = \"x\"\nquantity = \"reopened-share\"\ndate = \"2030-01-01\"\ntarget = 1\ntolerance = 0\n")
	if err := os.Mkdir("notresults", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join("notresults", "x"), "")
	if err := os.Mkdir("results", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join("results", results.TimeseriesFile), "")
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"nofacts.toml"}, []string{"nofacts.toml: the scenario has no [[facts]] to check"}},
		{[]string{"badfact.toml"}, []string{"badfact.toml:42: facts[2].date: 2030-01-01 is after the end of the run"}},
		{[]string{"notresults"}, []string{"notresults is a directory without timeseries.csv"}},
		{[]string{"results", "-r", "2"}, []string{"--replications applies when a scenario is run, not to the result directory results"}},
		{[]string{"results"}, []string{"scenario.toml"}},
		{[]string{"a", "b"}, []string{"at most one"}},
		{[]string{"nope"}, []string{"no such file, and no built-in scenario"}},
		{[]string{"small", "-r", "0"}, []string{"--replications 0"}},
		{[]string{"small", "--workers", "0"}, []string{"--workers 0"}},
		{[]string{"--bogus"}, []string{"unknown flag -bogus"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errs := smesim(t, append([]string{"check-facts"}, c.args...)...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q\n%s", code, errs, out)
			}
			oneErrorLine(t, errs, c.want...)
		})
	}
}

func TestCheckFactsHelp(t *testing.T) {
	code, out, _ := smesim(t, "check-facts", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"RESULT_DIR", "--replications", "--workers", "--arms", "--out DIR", "--mc-slack", "Exit status: 0 when every fact is reproduced, 1 when some fact is missed"} {
		if !strings.Contains(out, w) {
			t.Errorf("help does not mention %q:\n%s", w, out)
		}
	}
	if _, out, _ := smesim(t, "--help"); !strings.Contains(out, "check-facts") {
		t.Errorf("smesim --help does not list check-facts")
	}
}

func TestFmtFact(t *testing.T) {
	for _, c := range []struct {
		v     float64
		share bool
		want  string
	}{
		{0.1234, true, "12.3%"},
		{-0.205, true, "-20.5%"},
		{-0.00001, true, "0.0%"},
		{1, true, "100.0%"},
		{math.NaN(), true, "n/a"},
		{1234567, false, "1.23M"},
		{0.5, false, "0.5"},
	} {
		if got := fmtFact(c.v, c.share); got != c.want {
			t.Errorf("fmtFact(%g, %v) = %q, want %q", c.v, c.share, got, c.want)
		}
	}
	for _, c := range []struct {
		s     results.Stat
		share bool
		want  string
	}{
		{results.Stat{Mean: 0.5, Lo: 0.4, Hi: 0.6, N: 3}, true, "50.0% [40.0%, 60.0%]"},
		{results.Stat{Mean: 0.5, Lo: 0.49999, Hi: 0.50001, N: 3}, true, "50.0%"},
		{results.Stat{Mean: 0.5, Lo: 0.5, Hi: 0.5, N: 1}, true, "50.0%"},
		{results.Stat{Mean: 2e6, Lo: 1e6, Hi: 3e6, N: 3}, false, "2M [1M, 3M]"},
		{results.Stat{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, true, "n/a"},
	} {
		if got := fmtFactStat(c.s, c.share); got != c.want {
			t.Errorf("fmtFactStat(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
	if got := cut("abcdefghij", 5); got != "abcd…" {
		t.Errorf("cut = %q", got)
	}
}
