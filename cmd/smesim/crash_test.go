package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashEnv names, in the environment of a subprocess running this test
// binary, the crash TestMain is to cause instead of running the tests.
const crashEnv = "SMESIM_TEST_CRASH"

func TestMain(m *testing.M) {
	if kind := os.Getenv(crashEnv); kind != "" {
		crashBySignal() // as main does
		crash(kind)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crash causes the crash kind.
func crash(kind string) {
	switch kind {
	case "panic":
		panic("a bug")
	case "panic in a goroutine":
		go func() { panic("a bug in a goroutine") }()
		time.Sleep(time.Minute)
	case "stack overflow":
		debug.SetMaxStack(1 << 20)
		var recurse func(n int) int
		recurse = func(n int) int { return recurse(n+1) + 1 }
		recurse(0)
	case "out of memory":
		// The address space limited to 1 GiB, as under ulimit -v: the
		// runtime cannot map a 2 GiB heap and dies of a fatal error.
		lim := syscall.Rlimit{Cur: 1 << 30, Max: 1 << 30}
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &lim); err != nil {
			panic(err)
		}
		b := make([]byte, 2<<30)
		b[len(b)-1] = 1
		println(b[0])
	}
}

// TestCrashIsNotBadInput is issue 13 defect 10: a crash exited with status
// 2, the status of bad input. Panics in any goroutine and fatal errors of
// the runtime must die of SIGABRT with a stack trace, and leave no core
// file in the working directory.
func TestCrashIsNotBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs subprocesses")
	}
	for _, c := range []struct{ kind, want string }{
		{"panic", "panic: a bug"},
		{"panic in a goroutine", "panic: a bug in a goroutine"},
		{"stack overflow", "fatal error: stack overflow"},
		{"out of memory", "fatal error: out of memory"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashEnv+"="+c.kind, "GOTRACEBACK=")
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("%v, want a crash; stderr:\n%s", err, stderr.String())
			}
			ws := ee.Sys().(syscall.WaitStatus)
			if !ws.Signaled() || ws.Signal() != syscall.SIGABRT {
				t.Errorf("exit status %d (signal %v), want death by SIGABRT; stderr:\n%.2000s", ee.ExitCode(), ws.Signal(), stderr.String())
			}
			if !strings.Contains(stderr.String(), c.want) || !strings.Contains(stderr.String(), "goroutine ") {
				t.Errorf("stderr does not hold %q and a stack trace:\n%.2000s", c.want, stderr.String())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("the crash left %v in its working directory", entries)
			}
		})
	}
}

// panicWriter panics on every write.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("a bug in a command") }

// TestPanicInCommandExitsOne: a panic in a command's logic is recovered and
// reported as an internal error with exit status 1, never 2.
func TestPanicInCommandExitsOne(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"smesim", "scenarios"}, panicWriter{}, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(stderr.String(), "smesim: internal error") || !strings.Contains(stderr.String(), "a bug in a command") {
		t.Errorf("stderr %q", stderr.String())
	}
}
