package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/smesim/smesim/sim/network"
)

// RunOptions control a Monte Carlo run.
type RunOptions struct {
	Workers int // parallel replications; 0 means runtime.NumCPU()
	// Progress, if not nil, is called after each finished replication with
	// the number done and the total. It is called from one goroutine at a time.
	Progress func(done, total int)
}

// Run builds and steps the scenario for every replication and returns the
// results in replication order. The results do not depend on Workers: each
// replication draws only from its own streams.
func Run(ctx context.Context, cfg *Config, opts RunOptions) ([]*Result, error) {
	n := cfg.Replications
	if n < 1 {
		n = 1
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, n)
	results := make([]*Result, n)
	errs := make([]error, n)
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := range next {
				results[rep], errs[rep] = RunReplication(cfg, rep)
				mu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, n)
				}
				mu.Unlock()
			}
		}()
	}
	var cancelled error
feed:
	for rep := 0; rep < n; rep++ {
		select {
		case next <- rep:
		case <-ctx.Done():
			cancelled = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if cancelled != nil {
		return nil, cancelled
	}
	for rep, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("replication %d: %w", rep, err)
		}
	}
	return results, nil
}

// RunReplication runs replication rep of cfg.
func RunReplication(cfg *Config, rep int) (*Result, error) {
	e, err := newEngine(cfg, rep)
	if err != nil {
		return nil, err
	}
	return e.run("baseline")
}

func (e *engine) run(arm string) (*Result, error) {
	for t := 0; t < e.p.steps; t++ {
		if err := e.step(t); err != nil {
			return nil, err
		}
	}
	return e.result(arm), nil
}

// BuildNetwork generates (or loads) the network of replication rep of cfg,
// with the same random stream the run uses, so an exported network is the
// one a run simulates.
func BuildNetwork(cfg *Config, rep int) (*network.Network, error) {
	return buildNetwork(cfg, rep)
}
