package sim_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// TestLedgerIdentitiesEveryBuiltin runs every arm of every built-in
// scenario. The engine
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
			runEveryArm(t, cfg)
		})
	}
}

// runEveryArm runs replication 0 of every arm of cfg, failing on an error
// (an AccountingError among them) or a short series.
func runEveryArm(t *testing.T, cfg *config.Config) {
	t.Helper()
	arms, err := cfg.ResolveArms(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, arm := range arms {
		res, err := sim.Run(context.Background(), cfg, arm, 0, sim.Options{})
		if err != nil {
			t.Fatalf("arm %s: %v", arm.Name, err)
		}
		if res.Steps() != cfg.Steps {
			t.Fatalf("arm %s: recorded %d steps, want %d", arm.Name, res.Steps(), cfg.Steps)
		}
	}
}

// TestSameSeedSameResult: a replication is a function of (scenario, seed,
// replication) only.
func TestSameSeedSameResult(t *testing.T) {
	cfg, err := scenarios.Open("default")
	if err != nil {
		t.Fatal(err)
	}
	a, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 3, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 3, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Series, b.Series) || !reflect.DeepEqual(a.Events, b.Events) || !reflect.DeepEqual(a.Firms, b.Firms) {
		t.Fatal("two runs of the same replication differ")
	}
	c, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 4, sim.Options{})
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
	if res, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, sim.Options{}); err != nil {
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

// TestSupplyChainFinanceBuiltinSavesSMEs: over the scenario's 50
// replications, reverse factoring saves SMEs with a paired 95% interval
// above zero.
func TestSupplyChainFinanceBuiltinSavesSMEs(t *testing.T) {
	if testing.Short() {
		t.Skip("50 replications")
	}
	cfg, err := scenarios.Open("supply-chain-finance")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Replications < 50 {
		t.Fatalf("%d replications, want at least 50", cfg.Replications)
	}
	rs, err := runAll(cfg, []string{"scf"})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := results.Summarize(rs)
	if err != nil {
		t.Fatal(err)
	}
	scf := sum.Get("scf")
	if scf == nil || scf.Effects == nil {
		t.Fatalf("no effects for arm scf: %+v", sum)
	}
	saved, _ := scf.Effects.Get(results.SMEsSaved)
	if !(saved.Lo > 0) || saved.N < 50 {
		t.Errorf("SMEs saved %.1f [%.1f, %.1f] over %d replications: want an interval above zero", saved.Mean, saved.Lo, saved.Hi, saved.N)
	}
	t.Logf("SMEs saved %.1f [%.1f, %.1f]", saved.Mean, saved.Lo, saved.Hi)
}

// TestCoreGuaranteeBuiltinCallsFailCores: in replication 0 of the
// guarantee arm, a core firm fails with the guarantee call among its
// channels and a failed supplier among its parents.
func TestCoreGuaranteeBuiltinCallsFailCores(t *testing.T) {
	cfg, err := scenarios.Open("core-guarantee")
	if err != nil {
		t.Fatal(err)
	}
	arms, err := cfg.ResolveArms([]string{"guarantee"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), cfg, arms[1], 0, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, ev := range res.Events {
		if res.Network.Kind[ev.Firm] != network.Core || ev.Channels&outcome.ChannelGuaranteeCall == 0 {
			continue
		}
		found++
		smeParent := false
		for _, p := range ev.Parents {
			smeParent = smeParent || res.Network.Kind[p] == network.SME
		}
		if !smeParent {
			t.Errorf("core %s failed on a guarantee call without a failed SME among its parents %v", res.Network.Name(int(ev.Firm)), ev.Parents)
		}
	}
	if found == 0 {
		t.Error("no core failed with a guarantee call")
	}
}

// TestPolicyMixLoansRunOut: the policy-loan budget of the policy-mix
// scenario runs out, and is never exceeded.
func TestPolicyMixLoansRunOut(t *testing.T) {
	cfg, err := scenarios.Open("policy-mix")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Replications = 3
	rs, err := runAll(cfg, []string{"loans"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Arm != "loans" {
			continue
		}
		out := r.Interventions[0]
		if out.ExhaustedStep < 0 || out.Used > out.Budget {
			t.Errorf("replication %d: lent %g of %g, exhausted at step %d: want the budget used up, never exceeded", r.Replication, out.Used, out.Budget, out.ExhaustedStep)
		}
	}
}

// TestChinaNoShockStationary is must-show 1 of issue 15: the china-2020
// economy with its shocks and interventions removed and firm demography on
// (docs/demography/china-2020-no-shock.toml, full size), 8 replications of
// two years. SMEs close (background exits and failures) at 6–8% a year,
// entry keeps the active SMEs within 3% of their start at every step, no
// single bank's capital ratio falls below the highest minimum of the banks
// (so none below its own) and none is recapitalised, and the run is clean:
// the engine checks the ledger and population identities after every
// step. Before the banks' outside book (finance.outside_book) a city or
// rural bank lent to about a hundred of the network's firms only, and one
// failure took it below its minimum in 9 of 20 replications.
func TestChinaNoShockStationary(t *testing.T) {
	cfg, err := scenarios.Load("../docs/demography/china-2020-no-shock.toml")
	if err != nil {
		t.Fatal(err)
	}
	base, err := scenarios.Open("china-2020")
	if err != nil {
		t.Fatal(err)
	}
	// The file is china-2020 without shocks, interventions and facts: it
	// must not drift from the built-in.
	same := *base
	same.Name, same.Description, same.Replications, same.Arms, same.Dir = cfg.Name, cfg.Description, cfg.Replications, cfg.Arms, cfg.Dir
	same.Shocks, same.Interventions, same.Facts, same.Demography = cfg.Shocks, cfg.Interventions, cfg.Facts, cfg.Demography
	if !reflect.DeepEqual(&same, cfg) {
		t.Fatal("docs/demography/china-2020-no-shock.toml differs from china-2020 in more than its shocks, interventions, facts and demography")
	}
	if len(cfg.Shocks) != 0 || len(cfg.Interventions) != 0 || !cfg.Demography.ExitHazard.Any() || cfg.Demography.EntryPool == 0 {
		t.Fatal("the scenario must have no shock, no intervention, and exits and entry")
	}
	const reps = 8
	years := float64(cfg.Steps) * cfg.Step.Days() / units.DaysPerYear
	rate, carMin, lowest, recapitalised := 0.0, 0.0, math.Inf(1), 0.0
	for _, b := range cfg.Banks {
		carMin = max(carMin, b.CARMin)
	}
	for rep := range reps {
		r, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, rep, sim.Options{})
		if err != nil {
			t.Fatal(err) // an AccountingError: an identity broke
		}
		smes := slices.Index(r.Metrics, "smes_active")
		start, mean := r.Value(0, smes), 0.0
		for s := range r.Steps() {
			v := r.Value(s, smes)
			mean += v / float64(r.Steps())
			if dev := v/start - 1; math.Abs(dev) > 0.03 {
				t.Errorf("replication %d, step %d: %v SMEs active, %+.1f%% from the %v of step 0 (allowed ±3%%)", rep, s, v, 100*dev, start)
				break
			}
		}
		car, carLowest, recap := slices.Index(r.Metrics, "car"), slices.Index(r.Metrics, "car_lowest"), slices.Index(r.Metrics, "recapitalisation_cost")
		if car < 0 || carLowest < 0 || recap < 0 {
			t.Fatal("no car, car_lowest or recapitalisation_cost series: china-2020 must use the banking system")
		}
		for s := range r.Steps() {
			if v := r.Value(s, car); v < carMin {
				t.Errorf("replication %d, step %d: the banking system's capital ratio %.4f is below %.4f", rep, s, v, carMin)
				break
			}
			lowest = min(lowest, r.Value(s, carLowest))
		}
		recapitalised += r.Value(r.Steps()-1, recap) / reps
		closed := 0
		for i, st := range r.Firms.Status {
			if r.Network.Kind[i] == network.SME && (st == outcome.Failed || st == outcome.Exited) {
				closed++
			}
		}
		rate += float64(closed) / mean / years / reps
	}
	if lowest < carMin || recapitalised != 0 {
		t.Errorf("a single bank's capital ratio fell to %.4f (highest minimum %.4f); recapitalisations %.3g per replication, want none", lowest, carMin, recapitalised)
	}
	if rate < 0.06 || rate > 0.08 {
		t.Errorf("SMEs closed at %.2f%% a year (mean of %d replications), want 6-8%%", 100*rate, reps)
	}
	t.Logf("SMEs closed at %.2f%% a year; lowest capital ratio of a single bank %.4f, recapitalisations %.3g per replication", 100*rate, lowest, recapitalised)
}

// runAll runs every replication of the arms of cfg named (the scenario's
// when nil) on the Monte Carlo runner, in file order.
func runAll(cfg *config.Config, arms []string) ([]*outcome.Result, error) {
	plan, err := batch.RunPlan(cfg, arms)
	if err != nil {
		return nil, err
	}
	return batch.RunAll(context.Background(), plan, batch.Options{})
}
