package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smesim/smesim/scenarios"
)

// postIntervention adds a tax relief to calScenario, so that a run has
// effects to report.
const postIntervention = `
[[interventions]]
kind = "tax-relief"
name = "relief"
from = "run"
start = "8w"
end = "20w"
budget = 1e7
tax_cut = 0
contribution_cut = 1.0
contribution_share = 0.23
`

// writePosteriorCase writes the scenario with an intervention and a
// posterior file of six particles for it (identity computed from the
// scenario, as smesim calibrate writes it), and returns their paths.
func writePosteriorCase(t *testing.T, dir string) (scenario, posterior string) {
	t.Helper()
	scenario = filepath.Join(dir, "cal.toml")
	src := calScenarioText(2, []float64{-0.3, 0.09, 0.8}) + postIntervention
	if err := os.WriteFile(scenario, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Parse(scenario, []byte(src), dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := scenarioIdentity(cfg)
	if err != nil {
		t.Fatal(err)
	}
	posterior = filepath.Join(dir, "post.csv")
	text := fmt.Sprintf(`# smesim posterior 1
# scenario: "calibration-test"
# identity: %s
# generation: 3
# simulations: 80
# tolerance: 1.5
# acceptance: 0.2
weight,shocks[0].depth,firms.sme.cash_runway_dispersion
0.1,0.2,0.7
0.2,0.25,0.8
0.2,0.3,0.9
0.2,0.35,0.8
0.2,0.4,0.75
0.1,0.45,0.85
`, id)
	if err := os.WriteFile(posterior, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return scenario, posterior
}

// TestRunPosterior (issue 16): run --posterior reports firms saved and
// cost per firm saved with the Monte Carlo interval at the posterior mean
// and the interval with the parameters' uncertainty, the same bytes on
// one worker or two, and resumes from its kept runs.
func TestRunPosterior(t *testing.T) {
	dir := t.TempDir()
	scenario, posterior := writePosteriorCase(t, dir)
	var got [][]byte
	for _, w := range []string{"1", "2"} {
		out := filepath.Join(dir, "w"+w)
		code, stdout, stderr := smesim(t, "run", scenario, "--posterior", posterior, "-r", "8", "-w", w, "--out", out, "--progress", "none")
		if code != 0 {
			t.Fatalf("-w %s: exit %d: %s", w, code, stderr)
		}
		for _, want := range []string{"relief  firms_saved", "relief  cost_per_firm_saved (CNY)", "at the posterior mean [95% Monte Carlo]", "with parameter uncertainty [95%]"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("the table lacks %q:\n%s", want, stdout)
			}
		}
		data, err := os.ReadFile(filepath.Join(out, postIntervalsFile))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, data)
	}
	if !bytes.Equal(got[0], got[1]) {
		t.Errorf("intervals differ with the workers:\n%s\n%s", got[0], got[1])
	}
	lines := strings.Split(strings.TrimSpace(string(got[0])), "\n")
	want := []string{"arm,metric,interval,mean,lo,hi,parameter_share", "relief,firms_saved,monte_carlo,", "relief,firms_saved,with_parameter_uncertainty,",
		"relief,cost_per_firm_saved,monte_carlo,", "relief,cost_per_firm_saved,with_parameter_uncertainty,"}
	if len(lines) != len(want) {
		t.Fatalf("intervals.csv:\n%s", got[0])
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d %q, want %q…", i+1, lines[i], w)
		}
	}
	var doc struct {
		Effects []struct {
			Metric   string         `json:"metric"`
			Total    map[string]any `json:"with_parameter_uncertainty"`
			Dominant string         `json:"dominant"`
		} `json:"effects"`
	}
	data, err := os.ReadFile(filepath.Join(dir, "w1", postSummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Effects) != 2 || doc.Effects[0].Dominant == "" || doc.Effects[0].Total["mean"] == nil {
		t.Errorf("summary.json: %s", data)
	}
	// The same command again resumes: nothing runs, the same bytes.
	code, _, stderr := smesim(t, "run", scenario, "--posterior", posterior, "-r", "8", "--out", filepath.Join(dir, "w1"), "--progress", "none")
	if code != 0 {
		t.Fatalf("again: exit %d: %s", code, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "w1", postIntervalsFile)); !bytes.Equal(again, got[0]) {
		t.Errorf("rerun changed intervals.csv")
	}
	// The batch at the posterior mean is a plain run: merge writes its
	// result directory, which check-facts reads.
	merged := filepath.Join(dir, "mean")
	if code, _, stderr := smesim(t, "merge", "--out", merged, "--plots", "none", filepath.Join(dir, "w1", postFixedDir)); code != 0 {
		t.Fatalf("merge of the fixed batch: exit %d: %s", code, stderr)
	}
	if code, stdout, stderr := smesim(t, "check-facts", merged); code > 1 || !strings.Contains(stdout, "facts reproduced") {
		t.Errorf("check-facts of the posterior mean: exit %d: %s%s", code, stdout, stderr)
	}
	// A directory of something else is refused, and left alone.
	other := filepath.Join(dir, "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "timeseries.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = smesim(t, "run", scenario, "--posterior", posterior, "-r", "8", "--out", other)
	if code != 2 {
		t.Errorf("into another directory: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "holds timeseries.csv: not the directory of a run with --posterior")
}

// TestRunPosteriorBadInput (issue 16, must-show 7): a posterior file of
// another scenario, or a corrupt one, is one line FILE:LINE, exit 2.
func TestRunPosteriorBadInput(t *testing.T) {
	for _, tc := range []struct {
		name     string
		scenario func(string) string // edits the scenario
		post     func(string) string // edits the posterior file
		args     []string
		want     []string
	}{
		{"another scenario", func(s string) string { return strings.Replace(s, "chains = 2", "chains = 3", 1) }, nil, nil,
			[]string{"post.csv:3: identity: the posterior was calibrated on another scenario (\"calibration-test\", identity"}},
		{"short row", nil, func(s string) string { return strings.Replace(s, "0.2,0.3,0.9", "0.2,0.3", 1) }, nil,
			[]string{"post.csv:11: 2 fields, want 3"}},
		{"not a posterior", nil, func(s string) string { return "a,b\n1,2\n" }, nil, []string{"post.csv:1: not a smesim posterior file"}},
		{"unknown key", nil, func(s string) string {
			return strings.Replace(s, "firms.sme.cash_runway_dispersion", "firms.sme.cash_runway_dispersal", 1)
		}, nil,
			[]string{"post.csv:8: ", `unknown key "cash_runway_dispersal"`}},
		{"value out of range", nil, func(s string) string { return strings.Replace(s, "0.1,0.45,0.85", "0.1,1.45,0.85", 1) }, nil,
			[]string{"post.csv:8: ", "shocks[0].depth", "1.45 is out of range"}},
		{"missing file", nil, func(string) string { return "" }, []string{"--posterior", "nofile.csv"}, []string{"--posterior ", "nofile.csv: no such file"}},
		{"with plots", nil, nil, []string{"--plots", "png"}, []string{"--plots does not apply to a run with --posterior"}},
		{"one replication", nil, nil, []string{"-r", "1"}, []string{"--replications 1: a run with --posterior needs at least 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			scenario, posterior := writePosteriorCase(t, dir)
			edit := func(path string, f func(string) string) {
				if f == nil {
					return
				}
				data, _ := os.ReadFile(path)
				if err := os.WriteFile(path, []byte(f(string(data))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			edit(scenario, tc.scenario)
			edit(posterior, tc.post)
			args := []string{"run", scenario, "--posterior", posterior, "-r", "2", "--out", filepath.Join(dir, "o")}
			if len(tc.args) > 0 && tc.args[0] == "--posterior" {
				args[3] = filepath.Join(dir, tc.args[1])
			} else {
				args = append(args, tc.args...)
			}
			code, _, stderr := smesim(t, args...)
			if code != 2 {
				t.Errorf("exit %d, want 2: %s", code, stderr)
			}
			oneErrorLine(t, stderr, tc.want...)
			if _, err := os.Stat(filepath.Join(dir, "o")); err == nil {
				t.Errorf("run --posterior made its directory on bad input")
			}
		})
	}
}
