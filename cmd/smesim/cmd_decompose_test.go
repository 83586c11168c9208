package main

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// mixScenario is armsScenario with a third instrument, of a third kind.
const mixScenario = armsScenario + `
[[interventions]]
kind = "payment-term-cap"
name = "cap"
from = "shock"
end = "6mo"
max_term = "60d"
`

// oneInterventionScenario keeps armsScenario's first instrument only.
var oneInterventionScenario = armsScenario[:strings.Index(armsScenario, "[[interventions]]\nkind = \"loan-guarantee\"")]

// readDecomposition reads DIR/decomposition.csv into rows keyed by
// intervention, each column parsed by name.
func readDecomposition(t *testing.T, dir string) (order []string, rows map[string]map[string]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, decompositionFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for k, name := range recs[0] {
			row[name] = rec[k]
		}
		order = append(order, rec[0])
		rows[rec[0]] = row
	}
	return order, rows
}

func readBytes(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// TestDecomposeGame checks the per-replication decomposition on games
// whose Shapley values are known by hand.
func TestDecomposeGame(t *testing.T) {
	cases := []struct {
		name  string
		n     int
		worth [][]float64 // by coalition, by replication
		want  []float64   // mean Shapley value by player
		mix   float64
	}{
		// φa = (1 + (5−2))/2, φb = (2 + (5−1))/2.
		{"two, synergy", 2, [][]float64{{0}, {1}, {2}, {5}}, []float64{2, 3}, 5},
		// Replications (a alone, b alone, both) = (2, 0, 2) and (4, 0, 4): b adds nothing.
		{"two, null player", 2, [][]float64{{0, 0}, {2, 4}, {0, 0}, {2, 4}}, []float64{3, 0}, 3},
		{"one", 1, [][]float64{{0, 0}, {7, 9}}, []float64{8}, 8},
		// Additive game: each player's value is its effect alone.
		{"three, additive", 3, [][]float64{{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}}, []float64{1, 2, 4}, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := decompose(context.Background(), c.n, c.worth, results.FirmsSaved)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range c.want {
				if got := d.shapley[i].Mean; math.Abs(got-w) > 1e-12 {
					t.Errorf("player %d: Shapley value %v, want %v", i, got, w)
				}
			}
			if d.mix.Mean != c.mix {
				t.Errorf("mix %v, want %v", d.mix.Mean, c.mix)
			}
			if d.maxGap > 1e-12 {
				t.Errorf("efficiency gap %v", d.maxGap)
			}
		})
	}
}

// TestDecomposeEfficiency runs a three-instrument mix: the Shapley values
// add up to the mix's effect, and the effects alone and of the mix are
// those smesim run reports for the same arms.
func TestDecomposeEfficiency(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	writeFile(t, "mix.toml", mixScenario)
	code, out, errs := smesim(t, "decompose", "mix.toml", "--out", "dec", "--progress", "none")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "efficiency: the Shapley values sum to") {
		t.Errorf("no efficiency line:\n%s", out)
	}
	// The table does not depend on how the runs are spread.
	if code, _, errs := smesim(t, "decompose", "mix.toml", "--out", "dec1", "--workers", "1", "--progress", "none"); code != 0 {
		t.Fatalf("--workers 1: exit %d, stderr %q", code, errs)
	}
	if a, b := readBytes(t, "dec/"+decompositionFile), readBytes(t, "dec1/"+decompositionFile); a != b {
		t.Errorf("--workers 1 changes the table:\n%s\nvs\n%s", b, a)
	}
	order, rows := readDecomposition(t, "dec")
	if want := []string{"loans", "guar", "cap", "all"}; strings.Join(order, ",") != strings.Join(want, ",") {
		t.Fatalf("rows %q, want %q", order, want)
	}
	mix := num(t, rows["all"]["shapley"])
	sum, shares := 0.0, 0.0
	for _, iv := range order[:3] {
		sum += num(t, rows[iv]["shapley"])
		shares += num(t, rows[iv]["share"])
	}
	if math.Abs(sum-mix) > 1e-9*max(1, math.Abs(mix)) {
		t.Errorf("Shapley values sum to %v, the mix's effect is %v", sum, mix)
	}
	if mix != 0 && math.Abs(shares-1) > 1e-9 {
		t.Errorf("shares sum to %v, want 1", shares)
	}
	code, _, errs = smesim(t, "run", "mix.toml", "--out", "run", "--arms", "loans,guar,cap,all", "--progress", "none")
	if code != 0 {
		t.Fatalf("run: exit %d, stderr %q", code, errs)
	}
	s, err := results.ReadSummary("run")
	if err != nil {
		t.Fatal(err)
	}
	for arm, col := range map[string]string{"loans": "alone", "guar": "alone", "cap": "alone", "all": "shapley"} {
		st, ok := s.Get(arm).Effects.Get(results.FirmsSaved)
		if !ok {
			t.Fatalf("run: arm %s has no firms_saved", arm)
		}
		// summary.json keeps 10 significant digits.
		if got := num(t, rows[arm][col]); math.Abs(got-st.Mean) > 1e-9*max(1, math.Abs(got)) {
			t.Errorf("%s: %s %v, smesim run says %v", arm, col, got, st.Mean)
		}
	}
}

// TestDecomposeOneIntervention: the only instrument gets the whole effect.
func TestDecomposeOneIntervention(t *testing.T) {
	skipWithoutEngine(t)
	inTempDir(t)
	writeFile(t, "one.toml", oneInterventionScenario)
	code, _, errs := smesim(t, "decompose", "one.toml", "--out", "dec", "--metric", "jobs_saved", "--progress", "none")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	order, rows := readDecomposition(t, "dec")
	if strings.Join(order, ",") != "loans,all" {
		t.Fatalf("rows %q, want loans, all", order)
	}
	l, a := rows["loans"], rows["all"]
	for _, col := range []string{"shapley", "lo", "hi"} {
		if l[col] != a[col] {
			t.Errorf("%s: loans %s, the mix %s: want equal", col, l[col], a[col])
		}
	}
	if l["shapley"] != l["alone"] {
		t.Errorf("Shapley value %s, effect alone %s: want equal", l["shapley"], l["alone"])
	}
	// The share is undefined (empty) only when the mix saves nothing.
	if l["metric"] != "jobs_saved" || l["share"] != "1" && !(l["share"] == "" && num(t, a["shapley"]) == 0) {
		t.Errorf("row %v: want metric jobs_saved, share 1", l)
	}
}

func TestDecomposeBad(t *testing.T) {
	inTempDir(t)
	writeFile(t, "mix.toml", mixScenario)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"mix.toml", "--metric", "firms"}, []string{`--metric "firms"`, "allowed firms_saved", "output_saved"}},
		{[]string{"mix.toml", "--metric", "cost_per_firm_saved"}, []string{`--metric "cost_per_firm_saved"`, "do not"}},
		{[]string{"small"}, []string{"small", "no [[interventions]]"}},
		{[]string{"policy-mix"}, []string{"policy-mix", "6 interventions", "at most 5"}},
		{[]string{"mix.toml", "-r", "0"}, []string{"--replications 0"}},
		{[]string{"mix.toml", "--workers", "0"}, []string{"--workers 0"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			badInputOneLine(t, append([]string{"decompose", "--out", "dec"}, c.args...), c.want...)
			if _, err := os.Stat("dec"); err == nil {
				t.Error("bad input left dec behind")
			}
		})
	}
}
