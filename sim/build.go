package sim

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// sizes translates the scenario into the generators' firm sizes.
func sizes(cfg *config.Config) network.Sizes {
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
	if d := &cfg.Demography; d.SizeClasses {
		c := &network.SizeClasses{}
		c.Shares[network.Micro], c.Shares[network.Small], c.Shares[network.Medium] = d.ClassShares.Micro, d.ClassShares.Small, d.ClassShares.Medium
		c.Scale[network.Micro], c.Scale[network.Small], c.Scale[network.Medium] = d.ClassScale.Micro, d.ClassScale.Small, d.ClassScale.Medium
		s.Classes = c
	}
	return s
}

func buildNetwork(cfg *config.Config, rep int) (*network.Network, error) {
	nc := &cfg.Network
	rng := stream(cfg.Seed, rep, streamNetwork)
	sz := sizes(cfg)
	var (
		net *network.Network
		err error
	)
	switch nc.Generator {
	case "core-satellite", "":
		net, err = network.CoreSatellite(coreSatelliteParams(nc), sz, rng)
	case "barabasi-albert":
		net, err = network.BarabasiAlbert(nc.Firms, nc.MeanDegree, nc.Sectors, nc.CoreShare, sz, rng)
	case "erdos-renyi":
		net, err = network.ErdosRenyi(nc.Firms, nc.MeanDegree, nc.Sectors, nc.CoreShare, sz, rng)
	case "io-table":
		var tab *network.IOTable
		tab, err = network.ReadIOTable(resolvePath(cfg.Dir, nc.IOTableFile))
		if err == nil {
			net, err = tab.Network(network.IOParams{Firms: nc.Firms, Dispersion: nc.FinalDemandDispersion,
				CoreShare: nc.CoreShare, MultiSourcing: nc.MultiSourcing}, rng)
		}
	case "file":
		if nc.Format == "inoue-todo" {
			net, err = network.ReadInoueTodo(network.InoueTodoFiles{
				Links:       resolvePath(cfg.Dir, nc.EdgesFile),
				Affiliation: resolvePath(cfg.Dir, nc.FirmsFile),
				FinalDemand: resolvePath(cfg.Dir, nc.FinalDemandFile),
			}, units.DaysPerYear/cfg.Step.Days())
			break
		}
		net, err = network.ReadCSVWith(resolvePath(cfg.Dir, nc.EdgesFile), resolvePath(cfg.Dir, nc.FirmsFile), sz, rng,
			network.CSVOptions{Normalise: nc.Normalise})
	default:
		return nil, &ScenarioError{fmt.Errorf("network.generator: unknown generator %q", nc.Generator)}
	}
	if err == nil {
		// The entry pool comes after the incumbents, so that their indices
		// and draws are those of a network without one.
		net, err = network.WithEntryPool(net, cfg.Demography.EntryPool, sz, rng)
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

func coreSatelliteParams(nc *config.NetworkConfig) network.CoreSatelliteParams {
	return network.CoreSatelliteParams{
		Chains:               nc.Chains,
		CoresPerChain:        nc.CoresPerChain,
		SuppliersPerChain:    nc.SuppliersPerChain,
		RawMaterialsPerChain: nc.RawMaterialsPerChain,
		DistributorsPerChain: nc.DistributorsPerChain,
		SupplierSectors:      nc.SupplierSectors,
		RawMaterialSectors:   nc.RawMaterialSectors,
		MultiSourcing:        nc.MultiSourcing,
		SharedSupplierShare:  nc.SharedSupplierShare,
	}
}

// NetworkNames are the names a scenario may use for the parts of its
// network (shock and intervention sectors and regions, demand-shock
// markets, supply-chain-finance cores), known before any run.
type NetworkNames struct {
	// From says where the names come from, for messages: "the
	// core-satellite generator" or the firm file.
	From string
	// HasSector and HasRegion report whether the network has a sector or
	// region of that name; Sectors and Regions list them all, for
	// messages (a generated network may have 100,000 sectors, which
	// validating each point of a sweep should not list).
	HasSector, HasRegion func(name string) bool
	Sectors, Regions     func() []string
	// Markets are the network's export markets.
	Markets []string
	// Firm reports whether a firm of that id exists and whether it is a
	// core firm; nil when that is not known before a run (the random
	// generators draw which firms are cores in each replication).
	Firm func(id string) (exists, core bool)
}

// Names returns the names of cfg's network: from the generator's
// parameters, without generating it, or, for a file network, by reading
// the files (an error then is one of the files').
func Names(cfg *config.Config) (*NetworkNames, error) {
	nc := &cfg.Network
	var markets []string
	for _, m := range cfg.Markets {
		markets = append(markets, m.Name)
	}
	switch nc.Generator {
	case "core-satellite", "":
		p := coreSatelliteParams(nc)
		return &NetworkNames{
			From:      "the core-satellite generator",
			HasSector: p.HasSector,
			HasRegion: p.HasRegion,
			Sectors:   func() []string { s, _ := p.Names(); return s },
			Regions:   func() []string { _, r := p.Names(); return r },
			Markets:   markets,
			Firm: func(id string) (bool, bool) {
				i, ok := generatedIndex(id)
				if !ok {
					return false, false
				}
				return p.IsCore(i)
			}}, nil
	case "barabasi-albert", "erdos-renyi":
		sectors := nc.Sectors
		return &NetworkNames{
			From:      "the " + nc.Generator + " generator",
			HasSector: func(name string) bool { return network.GenericHasSector(sectors, name) },
			HasRegion: func(name string) bool { return name == "all" },
			Sectors:   func() []string { s, _ := network.GenericNames(sectors); return s },
			Regions:   func() []string { _, r := network.GenericNames(sectors); return r },
			Markets:   markets,
		}, nil
	case "io-table":
		// The table names the sectors; the firms are drawn per
		// replication, and building them could take more memory than the
		// run is later allowed.
		tab, err := network.ReadIOTable(resolvePath(cfg.Dir, nc.IOTableFile))
		if err != nil {
			return nil, &ScenarioError{fmt.Errorf("network: %w", err)}
		}
		if nc.Firms < len(tab.Sectors) {
			return nil, &ScenarioError{fmt.Errorf("network.firms: %d firms for the %d sectors of %s: need at least one firm per sector", nc.Firms, len(tab.Sectors), nc.IOTableFile)}
		}
		regions := []string{"all"}
		return &NetworkNames{
			From:      nc.IOTableFile,
			HasSector: func(name string) bool { return slices.Contains(tab.Sectors, name) },
			HasRegion: func(name string) bool { return name == "all" },
			Sectors:   func() []string { return tab.Sectors },
			Regions:   func() []string { return regions },
			Markets:   markets,
		}, nil
	}
	net, err := buildNetwork(cfg, 0)
	if err != nil {
		return nil, err
	}
	if err := CheckDamageTables(cfg, net); err != nil {
		return nil, &ScenarioError{err}
	}
	byName := make(map[string]int, net.N())
	for i := 0; i < net.N(); i++ {
		byName[net.Name(i)] = i
	}
	list := func(names []string) func() []string { return func() []string { return names } }
	has := func(names []string) func(string) bool {
		return func(name string) bool { return slices.Contains(names, name) }
	}
	return &NetworkNames{
		From:      cmp.Or(nc.IOTableFile, nc.FirmsFile),
		HasSector: has(net.SectorNames),
		HasRegion: has(net.RegionNames),
		Sectors:   list(net.SectorNames),
		Regions:   list(net.RegionNames),
		Markets:   net.MarketNames,
		Firm: func(id string) (bool, bool) {
			i, ok := byName[id]
			return ok, ok && net.Kind[i] == network.Core
		}}, nil
}

// generatedIndex reads the id "f<i>" of a generated firm.
func generatedIndex(id string) (int, bool) {
	digits, ok := strings.CutPrefix(id, "f")
	if !ok || digits == "" || len(digits) > 1 && digits[0] == '0' {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	return i, err == nil && i >= 0 && digits[0] != '+' && digits[0] != '-'
}
