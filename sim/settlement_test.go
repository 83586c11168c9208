package sim

import (
	"math"
	"testing"
)

// TestFailedSupplierFillIsZero: payTrade tells a failed supplier from a
// live one by the link's fill rate first (linkFill, set by receive's
// deliver in the same step), reading whether the supplier is alive only
// where that is 0. This is exact only if every firm already failed when
// the step begins delivers at a fill rate of +0 or −0: no firm fails,
// exits or enters between produce and settlement, so those are the
// suppliers found failed at payment. The run fails firms (the demand
// shock) and has exits and entries.
func TestFailedSupplierFillIsZero(t *testing.T) {
	cfg := churnConfig()
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	var failed []int
	checked := 0
	for step := 0; step < cfg.Steps; step++ {
		failed = failed[:0]
		for i, live := range e.alive {
			if !live {
				failed = append(failed, i)
			}
		}
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		for _, i := range failed {
			if e.alive[i] {
				continue // entered at the step's end, after settlement
			}
			if e.fillRate[i] != 0 || math.IsNaN(e.fillRate[i]) {
				t.Fatalf("step %d: firm %d, failed all the step, has fill rate %v", step, i, e.fillRate[i])
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("no firm was failed through a step: the test checks nothing")
	}
	t.Logf("%d firm-steps of failed firms checked", checked)
}
