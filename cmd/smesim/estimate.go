package main

import (
	"fmt"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// Bytes a result holds until it is written (the engine's own are
// sim.BytesPerFirm and sim.BytesPerEdge).
const (
	resultBytesPerFirm = 30 // firm outcomes kept per run until written: status, failure step, cause, three floats
	eventBytes         = 64 // one failure event
)

// memoryEstimate is what a run of a scenario will hold in memory at its
// peak, roughly: the engines working at once and the results kept until
// they are written.
type memoryEstimate struct {
	Firms, Edges int64 // of one network (edges estimated for generated networks)
	Engines      int64 // bytes of the engines running at once
	Results      int64 // bytes of the results of every run
	Total        int64
}

func (m memoryEstimate) String() string {
	return fmt.Sprintf("about %s (%d firms and %d links per network: %s for %s, %s of results)",
		formatBytes(m.Total), m.Firms, m.Edges, formatBytes(m.Engines), "the engines running at once", formatBytes(m.Results))
}

// estimateMemory estimates the memory of running runs runs of cfg with
// workers engines at once, without building anything.
func estimateMemory(cfg *config.Config, workers, runs int) memoryEstimate {
	n, e := sim.NetworkSize(cfg)
	m := memoryEstimate{Firms: n, Edges: e}
	workers = max(1, workers)
	m.Engines = int64(workers) * (n*sim.BytesPerFirm + e*sim.BytesPerEdge)
	// Results are stored as each run ends and written one at a time, so
	// the firm outcomes and events of a run are held only by the runs
	// under way and the one being written; the time series of every run
	// are kept for the summary.
	series := int64(cfg.Steps) * int64(outcome.NumMetrics) * 8
	m.Results = int64(max(1, runs)) * series
	if cfg.Output.Record != "aggregate" {
		m.Results += int64(min(workers, max(1, runs))+1) * (n*resultBytesPerFirm + n/4*eventBytes)
	}
	m.Total = m.Engines + m.Results
	return m
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
