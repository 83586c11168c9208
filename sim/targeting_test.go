package sim

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

func TestTargetsFilters(t *testing.T) {
	// chainNetwork: core ← supplier ← raw, and a bystander; all of chain 0.
	cfg := withIntervention(quietConfig(), config.KindPolicyLoan, 0, 10, func(c *config.InterventionConfig) { c.Budget = 1 })
	net := chainNetwork(t)
	cases := []struct {
		name string
		set  func(*config.InterventionConfig)
		want []bool // core, supplier, raw, bystander; nil: every firm
		err  string
	}{
		{"defaults: SMEs", func(*config.InterventionConfig) {}, []bool{false, true, true, true}, ""},
		{"every firm", func(c *config.InterventionConfig) { c.SMEOnly = false }, nil, ""},
		{"suppliers of the core", func(c *config.InterventionConfig) { c.SuppliersOf = []string{"core"} }, []bool{false, true, false, false}, ""},
		{"suppliers of the supplier", func(c *config.InterventionConfig) { c.SuppliersOf = []string{"supplier"} }, []bool{false, false, true, false}, ""},
		{"without bank credit", func(c *config.InterventionConfig) { c.BankCredit = "without" }, []bool{false, true, false, false}, ""},
		{"with bank credit", func(c *config.InterventionConfig) { c.BankCredit = "with"; c.SMEOnly = false }, []bool{true, false, true, true}, ""},
		{"runway below a month", func(c *config.InterventionConfig) { c.RunwayBelow = units.MustDuration("1mo") }, []bool{false, true, false, true}, ""},
		{"chain 0", func(c *config.InterventionConfig) { c.Chains = []int{0} }, []bool{false, true, true, true}, ""},
		{"chain 1", func(c *config.InterventionConfig) { c.Chains = []int{1} }, []bool{false, false, false, false}, ""},
		{"unknown core", func(c *config.InterventionConfig) { c.SuppliersOf = []string{"nobody"} }, nil, `suppliers_of: no firm "nobody" in the network`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := newEngineOn(cfg, net, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			copy(e.hasCredit, []bool{true, false, true, true})
			copy(e.runway, []float64{5, 0.5, 2, 0.9})
			ic := cfg.Interventions[0]
			c.set(&ic)
			got, err := e.targets(&ic)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("eligible %v, want %v", got, c.want)
			}
		})
	}
}

// TestPolicyLoanPriority: with a budget for less than one applicant, the
// loan goes to the firm the priority ranks first.
func TestPolicyLoanPriority(t *testing.T) {
	for _, prio := range []string{"network-impact", "random", "most-in-need"} {
		t.Run(prio, func(t *testing.T) {
			cfg := quietConfig()
			cfg.Steps = 6
			c := withIntervention(cfg, config.KindPolicyLoan, 2, 6, func(c *config.InterventionConfig) {
				c.Budget = 1e3
				c.Channel = "direct"
				c.MaxPerFirm = 1
				c.Priority = prio
			})
			net := chainNetwork(t)
			e := armEngine(t, c, net, true)
			starving(e)
			for s := 0; s < c.Steps; s++ {
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
				if e.iv.policy.used == 0 {
					continue
				}
				var applicants, reached []int
				for i := 1; i < net.N(); i++ {
					if e.iv.need[i] > 0 {
						applicants = append(applicants, i)
					}
					if e.iv.policy.reached[i] {
						reached = append(reached, i)
					}
				}
				if len(applicants) < 2 || len(reached) != 1 {
					t.Fatalf("step %d: applicants %v, reached %v: the test needs competition for one loan", s, applicants, reached)
				}
				best := applicants[0]
				for _, i := range applicants[1:] {
					switch prio {
					case "network-impact":
						if impact := e.networkImpact(); impact[i] > impact[best] {
							best = i
						}
					case "random":
						key := mix(c.Seed, 0, streamLottery, 0)
						if uniformAt(key, 0, i) < uniformAt(key, 0, best) {
							best = i
						}
					case "most-in-need":
						if e.iv.need[i]/e.baseOutput[i] > e.iv.need[best]/e.baseOutput[best] {
							best = i
						}
					}
				}
				if reached[0] != best {
					t.Errorf("step %d: %s got the loan, want %s", s, net.Name(reached[0]), net.Name(best))
				}
				if prio == "network-impact" && net.Name(best) != "supplier" {
					t.Errorf("largest network impact: %s, want the supplier (it buys from raw and sells to the core)", net.Name(best))
				}
				return
			}
			t.Fatal("nobody got a loan")
		})
	}
}

// TestSupplyChainFinanceTargeting: the targeting keys select the suppliers
// supply chain finance covers.
func TestSupplyChainFinanceTargeting(t *testing.T) {
	for _, c := range []struct {
		sectors []string
		firms   int
	}{{nil, 1}, {[]string{"parts"}, 1}, {[]string{"raw"}, 0}} {
		cfg := quietConfig()
		cfg.Steps = 40
		scf := withIntervention(cfg, config.KindSupplyChainFinance, 0, 40, func(ic *config.InterventionConfig) {
			ic.Budget = 1e9
			ic.Sectors = c.sectors
		})
		e := armEngine(t, scf, chainNetwork(t), true)
		slowCore(e)
		r := runEngine(t, e, nil)
		if got := r.Interventions[0].Firms; got != c.firms {
			t.Errorf("sectors %v: %d suppliers financed, want %d", c.sectors, got, c.firms)
		}
	}
}
