package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

var update = flag.Bool("update", false, "rewrite the goldens of testdata/bad/networks (the repository root's)")

// The bad-input corpus: every scenario in scenarios/testdata/bad and every
// case in testdata/bad/networks must make `smesim run` exit 2 with exactly
// one line on stderr, "smesim: " + the case's golden, nothing on stdout and
// nothing written.
const (
	scenariosDir   = "../../scenarios"             // scenario goldens are relative to it
	badNetworksDir = "../../testdata/bad/networks" // one directory per case
	goodNetworkDir = "../../testdata/good/networks"
)

// corpusArgs are the flags every corpus case runs with, after the scenario
// and --out. --workers 1 keeps the memory estimate in messages the same on
// every machine.
var corpusArgs = []string{"--steps", "1", "--plots", "none", "--workers", "1"}

// availRE matches the machine-dependent part of a memory refusal.
var availRE = regexp.MustCompile(`more than the [0-9.]+ GiB available \([^)]*\)`)

// normalize replaces what depends on the machine in a message: the
// absolute path of dir by $DIR, and the memory available and what limits
// it by $MEM and $LIMIT.
func normalize(msg, dir string) string {
	msg = strings.ReplaceAll(msg, dir, "$DIR")
	return availRE.ReplaceAllLiteralString(msg, "more than the $MEM GiB available ($LIMIT)")
}

// runCase runs smesim run scenario from directory dir (so that the paths in
// messages are those of the goldens), into a fresh temporary --out, and
// checks everything but the message, which it returns without "smesim: "
// and normalized, $DIR standing for the absolute path of dollarDir.
func runCase(t *testing.T, dir, scenario, dollarDir string) string {
	t.Helper()
	abs, err := filepath.Abs(dollarDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "res")
	var code int
	var stdout, stderr string
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("smesim run %s panicked: %v\n%s", scenario, r, debug.Stack())
			}
		}()
		code, stdout, stderr = smesim(t, append([]string{"run", scenario, "--out", out}, corpusArgs...)...)
	}()
	if code != 2 {
		t.Errorf("exit %d, want 2 (bad input)", code)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing", stdout)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.HasPrefix(stderr, "smesim: ") {
		t.Errorf("stderr is not one line \"smesim: …\": %q", stderr)
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("stderr looks like a crash: %q", stderr)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("a failed run left %v in the parent of --out", names)
	}
	return normalize(strings.TrimSuffix(strings.TrimPrefix(stderr, "smesim: "), "\n"), abs)
}

// TestCorpusBadScenarios runs every scenario of scenarios/testdata/bad
// through smesim run from scenarios/, where the paths in its golden
// (testdata/bad/NAME.toml, $DIR for the absolute path of testdata/bad)
// are the ones smesim prints.
func TestCorpusBadScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(scenariosDir, "testdata", "bad", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("only %d bad scenarios in %s", len(files), scenariosDir)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(file, ".toml") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			// The scenarios' goldens write $DIR for testdata/bad.
			rel := filepath.ToSlash(filepath.Join("testdata", "bad", name+".toml"))
			got := runCase(t, scenariosDir, rel, filepath.Join(scenariosDir, "testdata", "bad"))
			if w := strings.TrimRight(string(want), "\n"); got != w {
				t.Errorf("message\n got: %s\nwant: %s", got, w)
			}
		})
	}
}

// TestCorpusBadNetworks runs every case of testdata/bad/networks: a
// directory holding scenario.toml (most read edges.csv and firms.csv next
// to it) and golden, run from the case's directory. -update rewrites the
// goldens.
func TestCorpusBadNetworks(t *testing.T) {
	entries, err := os.ReadDir(badNetworksDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		dir := filepath.Join(badNetworksDir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			goldenPath, err := filepath.Abs(filepath.Join(dir, "golden"))
			if err != nil {
				t.Fatal(err)
			}
			if e.Name() == "huge_barabasi_albert" && availableMemory() == 0 {
				t.Skip("no /proc/meminfo: the memory check cannot refuse, and the run would try to allocate")
			}
			got := runCase(t, dir, "scenario.toml", dir)
			if *update {
				if err := os.WriteFile(goldenPath, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if w := strings.TrimRight(string(want), "\n"); got != w {
				t.Errorf("message\n got: %s\nwant: %s", got, w)
			}
		})
	}
	if n < 15 {
		t.Errorf("only %d cases in %s", n, badNetworksDir)
	}
}

// TestCorpusGoodNetworks: a UTF-8 byte-order mark, CRLF line ends and a
// missing final newline are accepted, and give the same results, byte for
// byte (meta.json aside), as the plain files.
func TestCorpusGoodNetworks(t *testing.T) {
	skipWithoutEngine(t)
	entries, err := os.ReadDir(goodNetworkDir)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(goodNetworkDir)
	if err != nil {
		t.Fatal(err)
	}
	outRoot := t.TempDir()
	runGood := func(t *testing.T, name string) string {
		t.Helper()
		t.Chdir(filepath.Join(root, name))
		out := filepath.Join(outRoot, name)
		code, stdout, stderr := smesim(t, append([]string{"run", "scenario.toml", "--out", out}, corpusArgs...)...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "wrote "+out+"\n") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		return out
	}
	var plain string
	t.Run("plain", func(t *testing.T) { plain = runGood(t, "plain") })
	if plain == "" {
		t.Fatal("the plain network does not run")
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "plain" {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			// The variants must hold what they are named for (a checkout
			// converting line ends would make them plain copies).
			for _, f := range []string{"edges.csv", "firms.csv"} {
				data, err := os.ReadFile(filepath.Join(root, e.Name(), f))
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(e.Name(), "bom") && !bytes.HasPrefix(data, []byte("\uFEFF")) {
					t.Errorf("%s has no byte-order mark", f)
				}
				if strings.Contains(e.Name(), "crlf") != bytes.Contains(data, []byte("\r\n")) {
					t.Errorf("%s: CRLF line ends %v, want %v", f, !strings.Contains(e.Name(), "crlf"), strings.Contains(e.Name(), "crlf"))
				}
			}
			out := runGood(t, e.Name())
			for _, f := range resultFiles {
				if f == results.MetaFile {
					continue
				}
				a, err1 := os.ReadFile(filepath.Join(plain, f))
				b, err2 := os.ReadFile(filepath.Join(out, f))
				if err1 != nil || err2 != nil {
					t.Fatalf("%v %v", err1, err2)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs from the plain network's", f)
				}
			}
		})
	}
	if n < 3 {
		t.Errorf("only %d variants in %s", n, goodNetworkDir)
	}
}
