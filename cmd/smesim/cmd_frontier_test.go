package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// frontierScenario is armsScenario with a [frontier] of three budgets
// and the mix of both interventions.
const frontierScenario = armsScenario + `
[frontier]
budgets = [1e6, 1e7,
  1e8]
mixes = ["loans+guar"]
`

func TestFrontierBadInput(t *testing.T) {
	inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	writeFile(t, "neg.toml", strings.Replace(frontierScenario, "1e8]", "-1e8]", 1))
	writeFile(t, "mix.toml", strings.Replace(frontierScenario, `"loans+guar"`, `"loans+cash"`, 1))
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"frontier", "arms.toml", "--budgets", "1e6,0"}, []string{`--budgets: "0": each budget must be a number > 0`}},
		{[]string{"frontier", "arms.toml", "--budgets", "-5"}, []string{`--budgets: "-5"`}},
		{[]string{"frontier", "arms.toml", "--budgets", "1e6,,2e6"}, []string{`--budgets: ""`}},
		{[]string{"frontier", "arms.toml"}, []string{"smesim frontier needs budgets"}},
		{[]string{"frontier", "neg.toml"}, []string{"neg.toml:", "frontier.budgets[2]: -1e+08 is out of range: allowed > 0"}},
		{[]string{"validate", "neg.toml"}, []string{"neg.toml:", "frontier.budgets[2]"}},
		{[]string{"frontier", "mix.toml"}, []string{"mix.toml:", `frontier.mixes[0]: "cash" is not an intervention of the scenario`}},
		{[]string{"frontier", "arms.toml", "--budgets", "1e6", "--mixes", "loans+loans"}, []string{`frontier.mixes[0]: names "loans" twice`}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			badInputOneLine(t, c.args, c.want...)
		})
	}
	// The line of a bad budget is the line it is on.
	line := badInputOneLine(t, []string{"frontier", "neg.toml"})
	wantLine := strings.Count(frontierScenario[:strings.Index(frontierScenario, "1e8]")], "\n") + 1
	if !strings.Contains(line, "neg.toml:"+strconv.Itoa(wantLine)+":") {
		t.Errorf("%q does not name line %d", line, wantLine)
	}
}

// TestFrontierShardsResumeAndMerge: a frontier resumes, and its shards
// merged write the same frontier.csv as one run.
func TestFrontierShardsResumeAndMerge(t *testing.T) {
	inTempDir(t)
	writeFile(t, "f.toml", frontierScenario)
	code, out, errs := smesim(t, "frontier", "f.toml", "--out", "whole", "--plots", "png", "--progress", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "3 budgets × 4 arms × 3 replications = 36 runs (36 run now") {
		t.Errorf("stdout:\n%s", out)
	}
	for _, m := range []string{"firms_saved", "jobs_saved", "cost_per_firm_saved", "cost_per_job_saved"} {
		if _, err := os.Stat(filepath.Join("whole", "plots", "frontier-"+m+".png")); err != nil {
			t.Error(err)
		}
	}
	whole, err := os.ReadFile(filepath.Join("whole", frontierFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(whole)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0]+" "+r[1])
	}
	want := []string{"1000000 loans", "1000000 guar", "1000000 loans+guar", "10000000 loans", "10000000 guar", "10000000 loans+guar",
		"100000000 loans", "100000000 guar", "100000000 loans+guar"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if !slices.Equal(rows[0][:5], []string{"budget", "instrument", "firms_saved", "firms_saved_lo", "firms_saved_hi"}) {
		t.Errorf("header %q", rows[0])
	}
	code, out, _ = smesim(t, "frontier", "f.toml", "--out", "whole", "--plots", "none", "--progress", "none")
	if code != 0 || !strings.Contains(out, "(0 run now, 36 already done)") {
		t.Errorf("resume: exit %d:\n%s", code, out)
	}
	for _, s := range []string{"0/2", "1/2"} {
		if code, _, errs := smesim(t, "frontier", "f.toml", "--out", "shard"+s[:1], "--shard", s, "--progress", "none"); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", s, code, errs)
		}
	}
	if code, _, errs := smesim(t, "merge", "shard0", "shard1", "--out", "merged", "--plots", "none"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	merged, err := os.ReadFile(filepath.Join("merged", frontierFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(merged, whole) {
		t.Errorf("merged frontier.csv differs from the whole run's:\n%s\n%s", merged, whole)
	}
}

// TestTargetingBadInput: an unknown targeting key and a priority the kind
// cannot use are one line naming the file and line, exit 2.
func TestTargetingBadInput(t *testing.T) {
	inTempDir(t)
	base := "name = \"t\"\n[[interventions]]\nkind = \"%s\"\nend = \"26w\"\nbudget = 1e6\n%s\n"
	cases := []struct {
		kind, line string
		want       []string
	}{
		{"policy-loan", `target_runway = "2mo"`, []string{"t.toml:6:", "interventions[0].target_runway: unknown key"}},
		{"loan-guarantee", `priority = "most-in-need"`, []string{"t.toml:6:", "interventions[0].priority", "only policy-loan takes a priority"}},
		{"supply-chain-finance", `priority = "random"`, []string{"t.toml:6:", "supply-chain-finance scales every eligible request down pro rata"}},
		{"policy-loan", `priority = "largest"`, []string{"t.toml:6:", `"largest" is not allowed: allowed first-come, most-in-need, network-impact, random`}},
		{"policy-loan", "priority = \"random\"\nallocation = \"most-in-need\"", []string{"t.toml:6:", "priority replaces allocation"}},
		{"tax-relief", `bank_credit = "some"`, []string{"t.toml:6:", "bank_credit"}},
		{"interest-subsidy", `chains = [-1]`, []string{"t.toml:6:", "chains[0]"}},
	}
	for _, c := range cases {
		t.Run(c.kind+" "+c.line, func(t *testing.T) {
			writeFile(t, "t.toml", fmt.Sprintf(base, c.kind, c.line))
			badInputOneLine(t, []string{"validate", "t.toml"}, c.want...)
		})
	}
}

func TestOptimiseBadInput(t *testing.T) {
	inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"optimise", "arms.toml", "--arm", "loans"}, "--arm loans: 1 intervention with a budget: a split needs at least 2"},
		{[]string{"optimise", "arms.toml", "--arm", "nope"}, `--arm: arm "nope"`},
		{[]string{"optimise", "arms.toml", "--budget", "-1"}, "--budget -1: must be > 0"},
		{[]string{"optimise", "arms.toml", "--steps", "0"}, "--steps 0: must be between 1 and 20"},
		{[]string{"optimise", "arms.toml", "--first", "9", "-r", "4"}, "--first 9: must be between 1 and the replications, 4"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) { badInputOneLine(t, c.args, c.want) })
	}
	code, out, errs := smesim(t, "optimise", "arms.toml", "-r", "4", "--first", "2", "--steps", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"3 splits in steps of 1/2", "best split:", "scenario split:  loans 33.3%, guar 66.7%", "gain of the best split:"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}
