package sim

import (
	"math"
	"testing"
)

// TestLossesClearedWhereBooked: the losses winding-up books (writtenOff,
// badDebt) are cleared at the start of the next step only for the firms
// liquidate noted in e.losses (clearLosses), in place of a clear of both
// arrays. After every step of a run whose firms fail and exit, clearing
// them so must leave every firm's at +0, the bits the clear gave, or a
// site that books a loss does not note its firm.
func TestLossesClearedWhereBooked(t *testing.T) {
	cfg := churnConfig()
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	written, bad := 0, 0 // firm-steps with a loss booked
	for step := 0; step < cfg.Steps; step++ {
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		for i := range e.writtenOff {
			if e.writtenOff[i] != 0 {
				written++
			}
			if e.badDebt[i] != 0 {
				bad++
			}
		}
		e.clearLosses() // as the next step begins
		for i := range e.writtenOff {
			if math.Float64bits(e.writtenOff[i]) != 0 || math.Float64bits(e.badDebt[i]) != 0 {
				t.Fatalf("step %d: firm %d keeps a write-off of %v and bad debt of %v after clearLosses, want +0 for both", step, i, e.writtenOff[i], e.badDebt[i])
			}
		}
	}
	if written == 0 || bad == 0 {
		t.Errorf("%d write-offs and %d bad debts booked: want both, or the test checks nothing", written, bad)
	}
	t.Logf("%d write-offs and %d bad debts booked", written, bad)
}
