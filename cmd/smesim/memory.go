package main

import (
	"fmt"
	"runtime/debug"
	"runtime/metrics"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/machine"
)

// availableMemory returns the memory this process can still allocate
// (machine.Memory: the least of the machine's available memory, the room
// under its cgroup's limit and the address space under ulimit -v), or 0
// when unknown.
func availableMemory() int64 { return machine.AvailableMemory() }

// checkMemory refuses, before anything is allocated, runs runs of cfg
// with workers at once whose estimate exceeds 90% of the memory available.
func checkMemory(cfg *config.Config, workers, runs int) error {
	return checkEstimate(fmt.Sprintf("scenario %q", cfg.Name), estimateMemory(cfg, min(workers, runs), runs))
}

// checkEstimate refuses est, the memory of what, when it exceeds 90% of
// the memory available; otherwise it sets the Go runtime's soft memory
// limit to what is available, so that the garbage collector works harder
// rather than let the heap grow past a cgroup's limit or ulimit -v.
// Refusing is bad input (exit 2): nothing has run, and the scenario or the
// flags must change for it to fit.
func checkEstimate(what string, est memoryEstimate) error {
	mem := machine.Memory()
	if mem.Available <= 0 {
		return nil
	}
	if float64(est.Total) > 0.9*float64(mem.Available) {
		return badInputf("%s needs %s, more than the %.1f GiB available (%s): record aggregates only (output.record = \"aggregate\"), or use fewer replications, workers or firms",
			what, est, float64(mem.Available)/(1<<30), mem.Limit)
	}
	limitHeap(mem.Available)
	return nil
}

// limitHeap sets the Go runtime's soft memory limit to the memory it holds
// now plus avail, unless a lower limit is set (GOMEMLIMIT).
func limitHeap(avail int64) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	var held int64
	if s[0].Value.Kind() == metrics.KindUint64 && s[1].Value.Kind() == metrics.KindUint64 {
		held = int64(s[0].Value.Uint64() - s[1].Value.Uint64())
	}
	limit := held + avail
	if cur := debug.SetMemoryLimit(-1); limit < cur {
		debug.SetMemoryLimit(limit)
	}
}
