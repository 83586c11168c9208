package facts

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// tinyConfig is a four-week weekly scenario from 2020-01-01 (step dates
// 01-01, 01-08, 01-15, 01-22; the run ends on 01-29) holding facts.
func tinyConfig(facts ...config.FactConfig) *config.Config {
	cfg := config.DefaultConfig()
	cfg.StartDate = "2020-01-01"
	cfg.Step = units.MustDuration("1w")
	cfg.Steps = 4
	cfg.Shocks = nil
	cfg.Interventions = nil
	cfg.Facts = facts
	return &cfg
}

var tinyMetrics = []string{"smes_active", "smes_locked_down", "demand_domestic"}

// tinyResult builds one replication of arm over four steps and four firms
// (three SMEs and a core firm): series[m] is metric m's values by step,
// failStep the step each firm failed at (-1: active).
func tinyResult(arm string, rep int, series [3][4]float64, runway, revenue []float64, failStep []int32) *outcome.Result {
	net := &network.Network{Kind: []network.Kind{network.SME, network.SME, network.SME, network.Core}}
	r := &outcome.Result{
		Arm: arm, Replication: rep, Network: net, StepDays: 7,
		StartDate: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		Metrics:   tinyMetrics,
	}
	for t := 0; t < 4; t++ {
		for m := range tinyMetrics {
			r.Series = append(r.Series, series[m][t])
		}
	}
	n := net.N()
	r.Firms = outcome.FirmOutcomes{
		Status: make([]outcome.Status, n), FailStep: failStep, Cause: make([]outcome.Cause, n),
		RevenueChange: revenue, RunwayMonths: runway, Jobs: []float64{5, 10, 20, 100},
	}
	for i, s := range failStep {
		if s >= 0 {
			r.Firms.Status[i] = outcome.Failed
			r.Firms.Cause[i] = outcome.Illiquid
		}
	}
	return r
}

// tinyResults are two replications of arm.
func tinyResults(arm string) []*outcome.Result {
	return []*outcome.Result{
		tinyResult(arm, 0, [3][4]float64{{3, 3, 2, 2}, {0, 1, 1, 0}, {1, 0.8, 0.6, 1}},
			[]float64{1, 3, 6, 12}, []float64{-0.5, -0.1, 0, 0.2}, []int32{-1, 2, -1, -1}),
		tinyResult(arm, 1, [3][4]float64{{3, 3, 3, 3}, {0, 3, 0, 0}, {1, 0.9, 0.7, 0.9}},
			[]float64{0.5, 2, 2, 24}, []float64{-0.3, -0.3, 0.1, -0.05}, []int32{1, -1, -1, 3}),
	}
}

func fact(name, quantity string, edit func(*config.FactConfig)) config.FactConfig {
	f := config.DefaultFact()
	f.Name, f.Quantity = name, quantity
	if edit != nil {
		edit(&f)
	}
	return f
}

func close(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestQuantities(t *testing.T) {
	cases := []struct {
		f    config.FactConfig
		want []float64
	}{
		{fact("sme runway ≤ 2 months", FirmShare, func(f *config.FactConfig) { f.Max = 2 }), []float64{1.0 / 3, 1}},
		{fact("all runway in [2, 12]", FirmShare, func(f *config.FactConfig) { f.Firms, f.Min, f.Max = "all", 2, 12 }), []float64{0.75, 0.5}},
		{fact("core jobs ≥ 50", FirmShare, func(f *config.FactConfig) { f.Firms, f.Column, f.Min = "core", "jobs", 50 }), []float64{1, 1}},
		{fact("sme revenue ≤ -10%", FirmShare, func(f *config.FactConfig) { f.Column, f.Max = "revenue_change", -0.1 }), []float64{2.0 / 3, 2.0 / 3}},
		{fact("sme revenue, failed included", FirmShare, func(f *config.FactConfig) { f.Column, f.Min = "revenue_change", 0 }), []float64{1.0 / 3, 1.0 / 3}},
		{fact("demand change", SeriesMean, func(f *config.FactConfig) {
			f.Metric, f.From, f.To, f.Change = "demand_domestic", "2020-01-08", "2020-01-15", true
		}), []float64{-0.3, -0.2}},
		{fact("demand, window between steps", SeriesMean, func(f *config.FactConfig) {
			f.Metric, f.From, f.To = "demand_domestic", "2020-01-07", "2020-01-14"
		}), []float64{0.8, 0.9}},
		{fact("smes active", SeriesMean, func(f *config.FactConfig) {
			f.Metric, f.From, f.To = "smes_active", "2020-01-01", "2020-01-28"
		}), []float64{2.5, 3}},
		{fact("demand growth to step 2", SeriesChange, func(f *config.FactConfig) {
			f.Metric, f.Date = "demand_domestic", "2020-01-15"
		}), []float64{-0.4, -0.3}},
		{fact("smes active growth, last day", SeriesChange, func(f *config.FactConfig) {
			f.Metric, f.Date = "smes_active", "2020-01-28"
		}), []float64{-1.0 / 3, 0}},
		{fact("reopened in step 1", ReopenedShare, func(f *config.FactConfig) { f.Date = "2020-01-10" }), []float64{2.0 / 3, 0}},
		{fact("reopened on a step's date", ReopenedShare, func(f *config.FactConfig) { f.Date = "2020-01-15" }), []float64{0.5, 1}},
		{fact("reopened on the last day", ReopenedShare, func(f *config.FactConfig) { f.Date = "2020-01-28" }), []float64{1, 1}},
		{fact("sme failures by step 2", FailureShare, func(f *config.FactConfig) { f.Date = "2020-01-15" }), []float64{1.0 / 3, 1.0 / 3}},
		{fact("sme failures by step 1", FailureShare, func(f *config.FactConfig) { f.Date = "2020-01-14" }), []float64{0, 1.0 / 3}},
		{fact("all failures", FailureShare, func(f *config.FactConfig) { f.Firms, f.Date = "all", "2020-01-22" }), []float64{0.25, 0.5}},
		{fact("core failures", FailureShare, func(f *config.FactConfig) { f.Firms, f.Date = "core", "2020-01-28" }), []float64{0, 1}},
	}
	for _, c := range cases {
		t.Run(c.f.Name, func(t *testing.T) {
			c.f.Target, c.f.Tolerance = (c.want[0]+c.want[1])/2, 1e-9
			cfg := tinyConfig(c.f)
			if err := scenarios.Validate(cfg, "code"); err != nil {
				t.Fatalf("the fact is not valid: %v", err)
			}
			out, err := Check(cfg, tinyResults(config.BaselineArm), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 {
				t.Fatalf("%d outcomes", len(out))
			}
			o := out[0]
			if len(o.Values) != 2 || !close(o.Values[0], c.want[0]) || !close(o.Values[1], c.want[1]) {
				t.Errorf("values %v, want %v", o.Values, c.want)
			}
			if o.Arm != config.BaselineArm || o.Stat.N != 2 || !close(o.Stat.Mean, c.f.Target) || !o.Pass || o.Slack != 0 {
				t.Errorf("outcome %+v", o)
			}
		})
	}
}

func TestReplicationOrder(t *testing.T) {
	rs := tinyResults(config.BaselineArm)
	rs[0], rs[1] = rs[1], rs[0]
	f := fact("core failures", FailureShare, func(f *config.FactConfig) { f.Firms, f.Date = "core", "2020-01-28" })
	out, err := Check(tinyConfig(f), rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out[0].Values; got[0] != 0 || got[1] != 1 {
		t.Errorf("values %v, want [0 1]: by replication", got)
	}
}

func TestPass(t *testing.T) {
	// Core failures are 0 and 1 in the two replications: mean 0.5, sd √½,
	// and the 95% interval's half-width t(0.975, 1)·sd/√2 = 12.706/2.
	base := fact("core failures", FailureShare, func(f *config.FactConfig) { f.Firms, f.Date = "core", "2020-01-28" })
	half := 12.706204736174707 / 2
	cases := []struct {
		target, tol float64
		slack       bool
		pass        bool
	}{
		{0.5, 0, false, true},
		{0.7, 0.2, false, true},
		{0.71, 0.2, false, false},
		{0.29, 0.2, false, false},
		{1, 0.5, false, true},
		{1.01, 0.5, false, false},
		{2, 0.5, false, false},
		{2, 0.5, true, true},
		{0.5 + 0.5 + half - 0.01, 0.5, true, true},
		{0.5 + 0.5 + half + 0.01, 0.5, true, false},
		{-half + 0.01, 0.5, true, true},
		{-half - 0.01, 0.5, true, false},
	}
	for _, c := range cases {
		f := base
		f.Target, f.Tolerance = c.target, c.tol
		out, err := Check(tinyConfig(f), tinyResults(config.BaselineArm), Options{MonteCarloSlack: c.slack})
		if err != nil {
			t.Fatal(err)
		}
		o := out[0]
		if o.Pass != c.pass {
			t.Errorf("target %g ± %g (slack %v): pass %v, want %v (mean %g, slack %g)", c.target, c.tol, c.slack, o.Pass, c.pass, o.Stat.Mean, o.Slack)
		}
		wantSlack := 0.0
		if c.slack {
			wantSlack = half
		}
		if math.Abs(o.Slack-wantSlack) > 1e-9 {
			t.Errorf("slack %g, want %g", o.Slack, wantSlack)
		}
	}

	// One replication: no interval, no slack.
	f := base
	f.Target, f.Tolerance = 0, 0
	out, err := Check(tinyConfig(f), tinyResults(config.BaselineArm)[:1], Options{MonteCarloSlack: true})
	if err != nil {
		t.Fatal(err)
	}
	if o := out[0]; o.Slack != 0 || !o.Pass || o.Stat.N != 1 {
		t.Errorf("one replication: %+v", o)
	}

	// An undefined mean never passes: no SME is active.
	rs := tinyResults(config.BaselineArm)
	for _, r := range rs {
		for t := 0; t < 4; t++ {
			r.Series[t*3] = 0
		}
	}
	f = fact("reopened", ReopenedShare, func(f *config.FactConfig) { f.Date, f.Tolerance = "2020-01-10", 1e18 })
	out, err = Check(tinyConfig(f), rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o := out[0]; o.Pass || !math.IsNaN(o.Stat.Mean) || !math.IsNaN(o.Values[0]) {
		t.Errorf("no SME active: %+v", o)
	}
}

func TestArms(t *testing.T) {
	withLoans := func(facts ...config.FactConfig) *config.Config {
		cfg := tinyConfig(facts...)
		iv := config.DefaultIntervention()
		iv.Kind, iv.Name, iv.End, iv.Budget = config.KindPolicyLoan, "loans", units.MustDuration("2w"), 1e6
		cfg.Interventions = []config.InterventionConfig{iv}
		return cfg
	}
	rs := append(tinyResults(config.BaselineArm), tinyResults("loans")...)
	// The loans arm differs: its SMEs are all active at step 1.
	for _, r := range rs[2:] {
		r.Series[1*3+1] = 0
	}
	reopened := fact("reopened", ReopenedShare, func(f *config.FactConfig) { f.Date = "2020-01-10" })

	// Default arm "all": with one intervention, the loans arm.
	out, err := Check(withLoans(reopened), rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o := out[0]; o.Arm != "loans" || o.Values[0] != 1 || o.Values[1] != 1 {
		t.Errorf("default arm: %+v", o)
	}
	// Explicit baseline.
	b := reopened
	b.Arm = config.BaselineArm
	out, err = Check(withLoans(b), rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o := out[0]; o.Arm != config.BaselineArm || !close(o.Values[0], 2.0/3) {
		t.Errorf("baseline arm: %+v", o)
	}
	// Without interventions the default is the baseline.
	out, err = Check(tinyConfig(reopened), rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Arm != config.BaselineArm {
		t.Errorf("no interventions: arm %q", out[0].Arm)
	}
	// The arm is missing from the results.
	_, err = Check(withLoans(reopened), rs[:2], Options{})
	wantErr(t, err, `facts[0] "reopened": arm "all" is not in the results (arms: baseline)`)
}

func wantErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\nwant it to contain %q", err, want)
	}
}

func TestErrors(t *testing.T) {
	aggregate := tinyResults(config.BaselineArm)
	for _, r := range aggregate {
		r.Firms = outcome.FirmOutcomes{}
	}
	onlySMEs := tinyResults(config.BaselineArm)
	for _, r := range onlySMEs {
		r.Network = &network.Network{Kind: make([]network.Kind, 4)}
	}
	cases := []struct {
		name string
		f    config.FactConfig
		rs   []*outcome.Result
		edit func(*config.Config)
		want string
	}{
		{"unknown metric", fact("m", SeriesMean, func(f *config.FactConfig) { f.Metric, f.From, f.To = "output", "2020-01-01", "2020-01-08" }), nil, nil,
			`facts[0] "m": metric "output" is not in the results (they hold: smes_active, smes_locked_down, demand_domestic)`},
		{"window without steps", fact("w", SeriesMean, func(f *config.FactConfig) { f.Metric, f.From, f.To = "demand_domestic", "2020-01-09", "2020-01-14" }), nil, nil,
			`facts[0] "w": no step's date lies in the window from 2020-01-09 to 2020-01-14 (the run's steps are dated 2020-01-01 to 2020-01-28)`},
		{"date after the run", fact("d", ReopenedShare, func(f *config.FactConfig) { f.Date = "2020-01-29" }), nil, nil,
			`facts[0] "d": date 2020-01-29 is after the run, which covers 2020-01-01 to 2020-01-28`},
		{"date before the run", fact("d", FailureShare, func(f *config.FactConfig) { f.Date = "2019-12-31" }), nil, nil,
			`facts[0] "d": date 2019-12-31 is before the run, which covers 2020-01-01 to 2020-01-28`},
		{"not a date", fact("d", FailureShare, func(f *config.FactConfig) { f.Date = "2020-1-5" }), nil, nil,
			`facts[0] "d": date "2020-1-5" is not a date YYYY-MM-DD`},
		{"aggregate", fact("a", FirmShare, nil), aggregate, nil,
			`facts[0] "a": the results hold no firm outcomes (were they recorded with output.record = "aggregate"?)`},
		{"aggregate in scenario", fact("a", FailureShare, func(f *config.FactConfig) { f.Date = "2020-01-10" }), aggregate,
			func(c *config.Config) { c.Output.Record = "aggregate" },
			`facts[0] "a": the results hold no firm outcomes: the scenario has output.record = "aggregate" (time series only); set it to "full" to measure firms`},
		{"no core firms", fact("c", FirmShare, func(f *config.FactConfig) { f.Firms = "core" }), onlySMEs, nil,
			`facts[0] "c": no core firms in the results (replication 0)`},
		{"arm", fact("x", FirmShare, func(f *config.FactConfig) { f.Arm = "loans" }), nil, nil,
			`facts[0] "x": arm "loans" is not in the results (arms: baseline)`},
		{"no results", fact("x", FirmShare, nil), []*outcome.Result{}, nil,
			`facts[0] "x": arm "baseline" is not in the results: they hold no runs`},
		{"quantity", fact("q", "median", nil), nil, nil,
			`facts[0] "q": quantity "median" is not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := c.rs
			if rs == nil {
				rs = tinyResults(config.BaselineArm)
			}
			cfg := tinyConfig(c.f)
			if c.edit != nil {
				c.edit(cfg)
			}
			_, err := Check(cfg, rs, Options{})
			wantErr(t, err, c.want)
		})
	}
}

// TestNoFacts: a scenario without facts has no outcomes.
func TestNoFacts(t *testing.T) {
	out, err := Check(tinyConfig(), tinyResults(config.BaselineArm), Options{})
	if err != nil || len(out) != 0 {
		t.Errorf("Check = %v, %v", out, err)
	}
}

// smallWithFacts is the built-in "small" with three replications and one
// fact of each quantity, two of them on a demand rise (a negative depth is
// not needed: the drop's multiplier is known exactly).
func smallWithFacts(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := scenarios.Open("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Replications = 3
	// Steps are dated 2020-01-01 + 7t days; the shock is at full depth
	// (demand 0.7) from step 8 (2020-02-26) to step 15 (2020-04-15).
	cfg.Facts = []config.FactConfig{
		fact("demand at full depth", SeriesMean, func(f *config.FactConfig) {
			f.Metric, f.From, f.To, f.Change, f.Target, f.Tolerance = "demand_domestic", "2020-03-01", "2020-04-10", true, -0.3, 1e-9
		}),
		fact("output over the year", SeriesMean, func(f *config.FactConfig) {
			f.Metric, f.From, f.To, f.Target, f.Tolerance = "output", "2020-01-01", "2020-12-29", 1e9, 1e18
		}),
		fact("short runway", FirmShare, func(f *config.FactConfig) { f.Max, f.Target, f.Tolerance = 3, 0.3, 1 }),
		fact("revenue fell", FirmShare, func(f *config.FactConfig) {
			f.Firms, f.Column, f.Max, f.Target, f.Tolerance = "all", "revenue_change", -0.05, 0.3, 1
		}),
		fact("big firms", FirmShare, func(f *config.FactConfig) { f.Column, f.Min, f.Target, f.Tolerance = "jobs", 20, 0.3, 1 }),
		fact("reopened", ReopenedShare, func(f *config.FactConfig) { f.Date, f.Target, f.Tolerance = "2020-05-01", 1, 0 }),
		fact("failed by autumn", FailureShare, func(f *config.FactConfig) { f.Date, f.Target, f.Tolerance = "2020-10-01", 0.1, 1 }),
	}
	if err := scenarios.Validate(cfg, "small with facts"); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestMemoryAndFilesAgree runs a small scenario, checks its facts in
// memory, writes the result directory and checks it again from the files.
func TestMemoryAndFilesAgree(t *testing.T) {
	cfg := smallWithFacts(t)
	rs, err := runAll(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := Check(cfg, rs, Options{MonteCarloSlack: true})
	if err != nil {
		t.Fatal(err)
	}
	toml, err := scenarios.Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := results.WriteDir(dir, toml, results.Slice(rs), results.Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	files, err := CheckDir(dir, Options{MonteCarloSlack: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(mem) != len(cfg.Facts) || len(files) != len(mem) {
		t.Fatalf("%d and %d outcomes for %d facts", len(mem), len(files), len(cfg.Facts))
	}
	near := func(a, b float64) bool {
		if math.IsNaN(a) || math.IsNaN(b) {
			return math.IsNaN(a) && math.IsNaN(b)
		}
		return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
	}
	for i := range mem {
		m, f := mem[i], files[i]
		if m.Arm != f.Arm || m.Pass != f.Pass || len(m.Values) != 3 || len(f.Values) != 3 ||
			!near(m.Stat.Mean, f.Stat.Mean) || !near(m.Stat.Lo, f.Stat.Lo) || !near(m.Stat.Hi, f.Stat.Hi) || !near(m.Slack, f.Slack) {
			t.Errorf("%s: memory %+v\nfiles %+v", m.Fact.Name, m, f)
			continue
		}
		for k := range m.Values {
			if !near(m.Values[k], f.Values[k]) {
				t.Errorf("%s: replication %d: memory %g, files %g", m.Fact.Name, k, m.Values[k], f.Values[k])
			}
		}
	}
	// The demand multiplier at full depth is 0.7 exactly.
	if o := mem[0]; !o.Pass || !close(o.Stat.Mean, -0.3) {
		t.Errorf("demand fact: %+v", o)
	}
	// No lockdown: every SME is open.
	if o := mem[5]; !o.Pass || o.Stat.Mean != 1 {
		t.Errorf("reopened fact: %+v", o)
	}
	// Shares are shares.
	for _, o := range mem[2:] {
		for _, v := range o.Values {
			if v < 0 || v > 1 {
				t.Errorf("%s: share %g", o.Fact.Name, v)
			}
		}
	}

	// Without firms.csv, the firm facts cannot be measured.
	if err := os.Remove(filepath.Join(dir, results.FirmsFile)); err != nil {
		t.Fatal(err)
	}
	_, err = CheckDir(dir, Options{})
	wantErr(t, err, `facts[2] "short runway": the results hold no firm outcomes: `+filepath.Join(dir, results.FirmsFile)+" is missing")
}

// TestCheckDirAggregate: results recorded without firms say so.
func TestCheckDirAggregate(t *testing.T) {
	cfg := smallWithFacts(t)
	cfg.Replications = 1
	cfg.Output.Record = "aggregate"
	rs, err := runAll(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs { // as the engine records them with output.record = "aggregate"
		r.Firms, r.Events = outcome.FirmOutcomes{}, nil
	}
	toml, err := scenarios.Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := results.WriteDir(dir, toml, results.Slice(rs), results.Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = CheckDir(dir, Options{})
	wantErr(t, err, `facts[2] "short runway": the results hold no firm outcomes: the scenario has output.record = "aggregate"`)

	// Facts on time series alone still work.
	cfg.Facts = cfg.Facts[:2]
	out, err := Check(cfg, rs, Options{})
	if err != nil || len(out) != 2 || !out[0].Pass {
		t.Errorf("series facts on aggregate results: %+v, %v", out, err)
	}
}

func TestCheckDirErrors(t *testing.T) {
	_, err := CheckDir(filepath.Join(t.TempDir(), "none"), Options{})
	if err == nil || !os.IsNotExist(err) {
		t.Errorf("missing directory: %v", err)
	}
	dir := t.TempDir()
	cfg := tinyConfig(fact("x", FirmShare, func(f *config.FactConfig) { f.Tolerance = 1 }))
	toml, err := scenarios.Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, results.ScenarioFile), toml, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = CheckDir(dir, Options{})
	wantErr(t, err, results.TimeseriesFile)
	if err := os.WriteFile(filepath.Join(dir, results.TimeseriesFile), []byte("arm,rep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = CheckDir(dir, Options{})
	wantErr(t, err, `header "arm,rep"`)
}

func TestIsShare(t *testing.T) {
	for _, c := range []struct {
		f    config.FactConfig
		want bool
	}{
		{fact("", FirmShare, nil), true},
		{fact("", ReopenedShare, nil), true},
		{fact("", FailureShare, nil), true},
		{fact("", SeriesMean, nil), false},
		{fact("", SeriesMean, func(f *config.FactConfig) { f.Change = true }), true},
	} {
		if got := IsShare(c.f); got != c.want {
			t.Errorf("IsShare(%s, change %v) = %v", c.f.Quantity, c.f.Change, got)
		}
	}
}

// TestDemographyQuantities measures failure-share, exit-rate and
// closed-size-ratio by cohort on one four-step run with incumbents,
// entrants, an exit, a failure and a dormant firm, in memory and from the
// files, against results worked out by hand.
func TestDemographyQuantities(t *testing.T) {
	// Firms: 0 incumbent active (10 jobs); 1 incumbent failed at step 1
	// (5); 2 incumbent exited at step 2 (5); 3 entrant from step 1,
	// active (2); 4 entrant from step 2, exited at step 3 (2); 5 dormant,
	// never entered; 6 a core firm.
	var firms []network.Firm
	for i, c := range []network.SizeClass{network.Small, network.Micro, network.Micro, network.Micro, network.Micro, network.Micro, network.Large} {
		f := network.Firm{Kind: network.SME, SizeClass: c, Chain: -1, ExportMarket: -1, FinalDemand: 1, Dormant: i == 5}
		if c == network.Large {
			f.Kind = network.Core
		}
		firms = append(firms, f)
	}
	net, err := network.Build(firms, nil, []string{"s"}, []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &outcome.Result{
		Arm: config.BaselineArm, Network: net, StepDays: 7,
		StartDate: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		Metrics:   tinyMetrics, Series: make([]float64, 4*len(tinyMetrics)),
		Firms: outcome.FirmOutcomes{
			Status:        []outcome.Status{outcome.Active, outcome.Failed, outcome.Exited, outcome.Active, outcome.Exited, outcome.Dormant, outcome.Active},
			FailStep:      []int32{-1, 1, 2, -1, 3, -1, -1},
			Cause:         []outcome.Cause{0, outcome.Illiquid, outcome.Exit, 0, outcome.Exit, 0, 0},
			RevenueChange: make([]float64, 7), RunwayMonths: make([]float64, 7),
			Jobs:        []float64{10, 5, 5, 2, 2, 0, 100},
			EnteredStep: []int32{-1, -1, -1, 1, 2, -1, -1},
		},
	}
	years := 28 / units.DaysPerYear // steps 0..3 dated 01-01 to 01-22; the run ends 01-29
	cases := []struct {
		f    config.FactConfig
		want float64
	}{
		// Incumbent SMEs 0, 1, 2: firm 1 failed (the exit is not a failure).
		{fact("failed incumbents", FailureShare, func(f *config.FactConfig) { f.Date = "2020-01-22" }), 1.0 / 3},
		{fact("failed, all", FailureShare, func(f *config.FactConfig) { f.Date, f.Cohort = "2020-01-22", "all" }), 1.0 / 5},
		{fact("failed entrants", FailureShare, func(f *config.FactConfig) { f.Date, f.Cohort = "2020-01-22", "entrant" }), 0},
		// Incumbents: 2 closures; active 4 + 1 + 2 = 7 firm-steps over 4 steps.
		{fact("exit rate", ExitRate, func(f *config.FactConfig) { f.From, f.To = "2020-01-01", "2020-01-22" }), 2 / (7.0 / 4) / years},
		// Entrants: 1 closure; active 3 + 1 firm-steps over 4 steps.
		{fact("entrant exit rate", ExitRate, func(f *config.FactConfig) { f.From, f.To, f.Cohort = "2020-01-01", "2020-01-22", "entrant" }), 1 / (4.0 / 4) / years},
		// Incumbents: closed 1 and 2 hold 10 of 20 jobs, 2 of 3 firms.
		{fact("closed size", ClosedSize, func(f *config.FactConfig) { f.Date = "2020-01-22" }), (10.0 / 20) / (2.0 / 3)},
		// All SMEs entered by step 3: closed 1, 2, 4 hold 12 of 24 jobs, 3 of 5 firms.
		{fact("closed size, all", ClosedSize, func(f *config.FactConfig) { f.Date, f.Cohort = "2020-01-22", "all" }), (12.0 / 24) / (3.0 / 5)},
		// At step 1 firm 1 has failed: 5 of 20 jobs, 1 of 3 firms.
		{fact("closed size, step 1", ClosedSize, func(f *config.FactConfig) { f.Date = "2020-01-08" }), (5.0 / 20) / (1.0 / 3)},
	}
	var facts []config.FactConfig
	for _, c := range cases {
		facts = append(facts, c.f)
	}
	cfg := tinyConfig(facts...)
	mem, err := Check(cfg, []*outcome.Result{r}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	toml, err := scenarios.Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := results.WriteDir(dir, toml, results.Slice([]*outcome.Result{r}), results.Meta{Demography: true}, nil); err != nil {
		t.Fatal(err)
	}
	files, err := CheckDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		for _, o := range []Outcome{mem[i], files[i]} {
			if len(o.Values) != 1 || math.Abs(o.Values[0]-c.want) > 1e-9*math.Max(1, c.want) {
				t.Errorf("%s: %v, want %v", c.f.Name, o.Values, c.want)
			}
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
