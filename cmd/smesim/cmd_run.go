package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/results"
)

// runOptions are the flags of smesim run. A nil override leaves the
// scenario's value.
type runOptions struct {
	out          string
	seed         *uint64
	steps        *int
	replications *int
	workers      int       // 0: number of CPUs
	now          time.Time // for the default output directory name
}

// DefaultOutRoot is the directory under which run puts its result
// directories when --out is not given.
const defaultOutRoot = "smesim-out"

func runCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a scenario's Monte Carlo replications and write a result directory",
		ArgsUsage: "[FILE|BUILTIN]",
		Description: "Runs the scenario in FILE, or the built-in scenario BUILTIN (default: \"default\"; see\n" +
			"'smesim scenarios'), and writes a new result directory holding scenario.toml (the fully\n" +
			"resolved scenario, after the flags below), timeseries.csv, firms.csv, events.csv,\n" +
			"summary.json and meta.json. The directory appears only when complete: an error or Ctrl-C\n" +
			"leaves nothing behind. The same scenario and seed give byte-identical files (meta.json\n" +
			"aside, which records the command line) whatever the number of workers.\n\n" +
			"Flags override the scenario only when given, and may follow FILE: smesim run my.toml --seed 9",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "result directory `DIR` to create; it must not exist or be empty",
				DefaultText: defaultOutRoot + "/<scenario name>-<YYYYMMDD-HHMMSS>"},
			&cli.Uint64Flag{Name: "seed", Usage: "base `N` of every random stream (0 to 9223372036854775807)", DefaultText: "the scenario's seed"},
			&cli.IntFlag{Name: "steps", Usage: "number `N` of steps to simulate, each of the scenario's step length (1 to 100000)", DefaultText: "the scenario's steps"},
			&cli.IntFlag{Name: "replications", Aliases: []string{"r"}, Usage: "`N` Monte Carlo replications (1 to 100000)", DefaultText: "the scenario's replications"},
			&cli.IntFlag{Name: "workers", Aliases: []string{"w"}, Usage: "`N` replications run in parallel (at least 1); the results do not depend on it", DefaultText: "number of CPUs"},
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			opts := runOptions{out: c.String("out"), workers: c.Int("workers"), now: time.Now()}
			if c.IsSet("seed") {
				v := c.Uint64("seed")
				opts.seed = &v
			}
			if c.IsSet("steps") {
				v := c.Int("steps")
				opts.steps = &v
			}
			if c.IsSet("replications") {
				v := c.Int("replications")
				opts.replications = &v
			}
			if c.IsSet("workers") && opts.workers < 1 {
				return badInputf("--workers %d: must be at least 1", opts.workers)
			}
			return runRun(c.Context, e, opts, arg)
		},
	}
}

// runRun opens the scenario, applies the overrides, runs it and writes the
// result directory.
func runRun(ctx context.Context, e *env, opts runOptions, arg string) error {
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	if err := applyOverrides(cfg, opts); err != nil {
		return err
	}
	if opts.seed != nil || opts.steps != nil || opts.replications != nil {
		if err := scenarios.Validate(cfg, scenarioLabel(arg)+" (with the flags' overrides)"); err != nil {
			return badInput(err)
		}
	}
	out := opts.out
	if out == "" {
		out = defaultOutDir(defaultOutRoot, cfg.Name, opts.now)
	} else if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	workers := opts.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	bar := newProgress(e.stderr, cfg.Replications)
	rs, err := sim.Run(ctx, cfg, sim.RunOptions{Workers: workers, Progress: bar.update})
	bar.finish(err == nil)
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted, nothing written: %w", ctx.Err())
	}
	if err != nil {
		return err
	}
	meta := results.Meta{Version: smesimVersion(), Command: commandLine(e.args), Seed: cfg.Seed}
	if err := results.WriteDir(out, scenarioTOML, rs, meta); err != nil {
		return err
	}
	printRunSummary(e.stdout, out, cfg, rs)
	return nil
}

// commandLine returns the command line for meta.json, with the program
// named "smesim" rather than by its path (which under go run is a fresh
// temporary directory every time).
func commandLine(args []string) []string {
	out := []string{"smesim"}
	if len(args) > 1 {
		out = append(out, args[1:]...)
	}
	return out
}

// applyOverrides sets the flags' values on cfg and checks them.
func applyOverrides(cfg *sim.Config, opts runOptions) error {
	if opts.seed != nil {
		if *opts.seed > 1<<63-1 {
			return badInputf("--seed %d: must be at most %d", *opts.seed, int64(1<<63-1))
		}
		cfg.Seed = *opts.seed
	}
	if opts.steps != nil {
		if *opts.steps < 1 || *opts.steps > 100000 {
			return badInputf("--steps %d: must be between 1 and 100000", *opts.steps)
		}
		cfg.Steps = *opts.steps
	}
	if opts.replications != nil {
		if *opts.replications < 1 || *opts.replications > 100000 {
			return badInputf("--replications %d: must be between 1 and 100000", *opts.replications)
		}
		cfg.Replications = *opts.replications
	}
	return nil
}

// defaultOutDir returns root/<name>-<YYYYMMDD-HHMMSS>, with -2, -3, … added
// if that is taken.
func defaultOutDir(root, name string, now time.Time) string {
	base := filepath.Join(root, safeName(name)+"-"+now.Format("20060102-150405"))
	dir := base
	for k := 2; ; k++ {
		if _, err := os.Lstat(dir); os.IsNotExist(err) {
			return dir
		}
		dir = base + "-" + strconv.Itoa(k)
	}
}

// safeName keeps letters, digits, '.', '_' and '-' of a scenario name for
// use in a directory name.
func safeName(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, name)
	s = strings.Trim(s, ".-")
	if s == "" {
		return "scenario"
	}
	return s
}

func printRunSummary(w io.Writer, out string, cfg *sim.Config, rs []*sim.Result) {
	firms := 0
	if len(rs) > 0 && rs[0].Network != nil {
		firms = rs[0].Network.N()
	}
	fmt.Fprintf(w, "wrote %s\n", out)
	fmt.Fprintf(w, "scenario %q: %d firms, %d steps of %s, %d %s\n",
		cfg.Name, firms, cfg.Steps, cfg.Step, cfg.Replications, plural(cfg.Replications, "replication"))
	sum := results.Summarize(rs)
	for _, a := range sum.Arms {
		label := a.Arm
		if label == "" {
			label = "results"
		}
		fail, _ := a.Headline.Get(results.Failures)
		sme, _ := a.Headline.Get(results.SMEFailures)
		core, _ := a.Headline.Get(results.CoreFailures)
		casc, _ := a.Headline.Get(results.LargestCascade)
		fmt.Fprintf(w, "%s: failures %s (SME %s, core %s); largest cascade %s firms\n",
			label, fmtStat(fail), fmtNum(sme.Mean), fmtNum(core.Mean), fmtStat(casc))
	}
	if len(sum.Arms) > 0 && cfg.Replications > 1 {
		fmt.Fprintf(w, "(means over replications, with 95%% intervals; details in %s)\n", filepath.Join(out, results.SummaryFile))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// fmtNum writes a whole number as such, others with 3 significant digits
// after the point at most.
func fmtNum(v float64) string {
	switch {
	case v != v:
		return "n/a"
	case v == float64(int64(v)):
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func fmtStat(s results.Stat) string {
	if s.N < 2 || s.Lo != s.Lo || s.Lo == s.Hi {
		return fmtNum(s.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", fmtNum(s.Mean), fmtNum(s.Lo), fmtNum(s.Hi))
}

// progress is a terminal progress bar over replications, or nothing.
type progress struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

// newProgress returns a progress bar on w when w is a terminal, CI is not
// set and there are several replications; otherwise a silent one.
func newProgress(w io.Writer, total int) *progress {
	if total < 2 || os.Getenv("CI") != "" || !isTerminal(w) {
		return &progress{}
	}
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond))
	bar := p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("replications "), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name(" "), decor.Elapsed(decor.ET_STYLE_GO)),
	)
	return &progress{p: p, bar: bar}
}

// update is a sim.RunOptions.Progress callback.
func (pr *progress) update(done, total int) {
	if pr.bar == nil {
		return
	}
	pr.bar.SetTotal(int64(total), false)
	pr.bar.SetCurrent(int64(done))
}

// finish completes the bar (or drops it when the run failed) and waits for
// its last render.
func (pr *progress) finish(ok bool) {
	if pr.p == nil {
		return
	}
	if ok {
		pr.bar.SetTotal(-1, true)
	} else {
		pr.bar.Abort(true)
	}
	pr.p.Wait()
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
