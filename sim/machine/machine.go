// Package machine measures the machine a simulation runs on: its memory
// bandwidth, by a streaming copy in this process, and the peak memory of
// this process. `smesim bench` sets the engine's speed against them.
package machine

import (
	"bufio"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultBandwidthBytes is the size of each of the two arrays Bandwidth
// copies between: 256 MiB, far above any cache, so that the copy streams
// from and to memory.
const DefaultBandwidthBytes = 256 << 20

// DefaultBandwidthRepeats is the number of timed copies Bandwidth makes.
const DefaultBandwidthRepeats = 10

// Bandwidth returns the memory bandwidth of the machine in bytes per
// second, measured with threads goroutines (at least 1) by
// MeasureBandwidth(DefaultBandwidthBytes, threads, DefaultBandwidthRepeats,
// LoopCopy): the rate at which plain loops of loads and stores, like the
// engine's, stream memory. It maps and touches 512 MiB, on huge pages
// where the kernel allows (as the engine's arrays), and unmaps them
// before it returns.
func Bandwidth(threads int) float64 {
	return MeasureBandwidth(DefaultBandwidthBytes, threads, DefaultBandwidthRepeats, LoopCopy)
}

// MemmoveBandwidth is Bandwidth with the runtime's memmove (Copy).
func MemmoveBandwidth(threads int) float64 {
	return MeasureBandwidth(DefaultBandwidthBytes, threads, DefaultBandwidthRepeats, Memmove)
}

// Copier is a way to copy memory.
type Copier int

const (
	// LoopCopy copies element by element, dst[i] = src[i]: STREAM's
	// "Copy" kernel as a compiler writes it, with ordinary stores, each
	// of which first reads the destination's cache line. It is what the
	// engine's loops can reach, and the yardstick smesim bench uses.
	LoopCopy Copier = iota
	// Memmove is Go's built-in copy, whose runtime memmove uses
	// non-temporal stores for large copies: they skip the read of the
	// destination, so it moves about half as much again per second as a
	// loop of ordinary stores can.
	Memmove
)

// minPart is the fewest elements a goroutine of MeasureBandwidth copies
// (64 KiB).
const minPart = 8192

// MeasureBandwidth copies between two []float64 of size bytes each (at
// least one element) with copier, split into threads contiguous parts
// copied at once by threads goroutines (fewer when a part would be under
// 64 KiB), repeats times after one untimed copy that maps the pages, and
// returns the best rate in bytes per second. The arrays are mapped outside
// the Go heap, on huge pages where the kernel allows, and unmapped after.
//
// The convention is STREAM's "Copy": a copy of size bytes moves 2 × size
// bytes, size read and size written. Write-allocate traffic (the
// destination's cache lines read before they are written, with ordinary
// stores) is not counted, as the engine's own count of the bytes a step
// touches does not count it.
func MeasureBandwidth(size int64, threads, repeats int, copier Copier) float64 {
	n := max(1, int(size/8))
	threads = max(1, min(threads, n/minPart))
	repeats = max(1, repeats)
	src, freeSrc := hugeFloats(n)
	dst, freeDst := hugeFloats(n)
	defer freeSrc()
	defer freeDst()
	for i := range src {
		src[i] = float64(i)
	}
	copyAll := func() time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for k := 0; k < threads; k++ {
			lo, hi := k*n/threads, (k+1)*n/threads
			wg.Add(1)
			go func() {
				defer wg.Done()
				if copier == Memmove {
					copy(dst[lo:hi], src[lo:hi])
					return
				}
				loopCopy(dst[lo:hi], src[lo:hi])
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	copyAll() // maps dst's pages
	best := time.Duration(1<<63 - 1)
	for r := 0; r < repeats; r++ {
		best = min(best, copyAll())
	}
	return 2 * float64(n) * 8 / max(best.Seconds(), 1e-9)
}

// loopCopy copies src to dst element by element.
func loopCopy(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = v
	}
}

// PeakRSS returns the peak resident set size of this process in bytes
// (VmHWM of /proc/self/status): the most physical memory it has held at
// once since it started or since ResetPeakRSS. It is 0 where unknown (not
// Linux, no /proc).
func PeakRSS() int64 { return statusBytes("VmHWM:") }

// RSS returns the resident set size of this process in bytes (VmRSS of
// /proc/self/status), 0 where unknown.
func RSS() int64 { return statusBytes("VmRSS:") }

// ResetPeakRSS returns the memory the Go runtime holds free to the
// operating system, then sets the peak resident set size to the current
// one (by writing "5" to /proc/self/clear_refs, Linux 4.0 and later), so
// that PeakRSS measures what follows. It returns an error where that is
// not possible; PeakRSS then keeps counting from the start.
func ResetPeakRSS() error {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// AvailableMemory returns the memory this process can still allocate, in
// bytes: Memory().Available, 0 where unknown.
func AvailableMemory() int64 { return Memory().Available }

// statusBytes returns the field key of /proc/self/status in bytes; 0
// where unknown.
func statusBytes(key string) int64 { return procBytes("/proc/self/status", key) }

// procBytes returns the field key of a /proc file that gives it in kB, in
// bytes; 0 where unknown.
func procBytes(path, key string) int64 { return procBytesIn("", path, key) }

// procBytesIn is procBytes on the file at root+path.
func procBytesIn(root, path, key string) int64 {
	path = root + path
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// CPUModel returns the processor's model name (the first "model name" of
// /proc/cpuinfo), or "" where unknown.
func CPUModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	return cpuModelFrom(f)
}

// cpuModelFrom returns the first "model name" field of a /proc/cpuinfo
// text, or "" if it has none.
func cpuModelFrom(r io.Reader) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
