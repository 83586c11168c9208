package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smesim/smesim/scenarios"
)

var updateBuiltins = flag.Bool("update-builtins", false, "rewrite testdata/builtins.sha256 from the current engine")

// builtinDigests is the golden list of the result files of every built-in
// scenario at two replications, as sha256sum writes it: "DIGEST  NAME/FILE".
const builtinDigests = "testdata/builtins.sha256"

// goldenFiles are the result files whose bytes must not change unless a
// change means to change results (meta.json records the command line).
var goldenFiles = []string{"scenario.toml", "timeseries.csv", "firms.csv", "events.csv", "summary.json"}

// TestBuiltinOutputsGolden runs every built-in scenario at two replications
// and compares the digests of its result files with the golden list, so a
// refactoring that claims to change nothing proves it, and a change that
// moves results has to say so by rewriting the list:
//
//	go test ./cmd/smesim -run TestBuiltinOutputsGolden -update-builtins
func TestBuiltinOutputsGolden(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	var got []string
	for _, b := range scenarios.Builtins() {
		out := filepath.Join(dir, b.Name)
		code, _, stderr := smesim(t, "run", b.Name, "--replications", "2", "--plots", "none", "--out", out)
		if code != 0 {
			t.Fatalf("smesim run %s: exit %d: %s", b.Name, code, stderr)
		}
		for _, f := range goldenFiles {
			data, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			got = append(got, hex.EncodeToString(sum[:])+"  "+b.Name+"/"+f)
		}
	}
	if *updateBuiltins {
		if err := os.MkdirAll(filepath.Dir(builtinDigests), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(builtinDigests, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := readLines(builtinDigests)
	if err != nil {
		t.Fatalf("%v (run with -update-builtins to write it)", err)
	}
	for _, line := range got {
		if !slices.Contains(want, line) {
			name := line[strings.Index(line, "  ")+2:]
			t.Errorf("%s changed: digest %s is not in %s", name, line[:12], builtinDigests)
		}
	}
	if len(want) != len(got) {
		t.Errorf("%s has %d lines, the built-ins give %d", builtinDigests, len(want), len(got))
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return lines, nil
}
