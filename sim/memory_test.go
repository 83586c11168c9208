package sim

import (
	"runtime"
	"testing"
)

// TestEstimateMemoryCoversEngine builds an engine of 100,000 firms and
// checks that the estimate covers what it holds, without overstating it
// more than twice.
func TestEstimateMemoryCoversEngine(t *testing.T) {
	cfg := BenchConfig(100_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if e.arena != nil {
		held += int64(e.arena.used)
	}
	est := EstimateMemory(cfg, 1, 1)
	t.Logf("engine holds %d MiB; estimate %s", held>>20, est)
	if est.Engines < held || est.Engines > 2*held {
		t.Errorf("estimate for one engine %d MiB, engine holds %d MiB: want between 1 and 2 times", est.Engines>>20, held>>20)
	}
	runtime.KeepAlive(e)
	e.close()
}
