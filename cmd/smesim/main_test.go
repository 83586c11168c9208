package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
)

// smesim runs the CLI in-process and returns its exit status and output.
func smesim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"smesim"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// oneErrorLine fails unless stderr is exactly one line "smesim: …" holding
// every string in want.
func oneErrorLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "smesim: ") || !strings.HasSuffix(stderr, "\n") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr is not one line \"smesim: …\": %q", stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not contain %q", stderr, w)
		}
	}
}

// badInputOneLine runs smesim with args and fails unless it exits 2 with
// nothing on stdout and one line on stderr holding every string in want.
// It returns that line.
func badInputOneLine(t *testing.T, args []string, want ...string) string {
	t.Helper()
	code, out, errs := smesim(t, args...)
	if code != 2 {
		t.Errorf("exit %d, want 2 (stdout %q, stderr %q)", code, out, errs)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
	oneErrorLine(t, errs, want...)
	return errs
}

// inTempDir runs the test in a fresh working directory.
func inTempDir(t *testing.T) string {
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestHelp(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"run", "validate", "scenarios", "init", "network", "Exit status"}},
		{nil, []string{"run", "validate", "scenarios", "init", "network"}},
		{[]string{"run", "--help"}, []string{"--out DIR", "--seed N", "--steps", "--replications", "--workers", "--arms LIST", "Fieller", "default: the scenario's seed", "smesim-out/<scenario name>", "number of CPUs", "my.toml --seed 9"}},
		{[]string{"help", "run"}, []string{"--seed N"}},
		{[]string{"run", "x.toml", "-h"}, []string{"--seed N"}},
		{[]string{"validate", "--help"}, []string{"FILE", "ok"}},
		{[]string{"scenarios", "--help"}, []string{"built-in"}},
		{[]string{"init", "--help"}, []string{"BUILTIN", "my.toml"}},
		{[]string{"network", "--help"}, []string{"export"}},
		{[]string{"network"}, []string{"export"}},
		{[]string{"network", "export", "--help"}, []string{"--out PATH", "--format", "csv, dot or gexf", "--replication R", "edges.csv", "firms.csv", "GEXF"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errs := smesim(t, c.args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("help does not mention %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	inTempDir(t)
	writeFile(t, "bad.toml", "name = \"bad\"\nsteps = 0\n")
	writeFile(t, "typo.toml", "name = \"typo\"\nstpes = 10\n")
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"rn"}, []string{`unknown command "rn"`, `Did you mean "run"?`}},
		{[]string{"valdate", "x.toml"}, []string{`Did you mean "validate"?`}},
		{[]string{"network", "exprt"}, []string{`unknown command "exprt"`, `Did you mean "export"?`}},
		{[]string{"help", "rn"}, []string{"rn"}},
		{[]string{"run", "--bogus"}, []string{"unknown flag -bogus", "smesim run --help"}},
		{[]string{"run", "x.toml", "--sed", "3"}, []string{"unknown flag -sed; did you mean --seed?"}},
		{[]string{"run", "default", "--bogus"}, []string{"bogus"}},
		{[]string{"run", "--seed", "x"}, []string{"seed"}},
		{[]string{"run", "--seed"}, []string{"seed"}},
		{[]string{"run", "a.toml", "b.toml"}, []string{"at most one"}},
		{[]string{"run", "no-such-file.toml"}, []string{"no-such-file.toml"}},
		{[]string{"run", "no-such-builtin"}, []string{"no-such-builtin"}},
		{[]string{"run", "bad.toml"}, []string{"bad.toml:2: steps"}},
		{[]string{"run", "typo.toml"}, []string{"typo.toml:2", "stpes"}},
		{[]string{"validate"}, []string{"one scenario FILE"}},
		{[]string{"validate", "a.toml", "b.toml"}, []string{"one scenario FILE"}},
		{[]string{"validate", "bad.toml"}, []string{"bad.toml:2: steps"}},
		{[]string{"validate", "missing.toml"}, []string{"missing.toml"}},
		{[]string{"validate", "bad.toml", "--bogus"}, []string{"bogus"}},
		{[]string{"scenarios", "extra"}, []string{"no arguments"}},
		{[]string{"init", "no-such-builtin"}, []string{`"no-such-builtin"`, "default"}},
		{[]string{"network", "export"}, []string{"--out PATH is required"}},
		{[]string{"network", "export", "--out", "x", "--format", "png"}, []string{`"png"`, "csv, dot, gexf"}},
		{[]string{"network", "export", "bad.toml", "--out", "x"}, []string{"bad.toml:2: steps"}},
		{[]string{"network", "export", "--out", "x", "--replication", "-1"}, []string{"--replication -1"}},
		// Flags after the positional argument are parsed: these reach the
		// flag checks.
		{[]string{"run", "default", "--steps", "0"}, []string{"--steps 0"}},
		{[]string{"run", "default", "--replications=0"}, []string{"--replications 0"}},
		{[]string{"run", "default", "-r", "0"}, []string{"--replications 0"}},
		{[]string{"run", "default", "--workers", "0"}, []string{"--workers 0"}},
		{[]string{"run", "--steps", "0", "default"}, []string{"--steps 0"}},
		{[]string{"run", "default", "--seed", "9223372036854775808"}, []string{"--seed"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			badInputOneLine(t, c.args, c.want...)
		})
	}
	if _, err := os.Stat(defaultOutRoot); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was created by failing commands", defaultOutRoot)
	}
	if _, err := os.Stat("x"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("x was created by failing commands")
	}
}

func TestBadScenarioWritesNothing(t *testing.T) {
	dir := inTempDir(t)
	writeFile(t, "bad.toml", "name = \"bad\"\n[network]\nchains = -3\n")
	for _, args := range [][]string{{"run", "bad.toml"}, {"run", "bad.toml", "--out", "res"}, {"run", "--out", "res", "bad.toml", "--seed", "4"}} {
		code, _, errs := smesim(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		oneErrorLine(t, errs, "bad.toml:3: network.chains")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files after failed runs: %v, want only bad.toml", names)
	}
}

func TestRunRefusesNonEmptyOut(t *testing.T) {
	inTempDir(t)
	os.Mkdir("res", 0o755)
	writeFile(t, "res/keep", "x")
	code, _, errs := smesim(t, "run", "--out", "res")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	oneErrorLine(t, errs, "res", "not empty")
}

func TestValidate(t *testing.T) {
	inTempDir(t)
	tmpl, err := scenarios.Template("default")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, "ok.toml", string(tmpl))
	for _, args := range [][]string{{"validate", "ok.toml"}, {"validate", "default"}} {
		code, out, errs := smesim(t, args...)
		if code != 0 || errs != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
		}
		want := args[1] + ": ok (2096 firms expected, 104 steps of 1w, 1 replication, 1 shock)\n"
		if out != want {
			t.Errorf("%v: stdout %q, want %q", args, out, want)
		}
	}
}

// TestFirmCountWithEntryPool (issue 15): with an entry pool, validate,
// the run's summary line and smesim network export count the same firms —
// those active at the start, 262 in one chain — and give the pool beside
// them, which is the firms.csv rows of firms that entered or stayed
// dormant. Before, the run and the export counted the pool in (and the
// report with them), validate did not.
func TestFirmCountWithEntryPool(t *testing.T) {
	inTempDir(t)
	tmpl, err := scenarios.Template("default")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(tmpl), "chains = 8\n", "chains = 1\n", 1)
	src = strings.Replace(src, "entry_pool = 0.0\n", "entry_pool = 0.3\n", 1)
	writeFile(t, "pool.toml", src)
	code, out, errs := smesim(t, "validate", "pool.toml")
	if code != 0 {
		t.Fatalf("validate: exit %d, stderr %q", code, errs)
	}
	m := regexp.MustCompile(`ok \(262 firms expected, \+(\d+) in the entry pool, `).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("validate: %q, want 262 firms expected and the entry pool", out)
	}
	pool := m[1]
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "pool.toml", "--out", "res"}, `scenario "default": 262 firms (+` + pool + ` in the entry pool), `},
		{[]string{"network", "export", "pool.toml", "--out", "net.csv"}, `262 firms (+` + pool + ` in the entry pool), `},
	} {
		code, out, errs := smesim(t, c.args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %q", c.args, code, out, errs, c.want)
		}
	}
	_, lay, err := results.ReadTimeseries("res", results.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	firms, err := results.ReadFirms("res", lay)
	if err != nil || len(firms) == 0 {
		t.Fatalf("firms.csv: %d rows, %v", len(firms), err)
	}
	inPool := 0
	for _, f := range firms {
		if f.Arm == firms[0].Arm && f.Replication == firms[0].Replication && (f.EnteredStep >= 0 || f.Status == outcome.Dormant.String()) {
			inPool++
		}
	}
	if fmt.Sprint(inPool) != pool {
		t.Errorf("firms.csv: %d firms entered or dormant, the commands say %s in the entry pool", inPool, pool)
	}
}

func TestScenarios(t *testing.T) {
	code, out, errs := smesim(t, "scenarios")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	bs := scenarios.Builtins()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(bs) == 0 || len(lines) != len(bs) {
		t.Fatalf("%d lines for %d built-ins:\n%s", len(lines), len(bs), out)
	}
	col := -1
	for i, b := range bs {
		if !strings.HasPrefix(lines[i], b.Name+" ") {
			t.Errorf("line %d %q does not start with %q", i, lines[i], b.Name)
		}
		at := strings.Index(lines[i], oneLine(b.Summary))
		if at < 0 {
			t.Errorf("line %d %q lacks the summary %q", i, lines[i], b.Summary)
		}
		if col >= 0 && at != col {
			t.Errorf("summaries not aligned:\n%s", out)
		}
		col = at
	}
	if !slices.Contains(builtinNames(), "default") {
		t.Errorf("no built-in named default: %v", builtinNames())
	}
}

func TestInit(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			args := []string{"init", b.Name}
			if b.Name == "default" {
				args = []string{"init"}
			}
			code, out, errs := smesim(t, args...)
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			got, err := scenarios.Parse("init.toml", []byte(out), "")
			if err != nil {
				t.Fatalf("init output does not parse back: %v", err)
			}
			want, err := scenarios.Open(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			g, _ := scenarios.Encode(got)
			w, _ := scenarios.Encode(want)
			if !bytes.Equal(g, w) {
				t.Errorf("init %s parses to another scenario than the built-in", b.Name)
			}
		})
	}
}

func TestReorderArgs(t *testing.T) {
	a := app(nil, nil)
	cases := []struct{ in, want string }{
		{"smesim run my.toml --seed 9", "smesim run --seed 9 my.toml"},
		{"smesim run --seed 9 my.toml", "smesim run --seed 9 my.toml"},
		{"smesim run my.toml --seed=9 -o out", "smesim run --seed=9 -o out my.toml"},
		{"smesim run my.toml --help", "smesim run --help"},
		{"smesim run --seed 3 my.toml -h", "smesim run --help"},
		{"smesim help run", "smesim help run"},
		{"smesim run my.toml --seed", "smesim run --seed my.toml"},
		{"smesim run a --steps -5 b", "smesim run --steps -5 a b"},
		{"smesim run a -- --seed 9", "smesim run -- a --seed 9"},
		{"smesim run a --out x -- -b.toml", "smesim run --out x -- a -b.toml"},
		{"smesim run - --out x", "smesim run --out x -"},
		{"smesim network export my.toml --format dot --out n.dot", "smesim network export --format dot --out n.dot my.toml"},
		{"smesim network my.toml export", "smesim network my.toml export"},
		{"smesim --version run x --seed 1", "smesim --version run --seed 1 x"},
		{"smesim unknown a --seed 1", "smesim unknown a --seed 1"},
		{"smesim validate x.toml --bogus 3", "smesim validate --bogus x.toml 3"},
		{"smesim", "smesim"},
	}
	for _, c := range cases {
		got := strings.Join(reorderArgs(a, strings.Fields(c.in)), " ")
		if got != c.want {
			t.Errorf("reorderArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errors.New("boom"), 1},
		{badInputf("bad"), 2},
		{fmt.Errorf("wrapped: %w", &scenarios.Error{File: "x", Msg: "m"}), 2},
		{fmt.Errorf("open: %w", os.ErrNotExist), 2},
		{fmt.Errorf("run: %w", context.Canceled), 130},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// skipWithoutEngine skips a test while sim.Run (or sim.BuildNetwork) is
// still the "not implemented" stub.
func skipWithoutEngine(t *testing.T) {
	t.Helper()
	cfg, err := scenarios.Open("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Replications = 1
	if _, err := runAll(cfg, nil); isNotImplemented(err) {
		t.Skip("engine not implemented yet:", err)
	}
	if _, err := sim.BuildNetwork(cfg, 0); isNotImplemented(err) {
		t.Skip("network building not implemented yet:", err)
	}
}

var resultFiles = []string{results.ScenarioFile, results.TimeseriesFile, results.FirmsFile, results.EventsFile, results.SummaryFile, results.MetaFile}

func TestRun(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	// Flags after the positional argument, in both orders.
	code, out, errs := smesim(t, "run", "default", "--steps", "40", "--out", "a", "--seed", "9", "-r", "2")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(out, "wrote a\n") || !strings.Contains(out, "failures") || !strings.Contains(out, "firms saved") {
		t.Errorf("summary:\n%s", out)
	}
	code, _, errs = smesim(t, "run", "--seed", "9", "--out", "b", "--workers", "1", "--replications", "2", "--steps", "40")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, name := range resultFiles {
		x, err := os.ReadFile(filepath.Join("a", name))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join("b", name))
		if err != nil {
			t.Fatal(err)
		}
		if name != results.MetaFile && !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	cfg, err := scenarios.Load(filepath.Join("a", results.ScenarioFile))
	if err != nil {
		t.Fatalf("scenario.toml does not load back: %v", err)
	}
	if cfg.Seed != 9 || cfg.Steps != 40 || cfg.Replications != 2 {
		t.Errorf("scenario.toml has seed %d, steps %d, replications %d; want the overrides 9, 40, 2", cfg.Seed, cfg.Steps, cfg.Replications)
	}
	m, err := results.ReadMeta("a")
	if err != nil {
		t.Fatal(err)
	}
	if m.Seed != 9 || !slices.Contains(m.Command, "--seed") {
		t.Errorf("meta %+v", m)
	}
	s, err := results.ReadSummary("a")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Arms) == 0 || s.Arms[0].Replications != 2 {
		t.Errorf("summary arms %+v", s.Arms)
	}

	// The default output directory, twice in the same second.
	for range 2 {
		if code, _, errs := smesim(t, "run", "--steps", "40"); code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
	}
	entries, _ := os.ReadDir(defaultOutRoot)
	if len(entries) != 2 || !strings.HasPrefix(entries[0].Name(), "default-") {
		t.Errorf("entries of %s: %v", defaultOutRoot, entries)
	}
}

func TestRunInterrupted(t *testing.T) {
	inTempDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, args: []string{"smesim", "run"}}
	err := runRun(ctx, e, runOptions{out: "res", now: time.Now()}, "")
	if !errors.Is(err, context.Canceled) || exitCode(err) != 130 {
		t.Fatalf("err = %v (exit %d), want context.Canceled (exit 130)", err, exitCode(err))
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("an interrupted run left %v", entries)
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q", out.String())
	}
}

func TestDefaultOutDir(t *testing.T) {
	root := t.TempDir()
	now := time.Date(2024, 3, 5, 14, 7, 9, 0, time.UTC)
	next := func(name string) string {
		t.Helper()
		dir, err := defaultOutDir(root, name, now)
		if err != nil {
			t.Fatal(err)
		}
		return dir
	}
	first := next("demand shock/β")
	if want := filepath.Join(root, "demand-shock-20240305-140709"); first != want {
		t.Errorf("first = %q, want %q", first, want)
	}
	os.Mkdir(first, 0o755)
	if second := next("demand shock/β"); second != first+"-2" {
		t.Errorf("second = %q, want %q", second, first+"-2")
	}
	os.Mkdir(first+"-2", 0o755)
	if third := next("demand shock/β"); third != first+"-3" {
		t.Errorf("third = %q", third)
	}
	if got := safeName("..."); got != "scenario" {
		t.Errorf("safeName(...) = %q", got)
	}
	// Issue 13 defect 3: a 300-character name is cut, and the directory
	// can be created.
	long := next(strings.Repeat("x", 300))
	if want := filepath.Join(root, strings.Repeat("x", maxNameLen)+"-20240305-140709"); long != want {
		t.Errorf("long name: %q, want %q", long, want)
	}
	if err := os.Mkdir(long, 0o755); err != nil {
		t.Error(err)
	}
}

// TestDefaultOutDirUnusable is issue 13 defect 3: when the default output
// root is a file, run and sweep looped forever (ignoring signals) instead
// of saying so with exit 2. The commands run in a goroutine so that the
// old code fails the test rather than hanging it.
func TestDefaultOutDirUnusable(t *testing.T) {
	inTempDir(t)
	writeFile(t, defaultOutRoot, "")
	for _, args := range [][]string{
		{"run", "small", "-r", "1"},
		{"sweep", "small", "-r", "1", "--progress", "none"},
	} {
		t.Run(args[0], func(t *testing.T) {
			type result struct {
				code   int
				stderr string
			}
			done := make(chan result, 1)
			go func() {
				var out, errb bytes.Buffer
				code := run(append([]string{"smesim"}, args...), &out, &errb)
				done <- result{code, errb.String()}
			}()
			select {
			case r := <-done:
				if r.code != 2 {
					t.Errorf("exit %d, want 2; stderr %q", r.code, r.stderr)
				}
				oneErrorLine(t, r.stderr, "default output directory "+defaultOutRoot+"/small-", "not a directory", "--out")
			case <-time.After(30 * time.Second):
				t.Fatal("still running after 30 s: defaultOutDir loops")
			}
		})
	}
}

func TestNetworkExport(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	cases := []struct {
		args  []string
		files []string
	}{
		{[]string{"network", "export", "--out", "net"}, []string{"net/edges.csv", "net/firms.csv"}},
		{[]string{"network", "export", "default", "--format", "csv", "--out", "net2", "--replication", "1"}, []string{"net2/edges.csv", "net2/firms.csv"}},
		{[]string{"network", "export", "default", "--out", "n.dot"}, []string{"n.dot"}},
		{[]string{"network", "export", "--format", "gexf", "default", "--out", "n.xml"}, []string{"n.xml"}},
	}
	for _, c := range cases {
		code, out, errs := smesim(t, c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", c.args, code, errs)
		}
		if !strings.HasPrefix(out, "wrote ") {
			t.Errorf("%v: stdout %q", c.args, out)
		}
		for _, f := range c.files {
			if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
				t.Errorf("%v: %s missing or empty (%v)", c.args, f, err)
			}
		}
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestBadScenarioClasses runs the five classes of bad scenario the engine
// issue names through `smesim run`: each must exit 2 with one line naming
// file, line and key, and leave no result directory behind.
func TestBadScenarioClasses(t *testing.T) {
	bad, err := filepath.Abs("../../scenarios/testdata/bad")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ file, key string }{
		{"unknown_nested.toml", "network.chians"},
		{"wrong_type.toml", "firms.recovery_rate"},
		{"negative_share.toml", "firms.sme.wage_share"},
		{"duration_no_unit.toml", "shocks[0].duration"},
		{"missing_network_file.toml", "network.edges_file"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			dir := inTempDir(t)
			src, err := os.ReadFile(filepath.Join(bad, c.file))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, c.file, string(src))
			code, out, errs := smesim(t, "run", c.file, "--out", "res")
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			oneErrorLine(t, errs, c.file+":", ": "+c.key+":")
			if !regexp.MustCompile(`^smesim: \S+\.toml:\d+: `).MatchString(errs) {
				t.Errorf("error does not name file and line: %q", errs)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("%d entries in the directory after a failed run, want only the scenario", len(entries))
			}
		})
	}
}

// TestNetworkDependentNamesExitTwo: names the network must have (a sector
// of an intervention, a core firm) are checked by validate and by run before
// any run, from the generator's parameters: a wrong one is bad input — exit
// 2, one line naming file, line and key, no result directory.
func TestNetworkDependentNamesExitTwo(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"sector", "kind = \"tax-relief\"\nbudget = 1e6\nsectors = [\"nonesuch\"]\n", `s.toml:14: interventions[0].sectors[0]: "nonesuch" is not a sector of the network`},
		{"core", "kind = \"supply-chain-finance\"\nbudget = 1e6\ncores = [\"f99999\"]\n", `s.toml:14: interventions[0].cores[0]: no firm "f99999" in the network`},
		{"sme as core", "kind = \"supply-chain-finance\"\nbudget = 1e6\ncores = [\"f100\"]\n", `s.toml:14: interventions[0].cores[0]: firm "f100" is an SME, not a core firm`},
	}
	for _, c := range cases {
		for _, cmd := range []string{"validate", "run"} {
			t.Run(c.name+"/"+cmd, func(t *testing.T) {
				dir := inTempDir(t)
				writeFile(t, "s.toml", "name = \"s\"\nsteps = 30\n\n[[shocks]]\nkind = \"demand\"\nstart = \"2w\"\nduration = \"4w\"\ndepth = 0.2\n\n[[interventions]]\nend = \"8w\"\n"+c.body)
				args := []string{cmd, "s.toml"}
				if cmd == "run" {
					args = append(args, "--out", "res")
				}
				code, out, errs := smesim(t, args...)
				if code != 2 || out != "" {
					t.Errorf("exit %d, stdout %q: want 2 and nothing", code, out)
				}
				oneErrorLine(t, errs, c.want)
				if entries, _ := os.ReadDir(dir); len(entries) != 1 {
					t.Errorf("%d entries after a failed run, want only the scenario", len(entries))
				}
			})
		}
	}
}

// TestHugeScenarioRefused: a scenario that cannot fit in memory is refused,
// with the estimate, before anything is allocated or written.
func TestHugeScenarioRefused(t *testing.T) {
	if availableMemory() == 0 {
		t.Skip("no /proc/meminfo")
	}
	dir := inTempDir(t)
	writeFile(t, "huge.toml", "name = \"huge\"\nsteps = 40\n\n[network]\ngenerator = \"barabasi-albert\"\nfirms = 100000000\nmean_degree = 5\n")
	for _, cmd := range []string{"run", "sweep"} {
		code, out, errs := smesim(t, cmd, "huge.toml", "--out", "res")
		if code != 2 || out != "" {
			t.Errorf("%s: exit %d, stdout %q: want 2 and nothing", cmd, code, out)
		}
		oneErrorLine(t, errs, `scenario "huge" needs about`, "GiB", "available")
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: %d entries after a refused run", cmd, len(entries))
		}
	}
}

// runAll runs every replication of the arms of cfg named (the scenario's
// when nil) on the Monte Carlo runner, in file order.
func runAll(cfg *config.Config, arms []string) ([]*outcome.Result, error) {
	plan, err := batch.RunPlan(cfg, arms)
	if err != nil {
		return nil, err
	}
	return batch.RunAll(context.Background(), plan, batch.Options{})
}
