package sim

import (
	"context"
	"errors"

	"github.com/smesim/smesim/sim/network"
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

// BuildNetwork generates (or loads) the network of replication rep of cfg,
// with the same random stream the run uses, so an exported network is the
// one a run simulates.
func BuildNetwork(cfg *Config, rep int) (*network.Network, error) {
	return nil, errors.New("sim.BuildNetwork: not implemented yet")
}
