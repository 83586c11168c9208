package optimise

import (
	"context"
	"slices"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// Mix is a policy mix whose total budget is split between its budgeted
// interventions (Instruments, indices into Config.Interventions); the
// arm's other interventions (a moratorium, a payment-term cap) act as in
// the scenario.
type Mix struct {
	Config      *config.Config
	Arm         config.Arm
	Instruments []int
	Total       float64
}

// NewMix returns the mix of arm of cfg at total budget: its instruments
// are its interventions that have a budget.
func NewMix(cfg *config.Config, arm config.Arm, total float64) *Mix {
	m := &Mix{Config: cfg, Arm: arm, Total: total}
	for _, i := range arm.Interventions {
		if slices.Contains(config.BudgetKinds(), cfg.Interventions[i].Kind) {
			m.Instruments = append(m.Instruments, i)
		}
	}
	return m
}

// ScenarioSplit returns the split of the scenario's own budgets between
// the instruments (equal shares when they are all 0): the mix as the
// scenario has it.
func (m *Mix) ScenarioSplit() Split {
	s := make(Split, len(m.Instruments))
	total := 0.0
	for _, i := range m.Instruments {
		total += m.Config.Interventions[i].Budget
	}
	for k, i := range m.Instruments {
		s[k] = 1 / float64(len(s))
		if total > 0 {
			s[k] = m.Config.Interventions[i].Budget / total
		}
	}
	return s
}

// Scenario returns the scenario with the instruments' budgets set to
// their shares of the total.
func (m *Mix) Scenario(s Split) *config.Config {
	c := *m.Config
	c.Interventions = slices.Clone(m.Config.Interventions)
	for k, i := range m.Instruments {
		c.Interventions[i].Budget = s[k] * m.Total
	}
	return &c
}

// Run runs the mix with split s in replication rep (nil s: the baseline).
func (m *Mix) Run(ctx context.Context, s Split, rep int) (*outcome.Result, error) {
	if s == nil {
		return sim.Run(ctx, m.Config, config.Arm{Name: config.BaselineArm}, rep, sim.Options{})
	}
	return sim.Run(ctx, m.Scenario(s), m.Arm, rep, sim.Options{})
}

// Failures returns the firms failed by the end of a run.
func Failures(r *outcome.Result) float64 {
	n := 0
	for _, st := range r.Firms.Status {
		if st == outcome.Failed {
			n++
		}
	}
	return float64(n)
}

// FailuresAvoided returns an Evaluate over splits: minus the failures of
// the mix with splits[c] in replication rep, which ranks the splits as
// the firms they save against the baseline does (the baseline's failures
// are the same for every split of a replication).
func (m *Mix) FailuresAvoided(splits []Split) Evaluate {
	return func(ctx context.Context, c, rep int) (float64, error) {
		r, err := m.Run(ctx, splits[c], rep)
		if err != nil {
			return 0, err
		}
		return -Failures(r), nil
	}
}
