package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// TestStoredReceivablesAreReceivables: the balance-sheet check reads each
// firm's receivables as collection stored them (collectRange) unless
// something marked them stale since (forgetReceivables). After every step,
// every live firm's stored sum not marked stale must be the sum of the
// payables on its out-links, from zero in their order, bit for bit, or
// the check would test another sheet than the firm's. The runs fail firms
// (the demand shock) and, in the churning ones, let firms exit and enter
// and buyers find new suppliers; others sum the step early (before the
// failures are wound up) or settle under a payment-term cap or supply
// chain finance.
func TestStoredReceivablesAreReceivables(t *testing.T) {
	termShock := config.ShockConfig{Kind: "payment-terms", Start: units.MustDuration("8w"),
		Duration: units.MustDuration("40w"), Shape: "step", TermStretch: units.MustDuration("60d")}
	for _, tc := range []struct {
		name  string
		cfg   func() *config.Config
		arm   bool // run the scenario's only intervention
		churn bool // links change supplier: stale sums must be seen
		early bool // sums taken early, and again after the failures (retotal)
	}{
		{"churn with partner search", func() *config.Config {
			cfg := churnConfig()
			cfg.Production.PartnerSearch = true
			return cfg
		}, false, true, false},
		{"sums taken early", func() *config.Config {
			cfg := config.Bench(5000)
			cfg.Steps = 120
			return cfg
		}, false, false, true},
		{"supply chain finance", func() *config.Config {
			cfg := churnConfig()
			cfg.Production.PartnerSearch = true
			cfg.Shocks = append(cfg.Shocks, termShock)
			return withIntervention(cfg, config.KindSupplyChainFinance, 0, 60, func(c *config.InterventionConfig) { c.Budget = 1e12 })
		}, true, true, false},
		{"payment-term cap", func() *config.Config {
			cfg := churnConfig()
			cfg.Production.PartnerSearch = true
			cfg.Shocks = append(cfg.Shocks, termShock)
			return withIntervention(cfg, config.KindPaymentTermCap, 0, 60, func(c *config.InterventionConfig) { c.MaxTerm = units.MustDuration("30d") })
		}, true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg()
			built, err := BuildNetwork(cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			e := armEngine(t, cfg, built, tc.arm)
			defer e.close()
			net := e.net
			checked, stale, failedSteps, acted := 0, 0, 0, 0
			for step := 0; step < cfg.Steps; step++ {
				if err := e.step(step); err != nil {
					t.Fatal(err)
				}
				if len(e.failing) > 0 {
					failedSteps++
				}
				if c := e.iv.termCap; c != nil && c.active {
					acted++
				}
				for _, f := range e.iv.factored {
					if f > 0 {
						acted++
						break
					}
				}
				if e.receivablesStep != step {
					continue
				}
				for i, live := range e.alive {
					if !live {
						continue
					}
					r := e.receivables[i]
					if math.IsNaN(r) {
						stale++
						continue
					}
					want := addOver(0, e.payable, net.OutEdge[net.OutStart[i]:net.OutStart[i+1]])
					if math.Float64bits(r) != math.Float64bits(want) {
						t.Fatalf("step %d: firm %d's stored receivables %v (%#x), its out-links' payables sum to %v (%#x)",
							step, i, r, math.Float64bits(r), want, math.Float64bits(want))
					}
					checked++
				}
			}
			if checked == 0 || failedSteps == 0 || tc.churn && stale == 0 {
				t.Errorf("%d stored sums checked, %d stale, %d steps with failures: the test checks too little", checked, stale, failedSteps)
			}
			if p := &e.workers.passes; tc.early && (p[phaseGrantOwedFailingTotals] == 0 || p[phaseTotalsAgain] == 0) {
				t.Errorf("sums taken early in %d steps, again in %d: want both", p[phaseGrantOwedFailingTotals], p[phaseTotalsAgain])
			}
			if tc.arm && acted == 0 {
				t.Errorf("the intervention never acted")
			}
			t.Logf("%d firm-steps checked, %d stale, %d steps with failures, %d with the intervention acting", checked, stale, failedSteps, acted)
		})
	}
}
