package sim

import (
	"context"
	"runtime"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// BenchStats are the measurements of one benchmark run.
type BenchStats struct {
	Firms, Edges, Slots int
	Steps               int
	Threads             int
	Build               time.Duration // network generation and engine set-up
	Run                 time.Duration // stepping, recording and accounting checks
	// BytesPerStep is the model's own count of the bytes one step reads
	// and writes in its arrays (per firm, per slot and per edge), counting
	// each array once per pass that touches it.
	BytesPerStep int64
	Failures     int // firms failed by the end
	// Phases is the wall time of each kind of parallel pass over the
	// firms that ran, in the order of the phase constants; the rest of Run
	// is sequential.
	Phases []PhaseTime
}

// PhaseTime is the time one phase of the step took over a run.
type PhaseTime struct {
	Name   string
	Passes int64 // passes over the firms: one per step, or one per settlement round
	Time   time.Duration
}

// FirmStepsPerSecond is firms × steps ÷ run time.
func (b BenchStats) FirmStepsPerSecond() float64 {
	return float64(b.Firms) * float64(b.Steps) / b.Run.Seconds()
}

// BenchConfig is the benchmark scenario with about firms firms: the default
// core-satellite chains of 262 firms with five suppliers per input (average
// degree about 5: 2.55 links per firm), daily steps for a year, finance on,
// the default demand shock, aggregate recording.
func BenchConfig(firms int) *config.Config {
	cfg := config.DefaultConfig()
	cfg.Name = "bench"
	cfg.Network.Chains = max(1, (firms+131)/262)
	cfg.Network.MultiSourcing = 5
	cfg.Step, _ = units.ParseDuration("1d")
	cfg.Steps = 365
	cfg.Output.Record = "aggregate"
	return &cfg
}

// Bench builds replication 0 of cfg's baseline and steps it through the
// run with threads threads (0: one per CPU), timing the build and the
// steps separately.
func Bench(ctx context.Context, cfg *config.Config, threads int) (BenchStats, error) {
	if threads <= 0 {
		threads = runtime.NumCPU()
	}
	t0 := time.Now()
	e, err := newEngine(cfg, 0)
	if err != nil {
		return BenchStats{}, err
	}
	e.setThreads(threads)
	defer e.close()
	t1 := time.Now()
	if _, err := e.runContext(ctx, config.BaselineArm); err != nil {
		return BenchStats{}, err
	}
	st := BenchStats{
		Firms: e.net.N(), Edges: e.net.E(), Slots: e.net.Slots(),
		Steps: e.p.steps, Threads: e.workers.threads,
		Build: t1.Sub(t0), Run: time.Since(t1),
		BytesPerStep: e.bytesPerStep(),
	}
	for ph, d := range e.workers.elapsed {
		if n := e.workers.passes[ph]; n > 0 {
			st.Phases = append(st.Phases, PhaseTime{Name: phaseNames[ph], Passes: n, Time: d})
		}
	}
	for _, a := range e.alive {
		if !a {
			st.Failures++
		}
	}
	return st, nil
}
