package sim

import (
	"testing"

	"github.com/smesim/smesim/sim/outcome"
)

// TestRecordedColumns checks that the recorded columns are the table's, in
// its order, and that named columns hold what their names say: a quiet
// run of the four-firm chain (one core, three SMEs) ends with every firm
// alive, no failures, multipliers at 1 and no intervention stocks, and its
// output and cash are the engine's own.
func TestRecordedColumns(t *testing.T) {
	cfg := quietConfig()
	cfg.Steps = 5
	e, err := newEngineOn(cfg, chainNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.run("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Metrics) != outcome.NumLegacyMetrics {
		t.Fatalf("%d metric names, want %d (the banking system's columns only with finance.banking = \"system\")", len(r.Metrics), outcome.NumLegacyMetrics)
	}
	want := outcome.MetricNames()
	for m, name := range r.Metrics {
		if name != want[m] {
			t.Errorf("column %d is %q, want %q", m, name, want[m])
		}
	}
	if len(r.Series) != cfg.Steps*outcome.NumLegacyMetrics {
		t.Fatalf("%d values recorded, want %d steps × %d metrics", len(r.Series), cfg.Steps, outcome.NumLegacyMetrics)
	}
	output, cash := 0.0, 0.0
	for i := range e.output {
		output += e.output[i]
		cash += e.cash[i]
	}
	col := map[string]int{}
	for m, name := range r.Metrics {
		col[name] = m
	}
	last := cfg.Steps - 1
	for _, c := range []struct {
		name string
		want float64
	}{
		{"firms_active", 4}, {"smes_active", 3}, {"cores_active", 1},
		{"failures", 0}, {"failures_sme", 0}, {"failures_core", 0},
		{"demand_domestic", 1}, {"demand_export", 1},
		{"locked_down", 0}, {"smes_locked_down", 0}, {"credit_denied", 0},
		{"policy_loans", 0}, {"factored", 0}, {"fiscal_cost", 0},
		{"output", output}, {"cash", cash},
	} {
		m, ok := col[c.name]
		if !ok {
			t.Errorf("no column %q", c.name)
			continue
		}
		if got := r.Value(last, m); got != c.want {
			t.Errorf("%s at step %d = %v, want %v", c.name, last, got, c.want)
		}
	}
}
