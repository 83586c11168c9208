package plots

import (
	"slices"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// The compare tests overlay the run fixture testdata/run (scenario
// "plots-fixture": weekly steps, 24 steps, arms baseline, loans,
// guarantee, 3 replications) and testdata/compare ("plots-fixture-
// fortnightly": 2-week steps, 13 steps, arms baseline and loans, 2
// replications; see testdata/compare.toml).
func loadCompareRuns(t *testing.T) []*Run {
	t.Helper()
	var runs []*Run
	for _, dir := range []string{"testdata/run", "testdata/compare"} {
		r, err := LoadRun(dir)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	return runs
}

func TestCompareFigures(t *testing.T) {
	runs := loadCompareRuns(t)
	figs, err := CompareFigures(runs, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{FigCompareActiveSMEs, FigCompareOutput, FigCompareFailures}
	if got := figureNames(figs); !slices.Equal(got, want) {
		t.Fatalf("figures %q, want %q", got, want)
	}
	entries := []string{
		"plots-fixture: baseline", "plots-fixture: loans", "plots-fixture: guarantee",
		"plots-fixture-fortnightly: baseline", "plots-fixture-fortnightly: loans",
	}
	files := saveAndCheck(t, figs)
	for _, f := range figs {
		texts := svgTexts(t, files[f.Name+".svg"])
		for _, e := range entries {
			if !slices.Contains(texts, e) {
				t.Errorf("%s: no %q in %q", f.Name, e, texts)
			}
		}
		if f.Title == "" || f.Caption == "" {
			t.Errorf("%s: title %q caption %q", f.Name, f.Title, f.Caption)
		}
		if f.Name != FigCompareFailures && !slices.Contains(texts, "weeks from 2020-01-01") {
			t.Errorf("%s: time axis not in weeks from the start date: %q", f.Name, texts)
		}
	}
}

func TestCompareFiguresLabels(t *testing.T) {
	runs := loadCompareRuns(t)
	figs, err := CompareFigures(runs, []string{"weekly", "fortnightly"})
	if err != nil {
		t.Fatal(err)
	}
	files := saveAndCheck(t, figs[2:])
	texts := svgTexts(t, files[FigCompareFailures+".svg"])
	for _, e := range []string{"weekly: baseline", "weekly: guarantee", "fortnightly: loans"} {
		if !slices.Contains(texts, e) {
			t.Errorf("no %q in %q", e, texts)
		}
	}
	if !strings.Contains(figs[0].Title, "weekly vs fortnightly") {
		t.Errorf("title %q", figs[0].Title)
	}
	if _, err := CompareFigures(runs, []string{"one"}); err == nil {
		t.Error("no error for 1 label for 2 runs")
	}
	if _, err := CompareFigures(nil, nil); err == nil {
		t.Error("no error without runs")
	}
}

func TestDefaultLabels(t *testing.T) {
	runs := loadCompareRuns(t)
	if got := defaultLabels(runs); !slices.Equal(got, []string{"plots-fixture", "plots-fixture-fortnightly"}) {
		t.Errorf("labels %q", got)
	}
	// The same scenario twice: told apart by directory, then by number.
	a, b, c := *runs[0], *runs[0], *runs[0]
	b.Dir = "elsewhere/run2"
	c.Dir = "third/run"
	got := defaultLabels([]*Run{&a, &b, &c})
	want := []string{"plots-fixture (run)", "plots-fixture (run2)", "plots-fixture (run) #2"}
	if !slices.Equal(got, want) {
		t.Errorf("labels %q, want %q", got, want)
	}
}

// TestCompareRelativeOutput: the output panel divides each replication by
// its mean before the run's first shock, so every line starts at 1.
func TestCompareRelativeOutput(t *testing.T) {
	runs := loadCompareRuns(t)
	c := newComparison(runs, defaultLabels(runs))
	// First shocks at 4w: step 4 of the weekly run, step 2 of the
	// fortnightly one.
	if !slices.Equal(c.shock0, []int{4, 2}) || !slices.Equal(c.steps, []int{24, 13}) {
		t.Fatalf("shock0 %v steps %v", c.shock0, c.steps)
	}
	for i := range runs {
		reps := c.series[i][[2]string{"baseline", results.OutputMetric}]
		if len(reps) == 0 {
			t.Fatalf("run %d: no output series", i)
		}
		base := 0.0
		for _, v := range reps[0][:c.shock0[i]] {
			base += v
		}
		base /= float64(c.shock0[i])
		if base <= 0 {
			t.Fatalf("run %d: pre-shock output %g", i, base)
		}
	}
	fig, err := c.outputFigure()
	if err != nil || fig == nil {
		t.Fatalf("output figure: %v", err)
	}
}
