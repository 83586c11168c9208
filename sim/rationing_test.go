package sim

import "testing"

func TestRationFinalDemand(t *testing.T) {
	cases := []struct {
		rule             rationRule
		x, d, fd         float64
		share, fdDeliver float64
	}{
		// Output 60 against final demand 40 and orders 60.
		{rationFinalDemandLast, 60, 100, 40, 1, 0},
		{rationFinalDemandFirst, 60, 100, 40, 20.0 / 60, 40},
		// Output 80: firms' orders met, final demand gets 20 of 40.
		{rationFinalDemandLast, 80, 100, 40, 1, 20},
		// Output 30: under final demand first, firms get nothing.
		{rationFinalDemandFirst, 30, 100, 40, 0, 30},
		{rationFinalDemandLast, 30, 100, 40, 0.5, 0},
		// No orders from firms: they are "filled".
		{rationFinalDemandLast, 10, 40, 40, 1, 10},
		{rationFinalDemandFirst, 10, 40, 40, 1, 10},
		// Enough output for all.
		{rationFinalDemandLast, 100, 100, 40, 1, 40},
		{rationFinalDemandFirst, 100, 100, 40, 1, 40},
	}
	for _, c := range cases {
		share, fd := rationFinalDemand(c.rule, c.x, c.d, c.fd)
		if share != c.share || fd != c.fdDeliver {
			t.Errorf("rule %d, output %g, demand %g, final demand %g: share %g and final demand served %g, want %g and %g",
				c.rule, c.x, c.d, c.fd, share, fd, c.share, c.fdDeliver)
		}
		if served := share*(c.d-c.fd) + fd; served > c.x*(1+1e-15) {
			t.Errorf("rule %d: serves %g of output %g", c.rule, served, c.x)
		}
	}
}
