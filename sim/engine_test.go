package sim

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// chainNetwork builds raw → supplier → core, plus an unrelated supplier
// selling only to final markets.
func chainNetwork(t *testing.T) *network.Network {
	t.Helper()
	return chainNetworkWith(t, 20e6)
}

// chainNetworkWith is chainNetwork with the bystander's final demand (per
// year).
func chainNetworkWith(t *testing.T, bystanderDemand float64) *network.Network {
	t.Helper()
	firms := []network.Firm{
		{Name: "core", Kind: network.Core, Role: network.RoleManufacturer, Sector: 0, ExportMarket: -1, FinalDemand: 100e6},
		{Name: "supplier", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 1e6},
		{Name: "raw", Kind: network.SME, Role: network.RoleRawMaterial, Sector: 2, ExportMarket: -1, FinalDemand: 1e6},
		{Name: "bystander", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: bystanderDemand},
	}
	edges := []network.Edge{
		{Supplier: 1, Buyer: 0, Weight: 1},
		{Supplier: 2, Buyer: 1, Weight: 1},
	}
	net, err := network.Build(firms, edges, []string{"goods", "parts", "raw"}, []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// quietConfig is a scenario without shocks or bank debt, whose baseline is
// stationary and whose firms hold one month of costs in cash.
func quietConfig() *config.Config {
	cfg := config.DefaultConfig()
	cfg.Shocks = nil
	cfg.Markets = nil
	cfg.Steps = 60
	cfg.Firms.SME.DebtToAssets = 0
	cfg.Firms.Core.DebtToAssets = 0
	cfg.Firms.SME.CashRunwayMedian = units.MustDuration("1mo")
	cfg.Firms.SME.CashRunwayDispersion = 0
	cfg.Firms.Core.CashRunwayDispersion = 0
	cfg.Firms.Grace = units.MustDuration("2w")
	return &cfg
}

func TestCascadeGenerations(t *testing.T) {
	cfg := quietConfig()
	cfg.Firms.CascadeWindow = units.MustDuration("1y")
	e, err := newEngineOn(cfg, chainNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	// The core loses its cash and cannot cover a tenfold fixed cost; no
	// bank will lend to anyone.
	e.equity[0] -= e.cash[0]
	e.ledger.external += e.cash[0]
	e.banks[e.bank[0]].reserves -= e.cash[0]
	e.cash[0] = 0
	e.cashTarget[0] = 0
	e.fixedCost[0] *= 10
	e.p.scoreThreshold = 2
	res, err := e.run("baseline")
	if err != nil {
		t.Fatal(err)
	}
	byFirm := map[string]outcome.Event{}
	for _, ev := range res.Events {
		byFirm[e.net.Name(int(ev.Firm))] = ev
	}
	want := []struct {
		firm       string
		generation int32
		parents    []int32
		channels   outcome.Channel
	}{
		{"core", 0, nil, 0},
		{"supplier", 1, []int32{0}, outcome.ChannelBadDebt | outcome.ChannelLostOrders},
		{"raw", 2, []int32{1}, outcome.ChannelLostOrders},
	}
	for _, w := range want {
		ev, ok := byFirm[w.firm]
		if !ok {
			t.Fatalf("%s did not fail; events %+v", w.firm, res.Events)
		}
		if ev.Generation != w.generation || ev.Cascade != 0 {
			t.Errorf("%s: generation %d cascade %d, want generation %d cascade 0", w.firm, ev.Generation, ev.Cascade, w.generation)
		}
		if len(ev.Parents) != len(w.parents) || (len(w.parents) > 0 && ev.Parents[0] != w.parents[0]) {
			t.Errorf("%s: parents %v, want %v", w.firm, ev.Parents, w.parents)
		}
		if ev.Channels&w.channels != w.channels {
			t.Errorf("%s: channels %v, want at least %v", w.firm, ev.Channels.Names(), w.channels.Names())
		}
	}
	if byFirm["core"].Step >= byFirm["supplier"].Step || byFirm["supplier"].Step >= byFirm["raw"].Step {
		t.Errorf("failures out of order: %+v", res.Events)
	}
	if _, ok := byFirm["bystander"]; ok {
		t.Errorf("the bystander failed: %+v", byFirm["bystander"])
	}
	if e.ledger.maxResidual > ledgerTolerance {
		t.Errorf("ledger residual %g", e.ledger.maxResidual)
	}
}

// TestQuietBaselineIsStationary checks that without shocks nothing moves:
// the initial state is a steady state of the whole model, money included.
func TestQuietBaselineIsStationary(t *testing.T) {
	cfg := quietConfig()
	cfg.Firms.SME.DebtToAssets = 0.3
	cfg.Firms.Core.DebtToAssets = 0.4
	e, err := newEngineOn(cfg, chainNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	cash0 := append([]float64(nil), e.cash...)
	loan0 := append([]float64(nil), e.loan...)
	res, err := e.run("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) != 0 {
		t.Fatalf("failures in a quiet baseline: %+v", res.Events)
	}
	for i := range cash0 {
		if d := math.Abs(e.cash[i]-cash0[i]) / cash0[i]; d > 1e-9 {
			t.Errorf("firm %d: cash moved from %g to %g", i, cash0[i], e.cash[i])
		}
		if d := math.Abs(e.loan[i] - loan0[i]); d > 1e-9*math.Max(1, loan0[i]) {
			t.Errorf("firm %d: loan moved from %g to %g", i, loan0[i], e.loan[i])
		}
		if d := math.Abs(e.output[i]-e.baseOutput[i]) / e.baseOutput[i]; d > 1e-12 {
			t.Errorf("firm %d: output moved from %g to %g", i, e.baseOutput[i], e.output[i])
		}
	}
}

// TestAccountingBreachIsCaught corrupts a stock and expects the step's
// check to name the step, the firm and the identity; with the banking
// system, each of its new stocks (provisions, central-bank loans,
// relending, central-bank equity, recapitalisations, loans in workout and
// the outside book) too; with liquidity beyond banks, informal debt and
// owners' injections.
func TestAccountingBreachIsCaught(t *testing.T) {
	informal := func(c *config.Config) { c.Firms.SME.InformalLimit, c.Firms.SME.OwnerFunds = 0.1, 0.1 }
	outside := func(c *config.Config) { c.Finance.NPLWorkout, c.Finance.OutsideBook = units.MustDuration("13w"), 3 }
	cases := []struct {
		name    string
		banking string
		corrupt func(e *engine)
		account string
		set     func(*config.Config) // nil: quietConfig with bank debt
	}{
		{"cash appears from nowhere", "legacy", func(e *engine) { e.cash[1] += 1000 }, "money", nil},
		{"inventory without a payable", "legacy", func(e *engine) { e.slotInv[0] += 1000 }, "firm core", nil},
		{"loan booked at the firm only", "legacy", func(e *engine) { e.loan[3] += 1000; e.equity[3] -= 1000 }, "bank bank", nil},
		{"provisions released into nothing", "system", func(e *engine) { e.banks[0].provisions -= 1000 }, "bank bank", nil},
		{"central-bank loan without reserves", "system", func(e *engine) { e.banks[0].cbLoans += 1000 }, "bank bank", nil},
		{"reserves from nowhere", "system", func(e *engine) { e.banks[0].reserves += 1000; e.banks[0].capital += 1000 }, "money", nil},
		{"central-bank equity from nowhere", "system", func(e *engine) { e.bs.cb.equity += 1000 }, "money", nil},
		{"relending without its reserves", "system", func(e *engine) { e.banks[0].relending += 1000; e.banks[0].funding -= 1000 }, "central bank", nil},
		{"recapitalisation off the fiscal books", "system", func(e *engine) { e.bs.recapTotal += 1000 }, "government", nil},
		{"outside loans from nowhere", "system", func(e *engine) { e.banks[0].outside += 1000 }, "bank bank", outside},
		{"outside recovery paid by no one", "system", func(e *engine) { e.banks[0].outsideNPL -= 1000; e.banks[0].reserves += 1000 }, "central bank", outside},
		{"workout loan without its borrower's loan", "system", func(e *engine) { e.banks[0].workout += 1000; e.banks[0].loans -= 1000 }, "bank bank", outside},
		{"informal debt without its loan", "legacy", func(e *engine) { e.liq.informalDebt[3] += 1000 }, "firm bystander", informal},
		{"owner injection from nowhere", "legacy", func(e *engine) { e.cash[3] += 1000; e.equity[3] += 1000 }, "money", informal},
		{"informal debt repaid beyond what was owed", "legacy", func(e *engine) { e.liq.informalDebt[3] -= 1000; e.equity[3] += 1000 }, "firm bystander", informal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := quietConfig()
			cfg.Firms.SME.DebtToAssets = 0.3
			cfg.Finance.Banking = c.banking
			if c.set != nil {
				c.set(cfg)
			}
			e, err := newEngineOn(cfg, chainNetwork(t), 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.step(0); err != nil {
				t.Fatal(err)
			}
			c.corrupt(e)
			err = e.step(1)
			var ae *AccountingError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v, want an AccountingError", err)
			}
			if ae.Step != 1 || ae.Account != c.account {
				t.Errorf("got step %d account %q, want step 1 account %q (%v)", ae.Step, ae.Account, c.account, err)
			}
		})
	}
}

// TestLeontiefLimit: with financial frictions off (no money, ample
// capacity, full inventories), a permanent change of final demand d drives
// the simulated steady state to x = (I − A)⁻¹ d.
func TestLeontiefLimit(t *testing.T) {
	for _, gen := range []string{"core-satellite", "erdos-renyi"} {
		t.Run(gen, func(t *testing.T) {
			cfg := config.DefaultConfig()
			cfg.Finance.Enabled = false
			cfg.Network.Generator = gen
			cfg.Network.Chains = 2
			cfg.Network.SuppliersPerChain = 30
			cfg.Network.RawMaterialsPerChain = 40
			cfg.Network.DistributorsPerChain = 40
			cfg.Network.Firms = 300
			cfg.Network.MeanDegree = 3
			cfg.Production.SpareCapacity = 100
			// Cycles (Erdős–Rényi) slow the geometric convergence.
			cfg.Steps = map[string]int{"core-satellite": 800, "erdos-renyi": 4000}[gen]
			cfg.Shocks = []config.ShockConfig{{Kind: "demand", Market: "all", Depth: 0.25, Shape: "step",
				Start: units.MustDuration("10w"), Duration: units.MustDuration("100y")}}
			e, err := newEngine(&cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			n := e.net.N()
			if n < 200 {
				t.Fatalf("network has %d firms, want ≥ 200", n)
			}
			if _, err := e.run("baseline"); err != nil {
				t.Fatal(err)
			}
			// Leontief: (I − A) x = d with A[s][b] = coefficient of edge s → b.
			ia := mat.NewDense(n, n, nil)
			d := mat.NewVecDense(n, nil)
			for i := 0; i < n; i++ {
				ia.Set(i, i, 1)
				d.SetVec(i, 0.75*(e.fdDomestic[i]+e.fdExport[i]))
			}
			for k := 0; k < e.net.E(); k++ {
				s, b := int(e.net.Supplier[k]), int(e.net.Buyer[k])
				ia.Set(s, b, ia.At(s, b)-e.edgeCoeffOf(int32(b), int32(k)))
			}
			var lu mat.LU
			lu.Factorize(ia)
			var x mat.VecDense
			if err := lu.SolveVecTo(&x, false, d); err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i := 0; i < n; i++ {
				rel := math.Abs(e.output[i]-x.AtVec(i)) / x.AtVec(i)
				worst = math.Max(worst, rel)
			}
			if worst > 1e-6 {
				t.Errorf("steady state differs from the Leontief solution by %.3g (relative, worst firm)", worst)
			}
			t.Logf("%d firms, %d edges: worst relative difference %.2g", n, e.net.E(), worst)
		})
	}
}

func TestRunwayFromProfile(t *testing.T) {
	months := []float64{0.25, 1, 2, 3, 6, 12}
	shares := []float64{0, 0.34, 0.671, 0.85, 0.9004, 1}
	for j := range months {
		if got := runwayFromProfile(months, shares, shares[j]); j > 0 && math.Abs(got-months[j]) > 1e-12 {
			t.Errorf("share %g: runway %g, want %g", shares[j], got, months[j])
		}
	}
	// The empirical shares of many draws match the profile.
	n := 100000
	below := make([]int, len(months))
	for k := 0; k < n; k++ {
		r := runwayFromProfile(months, shares, (float64(k)+0.5)/float64(n))
		for j, m := range months {
			if r <= m {
				below[j]++
			}
		}
	}
	for j := range months {
		if got := float64(below[j]) / float64(n); math.Abs(got-shares[j]) > 1e-4 {
			t.Errorf("≤ %g months: share %g, want %g", months[j], got, shares[j])
		}
	}
}

// TestDemandSwitching: with demand_switching, a failed firm's final demand
// goes to the survivors of its sector in proportion to their own; without
// it, it is lost.
func TestDemandSwitching(t *testing.T) {
	for _, on := range []bool{false, true} {
		cfg := quietConfig()
		cfg.Production.DemandSwitching = on
		e, err := newEngineOn(cfg, chainNetwork(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		// supplier (1) and bystander (3) share sector "parts".
		before := e.fdDomestic[1] + e.fdExport[1] + e.fdDomestic[3] + e.fdExport[3]
		if err := e.step(0); err != nil {
			t.Fatal(err)
		}
		e.alive[1] = false
		e.failStep[1] = 0
		e.windUp(1, 0)
		e.finalDemand(0, e.net.N(), 1)
		got := e.fdNow[3]
		want := e.fdDomestic[3] + e.fdExport[3]
		if on {
			want = before
		}
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("switching %v: the bystander's final demand is %g, want %g", on, got, want)
		}
		if e.fdNow[0] != e.fdDomestic[0]+e.fdExport[0] {
			t.Errorf("switching %v: another sector's demand moved", on)
		}
	}
}
