package sim

import (
	"regexp"
	"testing"
)

// TestMetricTable checks the one table of metrics: every column has its
// entry, with a unique snake_case name, a known unit and kind and a
// description of how it is computed.
func TestMetricTable(t *testing.T) {
	units := map[string]bool{"firms": true, "currency": true, "jobs": true, "multiplier": true}
	kinds := map[string]bool{"stock": true, "flow": true}
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	seen := map[string]int{}
	for m, d := range metrics {
		if !snake.MatchString(d.name) {
			t.Errorf("metric %d: name %q is not snake_case (an index without its entry?)", m, d.name)
		}
		if prev, ok := seen[d.name]; ok {
			t.Errorf("metrics %d and %d are both named %q", prev, m, d.name)
		}
		seen[d.name] = m
		if !units[d.unit] {
			t.Errorf("metric %s: unknown unit %q", d.name, d.unit)
		}
		if !kinds[d.kind] {
			t.Errorf("metric %s: kind %q is neither stock nor flow", d.name, d.kind)
		}
		if d.computed == "" {
			t.Errorf("metric %s: says nothing of how it is computed", d.name)
		}
	}
}

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
	if len(r.Metrics) != numLegacyMetrics {
		t.Fatalf("%d metric names, want %d (the banking system's columns only with finance.banking = \"system\")", len(r.Metrics), numLegacyMetrics)
	}
	for m, name := range r.Metrics {
		if name != metrics[m].name {
			t.Errorf("column %d is %q, want %q", m, name, metrics[m].name)
		}
	}
	if len(r.Series) != cfg.Steps*numLegacyMetrics {
		t.Fatalf("%d values recorded, want %d steps × %d metrics", len(r.Series), cfg.Steps, numLegacyMetrics)
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
