package sim

import (
	"bufio"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// Approximate bytes held per firm and per edge by one engine (its state
// arrays, the network and the temporaries of building it), counted from
// the arrays in engine.go, interventions.go and network.Network, for
// estimating a run's memory before it starts (TestEngineBytesCoverEngine
// keeps them honest).
const (
	BytesPerFirm = 800
	BytesPerEdge = 120
)

// NetworkSize estimates the firms and links of a network of cfg without
// building it: from the generator's parameters, or from the size of a
// file network's files (for an io-table network, the table's sectors).
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
		firmLine := int64(20)
		if nc.Format == "inoue-todo" {
			firmLine = 8 // "firm sector" with short ids
		}
		n = fileLines(cfg, nc.FirmsFile, firmLine)
		e = fileLines(cfg, nc.EdgesFile, 12)
	case "io-table":
		// Per pair of sectors with a flow, about one link per supplier
		// and multi_sourcing per buyer: at most (multi_sourcing + 1) ×
		// sectors per firm.
		n = int64(nc.Firms)
		e = n * int64(nc.MultiSourcing+1) * max(1, tableSectors(cfg, nc.IOTableFile))
	default:
		n = int64(nc.Firms)
		e = int64(float64(n) * nc.MeanDegree)
	}
	if p := cfg.Demography.EntryPool; p > 0 {
		// The entry pool: at most a share p more firms, with the links
		// of the firms they copy.
		n, e = n+int64(math.Ceil(p*float64(n))), e+int64(math.Ceil(p*float64(e)))
	}
	return n, e
}

// tableSectors returns the number of sectors in the header of an IO
// table file, or 0 if it cannot be read.
func tableSectors(cfg *config.Config, name string) int64 {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(cfg.Dir, name)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	head, _ := bufio.NewReader(io.LimitReader(f, network.MaxLineBytes)).ReadString('\n')
	return max(0, int64(strings.Count(head, ","))-1)
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
