package plots

import (
	"math"
	"strings"
	"testing"
)

// TestCountTicksWhole checks that a count axis has only whole ticks
// (core firms between 15.2 and 16.8 once read "16.5").
func TestCountTicksWhole(t *testing.T) {
	tests := []struct {
		lo, hi      float64
		wantWhole   bool // every tick whole
		wantAtLeast int  // labelled ticks
	}{
		{0, 16.8, true, 3},
		{0, 5, true, 3},
		{0, 3, true, 2},
		{1950, 2080, true, 3},
		{0, 2096, true, 3},
		{0, 0.5, false, 2}, // a mean of few failures per step keeps fractions
	}
	for _, tt := range tests {
		ticks := countTicks{}.Ticks(tt.lo, tt.hi)
		labelled := 0
		whole := true
		for _, tk := range ticks {
			if tk.Label != "" {
				labelled++
			}
			if tk.Value != math.Trunc(tk.Value) {
				whole = false
			}
		}
		if whole != tt.wantWhole || labelled < tt.wantAtLeast {
			t.Errorf("countTicks(%g, %g) = %v: whole %v (want %v), %d labelled (want ≥ %d)", tt.lo, tt.hi, ticks, whole, tt.wantWhole, labelled, tt.wantAtLeast)
		}
	}
}

// TestCountPanels checks the count panels of a run: whole ticks, the
// vertical axis from 0, bands within [0, the largest count recorded], and
// a flat core panel left out with a note. The fixture is changed so that
// every core firm survives and one step's SMEs would band above the
// starting count.
func TestCountPanels(t *testing.T) {
	r := loadFixture(t)
	start := map[string]float64{}
	for i, row := range r.Timeseries {
		switch row.Metric {
		case "cores_active":
			r.Timeseries[i].Value = 16
		case "smes_active":
			if row.Step == 0 {
				start[row.Arm] = math.Max(start[row.Arm], row.Value)
			}
		}
	}
	top := 0.0
	for _, v := range start {
		top = math.Max(top, v)
	}
	// Step 1: every replication at the start but one, one firm below.
	first := map[string]bool{}
	for i, row := range r.Timeseries {
		if row.Metric == "smes_active" && row.Step == 1 {
			r.Timeseries[i].Value = top
			if !first[row.Arm] {
				r.Timeseries[i].Value, first[row.Arm] = top-1, true
			}
		}
	}
	d := newRunData(r)
	panels, _, notes, err := d.armBandPanels(activeFirmsSpecs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(panels) != 1 || panels[0].Title.Text != "SMEs" {
		t.Fatalf("%d panels, want the SMEs' only (the core firms' is flat)", len(panels))
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "all 16 core firms stay active") {
		t.Errorf("notes %q, want one saying all 16 core firms stay active", notes)
	}
	p := panels[0]
	if p.Y.Min != 0 {
		t.Errorf("SME axis starts at %g, want 0", p.Y.Min)
	}
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Value != math.Trunc(tk.Value) {
			t.Errorf("SME axis tick %g (%q) is not whole", tk.Value, tk.Label)
		}
	}
	// The axis ends at the highest band or line drawn.
	if p.Y.Max > top {
		t.Errorf("SME band reaches %g, above the starting count %g", p.Y.Max, top)
	}
}

// TestCorePanelWholeTicks checks the ticks of a core-firm panel that is
// not flat (16 core firms, one failing in one replication): whole numbers
// only, no "16.5" nor unlabelled half ticks.
func TestCorePanelWholeTicks(t *testing.T) {
	r := loadFixture(t)
	done := false
	for i, row := range r.Timeseries {
		if row.Metric == "cores_active" {
			r.Timeseries[i].Value = 16
			if row.Step == 10 && !done {
				r.Timeseries[i].Value, done = 15, true
			}
		}
	}
	panels, _, _, err := newRunData(r).armBandPanels(activeFirmsSpecs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(panels) != 2 {
		t.Fatalf("%d panels, want 2", len(panels))
	}
	p := panels[1]
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.Value != math.Trunc(tk.Value) {
			t.Errorf("core axis [%g, %g]: tick %g (%q) is not whole", p.Y.Min, p.Y.Max, tk.Value, tk.Label)
		}
	}
}
