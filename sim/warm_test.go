package sim

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/network"
)

// TestCrossLinksListLinksAcrossChunks: each chunk lists the suppliers of
// its in-links from other chunks, in link order, and its out-links to
// other chunks, in out-link order — and nothing else. The network has
// 2,100 firms, three chunks of 1,024 (the last one short), and five links:
// two within a chunk, three across.
func TestCrossLinksListLinksAcrossChunks(t *testing.T) {
	firms := make([]network.Firm, 2100)
	for i := range firms {
		firms[i] = network.Firm{Kind: network.SME, Role: network.RoleSupplier, Sector: 1, ExportMarket: -1, FinalDemand: 1e6}
	}
	// Links are numbered by buyer: 1→2 is 0, 1030→5 is 1, 1035→1036 is
	// 2, 2060→1040 is 3, 7→2050 is 4.
	edges := []network.Edge{
		{Supplier: 1, Buyer: 2, Weight: 1},
		{Supplier: 1030, Buyer: 5, Weight: 1},
		{Supplier: 7, Buyer: 2050, Weight: 1},
		{Supplier: 2060, Buyer: 1040, Weight: 1},
		{Supplier: 1035, Buyer: 1036, Weight: 1},
	}
	net, err := network.Build(firms, edges, []string{"goods", "parts"}, []string{"all"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEngineOn(quietConfig(), net, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	want := []struct {
		lo, hi                    int
		crossSuppliers, crossOuts []int32
	}{
		{0, 1024, []int32{1030}, []int32{4}},
		{1024, 2048, []int32{2060}, []int32{1}},
		{2048, 2100, []int32{7}, []int32{3}},
	}
	if !e.crossListed || len(e.chunks) != len(want) {
		t.Fatalf("listed %v, %d chunks: want listed, %d chunks", e.crossListed, len(e.chunks), len(want))
	}
	for c, w := range want {
		got := &e.chunks[c]
		if got.lo != w.lo || got.hi != w.hi || !slices.Equal(got.crossSuppliers, w.crossSuppliers) || !slices.Equal(got.crossOutLinks, w.crossOuts) {
			t.Errorf("chunk %d: firms %d to %d, suppliers across %v, out-links across %v; want %d to %d, %v, %v",
				c, got.lo, got.hi, got.crossSuppliers, got.crossOutLinks, w.lo, w.hi, w.crossSuppliers, w.crossOuts)
		}
	}
}

// TestNoCrossLinksWithPartnerSearch: partner search changes links during
// a run, so no chunk lists its links across chunks (produce then warms
// every out-link).
func TestNoCrossLinksWithPartnerSearch(t *testing.T) {
	cfg := quietConfig()
	cfg.Network.Firms = 3000
	cfg.Production.PartnerSearch = true
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	if len(e.chunks) < 2 {
		t.Fatalf("%d chunks: want several", len(e.chunks))
	}
	for c := range e.chunks {
		if e.crossListed || e.chunks[c].crossSuppliers != nil || e.chunks[c].crossOutLinks != nil {
			t.Fatalf("chunk %d lists links across chunks under partner search", c)
		}
	}
}
