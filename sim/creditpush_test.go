package sim_test

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
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
			same := slices.Equal(r.Series, none.Series)
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
