package sim

import (
	"testing"

	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// TestOrderlyExit: a solvent firm that exits pays its bank and its
// suppliers in full — no write-off, no bad debt — its buyer is not
// counted as reached by a failure, and the identities hold (the engine
// checks them every step). With the distress wind-up (recovery_rate 0.3)
// the same exit would cost its creditors 70% of their claims.
func TestOrderlyExit(t *testing.T) {
	net := sizedChain(t)
	cfg := quietConfig()
	cfg.Firms.SME.DebtToAssets, cfg.Firms.SME.CreditAccess = 0.5, 1
	cfg.Firms.SME.CashRunwayMedian = units.MustDuration("6mo")
	cfg.Demography.SizeClasses = true
	cfg.Demography.ExitHazard.Small = 0.99 // only the supplier may exit: 8.5% a week
	e, err := newEngineOn(cfg, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	const sup, core = 1, 0
	if e.loan[sup] <= 0 || e.payable[1] <= 0 {
		t.Fatalf("the supplier must owe its bank (%v) and its supplier (%v)", e.loan[sup], e.payable[1])
	}
	for step := 0; step < cfg.Steps; step++ {
		loan, owed := e.loan[sup], e.payable[1]
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		if e.alive[sup] {
			continue
		}
		row := e.metrics.series[step*e.metrics.width:]
		switch {
		case e.cause[sup] != outcome.Exit:
			t.Fatalf("step %d: the supplier failed (%s) instead of exiting", step, e.cause[sup])
		case row[outcome.WriteOffs] != 0 || row[outcome.BadDebt] != 0:
			t.Errorf("step %d: an orderly exit wrote off %v of loans and %v of trade credit, want 0", step, row[outcome.WriteOffs], row[outcome.BadDebt])
		case e.loan[sup] != 0 || e.writtenOff[sup] != 0 || e.lent[sup]+loan-e.repaidAll[sup] > 1e-9*loan:
			t.Errorf("step %d: loan %v of %v left, %v written off: the bank was not repaid in full", step, e.loan[sup], loan, e.writtenOff[sup])
		case len(e.hits.of(core)) != 0:
			t.Errorf("step %d: the buyer is counted as reached by a failure: %v", step, e.hits.of(core))
		case owed <= 0:
			t.Errorf("step %d: the supplier owed nothing to its supplier", step)
		}
		if out := row[e.metrics.columns+outcome.OwnerEquityOut]; !(out > 0) {
			t.Errorf("step %d: the owners of a solvent firm got %v back", step, out)
		}
		if d := e.demo; d.exitedAll != 1 || row[e.metrics.columns+outcome.Exits] != 1 {
			t.Errorf("step %d: %d exits counted, %v recorded", step, d.exitedAll, row[e.metrics.columns+outcome.Exits])
		}
		return
	}
	t.Fatal("the supplier never exited: pick another hazard")
}

// sizedChain is a three-firm chain with size classes: a large core buying
// from a small supplier, which buys from a micro raw-material firm.
func sizedChain(t *testing.T) *network.Network {
	t.Helper()
	firms := []network.Firm{
		{Name: "core", Kind: network.Core, Role: network.RoleManufacturer, Sector: 0, ExportMarket: -1, FinalDemand: 100e6, SizeClass: network.Large},
		{Name: "supplier", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 1e6, SizeClass: network.Small},
		{Name: "raw", Kind: network.SME, Role: network.RoleRawMaterial, Sector: 2, ExportMarket: -1, FinalDemand: 1e6, SizeClass: network.Micro},
	}
	edges := []network.Edge{{Supplier: 1, Buyer: 0, Weight: 1}, {Supplier: 2, Buyer: 1, Weight: 1}}
	net, err := network.Build(firms, edges, []string{"goods", "parts", "raw"}, []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}
