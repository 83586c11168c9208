package sim_test

import (
	"context"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// TestLegitimateZerosRun runs every arm of built-ins set to values that
// validate and that leave a zero in a denominator of the engine: each must
// run its first steps without an accounting error (issue 13, defect 4).
func TestLegitimateZerosRun(t *testing.T) {
	tests := []struct {
		name    string
		builtin string
		steps   int
		set     func(*config.Config)
	}{
		{"input_share.supplier = 0", "default", 12, func(c *config.Config) {
			c.Production.InputShare.Supplier = 0
		}},
		{"input_share all 0", "small", 12, func(c *config.Config) {
			c.Production.InputShare = config.RoleValues{}
		}},
		// Payment terms of one step: a whole payable is paid each step and
		// falls to 0 while a bank still holds its factored part.
		{"supply-chain-finance with payment terms 7d", "supply-chain-finance", 20, func(c *config.Config) {
			c.Firms.SME.PaymentTerm = units.MustDuration("7d")
			c.Firms.Core.PaymentTerm = units.MustDuration("7d")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := scenarios.Open(tt.builtin)
			if err != nil {
				t.Fatal(err)
			}
			tt.set(cfg)
			if err := scenarios.Validate(cfg, tt.builtin); err != nil {
				t.Fatalf("the case does not validate: %v", err)
			}
			cfg.Steps = tt.steps // the first steps are enough to fail
			arms, err := cfg.ResolveArms(nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, arm := range arms {
				if _, err := sim.Run(context.Background(), cfg, arm, 0, sim.Options{}); err != nil {
					t.Errorf("arm %s: %v", arm.Name, err)
				}
			}
		})
	}
}
