package plots

import (
	"image/color"
	"math"
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

// TestCompareLinesDistinct checks the lines of a compare time panel over
// three runs: every run's arm in a colour of its own (they once repeated
// across runs), each drawn narrower than the one before (so that none
// hides another lying on it), over shaded shock windows, the axis from 0.
func TestCompareLinesDistinct(t *testing.T) {
	runs := loadCompareRuns(t)
	runs = append(runs, runs[0])
	c := newComparison(runs, []string{"a", "b", "c"})
	lines := c.timeLines("smes_active", nil)
	if len(lines) != 8 {
		t.Fatalf("%d lines, want 3 + 2 + 3", len(lines))
	}
	seen := map[color.NRGBA]string{}
	for k, ln := range lines {
		col := color.NRGBAModel.Convert(ln.color).(color.NRGBA)
		name := c.entryLabel(ln.run, ln.arm)
		if other, ok := seen[col]; ok {
			t.Errorf("%s and %s share colour %v", name, other, col)
		}
		seen[col] = name
		if k > 0 && !(ln.width < lines[k-1].width) {
			t.Errorf("%s: width %v, not narrower than the line before (%v)", name, ln.width, lines[k-1].width)
		}
		if k > 0 && lines[k-1].run != ln.run && slices.Equal(lines[k-1].dashes, ln.dashes) {
			t.Errorf("%s: same dashes as run %d", name, lines[k-1].run)
		}
	}
	figs, err := CompareFigures(runs, nil)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Render(figs[0], "svg")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(string(svg)), "#f1ece0") {
		t.Error("no shock shading (fill #f1ece0) on the active-SME figure")
	}
	p, _, err := c.timePanel("smes_active", "", "active SMEs", math.NaN(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0 {
		t.Errorf("active SMEs axis starts at %g, want 0", p.Y.Min)
	}
}
