package sim

import (
	"context"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

// Options control one run of the engine.
type Options struct {
	// Threads stepping the phases of each step; 0 means 1. The result
	// does not depend on it.
	Threads int
	// Timings, if not nil, receives the wall times of the run (smesim
	// bench).
	Timings *Timings
	// Knockout, if not nil, makes a firm fail at the shock's start
	// (knockout.go); the rest of the run is as without it.
	Knockout *Knockout
}

// Timings are the wall times of one run.
type Timings struct {
	Threads int           // threads the phases were spread over
	Build   time.Duration // network generation and engine set-up
	Run     time.Duration // stepping, recording and accounting checks
	// BytesPerStep is the model's own count of the bytes one step reads
	// and writes in its arrays (per firm, per slot and per edge), counting
	// each array once per pass that touches it.
	BytesPerStep int64
	// FloorBytesPerStep is the floor of a step's memory traffic: the
	// bytes of state a step of the default scenario must read and write
	// at least, each array it touches counted once (floor.go).
	FloorBytesPerStep int64
	// Phases is the wall time of each kind of parallel pass over the
	// firms that ran, in the order of the phases; the rest of Run is
	// sequential.
	Phases []PhaseTime
}

// PhaseTime is the time one phase of the step took over a run.
type PhaseTime struct {
	Name   string
	Passes int64 // passes over the firms: one per step, or one per settlement round
	Time   time.Duration
}

// Run builds replication rep of cfg, applies arm and steps it to the end:
// the one way to run the engine. It gives up, returning ctx's error, when
// ctx is done (checked every step). A run draws only from the streams of
// its replication, which every arm shares (common random numbers), so its
// result depends on cfg, arm and rep alone. Package batch runs many.
func Run(ctx context.Context, cfg *config.Config, arm config.Arm, rep int, opts Options) (*outcome.Result, error) {
	t0 := time.Now()
	e, err := newEngine(cfg, rep)
	if err != nil {
		return nil, err
	}
	e.setThreads(max(1, opts.Threads))
	defer e.close()
	if err := e.applyArm(arm); err != nil {
		return nil, err
	}
	if err := e.setKnockout(opts.Knockout); err != nil {
		return nil, err
	}
	t1 := time.Now()
	r, err := e.runContext(ctx, arm.Name)
	if err != nil {
		return nil, err
	}
	if t := opts.Timings; t != nil {
		*t = Timings{Threads: e.workers.threads, Build: t1.Sub(t0), Run: time.Since(t1), BytesPerStep: e.bytesPerStep(),
			FloorBytesPerStep: floorBytes(int64(e.net.N()), int64(e.net.Slots()), int64(e.net.E()))}
		for ph, d := range e.workers.elapsed {
			if n := e.workers.passes[ph]; n > 0 {
				t.Phases = append(t.Phases, PhaseTime{Name: phaseNames[ph], Passes: n, Time: d})
			}
		}
	}
	return r, nil
}

func (e *engine) run(arm string) (*outcome.Result, error) {
	return e.runContext(context.Background(), arm)
}

func (e *engine) runContext(ctx context.Context, arm string) (*outcome.Result, error) {
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
