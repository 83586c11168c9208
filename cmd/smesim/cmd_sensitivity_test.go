package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

const ishigamiParams = `# The Ishigami function's inputs.
[[uncertain]]
name = "x1"
distribution = "uniform"
lo = -3.141592653589793
hi = 3.141592653589793
source = "Ishigami and Homma (1990)"

[[uncertain]]
name = "x2"
distribution = "uniform"
lo = -3.141592653589793
hi = 3.141592653589793

[[uncertain]]
name = "x3"
distribution = "uniform"
lo = -3.141592653589793
hi = 3.141592653589793
`

// evaluate reads a design CSV, evaluates f on each row and writes the
// outputs CSV (with the id column) to out.
func evaluate(t *testing.T, design, out string, f func([]float64) float64) {
	t.Helper()
	data, err := os.ReadFile(design)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id,y\n")
	x := make([]float64, len(recs[0])-1)
	for _, rec := range recs[1:] {
		for i, s := range rec[1:] {
			if x[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Fprintf(&b, "%s,%s\n", rec[0], strconv.FormatFloat(f(x), 'g', -1, 64))
	}
	writeFile(t, out, b.String())
}

func ishigamiFunc(x []float64) float64 {
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// readIndices reads the tidy indices file into parameter/index → value.
func readIndices(t *testing.T, path string) map[string][3]float64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "output,parameter,index,value,lo,hi" {
		t.Fatalf("header %q", recs[0])
	}
	out := map[string][3]float64{}
	for _, r := range recs[1:] {
		var v [3]float64
		for i := range 3 {
			v[i] = math.NaN()
			if r[3+i] != "" {
				v[i], _ = strconv.ParseFloat(r[3+i], 64)
			}
		}
		out[r[0]+"/"+r[1]+"/"+r[2]] = v
	}
	return out
}

// The Ishigami must-show through the command line: sample, evaluate,
// analyze; every Sobol index within 0.02 of its analytic value at N = 2^14.
func TestSensitivityIshigamiSobol(t *testing.T) {
	inTempDir(t)
	writeFile(t, "ishigami.toml", ishigamiParams)
	code, out, errs := smesim(t, "sensitivity", "sample", "--params", "ishigami.toml", "--n", "16384", "--seed", "7", "--out", "x.csv")
	if code != 0 {
		t.Fatalf("sample: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "81920 rows") {
		t.Errorf("sample output %q", out)
	}
	evaluate(t, "x.csv", "y.csv", ishigamiFunc)
	code, out, errs = smesim(t, "sensitivity", "analyze", "--params", "ishigami.toml", "--samples", "x.csv", "--outputs", "y.csv", "--seed", "7", "--bootstrap", "200", "--out", "indices.csv")
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errs)
	}
	t.Log(out)
	got := readIndices(t, "indices.csv")
	want := map[string]float64{
		"y/x1/S1": 0.3139, "y/x2/S1": 0.4424, "y/x3/S1": 0,
		"y/x1/ST": 0.5576, "y/x2/ST": 0.4424, "y/x3/ST": 0.2437,
	}
	if len(got) != len(want) {
		t.Errorf("%d indices, want %d", len(got), len(want))
	}
	for key, w := range want {
		g, ok := got[key]
		if !ok {
			t.Errorf("no %s", key)
			continue
		}
		if math.Abs(g[0]-w) > 0.02 || !(g[1] <= g[0] && g[0] <= g[2]) {
			t.Errorf("%s = %v [%v, %v], want %v ± 0.02 inside its interval", key, g[0], g[1], g[2], w)
		}
	}
	// The table lists the parameters by total-order index, largest first.
	if i1, i2, i3 := strings.Index(out, "\nx1 "), strings.Index(out, "\nx2 "), strings.Index(out, "\nx3 "); !(i1 < i2 && i2 < i3) {
		t.Errorf("table not sorted by ST:\n%s", out)
	}
}

// Morris through the command line: x3 ranks last, the design file is
// deterministic for a seed, and analyze checks it against the seed.
func TestSensitivityIshigamiMorris(t *testing.T) {
	inTempDir(t)
	writeFile(t, "ishigami.toml", ishigamiParams)
	for _, out := range []string{"m1.csv", "m2.csv"} {
		if code, _, errs := smesim(t, "sensitivity", "sample", "--params", "ishigami.toml", "--method", "morris", "--n", "500", "--out", out); code != 0 {
			t.Fatalf("sample: exit %d: %s", code, errs)
		}
	}
	a, _ := os.ReadFile("m1.csv")
	b, _ := os.ReadFile("m2.csv")
	if string(a) != string(b) || strings.Count(string(a), "\n") != 1+500*4 {
		t.Fatalf("two samples with the same seed differ, or have the wrong rows (%d lines)", strings.Count(string(a), "\n"))
	}
	evaluate(t, "m1.csv", "y.csv", ishigamiFunc)
	code, _, errs := smesim(t, "sensitivity", "analyze", "--params", "ishigami.toml", "--method", "morris", "--samples", "m1.csv", "--outputs", "y.csv", "--out", "ix.csv")
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errs)
	}
	got := readIndices(t, "ix.csv")
	mu := func(p string) float64 { return got["y/"+p+"/mu_star"][0] }
	if !(mu("x3") < mu("x1") && mu("x3") < mu("x2")) {
		t.Errorf("mu*: x1 %v x2 %v x3 %v: want x3 last", mu("x1"), mu("x2"), mu("x3"))
	}
	if g := mu("x2"); math.Abs(g-7.875) > 1e-9 {
		t.Errorf("mu* of x2 = %v, want 7.875 (its exact value on the 4-level grid)", g)
	}
	// The same design analysed with another seed is refused.
	code, _, errs = smesim(t, "sensitivity", "analyze", "--params", "ishigami.toml", "--method", "morris", "--samples", "m1.csv", "--outputs", "y.csv", "--seed", "2", "--out", "ix.csv")
	if code != 2 {
		t.Fatalf("other seed: exit %d, want 2", code)
	}
	oneErrorLine(t, errs, "m1.csv:2:", "--seed 2")
}

// TestSensitivityMorrisJump: --jump sets the step of a Morris design in
// levels. On 10 levels with steps of 6 (Δ = 2/3) every move of an
// Ishigami input spans 2/3 of its range and mu* ranks x1 > x2 > x3, as
// the total-order indices do (the standard step of p/2 levels cannot:
// docs/sensitivity.md); --jump 2 on 4 levels is the standard design, byte
// for byte; analyze refuses a design drawn with another jump.
func TestSensitivityMorrisJump(t *testing.T) {
	inTempDir(t)
	writeFile(t, "ishigami.toml", ishigamiParams)
	morris := func(extra ...string) []string {
		return append([]string{"sensitivity", "sample", "--params", "ishigami.toml", "--method", "morris", "--n", "2000"}, extra...)
	}
	for _, args := range [][]string{
		morris("--levels", "10", "--jump", "6", "--out", "fine.csv"),
		morris("--out", "standard.csv"),
		morris("--levels", "4", "--jump", "2", "--out", "jump2.csv"),
	} {
		if code, _, errs := smesim(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	standard, _ := os.ReadFile("standard.csv")
	jump2, _ := os.ReadFile("jump2.csv")
	if string(standard) != string(jump2) || len(standard) == 0 {
		t.Errorf("--jump 2 on 4 levels is not the standard design")
	}
	data, _ := os.ReadFile("fine.csv")
	recs, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	step := 2 * math.Pi * 6 / 9 // Δ = 6/9 of the range [-π, π]
	for i := 1; i+1 < len(recs); i++ {
		if (i-1)%4 == 3 { // the last row of a trajectory: the next row starts another
			continue
		}
		moved := 0
		for c := 1; c < len(recs[i]); c++ {
			a, _ := strconv.ParseFloat(recs[i][c], 64)
			b, _ := strconv.ParseFloat(recs[i+1][c], 64)
			if a != b {
				moved++
				if d := math.Abs(b - a); math.Abs(d-step) > 1e-9 {
					t.Fatalf("fine.csv rows %d and %d: %s moves by %v, want %v", i, i+1, recs[0][c], d, step)
				}
			}
		}
		if moved != 1 {
			t.Fatalf("fine.csv rows %d and %d: %d inputs move, want 1", i, i+1, moved)
		}
	}
	evaluate(t, "fine.csv", "y.csv", ishigamiFunc)
	code, _, errs := smesim(t, "sensitivity", "analyze", "--params", "ishigami.toml", "--method", "morris", "--levels", "10", "--jump", "6",
		"--samples", "fine.csv", "--outputs", "y.csv", "--out", "ix.csv")
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errs)
	}
	got := readIndices(t, "ix.csv")
	mu := func(p string) float64 { return got["y/"+p+"/mu_star"][0] }
	if !(mu("x1") > mu("x2") && mu("x2") > mu("x3")) {
		t.Errorf("mu*: x1 %v x2 %v x3 %v: want x1 > x2 > x3", mu("x1"), mu("x2"), mu("x3"))
	}
	code, _, errs = smesim(t, "sensitivity", "analyze", "--params", "ishigami.toml", "--method", "morris", "--levels", "10",
		"--samples", "fine.csv", "--outputs", "y.csv", "--out", "ix5.csv")
	if code != 2 {
		t.Fatalf("analyze with the standard jump: exit %d, want 2", code)
	}
	oneErrorLine(t, errs, "fine.csv:", "not the value of the morris design", "--levels 10 --jump 5")
}

// A CSV parameters file gives the same design as the same parameters in
// TOML.
func TestSensitivityParamsCSV(t *testing.T) {
	inTempDir(t)
	writeFile(t, "p.toml", ishigamiParams+"\n[[uncertain]]\nname = \"d\"\ndistribution = \"discrete\"\nvalues = [1, 2, 4]\nweights = [2, 1, 1]\n")
	writeFile(t, "p.csv", "# the same parameters\nname,distribution,lo,hi,values,weights,source\n"+
		"x1,uniform,-3.141592653589793,3.141592653589793,,,Ishigami and Homma (1990)\n"+
		"x2,uniform,-3.141592653589793,3.141592653589793,,,\n"+
		"x3,uniform,-3.141592653589793,3.141592653589793,,,\n"+
		"d,discrete,,,1 2 4,2 1 1,\n")
	for _, p := range []string{"p.toml", "p.csv"} {
		if code, _, errs := smesim(t, "sensitivity", "sample", "--params", p, "--n", "16", "--out", p+".design"); code != 0 {
			t.Fatalf("%s: %s", p, errs)
		}
	}
	a, _ := os.ReadFile("p.toml.design")
	b, _ := os.ReadFile("p.csv.design")
	if string(a) != string(b) || len(a) == 0 {
		t.Errorf("the CSV parameters give another design:\n%s\n%s", a, b)
	}
}

func TestSensitivityBadInput(t *testing.T) {
	inTempDir(t)
	writeFile(t, "ok.toml", ishigamiParams)
	writeFile(t, "lohi.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"uniform\"\nlo = 2\nhi = 1\n")
	writeFile(t, "unknowndist.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"gamma\"\n")
	writeFile(t, "unknownkey.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"uniform\"\nlo = 0\nhi = 1\nmean = 3\n")
	writeFile(t, "missing.toml", "[[uncertain]]\nname = \"a\"\n\n[[uncertain]]\nname = \"b\"\ndistribution = \"normal\"\nmean = 1\n")
	writeFile(t, "dup.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"normal\"\nmean = 0\nsd = 1\n[[uncertain]]\nname = \"a\"\ndistribution = \"normal\"\nmean = 0\nsd = 1\n")
	writeFile(t, "toplevel.toml", "seed = 3\n[[uncertain]]\nname = \"a\"\ndistribution = \"normal\"\nmean = 0\nsd = 1\n")
	writeFile(t, "syntax.toml", "[[uncertain]]\nname = \"a\ndistribution = \"normal\"\n")
	writeFile(t, "type.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"uniform\"\nlo = \"zero\"\nhi = 1\n")
	writeFile(t, "betalo.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"beta\"\nalpha = 2\nbeta = 2\nlo = 3\n")
	writeFile(t, "single.toml", "# one table, not an array\n[uncertain]\nname = \"a\"\ndistribution = \"normal\"\nmean = 0\nsd = 1\n")
	writeFile(t, "inline.toml", "uncertain = [\n  {name = \"a\", distribution = \"uniform\", lo = 1, hi = 0},\n]\n")
	writeFile(t, "bad.csv", "name,distribution,lo,hi\nx1,uniform,0,1\nx2,uniform,one,2\n")
	writeFile(t, "badcol.csv", "name,distribution,low,hi\nx1,uniform,0,1\n")
	writeFile(t, "id.toml", "[[uncertain]]\nname = \"id\"\ndistribution = \"normal\"\nmean = 0\nsd = 1\n")
	writeFile(t, "sd.toml", "[[uncertain]]\nname = \"a\"\ndistribution = \"truncnormal\"\nmean = 0\nsd = -1\nlo = 0\nhi = 1\n")
	if code, _, errs := smesim(t, "sensitivity", "sample", "--params", "ok.toml", "--n", "8", "--out", "x.csv"); code != 0 {
		t.Fatal(errs)
	}
	evaluate(t, "x.csv", "y.csv", ishigamiFunc)
	y, _ := os.ReadFile("y.csv")
	lines := strings.SplitAfter(string(y), "\n")
	writeFile(t, "short.csv", strings.Join(lines[:len(lines)-2], ""))
	nan := strings.SplitAfter(string(y), "\n")
	nan[3] = "3,NaN\n"
	writeFile(t, "nan.csv", strings.Join(nan, ""))
	writeFile(t, "badid.csv", strings.Replace(string(y), "\n3,", "\n4,", 1))
	x, _ := os.ReadFile("x.csv")
	writeFile(t, "edited.csv", strings.Replace(string(x), "\n5,", "\n5,0.5,", 1)) // one more field
	xl := strings.SplitAfter(string(x), "\n")
	fields := strings.Split(xl[4], ",")
	fields[2] = "0.125"
	xl[4] = strings.Join(fields, ",")
	writeFile(t, "changed.csv", strings.Join(xl, ""))

	sample := func(params string, extra ...string) []string {
		return append([]string{"sensitivity", "sample", "--params", params, "--n", "8", "--out", "s.csv"}, extra...)
	}
	analyze := func(samples, outputs string, extra ...string) []string {
		return append([]string{"sensitivity", "analyze", "--params", "ok.toml", "--samples", samples, "--outputs", outputs, "--out", "i.csv"}, extra...)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"lo > hi", sample("lohi.toml"), []string{"lohi.toml:4:", "uncertain[1].lo", "uniform", "lo = 2 must be less than hi = 1"}},
		{"unknown distribution", sample("unknowndist.toml"), []string{"unknowndist.toml:3:", "uncertain[1].distribution", `"gamma"`, "loguniform"}},
		{"unknown key", sample("unknownkey.toml"), []string{"unknownkey.toml:6:", "uncertain[1].mean", "unknown key", "lo, hi"}},
		{"missing distribution", sample("missing.toml"), []string{"missing.toml:1:", "uncertain[1].distribution", "missing"}},
		{"duplicate name", sample("dup.toml"), []string{"dup.toml:7:", "uncertain[2].name", "also the name of uncertain[1]"}},
		{"top-level key", sample("toplevel.toml"), []string{"toplevel.toml:1:", "seed", "unknown key"}},
		{"syntax", sample("syntax.toml"), []string{"syntax.toml:2:", "syntax error"}},
		{"wrong type", sample("type.toml"), []string{"type.toml:4:", "uncertain[1].lo", "must be a number"}},
		{"beta with lo only", sample("betalo.toml"), []string{"betalo.toml:3:", "both lo and hi"}},
		{"single table", sample("single.toml"), []string{"single.toml:2:", "no [[uncertain]] table"}},
		{"inline tables", sample("inline.toml"), []string{"inline.toml:1:", "uncertain[1].lo", "lo = 1 must be less than hi = 0"}},
		{"csv bad number", sample("bad.csv"), []string{"bad.csv:3:", "uncertain[2].lo", "must be a number"}},
		{"csv unknown column", sample("badcol.csv"), []string{"badcol.csv:1:", `unknown column "low"`}},
		{"negative sd", sample("sd.toml"), []string{"sd.toml:5:", "uncertain[1].sd", "sd = -1 must be positive"}},
		{"missing file", sample("none.toml"), []string{"none.toml", "no such file"}},
		{"n not a power of two", append(sample("ok.toml"), "--n", "1000"), []string{"--n 1000", "power of two"}},
		{"odd levels", append(sample("ok.toml"), "--method", "morris", "--levels", "5"), []string{"levels must be even"}},
		{"unknown method", append(sample("ok.toml"), "--method", "fast"), []string{`--method "fast"`, "sobol or morris"}},
		{"outputs short", analyze("x.csv", "short.csv"), []string{"short.csv:40:", "39 rows of outputs for the 40 rows of x.csv"}},
		{"outputs NaN", analyze("x.csv", "nan.csv"), []string{"nan.csv:4:", "must be a finite number"}},
		{"outputs id", analyze("x.csv", "badid.csv"), []string{"badid.csv:4:", `id "4"`}},
		{"samples field count", analyze("edited.csv", "y.csv"), []string{"edited.csv:6:", "wrong number of fields"}},
		{"samples changed", analyze("changed.csv", "y.csv"), []string{"changed.csv:5:", "x2", "not the value of the sobol design"}},
		{"samples of another method", analyze("x.csv", "y.csv", "--method", "morris"), []string{"x.csv:2:", "not the value of the morris design", "--levels 4"}},
		{"bad level", analyze("x.csv", "y.csv", "--level", "95"), []string{"--level 95"}},
		{"missing flags", []string{"sensitivity", "sample", "--n", "8"}, []string{"needs --params, --out"}},
		{"unknown subcommand", []string{"sensitivity", "smaple"}, []string{`unknown command "smaple"`, "sample"}},
		{"levels with sobol", append(sample("ok.toml"), "--levels", "6"), []string{"--levels applies to --method morris"}},
		{"jump with sobol", append(sample("ok.toml"), "--jump", "2"), []string{"--jump applies to --method morris, not sobol"}},
		{"jump of the levels", append(sample("ok.toml"), "--method", "morris", "--jump", "4"), []string{"--jump 4: must be from 1 to 3 levels (one less than --levels 4)"}},
		{"jump 0", append(sample("ok.toml"), "--method", "morris", "--levels", "6", "--jump", "0"), []string{"--jump 0: must be from 1 to 5 levels"}},
		{"jump in analyze", analyze("x.csv", "y.csv", "--method", "morris", "--levels", "6", "--jump", "-1"), []string{"--jump -1: must be from 1 to 5"}},
		{"name id", sample("id.toml"), []string{"id.toml:2:", "uncertain[1].name", `"id"`}},
		{"arguments", []string{"sensitivity", "sample", "extra", "--params", "ok.toml", "--n", "8", "--out", "s.csv"}, []string{"takes no arguments"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := smesim(t, c.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q", code, errs)
			}
			oneErrorLine(t, errs, c.want...)
		})
	}
	if _, err := os.Stat("s.csv"); err == nil {
		t.Error("a refused sample left s.csv behind")
	}
}

// An interrupted analysis stops and leaves no partial indices file.
func TestSensitivityInterrupted(t *testing.T) {
	inTempDir(t)
	writeFile(t, "ok.toml", ishigamiParams)
	if code, _, errs := smesim(t, "sensitivity", "sample", "--params", "ok.toml", "--n", "64", "--out", "x.csv"); code != 0 {
		t.Fatal(errs)
	}
	evaluate(t, "x.csv", "y.csv", ishigamiFunc)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := sensitivityOptions{params: "ok.toml", method: "sobol", levels: 4, seed: 1, samples: "x.csv", outputs: "y.csv", out: "i.csv", boot: 100, level: 0.95}
	var sb strings.Builder
	err := runSensitivityAnalyze(ctx, &env{stdout: &sb, stderr: &sb}, opts)
	if exitCode(err) != 130 {
		t.Errorf("error %v: exit %d, want 130", err, exitCode(err))
	}
	if _, err := os.Stat("i.csv"); err == nil {
		t.Error("an interrupted analysis wrote i.csv")
	}
}
