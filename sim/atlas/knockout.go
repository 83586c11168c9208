package atlas

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// The simulated knock-out runs the whole engine with a firm made to fail at
// the shock's start (sim.Knockout) and compares the run with the run of the
// same replication without it. Both draw from the replication's random
// streams (common random numbers), so the difference is the knock-out's
// alone. Unlike ESRI and DebtRank it sees every channel at once, in time:
// goods and money, the shock itself, banks' credit rationing, guarantees
// and interventions, and the firms' cash buffers that absorb a loss.

// Knockout is what a firm's knock-out does over the horizon, against the
// run without it. Shares are of the baseline run's totals from the shock's
// first step to the end.
type Knockout struct {
	Failures float64 // more failures than without the knock-out, the knocked firm not counted (can be < 0)
	Output   float64 // share of output lost, the knocked firm's own included
	Jobs     float64 // share of job-steps lost (employment at firms not failed), its own included
	Cascade  int     // failures attributed to the knocked firm's cascade, itself not counted
	// Channels are the channels through which the cascade travelled: the
	// union over its failures (outcome.Channel bits).
	Channels outcome.Channel
}

// noKnockout marks a row whose knock-out was not simulated.
var noKnockout = Knockout{Failures: math.NaN(), Output: math.NaN(), Jobs: math.NaN(), Cascade: -1}

// Simulated reports whether k was simulated.
func (k Knockout) Simulated() bool { return k.Cascade >= 0 }

// Knockouts simulates the knock-out of each firm of firms in replication
// rep of cfg under arm, in that order, on workers goroutines (≤ 0:
// GOMAXPROCS); the result does not depend on workers. It stops with ctx's
// error when ctx is done.
func Knockouts(ctx context.Context, cfg *config.Config, arm config.Arm, rep int, firms []int, workers int) ([]Knockout, error) {
	base, err := sim.Run(ctx, cfg, arm, rep, sim.Options{Threads: 1})
	if err != nil {
		return nil, fmt.Errorf("atlas: the run without knock-out: %w", err)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(firms)))
	out := make([]Knockout, len(firms))
	errs := make([]error, len(firms))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(firms) || ctx.Err() != nil {
					return
				}
				f := firms[k]
				res, err := sim.Run(ctx, cfg, arm, rep, sim.Options{Threads: 1, Knockout: &sim.Knockout{Firm: f}})
				if err != nil {
					errs[k] = fmt.Errorf("atlas: knock-out of %s: %w", base.Network.Name(f), err)
					continue
				}
				out[k] = compare(base, res, f)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// compare measures knock-out run ko of firm f against base.
func compare(base, ko *outcome.Result, f int) Knockout {
	var k Knockout
	failed := func(r *outcome.Result) int {
		n := 0
		for i, s := range r.Firms.Status {
			if s == outcome.Failed && i != f {
				n++
			}
		}
		return n
	}
	k.Failures = float64(failed(ko) - failed(base))
	var outBase, outKO, jobsBase, jobsKO float64
	from := base.ShockStep
	if from >= base.Steps() {
		from = 0 // no shock: the knock-out is at step 0 (sim.Knockout)
	}
	for t := from; t < base.Steps(); t++ {
		outBase += base.Value(t, outcome.Output)
		outKO += ko.Value(t, outcome.Output)
		jobsBase += base.Value(t, outcome.Employment)
		jobsKO += ko.Value(t, outcome.Employment)
	}
	k.Output = lostShare(outBase, outKO)
	k.Jobs = lostShare(jobsBase, jobsKO)
	for _, ev := range ko.Events {
		if ev.Cascade == int32(f) && ev.Firm != int32(f) {
			k.Cascade++
			k.Channels |= ev.Channels
		}
	}
	return k
}

// lostShare is (base − ko)/base, 0 when base is 0.
func lostShare(base, ko float64) float64 {
	if base == 0 {
		return 0
	}
	return (base - ko) / base
}
