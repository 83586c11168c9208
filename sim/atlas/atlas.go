// Package atlas ranks the firms of a production network by the damage
// their failure does to the rest of the economy: the share of output and
// jobs lost through missing inputs and lost sales (the Economic Systemic
// Risk Index of Diem et al. 2022) and the share of equity lost through the
// balance-sheet claims between firms and banks (DebtRank, Battiston et al.
// 2012).
//
// Both measures start from the baseline state of one replication
// (sim.Exposures) and are computed for each firm independently, on plain
// arrays over the network's compressed edges; a propagation touches only
// the firms it reaches, so a firm's cost grows with the size of its
// cascade, not of the network.
package atlas

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/smesim/smesim/sim"
)

// Options tunes the measures.
type Options struct {
	// Essential says which inputs stop a buyer when they are missing; nil
	// means every input does (Leontief across sectors, as the engine).
	Essential *Essential
	// Substitution is the share by which a buyer's surviving suppliers in
	// a sector can raise their deliveries to make up for a lost one (the
	// engine's spare capacity); 0 allows no substitution.
	Substitution float64
	// OneWay skips the propagation downstream and upstream together, which
	// with essential inputs reaches most of a connected network and
	// converges slowly (see esri.go); ESRIOutput and ESRIJobs are then NaN.
	OneWay bool
	// Workers is the number of goroutines; ≤ 0 means GOMAXPROCS.
	Workers int
}

// Row is the criticality of one firm. Shares are of the network's total
// (output, jobs or equity) and lie in [0,1].
type Row struct {
	Firm   int
	Weight float64 // firms of the network the row stands for (1 without sampling)

	ESRIOutput float64 // output lost when the firm stops: downstream and upstream together
	ESRIJobs   float64 // jobs at the firms whose output is lost, weighted by the loss
	Downstream float64 // output lost through missing inputs alone
	Upstream   float64 // output lost through lost sales alone
	DebtRank   float64 // equity lost by the other firms and the banks when the firm defaults

	// Knockout is the simulated knock-out (Knockouts); zero, not
	// Simulated, unless set.
	Knockout Knockout

	// Converged is false when a production propagation was cut short by
	// its bound on updates (see maxUpdates): its shares are then too low.
	Converged bool
}

// Compute returns the row of each firm of firms (indexes into x.Net), in
// that order, with weight 1; set Weight afterwards for a sample. It stops
// with ctx's error when ctx is done. The result does not depend on
// opts.Workers.
//
// The simulated knock-out, far dearer, is left to Knockouts.
func Compute(ctx context.Context, x *sim.Exposures, firms []int, opts Options) ([]Row, error) {
	n := x.Net.N()
	for _, f := range firms {
		if f < 0 || f >= n {
			return nil, fmt.Errorf("atlas: firm index %d out of range [0,%d)", f, n)
		}
	}
	if opts.Essential != nil && opts.Essential.sectors != len(x.Net.SectorNames) {
		return nil, fmt.Errorf("atlas: essential-input table is for %d sectors, the network has %d", opts.Essential.sectors, len(x.Net.SectorNames))
	}
	if !(opts.Substitution >= 0) {
		return nil, fmt.Errorf("atlas: substitution %v must be ≥ 0", opts.Substitution)
	}
	prod := newProduction(x, opts)
	fin := newFinance(x)
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(firms)))
	rows := make([]Row, len(firms))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps, fs := prod.newScratch(), fin.newScratch()
			ps.done = ctx.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(firms) || ctx.Err() != nil {
					return
				}
				f := firms[k]
				r := Row{Firm: f, Weight: 1}
				var okDown, okUp bool
				okBoth := true
				r.Downstream, _, okDown = prod.impact(ps, f, true, false)
				r.Upstream, _, okUp = prod.impact(ps, f, false, true)
				if opts.OneWay {
					r.ESRIOutput, r.ESRIJobs = math.NaN(), math.NaN()
				} else {
					r.ESRIOutput, r.ESRIJobs, okBoth = prod.impact(ps, f, true, true)
				}
				r.Converged = okDown && okUp && okBoth
				r.DebtRank = fin.debtRank(fs, f)
				rows[k] = r
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}
