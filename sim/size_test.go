package sim

import (
	"runtime"
	"testing"

	"github.com/smesim/smesim/sim/config"
)

// TestEngineBytesCoverEngine builds an engine of 100,000 firms and checks
// that BytesPerFirm and BytesPerEdge, over the network NetworkSize
// estimates, cover what it holds without overstating it more than twice.
func TestEngineBytesCoverEngine(t *testing.T) {
	cfg := config.Bench(100_000)
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
	n, edges := NetworkSize(cfg)
	est := n*BytesPerFirm + edges*BytesPerEdge
	t.Logf("engine holds %d MiB; estimate %d MiB", held>>20, est>>20)
	if est < held || est > 2*held {
		t.Errorf("estimate for one engine %d MiB, engine holds %d MiB: want between 1 and 2 times", est>>20, held>>20)
	}
	runtime.KeepAlive(e)
	e.close()
}
