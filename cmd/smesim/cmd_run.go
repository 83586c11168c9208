package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// runOptions are the flags of smesim run. A nil override leaves the
// scenario's value.
type runOptions struct {
	out          string
	seed         *uint64
	steps        *int
	replications *int
	workers      int                   // 0: number of CPUs
	threads      int                   // 0: the CPUs divided among the workers
	plots        []string              // figure formats; none: no figures, no report
	arms         []string              // --arms; nil: the scenario's arms
	record       string                // --record: "full" or "aggregate"; "": the scenario's output.record
	format       string                // --format: "csv", "parquet" or "both"; "": the scenario's output.format
	plotsSet     bool                  // --plots was given (not its default)
	progress     string                // --progress: auto, json or none
	onProgress   func(batch.Progress)  // instead of --progress: smesim serve's page
	onFigures    func(plotsDir string) // smesim serve's page: the figures are drawn, the report not yet
	posterior    string                // --posterior: a posterior file to draw the parameters from (cmd_posterior.go)
	now          time.Time             // for the default output directory name
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
			"summary.json and meta.json. The directory appears only when complete. Until then the\n" +
			"finished runs are kept in a hidden sibling, .DIR.partial: after Ctrl-C (or SIGTERM), or an\n" +
			"error in writing the files, the same command resumes from them, and removes .DIR.partial\n" +
			"when done; if no run had finished, nothing is left behind. Another smesim writing into the\n" +
			"same DIR meanwhile is refused. The same scenario and seed give byte-identical files\n" +
			"(meta.json aside, which records the command line) whatever the number of workers or threads.\n\n" +
			"A scenario with interventions runs several arms: the baseline (no intervention) and, by\n" +
			"default, each intervention alone and all of them together, every arm on the same random\n" +
			"draws, replication by replication. After the run a table shows per arm the mean failures,\n" +
			"jobs lost and fiscal cost (a net gain to the state as \"saves X net\"), the firms and jobs\n" +
			"saved against the baseline (± the half-width of a 95% interval over the paired\n" +
			"replications), the fiscal cost per firm and per job saved with its 95% Fieller interval\n" +
			"(\"not significant\" when the firms saved are not significantly above 0, \"n/a\" when none\n" +
			"are saved on average) and the deadweight: the share of the spending that went to firms\n" +
			"that survive in the baseline too. summary.json holds these and more.\n\n" +
			"Flags override the scenario only when given, and may follow FILE: smesim run my.toml --seed 9",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "result directory `DIR` to create; it must not exist or be empty",
				DefaultText: defaultOutRoot + "/<scenario name>-<YYYYMMDD-HHMMSS>"},
			&cli.Uint64Flag{Name: "seed", Usage: "base `N` of every random stream (0 to 9223372036854775807)", DefaultText: "the scenario's seed"},
			&cli.IntFlag{Name: "steps", Usage: "number `N` of steps to simulate, each of the scenario's step length (1 to 100000)", DefaultText: "the scenario's steps"},
			replicationsFlag("`N` Monte Carlo replications (1 to 100000)"),
			workersFlag("replications run"),
			&cli.StringFlag{Name: "arms", Usage: "comma-separated `LIST` of arms to run: intervention names, names joined by \"+\" (scf+loans) or \"all\"; the baseline always runs",
				DefaultText: "the scenario's arms: the baseline, each intervention alone and all together"},
			threadsFlag(),
			recordFlag(),
			formatFlag(),
			shardFlag(),
			progressFlag(),
			plotsFlag(),
			posteriorFlag(),
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			opts := runOptions{out: c.String("out"), workers: c.Int("workers"), now: time.Now()}
			if opts.threads, err = threadsOf(c); err != nil {
				return err
			}
			if opts.record, err = recordOf(c); err != nil {
				return err
			}
			if opts.format, err = formatOf(c); err != nil {
				return err
			}
			opts.plotsSet = c.IsSet("plots")
			if opts.plots, err = plotFormats(c); err != nil {
				return err
			}
			if opts.progress, err = progressOf(c); err != nil {
				return err
			}
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
			if c.IsSet("arms") {
				opts.arms = parseArms(c.String("arms"))
			}
			if c.IsSet("posterior") {
				if opts.posterior, err = posteriorOf(c); err != nil {
					return err
				}
				return runPosterior(c.Context, e, opts, arg)
			}
			if c.IsSet("shard") {
				bo, err := batchOptionsOf(c)
				if err != nil {
					return err
				}
				if bo.out == "" {
					return badInputf("--shard needs --out: the shard's directory, which smesim merge reads")
				}
				return runBatch(c.Context, e, batch.KindRun, arg, bo, func(cfg *config.Config) (bool, error) {
					o := opts
					o.replications = nil // batchOptions applies it
					return o.seed != nil || o.steps != nil || o.record != "" || o.format != "", applyOverrides(cfg, o)
				})
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
	warnNormalised(e, cfg)
	if err := applyOverrides(cfg, opts); err != nil {
		return err
	}
	if opts.seed != nil || opts.steps != nil || opts.replications != nil || opts.record != "" || opts.format != "" {
		if err := scenarios.Validate(cfg, scenarioLabel(arg)+" (with the flags' overrides)"); err != nil {
			return badInput(err)
		}
	}
	if opts.plots, err = figureFormats(cfg, opts.plots, opts.plotsSet); err != nil {
		return err
	}
	out := opts.out
	if out == "" {
		if out, err = defaultOutDir(defaultOutRoot, cfg.Name, opts.now); err != nil {
			return err
		}
	} else if out, err = resolveOut(out); err != nil {
		return err
	} else if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	arms, err := cfg.ResolveArms(opts.arms)
	if err != nil {
		if opts.arms != nil {
			return badInputf("--arms: %w", err)
		}
		return badInput(err)
	}
	workers := workersOrCPUs(opts.workers)

	if err := checkMemory(cfg, workers, len(arms)*max(cfg.Replications, 1)); err != nil {
		return err
	}
	// Each finished run is kept in a hidden sibling of out until the
	// result files are written, so that an interrupted run resumes where
	// it stopped when the same command is run again.
	plan := &batch.Plan{Kind: batch.KindRun, Points: []batch.Point{{Config: cfg, Scenario: scenarioTOML}},
		Arms: arms, Reps: max(cfg.Replications, 1), Scenario: scenarioTOML}
	if plan.Inputs, err = inputsOf(cfg); err != nil {
		return err
	}
	partial := partialDir(out)
	if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	store, err := batch.Create(partial, plan)
	if err != nil {
		if errors.Is(err, batch.ErrLocked) {
			return badInput(err)
		}
		if exists(filepath.Join(partial, results.ManifestFile)) {
			return badInputf("%w (an interrupted run of another scenario into --out %s? remove %s or choose another --out)", err, out, partial)
		}
		return badInput(err)
	}
	defer store.Close()
	// Holding the lock on partial, this is the only writer of out: what
	// a killed writer left beside it is stale.
	if err := removeStaleTemps(out); err != nil {
		return err
	}
	report, finish := batchProgress(e.stderr, opts.progress)
	if opts.onProgress != nil {
		report = opts.onProgress
	}
	ran, err := batch.Execute(ctx, plan, store, batch.Options{Workers: workers, Threads: opts.threads, Progress: report})
	finish(err == nil)
	// interrupted reports an interruption, keeping the finished runs if
	// there are any.
	interrupted := func() error {
		done, ferr := store.Finished()
		if ferr != nil || len(done) == 0 {
			os.RemoveAll(partial)
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return &interruptError{fmt.Sprintf("interrupted; %d of %d runs had finished and are kept in %s: the same command (with --out %s) resumes from them, or remove %s",
			len(done), plan.Runs(), partial, out, partial), ctx.Err()}
	}
	if ctx.Err() != nil {
		return interrupted()
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// Storing a run failed (a full disk, say): what is stored can
			// be resumed once the cause is fixed.
			if done, ferr := store.Finished(); ferr == nil && len(done) > 0 {
				return fmt.Errorf("%w; the %d runs finished are kept in %s: run the same command again to resume", err, len(done), partial)
			}
		}
		// A run failed, or nothing was kept: keep nothing (removed
		// while still locked, as below).
		os.RemoveAll(partial)
		return err
	}
	_ = ran
	src, err := batch.Collect(plan, []*batch.Store{store})
	if err != nil {
		return err
	}
	// The runs are read back one at a time as the files are written,
	// which a signal stops at the next run.
	store.StopOn(ctx)
	meta := results.Meta{Version: smesimVersion(), Command: commandLine(e.args), Seed: cfg.Seed, Format: cfg.Output.Format, Demography: cfg.Demography.On()}
	w, err := batch.WriteRun(out, src, meta, func(tmp string) error {
		return untilInterrupted(ctx, tmp, func() error { return writeRunFigures(tmp, opts.plots, opts.onFigures) })
	})
	if err != nil && ctx.Err() != nil {
		return interrupted()
	}
	if err != nil {
		return fmt.Errorf("%w; the %d finished runs are kept in %s: run the same command again to write the results", err, plan.Runs(), partial)
	}
	// Removed while still locked: no other process takes it up meanwhile.
	if err := os.RemoveAll(partial); err != nil {
		return fmt.Errorf("removing %s: %w", partial, err)
	}
	store.Close()
	printRunSummary(e.stdout, out, cfg, w.Firms, w.Pool, w.Summary)
	return nil
}

// lockOut takes, for a writer of the result directory out other than run
// (merge, compare), the lock run holds while it writes out (that of out's
// partial directory), and removes what a killed writer left beside out.
// release drops the lock, and the partial directory unless it holds a
// run's kept runs.
func lockOut(out string) (release func(), err error) {
	partial := partialDir(out)
	l, err := batch.LockDir(partial)
	if err != nil {
		if errors.Is(err, batch.ErrLocked) {
			return nil, badInput(err)
		}
		return nil, err
	}
	if err := removeStaleTemps(out); err != nil {
		l.Release()
		return nil, err
	}
	return func() {
		l.Release()
		os.Remove(partial) // only if empty
	}, nil
}

// resolveOut returns the directory --out names: out itself or, when out
// is a symbolic link, the directory it points to, so that the files are
// written there and the link is kept (rather than replaced by a
// directory).
func resolveOut(out string) (string, error) {
	fi, err := os.Lstat(out)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return out, nil
	}
	target, err := filepath.EvalSymlinks(out)
	if err != nil {
		return "", badInputf("--out %s is a symbolic link whose target cannot be used: %w", out, unwrapPath(err))
	}
	return target, nil
}

// interruptError is the error of a command stopped by a signal: its
// message says what is kept, and it wraps the context's error (exit 130).
type interruptError struct {
	msg string
	err error
}

func (e *interruptError) Error() string { return e.msg }
func (e *interruptError) Unwrap() error { return e.err }

// removeStaleTemps removes the temporary directories a writer of the
// result directory out leaves beside it when it is killed (see
// results.WriteDir: "BASE.tmp-*", and ".BASE.tmp-*" of its check
// that the parent is writable). The caller must be the only writer of
// out: it holds the lock of out's partial directory.
func removeStaleTemps(out string) error {
	parent, base := filepath.Split(filepath.Clean(out))
	if parent == "" {
		parent = "."
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("looking for temporary files beside %s: %w", out, err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), base+".tmp-") || strings.HasPrefix(e.Name(), "."+base+".tmp-") {
			if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
				return fmt.Errorf("removing a temporary directory left beside %s: %w", out, err)
			}
		}
	}
	return nil
}

// parseArms splits the --arms list at commas, trimming spaces around each
// name. Empty names are kept for ResolveArms to reject.
func parseArms(list string) []string {
	names := strings.Split(list, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}

// partialDir is where a run keeps its finished runs until its result
// files are written: a hidden sibling of out.
func partialDir(out string) string {
	out = filepath.Clean(out)
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".partial")
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

// workersFlag is --workers of a command that runs a batch: what says what
// runs in parallel ("runs", "replications run").
func workersFlag(what string) cli.Flag {
	return &cli.IntFlag{Name: "workers", Aliases: []string{"w"}, Usage: "`N` " + what + " in parallel (at least 1); the results do not depend on it", DefaultText: "number of CPUs"}
}

// replicationsFlag is --replications of a command that runs a batch, with
// usage saying what each replication is of.
func replicationsFlag(usage string) cli.Flag {
	return &cli.IntFlag{Name: "replications", Aliases: []string{"r"}, Usage: usage, DefaultText: "the scenario's replications"}
}

// threadsFlag is --threads: threads stepping each replication.
func threadsFlag() cli.Flag {
	return &cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Usage: "`N` threads stepping each replication's phases (at least 1); the results do not depend on it",
		DefaultText: "the number of CPUs divided among the workers"}
}

// threadsOf returns the --threads count, 0 when not given.
func threadsOf(c *cli.Context) (int, error) {
	if !c.IsSet("threads") {
		return 0, nil
	}
	if v := c.Int("threads"); v >= 1 && v <= 1024 {
		return v, nil
	}
	return 0, badInputf("--threads %d: must be between 1 and 1024", c.Int("threads"))
}

// recordFlag overrides the scenario's output.record.
func recordFlag() cli.Flag {
	return &cli.StringFlag{Name: "record", Usage: "`LEVEL` of detail recorded, overriding the scenario's output.record: full (time series, firms.csv and events.csv) or aggregate (time series only: firms.csv and events.csv hold their header only, and no per-firm outcome is kept in memory or on disk)",
		DefaultText: "the scenario's output.record"}
}

// recordOf returns the --record level, "" when not given.
func recordOf(c *cli.Context) (string, error) {
	if !c.IsSet("record") {
		return "", nil
	}
	switch v := c.String("record"); v {
	case "full", "aggregate":
		return v, nil
	default:
		return "", badInputf("--record %q: allowed full, aggregate", v)
	}
}

// formatFlag overrides the scenario's output.format.
func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Usage: "`FORMAT` of the time series, firms and events, overriding the scenario's output.format: csv (timeseries.csv, firms.csv, events.csv), parquet (the same tables as typed, compressed .parquet files, with runs.parquet) or both; runs.csv and summary.json are always written",
		DefaultText: "the scenario's output.format"}
}

// formatOf returns the --format, "" when not given.
func formatOf(c *cli.Context) (string, error) {
	if !c.IsSet("format") {
		return "", nil
	}
	switch v := c.String("format"); v {
	case results.FormatCSV, results.FormatParquet, results.FormatBoth:
		return v, nil
	default:
		return "", badInputf("--format %q: allowed csv, parquet, both", v)
	}
}

// figureFormats returns the figure formats to draw for a run of cfg: the
// figures are drawn from the CSV files, so with output.format = "parquet"
// none are drawn, and --plots given explicitly is refused.
func figureFormats(cfg *config.Config, plots []string, explicit bool) ([]string, error) {
	if cfg.Output.Format != results.FormatParquet || len(plots) == 0 {
		return plots, nil
	}
	if explicit {
		return nil, badInputf("--plots: figures are drawn from the CSV files, which output.format = \"parquet\" does not write: use --format both, or --plots none")
	}
	return nil, nil
}

// applyOverrides sets the flags' values on cfg and checks them.
func applyOverrides(cfg *config.Config, opts runOptions) error {
	if opts.record != "" {
		cfg.Output.Record = opts.record
	}
	if opts.format != "" {
		cfg.Output.Format = opts.format
	}
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

// maxNameLen bounds the scenario name's share of a default output
// directory's name, so that with the date, a "-N" suffix and the ".partial"
// and ".tmp-…" siblings made beside it the name stays far below the 255
// bytes a file name may have.
const maxNameLen = 64

// maxOutTries bounds the "-N" suffixes defaultOutDir tries.
const maxOutTries = 1000

// defaultOutDir returns root/<name>-<YYYYMMDD-HHMMSS>, with -2, -3, … added
// if that is taken. An error other than "does not exist" when looking at a
// candidate (root is a file, say) is bad input naming the path: trying the
// next suffix would meet it again.
func defaultOutDir(root, name string, now time.Time) (string, error) {
	base := filepath.Join(root, safeName(name)+"-"+now.Format("20060102-150405"))
	dir := base
	for k := 2; k <= maxOutTries+1; k++ {
		_, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return dir, nil
		}
		if err != nil {
			return "", badInputf("default output directory %s: %w; give another directory with --out", dir, unwrapPath(err))
		}
		dir = base + "-" + strconv.Itoa(k)
	}
	return "", badInputf("default output directories %s to %s all exist; give another directory with --out", base, dir)
}

// unwrapPath returns the cause of a *fs.PathError, whose path the caller
// names already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// safeName keeps letters, digits, '.', '_' and '-' of a scenario name for
// use in a directory name, cut to maxNameLen bytes.
func safeName(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '-'
	}, name)
	if len(s) > maxNameLen {
		s = s[:maxNameLen] // ASCII only: any cut is a whole character
	}
	s = strings.Trim(s, ".-")
	if s == "" {
		return "scenario"
	}
	return s
}

// printRunSummary prints the output directory, the scenario (with its
// number of firms active at the start, and its entry pool) and a table of
// the arms (see writeArmTable).
func printRunSummary(w io.Writer, out string, cfg *config.Config, firms, pool int, sum results.Summary) {
	fmt.Fprintf(w, "wrote %s\n", out)
	fmt.Fprintf(w, "scenario %q: %d firms%s, %d steps of %s, %d %s, %d %s\n",
		cfg.Name, firms, results.PoolWords(pool), cfg.Steps, cfg.Step, cfg.Replications, plural(cfg.Replications, "replication"),
		len(sum.Arms), plural(len(sum.Arms), "arm"))
	writeArmTable(w, sum, cfg.Currency)
	writeExhausted(w, sum, cfg)
	details := filepath.Join(out, results.SummaryFile)
	if cfg.Replications > 1 {
		fmt.Fprintf(w, "means of %d replications; ± and [ ]: %g%% intervals, paired with the baseline; see %s\n",
			cfg.Replications, 100*sum.Confidence, details)
	} else {
		fmt.Fprintf(w, "one replication: no intervals; see %s\n", details)
	}
}

// writeExhausted notes, once per intervention and in the arm where it
// acts alone (else its first arm), the replications in which its budget
// ran out: where a programme is too small, the table's saving is the
// budget's, not the instrument's.
func writeExhausted(w io.Writer, sum results.Summary, cfg *config.Config) {
	seen := map[string]bool{}
	for pass := 0; pass < 2; pass++ {
		for _, a := range sum.Arms {
			for _, iv := range a.Interventions {
				alone := a.Arm == iv.Name
				if seen[iv.Name] || iv.ExhaustedShare <= 0 || pass == 0 && !alone {
					continue
				}
				seen[iv.Name] = true
				n := int(math.Round(iv.ExhaustedShare * float64(cfg.Replications)))
				days := iv.ExhaustedStep * cfg.Step.Days()
				fmt.Fprintf(w, "%s: budget of %s %s used up in %d of %d %s (arm %s), on average %s days into the run\n",
					iv.Name, results.Compact(iv.Budget), cfg.Currency, n, cfg.Replications, plural(cfg.Replications, "replication"), a.Arm, results.Compact(days))
			}
		}
	}
}

// noEffect fills the effect columns of the baseline.
const noEffect = "—"

// writeArmTable writes one row per arm of sum, aligned by a tabwriter:
// mean failures, jobs lost and fiscal cost (in currency; a net gain to the
// state as "saves X net"), firms and jobs saved against the baseline ± the
// half-width of their intervals, the fiscal cost per firm and per job
// saved with their Fieller intervals ("not significant" when unbounded,
// "n/a" when nothing is saved on average), and the share of the arm's
// spending that went to firms that would have survived anyway (per
// instrument on a line below the table for arms of several). The baseline
// (and any arm without effects) shows noEffect in the effect columns.
func writeArmTable(w io.Writer, sum results.Summary, currency string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header, rows, notes := armTable(sum, currency)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	for _, l := range notes {
		fmt.Fprintln(w, l)
	}
}

// armTable returns the columns and rows of the arm table writeArmTable
// prints, and the lines it prints below (for smesim serve's page too).
func armTable(sum results.Summary, currency string) (header []string, rows [][]string, notes []string) {
	header = []string{"arm", "failures", "jobs lost", "fiscal cost (" + currency + ")", "firms saved", currency + " per firm saved",
		"jobs saved", currency + " per job saved", "deadweight"}
	for _, a := range sum.Arms {
		label := a.Arm
		if label == "" {
			label = "results"
		}
		saved, cost, jobs, perJob, dead := noEffect, noEffect, noEffect, noEffect, noEffect
		if a.Effects != nil {
			saved = a.Effects.Value(results.FirmsSaved).HalfWidthText()
			cost = a.Effects.Value(results.CostPerFirmSaved).CostRatioText()
			jobs = a.Effects.Value(results.JobsSaved).HalfWidthText()
			perJob = a.Effects.Value(results.CostPerJobSaved).CostRatioText()
		}
		if d := a.DeadweightText(); d != "" {
			dead = d
		}
		if l := a.DeadweightLine(); l != "" {
			notes = append(notes, l)
		}
		rows = append(rows, []string{label,
			results.Compact(a.Headline.Value(results.Failures).Mean),
			results.Compact(a.Headline.Value(results.JobsLost).Mean),
			results.NetCostText(a.Headline.Value(results.FiscalCost).Mean),
			saved, cost, jobs, perJob, dead})
	}
	return header, rows, notes
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// workersOrCPUs is --workers n, or the number of CPUs Go uses when n is 0
// (the flag's default).
func workersOrCPUs(n int) int {
	if n == 0 {
		return runtime.GOMAXPROCS(0)
	}
	return n
}
