package sim_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// policyMixGuarantee returns the shipped policy-mix, at its size, with
// only its loan guarantee, at the given coverage. It fails if the shipped
// guarantee is not under rule new-money, the rule these tests are about.
func policyMixGuarantee(t *testing.T, coverage float64) *config.Config {
	t.Helper()
	cfg, err := scenarios.Open("policy-mix")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(cfg.Interventions, func(iv config.InterventionConfig) bool {
		return iv.Kind == config.KindLoanGuarantee
	})
	if i < 0 {
		t.Fatal("policy-mix has no loan guarantee")
	}
	iv := cfg.Interventions[i]
	if iv.Rule != config.GuaranteeNewMoney {
		t.Fatalf("policy-mix's guarantee has rule %q, want %q", iv.Rule, config.GuaranteeNewMoney)
	}
	iv.Coverage = coverage
	cfg.Interventions = []config.InterventionConfig{iv}
	if err := scenarios.Validate(cfg, "policy-mix"); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runGuarantee runs replication rep of cfg's baseline and of its only
// intervention.
func runGuarantee(t *testing.T, cfg *config.Config, rep int) (base, arm *outcome.Result) {
	t.Helper()
	base = baseline(t, cfg, rep)
	arm, err := sim.Run(context.Background(), cfg, config.Arm{Name: cfg.InterventionName(0), Interventions: []int{0}}, rep, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return base, arm
}

// TestGuaranteeCoverageZeroSavesNone (issue 15, must-show 7): a guarantee
// that covers nothing is never worth its fee, so under rule new-money it
// is never taken, and the arm is the baseline — the same failures, nothing
// guaranteed, no fiscal cost — replication by replication.
//
// With first loans to the unbanked (first_loan_take_up), the same holds at
// coverage 0, while at coverage 0.8 the guarantee saves firms: the
// difference is the bank's decision on the risk it keeps.
func TestGuaranteeCoverageZeroSavesNone(t *testing.T) {
	for _, takeUp := range []float64{0, 0.3} {
		cfg := policyMixGuarantee(t, 0)
		cfg.Finance.FirstLoanTakeUp = takeUp
		for rep := range 3 {
			base, arm := runGuarantee(t, cfg, rep)
			if !reflect.DeepEqual(base.Events, arm.Events) {
				t.Errorf("take-up %v, replication %d: %d failures with the guarantee at coverage 0, %d without; want the same", takeUp, rep, len(arm.Events), len(base.Events))
			}
			if o := arm.Interventions[0]; o.Used != 0 || o.FiscalCost != 0 || o.Firms != 0 {
				t.Errorf("take-up %v, replication %d: coverage 0 guaranteed %v for %d firms at a cost of %v, want nothing", takeUp, rep, o.Used, o.Firms, o.FiscalCost)
			}
		}
	}
	cfg := policyMixGuarantee(t, 0.8)
	cfg.Finance.FirstLoanTakeUp = 0.3
	saved := 0
	for rep := range 3 {
		base, arm := runGuarantee(t, cfg, rep)
		saved += len(base.Events) - len(arm.Events)
	}
	if saved <= 0 {
		t.Errorf("coverage 0.8 with first loans saved %d firms over 3 replications, want some", saved)
	}
}

// TestGuaranteeNoNeedNoDraw (issue 15, must-show 7): without a shock no
// firm needs new money beyond rolling over its loan, so the guarantee
// guarantees nothing and costs nothing.
func TestGuaranteeNoNeedNoDraw(t *testing.T) {
	cfg := policyMixGuarantee(t, 0.8)
	cfg.Shocks = []config.ShockConfig{}
	for rep := range 2 {
		_, arm := runGuarantee(t, cfg, rep)
		if o := arm.Interventions[0]; o.Used != 0 || o.Firms != 0 || o.FiscalCost != 0 {
			t.Errorf("replication %d: without a shock the guarantee covered %v of loans of %d firms at a cost of %v, want nothing", rep, o.Used, o.Firms, o.FiscalCost)
		}
	}
}

// TestTermCapReachesLinkTail: with one payment term per firm, china-2020's
// cores pay SMEs in 45 days and the 60-day cap reaches nobody; with terms
// spread per link around the same mean, the cap reaches the SMEs on the
// links beyond 60 days, and every identity holds every step.
func TestTermCapReachesLinkTail(t *testing.T) {
	for _, c := range []struct {
		spread  float64
		reached bool
	}{{0, false}, {0.5, true}} {
		cfg, err := scenarios.Open("china-2020")
		if err != nil {
			t.Fatal(err)
		}
		// The full economy: in two chains the cores may have failed by
		// the time the rule starts (September 2020).
		i := slices.IndexFunc(cfg.Interventions, func(iv config.InterventionConfig) bool {
			return iv.Kind == config.KindPaymentTermCap
		})
		cfg.Interventions = []config.InterventionConfig{cfg.Interventions[i]}
		cfg.Firms.Core.PaymentTermSpread = c.spread
		if err := scenarios.Validate(cfg, "china-2020"); err != nil {
			t.Fatal(err)
		}
		_, arm := runGuarantee(t, cfg, 0)
		if got := arm.Interventions[0].Firms > 0; got != c.reached {
			t.Errorf("payment_term_dispersion %v: the cap reached %d firms, want some: %v", c.spread, arm.Interventions[0].Firms, c.reached)
		}
	}
}

// TestGuaranteeProvisionIdentity: when the expected loss provisioned at the
// end is about the state's cash (fees in, few calls), the government's
// identity is still judged relative to the size of its stocks, the
// provision among them, not to their near-zero sum. policy-mix's guarantee
// with first loans broke it at 1.2e-8 in replication 0.
func TestGuaranteeProvisionIdentity(t *testing.T) {
	cfg := policyMixGuarantee(t, 0.8)
	cfg.Finance.FirstLoanTakeUp = 0.3
	runGuarantee(t, cfg, 0)
}
