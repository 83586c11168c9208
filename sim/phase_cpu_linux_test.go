package sim

import (
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
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
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	e := steadyBenchEngine(b, 1_000_000, 1, 5)
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
	b.ReportMetric(float64((threadCPU()-start).Microseconds())/float64(b.N), "cpu-µs/step")
	for ph, d := range e.workers.elapsed {
		if d > 0 {
			b.ReportMetric(float64(d.Microseconds())/float64(b.N), phaseNames[ph]+"-cpu-µs/step")
		}
	}
}
