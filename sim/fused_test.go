package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
)

// TestEarlyTotalsAreTotals: in a step whose sums were taken before its
// failures were wound up (totalsEarly, retotal), every chunk holds, after
// the step, the sums stepSums takes of the state then — what phaseTotals
// would have left. The networks are chosen so that failed firms have
// suppliers in other chunks, which retotal must take again too.
func TestEarlyTotalsAreTotals(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*config.Config)
	}{
		{"erdos-renyi", func(c *config.Config) {
			c.Network.Generator = "erdos-renyi"
			c.Network.Firms = 6000
			c.Network.MeanDegree = 4
		}},
		{"core-satellite shared", func(c *config.Config) {
			c.Network.Chains = 24
			c.Network.SharedSupplierShare = 0.5
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.DefaultConfig()
			tc.set(&cfg)
			cfg.Output.Record = "aggregate"
			e, err := newEngine(&cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			net := e.net
			size := int32(e.chunks[0].hi - e.chunks[0].lo)
			if len(e.chunks) < 4 {
				t.Fatalf("%d chunks, want at least 4", len(e.chunks))
			}
			early, crossing := 0, 0 // steps summed early; failures with a supplier in another chunk
			for step := 0; step < e.p.steps; step++ {
				before := e.workers.passes[phaseGrantOwedFailingTotals]
				if err := e.step(step); err != nil {
					t.Fatal(err)
				}
				if e.workers.passes[phaseGrantOwedFailingTotals] == before {
					continue // summed after the failures
				}
				early++
				for _, f := range e.failing {
					for _, s := range net.Supplier[net.InStart[f]:net.InStart[f+1]] {
						if s/size != f/size {
							crossing++
						}
					}
				}
				for ci := range e.chunks {
					c := &e.chunks[ci]
					row, sums, banks := c.row, c.sums, append([]float64(nil), c.banks...)
					e.stepSums(c, step, 0)
					if c.row != row || c.sums != sums || c.checkErr != nil {
						t.Fatalf("step %d, chunk %d: sums taken early differ from the state's", step, ci)
					}
					for b, v := range c.banks {
						if v != banks[b] {
							t.Fatalf("step %d, chunk %d: bank sum %d taken early %v, the state's %v", step, ci, b, banks[b], v)
						}
					}
				}
			}
			if early == 0 || crossing == 0 {
				t.Fatalf("%d steps summed early, %d failed firms' suppliers in other chunks: the test checks nothing", early, crossing)
			}
			t.Logf("%d steps summed early, %d failed firms' links to suppliers in other chunks", early, crossing)
		})
	}
}

// TestOneBankSumsArePerBankSums: with one bank, stepSums takes the bank's
// flows in its flows loop and its deposits and loans as the chunk's cash
// and loans; they must be, bit for bit, what the per-bank sums of several
// banks (bankTotals) give for that bank, at every step of a run with
// failures and lending.
func TestOneBankSumsArePerBankSums(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Network.Chains = 24
	cfg.Network.SharedSupplierShare = 0.5
	cfg.Output.Record = "aggregate"
	e, err := newEngine(&cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	if len(e.banks) != 1 {
		t.Fatalf("%d banks, want 1", len(e.banks))
	}
	lent := false // a chunk saw new loans: the flows are not all zero
	for step := 0; step < e.p.steps; step++ {
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		for ci := range e.chunks {
			c := &e.chunks[ci]
			got := append([]float64(nil), c.banks...)
			e.bankTotals(c)
			for k, v := range c.banks {
				if math.Float64bits(v) != math.Float64bits(got[k]) {
					t.Fatalf("step %d, chunk %d: bank sum %d is %v, the per-bank sum %v", step, ci, k, got[k], v)
				}
			}
			lent = lent || c.banks[bankLoansIn] != 0
		}
	}
	if !lent {
		t.Fatal("no chunk saw a loan flow: the test checks nothing")
	}
}
