package network

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// testSizes is a typical Sizes for tests.
func testSizes() Sizes {
	return Sizes{
		FinalDemandMean:       1e6,
		FinalDemandDispersion: 0.5,
		UpstreamFinalShare:    0.2,
		ExportShare:           [NumRoles]float64{0.1, 0.2, 0.4, 0.05, 0.15},
		MarketNames:           []string{"EU", "US", "ASEAN"},
		MarketWeights:         []float64{3, 2, 1},
	}
}

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// checkInvariants checks what every network must satisfy.
func checkInvariants(t *testing.T, net *Network) {
	t.Helper()
	if err := net.CheckWeights(1e-9); err != nil {
		t.Errorf("CheckWeights: %v", err)
	}
	for b := 0; b < net.N(); b++ {
		for e := net.InStart[b]; e < net.InStart[b+1]; e++ {
			if net.Buyer[e] != int32(b) {
				t.Fatalf("edge %d: buyer %d in the in-edges of %d", e, net.Buyer[e], b)
			}
			if net.Supplier[e] == int32(b) {
				t.Fatalf("self-loop on %d", b)
			}
			if e > net.InStart[b] && net.Supplier[e] == net.Supplier[e-1] {
				t.Fatalf("duplicate edge %d → %d", net.Supplier[e], b)
			}
		}
	}
	for i := 0; i < net.N(); i++ {
		if !(net.FinalDemand[i] > 0) {
			t.Fatalf("firm %d: final demand %v", i, net.FinalDemand[i])
		}
		if (net.ExportShare[i] > 0) != (net.ExportMarket[i] >= 0) {
			t.Fatalf("firm %d: export share %v, market %d", i, net.ExportShare[i], net.ExportMarket[i])
		}
	}
}

func sameNetwork(t *testing.T, what string, a, b *Network) {
	t.Helper()
	if !reflect.DeepEqual(a, b) {
		va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
		for i := 0; i < va.NumField(); i++ {
			if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
				t.Errorf("%s: field %s differs", what, va.Type().Field(i).Name)
			}
		}
	}
}
