package sim

import (
	"context"
	"reflect"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// threadedConfig is a scenario of about 13,000 firms (four chunks) that
// exercises every part of a step: two banks, every kind of intervention,
// lockdown, imports and credit shocks, demand noise, demand switching and
// partner search, and firm demography (exits and entry).
func threadedConfig() *config.Config {
	cfg := config.DefaultConfig()
	cfg.Demography.SizeClasses = true
	cfg.Demography.ExitHazard = config.ClassHazards{Micro: 0.1, Small: 0.05, Medium: 0.02, Large: 0.01}
	cfg.Demography.EntryPool, cfg.Demography.EntryResponse = 0.2, 2
	cfg.Network.Chains = 50
	cfg.Steps = 40
	cfg.Production.DemandNoise = 0.05
	cfg.Production.DemandSwitching = true
	cfg.Production.PartnerSearch = true
	cfg.Production.RewiringDelay = units.MustDuration("2w")
	cfg.Banks = []config.BankConfig{config.DefaultBank(), config.DefaultBank()}
	cfg.Banks[0].Name, cfg.Banks[1].Name = "a", "b"
	cfg.Banks[1].Share = 0.4
	cfg.Shocks = append(cfg.Shocks,
		config.ShockConfig{Kind: "lockdown", Start: units.MustDuration("8w"), Duration: units.MustDuration("4w"), Shape: "step", Depth: 0.3},
		config.ShockConfig{Kind: "imports", Start: units.MustDuration("8w"), Duration: units.MustDuration("4w"), Shape: "step", Depth: 0.2},
		config.ShockConfig{Kind: "credit", Start: units.MustDuration("10w"), Duration: units.MustDuration("6w"), Shape: "step", Depth: 0.5})
	d := config.DefaultIntervention()
	d.From, d.End = "run", units.MustDuration("30w")
	var ivs []config.InterventionConfig
	for _, kind := range []string{config.KindSupplyChainFinance, config.KindPolicyLoan, config.KindLoanGuarantee, config.KindInterestSubsidy, config.KindMoratorium, config.KindTaxRelief, config.KindPaymentTermCap} {
		iv := d
		iv.Kind = kind
		switch kind {
		case config.KindSupplyChainFinance, config.KindLoanGuarantee:
			iv.Budget = 1e9
		case config.KindPolicyLoan, config.KindInterestSubsidy, config.KindTaxRelief:
			iv.Budget = 5e7
		}
		ivs = append(ivs, iv)
	}
	scfGuarantee := d
	scfGuarantee.Kind, scfGuarantee.Name, scfGuarantee.Mode, scfGuarantee.Budget = config.KindSupplyChainFinance, "scf-guarantee", "guarantee", 1e9
	cfg.Interventions = append(ivs, scfGuarantee)
	return &cfg
}

// TestThreadsSameResults runs the baseline, each intervention and all of
// them together on one thread and on two and three: every series, event,
// firm outcome and intervention outcome must be identical, bit for bit.
func TestThreadsSameResults(t *testing.T) {
	cfg := threadedConfig()
	arms, err := cfg.ResolveArms(nil)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		arms = []config.Arm{arms[0], arms[len(arms)-1]}
	}
	failures := 0
	for _, arm := range arms {
		ref, err := Run(context.Background(), cfg, arm, 0, Options{Threads: 1})
		if err != nil {
			t.Fatalf("arm %s, 1 thread: %v", arm.Name, err)
		}
		failures += len(ref.Events)
		for _, threads := range []int{2, 3} {
			got, err := Run(context.Background(), cfg, arm, 0, Options{Threads: threads})
			if err != nil {
				t.Fatalf("arm %s, %d threads: %v", arm.Name, threads, err)
			}
			if !reflect.DeepEqual(ref.Series, got.Series) {
				t.Errorf("arm %s: time series with %d threads differ from 1 thread", arm.Name, threads)
			}
			if !reflect.DeepEqual(ref.Events, got.Events) || !reflect.DeepEqual(ref.Firms, got.Firms) {
				t.Errorf("arm %s: events or firm outcomes with %d threads differ from 1 thread", arm.Name, threads)
			}
			if !reflect.DeepEqual(ref.Interventions, got.Interventions) {
				t.Errorf("arm %s: intervention outcomes with %d threads differ: %+v, want %+v", arm.Name, threads, got.Interventions, ref.Interventions)
			}
		}
	}
	// The comparison is not vacuous: firms fail, across chunks.
	if failures == 0 {
		t.Fatal("no firm failed in any arm: the scenario tests nothing")
	}
}

// TestStepAllocatesNothing steps an engine at steady state on one and two
// threads: after warm-up a step allocates nothing, in both banking modes,
// with demography, and with screening through the cycle and liquidity
// beyond banks (issue 15, slices 4–5).
func TestStepAllocatesNothing(t *testing.T) {
	cfg := config.Bench(10_000)
	cfg.Shocks = nil
	for _, c := range []struct {
		banking     string
		demography  bool // exits, entry from the pool and partner search
		instruments bool // slice 7's modes: per-link terms, SME maturity, first loans
		liquidity   bool // screening through the cycle, owners' funds, informal credit, value exits
		threads     int
	}{{"legacy", false, false, false, 1}, {"legacy", false, false, false, 2}, {"system", false, false, false, 1}, {"system", false, false, false, 2},
		{"legacy", true, false, false, 1}, {"system", true, false, false, 2}, {"legacy", false, true, false, 2}, {"system", true, true, false, 2},
		{"system", false, false, true, 1}, {"legacy", true, false, true, 2}, {"system", true, true, true, 2}} {
		cfg := *cfg
		threads := c.threads
		cfg.Finance.Banking = c.banking
		if c.demography {
			cfg.Demography.SizeClasses = true
			cfg.Demography.ExitHazard = config.ClassHazards{Micro: 0.5, Small: 0.3, Medium: 0.1, Large: 0.05}
			cfg.Demography.EntryPool, cfg.Demography.EntryResponse = 0.3, 4
			cfg.Production.PartnerSearch = true
		}
		if c.instruments {
			cfg.Firms.Core.PaymentTermSpread, cfg.Firms.SME.LoanMaturity, cfg.Finance.FirstLoanTakeUp = 0.5, units.MustDuration("1y"), 0.3
		}
		if c.liquidity {
			cfg.Finance.ScoreMemory, cfg.Finance.LookThrough = units.MustDuration("26w"), true
			cfg.Firms.SME.OwnerFunds, cfg.Firms.SME.InformalLimit = 0.1, 0.05
			cfg.Firms.ValueExit = true
			if c.banking == "system" {
				// The NPL workout and the outside book (workout.go, outsidebook.go).
				cfg.Finance.NPLWorkout, cfg.Finance.OutsideBook = units.MustDuration("13w"), 3
			}
		}
		e, err := newEngine(&cfg, 0)
		if err != nil {
			t.Fatal(err)
		}
		e.setThreads(threads)
		step := 0
		for ; step < 5; step++ { // warm-up
			if err := e.step(step); err != nil {
				t.Fatal(err)
			}
		}
		allocs := testing.AllocsPerRun(20, func() {
			if err := e.step(step); err != nil {
				t.Fatal(err)
			}
			step++
		})
		if c.demography && (e.demo == nil || e.demo.exitedAll == 0 || e.demo.enteredAll == 0) {
			t.Fatal("demography: no exit or no entry in the steps measured")
		}
		e.close()
		if allocs != 0 {
			t.Errorf("%s banking, demography %v, instruments %v, liquidity %v, %d threads: %v allocations per step, want 0", c.banking, c.demography, c.instruments, c.liquidity, threads, allocs)
		}
	}
}
