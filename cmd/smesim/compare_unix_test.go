//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCompareStopsWhileLoading: compare returns at once when it is
// interrupted while reading its result directories, which cannot stop
// part-way, and leaves nothing behind: neither its output nor the lock
// of its output (.DIR.partial). Before, it read on to the end; on a loaded
// machine main's deadline ended it first, which exits without releasing
// the lock (TestEveryCommandHonoursSignals, case compare). A result
// directory whose scenario.toml is a named pipe holds compare in its
// reading for as long as the test wants.
func TestCompareStopsWhileLoading(t *testing.T) {
	inTempDir(t)
	writeFile(t, "s.toml", sweepScenario)
	if code, _, errs := smesim(t, "run", "s.toml", "--out", "a", "--plots", "none", "--progress", "none"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	if err := os.Mkdir("slow", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo("slow/scenario.toml", 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		code int
		msg  string
	}
	done := make(chan result, 1)
	go func() {
		code, msg := execute(ctx, []string{"smesim", "compare", "a", "slow", "--out", "cmp"}, io.Discard, io.Discard)
		done <- result{code, msg}
	}()
	// Opening the pipe to write returns once compare has opened it to
	// read: compare is reading "slow", and stays there until w closes.
	w, err := os.OpenFile("slow/scenario.toml", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cancel()
	select {
	case r := <-done:
		if r.code != 130 || !strings.Contains(r.msg, "interrupted; nothing was written") {
			t.Errorf("exit %d, %q: want 130, interrupted; nothing was written", r.code, r.msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("compare still reading 10 s after it was interrupted")
	}
	for _, p := range []string{"cmp", ".cmp.partial"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("an interrupted compare left %s", p)
		}
	}
}
