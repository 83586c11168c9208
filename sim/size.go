package sim

import (
	"os"
	"path/filepath"

	"github.com/smesim/smesim/sim/config"
)

// Approximate bytes held per firm and per edge by one engine (its state
// arrays, the network and the temporaries of building it), counted from
// the arrays in engine.go, interventions.go and network.Network, for
// estimating a run's memory before it starts (TestEngineBytesCoverEngine
// keeps them honest).
const (
	BytesPerFirm = 900
	BytesPerEdge = 140
)

// NetworkSize estimates the firms and links of a network of cfg without
// building it: from the generator's parameters, or from the size of a
// file network's files.
func NetworkSize(cfg *config.Config) (firms, edges int64) {
	nc := &cfg.Network
	var n, e int64
	switch nc.Generator {
	case "core-satellite", "":
		perChain := int64(nc.CoresPerChain + nc.SuppliersPerChain + nc.RawMaterialsPerChain + nc.DistributorsPerChain)
		n = int64(nc.Chains) * perChain
		// Each buyer has multi_sourcing suppliers per input sector, but
		// raw-material firms buy none and suppliers share customers: the
		// generator makes about 0.35 × multi_sourcing + 0.85 links per
		// firm (1.5 at 2, 2.55 at 5).
		e = n * int64(4*nc.MultiSourcing+10) / 10
	case "file":
		n = fileLines(cfg, nc.FirmsFile, 20)
		e = fileLines(cfg, nc.EdgesFile, 12)
	default:
		n = int64(nc.Firms)
		e = int64(float64(n) * nc.MeanDegree)
	}
	return n, e
}

// fileLines estimates the lines of a network file from its size.
func fileLines(cfg *config.Config, name string, bytesPerLine int64) int64 {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(cfg.Dir, name)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size() / bytesPerLine
}
