package sim

import (
	"fmt"
	"path/filepath"

	"github.com/smesim/smesim/sim/network"
)

// sizes translates the scenario into the generators' firm sizes.
func sizes(cfg *Config) network.Sizes {
	nc := &cfg.Network
	s := network.Sizes{
		FinalDemandMean:       nc.FinalDemandMean,
		FinalDemandDispersion: nc.FinalDemandDispersion,
		UpstreamFinalShare:    nc.UpstreamFinalShare,
	}
	es := cfg.Production.ExportShare
	s.ExportShare = [network.NumRoles]float64{es.RawMaterial, es.Supplier, es.Manufacturer, es.Distributor, es.Other}
	for _, m := range cfg.Markets {
		s.MarketNames = append(s.MarketNames, m.Name)
		s.MarketWeights = append(s.MarketWeights, m.Weight)
	}
	return s
}

func buildNetwork(cfg *Config, rep int) (*network.Network, error) {
	nc := &cfg.Network
	rng := stream(cfg.Seed, rep, streamNetwork)
	sz := sizes(cfg)
	var (
		net *network.Network
		err error
	)
	switch nc.Generator {
	case "core-satellite", "":
		net, err = network.CoreSatellite(network.CoreSatelliteParams{
			Chains:               nc.Chains,
			CoresPerChain:        nc.CoresPerChain,
			SuppliersPerChain:    nc.SuppliersPerChain,
			RawMaterialsPerChain: nc.RawMaterialsPerChain,
			DistributorsPerChain: nc.DistributorsPerChain,
			SupplierSectors:      nc.SupplierSectors,
			RawMaterialSectors:   nc.RawMaterialSectors,
			MultiSourcing:        nc.MultiSourcing,
			SharedSupplierShare:  nc.SharedSupplierShare,
		}, sz, rng)
	case "barabasi-albert":
		net, err = network.BarabasiAlbert(nc.Firms, nc.MeanDegree, nc.Sectors, nc.CoreShare, sz, rng)
	case "erdos-renyi":
		net, err = network.ErdosRenyi(nc.Firms, nc.MeanDegree, nc.Sectors, nc.CoreShare, sz, rng)
	case "file":
		net, err = network.ReadCSV(resolvePath(cfg.Dir, nc.EdgesFile), resolvePath(cfg.Dir, nc.FirmsFile), sz, rng)
	default:
		return nil, &ScenarioError{fmt.Errorf("network.generator: unknown generator %q", nc.Generator)}
	}
	if err != nil {
		// A network that cannot be built or read is the scenario's fault.
		return nil, &ScenarioError{fmt.Errorf("network: %w", err)}
	}
	return net, nil
}

func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}
