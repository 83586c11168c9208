package atlas

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/network"
)

// sampleNetwork has 2 cores, 10 suppliers and 88 distributors (100 firms).
func sampleNetwork(t *testing.T) *network.Network {
	t.Helper()
	var firms []network.Firm
	var edges []network.Edge
	for i := 0; i < 100; i++ {
		f := network.Firm{Role: network.RoleDistributor, Chain: -1, ExportMarket: -1, FinalDemand: 1}
		switch {
		case i < 2:
			f.Kind, f.Role = network.Core, network.RoleManufacturer
		case i < 12:
			f.Role = network.RoleSupplier
			edges = append(edges, network.Edge{Supplier: int32(i), Buyer: int32(i % 2), Weight: 0.2})
		}
		firms = append(firms, f)
	}
	net, err := network.Build(firms, edges, []string{"s"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestSample(t *testing.T) {
	net := sampleNetwork(t)
	tests := []struct {
		n                       int
		cores, suppliers, dists int     // firms drawn per stratum
		distWeight              float64 // weight of a distributor
	}{
		// One per stratum first, then 7 by the 97 firms left: distributors
		// 7·87/97 = 6.28 → 6, suppliers 7·9/97 = 0.65 → 0, cores 7·1/97 =
		// 0.07 → 0; the last one to the largest remainder, the suppliers.
		{10, 1, 2, 7, 88.0 / 7},
		{3, 1, 1, 1, 88},
		{100, 2, 10, 88, 1},
		// Fewer firms than strata: no minimum; 2·88/100 = 1.76 → 1, and
		// the largest remainder (0.76) → 2. The weights then stand for
		// the distributors only.
		{2, 0, 0, 2, 44},
	}
	for _, tc := range tests {
		firms, weights, err := Sample(net, tc.n, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(firms) != tc.n || !slices.IsSorted(firms) {
			t.Fatalf("n=%d: firms %v", tc.n, firms)
		}
		var got [3]int
		total := 0.0
		for k, f := range firms {
			switch {
			case f < 2:
				got[0]++
			case f < 12:
				got[1]++
			default:
				got[2]++
				if !near(weights[k], tc.distWeight) {
					t.Errorf("n=%d: distributor weight %v, want %v", tc.n, weights[k], tc.distWeight)
				}
			}
			total += weights[k]
		}
		if got != [3]int{tc.cores, tc.suppliers, tc.dists} {
			t.Errorf("n=%d: drew %v per stratum (cores, suppliers, distributors), want %v", tc.n, got, [3]int{tc.cores, tc.suppliers, tc.dists})
		}
		if tc.cores > 0 && !near(total, 100) {
			t.Errorf("n=%d: weights sum to %v, want 100", tc.n, total)
		}
		again, _, _ := Sample(net, tc.n, 7)
		if !slices.Equal(firms, again) {
			t.Errorf("n=%d: a second draw with the same seed differs", tc.n)
		}
	}
	for _, n := range []int{0, 101} {
		if _, _, err := Sample(net, n, 1); err == nil {
			t.Errorf("sample of %d of 100: no error", n)
		}
	}
}
