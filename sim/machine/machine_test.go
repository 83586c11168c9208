package machine

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestMeasureBandwidth(t *testing.T) {
	for _, copier := range []Copier{LoopCopy, Memmove} {
		for _, threads := range []int{1, 2, 0, 1 << 30} {
			bw := MeasureBandwidth(8<<20, threads, 3, copier)
			// Any machine copies 8 MiB faster than 10 MB/s and slower than
			// 100 TB/s.
			if !(bw > 1e7 && bw < 1e14) {
				t.Errorf("copier %d, threads %d: bandwidth %g B/s", copier, threads, bw)
			}
		}
	}
	if bw := MeasureBandwidth(0, 1, 0, LoopCopy); !(bw > 0) {
		t.Errorf("smallest copy: bandwidth %g B/s", bw)
	}
}

func TestPeakRSS(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		if PeakRSS() != 0 || RSS() != 0 {
			t.Error("PeakRSS or RSS not 0 without /proc")
		}
		t.Skip("no /proc/self/status")
	}
	if err := ResetPeakRSS(); err != nil {
		t.Skipf("cannot reset the peak: %v", err)
	}
	before := PeakRSS()
	if before <= 0 || RSS() <= 0 || RSS() > PeakRSS() {
		t.Fatalf("PeakRSS %d, RSS %d", before, RSS())
	}
	// Touch 64 MiB: the peak grows by about as much.
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = byte(i)
	}
	if got := PeakRSS(); got < before+32<<20 {
		t.Errorf("PeakRSS %d after touching 64 MiB, was %d", got, before)
	}
	runtime.KeepAlive(b)
	if err := ResetPeakRSS(); err != nil {
		t.Fatal(err)
	}
	if got, rss := PeakRSS(), RSS(); got > rss+16<<20 {
		t.Errorf("PeakRSS %d after reset, RSS %d", got, rss)
	}
}

func TestStatusBytes(t *testing.T) {
	if statusBytes("NoSuchField:") != 0 {
		t.Error("unknown field not 0")
	}
}

func TestCPUModelFrom(t *testing.T) {
	for _, c := range []struct{ name, cpuinfo, want string }{
		{"x86", "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nmodel name\t: second\n", "Intel(R) Xeon(R) CPU @ 2.20GHz"},
		{"colon in value", "model name : AMD EPYC 7B13: 64-Core\n", "AMD EPYC 7B13: 64-Core"},
		{"arm without model name", "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n", ""},
		{"empty", "", ""},
	} {
		if got := cpuModelFrom(strings.NewReader(c.cpuinfo)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// The examples show use; their figures depend on the machine, so they
// print nothing to compare (TestMeasureBandwidth and TestPeakRSS assert).

func ExampleMeasureBandwidth() {
	// Copy 64 MiB three times with 1 thread; the rate counts read and
	// written bytes.
	bw := MeasureBandwidth(64<<20, 1, 3, LoopCopy)
	fmt.Printf("%.1f GB/s\n", bw/1e9)
}

func ExamplePeakRSS() {
	fmt.Printf("peak resident memory %d MiB\n", PeakRSS()>>20) // 0 where /proc is missing
}
