package main

import (
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/machine"
)

// availableMemory returns the memory the machine can give a new process,
// or 0 when unknown.
func availableMemory() int64 { return machine.AvailableMemory() }

// checkMemory refuses, before anything is allocated, a run whose estimate
// exceeds 90% of the memory available.
func checkMemory(cfg *sim.Config, workers, runs int) error {
	est := sim.EstimateMemory(cfg, min(workers, runs), runs)
	avail := availableMemory()
	if avail > 0 && float64(est.Total) > 0.9*float64(avail) {
		return badInputf("scenario %q needs %s, more than the %.1f GiB this machine has available: record aggregates only (output.record = \"aggregate\"), or use fewer replications, workers or firms",
			cfg.Name, est, float64(avail)/(1<<30))
	}
	return nil
}
