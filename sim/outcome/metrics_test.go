package outcome

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
		if !snake.MatchString(d.Name) {
			t.Errorf("metric %d: name %q is not snake_case (an index without its entry?)", m, d.Name)
		}
		if prev, ok := seen[d.Name]; ok {
			t.Errorf("metrics %d and %d are both named %q", prev, m, d.Name)
		}
		seen[d.Name] = m
		if !units[d.Unit] {
			t.Errorf("metric %s: unknown unit %q", d.Name, d.Unit)
		}
		if !kinds[d.Kind] {
			t.Errorf("metric %s: kind %q is neither stock nor flow", d.Name, d.Kind)
		}
		if d.Description == "" {
			t.Errorf("metric %s: says nothing of how it is computed", d.Name)
		}
	}
}
