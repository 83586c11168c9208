package sim_test

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// pushed returns china-2020 at four chains and 30 steps with a
// credit-supply shock from step 5 to the end, built by set; nil set: no
// push.
func pushed(t *testing.T, set func(s *config.ShockConfig)) *config.Config {
	t.Helper()
	cfg, err := scenarios.Open("china-2020")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Chains = 4
	if set != nil {
		s := config.DefaultShock()
		s.Kind, s.Name = "credit-supply", "push"
		s.Start, s.Duration = units.MustDuration("5w"), units.MustDuration("25w")
		set(&s)
		cfg.Shocks = append(cfg.Shocks, s)
	}
	if err := scenarios.Validate(cfg, "china-2020"); err != nil {
		t.Fatal(err)
	}
	cfg.Steps = 30
	return cfg
}

// TestCreditPushLevers: a push through depth (all banks or the
// large-state ones) raises the bank loans granted over the run (new_loans
// summed, baseline arm, same seed) above the run without it; score easing
// and first-loan take-up each change the run (their sign on aggregate
// lending is the economy's: a first loan that saves a firm can also cost
// its bank capital and so others' loans); and a push whose levers are all
// zero changes nothing, to the bit.
func TestCreditPushLevers(t *testing.T) {
	none := baseline(t, pushed(t, nil), 0)
	m := slices.Index(none.Metrics, "new_loans")
	if m < 0 {
		t.Fatal("no new_loans column")
	}
	lent := func(r *outcome.Result) float64 {
		sum := 0.0
		for step := range r.Steps() {
			sum += r.Value(step, m)
		}
		return sum
	}
	want := lent(none)
	for _, tc := range []struct {
		name   string
		set    func(s *config.ShockConfig)
		effect string // "none", "more lending" or "changes"
	}{
		{"zero levers", func(s *config.ShockConfig) {}, "none"},
		{"zero levers, large-state banks", func(s *config.ShockConfig) { s.BankKinds = []string{"large-state"} }, "none"},
		{"depth", func(s *config.ShockConfig) { s.Depth = -1 }, "more lending"},
		{"depth, large-state banks", func(s *config.ShockConfig) { s.Depth, s.BankKinds = -1, []string{"large-state"} }, "more lending"},
		{"score easing", func(s *config.ShockConfig) { s.ScoreEasing = 0.2 }, "changes"},
		{"first-loan take-up", func(s *config.ShockConfig) { s.FirstLoanTakeUp = 0.05 }, "changes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := baseline(t, pushed(t, tc.set), 0)
			got := lent(r)
			same := sameColumns(r, none)
			switch {
			case tc.effect == "none" && !same:
				t.Errorf("a push with zero levers changed the run: loans granted %.6g, want %.6g", got, want)
			case tc.effect == "more lending" && !(got > want):
				t.Errorf("loans granted %.6g, want above %.6g (no push)", got, want)
			case tc.effect == "changes" && same:
				t.Errorf("the lever changed nothing")
			}
		})
	}
}

// pushInstrument returns china-2020 at four chains and 30 steps whose only
// intervention is a credit-push from step 5 to the end, built by set.
func pushInstrument(t *testing.T, set func(c *config.InterventionConfig)) *config.Config {
	t.Helper()
	cfg := pushed(t, nil)
	c := config.DefaultIntervention()
	c.Kind, c.Name, c.From = config.KindCreditPush, "push", "run"
	c.Start, c.End = units.MustDuration("5w"), units.MustDuration("30w")
	set(&c)
	cfg.Interventions, cfg.Arms = []config.InterventionConfig{c}, nil
	cfg.Steps = 104 // validated at the scenario's length, run for 30 steps
	if err := scenarios.Validate(cfg, "china-2020"); err != nil {
		t.Fatal(err)
	}
	cfg.Steps = 30
	return cfg
}

// TestCreditPushInstrument: the credit-push intervention is the
// credit-supply push inside its arm. Its arm is, to the bit, the baseline
// with a credit-supply shock of the same levers over the same steps;
// guidance alone costs nothing; with levers at 0 the arm is the baseline;
// and the funded share costs funded money x forgone_rate x funding_term.
func TestCreditPushInstrument(t *testing.T) {
	run := func(cfg *config.Config) *outcome.Result {
		t.Helper()
		r, err := sim.Run(context.Background(), cfg, config.Arm{Name: "push", Interventions: []int{0}}, 0, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	guidance := func(c *config.InterventionConfig) {
		c.SupplyRise, c.ScoreEasing, c.FirstLoanTakeUp, c.BankKinds = 0.5, 0.05, 0.05, []string{"large-state"}
	}
	shocked := baseline(t, pushed(t, func(s *config.ShockConfig) {
		s.Depth, s.ScoreEasing, s.FirstLoanTakeUp, s.BankKinds = -0.5, 0.05, 0.05, []string{"large-state"}
	}), 0)
	none := baseline(t, pushed(t, nil), 0)
	for _, tc := range []struct {
		name     string
		set      func(c *config.InterventionConfig)
		like     *outcome.Result // the run the arm must reproduce
		costRate float64         // fiscal cost over used
	}{
		{"levers 0, nothing funded", func(c *config.InterventionConfig) {}, none, 0},
		{"guidance only", guidance, shocked, 0},
		{"guidance and 40% funded at 3% for a year", func(c *config.InterventionConfig) {
			guidance(c)
			c.FundedShare, c.ForgoneRate = 0.4, 0.03
		}, nil, 0.03},
		{"40% funded at 3% for half a year", func(c *config.InterventionConfig) {
			guidance(c)
			c.FundedShare, c.ForgoneRate, c.FundingTerm = 0.4, 0.03, units.MustDuration("26w")
		}, nil, 0.03 * 182 / 365},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(pushInstrument(t, tc.set))
			o := r.Interventions[0]
			if tc.like != nil {
				if !sameColumns(r, tc.like) || !reflect.DeepEqual(r.Events, tc.like.Events) {
					t.Errorf("the arm differs from the run it must reproduce (%d failures, want %d)", len(r.Events), len(tc.like.Events))
				}
			}
			if tc.costRate == 0 {
				if o.FiscalCost != 0 || o.Used != 0 {
					t.Errorf("fiscal cost %v, used %v: want 0 without funding", o.FiscalCost, o.Used)
				}
				return
			}
			if !(o.Used > 0) || o.Firms == 0 || math.Abs(o.FiscalCost-tc.costRate*o.Used) > 1e-9*o.FiscalCost {
				t.Errorf("used %v for %d firms at a fiscal cost of %v: want positive, cost %v of used", o.Used, o.Firms, o.FiscalCost, tc.costRate)
			}
		})
	}
}

// TestBankedSMEs: a scenario with a push records banked_smes and
// banked_sme_share after every other column, one without records neither;
// first loans raise the count of banked SMEs over the run with the push's
// levers at 0; and the share is the count over smes_active.
func TestBankedSMEs(t *testing.T) {
	if r := baseline(t, pushed(t, nil), 0); slices.Contains(r.Metrics, "banked_smes") {
		t.Errorf("a run without a push records banked_smes: %v", r.Metrics)
	}
	zero := baseline(t, pushed(t, func(s *config.ShockConfig) {}), 0)
	firsts := baseline(t, pushed(t, func(s *config.ShockConfig) { s.FirstLoanTakeUp = 0.2 }), 0)
	n := len(zero.Metrics)
	if !slices.Equal(zero.Metrics[n-2:], []string{"banked_smes", "banked_sme_share"}) {
		t.Fatalf("last columns %v, want banked_smes, banked_sme_share", zero.Metrics[n-2:])
	}
	banked, share, active := n-2, n-1, slices.Index(zero.Metrics, "smes_active")
	last := zero.Steps() - 1
	start := zero.Value(0, banked)
	if !(start > 0) {
		t.Errorf("levers at 0: %v banked SMEs at step 0, want some", start)
	}
	if got, want := firsts.Value(last, banked), zero.Value(last, banked); !(got > want) {
		t.Errorf("first loans: %v banked SMEs at the end, want above %v (levers at 0)", got, want)
	}
	for step := range firsts.Steps() {
		if got, want := firsts.Value(step, share), firsts.Value(step, banked)/firsts.Value(step, active); got != want {
			t.Fatalf("step %d: banked_sme_share %v, want %v", step, got, want)
		}
	}
}

// sameColumns reports whether a and b have, to the bit, the same values of
// the columns b records (a run with a push records the credit-access
// columns too).
func sameColumns(a, b *outcome.Result) bool {
	if a.Steps() != b.Steps() || !slices.Equal(a.Metrics[:len(b.Metrics)], b.Metrics) {
		return false
	}
	for step := range a.Steps() {
		for m := range b.Metrics {
			if math.Float64bits(a.Value(step, m)) != math.Float64bits(b.Value(step, m)) {
				return false
			}
		}
	}
	return true
}
