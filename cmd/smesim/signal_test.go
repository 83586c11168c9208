package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// buildSmesim builds the command into dir and returns its path.
func buildSmesim(t *testing.T, pkg, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "smesim")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = pkg
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// temporaries returns the paths under dir whose names hold ".tmp-".
func temporaries(dir string) []string {
	var found []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// signalCase is one command of TestEveryCommandHonoursSignals: its
// arguments, a path whose appearance says it is at work ("" to signal it
// at once) and the signal to send.
type signalCase struct {
	name   string
	args   []string
	marker string
	sig    syscall.Signal
}

// signalCases are the long commands TestEveryCommandHonoursSignals
// interrupts, in the working directory it prepares.
func signalCases() []signalCase {
	return []signalCase{
		{"run", []string{"run", "default", "--steps", "3000", "-r", "20", "-w", "1", "--out", "o-run"}, ".o-run.partial", syscall.SIGINT},
		{"run writing", []string{"run", "default", "--steps", "3000", "-r", "4", "--out", "o-runw"}, "o-runw.tmp-*", syscall.SIGTERM},
		{"sweep", []string{"sweep", "sweep.toml", "-w", "1", "--out", "o-sweep", "--progress", "none"}, "o-sweep/units/*.gob", syscall.SIGINT},
		{"frontier", []string{"frontier", "policy-mix", "--budgets", "1e6,1e7,1e8", "-r", "20", "-w", "1", "--out", "o-front", "--progress", "none"}, "o-front/units/*.gob", syscall.SIGINT},
		{"optimise", []string{"optimise", "policy-mix", "--arm", "loans+relief", "-r", "64", "--first", "32", "-w", "1", "--out", "o-opt", "--progress", "none"}, "o-opt/rung-00/units/*.gob", syscall.SIGINT},
		{"sweep writing", []string{"sweep", "sweep.toml", "--out", "o-sweepw", "--progress", "none"}, "o-sweepw/points/*", syscall.SIGTERM},
		{"merge", []string{"merge", "shard0", "shard1", "--out", "o-merge"}, "o-merge.tmp-*", syscall.SIGINT},
		{"plot", []string{"plot", "res"}, "res/.plots.tmp-*", syscall.SIGINT},
		{"compare", []string{"compare", "res", "res", "res", "--out", "o-cmp"}, "", syscall.SIGTERM},
		{"check-facts", []string{"check-facts", "--out", "o-facts"}, "", syscall.SIGINT},
		{"bench", []string{"bench", "--firms", "1000000", "--steps", "30"}, "", syscall.SIGINT},
		{"network export", []string{"network", "export", "huge.toml", "--out", "o-net"}, "", syscall.SIGTERM},
		{"atlas", []string{"atlas", "default", "--out", "o-atlas", "--plots", "none"}, "", syscall.SIGINT},
		{"atlas knockout", []string{"atlas", "default", "--out", "o-atlask", "--plots", "none", "--one-way", "--knockout", "--workers", "1"}, "o-atlask/knockouts/units/*.gob", syscall.SIGINT},
		{"decompose", []string{"decompose", "china-2020", "-r", "4", "-w", "1", "--out", "o-dec", "--progress", "none"}, "", syscall.SIGINT},
		{"sensitivity run", []string{"sensitivity", "run", "sens.toml", "--n", "64", "-w", "1", "--out", "o-sens", "--progress", "none"}, "", syscall.SIGTERM},
		{"calibrate", []string{"calibrate", "cal.toml", "-w", "1", "--out", "o-cal", "--progress", "none"}, "o-cal/generation-00/units/*.gob", syscall.SIGINT},
		{"serve", []string{"serve", "--addr", "127.0.0.1:0"}, "", syscall.SIGINT},
	}
}

// quickCommands finish in milliseconds, or are interrupted by a test of
// their own: TestEveryCommandHonoursSignals need not start them.
var quickCommands = map[string]string{
	"validate":            "reads one scenario",
	"scenarios":           "lists the built-ins",
	"init":                "prints a scenario",
	"sensitivity sample":  "TestSensitivityInterrupted",
	"sensitivity analyze": "TestSensitivityInterrupted",
}

// TestSignalCasesCoverEveryCommand: a new command must be added to
// signalCases (or, if it cannot run long, to quickCommands), so that
// "every command honours Ctrl-C" stays tested as commands are added.
func TestSignalCasesCoverEveryCommand(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range signalCases() {
		covered[strings.Join(c.args[:commandDepth(c.args)], " ")] = true
	}
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			name := strings.TrimSpace(prefix + " " + c.Name)
			if len(c.Subcommands) > 0 {
				walk(name, c.Subcommands)
				continue
			}
			if !covered[name] && quickCommands[name] == "" {
				t.Errorf("smesim %s is neither in signalCases nor in quickCommands", name)
			}
		}
	}
	walk("", app(io.Discard, io.Discard).Commands)
}

// commandDepth is how many leading arguments name the command.
func commandDepth(args []string) int {
	if args[0] == "network" || args[0] == "sensitivity" {
		return 2
	}
	return 1
}

// TestEveryCommandHonoursSignals is issue 13 defect 11: merge, plot and a
// sweep's writing phase ignored SIGINT/SIGTERM and exited 0. Each long
// command is started, signalled once it is at work (when the file that
// marks its phase appears, or at once for those without one), and must
// exit 130 with one line on stderr, leaving no temporary file and nothing
// at its output but what the message names as kept. A command still alive
// 10 s after the signal fails the test; the latencies are logged. No
// signal is sent before smesim's main has installed its handlers
// (startSignalled): a signal before that kills any Go program, and a
// fixed wait for it failed on a loaded machine.
func TestEveryCommandHonoursSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals subprocesses")
	}
	pkg, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := inTempDir(t)
	bin := buildSmesim(t, pkg, t.TempDir())
	must := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("smesim %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// Inputs: a result directory with large files, and two shards.
	must("run", "default", "--steps", "3000", "-r", "2", "--out", "res", "--plots", "none", "--progress", "none")
	for _, s := range []string{"0/2", "1/2"} {
		must("run", "default", "--steps", "3000", "-r", "4", "--shard", s, "--out", "shard"+s[:1], "--progress", "none")
	}
	sweep := strings.Replace(sweepScenario, "steps = 30", "steps = 3000", 1)
	sweep = strings.Replace(sweep, "values = [0.2, 0.45]", "values = [0.1, 0.2, 0.3, 0.4]", 1)
	writeFile(t, "sweep.toml", strings.Replace(sweep, "chains = 2\n", "chains = 8\n", 1))
	writeFile(t, "huge.toml", "name = \"huge\"\n[network]\nchains = 2000\n")

	sens := strings.Replace(sensScenario, "steps = 30", "steps = 3000", 1)
	writeFile(t, "sens.toml", sens)
	writeFile(t, "cal.toml", strings.Replace(calScenarioText(2, []float64{-0.3, 0.09, 0.8}), "steps = 20", "steps = 3000", 1))

	for _, c := range signalCases() {
		t.Run(c.name, func(t *testing.T) {
			before := treeFiles(t, "res")
			cmd := startSignalled(bin, c.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			if err := awaitHandlers(cmd.Process.Pid, exited); err != nil {
				t.Fatalf("%v: stdout %q, stderr %q", err, stdout.String(), stderr.String())
			}
			if c.marker != "" {
				for {
					if m, _ := filepath.Glob(c.marker); len(m) > 0 {
						break
					}
					select {
					case err := <-exited:
						t.Fatalf("finished (%v) before %s appeared: stdout %q, stderr %q", err, c.marker, stdout.String(), stderr.String())
					case <-time.After(2 * time.Millisecond):
					}
				}
			}
			start := time.Now()
			cmd.Process.Signal(c.sig)
			select {
			case err = <-exited:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("still running 10 s after %v", c.sig)
			}
			t.Logf("stopped %v after %v", time.Since(start).Round(time.Millisecond), c.sig)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("%v, want exit 130; stderr %q", err, stderr.String())
			}
			oneErrorLine(t, stderr.String(), "interrupted")
			if strings.Contains(stderr.String(), "context canceled") {
				t.Errorf("stderr %q names the context", stderr.String())
			}
			if tmps := temporaries(dir); len(tmps) > 0 {
				t.Errorf("left temporaries %v", tmps)
			}
			// A batch (sweep, sensitivity run) keeps its finished runs
			// to resume, and must say so; nothing else may be left.
			left, _ := filepath.Glob("o-*")
			for _, m := range left {
				if !strings.Contains(stderr.String(), "kept in "+m) {
					t.Errorf("left %s, which the message does not name", m)
				}
			}
			if m, _ := filepath.Glob(".o-*"); len(m) > 0 && !strings.Contains(stderr.String(), "kept in "+m[0]) {
				t.Errorf("left %v, which the message does not name", m)
			}
			if _, err := os.Stat(filepath.Join("o-sweepw", "sweep.csv")); err == nil {
				t.Error("an interrupted sweep wrote sweep.csv")
			}
			sameTree(t, "res after "+c.name, before, treeFiles(t, "res"))
			// What the message names as kept goes before the next case.
			for _, pat := range []string{"o-*", ".o-*"} {
				m, _ := filepath.Glob(pat)
				for _, p := range m {
					os.RemoveAll(p)
				}
			}
		})
	}
}

// startSignalled returns the command bin args, to be started with SIGINT
// ignored (the shell's empty trap sets it, and exec keeps it). The Go runtime
// then leaves SIGINT ignored until main's signal.NotifyContext catches it,
// so that awaitHandlers can see from outside when main is ready.
func startSignalled(bin string, args ...string) *exec.Cmd {
	return exec.Command("sh", append([]string{"-c", `trap '' INT; exec "$0" "$@"`, bin}, args...)...)
}

// awaitHandlers waits until process pid, started by startSignalled, is
// smesim and catches SIGINT: main has called signal.NotifyContext, which
// catches SIGINT after SIGTERM, so that both now end the command with exit
// 130 (before, SIGTERM killed the process outright). It returns an error
// if the process exits first or is not ready within a minute. Without
// /proc (not Linux) it can only wait a moment.
func awaitHandlers(pid int, exited <-chan error) error {
	status := filepath.Join("/proc", strconv.Itoa(pid), "status")
	if _, err := os.Stat("/proc/self/status"); err != nil {
		time.Sleep(100 * time.Millisecond)
		return nil
	}
	deadline := time.Now().Add(time.Minute)
	for {
		if data, err := os.ReadFile(status); err == nil && catchesSIGINT(string(data)) {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited (%v) before it caught SIGINT", err)
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("process %d did not catch SIGINT within a minute", pid)
		}
	}
}

// catchesSIGINT reports whether a /proc/PID/status is smesim's and its
// caught-signals mask (SigCgt, hexadecimal, bit n-1 for signal n) holds
// SIGINT.
func catchesSIGINT(status string) bool {
	name, caught := "", uint64(0)
	for _, line := range strings.Split(status, "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch v = strings.TrimSpace(v); k {
		case "Name":
			name = v
		case "SigCgt":
			caught, _ = strconv.ParseUint(v, 16, 64)
		}
	}
	return name == "smesim" && caught&(1<<(syscall.SIGINT-1)) != 0
}
