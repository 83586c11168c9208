package sim

import (
	"testing"

	"github.com/smesim/smesim/sim/network"
)

// TestStretchedDues checks the trade payables of a core firm under a
// payment-terms stretch and a term cap (linkDues): each link's
// delivery booked on its payable, a link to an SME at the stretched term
// or, beyond the cap, at the cap with the difference accelerated, a link
// to a core at its term; with and without terms per link.
func TestStretchedDues(t *testing.T) {
	// Links 0-2 of core buyer 0, from suppliers 1 (SME), 2 (core), 3 (SME).
	cases := []struct {
		name        string
		linkTerm    []float64 // nil: the core's term, 4
		stretch     float64
		capped      bool
		due         []float64
		accelerated float64
		tot         float64
	}{
		{"stretch", nil, 2, false, []float64{2, 1.5, 0.5}, 0, 5},
		{"stretch, cap", nil, 2, true, []float64{3, 1.5, 0.75}, 1.25, 6.25},
		{"terms per link, stretch, cap", []float64{2, 8, 4}, 2, true, []float64{3, 0.75, 0.75}, 0.25, 5.5},
		{"terms per link, cap", []float64{2, 8, 6}, 0, true, []float64{6, 0.75, 0.75}, 0.25, 8.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &engine{net: &network.Network{
				Kind:     []network.Kind{network.Core, network.SME, network.Core, network.SME},
				Supplier: []int32{1, 2, 3},
			}}
			e.kinds[network.Core].termSteps = 4
			e.payable, e.delivery, e.due = []float64{10, 5, 1}, []float64{2, 1, 2}, make([]float64, 3)
			setTerms(e, c.linkTerm, c.stretch, c.capped)
			tot := e.linkDues(0, 0, 3, 1)
			for k, want := range c.due {
				if e.due[k] != want {
					t.Errorf("due[%d] = %v, want %v", k, e.due[k], want)
				}
			}
			for k, want := range []float64{12, 6, 3} {
				if e.payable[k] != want {
					t.Errorf("payable[%d] = %v, want %v", k, e.payable[k], want)
				}
			}
			if e.iv.accelerated[0] != c.accelerated {
				t.Errorf("accelerated = %v, want %v", e.iv.accelerated[0], c.accelerated)
			}
			if tot != c.tot {
				t.Errorf("total due = %v, want %v", tot, c.tot)
			}
		})
	}
}

// TestTradeDues checks accrual's trade dues over a chunk (tradeDues): the
// links of live firms booked at the buyer's term, or link by link
// (duesByLink) with terms per link or under a stretch and a cap, a firm
// without in-links due only its other dues, and a failed firm's dues
// cleared.
func TestTradeDues(t *testing.T) {
	// Core 0 buys on links 0 (from SME 1) and 1 (from core 2); SME 1 buys
	// nothing; core 2 buys on link 2 (from SME 3); SME 3, failed, on link 3.
	cases := []struct {
		name        string
		linkTerm    []float64 // nil: the buyer's term, 2 for an SME, 4 for a core
		stretch     float64
		capped      bool
		due         []float64
		dueTotal    []float64
		accelerated []float64
	}{
		{"buyer's terms", nil, 0, false, []float64{3, 1.5, 0.75, 0}, []float64{5.5, 2, 3.75, 0}, []float64{0, 0, 0, 0}},
		{"stretch", nil, 2, false, []float64{2, 1.5, 0.5, 0}, []float64{4.5, 2, 3.5, 0}, []float64{0, 0, 0, 0}},
		{"stretch, cap", nil, 2, true, []float64{3, 1.5, 0.75, 0}, []float64{5.5, 2, 3.75, 0}, []float64{1, 0, 0.25, 0}},
		{"terms per link", []float64{3, 2, 1.5, 1}, 0, false, []float64{4, 3, 2, 0}, []float64{8, 2, 5, 0}, []float64{0, 0, 0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &engine{net: &network.Network{
				Kind:     []network.Kind{network.Core, network.SME, network.Core, network.SME},
				InStart:  []int32{0, 2, 2, 3, 4},
				Supplier: []int32{1, 2, 3, 0},
			}}
			e.kinds[network.SME].termSteps, e.kinds[network.Core].termSteps = 2, 4
			e.alive = []bool{true, true, true, false}
			e.payable, e.delivery = []float64{10, 5, 1, 7}, []float64{2, 1, 2, 3}
			e.due, e.dueTotal, e.repaid = []float64{9, 9, 9, 9}, []float64{9, 9, 9, 9}, []float64{9, 9, 9, 9}
			setTerms(e, c.linkTerm, c.stretch, c.capped)
			e.tradeDues(0, 4, []float64{1, 2, 3, 4})
			wantValues(t, "due", e.due, c.due)
			wantValues(t, "payable", e.payable, []float64{12, 6, 3, 7})
			wantValues(t, "dueTotal", e.dueTotal, c.dueTotal)
			wantValues(t, "repaid", e.repaid, []float64{0, 0, 0, 9})
			wantValues(t, "accelerated", e.iv.accelerated, c.accelerated)
		})
	}
}

// wantValues reports each value of got, named name, that is not want's.
func wantValues(t *testing.T, name string, got, want []float64) {
	t.Helper()
	for i, w := range want {
		if got[i] != w {
			t.Errorf("%s[%d] = %v, want %v", name, i, got[i], w)
		}
	}
}

// setTerms gives the engine of four firms of the accrual tests its terms
// per link (nil: none), payment-terms stretch and, if capped, a term cap
// of 4 steps, and clears its accelerated payments.
func setTerms(e *engine, linkTerm []float64, stretch float64, capped bool) {
	e.linkTerm = linkTerm
	e.shock.termStretch = stretch
	if capped {
		e.iv.parts = partAccrue
		e.iv.termCap = &intervention{active: true}
		e.iv.termCapSteps = 4
	}
	e.iv.accelerated = make([]float64, 4)
}
