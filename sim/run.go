package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// RunOptions control a Monte Carlo run.
type RunOptions struct {
	Workers int // parallel runs; 0 means runtime.NumCPU()
	// Threads stepping each run's phases; 0 shares the CPUs among the
	// workers. The results do not depend on it.
	Threads int
	// Arms names the arms to run (see Config.ResolveArms); empty: the
	// scenario's arms.
	Arms []string
	// Progress, if not nil, is called after each finished run (one arm of
	// one replication) with the number done and the total. It is called
	// from one goroutine at a time.
	Progress func(done, total int)
}

// Run builds and steps every arm of the scenario for every replication and
// returns the results by arm (baseline first), then replication. The
// results do not depend on Workers: each run draws only from the streams of
// its replication, which every arm shares (common random numbers).
func Run(ctx context.Context, cfg *config.Config, opts RunOptions) ([]*Result, error) {
	arms, err := cfg.ResolveArms(opts.Arms)
	if err != nil {
		return nil, err
	}
	reps := max(cfg.Replications, 1)
	total := reps * len(arms)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, total)
	threads := opts.Threads
	if threads <= 0 {
		threads = max(1, runtime.NumCPU()/workers)
	}
	results := make([]*Result, total)
	errs := make([]error, total)
	next := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				arm, rep := arms[job/reps], job%reps
				results[job], errs[job] = RunArmThreads(ctx, cfg, arm, rep, threads)
				mu.Lock()
				done++
				if opts.Progress != nil {
					opts.Progress(done, total)
				}
				mu.Unlock()
			}
		}()
	}
	var cancelled error
feed:
	for job := 0; job < total; job++ {
		select {
		case next <- job:
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
	for job, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("arm %s, replication %d: %w", arms[job/reps].Name, job%reps, err)
		}
	}
	return results, nil
}

// RunReplication runs the baseline arm of replication rep of cfg.
func RunReplication(cfg *config.Config, rep int) (*Result, error) {
	return RunArm(cfg, config.Arm{Name: config.BaselineArm}, rep)
}

// RunArm runs one arm of replication rep of cfg.
func RunArm(cfg *config.Config, arm config.Arm, rep int) (*Result, error) {
	return RunArmContext(context.Background(), cfg, arm, rep)
}

// RunArmContext is RunArm that gives up, returning ctx's error, when ctx
// is done (checked every step).
func RunArmContext(ctx context.Context, cfg *config.Config, arm config.Arm, rep int) (*Result, error) {
	return RunArmThreads(ctx, cfg, arm, rep, 1)
}

// RunArmThreads is RunArmContext with the phases of each step spread over
// threads threads. The result does not depend on threads.
func RunArmThreads(ctx context.Context, cfg *config.Config, arm config.Arm, rep, threads int) (*Result, error) {
	e, err := newEngine(cfg, rep)
	if err != nil {
		return nil, err
	}
	e.setThreads(threads)
	defer e.close()
	if err := e.applyArm(arm); err != nil {
		return nil, err
	}
	return e.runContext(ctx, arm.Name)
}

func (e *engine) run(arm string) (*Result, error) {
	return e.runContext(context.Background(), arm)
}

func (e *engine) runContext(ctx context.Context, arm string) (*Result, error) {
	for t := 0; t < e.p.steps; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := e.step(t); err != nil {
			return nil, err
		}
	}
	return e.result(arm), nil
}

// BuildNetwork generates (or loads) the network of replication rep of cfg,
// with the same random stream the run uses, so an exported network is the
// one a run simulates.
func BuildNetwork(cfg *config.Config, rep int) (*network.Network, error) {
	return buildNetwork(cfg, rep)
}
