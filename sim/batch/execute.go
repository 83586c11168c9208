package batch

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// Progress reports one finished run.
type Progress struct {
	Done    int     // runs finished by this call of Execute
	Total   int     // runs this call of Execute has to do
	Skipped int     // runs of the shard already finished before
	Run     int     // the run's number
	Point   int     // its point, arm and replication
	Arm     string  //
	Rep     int     //
	Seconds float64 // wall time of the run
}

// Options control Execute.
type Options struct {
	Workers int // parallel runs; 0 means runtime.NumCPU()
	// Threads stepping each run's phases; 0 shares the CPUs among the
	// runs at once (runtime.NumCPU() / workers, at least 1). The results
	// do not depend on it.
	Threads  int
	Shard    Shard // the runs to do (zero value: all)
	Progress func(Progress)
	// Elsewhere holds runs finished in other stores of the same plan
	// (the other shards of a batch whose stores are read together): they
	// are not done again.
	Elsewhere map[int]bool
}

// Execute does the runs of plan in opts.Shard that s does not hold yet,
// storing each as it finishes. When ctx is done it stops starting runs,
// abandons those under way (nothing of them is written) and returns ctx's
// error; every run finished before stays stored. It returns the number of
// runs it did. The runs of a point whose scenario has output.record =
// "aggregate" hold no firm outcomes and events (the engine drops them):
// time series and intervention outcomes only.
func Execute(ctx context.Context, plan *Plan, s *Store, opts Options) (int, error) {
	shard := opts.Shard
	if shard.N == 0 {
		shard = Whole
	}
	done, err := s.Finished()
	if err != nil {
		return 0, err
	}
	var todo []int
	skipped := 0
	for u := 0; u < plan.Runs(); u++ {
		if !shard.Has(u) {
			continue
		}
		if done[u] || opts.Elsewhere[u] {
			skipped++
			continue
		}
		todo = append(todo, u)
	}
	return runEach(ctx, plan, todo, skipped, opts, s.Put)
}

// RunAll does every run of plan in memory, on the workers Execute uses,
// and returns the results in run order: for a one-point plan, the order
// of the result files (arm by arm, then replication). opts.Shard is
// ignored. When ctx is done it returns ctx's error and no results.
func RunAll(ctx context.Context, plan *Plan, opts Options) ([]*outcome.Result, error) {
	todo := make([]int, plan.Runs())
	for u := range todo {
		todo[u] = u
	}
	rs := make([]*outcome.Result, len(todo))
	_, err := runEach(ctx, plan, todo, 0, opts, func(u int, r *outcome.Result) error {
		rs[u] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// RunPlan is the plan of a run of cfg held in memory (see RunAll): one
// point, the arms named (the scenario's when none are) and cfg's
// replications.
func RunPlan(cfg *config.Config, arms []string) (*Plan, error) {
	resolved, err := cfg.ResolveArms(arms)
	if err != nil {
		return nil, err
	}
	return &Plan{Kind: KindRun, Points: []Point{{Config: cfg}}, Arms: resolved, Reps: max(cfg.Replications, 1)}, nil
}

// runEach is the Monte Carlo runner: it does the runs todo of plan on
// opts.Workers workers, each run's phases on opts.Threads threads, and
// gives each result to put as it finishes (from several goroutines at
// once, each with its own run). The results do not depend on the workers
// or threads: a run depends on its point, arm and replication alone. On
// the first error it stops starting runs and returns the error; when ctx
// is done, ctx's error. It returns the number of runs put.
func runEach(ctx context.Context, plan *Plan, todo []int, skipped int, opts Options, put func(u int, r *outcome.Result) error) (int, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = max(1, min(workers, len(todo)))
	threads := opts.Threads
	if threads <= 0 {
		threads = max(1, runtime.NumCPU()/workers)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		mu       sync.Mutex
		finished int
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range next {
				p, a, rep := plan.Run(u)
				start := time.Now()
				r, err := sim.Run(ctx, plan.PointConfig(p), plan.Arms[a], rep, sim.Options{Threads: threads})
				if err != nil {
					if ctx.Err() == nil {
						where := fmt.Sprintf("arm %s, replication %d", plan.Arms[a].Name, rep)
						if len(plan.Points) > 1 {
							where = fmt.Sprintf("point %d, %s", p, where)
						}
						fail(fmt.Errorf("%s: %w", where, err))
					}
					continue
				}
				if err := put(u, r); err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				finished++
				if opts.Progress != nil {
					opts.Progress(Progress{Done: finished, Total: len(todo), Skipped: skipped, Run: u, Point: p,
						Arm: plan.Arms[a].Name, Rep: rep, Seconds: time.Since(start).Seconds()})
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, u := range todo {
		select {
		case next <- u:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return finished, firstErr
	}
	return finished, ctx.Err()
}
