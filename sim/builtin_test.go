package sim_test

import (
	"reflect"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
)

// TestLedgerIdentitiesEveryBuiltin runs every built-in scenario. The engine
// checks the money identity and every firm's and bank's balance sheet after
// every step and stops with an AccountingError on a breach, so a clean run
// is the assertion.
func TestLedgerIdentitiesEveryBuiltin(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			cfg, err := scenarios.Open(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			if testing.Short() && cfg.Steps > 60 {
				cfg.Steps = 60
			}
			if !cfg.Finance.Enabled {
				t.Skip("finance disabled: no money to account for")
			}
			res, err := sim.RunReplication(cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			if res.Steps() != cfg.Steps {
				t.Fatalf("recorded %d steps, want %d", res.Steps(), cfg.Steps)
			}
		})
	}
}

// TestSameSeedSameResult: a replication is a function of (scenario, seed,
// replication) only.
func TestSameSeedSameResult(t *testing.T) {
	cfg, err := scenarios.Open("default")
	if err != nil {
		t.Fatal(err)
	}
	a, err := sim.RunReplication(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.RunReplication(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Series, b.Series) || !reflect.DeepEqual(a.Events, b.Events) || !reflect.DeepEqual(a.Firms, b.Firms) {
		t.Fatal("two runs of the same replication differ")
	}
	c, err := sim.RunReplication(cfg, 4)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Series, c.Series) {
		t.Fatal("replications 3 and 4 are identical: streams do not depend on the replication")
	}
}

// TestDefaultScenarioCascades: the embedded default must show a demand shock
// making SMEs fail through visible cascades (generation ≥ 2).
func TestDefaultScenarioCascades(t *testing.T) {
	cfg, err := scenarios.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := sim.RunReplication(cfg, 0); err != nil {
		t.Fatal(err)
	} else {
		if n := res.Network.N(); n < 2000 {
			t.Errorf("default network has %d firms, want ≥ 2000", n)
		}
		deepest := int32(0)
		for _, ev := range res.Events {
			deepest = max(deepest, ev.Generation)
		}
		if len(res.Events) == 0 || deepest < 2 {
			t.Errorf("%d failures, deepest generation %d: want failures with generation ≥ 2", len(res.Events), deepest)
		}
	}
}
