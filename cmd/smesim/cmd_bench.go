package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/machine"
)

// benchOptions are the flags of smesim bench.
type benchOptions struct {
	firms   []int // network sizes, in order
	threads []int // thread counts, in order
	steps   int
}

// Limits of the bench flags.
const (
	benchMaxFirms = 100_000_000
	benchMaxSteps = 100_000
)

// benchColumns are the columns of the bench table, one token each so that
// the table splits on white space.
var benchColumns = []string{"firms", "edges", "threads", "build_s", "run_s", "steps/s", "firm-steps/s",
	"ns/firm-step", "bytes/step", "floor/step", "peak_rss_MiB", "bandwidth_GB/s", "ratio", "floor_ratio"}

// benchWidths are the widths of the columns (right-aligned, one space
// apart).
var benchWidths = []int{9, 9, 7, 8, 8, 9, 12, 12, 12, 12, 12, 14, 6, 11}

func benchCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "time the engine on networks of 10⁴, 10⁵ and 10⁶ firms against the machine's memory bandwidth",
		Description: "Builds the benchmark scenario (the default core-satellite chains, average degree about 5, daily\n" +
			"steps, finance on, the default demand shock, aggregate recording) at each size of --firms and\n" +
			"steps replication 0 of its baseline with each number of --threads, then prints one row per size\n" +
			"and thread count:\n\n" +
			"  firms, edges, threads   the network and the threads stepping it\n" +
			"  build_s, run_s          seconds to generate the network and set up the engine; to step it\n" +
			"  steps/s, firm-steps/s   steps per second, and firms × steps per second\n" +
			"  ns/firm-step            nanoseconds per firm and step\n" +
			"  bytes/step              the bytes one step reads and writes, by the model's own count\n" +
			"  floor/step              the floor of those bytes: each array a default step touches counted\n" +
			"                          once, twice if read and written (docs/performance.md)\n" +
			"  peak_rss_MiB            the peak resident memory of the whole process during the row (VmHWM)\n" +
			"  bandwidth_GB/s          the memory bandwidth, measured once at the start by a streaming copy\n" +
			"                          dst[i] = src[i] between two 256 MiB arrays with the row's threads\n" +
			"                          (bytes read + written, STREAM's convention): what loops of ordinary\n" +
			"                          loads and stores, like the engine's, can stream. A header line also\n" +
			"                          gives the runtime memmove's rate, whose non-temporal stores skip the\n" +
			"                          read of each destination line that ordinary stores pay.\n" +
			"  ratio                   time per step ÷ (bytes/step ÷ bandwidth): 1 when a step runs at the\n" +
			"                          memory bandwidth, higher when it is slower than that\n" +
			"  floor_ratio             time per step ÷ (floor/step ÷ bandwidth): how far the step is from\n" +
			"                          the fastest step the memory allows\n\n" +
			"\"-\" marks a value that is not known. Lines starting with # describe the machine. A size whose\n" +
			"memory estimate exceeds the memory available is refused before it starts.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "firms", Value: "10000,100000,1000000", Usage: "comma-separated `LIST` of network sizes, in firms (1e6 is accepted)"},
			&cli.StringFlag{Name: "threads", Usage: "comma-separated `LIST` of thread counts: one row per size and count", DefaultText: "number of CPUs"},
			&cli.IntFlag{Name: "steps", Value: 365, Usage: "`N` steps to simulate, of one day each (1 to 100000)"},
		},
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			opts := benchOptions{steps: c.Int("steps")}
			var err error
			if opts.firms, err = parseCounts(c.String("firms"), "--firms", 1, benchMaxFirms); err != nil {
				return err
			}
			opts.threads = []int{runtime.NumCPU()}
			if c.IsSet("threads") {
				if opts.threads, err = parseCounts(c.String("threads"), "--threads", 1, 4096); err != nil {
					return err
				}
			}
			if opts.steps < 1 || opts.steps > benchMaxSteps {
				return badInputf("--steps %d: must be between 1 and %d", opts.steps, benchMaxSteps)
			}
			return runBench(c.Context, e, opts)
		},
	}
}

// parseCounts reads a comma-separated list of whole numbers between lo
// and hi, written as integers or in e-notation (1e6).
func parseCounts(list, flag string, lo, hi int) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		v, err := strconv.Atoi(s)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
				return nil, badInputf("%s %q: %q is not a whole number", flag, list, s)
			}
			v = int(f)
		}
		if v < lo || v > hi {
			return nil, badInputf("%s %q: %d is not between %d and %d", flag, list, v, lo, hi)
		}
		out = append(out, v)
	}
	return out, nil
}

// benchCheckMemory refuses a benchmark size whose memory estimate exceeds
// 90% of the memory available (see machine.Memory).
func benchCheckMemory(cfg *config.Config, firms int) error {
	est := estimateMemory(cfg, 1, 1)
	mem := machine.Memory()
	if mem.Available > 0 && float64(est.Total) > 0.9*float64(mem.Available) {
		return badInputf("--firms %d: the benchmark needs %s, more than the %.1f GiB available (%s): choose fewer firms",
			firms, est, float64(mem.Available)/(1<<30), mem.Limit)
	}
	return nil
}

// runBench measures the memory bandwidth, then runs and prints each size
// and thread count.
func runBench(ctx context.Context, e *env, opts benchOptions) error {
	cfgs := make([]*config.Config, len(opts.firms))
	for i, n := range opts.firms {
		cfgs[i] = config.Bench(n)
		cfgs[i].Steps = opts.steps
		if err := benchCheckMemory(cfgs[i], n); err != nil {
			return err
		}
	}
	spin := newSpinner(e.stderr)
	// The bandwidth with each thread count, measured once, before any
	// network is built; its arrays are returned to the system after.
	size := int64(machine.DefaultBandwidthBytes)
	if avail := availableMemory(); avail > 0 {
		size = max(8<<20, min(size, avail/8))
	}
	bandwidth, memmove := map[int]float64{}, map[int]float64{}
	for _, t := range opts.threads {
		if _, ok := bandwidth[t]; ok {
			continue
		}
		done := spin.start(fmt.Sprintf("measuring the memory bandwidth with %d %s ", t, plural(t, "thread")))
		// The measurement cannot be stopped midway, and writes nothing:
		// a signal returns at once, and the process exits.
		measured := make(chan [2]float64, 1)
		go func() {
			measured <- [2]float64{machine.MeasureBandwidth(size, t, machine.DefaultBandwidthRepeats, machine.LoopCopy),
				machine.MeasureBandwidth(size, t, machine.DefaultBandwidthRepeats, machine.Memmove)}
		}()
		select {
		case m := <-measured:
			bandwidth[t], memmove[t] = m[0], m[1]
		case <-ctx.Done():
		}
		done()
		if err := ctx.Err(); err != nil {
			return &interruptError{"interrupted", err}
		}
	}
	resetErr := machine.ResetPeakRSS()

	w := e.stdout
	cpu := machine.CPUModel()
	if cpu == "" {
		cpu = "unknown"
	}
	fmt.Fprintf(w, "# %s %s/%s, GOMAXPROCS %d, %d CPUs, CPU %s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.GOMAXPROCS(0), runtime.NumCPU(), cpu)
	var bws, mms []string
	for _, t := range sortedKeys(bandwidth) {
		bws = append(bws, fmt.Sprintf("%.1f GB/s with %d %s", bandwidth[t]/1e9, t, plural(t, "thread")))
		mms = append(mms, fmt.Sprintf("%.1f GB/s with %d %s", memmove[t]/1e9, t, plural(t, "thread")))
	}
	fmt.Fprintf(w, "# memory bandwidth (streaming copy dst[i] = src[i] of 2 × %d MiB, bytes read + written, best of %d): %s\n",
		size>>20, machine.DefaultBandwidthRepeats, strings.Join(bws, ", "))
	fmt.Fprintf(w, "# (the runtime's memmove, with non-temporal stores, copies at %s; ratio uses the loop copy)\n", strings.Join(mms, ", "))
	if resetErr != nil {
		fmt.Fprintf(w, "# peak_rss_MiB: since the process started (the peak cannot be reset here: %v)\n", resetErr)
	} else {
		fmt.Fprintf(w, "# peak_rss_MiB: whole process, highest during each row\n")
	}
	fmt.Fprintf(w, "# %d steps of 1d; firms requested: %s (rounded to whole chains of 262 firms)\n", opts.steps, joinInts(opts.firms))
	writeBenchRow(w, benchColumns)

	for i, cfg := range cfgs {
		for _, t := range opts.threads {
			if err := benchCheckMemory(cfg, opts.firms[i]); err != nil {
				return err
			}
			if resetErr == nil {
				machine.ResetPeakRSS()
			}
			done := spin.start(fmt.Sprintf("bench: %d firms, %d %s ", opts.firms[i], t, plural(t, "thread")))
			st, err := bench(ctx, cfg, t)
			done()
			if err != nil && ctx.Err() != nil {
				return &interruptError{"interrupted", ctx.Err()}
			}
			if err != nil {
				return fmt.Errorf("bench: %d firms, %d threads: %w", opts.firms[i], t, err)
			}
			bw, ok := bandwidth[st.Threads] // the engine may use fewer threads than asked
			if !ok {
				bw = bandwidth[t]
			}
			writeBenchRow(w, benchRow(st, machine.PeakRSS(), bw))
		}
	}
	return nil
}

// benchStats are the measurements of one benchmark run.
type benchStats struct {
	Firms, Edges, Steps int
	sim.Timings
}

// firmStepsPerSecond is firms × steps ÷ run time.
func (b benchStats) firmStepsPerSecond() float64 {
	return float64(b.Firms) * float64(b.Steps) / b.Run.Seconds()
}

// bench runs replication 0 of cfg's baseline with threads threads and
// returns its timings: one run of the engine, the build and the steps
// timed apart.
func bench(ctx context.Context, cfg *config.Config, threads int) (benchStats, error) {
	var tm sim.Timings
	r, err := sim.Run(ctx, cfg, config.Arm{Name: config.BaselineArm}, 0, sim.Options{Threads: threads, Timings: &tm})
	if err != nil {
		return benchStats{}, err
	}
	return benchStats{Firms: r.Network.N(), Edges: r.Network.E(), Steps: r.Steps(), Timings: tm}, nil
}

// benchRow formats the row of one measurement (see benchColumns). A
// value that is not known (no bytes count, no peak memory) is "-".
func benchRow(st benchStats, peak int64, bandwidth float64) []string {
	run := st.Run.Seconds()
	perStep := run / float64(max(st.Steps, 1))
	dash := "-"
	bytes, ratio := dash, dash
	if st.BytesPerStep > 0 {
		bytes = strconv.FormatInt(st.BytesPerStep, 10)
		if bandwidth > 0 {
			ratio = fmt.Sprintf("%.2f", perStep/(float64(st.BytesPerStep)/bandwidth))
		}
	}
	floor, floorRatio := dash, dash
	if st.FloorBytesPerStep > 0 {
		floor = strconv.FormatInt(st.FloorBytesPerStep, 10)
		if bandwidth > 0 {
			floorRatio = fmt.Sprintf("%.2f", perStep/(float64(st.FloorBytesPerStep)/bandwidth))
		}
	}
	rss := dash
	if peak > 0 {
		rss = fmt.Sprintf("%.0f", float64(peak)/(1<<20))
	}
	bw := dash
	if bandwidth > 0 {
		bw = fmt.Sprintf("%.1f", bandwidth/1e9)
	}
	return []string{
		strconv.Itoa(st.Firms), strconv.Itoa(st.Edges), strconv.Itoa(st.Threads),
		fmt.Sprintf("%.3f", st.Build.Seconds()), fmt.Sprintf("%.3f", run),
		fmt.Sprintf("%.1f", float64(st.Steps)/run), fmt.Sprintf("%.4g", st.firmStepsPerSecond()),
		fmt.Sprintf("%.2f", perStep/float64(max(st.Firms, 1))*1e9), bytes, floor, rss, bw, ratio, floorRatio,
	}
}

// writeBenchRow writes cells right-aligned in benchWidths, so that rows
// can be printed as they are measured.
func writeBenchRow(w io.Writer, cells []string) {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%*s", benchWidths[i], c)
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func sortedKeys(m map[int]float64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// spinner shows what is being measured, with the time elapsed, on a
// terminal (when CI is not set); elsewhere it does nothing.
type spinner struct{ w io.Writer }

func newSpinner(w io.Writer) spinner {
	if os.Getenv("CI") != "" || !isTerminal(w) {
		return spinner{}
	}
	return spinner{w}
}

// start shows label and returns the function that removes it.
func (s spinner) start(label string) (done func()) {
	if s.w == nil {
		return func() {}
	}
	p := mpb.New(mpb.WithOutput(s.w), mpb.WithWidth(1), mpb.WithRefreshRate(200*time.Millisecond))
	bar := p.New(0, mpb.SpinnerStyle(), mpb.BarRemoveOnComplete(),
		mpb.PrependDecorators(decor.Name(label), decor.Elapsed(decor.ET_STYLE_GO)))
	return func() {
		bar.SetTotal(-1, true)
		p.Wait()
	}
}
