package network

import (
	"bytes"
	"math"
	"slices"
	"testing"
)

// classSizes is testSizes with the default NBS size classes of
// config.DefaultDemography.
func classSizes() Sizes {
	s := testSizes()
	c := &SizeClasses{}
	c.Shares[Micro], c.Shares[Small], c.Shares[Medium] = 0.8, 0.17, 0.03
	c.Scale[Micro], c.Scale[Small], c.Scale[Medium] = 1, 7.7, 89
	s.Classes = c
	return s
}

// TestSizeClasses: cores are large, SMEs are drawn micro, small or medium
// by their shares, each class's mean final demand is its scale over the
// mean scale (4.779) times the unclassified mean, and without classes no
// firm has one and the draws are those of before.
func TestSizeClasses(t *testing.T) {
	p := CoreSatelliteParams{Chains: 40, CoresPerChain: 2, SuppliersPerChain: 60, RawMaterialsPerChain: 120, DistributorsPerChain: 80,
		SupplierSectors: 6, RawMaterialSectors: 4, MultiSourcing: 2, SharedSupplierShare: 0.15}
	s := classSizes()
	s.FinalDemandDispersion = 0 // each class's final demand is its mean
	net, err := CoreSatellite(p, s, newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, net)
	var count [NumSizeClasses]int
	smes := 0
	for i := range net.N() {
		c := net.Class(i)
		count[c]++
		if net.Kind[i] == Core {
			if c != Large {
				t.Fatalf("core %d is %s, want large", i, c)
			}
			continue
		}
		smes++
		mean := s.FinalDemandMean
		if net.Role[i] != RoleDistributor {
			mean *= s.UpstreamFinalShare
		}
		want := mean * s.Classes.Scale[c] / (0.8*1 + 0.17*7.7 + 0.03*89)
		if math.Abs(net.FinalDemand[i]/want-1) > 1e-12 {
			t.Fatalf("firm %d (%s, %s): final demand %v, want %v", i, c, net.Role[i], net.FinalDemand[i], want)
		}
	}
	for _, c := range []struct {
		class SizeClass
		share float64
	}{{Micro, 0.8}, {Small, 0.17}, {Medium, 0.03}} {
		got := float64(count[c.class]) / float64(smes)
		// Binomial: 4 standard errors of the share over 10,400 SMEs.
		if se := math.Sqrt(c.share * (1 - c.share) / float64(smes)); math.Abs(got-c.share) > 4*se {
			t.Errorf("%s: %.4f of SMEs, want %.2f ± %.4f", c.class, got, c.share, 4*se)
		}
	}
	plain, err := CoreSatellite(p, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if plain.SizeClass != nil {
		t.Fatal("a network without classes has SizeClass")
	}
	p.Chains = 3
	a, _ := CoreSatellite(p, testSizes(), newRNG(9))
	b, _ := WithEntryPool(a, 0, testSizes(), newRNG(9))
	if a != b {
		t.Fatal("WithEntryPool with share 0 must return the network unchanged")
	}
}

// TestWithEntryPool: ⌈share × SMEs⌉ dormant firms per sector after the
// incumbents, which keep their arrays; each copies its template's sector,
// role and input slots, and sells to nobody; the network reads back from
// CSV with its classes and dormant firms.
func TestWithEntryPool(t *testing.T) {
	p := CoreSatelliteParams{Chains: 3, CoresPerChain: 2, SuppliersPerChain: 10, RawMaterialsPerChain: 8, DistributorsPerChain: 6,
		SupplierSectors: 3, RawMaterialSectors: 2, MultiSourcing: 2, SharedSupplierShare: 0.2}
	s := classSizes()
	inc, err := CoreSatellite(p, s, newRNG(3))
	if err != nil {
		t.Fatal(err)
	}
	net, err := WithEntryPool(inc, 0.25, s, newRNG(4))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, net)
	n := inc.N()
	// Per sector: parts-0 has 12 SMEs and parts-1, parts-2 9 (10 suppliers
	// per chain: 4, 3, 3), raw-0 and raw-1 12 each, distribution 18; a
	// quarter of each, rounded up.
	wantPool := map[string]int{"parts-0": 3, "parts-1": 3, "parts-2": 3, "raw-0": 3, "raw-1": 3, "distribution": 5}
	got := map[string]int{}
	for i := n; i < net.N(); i++ {
		if !net.IsDormant(i) || net.Kind[i] != SME {
			t.Fatalf("firm %d after the incumbents is not a dormant SME", i)
		}
		got[net.SectorNames[net.Sector[i]]]++
		if net.OutStart[i+1] != net.OutStart[i] {
			t.Fatalf("dormant firm %d has buyers", i)
		}
		if net.Class(i) < Micro || net.Class(i) > Medium {
			t.Fatalf("dormant firm %d has class %s", i, net.Class(i))
		}
	}
	for sec, k := range wantPool {
		if got[sec] != k {
			t.Errorf("sector %s: %d dormant firms, want %d", sec, got[sec], k)
		}
	}
	if len(got) != len(wantPool) {
		t.Errorf("dormant firms in sectors %v, want %v", got, wantPool)
	}
	for i := range n {
		if net.IsDormant(i) || net.Class(i) != inc.Class(i) || net.FinalDemand[i] != inc.FinalDemand[i] ||
			!slices.Equal(net.Supplier[net.InStart[i]:net.InStart[i+1]], inc.Supplier[inc.InStart[i]:inc.InStart[i+1]]) {
			t.Fatalf("incumbent %d changed", i)
		}
	}
	// The first dormant firm of parts-0 copies the first parts-0 SME (firm
	// 2, after chain 0's two cores): same suppliers, same weights.
	d := n
	for net.SectorNames[net.Sector[d]] != "parts-0" {
		d++
	}
	if net.Role[d] != inc.Role[2] || net.Sector[d] != inc.Sector[2] ||
		!slices.Equal(net.Supplier[net.InStart[d]:net.InStart[d+1]], inc.Supplier[inc.InStart[2]:inc.InStart[3]]) ||
		!slices.Equal(net.Weight[net.InStart[d]:net.InStart[d+1]], inc.Weight[inc.InStart[2]:inc.InStart[3]]) {
		t.Errorf("dormant firm %d does not copy firm 2's inputs", d)
	}
	if _, err := WithEntryPool(net, 0.25, s, newRNG(4)); err == nil {
		t.Error("a second entry pool was accepted")
	}
	var edges, firms bytes.Buffer
	if err := net.WriteCSV(&edges, &firms); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSVFrom("edges.csv", &edges, "firms.csv", &firms, s, newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	sameNetwork(t, "read back", net, back)
}

func TestParseSizeClass(t *testing.T) {
	for _, c := range []struct {
		in   string
		want SizeClass
		ok   bool
	}{{"", Unclassified, true}, {"micro", Micro, true}, {"small", Small, true}, {"medium", Medium, true}, {"large", Large, true}, {"Micro", 0, false}, {"big", 0, false}} {
		got, err := ParseSizeClass(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseSizeClass(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}
