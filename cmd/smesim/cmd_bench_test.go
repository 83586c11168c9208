package main

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smesim/smesim/sim"
)

// TestBench runs a small benchmark and checks that every row of the table
// splits into the columns and that each cell is a number or "-".
func TestBench(t *testing.T) {
	code, out, errs := smesim(t, "bench", "--firms", "2000", "--steps", "10", "--threads", "1,2")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var header []string
	var rows [][]string
	comments := 0
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			comments++
		case header == nil:
			header = strings.Fields(line)
		default:
			rows = append(rows, strings.Fields(line))
		}
	}
	if comments < 3 || !strings.Contains(out, "GOMAXPROCS") || !strings.Contains(out, "memory bandwidth") {
		t.Errorf("machine description missing:\n%s", out)
	}
	if !slices.Equal(header, benchColumns) {
		t.Fatalf("header %q, want %q", header, benchColumns)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2 (one per thread count):\n%s", len(rows), out)
	}
	for k, row := range rows {
		if len(row) != len(benchColumns) {
			t.Fatalf("row %d has %d cells, want %d: %q", k, len(row), len(benchColumns), row)
		}
		cell := map[string]float64{}
		for i, c := range row {
			if c == "-" {
				cell[benchColumns[i]] = math.NaN()
				continue
			}
			v, err := strconv.ParseFloat(c, 64)
			if err != nil {
				t.Errorf("row %d, %s: %q is not a number", k, benchColumns[i], c)
			}
			cell[benchColumns[i]] = v
		}
		if f := cell["firms"]; f < 2000 || f > 2000+262 {
			t.Errorf("row %d: %v firms for 2000 asked", k, f)
		}
		// The engine may use fewer threads than asked on a small network.
		if th := cell["threads"]; th < 1 || th > float64(k+1) {
			t.Errorf("row %d: %v threads, want 1 to %d", k, th, k+1)
		}
		for _, c := range []string{"edges", "run_s", "steps/s", "firm-steps/s", "ns/firm-step", "bandwidth_GB/s"} {
			if !(cell[c] > 0) {
				t.Errorf("row %d: %s = %v, want > 0", k, c, cell[c])
			}
		}
		// firm-steps/s = firms × steps/s, to the 4 digits printed.
		if got, want := cell["firm-steps/s"], cell["firms"]*cell["steps/s"]; math.Abs(got-want) > 2e-3*want {
			t.Errorf("row %d: firm-steps/s %v, firms × steps/s %v", k, got, want)
		}
	}
}

func TestBenchRow(t *testing.T) {
	st := benchStats{Firms: 1000, Edges: 2500, Steps: 100, Timings: sim.Timings{Threads: 4, Build: 250 * time.Millisecond,
		Run: 2 * time.Second, BytesPerStep: 1e8, FloorBytesPerStep: 4e7}}
	// 20 ms per step; 10⁸ bytes at 10¹⁰ B/s take 10 ms: ratio 2; the
	// floor's 4×10⁷ bytes take 4 ms: floor_ratio 5.
	got := benchRow(st, 300<<20, 1e10)
	want := []string{"1000", "2500", "4", "0.250", "2.000", "50.0", "5e+04", "20000.00", "100000000", "40000000", "300", "10.0", "2.00", "5.00"}
	if !slices.Equal(got, want) {
		t.Errorf("row %q\nwant %q", got, want)
	}
	st.BytesPerStep, st.FloorBytesPerStep = 0, 0
	got = benchRow(st, 0, 1e10)
	if got[8] != "-" || got[9] != "-" || got[10] != "-" || got[12] != "-" || got[13] != "-" {
		t.Errorf("unknown bytes and memory: %q, want - in bytes/step, floor/step, peak_rss_MiB, ratio and floor_ratio", got)
	}
}

func TestBenchBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--firms", "0"}, `--firms "0": 0 is not between 1 and 100000000`},
		{[]string{"--firms", "10000,abc"}, `--firms "10000,abc": "abc" is not a whole number`},
		{[]string{"--firms", "2.5e3,1.5"}, `"1.5" is not a whole number`},
		{[]string{"--firms", ""}, `--firms "": "" is not a whole number`},
		{[]string{"--threads", "1,0"}, `--threads "1,0": 0 is not between 1 and 4096`},
		{[]string{"--steps", "0"}, "--steps 0: must be between 1 and 100000"},
		{[]string{"extra"}, "takes no arguments"},
	}
	for _, c := range cases {
		code, out, errs := smesim(t, append([]string{"bench"}, c.args...)...)
		if code != 2 || out != "" {
			t.Errorf("%q: exit %d, stdout %q: want 2 and nothing", c.args, code, out)
		}
		oneErrorLine(t, errs, c.want)
	}
}

// TestBenchRefusesHuge: a size that cannot fit in memory is refused
// before anything is measured or printed.
func TestBenchRefusesHuge(t *testing.T) {
	if availableMemory() == 0 {
		t.Skip("no /proc/meminfo")
	}
	code, out, errs := smesim(t, "bench", "--firms", "2000,1e8", "--steps", "1")
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q: want 2 and nothing", code, out)
	}
	oneErrorLine(t, errs, "--firms 100000000: the benchmark needs about", "GiB available (", "): choose fewer firms")
}

func TestParseCounts(t *testing.T) {
	got, err := parseCounts(" 10000, 1e5 ,1000000", "--firms", 1, benchMaxFirms)
	if err != nil || !slices.Equal(got, []int{10000, 100000, 1000000}) {
		t.Errorf("got %v, %v", got, err)
	}
}
