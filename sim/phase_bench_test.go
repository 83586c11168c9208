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
	cfg := config.Bench(100_000)
	cfg.Steps = 100_000 // room in the recorder for every step
	cfg.Shocks = nil
	e, err := newEngine(cfg, 0)
	if err != nil {
		b.Fatal(err)
	}
	e.setThreads(1)
	defer e.close()
	for t := 0; t < 10; t++ { // warm-up
		if err := e.step(t); err != nil {
			b.Fatal(err)
		}
	}
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
