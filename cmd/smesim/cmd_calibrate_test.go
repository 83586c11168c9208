package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/facts"
	"github.com/smesim/smesim/sim/outcome"
)

var longCalibration = flag.Bool("calibrate.long", false, "run TestCalibrateRecoversTruth on a larger scenario with more particles and replications (minutes)")

// calScenario is a scenario of about 300 firms (chains firms × 75) over
// 20 weeks, whose facts measure the depth of its demand shock and the
// spread of its SMEs' cash runways, with TARGETn to replace. Its
// [[uncertain]] are the depth (0.05 to 0.6) and the spread (0.2 to 2).
const calScenario = `name = "calibration-test"
seed = 11
replications = 2
step = "1w"
steps = 20
start_date = "2020-01-01"

[network]
generator = "core-satellite"
chains = CHAINS
cores_per_chain = 1
suppliers_per_chain = 16
raw_materials_per_chain = 30
distributors_per_chain = 28
supplier_sectors = 4
raw_material_sectors = 2
multi_sourcing = 2
shared_supplier_share = 0.15

[[shocks]]
kind = "demand"
name = "domestic demand drop"
market = "domestic"
start = "8w"
duration = "8w"
recovery = "4w"
shape = "linear"
depth = DEPTH

[firms.sme]
cash_runway_dispersion = DISPERSION

[[facts]]
name = "demand drop"
source = "simulated"
quantity = "series-mean"
metric = "demand_domestic"
from = "2020-03-01"
to = "2020-04-15"
change = true
target = TARGET0
tolerance = 0.02

[[facts]]
name = "runway <= 1 month"
source = "simulated"
quantity = "firm-share"
column = "cash_runway_months"
max = 1
target = TARGET1
tolerance = 0.02

[[facts]]
name = "runway <= 6 months"
source = "simulated"
quantity = "firm-share"
column = "cash_runway_months"
max = 6
target = TARGET2
tolerance = 0.02

[[uncertain]]
key = "shocks[0].depth"
distribution = "uniform"
lo = 0.05
hi = 0.6
source = "test prior"

[[uncertain]]
key = "firms.sme.cash_runway_dispersion"
distribution = "uniform"
lo = 0.2
hi = 2.0
source = "test prior"
`

// calTruth are the parameter values the test data are simulated at.
var calTruth = map[string]float64{"shocks[0].depth": 0.3, "firms.sme.cash_runway_dispersion": 0.8}

// calScenarioText returns calScenario with chains chains, the truth's
// values and the targets.
func calScenarioText(chains int, targets []float64) string {
	r := []string{"CHAINS", strconv.Itoa(chains), "DEPTH", "0.3", "DISPERSION", "0.8"}
	for i, v := range targets {
		r = append(r, fmt.Sprintf("TARGET%d", i), strconv.FormatFloat(v, 'g', -1, 64))
	}
	return strings.NewReplacer(r...).Replace(calScenario)
}

// simulatedTargets runs the scenario at the truth, on seed 99 with reps
// replications (not the calibration's seed), and returns its facts'
// simulated means: the data the calibration is to recover the truth from.
func simulatedTargets(t *testing.T, chains, reps int) []float64 {
	t.Helper()
	src := calScenarioText(chains, []float64{0, 0, 0})
	cfg, err := scenarios.Parse("truth.toml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed, cfg.Replications = 99, reps
	var rs []*outcome.Result
	for rep := range reps {
		r, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, rep, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	out, err := facts.Check(cfg, rs, facts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var targets []float64
	for _, o := range out {
		targets = append(targets, o.Stat.Mean)
	}
	return targets
}

// readTidyCSV reads a CSV file into records keyed by their first column.
func readTidyCSV(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out[rec[0]] = row
	}
	return out
}

// TestCalibrateRecoversTruth (issue 16, must-show 2): facts simulated at
// known parameter values are calibrated back: each true value lies in its
// 90% posterior interval, which is narrower than the prior's.
func TestCalibrateRecoversTruth(t *testing.T) {
	chains, reps, particles, generations := 4, 2, 60, 6
	if *longCalibration {
		chains, reps, particles, generations = 8, 4, 300, 12
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cal.toml")
	targets := simulatedTargets(t, chains, reps)
	if err := os.WriteFile(path, []byte(calScenarioText(chains, targets)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := smesim(t, "calibrate", path, "--particles", strconv.Itoa(particles), "--generations", strconv.Itoa(generations),
		"-r", strconv.Itoa(reps), "--out", out, "--progress", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Log(stdout)
	sum := readTidyCSV(t, filepath.Join(out, calSummaryFile))
	num := func(row map[string]string, k string) float64 {
		v, err := strconv.ParseFloat(row[k], 64)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return v
	}
	for key, truth := range calTruth {
		row, ok := sum[key]
		if !ok {
			t.Fatalf("no row for %s in %s", key, calSummaryFile)
		}
		lo, hi := num(row, "q05"), num(row, "q95")
		if truth < lo || truth > hi {
			t.Errorf("%s: truth %v outside the 90%% posterior interval [%v, %v]", key, truth, lo, hi)
		}
		if w, prior := hi-lo, num(row, "prior_q95")-num(row, "prior_q05"); !(w < prior) {
			t.Errorf("%s: 90%% posterior interval [%v, %v] is not narrower than the prior's (width %v)", key, lo, hi, prior)
		}
	}
}

// TestCalibrateKillResume (issue 16, must-show 6 for calibration): a
// calibration killed in its second generation and resumed, on one worker,
// writes the same bytes as one run straight through on two; so does one
// stopped early and carried further.
func TestCalibrateKillResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cal.toml")
	if err := os.WriteFile(path, []byte(calScenarioText(2, []float64{-0.3, 0.09, 0.8})), 0o644); err != nil {
		t.Fatal(err)
	}
	args := func(out string, more ...string) []string {
		return append([]string{"smesim", "calibrate", path, "--particles", "20", "--generations", "3", "--out", filepath.Join(dir, out)}, more...)
	}
	code, whole, stderr := smesim(t, args("whole", "-w", "2", "--progress", "none")[1:]...)
	if code != 0 {
		t.Fatalf("straight through: exit %d: %s", code, stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	// Generation 0 is 20 particles × 2 replications: 40 runs; kill in
	// generation 1.
	code, msg := execute(ctx, args("k", "-w", "1", "--progress", "json"), &stdout, &cancelAfter{n: 45, cancel: cancel})
	if code != 130 {
		t.Fatalf("killed: exit %d, want 130: %s", code, msg)
	}
	if !strings.Contains(msg, "the same command (with --out") {
		t.Errorf("the interruption does not say how to resume: %s", msg)
	}
	units, _ := os.ReadDir(filepath.Join(dir, "k", "generation-01", "units"))
	if len(units) == 0 || len(units) >= 20 {
		t.Fatalf("the killed calibration kept %d runs of generation 1: want some of its 20", len(units))
	}
	code, resumed, stderr := smesim(t, args("k", "-w", "1", "--progress", "none")[1:]...)
	if code != 0 {
		t.Fatalf("resumed: exit %d: %s", code, stderr)
	}
	for _, f := range []string{calPosteriorFile, calSummaryFile, calFactsFile, calProgressFile} {
		want, err := os.ReadFile(filepath.Join(dir, "whole", f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "k", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("resumed %s differs from the straight run's:\n%s\nwant\n%s", f, got, want)
		}
	}
	if strings.ReplaceAll(resumed, "/k", "/whole") != whole {
		t.Errorf("resumed output differs:\n%s\nwant\n%s", resumed, whole)
	}
	// A calibration stopped after 2 generations, carried to 3 by the
	// same command with --generations 3, is the straight one.
	ext := []string{"smesim", "calibrate", path, "--particles", "20", "--out", filepath.Join(dir, "ext"), "--progress", "none"}
	for _, g := range []string{"2", "3"} {
		if code, _, stderr := smesim(t, append(ext[1:], "--generations", g)...); code != 0 {
			t.Fatalf("--generations %s: exit %d: %s", g, code, stderr)
		}
	}
	for _, f := range []string{calPosteriorFile, calProgressFile} {
		want, _ := os.ReadFile(filepath.Join(dir, "whole", f))
		if got, _ := os.ReadFile(filepath.Join(dir, "ext", f)); !bytes.Equal(got, want) {
			t.Errorf("%s carried from 2 to 3 generations differs from the straight run's:\n%s\nwant\n%s", f, got, want)
		}
	}
	// Another seed is another calibration: its directory is refused.
	code, _, stderr = smesim(t, args("k", "--seed", "5")[1:]...)
	if code != 2 {
		t.Errorf("another calibration into the directory: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "holds another calibration")
}

// TestCalibrateBadInput: what calibration needs beyond a valid scenario
// is one line naming the file (and line), exit 2, before anything runs.
func TestCalibrateBadInput(t *testing.T) {
	good := calScenarioText(2, []float64{-0.3, 0.09, 0.8})
	for _, tc := range []struct {
		name, from, to string
		args           []string
		want           []string
	}{
		{"tolerance 0", "tolerance = 0.02\n\n[[facts]]\nname = \"runway <= 6", "tolerance = 0\n\n[[facts]]\nname = \"runway <= 6", nil,
			[]string{"cal.toml:51: facts[1].tolerance: 0: calibration measures the deviation from each fact in tolerances, which must be above 0"}},
		{"fact without tolerance", "tolerance = 0.02\n\n[[uncertain]]", "\n[[uncertain]]", nil,
			[]string{"cal.toml:53: facts[2].tolerance: missing"}},
		{"lo above hi", "lo = 0.05\nhi = 0.6", "lo = 0.6\nhi = 0.05", nil, []string{"cal.toml:65: uncertain[0].lo: lo = 0.6 must be less than hi = 0.05"}},
		{"unknown key", "lo = 0.2\nhi = 2.0", "lo = 0.2\nhigh = 2.0", nil, []string{"cal.toml:73: uncertain[1].high: unknown key"}},
		{"no uncertain", "[[uncertain]]", "[[uncertain_]]", nil, []string{"cal.toml:", "uncertain_: unknown key"}},
		{"alpha", "", "", []string{"--alpha", "1"}, []string{"--alpha 1: allowed strictly between 0 and 1"}},
		{"particles", "", "", []string{"--particles", "3"}, []string{"--particles 3: allowed 4 to 1000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "cal.toml")
			src := good
			if tc.from != "" {
				if !strings.Contains(src, tc.from) {
					t.Fatalf("the scenario lacks %q", tc.from)
				}
				src = strings.Replace(src, tc.from, tc.to, 1)
			}
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := smesim(t, append([]string{"calibrate", path, "--out", filepath.Join(dir, "o")}, tc.args...)...)
			if code != 2 {
				t.Errorf("exit %d, want 2: %s", code, stderr)
			}
			oneErrorLine(t, stderr, tc.want...)
			if _, err := os.Stat(filepath.Join(dir, "o")); err == nil {
				t.Errorf("calibrate made its directory on bad input")
			}
		})
	}
	code, _, stderr := smesim(t, "calibrate", "small", "--out", filepath.Join(t.TempDir(), "o"))
	if code != 2 {
		t.Errorf("no [[uncertain]]: exit %d, want 2", code)
	}
	oneErrorLine(t, stderr, "small: no [[uncertain]] table")
}
