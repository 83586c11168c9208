package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim"
)

// availableMemory returns the memory the machine can give a new process
// (MemAvailable of /proc/meminfo), or 0 when unknown.
func availableMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

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
