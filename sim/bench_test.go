package sim

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// BenchmarkStep measures one step of the benchmark scenario at steady
// state (without its shock) after warm-up: a step allocates nothing, so
// allocs/op is 0. BenchmarkRun measures whole runs through the shock.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("firms=%d/threads=%d", n, threads), func(b *testing.B) {
				e := steadyBenchEngine(b, n, threads, 10)
				defer e.close()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := e.step(10 + i); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)*float64(e.net.N())/b.Elapsed().Seconds(), "firm-steps/s")
			})
		}
	}
}

// BenchmarkRun measures a whole run of the benchmark scenario (365 daily
// steps through the default demand shock).
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r, tm := benchRuns(b, config.Bench(n), runtime.NumCPU())
			b.ReportMetric(float64(r.Network.N())*float64(r.Steps())/tm.Run.Seconds(), "firm-steps/s")
			b.ReportMetric(float64(tm.BytesPerStep), "bytes/step")
		})
	}
}

// BenchmarkRunByDegree measures whole runs of the benchmark scenario at
// 10⁵ firms on two threads with one to eight suppliers per input, and
// reports per firm-step the nanoseconds and the bytes by the engine's
// count, with the links per firm: what a link costs a step
// (docs/performance.md, "How cost grows").
func BenchmarkRunByDegree(b *testing.B) {
	for _, suppliers := range []int{1, 2, 3, 5, 8} {
		b.Run(fmt.Sprintf("multi_sourcing=%d", suppliers), func(b *testing.B) {
			cfg := config.Bench(100_000)
			cfg.Network.MultiSourcing = suppliers
			r, tm := benchRuns(b, cfg, 2)
			firms := float64(r.Network.N())
			b.ReportMetric(float64(r.Network.E())/firms, "links/firm")
			b.ReportMetric(float64(tm.Run.Nanoseconds())/(firms*float64(r.Steps())), "ns/firm-step")
			b.ReportMetric(float64(tm.BytesPerStep)/firms, "bytes/firm-step")
		})
	}
}

// benchRuns runs replication 0 of cfg's baseline b.N times on the given
// threads, and returns the last run's result and timings.
func benchRuns(b *testing.B, cfg *config.Config, threads int) (*outcome.Result, Timings) {
	var tm Timings
	var r *outcome.Result
	for i := 0; i < b.N; i++ {
		var err error
		if r, err = Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, Options{Threads: threads, Timings: &tm}); err != nil {
			b.Fatal(err)
		}
	}
	return r, tm
}
