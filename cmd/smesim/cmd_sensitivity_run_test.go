package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// sensScenario is a small scenario with two uncertain parameters: the
// depth of the demand shock, which drives the baseline's failures, and
// the budget of the loans, which cannot change the baseline (it applies
// only in the loans arm).
const sensScenario = `name = "sens"
seed = 3
replications = 2
steps = 30

[network]
chains = 2
cores_per_chain = 1
suppliers_per_chain = 10
raw_materials_per_chain = 16
distributors_per_chain = 16

[[shocks]]
kind = "demand"
market = "domestic"
start = "4w"
duration = "6w"
recovery = "6w"
shape = "linear"
depth = 0.3

[[interventions]]
kind = "policy-loan"
name = "loans"
end = "12w"
budget = 2e6
channel = "direct"

[[uncertain]]
key = "shocks.demand.depth"
distribution = "uniform"
lo = 0.1
hi = 0.7
source = "test: the dominant parameter"

[[uncertain]]
key = "interventions.loans.budget"
distribution = "uniform"
lo = 1e6
hi = 3e6
`

func writeSensScenario(t *testing.T, dir, src string) string {
	t.Helper()
	path := filepath.Join(dir, "sens.toml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSensitivityRunRanksDominant: the shock's depth explains the
// baseline's failures; the loans' budget, which does not reach the
// baseline, has indices of exactly 0, and the depth's total-order
// interval lies above the budget's.
func TestSensitivityRunRanksDominant(t *testing.T) {
	dir := t.TempDir()
	path := writeSensScenario(t, dir, sensScenario)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := smesim(t, "sensitivity", "run", path, "--n", "16", "--out", out, "--plots", "none", "--progress", "none", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ix := readIndices(t, filepath.Join(out, "indices.csv"))
	at := func(param, index string) [3]float64 { return ix["baseline:failures/"+param+"/"+index] }
	for _, name := range []string{"S1", "ST"} {
		if got := at("interventions.loans.budget", name); got != [3]float64{0, 0, 0} {
			t.Errorf("budget's %s for the baseline's failures = %v, want exactly 0 with interval [0, 0]", name, got)
		}
	}
	depth, budget := at("shocks.demand.depth", "ST"), at("interventions.loans.budget", "ST")
	if !(depth[0] > 0.5) || !(depth[1] > budget[2]) {
		t.Errorf("depth's ST = %v, budget's %v: want depth above 0.5, its interval above the budget's", depth, budget)
	}
	if _, ok := ix["loans:firms_saved/shocks.demand.depth/ST"]; !ok {
		t.Errorf("no indices of loans:firms_saved: %v", ix)
	}
	// The table lists the parameters by total-order index, largest first.
	table := stdout[strings.Index(stdout, "output baseline:failures"):]
	if i, j := strings.Index(table, "shocks.demand.depth"), strings.Index(table, "interventions.loans.budget"); i < 0 || j < i {
		t.Errorf("the depth is not listed first:\n%s", stdout)
	}
	design, err := os.ReadFile(filepath.Join(out, "design.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// N(k+2) rows of the Saltelli design, and a header.
	if got, want := bytes.Count(design, []byte("\n")), 16*4+1; got != want {
		t.Errorf("design.csv has %d lines, want %d", got, want)
	}
}

// cancelAfter is a writer of JSON progress lines that cancels its
// context when n lines are written: a kill in the middle of a batch.
type cancelAfter struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n -= bytes.Count(p, []byte("\n"))
	if c.n <= 0 {
		c.cancel()
	}
	return len(p), nil
}

// TestSensitivityShardKillResumeMerge: a sensitivity run split into two
// shards, the first killed part-way and resumed, merges to the bytes of
// the unsharded run (issue 16, must-show 6).
func TestSensitivityShardKillResumeMerge(t *testing.T) {
	dir := t.TempDir()
	path := writeSensScenario(t, dir, sensScenario)
	args := func(out string, more ...string) []string {
		return append([]string{"smesim", "sensitivity", "run", path, "--n", "4", "--out", filepath.Join(dir, out), "--plots", "none", "--workers", "1"}, more...)
	}
	if code, _, stderr := smesim(t, args("whole")[1:]...); code != 0 {
		t.Fatalf("unsharded: exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	killer := &cancelAfter{n: 5, cancel: cancel}
	code, msg := execute(ctx, args("s0", "--shard", "0/2", "--progress", "json"), &stdout, killer)
	if code != 130 {
		t.Fatalf("killed shard: exit %d, want 130: %s", code, msg)
	}
	units, _ := os.ReadDir(filepath.Join(dir, "s0", "units"))
	if len(units) == 0 || len(units) >= 32 {
		t.Fatalf("the killed shard kept %d runs: want some of its 32", len(units))
	}
	for _, a := range [][]string{args("s0", "--shard", "0/2", "--progress", "none"), args("s1", "--shard", "1/2", "--progress", "none")} {
		if code, _, stderr := smesim(t, a[1:]...); code != 0 {
			t.Fatalf("%v: exit %d: %s", a, code, stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := smesim(t, "merge", "--out", merged, "--plots", "none", filepath.Join(dir, "s0"), filepath.Join(dir, "s1")); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"design.csv", "outputs.csv", "indices.csv"} {
		want, err := os.ReadFile(filepath.Join(dir, "whole", f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(merged, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("merged %s differs from the unsharded run's:\n%s\nwant\n%s", f, got, want)
		}
	}
}

// TestSensitivityRunMorrisJump: sensitivity run takes --jump, records it
// with the batch, and smesim merge rebuilds the same design from the
// shards. On 6 levels with steps of 5 (Δ = 1) each move takes a parameter
// from one end of its range to the other.
func TestSensitivityRunMorrisJump(t *testing.T) {
	dir := t.TempDir()
	path := writeSensScenario(t, dir, sensScenario)
	args := func(out string, more ...string) []string {
		return append([]string{"sensitivity", "run", path, "--method", "morris", "--n", "4", "--levels", "6", "--jump", "5",
			"--out", filepath.Join(dir, out), "--plots", "none", "--progress", "none", "--workers", "1"}, more...)
	}
	for _, a := range [][]string{args("whole"), args("s0", "--shard", "0/2"), args("s1", "--shard", "1/2")} {
		if code, _, stderr := smesim(t, a...); code != 0 {
			t.Fatalf("%v: exit %d: %s", a, code, stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := smesim(t, "merge", "--out", merged, "--plots", "none", filepath.Join(dir, "s0"), filepath.Join(dir, "s1")); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	whole, err := os.ReadFile(filepath.Join(dir, "whole", "design.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(merged, "design.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, whole) {
		t.Errorf("merged design.csv differs from the unsharded run's:\n%s\nwant\n%s", got, whole)
	}
	lines := strings.Split(strings.TrimSpace(string(whole)), "\n")
	if len(lines) != 1+4*3 {
		t.Fatalf("design.csv has %d lines, want 13", len(lines))
	}
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		if depth, budget := f[1], f[2]; (depth != "0.1" && depth != "0.7") || (budget != "1e+06" && budget != "3e+06") {
			t.Errorf("design row %q: with Δ = 1 every value is an end of its range (0.1 or 0.7; 1e+06 or 3e+06)", line)
		}
	}
	code, _, stderr := smesim(t, "sensitivity", "run", path, "--n", "4", "--jump", "2", "--out", filepath.Join(dir, "sobol"))
	if code != 2 {
		t.Errorf("--jump with sobol: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "--jump applies to --method morris, not sobol")
}

// TestDesignSpecJump: a batch records --jump only when it is not the
// standard p/2, so that the batches of before the flag keep their
// identity, and reads it back.
func TestDesignSpecJump(t *testing.T) {
	for _, tc := range []struct {
		opts     sensitivityOptions
		spec     string
		readJump int
	}{
		{sensitivityOptions{method: "sobol", n: 64, seed: 1, levels: 4}, "method = sobol, n = 64, seed = 1", 0},
		{sensitivityOptions{method: "morris", n: 10, seed: 2, levels: 4}, "method = morris, n = 10, seed = 2, levels = 4", 0},
		{sensitivityOptions{method: "morris", n: 10, seed: 2, levels: 4, jump: 2}, "method = morris, n = 10, seed = 2, levels = 4", 0},
		{sensitivityOptions{method: "morris", n: 10, seed: 2, levels: 10, jump: 6}, "method = morris, n = 10, seed = 2, levels = 10, jump = 6", 6},
	} {
		spec := designSpec(tc.opts)
		if spec != tc.spec {
			t.Errorf("designSpec(%+v) = %q, want %q", tc.opts, spec, tc.spec)
		}
		back, err := parseDesignSpec("scenario.toml", []byte("name = \"x\"\n"+sensDesignLine+spec+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if back.method != tc.opts.method || back.n != tc.opts.n || back.seed != tc.opts.seed || back.levels != tc.opts.levels || back.jump != tc.readJump {
			t.Errorf("parseDesignSpec(%q) = %+v", spec, back)
		}
		if back.morrisJump() != tc.opts.morrisJump() {
			t.Errorf("%q: step %d levels, want %d", spec, back.morrisJump(), tc.opts.morrisJump())
		}
	}
}

// TestSensitivityRunBadInput: a bad [[uncertain]] is one line naming the
// file and line, exit 2, for validate and sensitivity run alike.
func TestSensitivityRunBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"lo above hi", "lo = 0.1\nhi = 0.7", "lo = 0.7\nhi = 0.1", []string{"sens.toml:32: uncertain[0].lo: lo = 0.7 must be less than hi = 0.1"}},
		{"unknown scenario key", `key = "shocks.demand.depth"`, `key = "shocks.demand.dept"`, []string{"sens.toml:30: uncertain[0].key:", `unknown key "dept"`}},
		{"unknown key", "hi = 3e6", "high = 3e6", []string{"sens.toml:40: uncertain[1].high: unknown key"}},
		{"unknown table", "[[uncertain]]", "[[uncertain_]]", []string{"sens.toml:29: uncertain_: unknown key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeSensScenario(t, dir, strings.Replace(sensScenario, tc.from, tc.to, 1))
			for _, cmd := range [][]string{{"validate", path}, {"sensitivity", "run", path, "--n", "4", "--out", filepath.Join(dir, "o")}} {
				code, _, stderr := smesim(t, cmd...)
				if code != 2 {
					t.Errorf("%s: exit %d, want 2: %s", cmd[0], code, stderr)
				}
				oneErrorLine(t, stderr, tc.want...)
			}
			if _, err := os.Stat(filepath.Join(dir, "o")); err == nil {
				t.Errorf("sensitivity run made its directory on bad input")
			}
		})
	}
	// A design beyond a batch's million points is refused before it runs.
	path := writeSensScenario(t, t.TempDir(), sensScenario)
	code, _, stderr := smesim(t, "sensitivity", "run", path, "--n", "524288", "--out", filepath.Join(t.TempDir(), "o"))
	if code != 2 {
		t.Errorf("huge design: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "--n 524288: the sobol design of 2 parameters has 2097152 rows, more than the 1000000 points a batch takes")
	// A scenario without [[uncertain]] has nothing to draw.
	code, _, stderr = smesim(t, "sensitivity", "run", "small", "--n", "4", "--out", filepath.Join(t.TempDir(), "o"))
	if code != 2 {
		t.Errorf("no [[uncertain]]: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "no [[uncertain]] table")
}
