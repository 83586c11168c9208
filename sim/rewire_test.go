package sim

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// searchNetwork is chainNetwork with a bystander large enough to take over
// the core's parts: core ← supplier ← raw, and a bystander in the
// supplier's sector with no customer.
func searchNetwork(t *testing.T) *network.Network {
	t.Helper()
	return chainNetworkWith(t, 400e6)
}

// searchConfig is quietConfig with partner search on and a one-week
// rewiring delay.
func searchConfig(on bool) *config.Config {
	cfg := quietConfig()
	cfg.Production.PartnerSearch = on
	cfg.Production.RewiringDelay = units.MustDuration("1w")
	return cfg
}

// failSupplier makes the test network's supplier (firm 1) fail within a
// few steps: it loses its cash, cannot cover a tenfold fixed cost, and no
// bank lends to anyone.
func failSupplier(e *engine) {
	e.equity[1] -= e.cash[1]
	e.ledger.external += e.cash[1]
	e.banks[e.bank[1]].reserves -= e.cash[1]
	e.cash[1] = 0
	e.cashTarget[1] = 0
	e.fixedCost[1] *= 10
	e.p.scoreThreshold = 2
}

// TestPartnerSearch: with production.partner_search, the core's link to
// its failed parts supplier passes, after the rewiring delay, to the other
// firm of the sector (the bystander), so the core produces again and
// survives; without it the core has no parts and fails in turn. The network given to the engine is
// not changed, the out-adjacency follows the new links, and the ledger
// holds.
func TestPartnerSearch(t *testing.T) {
	coreOutput := map[bool]float64{}
	for _, on := range []bool{false, true} {
		cfg := searchConfig(on)
		net := searchNetwork(t)
		orig := slices.Clone(net.Supplier)
		e, err := newEngineOn(cfg, net, 0)
		if err != nil {
			t.Fatal(err)
		}
		failSupplier(e)
		delay := e.p.rewiringDelay
		res, err := e.run("baseline")
		if err != nil {
			t.Fatal(err)
		}
		if e.alive[1] || res.Firms.Status[1] != outcome.Failed {
			t.Fatalf("partner search %v: the supplier did not fail", on)
		}
		if e.alive[0] != on || !e.alive[3] {
			t.Fatalf("partner search %v: core alive %v (want %v), bystander alive %v", on, e.alive[0], on, e.alive[3])
		}
		if !slices.Equal(net.Supplier, orig) {
			t.Errorf("partner search %v: the engine changed the network it was given", on)
		}
		// The core's parts link: edge 0 (supplier → core).
		wantSup := int32(1)
		if on {
			wantSup = 3
		}
		if got := e.net.Supplier[0]; got != wantSup {
			t.Errorf("partner search %v: the core's parts come from firm %d, want %d", on, got, wantSup)
		}
		if on && int(e.failStep[1])+delay >= e.p.steps {
			t.Fatalf("the supplier failed too late (step %d) to test rewiring", e.failStep[1])
		}
		// Out-adjacency consistent with the suppliers.
		for s := 0; s < e.net.N(); s++ {
			for j := e.net.OutStart[s]; j < e.net.OutStart[s+1]; j++ {
				if k := e.net.OutEdge[j]; e.net.Supplier[k] != int32(s) || (j > e.net.OutStart[s] && e.net.OutEdge[j-1] >= k) {
					t.Fatalf("partner search %v: out-edge %d of firm %d is edge %d of firm %d", on, j, s, k, e.net.Supplier[k])
				}
			}
		}
		if int(e.net.OutStart[e.net.N()]) != e.net.E() {
			t.Errorf("partner search %v: out-adjacency holds %d edges of %d", on, e.net.OutStart[e.net.N()], e.net.E())
		}
		if e.ledger.maxResidual > ledgerTolerance {
			t.Errorf("partner search %v: ledger residual %g", on, e.ledger.maxResidual)
		}
		coreOutput[on] = e.output[0]
	}
	if !(coreOutput[true] > 0) {
		t.Errorf("the core's last output is %g with partner search: want it restored", coreOutput[true])
	}
}

// TestPartnerSearchSettlesTheLink: a buyer pays off what it owes the
// failed supplier's liquidator on a link before the link passes to a new
// supplier, so the new supplier gains no claim it did not earn; the money
// and balance-sheet identities hold through every step (checked by the
// run).
func TestPartnerSearchSettlesTheLink(t *testing.T) {
	e, err := newEngineOn(searchConfig(true), searchNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	failSupplier(e)
	moved := -1
	for step := 0; step < e.p.steps; step++ {
		owed := e.payable[0]
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		if moved < 0 && e.net.Supplier[0] == 3 {
			moved = step
			if !(owed > 0) {
				t.Errorf("step %d: the core owed nothing on the link before it moved: the test settles nothing", step)
			}
			if e.payable[0] != 0 {
				t.Errorf("step %d: the moved link still carries a claim of %g", step, e.payable[0])
			}
			if step-int(e.failStep[1]) < e.p.rewiringDelay {
				t.Errorf("link moved at step %d, %d steps after the failure: before the rewiring delay %d", step, step-int(e.failStep[1]), e.p.rewiringDelay)
			}
		}
	}
	if moved < 0 {
		t.Fatal("the core never found a new supplier")
	}
}
