package main

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var updateSensitivity = flag.Bool("update-sensitivity", false, "rewrite the golden files of testdata/sensitivity")

// TestSensitivityGolden pins the bytes of the designs (every distribution,
// both methods) and of the indices of a fixed model on them: the same
// flags must write the same files on every platform and in every version,
// unless a change means to change them and says so by rewriting them:
//
//	go test ./cmd/smesim -run TestSensitivityGolden -update-sensitivity
func TestSensitivityGolden(t *testing.T) {
	params, err := filepath.Abs("testdata/sensitivity/all-distributions.toml")
	if err != nil {
		t.Fatal(err)
	}
	golden, _ := filepath.Abs("testdata/sensitivity")
	inTempDir(t)
	// y = u + log(lu)·n − 3·tn·b + d², a model with interactions.
	model := func(x []float64) float64 {
		return x[0] + math.Log(x[1])*x[2] - 3*x[3]*x[4] + x[5]*x[5]
	}
	cases := []struct {
		method, n string
	}{{"sobol", "8"}, {"morris", "3"}}
	for _, c := range cases {
		design, indices := c.method+"-design.csv", c.method+"-indices.csv"
		if code, _, errs := smesim(t, "sensitivity", "sample", "--params", params, "--method", c.method, "--n", c.n, "--seed", "5", "--out", design); code != 0 {
			t.Fatalf("%s sample: %s", c.method, errs)
		}
		evaluate(t, design, "y.csv", model)
		if code, _, errs := smesim(t, "sensitivity", "analyze", "--params", params, "--method", c.method, "--seed", "5", "--bootstrap", "20",
			"--samples", design, "--outputs", "y.csv", "--out", indices); code != 0 {
			t.Fatalf("%s analyze: %s", c.method, errs)
		}
		for _, f := range []string{design, indices} {
			got, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(golden, f)
			if *updateSensitivity {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-sensitivity to write it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from %s:\n%s", f, path, got)
			}
		}
	}
}
