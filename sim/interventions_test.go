package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// withIntervention returns cfg with one intervention of kind, active from
// step from to step to (counted from step 0), after changes by set.
func withIntervention(cfg *config.Config, kind string, from, to int, set func(*config.InterventionConfig)) *config.Config {
	c := *cfg
	iv := config.DefaultIntervention()
	iv.Kind = kind
	iv.From = "run"
	iv.Start = units.Duration{Value: float64(from), Unit: "w"}
	iv.End = units.Duration{Value: float64(to), Unit: "w"}
	if set != nil {
		set(&iv)
	}
	c.Interventions = []config.InterventionConfig{iv}
	return &c
}

// armEngine builds the engine of arm "baseline" (no interventions) or of
// the scenario's only intervention on net.
func armEngine(t *testing.T, cfg *config.Config, net *network.Network, withIV bool) *engine {
	t.Helper()
	e, err := newEngineOn(cfg, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	arm := config.Arm{Name: config.BaselineArm}
	if withIV {
		arm = config.Arm{Name: cfg.InterventionName(0), Interventions: []int{0}}
	}
	if err := e.applyArm(arm); err != nil {
		t.Fatal(err)
	}
	return e
}

// runEngine steps e through the run, calling each (if not nil) after every
// step; the engine checks the ledger identities every step and the run
// fails on a breach.
func runEngine(t *testing.T, e *engine, each func(step int)) *outcome.Result {
	t.Helper()
	for s := 0; s < e.p.steps; s++ {
		if err := e.step(s); err != nil {
			t.Fatalf("step %d: %v", s, err)
		}
		if each != nil {
			each(s)
		}
	}
	return e.result("test")
}

func failed(r *outcome.Result, net *network.Network, name string) bool {
	for _, ev := range r.Events {
		if net.Name(int(ev.Firm)) == name {
			return true
		}
	}
	return false
}

func series(r *outcome.Result, m int) []float64 {
	out := make([]float64, r.Steps())
	for s := range out {
		out[s] = r.Value(s, m)
	}
	return out
}

func sum(xs []float64) float64 {
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total
}

// bankedConfig is quietConfig with bank debt, so that banks hold capital
// and can lend, and with every firm holding a credit line.
func bankedConfig() *config.Config {
	cfg := quietConfig()
	cfg.Firms.SME.DebtToAssets = 0.3
	cfg.Firms.Core.DebtToAssets = 0.4
	cfg.Firms.SME.CreditAccess = 1
	return cfg
}

// slowCore makes the core of chainNetwork take a year to pay its supplier,
// which has no bank credit, from step 0: without help the supplier runs out
// of cash.
func slowCore(e *engine) {
	e.kinds[network.Core].termSteps = 52 // the chain's one core
	e.hasCredit[1] = false
	e.loanLimit[1] = 0
}

func TestSupplyChainFinanceSavesSupplier(t *testing.T) {
	cfg := quietConfig()
	cfg.Steps = 40
	scf := withIntervention(cfg, config.KindSupplyChainFinance, 0, 40, func(c *config.InterventionConfig) { c.Budget = 1e9 })
	net := chainNetwork(t)

	base := armEngine(t, scf, net, false)
	slowCore(base)
	rb := runEngine(t, base, nil)
	if !failed(rb, net, "supplier") {
		t.Fatalf("the supplier survives the slow core without supply chain finance: the test does not test anything")
	}

	e := armEngine(t, scf, net, true)
	slowCore(e)
	maxFactored := 0.0
	r := runEngine(t, e, func(int) {
		maxFactored = math.Max(maxFactored, e.iv.factored[0])
		if e.iv.factored[0] > e.payable[0]*(1+1e-12) {
			t.Fatalf("bank holds %g of a payable of %g", e.iv.factored[0], e.payable[0])
		}
	})
	if failed(r, net, "supplier") {
		t.Errorf("the supplier fails with supply chain finance too: events %+v", r.Events)
	}
	if maxFactored <= 0 {
		t.Errorf("nothing was factored")
	}
	if got := r.Interventions[0]; got.Firms != 1 || got.FiscalCost != 0 || got.Used > 1e9 {
		t.Errorf("outcome %+v: want 1 firm reached (the supplier), no fiscal cost, use within budget", got)
	}
}

func TestFactoringRecourse(t *testing.T) {
	// The core fails with factored receivables outstanding: without
	// recourse its supplier's bank writes them off; with recourse the
	// supplier owes them.
	for _, recourse := range []bool{false, true} {
		cfg := quietConfig()
		cfg.Steps = 30
		cfg.Firms.CascadeWindow = units.MustDuration("1y")
		c := withIntervention(cfg, config.KindSupplyChainFinance, 0, 30, func(c *config.InterventionConfig) { c.Budget = 1e9; c.Recourse = recourse })
		net := chainNetwork(t)
		e := armEngine(t, c, net, true)
		slowCore(e)
		// The core cannot cover a tenfold fixed cost and gets no credit.
		e.fixedCost[0] *= 10
		e.hasCredit[0] = false
		var writeOff, recourseLoan float64
		r := runEngine(t, e, func(int) {
			if !e.alive[0] && e.failStep[0] == int32(e.p.steps) {
				return
			}
			writeOff += sum(e.iv.factWrittenOff)
			if !e.alive[0] && recourseLoan == 0 && e.alive[1] {
				recourseLoan = e.loan[1]
			}
		})
		if !failed(r, net, "core") {
			t.Fatalf("recourse %v: the core did not fail", recourse)
		}
		if recourse && (writeOff != 0 || recourseLoan <= 0) {
			t.Errorf("with recourse: bank wrote off %g of bought receivables, supplier owes %g; want no write-off and a loan", writeOff, recourseLoan)
		}
		if !recourse && (writeOff <= 0 || recourseLoan != 0) {
			t.Errorf("without recourse: bank wrote off %g of bought receivables, supplier owes %g; want a write-off and no loan", writeOff, recourseLoan)
		}
	}
}

// guaranteeNetwork is a small core with two suppliers of the same part,
// so that the core survives losing one and its guaranteed loans are large
// next to the core's cash.
func guaranteeNetwork(t *testing.T) *network.Network {
	t.Helper()
	firms := []network.Firm{
		{Name: "core", Kind: network.Core, Role: network.RoleManufacturer, Sector: 0, ExportMarket: -1, FinalDemand: 10e6},
		{Name: "supplier", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 5e6},
		{Name: "other", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 5e6},
	}
	edges := []network.Edge{{Supplier: 1, Buyer: 0, Weight: 0.5}, {Supplier: 2, Buyer: 0, Weight: 0.5}}
	net, err := network.Build(firms, edges, []string{"goods", "parts"}, []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestCoreGuaranteeCallSpreadsUpstream(t *testing.T) {
	cfg := bankedConfig()
	cfg.Production.SpareCapacity = 1
	cfg.Steps = 80
	cfg.Firms.CascadeWindow = units.MustDuration("1y")
	c := withIntervention(cfg, config.KindSupplyChainFinance, 0, 80, func(c *config.InterventionConfig) {
		c.Mode = "guarantee"
		c.GuaranteeLimit = 3
		c.Budget = 1e9
	})
	net := guaranteeNetwork(t)
	setup := func(e *engine) {
		// The supplier, without a credit line of its own, bleeds cash; the
		// core holds little cash and its bank will not refinance it.
		e.hasCredit[1] = false
		e.loanLimit[1] = 0
		e.fixedCost[1] *= 6
		e.equity[0] -= e.cash[0] * 0.9
		e.ledger.external += e.cash[0] * 0.9
		e.banks[e.bank[0]].reserves -= e.cash[0] * 0.9
		e.cash[0] *= 0.1
		e.cashTarget[0] = e.cash[0]
	}
	base := armEngine(t, c, net, false)
	setup(base)
	rb := runEngine(t, base, nil)
	if failed(rb, net, "core") {
		t.Fatalf("the core fails without the guarantee: the test does not isolate the call")
	}

	e := armEngine(t, c, net, true)
	setup(e)
	guaranteed := 0.0
	r := runEngine(t, e, func(int) { guaranteed = math.Max(guaranteed, e.iv.coreGuaranteed[1]) })
	if guaranteed <= 0 {
		t.Fatalf("the supplier borrowed nothing under the core's guarantee")
	}
	calls := sum(series(r, outcome.GuaranteeCallsCore))
	if calls <= 0 {
		t.Fatalf("no guarantee call: events %+v", r.Events)
	}
	var core *outcome.Event
	for i := range r.Events {
		if r.Events[i].Firm == 0 {
			core = &r.Events[i]
		}
	}
	if core == nil {
		t.Fatalf("the core survives calls of %g", calls)
	}
	if core.Channels&outcome.ChannelGuaranteeCall == 0 || len(core.Parents) != 1 || core.Parents[0] != 1 || core.Generation != 1 {
		t.Errorf("core failure %+v (channels %v): want the guarantee-call channel, parent the supplier, generation 1", *core, core.Channels.Names())
	}
	// The bank's loss on the supplier is what the core did not pay.
	if wo, bl := sum(series(r, outcome.WriteOffs)), sum(series(r, outcome.BankLosses)); math.Abs(wo-bl-calls) > 1e-6*wo {
		t.Errorf("write-offs %g − bank losses %g ≠ calls %g", wo, bl, calls)
	}
}

// starving makes the chain's SMEs lose money every step with no bank credit:
// they fail within a few steps unless someone lends to them.
func starving(e *engine) {
	for i := 1; i < e.net.N(); i++ {
		e.fixedCost[i] *= 4
		e.hasCredit[i] = false
		e.loanLimit[i] = 0
	}
}

func TestPolicyLoanBudget(t *testing.T) {
	for _, alloc := range []string{"first-come", "most-in-need"} {
		t.Run(alloc, func(t *testing.T) {
			cfg := quietConfig()
			cfg.Steps = 30
			budget := 3e5
			c := withIntervention(cfg, config.KindPolicyLoan, 2, 30, func(c *config.InterventionConfig) {
				c.Budget = budget
				c.Channel = "direct"
				c.Allocation = alloc
				c.MaxPerFirm = 1
			})
			net := chainNetwork(t)
			e := armEngine(t, c, net, true)
			starving(e)
			first := -1
			r := runEngine(t, e, func(s int) {
				iv := e.iv.policy
				if iv.used > budget {
					t.Fatalf("step %d: lent %.17g of a budget of %.17g", s, iv.used, budget)
				}
				if first < 0 && iv.used > 0 {
					first = s
				}
			})
			out := r.Interventions[0]
			if out.Used > budget || out.Used < budget*(1-1e-9) {
				t.Errorf("used %.17g of %.17g: want the budget used up, never exceeded", out.Used, budget)
			}
			if out.ExhaustedStep < 0 {
				t.Errorf("budget never reported exhausted")
			}
			if first != 2 {
				t.Errorf("first loan at step %d, want 2 (the start)", first)
			}
			if peak := slicesMax(series(r, outcome.PolicyLoans)); peak > budget*(1+1e-12) {
				t.Errorf("policy loans outstanding peaked at %g, above the budget %g", peak, budget)
			}
		})
	}
}

func slicesMax(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}

func TestPolicyLoanMostInNeedOrder(t *testing.T) {
	// With a budget for less than one applicant, most-in-need lends it all
	// to the firm whose need is largest relative to its revenue.
	cfg := quietConfig()
	cfg.Steps = 6
	c := withIntervention(cfg, config.KindPolicyLoan, 2, 6, func(c *config.InterventionConfig) {
		c.Budget = 1e3
		c.Channel = "direct"
		c.Allocation = "most-in-need"
		c.MaxPerFirm = 1
	})
	net := chainNetwork(t)
	e := armEngine(t, c, net, true)
	starving(e)
	for s := 0; s < c.Steps; s++ {
		if err := e.step(s); err != nil {
			t.Fatal(err)
		}
		if e.iv.policy.used == 0 {
			continue
		}
		need, got := e.iv.need, -1
		applicants := 0
		for i := 1; i < net.N(); i++ {
			if need[i] > 0 {
				applicants++
			}
			if e.iv.policy.reached[i] {
				if got >= 0 {
					t.Fatalf("step %d: two firms got loans from a budget for less than one", s)
				}
				got = i
			}
		}
		if applicants < 2 {
			t.Fatalf("step %d: %d applicants; the test needs competition", s, applicants)
		}
		for i := 1; i < net.N(); i++ {
			if need[i]/e.baseOutput[i] > need[got]/e.baseOutput[got] {
				t.Errorf("step %d: %s got the loan, but %s needed more relative to revenue", s, net.Name(got), net.Name(i))
			}
		}
		return
	}
	t.Fatal("nobody got a loan")
}

func TestLoanGuaranteeSplitsLoss(t *testing.T) {
	// SMEs start without bank debt, and loans bear no interest, so the
	// supplier's whole loan is guaranteed principal when it defaults.
	cfg := quietConfig()
	cfg.Firms.Core.DebtToAssets = 0.4
	cfg.Banks = []config.BankConfig{config.DefaultBank()}
	cfg.Banks[0].BaseRate, cfg.Banks[0].RiskSpread = 0, 0
	cfg.Steps = 40
	cov := 0.8
	c := withIntervention(cfg, config.KindLoanGuarantee, 0, 40, func(c *config.InterventionConfig) {
		c.Budget = 1e9
		c.Coverage = cov
		c.Fee = 0.02
	})
	net := chainNetwork(t)
	e := armEngine(t, c, net, true)
	// The supplier has no credit line and loses money fast: under the
	// guarantee the bank lends to it anyway, and it fails when the loan
	// limit is reached.
	e.hasCredit[1] = false
	e.loanLimit[1] = 0
	e.fixedCost[1] *= 6
	var lent, wo, calls float64
	r := runEngine(t, e, func(int) {
		lent = math.Max(lent, e.iv.stateGuaranteed[1])
		if e.iv.callsState[1] > 0 {
			wo, calls = e.writtenOff[1], e.iv.callsState[1]
		}
	})
	if lent <= 0 {
		t.Fatalf("no guaranteed loan")
	}
	if !failed(r, net, "supplier") {
		t.Fatalf("the supplier survived; the test needs a default")
	}
	if math.Abs(calls-cov*wo) > 1e-9*wo || wo <= 0 {
		t.Errorf("state paid %g of the supplier's loss of %g, want coverage %g of it", calls, wo, cov)
	}
	out := r.Interventions[0]
	fees := sum(series(r, outcome.GuaranteeCallsState)) - out.FiscalCost
	if fees <= 0 || math.Abs(fees-0.02*out.Used) > 1e-9*out.Used {
		t.Errorf("fees %g on %g guaranteed, want 2%%", fees, out.Used)
	}
}

func TestInterestSubsidyPaysShare(t *testing.T) {
	cfg := bankedConfig()
	cfg.Steps = 20
	c := withIntervention(cfg, config.KindInterestSubsidy, 5, 20, func(c *config.InterventionConfig) { c.Budget = 1e12; c.Share = 0.5 })
	net := chainNetwork(t)
	e := armEngine(t, c, net, true)
	for s := 0; s < c.Steps; s++ {
		var want float64
		for i := 1; i < net.N(); i++ { // SMEs only
			want += 0.5 * e.loan[i] * e.loanRate[i]
		}
		if err := e.step(s); err != nil {
			t.Fatal(err)
		}
		got := sum(e.iv.subsidyPaid)
		if s < 5 {
			want = 0
		}
		if math.Abs(got-want) > 1e-9*math.Max(want, 1) {
			t.Errorf("step %d: state paid %g of interest, want half the SMEs' interest %g", s, got, want)
		}
		if e.iv.subsidyPaid[0] != 0 {
			t.Errorf("step %d: the core, not eligible, got %g", s, e.iv.subsidyPaid[0])
		}
	}
	// A budget smaller than the need is used up exactly and never exceeded.
	small := withIntervention(cfg, config.KindInterestSubsidy, 5, 20, func(c *config.InterventionConfig) { c.Budget = 100 })
	e = armEngine(t, small, net, true)
	r := runEngine(t, e, nil)
	if out := r.Interventions[0]; out.Used > 100*(1+1e-12) || out.Used < 100*(1-1e-9) || out.ExhaustedStep != 5 {
		t.Errorf("outcome %+v: want 100 used, exhausted at step 5", out)
	}
}

func TestMoratoriumDefersThenResumes(t *testing.T) {
	for _, deferral := range []string{"principal", "interest", "both"} {
		t.Run(deferral, func(t *testing.T) {
			cfg := bankedConfig()
			cfg.Steps = 20
			c := withIntervention(cfg, config.KindMoratorium, 5, 10, func(c *config.InterventionConfig) { c.Deferral = deferral })
			net := chainNetwork(t)
			e := armEngine(t, c, net, true)
			const sme = 3 // the bystander
			if e.loan[sme] <= 0 {
				t.Fatal("the bystander has no loan")
			}
			for s := 0; s < c.Steps; s++ {
				loan := e.loan[sme]
				interest := loan * e.loanRate[sme]
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
				in := s >= 5 && s < 10
				principalPaid := e.repaid[sme] > 0
				wantPrincipal := !(in && deferral != "interest")
				if principalPaid != wantPrincipal {
					t.Errorf("step %d: principal repaid %g, want repaid: %v", s, e.repaid[sme], wantPrincipal)
				}
				// Deferred interest is added to the loan (the repaid
				// principal is rolled over, so the loan otherwise stays).
				grew := e.loan[sme] - loan
				if in && deferral != "principal" {
					if math.Abs(grew-interest) > 1e-9*loan {
						t.Errorf("step %d: loan grew by %g, want the deferred interest %g", s, grew, interest)
					}
				} else if math.Abs(grew) > 1e-9*loan {
					t.Errorf("step %d: loan moved by %g outside a deferral of interest", s, grew)
				}
			}
		})
	}
}

func TestTaxReliefWaives(t *testing.T) {
	cfg := quietConfig()
	cfg.Steps = 12
	c := withIntervention(cfg, config.KindTaxRelief, 4, 8, func(c *config.InterventionConfig) {
		c.Budget = 1e12
		c.TaxCut = 1
		c.ContributionCut = 0.5
		c.ContributionShare = 0.3
	})
	net := chainNetwork(t)
	base := armEngine(t, c, net, false)
	e := armEngine(t, c, net, true)
	for s := 0; s < c.Steps; s++ {
		for _, en := range []*engine{base, e} {
			if err := en.step(s); err != nil {
				t.Fatal(err)
			}
		}
		in := s >= 4 && s < 8
		for i := 1; i < net.N(); i++ {
			want := 0.0
			if in {
				// Base profit is pre-tax; the contribution cut raises profit,
				// which the tax cut waives in full.
				wage := base.wageOf(i)
				rate := base.kindOf(i).taxRate
				want = 0.5*0.3*wage + rate*(base.netProfit[i]/(1-rate))
			}
			if got := e.iv.reliefGiven[i]; math.Abs(got-want) > 1e-9*math.Max(want, 1) {
				t.Errorf("step %d firm %s: relief %g, want %g", s, net.Name(i), got, want)
			}
		}
		if e.iv.reliefGiven[0] != 0 {
			t.Errorf("step %d: the core got relief", s)
		}
	}
	if out := e.ivOutcomes()[0]; math.Abs(out.FiscalCost-out.Used) > 1e-9*out.Used || out.Used <= 0 {
		t.Errorf("outcome %+v: the fiscal cost of relief is what was waived", out)
	}
}

func TestPaymentTermCap(t *testing.T) {
	cfg := quietConfig()
	cfg.Steps = 30
	c := withIntervention(cfg, config.KindPaymentTermCap, 5, 30, func(c *config.InterventionConfig) { c.MaxTerm = units.MustDuration("4w") })
	net := chainNetwork(t)
	base := armEngine(t, c, net, false)
	e := armEngine(t, c, net, true)
	runEngine(t, base, nil)
	runEngine(t, e, nil)
	// Core → supplier (edge 0): the core's 90-day term is capped at four
	// weeks, so the supplier's receivable settles at about 4/13 of before;
	// the supplier's own term to its supplier (edge 1) is untouched.
	ratio := e.payable[0] / base.payable[0]
	if want := (4.0 - 1) / (base.kindOf(0).termSteps - 1); math.Abs(ratio-want) > 0.02 {
		t.Errorf("core's payable to the supplier is %.3f of the baseline's, want %.3f", ratio, want)
	}
	if math.Abs(e.payable[1]/base.payable[1]-1) > 1e-9 {
		t.Errorf("an SME's payable changed: %g vs %g", e.payable[1], base.payable[1])
	}
	if e.cash[1] <= base.cash[1] {
		t.Errorf("the supplier holds no more cash (%g) than in the baseline (%g)", e.cash[1], base.cash[1])
	}
}

// TestZeroBudgetIsBaseline: an intervention with nothing to spend changes
// nothing — every output equals the baseline's bit for bit.
func TestZeroBudgetIsBaseline(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Steps = 60
	cfg.Shocks = append(cfg.Shocks, config.ShockConfig{Kind: "payment-terms", Start: units.MustDuration("8w"),
		Duration: units.MustDuration("12w"), Shape: "step", TermStretch: units.MustDuration("30d")})
	for _, kind := range config.BudgetKinds() {
		for _, mode := range []string{"factoring", "guarantee"} {
			if kind != config.KindSupplyChainFinance && mode == "guarantee" {
				continue
			}
			t.Run(kind+"/"+mode, func(t *testing.T) {
				c := withIntervention(&cfg, kind, 8, 40, func(c *config.InterventionConfig) {
					c.Budget = 0
					c.Mode = mode
					c.Channel = "direct"
					c.Tiers = 2
				})
				base, err := Run(context.Background(), c, config.Arm{Name: config.BaselineArm}, 0, Options{})
				if err != nil {
					t.Fatal(err)
				}
				arm, err := Run(context.Background(), c, config.Arm{Name: config.BaselineArm, Interventions: []int{0}}, 0, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if len(base.Events) == 0 {
					t.Fatal("no failures in the baseline: the comparison is weak")
				}
				if !reflect.DeepEqual(base.Series, arm.Series) {
					for i := range base.Series {
						if base.Series[i] != arm.Series[i] {
							t.Fatalf("series differ first at step %d metric %s: %v vs %v", i/outcome.NumMetrics, outcome.MetricNames()[i%outcome.NumMetrics], base.Series[i], arm.Series[i])
						}
					}
				}
				if !reflect.DeepEqual(base.Events, arm.Events) || !reflect.DeepEqual(base.Firms, arm.Firms) {
					t.Errorf("events or firm outcomes differ")
				}
				if arm.Interventions[0].Used != 0 || arm.Interventions[0].FiscalCost != 0 {
					t.Errorf("outcome %+v: want nothing used", arm.Interventions[0])
				}
			})
		}
	}
}

// TestCommonRandomNumbers: two arms of one replication share the network,
// the firms and every shock draw.
func TestCommonRandomNumbers(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Steps = 40
	cfg.Production.DemandNoise = 0.05
	cfg.Shocks = append(cfg.Shocks,
		config.ShockConfig{Kind: "lockdown", Start: units.MustDuration("8w"), Duration: units.MustDuration("4w"), Shape: "step", Depth: 0.3},
		config.ShockConfig{Kind: "imports", Start: units.MustDuration("8w"), Duration: units.MustDuration("4w"), Shape: "step", Depth: 0.2})
	d := config.DefaultIntervention()
	d.From, d.End = "run", units.MustDuration("30w")
	scf, loans := d, d
	scf.Kind, scf.Budget, scf.CoreShare = config.KindSupplyChainFinance, 1e9, 0.5
	loans.Kind, loans.Budget, loans.Channel = config.KindPolicyLoan, 1e8, "direct"
	cfg.Interventions = []config.InterventionConfig{scf, loans}
	arms, err := cfg.ResolveArms(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(arms) != 4 {
		t.Fatalf("arms %v, want baseline, two interventions, all", arms)
	}
	for rep := 0; rep < 2; rep++ {
		var engines []*engine
		for _, a := range arms {
			e, err := newEngine(&cfg, rep)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.applyArm(a); err != nil {
				t.Fatal(err)
			}
			engines = append(engines, e)
		}
		ref := engines[0]
		for k, e := range engines[1:] {
			name := arms[k+1].Name
			if !reflect.DeepEqual(ref.net, e.net) {
				t.Fatalf("rep %d arm %s: networks differ", rep, name)
			}
			for _, f := range []struct {
				what string
				a, b any
			}{
				{"cash", ref.cash, e.cash}, {"loans", ref.loan, e.loan}, {"runway", ref.runway, e.runway},
				{"banks", ref.bank, e.bank}, {"credit lines", ref.hasCredit, e.hasCredit},
				{"equity", ref.equity, e.equity}, {"lockdown draws", ref.lockdownDraw, e.lockdownDraw},
			} {
				if !reflect.DeepEqual(f.a, f.b) {
					t.Errorf("rep %d arm %s: initial %s differ", rep, name, f.what)
				}
			}
		}
		// Shock paths: the shock state, and the noise on final demand.
		for s := 0; s < cfg.Steps; s++ {
			for _, e := range engines {
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
			}
			for k, e := range engines[1:] {
				if !reflect.DeepEqual(ref.shock, e.shock) || !reflect.DeepEqual(ref.lockdownShare, e.lockdownShare) ||
					!reflect.DeepEqual(ref.importAvail, e.importAvail) || ref.noiseKey != e.noiseKey {
					t.Fatalf("rep %d step %d arm %s: shock paths differ", rep, s, arms[k+1].Name)
				}
			}
		}
	}
	// And the engine really is different across replications.
	a, _ := newEngine(&cfg, 0)
	b, _ := newEngine(&cfg, 1)
	if reflect.DeepEqual(a.cash, b.cash) {
		t.Error("replications 0 and 1 share their firms: the test would pass vacuously")
	}
}

func TestInterventionNeedsFinance(t *testing.T) {
	cfg := quietConfig()
	cfg.Finance.Enabled = false
	c := withIntervention(cfg, config.KindMoratorium, 0, 10, nil)
	e, err := newEngineOn(c, chainNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.applyArm(config.Arm{Name: "m", Interventions: []int{0}}); err == nil {
		t.Fatal("interventions without finance accepted")
	}
	var ae *AccountingError
	_ = errors.As(err, &ae)
}

// TestGuaranteeCostIncludesExpectedLoss (issue 15, must-show 7): under rule
// new-money the guarantee's fiscal cost at the end includes the expected
// loss on the guaranteed principal still outstanding over its remaining
// life — coverage × min(1, pd × maturity) × lgd of it, pd from the
// borrower's final score — booked as the state's
// liability, so that the government's identity still closes.
func TestGuaranteeCostIncludesExpectedLoss(t *testing.T) {
	cfg := bankedConfig()
	cfg.Steps = 12
	cov := 0.8
	c := withIntervention(cfg, config.KindLoanGuarantee, 0, 12, func(c *config.InterventionConfig) {
		c.Budget = 1e9
		c.Coverage = cov
		c.Fee = 0
		c.Rule = config.GuaranteeNewMoney
	})
	net := chainNetwork(t)
	e := armEngine(t, c, net, true)
	e.fixedCost[1] *= 3 // the supplier needs new money
	r := runEngine(t, e, nil)
	if failed(r, net, "supplier") {
		t.Fatal("the supplier failed; the test needs a guarantee outstanding at the end")
	}
	g := e.iv.stateGuaranteed[1]
	if g <= 0 {
		t.Fatal("nothing guaranteed")
	}
	years := cfg.Finance.LoanMaturity.Days() / units.DaysPerYear
	want := cov * g * min(1, agents.DefaultProbability(cfg.Finance.PDBase, e.score[1])*years) * (1 - cfg.Firms.RecoveryRate)
	if got := e.iv.guaranteeProvision; math.Abs(got-want) > 1e-9*want {
		t.Errorf("expected loss provisioned %g, want %g", got, want)
	}
	calls := sum(series(r, outcome.GuaranteeCallsState))
	if out := r.Interventions[0]; math.Abs(out.FiscalCost-(calls+want)) > 1e-9*want {
		t.Errorf("fiscal cost %g, want calls %g + expected loss %g", out.FiscalCost, calls, want)
	}
}

// TestMoratoriumDefersNonLoanPayments: a moratorium on taxes, social
// contributions and fixed costs reaches a firm without a bank loan (which a
// moratorium on loans does not), holds the deferred amounts as the firm's
// liabilities without moving money while active, and makes them fall due
// whole in the first step after its end.
func TestMoratoriumDefersNonLoanPayments(t *testing.T) {
	for _, c := range []struct {
		payments []string
		reached  bool
	}{
		{[]string{config.PaymentLoans}, false},
		{[]string{config.PaymentTaxes, config.PaymentContributions, config.PaymentFixedCosts}, true},
		{[]string{config.PaymentFixedCosts}, true},
	} {
		t.Run(fmt.Sprint(c.payments), func(t *testing.T) {
			cfg := quietConfig() // no bank debt
			cfg.Steps = 14
			iv := withIntervention(cfg, config.KindMoratorium, 3, 8, func(ic *config.InterventionConfig) { ic.Payments = c.payments })
			net := chainNetwork(t)
			e := armEngine(t, iv, net, true)
			const sme = 3
			if e.loan[sme] != 0 {
				t.Fatal("the bystander has a loan")
			}
			held := 0.0
			for s := 0; s < iv.Steps; s++ {
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
				if e.iv.deferredExternal == nil {
					continue
				}
				d := e.iv.deferredTax[sme] + e.iv.deferredExternal[sme]
				switch {
				case s >= 3 && s < 8:
					if want := held + e.fixedCost[sme]; d < want*(1-1e-12) {
						t.Errorf("step %d: deferred %g, want at least %g (what was held and this step's fixed costs)", s, d, want)
					}
					held = d
				case d != 0:
					t.Errorf("step %d: %g still deferred outside the moratorium", s, d)
				}
			}
			if got := e.iv.moratorium.reached[sme]; got != c.reached {
				t.Errorf("firm without a loan reached: %v, want %v", got, c.reached)
			}
		})
	}
}

// TestMoratoriumRepaysInInstalments: with repay_over the deferred non-loan
// balance held at the end of a moratorium falls due in equal instalments,
// one a step from the first step after the end (repay_over rounded to
// whole steps; 0 or less than half a step: whole in that step). The
// engine checks every firm's balance-sheet identity each step.
func TestMoratoriumRepaysInInstalments(t *testing.T) {
	for _, c := range []struct {
		repayOver string
		steps     int // instalments
	}{
		{"0w", 1},
		{"3d", 1},
		{"1w", 1},
		{"4w", 4},
		{"2.6w", 3},
		{"10w", 10}, // beyond the run: what is left stays a liability
	} {
		t.Run(c.repayOver, func(t *testing.T) {
			const start, end, sme = 3, 8, 3
			cfg := quietConfig()
			cfg.Steps = 14
			iv := withIntervention(cfg, config.KindMoratorium, start, end, func(ic *config.InterventionConfig) {
				ic.Payments = []string{config.PaymentContributions, config.PaymentFixedCosts}
				ic.RepayOver = units.MustDuration(c.repayOver)
			})
			e := armEngine(t, iv, chainNetwork(t), true)
			held := 0.0
			for s := 0; s < iv.Steps; s++ {
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
				if !e.alive[sme] {
					t.Fatalf("step %d: the SME failed; the test needs it alive", s)
				}
				d := e.iv.deferredTax[sme] + e.iv.deferredExternal[sme]
				if s == end-1 {
					held = d
					if held <= 0 {
						t.Fatal("nothing deferred")
					}
				}
				if s < end {
					continue
				}
				paid := min(s-end+1, c.steps)
				want := held * float64(c.steps-paid) / float64(c.steps)
				if math.Abs(d-want) > 1e-9*held {
					t.Errorf("step %d: %g still deferred, want %g (%d of %d instalments paid)", s, d, want, paid, c.steps)
				}
			}
		})
	}
}

// TestMoratoriumFixedCostShare: with fixed-costs deferred, an eligible
// firm defers fixed_cost_share of its fixed costs each active step, and
// with a share of 0 nothing and reaches nobody.
func TestMoratoriumFixedCostShare(t *testing.T) {
	for _, share := range []float64{1, 0.25, 0} {
		t.Run(fmt.Sprint(share), func(t *testing.T) {
			const start, sme = 3, 3
			cfg := quietConfig()
			cfg.Steps = start + 1
			iv := withIntervention(cfg, config.KindMoratorium, start, 8, func(ic *config.InterventionConfig) {
				ic.Payments = []string{config.PaymentFixedCosts}
				ic.FixedCostShare = share
			})
			e := armEngine(t, iv, chainNetwork(t), true)
			for s := 0; s <= start; s++ {
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
			}
			want := share * e.fixedCost[sme]
			if got := e.iv.deferredExternal[sme]; math.Abs(got-want) > 1e-12*e.fixedCost[sme] {
				t.Errorf("deferred %g after the first active step, want %g (%g of fixed costs %g)", got, want, share, e.fixedCost[sme])
			}
			if got := e.iv.moratorium.reached[sme]; got != (share > 0) {
				t.Errorf("reached %v, want %v", got, share > 0)
			}
		})
	}
}

// TestLoanMaturityByKind: with firms.sme.loan_maturity set, SMEs repay
// 1/maturity of their loan a step on their own maturity, and cores on
// finance.loan_maturity.
func TestLoanMaturityByKind(t *testing.T) {
	cfg := bankedConfig()
	cfg.Steps = 1
	cfg.Firms.SME.LoanMaturity = units.MustDuration("1y")
	e, err := newEngineOn(cfg, chainNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	loans := slices.Clone(e.loan)
	e.accrue(0, len(e.loan), 0)
	perYear := e.p.stepsPerYear
	for i, want := range []float64{3 * perYear, perYear, perYear, perYear} { // core, then SMEs
		if loans[i] <= 0 {
			t.Fatalf("firm %d has no loan", i)
		}
		if got := loans[i] / e.duePrincipal[i]; math.Abs(got-want) > 1e-9*want {
			t.Errorf("firm %d repays 1/%g of its loan a step, want 1/%g", i, got, want)
		}
	}
}

// TestFirstLoan: an unbanked firm in need asks for a first loan with
// probability first_loan_take_up each step; the bank opens it a line if its
// score less new_borrower_penalty passes the threshold.
func TestFirstLoan(t *testing.T) {
	for _, c := range []struct {
		takeUp, penalty float64
		banked          bool
	}{
		{0, 0.1, false}, // the unbanked never borrow
		{1, 0.1, true},  // asks at once, passes
		{1, 1, false},   // asks, the penalty fails it
	} {
		cfg := bankedConfig()
		cfg.Steps = 8
		cfg.Finance.FirstLoanTakeUp = c.takeUp
		cfg.Finance.NewBorrowerPenalty = c.penalty
		e, err := newEngineOn(cfg, chainNetwork(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		slowCore(e)
		runEngine(t, e, nil)
		if got := e.hasCredit[1] && e.loan[1] > 0; got != c.banked {
			t.Errorf("take-up %v, penalty %v: the unbanked supplier banked %v (loan %g), want %v", c.takeUp, c.penalty, got, e.loan[1], c.banked)
		}
	}
}

// TestRunwayScaleByClass: demography.runway_scale scales each SME's drawn
// runway, and so its starting cash, by its class's factor over the
// share-weighted geometric mean of the factors: with shares 0.80, 0.17,
// 0.03 and factors 1, 2, 4 the mean is exp(0.17·ln 2 + 0.03·ln 4) =
// 1.172835, so micro, small and medium SMEs hold 0.852635, 1.705270 and
// 3.410540 times the runway they draw with factors 1; cores keep theirs.
func TestRunwayScaleByClass(t *testing.T) {
	engines := make([]*engine, 2)
	for k, scale := range []config.ClassFactor{{Micro: 1, Small: 1, Medium: 1}, {Micro: 1, Small: 2, Medium: 4}} {
		cfg := config.DefaultConfig()
		cfg.Network.Chains = 10
		cfg.Demography.SizeClasses = true
		cfg.Demography.RunwayScale = scale
		e, err := newEngine(&cfg, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer e.close()
		engines[k] = e
	}
	neutral, scaled := engines[0], engines[1]
	want := [network.NumSizeClasses]float64{network.Micro: 0.852635, network.Small: 1.705270, network.Medium: 3.410540, network.Large: 1}
	var seen [network.NumSizeClasses]int
	for i := range scaled.runway {
		c := scaled.net.Class(i)
		seen[c]++
		for _, r := range []struct {
			what         string
			got, neutral float64
		}{{"runway", scaled.runway[i], neutral.runway[i]}, {"cash", scaled.cash[i], neutral.cash[i]}} {
			if math.Abs(r.got/r.neutral-want[c]) > 1e-6 {
				t.Errorf("%s firm %d: %s %v with runway_scale, %v without: ratio %v, want %v", c, i, r.what, r.got, r.neutral, r.got/r.neutral, want[c])
				return
			}
		}
	}
	for _, c := range []network.SizeClass{network.Micro, network.Small, network.Medium, network.Large} {
		if seen[c] == 0 {
			t.Errorf("no %s firm in the network: the check is vacuous", c)
		}
	}
}

// TestCreditAccessByClass: with demography.credit_by_class, the share of
// SMEs with a bank credit line follows their size class's credit_access
// (micro 0.35, small 0.6, medium 0.85); without it, every class draws
// firms.sme.credit_access.
func TestCreditAccessByClass(t *testing.T) {
	for _, byClass := range []bool{false, true} {
		cfg := config.DefaultConfig()
		cfg.Network.Chains = 40
		cfg.Demography.SizeClasses = true
		cfg.Demography.CreditByClass = byClass
		e, err := newEngine(&cfg, 0)
		if err != nil {
			t.Fatal(err)
		}
		var banked, all [network.NumSizeClasses]float64
		for i := range e.hasCredit {
			if e.net.Kind[i] != network.SME {
				continue
			}
			c := e.net.Class(i)
			all[c]++
			if e.hasCredit[i] {
				banked[c]++
			}
		}
		want := [network.NumSizeClasses]float64{network.Micro: 0.35, network.Small: 0.6, network.Medium: 0.85}
		for _, c := range []network.SizeClass{network.Micro, network.Small, network.Medium} {
			w := want[c]
			if !byClass {
				w = cfg.Firms.SME.CreditAccess
			}
			if got := banked[c] / all[c]; math.Abs(got-w) > 0.07 || all[c] < 100 {
				t.Errorf("credit_by_class %v: %v of %.0f %s SMEs banked, want %v", byClass, got, all[c], c, w)
			}
		}
		e.close()
	}
}
