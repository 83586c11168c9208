package network

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"
)

var csCases = []struct {
	name string
	p    CoreSatelliteParams
}{
	{"default", CoreSatelliteParams{Chains: 3, CoresPerChain: 2, SuppliersPerChain: 10, RawMaterialsPerChain: 8, DistributorsPerChain: 6,
		SupplierSectors: 4, RawMaterialSectors: 3, MultiSourcing: 2, SharedSupplierShare: 0.2}},
	{"one chain", CoreSatelliteParams{Chains: 1, CoresPerChain: 3, SuppliersPerChain: 12, RawMaterialsPerChain: 6, DistributorsPerChain: 4,
		SupplierSectors: 3, RawMaterialSectors: 2, MultiSourcing: 3, SharedSupplierShare: 0.5}},
	{"six chains, five regions capped at four", CoreSatelliteParams{Chains: 6, CoresPerChain: 1, SuppliersPerChain: 5, RawMaterialsPerChain: 5, DistributorsPerChain: 2,
		SupplierSectors: 5, RawMaterialSectors: 5, MultiSourcing: 2, SharedSupplierShare: 0.3}},
	{"multi-sourcing above pool", CoreSatelliteParams{Chains: 2, CoresPerChain: 2, SuppliersPerChain: 4, RawMaterialsPerChain: 2, DistributorsPerChain: 3,
		SupplierSectors: 2, RawMaterialSectors: 1, MultiSourcing: 10, SharedSupplierShare: 0.5}},
	{"suppliers outnumber slots", CoreSatelliteParams{Chains: 2, CoresPerChain: 1, SuppliersPerChain: 40, RawMaterialsPerChain: 60, DistributorsPerChain: 1,
		SupplierSectors: 2, RawMaterialSectors: 2, MultiSourcing: 1, SharedSupplierShare: 0.1}},
	{"cores outnumber distributors", CoreSatelliteParams{Chains: 2, CoresPerChain: 7, SuppliersPerChain: 3, RawMaterialsPerChain: 3, DistributorsPerChain: 2,
		SupplierSectors: 3, RawMaterialSectors: 3, MultiSourcing: 1, SharedSupplierShare: 0}},
	{"more raw sectors than suppliers", CoreSatelliteParams{Chains: 2, CoresPerChain: 2, SuppliersPerChain: 2, RawMaterialsPerChain: 7, DistributorsPerChain: 2,
		SupplierSectors: 2, RawMaterialSectors: 7, MultiSourcing: 2, SharedSupplierShare: 0.2}},
	{"no raw materials", CoreSatelliteParams{Chains: 2, CoresPerChain: 2, SuppliersPerChain: 4, DistributorsPerChain: 2,
		SupplierSectors: 2, MultiSourcing: 2, SharedSupplierShare: 0.2}},
	{"all shared", CoreSatelliteParams{Chains: 3, CoresPerChain: 2, SuppliersPerChain: 6, RawMaterialsPerChain: 6, DistributorsPerChain: 3,
		SupplierSectors: 3, RawMaterialSectors: 2, MultiSourcing: 2, SharedSupplierShare: 1}},
	{"none shared", CoreSatelliteParams{Chains: 3, CoresPerChain: 2, SuppliersPerChain: 6, RawMaterialsPerChain: 6, DistributorsPerChain: 3,
		SupplierSectors: 3, RawMaterialSectors: 2, MultiSourcing: 2, SharedSupplierShare: 0}},
}

func TestCoreSatellite(t *testing.T) {
	for _, c := range csCases {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			net, err := CoreSatellite(p, testSizes(), newRNG(7))
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, net)
			K := p.Chains
			per := p.CoresPerChain + p.SuppliersPerChain + p.RawMaterialsPerChain + p.DistributorsPerChain
			if net.N() != K*per {
				t.Fatalf("%d firms, want %d", net.N(), K*per)
			}
			var roles [NumRoles]int
			cores := 0
			for i := 0; i < net.N(); i++ {
				roles[net.Role[i]]++
				if net.Kind[i] == Core {
					cores++
					if net.Role[i] != RoleManufacturer {
						t.Fatalf("core firm %d has role %s", i, net.Role[i])
					}
				}
				// Layout: chain by chain, then cores, suppliers, raw materials, distributors.
				k, j := i/per, i%per
				want := RoleDistributor
				switch {
				case j < p.CoresPerChain:
					want = RoleManufacturer
				case j < p.CoresPerChain+p.SuppliersPerChain:
					want = RoleSupplier
				case j < p.CoresPerChain+p.SuppliersPerChain+p.RawMaterialsPerChain:
					want = RoleRawMaterial
				}
				if net.Role[i] != want || net.Chain[i] != int32(k) {
					t.Fatalf("firm %d: role %s chain %d, want %s chain %d", i, net.Role[i], net.Chain[i], want, k)
				}
				if r := net.RegionNames[net.Region[i]]; r != "region-"+itoa(k%min(K, 4)) {
					t.Fatalf("firm %d in chain %d: region %s", i, k, r)
				}
				sector := net.SectorNames[net.Sector[i]]
				var wantSector string
				switch want {
				case RoleManufacturer:
					wantSector = "goods-" + itoa(k)
				case RoleSupplier:
					wantSector = "parts-" + itoa((j-p.CoresPerChain)%p.SupplierSectors)
				case RoleRawMaterial:
					wantSector = "raw-" + itoa((j-p.CoresPerChain-p.SuppliersPerChain)%p.RawMaterialSectors)
				default:
					wantSector = "distribution"
				}
				if sector != wantSector {
					t.Fatalf("firm %d (%s): sector %s, want %s", i, want, sector, wantSector)
				}
			}
			wantRoles := [NumRoles]int{K * p.RawMaterialsPerChain, K * p.SuppliersPerChain, K * p.CoresPerChain, K * p.DistributorsPerChain, 0}
			if roles != wantRoles || cores != K*p.CoresPerChain {
				t.Fatalf("roles %v cores %d, want %v and %d", roles, cores, wantRoles, K*p.CoresPerChain)
			}
			if len(net.RegionNames) != min(K, 4) {
				t.Errorf("regions %v", net.RegionNames)
			}
			for i := 0; i < net.N(); i++ {
				buyers := net.OutStart[i+1] - net.OutStart[i]
				if net.Role[i] != RoleDistributor && buyers == 0 {
					t.Errorf("%s firm %d has no buyer", net.Role[i], i)
				}
				if net.Role[i] == RoleDistributor && buyers != 0 {
					t.Errorf("distributor %d has %d buyers", i, buyers)
				}
				inputs := map[string]int{} // input sector → suppliers
				for e := net.InStart[i]; e < net.InStart[i+1]; e++ {
					s := net.Supplier[e]
					inputs[net.SectorNames[net.Sector[s]]]++
					want := map[Role]Role{RoleDistributor: RoleManufacturer, RoleManufacturer: RoleSupplier, RoleSupplier: RoleRawMaterial}[net.Role[i]]
					if net.Role[i] == RoleRawMaterial || net.Role[s] != want {
						t.Fatalf("edge %s %d → %s %d", net.Role[s], s, net.Role[i], i)
					}
				}
				switch net.Role[i] {
				case RoleDistributor:
					if inputs["goods-"+itoa(int(net.Chain[i]))] < min(p.MultiSourcing, p.CoresPerChain) || len(inputs) != 1 {
						t.Errorf("distributor %d buys %v", i, inputs)
					}
				case RoleManufacturer:
					if len(inputs) != p.SupplierSectors {
						t.Errorf("core %d buys from sectors %v, want all %d parts sectors", i, inputs, p.SupplierSectors)
					}
					for sec, k := range inputs {
						if k < min(p.MultiSourcing, p.SuppliersPerChain/p.SupplierSectors) {
							t.Errorf("core %d has %d suppliers in %s", i, k, sec)
						}
					}
				case RoleSupplier:
					if p.RawMaterialSectors == 0 {
						if len(inputs) != 0 {
							t.Errorf("supplier %d buys %v without raw sectors", i, inputs)
						}
					} else if p.SuppliersPerChain >= p.RawMaterialSectors && (len(inputs) < 1 || len(inputs) > 2) {
						t.Errorf("supplier %d buys from %d raw sectors, want 1 or 2", i, len(inputs))
					}
				}
			}
			// Cross-chain supplier links.
			links, cross := 0, 0
			for e := 0; e < net.E(); e++ {
				if net.Role[net.Buyer[e]] == RoleDistributor {
					if net.Chain[net.Supplier[e]] != net.Chain[net.Buyer[e]] {
						t.Fatalf("distributor %d buys from another chain", net.Buyer[e])
					}
					continue
				}
				links++
				if net.Chain[net.Supplier[e]] != net.Chain[net.Buyer[e]] {
					cross++
				}
			}
			switch {
			case p.SharedSupplierShare == 0 || K == 1:
				if cross != 0 {
					t.Errorf("%d cross-chain links with share %v, %d chains", cross, p.SharedSupplierShare, K)
				}
			case p.SharedSupplierShare == 1:
				if cross != links {
					t.Errorf("%d of %d supplier links cross-chain with share 1", cross, links)
				}
			default:
				if cross == 0 {
					t.Errorf("no cross-chain links with share %v", p.SharedSupplierShare)
				}
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestCoreSatelliteSharedShare(t *testing.T) {
	p := CoreSatelliteParams{Chains: 10, CoresPerChain: 5, SuppliersPerChain: 200, RawMaterialsPerChain: 200, DistributorsPerChain: 20,
		SupplierSectors: 10, RawMaterialSectors: 10, MultiSourcing: 3}
	for _, q := range []float64{0, 0.1, 0.3, 0.7, 1} {
		p.SharedSupplierShare = q
		net, err := CoreSatellite(p, testSizes(), newRNG(3))
		if err != nil {
			t.Fatal(err)
		}
		links, cross := 0, 0
		for e := 0; e < net.E(); e++ {
			if net.Role[net.Buyer[e]] != RoleDistributor {
				links++
				if net.Chain[net.Supplier[e]] != net.Chain[net.Buyer[e]] {
					cross++
				}
			}
		}
		got := float64(cross) / float64(links)
		if math.Abs(got-q) > 0.03 {
			t.Errorf("share %v: %.3f of %d supplier links cross-chain", q, got, links)
		}
	}
}

func TestGeneratorsDeterministic(t *testing.T) {
	gens := []struct {
		name string
		gen  func(seed uint64) (*Network, error)
	}{
		{"core-satellite", func(seed uint64) (*Network, error) { return CoreSatellite(csCases[0].p, testSizes(), newRNG(seed)) }},
		{"barabasi-albert", func(seed uint64) (*Network, error) {
			return BarabasiAlbert(2000, 2.5, 6, 0.02, testSizes(), newRNG(seed))
		}},
		{"erdos-renyi", func(seed uint64) (*Network, error) { return ErdosRenyi(2000, 3, 6, 0.02, testSizes(), newRNG(seed)) }},
	}
	for _, g := range gens {
		t.Run(g.name, func(t *testing.T) {
			a, err := g.gen(11)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := g.gen(11)
			c, _ := g.gen(12)
			sameNetwork(t, "same seed", a, b)
			if slices.Equal(a.Weight, c.Weight) || slices.Equal(a.FinalDemand, c.FinalDemand) {
				t.Errorf("seeds 11 and 12 give the same network")
			}
		})
	}
}

func TestBarabasiAlbert(t *testing.T) {
	for _, c := range []struct {
		firms   int
		degree  float64
		sectors int
		core    float64
	}{
		{20000, 1, 4, 0.01},
		{20000, 3, 10, 0.05},
		{20000, 2.5, 3, 0},
		{5, 3, 2, 1}, // complete seed graph on m0 = 4 firms, plus one with 3 suppliers
	} {
		net, err := BarabasiAlbert(c.firms, c.degree, c.sectors, c.core, testSizes(), newRNG(5))
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, net)
		checkGenericNet(t, net, c.firms, c.sectors, c.core)
		mean := float64(net.E()) / float64(net.N())
		if c.firms > 100 && math.Abs(mean-c.degree) > 0.02*c.degree {
			t.Errorf("n=%d d=%v: mean degree %.3f", c.firms, c.degree, mean)
		}
		maxOut := int32(0)
		for i := 0; i < net.N(); i++ {
			maxOut = max(maxOut, net.OutStart[i+1]-net.OutStart[i])
		}
		for e := 0; e < net.E(); e++ {
			if net.Supplier[e] >= net.Buyer[e] {
				t.Fatalf("edge %d → %d not from older to newer", net.Supplier[e], net.Buyer[e])
			}
		}
		if c.firms > 100 && float64(maxOut) < 20*c.degree {
			t.Errorf("n=%d d=%v: largest out-degree %d: no hubs", c.firms, c.degree, maxOut)
		}
		if c.firms == 5 && net.E() != 9 {
			t.Errorf("5 firms have %d edges, want 6 + 3", net.E())
		}
	}
}

// checkGenericNet checks roles, chains, regions, sectors and core firms of a
// Barabási–Albert or Erdős–Rényi network.
func checkGenericNet(t *testing.T, net *Network, firms, sectors int, coreShare float64) {
	t.Helper()
	if net.N() != firms {
		t.Fatalf("%d firms, want %d", net.N(), firms)
	}
	if len(net.SectorNames) != sectors || net.SectorNames[0] != "sector-0" || !slices.Equal(net.RegionNames, []string{"all"}) {
		t.Fatalf("sectors %v regions %v", net.SectorNames, net.RegionNames)
	}
	for i, s := range net.SectorNames {
		if s != "sector-"+itoa(i) {
			t.Fatalf("sector names %v", net.SectorNames)
		}
	}
	perSector := make([]int, sectors)
	minCore, maxSME, cores := math.MaxInt, -1, 0
	for i := 0; i < firms; i++ {
		if net.Role[i] != RoleOther || net.Chain[i] != -1 || net.Region[i] != 0 {
			t.Fatalf("firm %d: role %s chain %d region %d", i, net.Role[i], net.Chain[i], net.Region[i])
		}
		perSector[net.Sector[i]]++
		deg := int(net.InStart[i+1] - net.InStart[i] + net.OutStart[i+1] - net.OutStart[i])
		if net.Kind[i] == Core {
			cores++
			minCore = min(minCore, deg)
		} else {
			maxSME = max(maxSME, deg)
		}
	}
	if want := int(math.Round(coreShare * float64(firms))); cores != want {
		t.Errorf("%d core firms, want %d", cores, want)
	}
	if cores > 0 && maxSME > minCore {
		t.Errorf("an SME has degree %d, above a core firm's %d", maxSME, minCore)
	}
	if firms >= 1000 {
		for s, k := range perSector {
			if want := float64(firms) / float64(sectors); math.Abs(float64(k)-want) > 5*math.Sqrt(want) {
				t.Errorf("sector %d has %d firms, expected about %.0f", s, k, want)
			}
		}
	}
}

func TestErdosRenyi(t *testing.T) {
	for _, c := range []struct {
		firms   int
		degree  float64
		sectors int
		core    float64
	}{
		{20000, 4, 8, 0.01},
		{20000, 0.5, 3, 0.1},
		{20000, 12.5, 20, 0},
		{30, 29, 2, 0.5}, // complete
	} {
		net, err := ErdosRenyi(c.firms, c.degree, c.sectors, c.core, testSizes(), newRNG(9))
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, net)
		checkGenericNet(t, net, c.firms, c.sectors, c.core)
		mean := float64(net.E()) / float64(net.N())
		if math.Abs(mean-c.degree) > 0.03*c.degree {
			t.Errorf("n=%d d=%v: mean degree %.4f", c.firms, c.degree, mean)
		}
		if c.degree == 29 && net.E() != 30*29 {
			t.Errorf("complete graph has %d edges", net.E())
		}
	}
}

func TestErdosRenyiLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large network")
	}
	start := time.Now()
	net, err := ErdosRenyi(200000, 5, 20, 0.01, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("200k firms took %v", d)
	}
	if mean := float64(net.E()) / float64(net.N()); math.Abs(mean-5) > 0.05 {
		t.Errorf("mean degree %.3f", mean)
	}
	t.Logf("200k firms, %d edges in %v", net.E(), time.Since(start))
}

func TestBarabasiAlbertLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large network")
	}
	start := time.Now()
	net, err := BarabasiAlbert(200000, 3, 20, 0.01, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("200k firms took %v", d)
	}
	t.Logf("200k firms, %d edges in %v", net.E(), time.Since(start))
}

func TestCoreSatelliteLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large network")
	}
	start := time.Now()
	p := CoreSatelliteParams{Chains: 50, CoresPerChain: 10, SuppliersPerChain: 1000, RawMaterialsPerChain: 1500, DistributorsPerChain: 1500,
		SupplierSectors: 20, RawMaterialSectors: 15, MultiSourcing: 3, SharedSupplierShare: 0.2}
	net, err := CoreSatellite(p, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("%d firms took %v", net.N(), d)
	}
	t.Logf("%d firms, %d edges in %v", net.N(), net.E(), time.Since(start))
}

func TestSizes(t *testing.T) {
	s := testSizes()
	s.MarketWeights = []float64{3, 0, 1}
	net, err := ErdosRenyi(50000, 2, 4, 0, s, newRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	var sum [2]float64
	var count [2]int
	markets := map[string]int{}
	for i := 0; i < net.N(); i++ {
		buyers := net.OutStart[i+1] > net.OutStart[i]
		k := 0
		if buyers {
			k = 1
		}
		sum[k] += net.FinalDemand[i]
		count[k]++
		if net.ExportShare[i] != s.ExportShare[RoleOther] {
			t.Fatalf("export share %v", net.ExportShare[i])
		}
		markets[net.MarketNames[net.ExportMarket[i]]]++
	}
	// Firms without buyers get the distributor mean, others the upstream mean.
	if m := sum[0] / float64(count[0]); math.Abs(m/s.FinalDemandMean-1) > 0.05 {
		t.Errorf("mean final demand of firms without buyers %.4g (%d firms)", m, count[0])
	}
	if m := sum[1] / float64(count[1]); math.Abs(m/(s.UpstreamFinalShare*s.FinalDemandMean)-1) > 0.02 {
		t.Errorf("mean final demand of firms with buyers %.4g", m)
	}
	if markets["US"] != 0 || math.Abs(float64(markets["EU"])/float64(net.N())-0.75) > 0.01 {
		t.Errorf("markets %v", markets)
	}
	if !slices.Equal(net.MarketNames, []string{"EU", "ASEAN", "US"}) {
		t.Errorf("market names %v, want first-use order then unused", net.MarketNames)
	}

	// No markets: nobody exports.
	s.MarketNames, s.MarketWeights = nil, nil
	net, err = CoreSatellite(csCases[0].p, s, newRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < net.N(); i++ {
		if net.ExportShare[i] != 0 || net.ExportMarket[i] != -1 {
			t.Fatalf("firm %d exports without markets", i)
		}
	}
	// Core-satellite: by role.
	s = testSizes()
	s.FinalDemandDispersion = 0
	net, _ = CoreSatellite(csCases[0].p, s, newRNG(2))
	for i := 0; i < net.N(); i++ {
		want := s.FinalDemandMean * s.UpstreamFinalShare
		if net.Role[i] == RoleDistributor {
			want = s.FinalDemandMean
		}
		if math.Abs(net.FinalDemand[i]/want-1) > 1e-12 || net.ExportShare[i] != s.ExportShare[net.Role[i]] {
			t.Fatalf("%s firm %d: final demand %v export share %v", net.Role[i], i, net.FinalDemand[i], net.ExportShare[i])
		}
	}
}

func TestGeneratorErrors(t *testing.T) {
	ok := csCases[0].p
	mod := func(f func(*CoreSatelliteParams)) CoreSatelliteParams { p := ok; f(&p); return p }
	bad := testSizes()
	bad.UpstreamFinalShare = 0
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"chains", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.Chains = 0 }), testSizes(), newRNG(1))
			return err
		},
			"core-satellite: chains = 0, need at least 1"},
		{"suppliers", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.SuppliersPerChain = 3 }), testSizes(), newRNG(1))
			return err
		}, "core-satellite: suppliers per chain (3) must be ≥ supplier sectors (4), so that every chain has suppliers in every parts sector"},
		{"raw without sector", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.RawMaterialSectors = 0 }), testSizes(), newRNG(1))
			return err
		}, "core-satellite: 8 raw-material firms per chain need at least one raw-material sector"},
		{"distributors", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.DistributorsPerChain = 0 }), testSizes(), newRNG(1))
			return err
		}, "core-satellite: distributors per chain = 0, need at least 1 (core firms sell through distributors)"},
		{"share", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.SharedSupplierShare = 1.5 }), testSizes(), newRNG(1))
			return err
		}, "core-satellite: shared supplier share 1.5 must be in [0,1]"},
		{"multi-sourcing", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.MultiSourcing = 0 }), testSizes(), newRNG(1))
			return err
		}, "core-satellite: multi-sourcing = 0, need at least 1 supplier per input"},
		{"too big", func() error {
			_, err := CoreSatellite(mod(func(p *CoreSatelliteParams) { p.Chains = 1 << 30 }), testSizes(), newRNG(1))
			return err
		}, "core-satellite: 1073741824 chains of 26 firms is too many (at most 2147483646 firms)"},
		{"sizes", func() error { _, err := CoreSatellite(ok, bad, newRNG(1)); return err },
			"core-satellite: sizes: upstream final share 0 must be in (0,1] (every firm needs positive final demand)"},
		{"nil rng", func() error { _, err := CoreSatellite(ok, testSizes(), nil); return err }, "core-satellite: nil random generator"},
		{"ba degree", func() error { _, err := BarabasiAlbert(100, 0.5, 2, 0, testSizes(), newRNG(1)); return err },
			"barabasi-albert: mean degree 0.5 must be ≥ 1"},
		{"ba firms", func() error { _, err := BarabasiAlbert(3, 3, 2, 0, testSizes(), newRNG(1)); return err },
			"barabasi-albert: mean degree 3 needs at least 4 firms, have 3"},
		{"ba sectors", func() error { _, err := BarabasiAlbert(40, 3, 0, 0, testSizes(), newRNG(1)); return err },
			"barabasi-albert: sectors = 0, need at least 1"},
		{"er degree", func() error { _, err := ErdosRenyi(10, 10, 2, 0, testSizes(), newRNG(1)); return err },
			"erdos-renyi: mean degree 10 must be in (0, firms−1 = 9]"},
		{"er nan", func() error { _, err := ErdosRenyi(10, math.NaN(), 2, 0, testSizes(), newRNG(1)); return err },
			"erdos-renyi: mean degree NaN must be finite"},
		{"er core", func() error { _, err := ErdosRenyi(10, 2, 2, -0.1, testSizes(), newRNG(1)); return err },
			"erdos-renyi: core share -0.1 must be in [0,1]"},
		{"er edges", func() error { _, err := ErdosRenyi(1<<30, 100, 2, 0, testSizes(), newRNG(1)); return err },
			"erdos-renyi: 1073741824 firms × mean degree 100 is too many edges (at most 2147483646)"},
		{"er firms", func() error { _, err := ErdosRenyi(1, 1, 2, 0, testSizes(), newRNG(1)); return err },
			"erdos-renyi: firms = 1, must be in [2, 2147483646]"},
		{"market weights", func() error {
			s := testSizes()
			s.MarketWeights = s.MarketWeights[:2]
			_, err := ErdosRenyi(10, 2, 2, 0, s, newRNG(1))
			return err
		}, "erdos-renyi: sizes: 2 market weights for 3 markets"},
	}
	for _, c := range cases {
		err := c.run()
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got error %v, want %q", c.name, err, c.want)
		}
	}
}
