package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
)

// TestCollectionReadsThisRoundsPayments: collection no longer clears the
// links' payments (paidRound), so every value it reads must be one the
// round in progress wrote: the first round writes every link, 0 where the
// buyer pays nothing (pay), and the rounds after it read only the links
// whose buyer paid in the round (collectPaid, paidFlag). Two engines run
// in step, one with every link's payment set to NaN before each step,
// the values of earlier steps that collection must never read: after
// every step, every firm's cash, receivables and flows to the external
// sector and into banks' reserves must be the same bit for bit. The runs
// fail firms (the demand shock) and let firms exit and enter and buyers
// find new suppliers; one has several banks (cross-bank payments), one
// supply chain finance. A round after the first that read the links of
// buyers not paying in it would count their first-round payments again:
// money from nowhere, which the engines' own balance-sheet check rejects.
func TestCollectionReadsThisRoundsPayments(t *testing.T) {
	churn := func() *config.Config {
		cfg := churnConfig()
		cfg.Production.PartnerSearch = true
		return cfg
	}
	for _, tc := range []struct {
		name string
		cfg  func() *config.Config
		arm  bool // run the scenario's only intervention
	}{
		{"churn with partner search", churn, false},
		{"several banks", func() *config.Config {
			cfg := churn()
			cfg.Finance.Banking = "system"
			cfg.Finance.LocalShareSME, cfg.Finance.LocalShareCore = 1, 0
			national := config.DefaultBank()
			national.Name = "national"
			cfg.Banks = []config.BankConfig{national}
			for _, r := range []string{"region-0", "region-1"} {
				b := config.DefaultBank()
				b.Name, b.Kind, b.Regions = "city-"+r, "city", []string{r}
				cfg.Banks = append(cfg.Banks, b)
			}
			return cfg
		}, false},
		{"supply chain finance", func() *config.Config {
			return withIntervention(churn(), config.KindSupplyChainFinance, 0, 60, func(c *config.InterventionConfig) { c.Budget = 1e12 })
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg()
			var engines [2]*engine
			net, err := BuildNetwork(cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			for x := range engines {
				engines[x] = armEngine(t, cfg, net, tc.arm)
				defer engines[x].close()
			}
			clean, poisoned := engines[0], engines[1]
			if tc.name == "several banks" && poisoned.crossBank == nil {
				t.Fatal("no cross-bank links: the case tests nothing")
			}
			failed := 0
			for step := 0; step < cfg.Steps; step++ {
				for k := range poisoned.paidRound {
					poisoned.paidRound[k] = math.NaN()
				}
				for _, e := range engines {
					if err := e.step(step); err != nil {
						t.Fatalf("step %d: %v", step, err)
					}
				}
				failed += len(clean.failing)
				for _, a := range []struct {
					name       string
					want, have []float64
				}{
					{"cash", clean.cash, poisoned.cash},
					{"receivables", clean.receivables, poisoned.receivables},
					{"toExternal", clean.toExternal, poisoned.toExternal},
					{"reserveIn", clean.reserveIn, poisoned.reserveIn},
				} {
					for i := range a.want {
						if math.Float64bits(a.want[i]) != math.Float64bits(a.have[i]) {
							t.Fatalf("step %d, firm %d: %s %v with earlier payments NaN, %v without", step, i, a.name, a.have[i], a.want[i])
						}
					}
				}
			}
			if failed == 0 {
				t.Fatal("no firm failed: the run tests no failed buyer's links")
			}
		})
	}
}
