package sim_test

import (
	"context"
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// baseline runs replication rep of cfg's baseline arm.
func baseline(t *testing.T, cfg *config.Config, rep int) *outcome.Result {
	t.Helper()
	r, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, rep, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// withBankingSystem switches cfg to the banking system with four banks, one
// of each kind, the local ones serving every region.
func withBankingSystem(cfg *config.Config) {
	cfg.Finance.Banking = "system"
	var banks []config.BankConfig
	for _, k := range []struct {
		kind            string
		share, min, car float64
	}{{"large-state", 0.4, 0.115, 0.165}, {"joint-stock", 0.2, 0.105, 0.136}, {"city", 0.2, 0.105, 0.13}, {"rural", 0.2, 0.105, 0.124}} {
		b := config.DefaultBank()
		b.Name, b.Kind, b.Share, b.CARMin, b.CARStart = k.kind, k.kind, k.share, k.min, k.car
		banks = append(banks, b)
	}
	cfg.Banks = banks
}

// TestLedgerIdentitiesBankingSystem runs every arm of every built-in with
// the banking system on (provisions, central bank, resolution): the
// engine checks the money identity, every firm's and bank's balance sheet,
// the central bank's and the government's after every step, so a clean
// run is the assertion.
func TestLedgerIdentitiesBankingSystem(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			cfg, err := scenarios.Open(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !cfg.Finance.Enabled {
				t.Skip("finance disabled: no money to account for")
			}
			withBankingSystem(cfg)
			if err := scenarios.Validate(cfg, b.Name); err != nil {
				t.Fatal(err)
			}
			cfg.Steps = min(cfg.Steps, 60)
			runEveryArm(t, cfg)
		})
	}
}

// TestBankingSystemColumns: the banking system records the legacy columns
// and then its own; the legacy mode records the legacy columns only, so
// that today's outputs keep their bytes.
func TestBankingSystemColumns(t *testing.T) {
	cfg, err := scenarios.Open("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Steps = 3
	legacy := baseline(t, cfg, 0)
	withBankingSystem(cfg)
	system := baseline(t, cfg, 0)
	all := outcome.RunMetricNames(true, false, false, false) // the demography columns come after, with demography only
	extra := []string{"car", "car_lowest", "npl_ratio", "provisions", "provision_expense", "cb_lending",
		"bank_recapitalisation", "recapitalisation_cost", "credit_sme", "credit_core"}
	if !slices.Equal(system.Metrics, all) {
		t.Errorf("banking system records %v, want every metric %v", system.Metrics, all)
	}
	if want := all[:len(all)-len(extra)]; !slices.Equal(legacy.Metrics, want) {
		t.Errorf("legacy mode records %v, want %v", legacy.Metrics, want)
	}
	if !slices.Equal(all[len(all)-len(extra):], extra) {
		t.Errorf("the banking system's columns are %v, want %v", all[len(all)-len(extra):], extra)
	}
}

// TestBankingSystemNoShock: without shocks, the banking system holds the
// economy still for two years — no failure, no bank below its minimum
// capital ratio, no recapitalisation, no central-bank credit, no
// non-performing loan — and its capital ratio starts at the banks' car_start
// weighted by risk-weighted assets.
func TestBankingSystemNoShock(t *testing.T) {
	cfg, err := scenarios.Open("default")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Shocks = []config.ShockConfig{}
	cfg.Interventions = nil
	withBankingSystem(cfg)
	r := baseline(t, cfg, 0)
	col := func(name string) int { return slices.Index(r.Metrics, name) }
	for s := range r.Steps() {
		if v := r.Value(s, col("failures")); v != 0 {
			t.Fatalf("step %d: %v failures without a shock", s, v)
		}
		if v := r.Value(s, col("car_lowest")); v < 0.105 {
			t.Errorf("step %d: a bank's capital ratio is %v, below every car_min", s, v)
		}
		for _, m := range []string{"bank_recapitalisation", "cb_lending", "npl_ratio"} {
			if v := r.Value(s, col(m)); v != 0 {
				t.Errorf("step %d: %s = %v without a shock, want 0", s, m, v)
			}
		}
	}
	if car := r.Value(0, col("car")); car < 0.124 || car > 0.165 {
		t.Errorf("system capital ratio at the start %v, want between the lowest and highest car_start (0.124, 0.165)", car)
	}
}

// TestRelendingChannel: with the banking system, china-2020's policy loans
// through the banks are relending — the central bank lends the banks the
// principal and the banks hold the loans — so the state holds no policy
// loan and bears no loss on them, while the budget is used and central-bank
// lending rises in the arm that relends above the baseline's.
func TestRelendingChannel(t *testing.T) {
	cfg, err := scenarios.Open("china-2020")
	if err != nil {
		t.Fatal(err)
	}
	withBankingSystem(cfg)
	cfg.Steps = 30
	var relending *config.InterventionConfig
	for k := range cfg.Interventions {
		if iv := &cfg.Interventions[k]; iv.Kind == config.KindPolicyLoan && iv.Channel == "banks" {
			relending = iv
		}
	}
	if relending == nil {
		t.Fatal("china-2020 has no policy loan through the banks")
	}
	arms, err := cfg.ResolveArms([]string{relending.Name})
	if err != nil {
		t.Fatal(err)
	}
	var base, arm *outcome.Result
	for _, a := range arms {
		r, err := sim.Run(context.Background(), cfg, a, 0, sim.Options{})
		if err != nil {
			t.Fatalf("arm %s: %v", a.Name, err)
		}
		if a.Name == "baseline" {
			base = r
		} else {
			arm = r
		}
	}
	col := func(name string) int { return slices.Index(arm.Metrics, name) }
	var used float64
	for _, o := range arm.Interventions {
		if o.Name == relending.Name {
			used = o.Used
			if o.FiscalCost != 0 {
				t.Errorf("relending cost the state %v, want 0 (the banks bear the loans' risk)", o.FiscalCost)
			}
		}
	}
	if !(used > 0) {
		t.Fatalf("relending lent %v, want some", used)
	}
	var cbArm, cbBase float64
	for s := range arm.Steps() {
		if v := arm.Value(s, col("policy_loans")); v != 0 {
			t.Fatalf("step %d: the state holds %v of policy loans, want 0 (relent through the banks)", s, v)
		}
		cbArm += arm.Value(s, col("cb_lending"))
		cbBase += base.Value(s, col("cb_lending"))
	}
	if !(cbArm > cbBase) {
		t.Errorf("central-bank lending summed over steps %v in the relending arm, %v in the baseline: want more with relending", cbArm, cbBase)
	}
}
