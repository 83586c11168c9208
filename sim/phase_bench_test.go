package sim

import (
	"testing"
	"time"

	"github.com/smesim/smesim/sim/config"
)

// BenchmarkPhases measures a steady-state step of the benchmark scenario at
// 10⁵ firms on one thread, and reports the wall time of each kind of
// parallel pass per step, to compare builds phase by phase.
func BenchmarkPhases(b *testing.B) {
	e := steadyBenchEngine(b, 100_000, 1, 10)
	defer e.close()
	e.workers.elapsed = [numPhases]time.Duration{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := e.step(10 + i); err != nil {
			b.Fatal(err)
		}
	}
	for ph, d := range e.workers.elapsed {
		if d > 0 {
			b.ReportMetric(float64(d.Microseconds())/float64(b.N), phaseNames[ph]+"-µs/step")
		}
	}
}

// steadyBenchEngine builds the benchmark scenario without its shock at
// the given number of firms, on the given threads, and takes its first
// warmUp steps, for the benchmarks that time a steady-state step. The
// caller closes it.
func steadyBenchEngine(b *testing.B, firms, threads, warmUp int) *engine {
	cfg := config.Bench(firms)
	cfg.Steps = 100_000 // room in the recorder for every step
	cfg.Shocks = nil
	e, err := newEngine(cfg, 0)
	if err != nil {
		b.Fatal(err)
	}
	e.setThreads(threads)
	for t := 0; t < warmUp; t++ {
		if err := e.step(t); err != nil {
			e.close()
			b.Fatal(err)
		}
	}
	return e
}
