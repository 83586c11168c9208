package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestRunReportChecksFacts: the report of a run of a scenario with
// [[facts]] holds the facts check, with the count smesim check-facts
// prints for the same directory.
func TestRunReportChecksFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs china-2020")
	}
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"smesim", "run", "china-2020", "-r", "2", "--out", out, "--progress", "none", "--plots", "svg"}, &stdout, &stderr); code != 0 {
		t.Fatalf("smesim run: exit %d: %s", code, stderr.String())
	}
	stdout.Reset()
	// check-facts exits 1 when a fact is missed: the counts are compared
	// whatever they are.
	run([]string{"smesim", "check-facts", out}, &stdout, &stderr)
	want := regexp.MustCompile(`(\d+) of (\d+) facts reproduced`).FindStringSubmatch(stdout.String())
	if want == nil {
		t.Fatalf("check-facts printed no count:\n%s", stdout.String())
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	got := regexp.MustCompile(`<section id="facts">\s*<h2>Facts check</h2>\s*<p>(\d+) of (\d+) observed facts reproduced`).FindSubmatch(page)
	if got == nil {
		t.Fatal("report.html has no facts check")
	}
	if string(got[1]) != want[1] || string(got[2]) != want[2] {
		t.Errorf("report.html: %s of %s facts reproduced; check-facts: %s of %s", got[1], got[2], want[1], want[2])
	}
}
