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
			e.linkTerm = c.linkTerm
			e.shock.termStretch = c.stretch
			if c.capped {
				e.iv.parts = partAccrue
				e.iv.termCap = &intervention{active: true}
				e.iv.termCapSteps = 4
			}
			e.iv.accelerated = make([]float64, 4)
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
