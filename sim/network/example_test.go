package network_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/smesim/smesim/sim/network"
)

func ExampleCoreSatellite() {
	p := network.CoreSatelliteParams{
		Chains: 3, CoresPerChain: 2, SuppliersPerChain: 10, RawMaterialsPerChain: 8, DistributorsPerChain: 6,
		SupplierSectors: 4, RawMaterialSectors: 3, MultiSourcing: 2, SharedSupplierShare: 0.2,
	}
	s := network.Sizes{
		FinalDemandMean: 1e6, FinalDemandDispersion: 0.5, UpstreamFinalShare: 0.2,
		ExportShare: [network.NumRoles]float64{0.1, 0.2, 0.4, 0.05, 0},
		MarketNames: []string{"EU", "US"}, MarketWeights: []float64{2, 1},
	}
	net, err := network.CoreSatellite(p, s, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	var roles [network.NumRoles]int
	cores := 0
	for i := 0; i < net.N(); i++ {
		roles[net.Role[i]]++
		if net.Kind[i] == network.Core {
			cores++
		}
	}
	fmt.Println("firms:", net.N(), "core firms:", cores)
	for r := network.Role(0); r < network.NumRoles; r++ {
		fmt.Printf("%s: %d\n", r, roles[r])
	}
	fmt.Println("sectors:", len(net.SectorNames), "regions:", net.RegionNames)
	fmt.Println("weights sum to 1 per slot:", net.CheckWeights(1e-9) == nil)
	// Output:
	// firms: 78 core firms: 6
	// raw-material: 24
	// supplier: 30
	// manufacturer: 6
	// distributor: 18
	// other: 0
	// sectors: 11 regions: [region-0 region-1 region-2]
	// weights sum to 1 per slot: true
}
