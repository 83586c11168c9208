package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// syndicationConfig is bankBookConfig with three national banks and one
// city bank, only the core borrowing, and every bank flow that does not
// come from the core's loan set to zero (deposit rate, operating costs,
// central-bank rates, dividends, the outside book), so that each bank's
// capital moves only with its part of the core's loan.
func syndicationConfig(syndication bool, workout string) *config.Config {
	cfg := bankBookConfig()
	cfg.Firms.SME.DebtToAssets, cfg.Firms.SME.CreditAccess = 0, 0
	cfg.Firms.Core.DebtToAssets, cfg.Firms.Core.CreditAccess = 0.5, 1
	cfg.Firms.Core.CashRunwayMedian = units.MustDuration("6mo")
	f := &cfg.Finance
	f.DepositRate, f.CostToAssets, f.CBRate, f.LOLRSpread, f.BankPayout = 0, 0, 0, 0, 0
	f.LocalShareCore, f.LocalShareSME = 0, 0
	f.NPLWorkout = units.MustDuration(workout)
	f.CoreSyndication = syndication
	bank := func(name, kind string, share float64) config.BankConfig {
		b := config.DefaultBank()
		b.Name, b.Kind, b.Share = name, kind, share
		return b
	}
	cfg.Banks = []config.BankConfig{
		bank("large", "large-state", 0.5),
		bank("joint", "joint-stock", 0.2),
		bank("city", "city", 0.2),
		bank("other", "large-state", 0.3),
	}
	return cfg
}

// TestCoreSyndication: the core fails at step 3 (knocked out). With
// core_syndication each national bank bears its share among the national
// banks (0.5, 0.2 and 0.3 of 1) of every change of capital the core's loan
// brings — interest, provisions, the loss at the failure or at the end of
// the workout — and the city bank nothing; without it the core's bank
// bears all of it. The engine checks every bank's identities each step
// (balance sheet, books by status with the participation, coverage
// floor), so a clean run is part of the assertion.
func TestCoreSyndication(t *testing.T) {
	const core, knock = 0, 3
	for _, tc := range []struct {
		name        string
		syndication bool
		workout     string
		share       func(b, lead int) float64 // of bank b, the core banking with lead
	}{
		{"syndicated, written off at failure", true, "0w", func(b, _ int) float64 { return []float64{0.5, 0.2, 0, 0.3}[b] }},
		{"syndicated, 6w workout", true, "6w", func(b, _ int) float64 { return []float64{0.5, 0.2, 0, 0.3}[b] }},
		{"lender alone, 6w workout", false, "6w", func(b, lead int) float64 { return map[bool]float64{true: 1}[b == lead] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := syndicationConfig(tc.syndication, tc.workout)
			e, err := newEngineOn(cfg, chainNetwork(t), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			lead := int(e.bank[core])
			if cfg.Banks[lead].Kind == "city" {
				t.Fatalf("the core banks with the city bank")
			}
			loan := e.loan[core]
			if !(loan > 0) {
				t.Fatalf("the core owes its bank %v, want > 0", loan)
			}
			e.knock = knockout{firm: core, step: knock}
			start := make([]float64, len(e.banks))
			for b := range e.banks {
				start[b] = e.banks[b].capital
				if want := tc.share(b, lead) * loan; math.Abs(e.banks[b].coreLoans-want) > 1e-9*loan {
					t.Errorf("bank %s: core loans %v at the start, want %v", cfg.Banks[b].Name, e.banks[b].coreLoans, want)
				}
			}
			lost := 0.0 // the largest fall of the banks' capital
			for step := 0; step < cfg.Steps; step++ {
				if err := e.step(step); err != nil {
					t.Fatal(err)
				}
				total := 0.0
				for b := range e.banks {
					total += e.banks[b].capital - start[b]
				}
				lost = max(lost, -total)
				for b := range e.banks {
					got, want := e.banks[b].capital-start[b], tc.share(b, lead)*total
					if math.Abs(got-want) > 1e-9*loan {
						t.Errorf("step %d: bank %s's capital moved %v, want %v of the banks' %v", step, cfg.Banks[b].Name, got, tc.share(b, lead), total)
					}
				}
			}
			if lost < 0.5*(1-cfg.Firms.RecoveryRate)*loan {
				t.Errorf("the banks lost at most %v of capital on a loan of %v: the core's failure did not reach them", lost, loan)
			}
		})
	}
}
