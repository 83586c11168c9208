package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// additionalityNetwork is two cores with two SME suppliers each, of the
// same part, so that a core survives losing one.
func additionalityNetwork(t *testing.T) *network.Network {
	t.Helper()
	firms := []network.Firm{
		{Name: "weak-core", Kind: network.Core, Role: network.RoleManufacturer, Sector: 0, ExportMarket: -1, FinalDemand: 10e6},
		{Name: "bleeder", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 5e6},
		{Name: "dependent", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 0.5e6},
		{Name: "slow-core", Kind: network.Core, Role: network.RoleManufacturer, Sector: 0, ExportMarket: -1, FinalDemand: 10e6},
		{Name: "starved", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 1e6},
		{Name: "steady", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 1e6},
	}
	edges := []network.Edge{{Supplier: 1, Buyer: 0, Weight: 0.5}, {Supplier: 2, Buyer: 0, Weight: 0.5},
		{Supplier: 4, Buyer: 3, Weight: 0.5}, {Supplier: 5, Buyer: 3, Weight: 0.5}}
	net, err := network.Build(firms, edges, []string{"goods", "parts"}, []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestAdditionalityClasses(t *testing.T) {
	cfg := bankedConfig()
	cfg.Production.SpareCapacity = 1
	for b := range cfg.Banks {
		cfg.Banks[b].LendingHeadroom = 10
	}
	cfg.Steps = 80
	cfg.Firms.CascadeWindow = units.MustDuration("1y")
	c := withIntervention(cfg, config.KindSupplyChainFinance, 0, 80, func(c *config.InterventionConfig) {
		c.Mode = "guarantee"
		c.GuaranteeLimit = 3
		c.Budget = 1e9
	})
	net := additionalityNetwork(t)
	setup := func(e *engine) {
		e.hasCredit[1], e.loanLimit[1] = false, 0
		e.fixedCost[1] *= 6
		e.equity[0] -= e.cash[0] * 0.9
		e.ledger.external += e.cash[0] * 0.9
		e.banks[e.bank[0]].reserves -= e.cash[0] * 0.9
		e.cash[0] *= 0.1
		e.cashTarget[0] = e.cash[0]
		e.hasCredit[4], e.loanLimit[4] = false, 0
		e.fixedCost[4] *= 1.09
	}
	base := armEngine(t, c, net, false)
	setup(base)
	rb := runEngine(t, base, nil)
	e := armEngine(t, c, net, true)
	setup(e)
	r := runEngine(t, e, nil)

	want := map[string]results.Class{"weak-core": results.NotReached, "bleeder": results.LostAnyway, "dependent": results.Harmed,
		"slow-core": results.NotReached, "starved": results.Saved, "steady": results.Deadweight}
	out := r.Interventions[0]
	for i := 0; i < net.N(); i++ {
		_, got := results.FirmSupport(r, i, rb.Firms.Status[i] == outcome.Failed)
		if got != want[net.Name(i)] {
			t.Errorf("%s: class %q, want %q (baseline %v, arm %v, money %g)", net.Name(i), got, want[net.Name(i)],
				rb.Firms.Status[i], r.Firms.Status[i], out.Money[i])
		}
	}
	adds, ok := results.Classify(r, func(i int) bool { return rb.Firms.Status[i] == outcome.Failed })
	if !ok[0] {
		t.Fatal("no per-firm amounts")
	}
	a := adds[0]
	for c := results.Saved; c < results.NumClasses; c++ {
		if a.Firms[c] != 1 || !(a.Money[c] > 0) {
			t.Errorf("class %s: %d firms with %g; want 1 firm with money", c, a.Firms[c], a.Money[c])
		}
	}
	// The classes' money is the intervention's spending: the same sums
	// taken in another order, equal to the last bits.
	if spent := a.Spent(); math.Abs(spent-out.Used) > 1e-12*out.Used {
		t.Errorf("money over the classes %.17g, want the intervention's use %.17g", spent, out.Used)
	}
}

// TestMoneyAddsUpToUsed checks, for every kind that gives money, that the
// per-firm amounts add up to what the intervention used.
func TestMoneyAddsUpToUsed(t *testing.T) {
	cases := []struct {
		kind string
		set  func(*config.InterventionConfig)
	}{
		{config.KindSupplyChainFinance, func(c *config.InterventionConfig) { c.Budget = 1e9 }},
		{config.KindSupplyChainFinance, func(c *config.InterventionConfig) { c.Budget = 1e9; c.Mode = "guarantee" }},
		{config.KindPolicyLoan, func(c *config.InterventionConfig) { c.Budget = 3e5; c.Channel = "direct"; c.MaxPerFirm = 1 }},
		{config.KindLoanGuarantee, func(c *config.InterventionConfig) { c.Budget = 1e9 }},
		{config.KindInterestSubsidy, func(c *config.InterventionConfig) { c.Budget = 1e9 }},
		{config.KindTaxRelief, func(c *config.InterventionConfig) { c.Budget = 1e9 }},
		{config.KindMoratorium, nil},
		{config.KindCreditPush, func(c *config.InterventionConfig) { c.SupplyRise, c.FirstLoanTakeUp, c.FundedShare = 0.5, 0.5, 0.4 }},
	}
	for _, tc := range cases {
		cfg := bankedConfig()
		cfg.Steps = 30
		c := withIntervention(cfg, tc.kind, 2, 30, func(c *config.InterventionConfig) {
			c.SMEOnly = false
			if tc.set != nil {
				tc.set(c)
			}
		})
		net := chainNetwork(t)
		e := armEngine(t, c, net, true)
		slowCore(e)
		r := runEngine(t, e, nil)
		out := r.Interventions[0]
		total, reached := 0.0, 0
		for _, m := range out.Money {
			total += m
			if m > 0 {
				reached++
			}
		}
		if !(out.Used > 0) || reached == 0 || math.Abs(total-out.Used) > 1e-12*out.Used {
			t.Errorf("%s (%s): firms received %.17g in all (%d firms), used %.17g: want equal and positive", tc.kind, c.Interventions[0].Mode, total, reached, out.Used)
		}
	}
}
