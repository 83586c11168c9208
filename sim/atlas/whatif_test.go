package atlas

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
)

// TestSecondSuppliers: on A1 → B1, A1 → B2 ← A2 and an idle A3 (A* in
// sector a, B* in b), the slot of B1, single-sourced from A1, gets A3 (the
// firm of sector a with the fewest customers) when A1 or B1 is a top firm,
// its purchases split evenly; B2's slot has two suppliers already.
func TestSecondSuppliers(t *testing.T) {
	const a1, a2, a3, b1, b2 = 0, 1, 2, 3, 4
	firms := []network.Firm{{Sector: 0}, {Sector: 0}, {Sector: 0}, {Sector: 1}, {Sector: 1}}
	for i := range firms {
		firms[i].Chain, firms[i].ExportMarket = -1, -1
	}
	net, err := network.Build(firms, []network.Edge{{Supplier: a1, Buyer: b1, Weight: 1}, {Supplier: a1, Buyer: b2, Weight: 0.5}, {Supplier: a2, Buyer: b2, Weight: 0.5}}, []string{"a", "b"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	changed := []network.Edge{{Supplier: a1, Buyer: b1, Weight: 0.5}, {Supplier: a3, Buyer: b1, Weight: 0.5}, {Supplier: a1, Buyer: b2, Weight: 0.5}, {Supplier: a2, Buyer: b2, Weight: 0.5}}
	cases := []struct {
		top   []int
		n     int
		edges []network.Edge
	}{
		{[]int{a1}, 1, changed},
		{[]int{b1}, 1, changed},
		{[]int{a2, b2}, 0, net.Edges()},
	}
	for _, c := range cases {
		got, n, err := SecondSuppliers(net, c.top)
		if err != nil {
			t.Fatal(err)
		}
		if n != c.n || !slices.Equal(got.Edges(), c.edges) {
			t.Errorf("top %v: %d slots changed, edges %v; want %d, %v", c.top, n, got.Edges(), c.n, c.edges)
		}
		if err := got.CheckWeights(1e-12); err != nil {
			t.Errorf("top %v: %v", c.top, err)
		}
	}
}

// TestDropGuarantees: the core's guarantees go, the others' stay, and the
// exposures it was given are untouched.
func TestDropGuarantees(t *testing.T) {
	x := &sim.Exposures{Guarantor: []int32{-1, 3, 3, -1, 4, 3}, GuaranteeCap: []float64{0, 1, 1, 0, 1, 1}}
	y, n := DropGuarantees(x, 3)
	if n != 3 || !slices.Equal(y.Guarantor, []int32{-1, -1, -1, -1, 4, -1}) || x.Guarantor[1] != 3 {
		t.Errorf("dropped %d: %v (before %v)", n, y.Guarantor, x.Guarantor)
	}
	if _, n := DropGuarantees(&sim.Exposures{}, 3); n != 0 {
		t.Errorf("no scheme: dropped %d", n)
	}
}
