package sim_test

import (
	"context"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// TestExitsSharedByArms: the background exit draws are common random
// numbers. In policy-mix with demography on, an incumbent that exits in
// one arm exits at the same step in the other, unless it had failed there
// before; and the arms differ (the interventions act), so the check is
// not vacuous.
func TestExitsSharedByArms(t *testing.T) {
	cfg, err := scenarios.Open("policy-mix")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Chains = 2
	cfg.Demography.SizeClasses = true
	cfg.Demography.ExitHazard = config.ClassHazards{Micro: 0.2, Small: 0.1, Medium: 0.05, Large: 0.02}
	cfg.Demography.EntryPool, cfg.Demography.EntryResponse = 0.3, 4
	if err := scenarios.Validate(cfg, "policy-mix with demography"); err != nil {
		t.Fatal(err)
	}
	arms, err := cfg.ResolveArms([]string{config.AllArm})
	if err != nil {
		t.Fatal(err)
	}
	var runs [2]*outcome.Result
	for k, name := range []string{config.BaselineArm, config.AllArm} {
		for _, a := range arms {
			if a.Name == name {
				if runs[k], err = sim.Run(context.Background(), cfg, a, 0, sim.Options{}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	base, all := runs[0], runs[1]
	if base == nil || all == nil {
		t.Fatal("arms baseline and all not both run")
	}
	exits, differ := 0, 0
	for i := range base.Firms.Status {
		if base.Firms.EnteredStep[i] != -1 || all.Firms.EnteredStep[i] != -1 {
			continue // entrants enter when their arm's sector needs them
		}
		if base.Firms.Status[i] != all.Firms.Status[i] {
			differ++
		}
		for _, p := range [][2]*outcome.Result{{base, all}, {all, base}} {
			a, b := p[0].Firms, p[1].Firms
			if a.Status[i] != outcome.Exited {
				continue
			}
			exits++
			switch {
			case b.Status[i] == outcome.Exited && b.FailStep[i] == a.FailStep[i]:
			case b.Status[i] == outcome.Failed && b.FailStep[i] <= a.FailStep[i]:
			default:
				t.Errorf("firm %d exits at step %d in arm %s, but is %s (step %d) in arm %s", i, a.FailStep[i], p[0].Arm, b.Status[i], b.FailStep[i], p[1].Arm)
			}
		}
	}
	if exits == 0 || differ == 0 {
		t.Fatalf("%d exits, %d incumbents whose outcome differs between the arms: the test checks nothing", exits, differ)
	}
}

// TestEntrantsStockEveryLink: with one stock per supplier link
// (production.inventories = "link"), an entrant's stocks are its links'
// stocks, so entry fills each link's stock at target as it fills the
// slots'. Entrants whose links kept the stocks of the step-0 books
// broke the balance-sheet check the first step they received inputs.
func TestEntrantsStockEveryLink(t *testing.T) {
	cfg, err := scenarios.Open("default")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Chains = 2
	cfg.Steps = 60
	cfg.Production.Inventories = "link"
	cfg.Demography.SizeClasses = true
	cfg.Demography.ExitHazard = config.ClassHazards{Micro: 0.2, Small: 0.1, Medium: 0.05, Large: 0.02}
	cfg.Demography.EntryPool, cfg.Demography.EntryResponse, cfg.Demography.EntrantSize = 0.3, 4, 0.5
	if err := scenarios.Validate(cfg, "default with link stocks and entry"); err != nil {
		t.Fatal(err)
	}
	r, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	entered := 0
	for _, s := range r.Firms.EnteredStep {
		if s >= 0 {
			entered++
		}
	}
	if entered == 0 {
		t.Fatal("no firm entered: the test checks nothing")
	}
}
