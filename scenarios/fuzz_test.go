package scenarios

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// maxFuzzPoints bounds the sweeps whose points FuzzParse draws: a parsed
// scenario may ask for a million.
const maxFuzzPoints = 64

// FuzzParse checks that any input parses without panicking, with an *Error
// on one line if it is refused; that an accepted scenario passes Validate
// and survives Encode and Parse unchanged (Dir aside); and that the points
// of a small sweep can be drawn. It never builds a network: a scenario may
// ask for 100 million firms. The seeds are the built-ins, every scenario of
// testdata/bad and the file network of testdata/net (whose CSV files are
// copied into the directory scenarios are resolved against).
func FuzzParse(f *testing.F) {
	for _, b := range Builtins() {
		src, err := Source(b.Name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	if err != nil {
		f.Fatal(err)
	}
	files = append(files, filepath.Join("testdata", "net", "scenario.toml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	dir := f.TempDir()
	for _, name := range []string{"edges.csv", "firms.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "net", name))
		if err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return // scenarios are small; large inputs only slow the fuzzer
		}
		cfg, err := Parse("f.toml", data, dir)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			return
		}
		if err := Validate(cfg, "f.toml"); err != nil {
			t.Fatalf("Parse accepted the scenario, Validate refuses it: %v", err)
		}
		enc, err := Encode(cfg)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		again, err := Parse("encoded.toml", enc, dir)
		if err != nil {
			t.Fatalf("the encoded scenario does not parse: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(again, cfg) {
			t.Fatalf("Encode and Parse change the scenario:\n%s", enc)
		}
		if enc2, err := Encode(again); err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("second Encode differs (%v)", err)
		}
		plan, err := (&validator{cfg: cfg, src: &source{file: "f.toml"}}).sweepPlan()
		if err != nil {
			t.Fatalf("Parse accepted a sweep that does not resolve: %v", err)
		}
		if plan.n <= maxFuzzPoints {
			points, err := SweepPoints(cfg, "f.toml")
			if err != nil {
				t.Fatalf("SweepPoints: %v", err)
			}
			if len(points) != plan.n {
				t.Fatalf("%d points, want %d", len(points), plan.n)
			}
		}
	})
}

// TestValidateDoesNotDrawLatinHypercube: validating a latin hypercube of
// a million points checks its corners without drawing the points, which
// took seconds and hundreds of megabytes for a few lines of TOML.
func TestValidateDoesNotDrawLatinHypercube(t *testing.T) {
	var b strings.Builder
	b.WriteString("name = \"lhs\"\n[sweep]\ndesign = \"latin-hypercube\"\npoints = 1000000\n")
	for _, k := range []string{"shocks.demand.depth", "firms.recovery_rate", "firms.sme.wage_share", "network.upstream_final_share"} {
		b.WriteString("[[sweep.parameters]]\nkey = \"" + k + "\"\nmin = 0.1\nmax = 0.2\n")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := Parse("lhs.toml", []byte(b.String()), ""); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("Parse allocated %d MB", n>>20)
	}
}

// TestSweepPointsLatinHypercubeWithoutParameters: a latin hypercube
// without parameters is one point, the scenario (SweepPoints panicked).
func TestSweepPointsLatinHypercubeWithoutParameters(t *testing.T) {
	cfg, err := Parse("lhs.toml", []byte("name = \"lhs\"\n[sweep]\ndesign = \"latin-hypercube\"\npoints = 5\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	points, err := SweepPoints(cfg, "lhs.toml")
	if err != nil || len(points) != 1 || len(points[0].Values) != 0 {
		t.Fatalf("points %+v, err %v", points, err)
	}
}
