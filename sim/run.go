package sim

import (
	"context"
	"errors"
)

// RunOptions control a Monte Carlo run.
type RunOptions struct {
	Workers int // parallel replications; 0 means 1
	// Progress, if not nil, is called after each finished replication with
	// the number done and the total. It is called from one goroutine at a time.
	Progress func(done, total int)
}

// Run builds and steps the scenario for every replication and returns the
// results in replication order. The results do not depend on Workers.
func Run(ctx context.Context, cfg *Config, opts RunOptions) ([]*Result, error) {
	return nil, errors.New("sim.Run: not implemented yet")
}

// RunReplication runs replication rep of cfg.
func RunReplication(cfg *Config, rep int) (*Result, error) {
	return nil, errors.New("sim.RunReplication: not implemented yet")
}
