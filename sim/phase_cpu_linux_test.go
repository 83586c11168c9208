package sim

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/smesim/smesim/sim/config"
)

// threadCPU returns the CPU time of the calling thread
// (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

// BenchmarkPhasesCPU steps the benchmark scenario (without its shock, as
// BenchmarkPhases) at 10⁶ firms on one thread and reports the thread's
// CPU time per step, in all and per kind of pass. On a machine shared
// with other jobs, CPU time varies far less than wall time (a few
// percent against tens), which makes builds comparable pass by pass
// (docs/performance.md, "CPU per firm-step"). It takes about a minute.
func BenchmarkPhasesCPU(b *testing.B) {
	elapsed, cpu, _ := phasesCPU(b, 1_000_000)
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/step")
	for ph, d := range elapsed {
		if d > 0 {
			b.ReportMetric(float64(d.Microseconds())/float64(b.N), phaseNames[ph]+"-cpu-µs/step")
		}
	}
}

// BenchmarkPhasesCPUBySize reports the same CPU times per firm-step at
// 10⁵ firms, whose arrays stay in this machine's last-level cache, and at
// 10⁶, whose arrays do not: the difference, pass by pass, is what the
// memory costs each pass (docs/performance.md, "Session 8"). Run it with
// -benchtime 20x or more: a step of 10⁵ firms is short.
func BenchmarkPhasesCPUBySize(b *testing.B) {
	for _, firms := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("firms=%d", firms), func(b *testing.B) {
			elapsed, cpu, n := phasesCPU(b, firms)
			reportCPUPerFirmStep(b, elapsed, cpu, float64(b.N)*float64(n))
		})
	}
}

// BenchmarkPhasesCPUShock steps the whole benchmark scenario of
// `smesim bench` (365 daily steps through its demand shock) at 10⁶ firms
// on one thread, and reports per firm-step the thread's CPU time in each
// kind of pass, in all and outside the passes (the sequential work between
// them), and per step the passes of each kind: the shock's steps take
// paths the steady state never takes (later settlement rounds, the step's
// sums after its failures). Each iteration is a whole run of about a
// minute; run it with -benchtime 1x.
func BenchmarkPhasesCPUShock(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cfg := config.Bench(1_000_000)
	var elapsed [numPhases]time.Duration
	var passes [numPhases]int64
	var cpu time.Duration
	firms := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e, err := newEngine(cfg, 0)
		if err != nil {
			b.Fatal(err)
		}
		e.setThreads(1)
		e.workers.clock = threadCPU
		e.workers.elapsed, e.workers.passes = [numPhases]time.Duration{}, [numPhases]int64{}
		b.StartTimer()
		start := threadCPU()
		for t := 0; t < cfg.Steps; t++ {
			if err := e.step(t); err != nil {
				b.Fatal(err)
			}
		}
		cpu += threadCPU() - start
		for ph := range elapsed {
			elapsed[ph] += e.workers.elapsed[ph]
			passes[ph] += e.workers.passes[ph]
		}
		firms = e.net.N()
		e.close()
	}
	firmSteps := float64(b.N) * float64(cfg.Steps) * float64(firms)
	reportCPUPerFirmStep(b, elapsed, cpu, firmSteps)
	inPasses := time.Duration(0)
	for ph, d := range elapsed {
		if d > 0 {
			inPasses += d
			b.ReportMetric(float64(passes[ph])/float64(b.N*cfg.Steps), phaseNames[ph]+"-passes/step")
		}
	}
	b.ReportMetric(float64((cpu-inPasses).Nanoseconds())/firmSteps, "sequential-cpu-ns/firm-step")
}

// reportCPUPerFirmStep reports the CPU time per firm-step in all and in
// each kind of pass that ran.
func reportCPUPerFirmStep(b *testing.B, elapsed [numPhases]time.Duration, cpu time.Duration, firmSteps float64) {
	b.ReportMetric(float64(cpu.Nanoseconds())/firmSteps, "cpu-ns/firm-step")
	for ph, d := range elapsed {
		if d > 0 {
			b.ReportMetric(float64(d.Nanoseconds())/firmSteps, phaseNames[ph]+"-cpu-ns/firm-step")
		}
	}
}

// phasesCPU takes b.N steady-state steps of the benchmark scenario at
// about the given number of firms on one thread, and returns the
// thread's CPU time in each kind of pass and in all, and the firms of
// its network.
func phasesCPU(b *testing.B, firms int) (elapsed [numPhases]time.Duration, cpu time.Duration, n int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	e := steadyBenchEngine(b, firms, 1, 5)
	defer e.close()
	e.workers.clock = threadCPU
	e.workers.elapsed = [numPhases]time.Duration{}
	b.ResetTimer()
	start := threadCPU()
	for i := 0; i < b.N; i++ {
		if err := e.step(5 + i); err != nil {
			b.Fatal(err)
		}
	}
	return e.workers.elapsed, threadCPU() - start, e.net.N()
}
