package network

import (
	"slices"
	"testing"
)

// TestNamesWithoutGenerating: HasSector and HasRegion agree with the names
// the generators make, which validation checks scenarios against without
// generating the network.
func TestNamesWithoutGenerating(t *testing.T) {
	p := CoreSatelliteParams{Chains: 3, CoresPerChain: 2, SuppliersPerChain: 4, RawMaterialsPerChain: 4, DistributorsPerChain: 2,
		SupplierSectors: 2, RawMaterialSectors: 1, MultiSourcing: 1}
	net, err := CoreSatellite(p, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	sectors, regions := p.Names()
	if !equalStrings(sectors, net.SectorNames) || !equalStrings(regions, net.RegionNames) {
		t.Errorf("Names() = %v, %v; the generator made %v, %v", sectors, regions, net.SectorNames, net.RegionNames)
	}
	for _, s := range sectors {
		if !p.HasSector(s) {
			t.Errorf("HasSector(%q) = false", s)
		}
	}
	for _, s := range []string{"goods-3", "parts-2", "raw-1", "goods-01", "goods--1", "goods-+1", "distribution-0", "sector-0", ""} {
		if p.HasSector(s) {
			t.Errorf("HasSector(%q) = true", s)
		}
	}
	for _, r := range regions {
		if !p.HasRegion(r) {
			t.Errorf("HasRegion(%q) = false", r)
		}
	}
	if p.HasRegion("region-3") || p.HasRegion("all") {
		t.Error("HasRegion accepts a region the generator does not make")
	}
	for i := 0; i < net.N(); i++ {
		exists, core := p.IsCore(i)
		if !exists || core != (net.Kind[i] == Core) {
			t.Errorf("IsCore(%d) = %v, %v; firm %d is %s", i, exists, core, i, net.Kind[i])
		}
	}
	if exists, _ := p.IsCore(net.N()); exists {
		t.Errorf("IsCore(%d): firm exists, but the network has %d firms", net.N(), net.N())
	}

	ba, err := BarabasiAlbert(50, 2, 4, 0.1, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	gs, gr := GenericNames(4)
	if !equalStrings(gs, ba.SectorNames) || !equalStrings(gr, ba.RegionNames) {
		t.Errorf("GenericNames(4) = %v, %v; the generator made %v, %v", gs, gr, ba.SectorNames, ba.RegionNames)
	}
	for _, s := range gs {
		if !GenericHasSector(4, s) {
			t.Errorf("GenericHasSector(4, %q) = false", s)
		}
	}
	if GenericHasSector(4, "sector-4") || GenericHasSector(4, "sector-00") {
		t.Error("GenericHasSector accepts a sector the generator does not make")
	}
}

// equalStrings reports whether a and b hold the same names, in any order
// (a network lists its names in order of first use).
func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
