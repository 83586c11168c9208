package sim

import (
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"testing"
	"unsafe"

	"github.com/smesim/smesim/sim/config"
)

// TestEngineBytesCoverEngine builds an engine of 100,000 firms and checks
// that BytesPerFirm and BytesPerEdge, over the network NetworkSize
// estimates, cover what it holds without overstating it more than twice.
//
// The heap is measured in a process of its own: in the test binary's,
// what earlier tests leave running (a cancelled batch's workers) can die
// between the two readings and make the engine look smaller than it is.
func TestEngineBytesCoverEngine(t *testing.T) {
	if os.Getenv("SMESIM_ENGINE_BYTES_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEngineBytesCoverEngine$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "SMESIM_ENGINE_BYTES_CHILD=1")
		out, err := cmd.CombinedOutput()
		t.Logf("%s", out)
		if err != nil {
			t.Fatalf("the measurement in a process of its own: %v", err)
		}
		return
	}
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
	for _, a := range []*arena{e.arena, e.netArena} {
		if a != nil {
			held += int64(a.used)
		}
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

// TestEngineHoldsNetworkOnce checks that an engine of 100,000 firms steps
// the arrays of the network it built, not a copy of them, and that after
// close the network, which results refer to, is the network as built.
func TestEngineHoldsNetworkOnce(t *testing.T) {
	cfg := config.Bench(100_000)
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if e.arena == nil {
		t.Skip("no arena on this system: the engine uses the network as built")
	}
	if e.netArena == nil {
		t.Fatal("the network's arrays were not moved to huge pages")
	}
	net, built := e.net, e.built
	same := []struct {
		name string
		ok   bool
	}{
		{"Kind", unsafe.SliceData(net.Kind) == unsafe.SliceData(built.Kind)},
		{"Role", unsafe.SliceData(net.Role) == unsafe.SliceData(built.Role)},
		{"InStart", unsafe.SliceData(net.InStart) == unsafe.SliceData(built.InStart)},
		{"OutStart", unsafe.SliceData(net.OutStart) == unsafe.SliceData(built.OutStart)},
		{"SlotStart", unsafe.SliceData(net.SlotStart) == unsafe.SliceData(built.SlotStart)},
		{"SlotEdgeStart", unsafe.SliceData(net.SlotEdgeStart) == unsafe.SliceData(built.SlotEdgeStart)},
		{"Supplier", unsafe.SliceData(net.Supplier) == unsafe.SliceData(built.Supplier)},
		{"Buyer", unsafe.SliceData(net.Buyer) == unsafe.SliceData(built.Buyer)},
		{"OutEdge", unsafe.SliceData(net.OutEdge) == unsafe.SliceData(built.OutEdge)},
		{"Weight", unsafe.SliceData(net.Weight) == unsafe.SliceData(built.Weight)},
	}
	for _, a := range same {
		if !a.ok {
			t.Errorf("%s: the engine steps a copy of the network's array", a.name)
		}
	}
	e.close()
	want, err := BuildNetwork(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(built, want) {
		t.Errorf("after close the network differs from the network as built")
	}
}
