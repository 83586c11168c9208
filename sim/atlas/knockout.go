package atlas

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
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
	// Simulated is false in a row whose knock-out was not simulated (the
	// zero Knockout).
	Simulated bool
}

// Encode returns k as one line of text that Decode reads back exactly.
func (k Knockout) Encode() []byte {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return []byte(g(k.Failures) + " " + g(k.Output) + " " + g(k.Jobs) + " " + strconv.Itoa(k.Cascade) + " " + strconv.Itoa(int(k.Channels)) + "\n")
}

// DecodeKnockout reads a line written by Encode.
func DecodeKnockout(data []byte) (Knockout, error) {
	f := strings.Fields(string(data))
	if len(f) != 5 {
		return Knockout{}, fmt.Errorf("atlas: a knock-out has 5 fields, not %d", len(f))
	}
	k := Knockout{Simulated: true}
	var errs [5]error
	k.Failures, errs[0] = strconv.ParseFloat(f[0], 64)
	k.Output, errs[1] = strconv.ParseFloat(f[1], 64)
	k.Jobs, errs[2] = strconv.ParseFloat(f[2], 64)
	k.Cascade, errs[3] = strconv.Atoi(f[3])
	var ch uint64
	ch, errs[4] = strconv.ParseUint(f[4], 10, 16)
	k.Channels = outcome.Channel(ch)
	for _, err := range errs {
		if err != nil {
			return Knockout{}, fmt.Errorf("atlas: reading a knock-out: %w", err)
		}
	}
	return k, nil
}

// Knockouts simulates the knock-out of each firm of firms in replication
// rep of cfg under arm on workers goroutines (≤ 0: GOMAXPROCS), and gives
// each to put with its index in firms as it finishes (from one goroutine
// at a time, in no set order), so that a caller can keep them as they come
// and resume after an interruption. A knock-out depends on cfg, arm, rep
// and its firm alone. On the first error it stops and returns it; when ctx
// is done, ctx's error.
func Knockouts(ctx context.Context, cfg *config.Config, arm config.Arm, rep int, firms []int, workers int, put func(k int, ko Knockout) error) error {
	if len(firms) == 0 {
		return nil
	}
	base, err := sim.Run(ctx, cfg, arm, rep, sim.Options{Threads: 1})
	if err != nil {
		return fmt.Errorf("atlas: the run without knock-out: %w", err)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(firms)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		mu       sync.Mutex // serialises put and firstErr
		firstErr error
		wg       sync.WaitGroup
	)
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
				mu.Lock()
				if err == nil {
					err = put(k, compare(base, res, f))
				} else if ctx.Err() == nil {
					err = fmt.Errorf("atlas: knock-out of %s: %w", base.Network.Name(f), err)
				}
				if err != nil && firstErr == nil && ctx.Err() == nil {
					firstErr = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// compare measures knock-out run ko of firm f against base.
func compare(base, ko *outcome.Result, f int) Knockout {
	k := Knockout{Simulated: true}
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
