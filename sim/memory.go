package sim

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/smesim/smesim/sim/config"
)

// Approximate bytes held per firm and per edge by one engine (its state
// arrays, the network and the temporaries of building it), counted from
// the arrays in engine.go, interventions.go and network.Network.
const (
	engineBytesPerFirm = 900
	engineBytesPerEdge = 140
	resultBytesPerFirm = 30 // firm outcomes kept per run until written: status, failure step, cause, three floats
	eventBytes         = 64 // one failure event
)

// MemoryEstimate is what a run of a scenario will hold in memory at its
// peak, roughly: the engines working at once and the results kept until
// they are written.
type MemoryEstimate struct {
	Firms, Edges int64 // of one network (edges estimated for generated networks)
	Engines      int64 // bytes of the engines running at once
	Results      int64 // bytes of the results of every run
	Total        int64
}

func (m MemoryEstimate) String() string {
	return fmt.Sprintf("about %s (%d firms and %d links per network: %s for %s, %s of results)",
		formatBytes(m.Total), m.Firms, m.Edges, formatBytes(m.Engines), "the engines running at once", formatBytes(m.Results))
}

// EstimateMemory estimates the memory of running runs runs of cfg with
// workers engines at once, without building anything.
func EstimateMemory(cfg *config.Config, workers, runs int) MemoryEstimate {
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
	m := MemoryEstimate{Firms: n, Edges: e}
	workers = max(1, workers)
	m.Engines = int64(workers) * (n*engineBytesPerFirm + e*engineBytesPerEdge)
	// Results are stored as each run ends and written one at a time, so
	// the firm outcomes and events of a run are held only by the runs
	// under way and the one being written; the time series of every run
	// are kept for the summary.
	series := int64(cfg.Steps) * int64(numMetrics) * 8
	m.Results = int64(max(1, runs)) * series
	if cfg.Output.Record != "aggregate" {
		m.Results += int64(min(workers, max(1, runs))+1) * (n*resultBytesPerFirm + n/4*eventBytes)
	}
	m.Total = m.Engines + m.Results
	return m
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

func formatBytes(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", b>>10)
}
