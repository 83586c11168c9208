package sim

import (
	"math"
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/config"
)

// TestLinkFillIsSupplierFill: orders reads each supplier's fill rate from
// the link (linkFill), which receive's deliver sets and setSupplier keeps
// when partner search or an entrant changes a link's supplier. After every
// step, on every link whose supplier is alive, it must be the supplier's
// fill rate bit for bit, or orders would split differently than from the
// suppliers' own values; on every link whose supplier is not alive (failed,
// exited or dormant) it must be 0, before the first step too, or orders,
// which reads a supplier's alive flag only behind a fill rate of 0
// (dropFill), would take a failed supplier for a live one. The run fails
// firms (the demand shock), rewires their buyers and lets entrants in, so
// links do change supplier.
func TestLinkFillIsSupplierFill(t *testing.T) {
	cfg := churnConfig()
	cfg.Production.PartnerSearch = true
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	first := slices.Clone(e.net.Supplier)
	check := func(step int) {
		t.Helper()
		for k, s := range e.net.Supplier {
			if e.alive[s] && math.Float64bits(e.linkFill[k]) != math.Float64bits(e.fillRate[s]) {
				t.Fatalf("step %d: link %d reads fill rate %v, its supplier %d has %v", step, k, e.linkFill[k], s, e.fillRate[s])
			}
			if !e.alive[s] && e.linkFill[k] != 0 {
				t.Fatalf("step %d: link %d reads fill rate %v, its supplier %d is not alive", step, k, e.linkFill[k], s)
			}
		}
	}
	check(-1)
	for step := 0; step < cfg.Steps; step++ {
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		check(step)
	}
	moved, entered := 0, 0
	for k, s := range e.net.Supplier {
		if s != first[k] {
			moved++
		}
	}
	for i := range e.alive {
		if e.net.IsDormant(i) && e.alive[i] {
			entered++
		}
	}
	if moved == 0 || entered == 0 {
		t.Errorf("%d links changed supplier and %d firms entered: want both, or the test checks nothing", moved, entered)
	}
	t.Logf("%d links changed supplier, %d firms entered", moved, entered)
}

// churnConfig is the bench scenario of 5,000 firms for 200 steps with
// firms failing (its demand shock), exiting and entering: the run the
// tests of values kept on the links step through.
func churnConfig() *config.Config {
	cfg := config.Bench(5000)
	cfg.Steps = 200
	cfg.Demography.SizeClasses = true
	cfg.Demography.ExitHazard = config.ClassHazards{Micro: 0.2, Small: 0.1, Medium: 0.05, Large: 0.02}
	cfg.Demography.EntryPool, cfg.Demography.EntryResponse = 0.3, 4
	return cfg
}
