package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// progressFlag selects how a batch reports progress.
func progressFlag() cli.Flag {
	return &cli.StringFlag{Name: "progress", Value: "auto",
		Usage: "`MODE` of progress reports on stderr: auto (a bar on a terminal, nothing otherwise), json (one JSON line per finished run), none"}
}

func shardFlag() cli.Flag {
	return &cli.StringFlag{Name: "shard", Usage: "run only shard `I/N` of the runs: those whose number u has u mod N = I (runs are numbered by point, then arm, then replication); join the shards with smesim merge"}
}

func sweepCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run every point of a scenario's [sweep] × arm × replication and write sweep.csv",
		ArgsUsage: "FILE|BUILTIN",
		Description: "Runs each point of the scenario's [sweep] (its parameters' grid or Latin hypercube; one point\n" +
			"without [sweep]) for every arm and replication. Every finished run is kept in DIR/units, so\n" +
			"running the same command again into the same --out resumes an interrupted sweep: Ctrl-C (or\n" +
			"SIGTERM) keeps what is finished and nothing half-written. Another smesim writing into the same\n" +
			"DIR meanwhile is refused. When every run is done it writes DIR/sweep.csv (one row per point, arm\n" +
			"and metric, with the mean and 95% interval over replications) and DIR/points/<k>/ (the files\n" +
			"of smesim run for point k). With --shard only a share of the runs is done, for a cluster's\n" +
			"job array; smesim merge joins the shards. The files are the same bytes whatever the workers,\n" +
			"shards and restarts.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "batch directory `DIR`: new, empty, or holding this sweep to resume",
				DefaultText: defaultOutRoot + "/<scenario name>-sweep-<YYYYMMDD-HHMMSS>"},
			replicationsFlag("`N` Monte Carlo replications per point and arm (1 to 100000)"),
			workersFlag("runs"),
			&cli.StringFlag{Name: "arms", Usage: "comma-separated `LIST` of arms, as for smesim run", DefaultText: "the scenario's arms"},
			threadsFlag(),
			recordFlag(),
			formatFlag(),
			shardFlag(),
			progressFlag(),
			plotsFlag(),
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			opts, err := batchOptionsOf(c)
			if err != nil {
				return err
			}
			record, err := recordOf(c)
			if err != nil {
				return err
			}
			format, err := formatOf(c)
			if err != nil {
				return err
			}
			var override func(*config.Config) (bool, error)
			if record != "" || format != "" {
				override = func(cfg *config.Config) (bool, error) {
					return true, applyOverrides(cfg, runOptions{record: record, format: format})
				}
			}
			return runBatch(c.Context, e, batch.KindSweep, arg, opts, override)
		},
	}
}

func mergeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "join the shards of a sweep, run or sensitivity run into the files an unsharded run writes",
		ArgsUsage: "DIR...",
		Description: "Each DIR is the --out of one shard (smesim sweep or run with --shard). The shards must\n" +
			"hold runs of the same batch and together every run of it. --out receives what an unsharded\n" +
			"run writes: for a sweep a batch directory with sweep.csv and points/, for a run the files of\n" +
			"smesim run, for a sensitivity run its design, outputs, indices and figures.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "directory `DIR` to create; it must not exist or be empty (required)"},
			plotsFlag(),
		},
		Action: func(c *cli.Context) error {
			if err := requireFlag(c, "out", "DIR"); err != nil {
				return err
			}
			if c.NArg() == 0 {
				return badInputf("merge needs at least one shard directory")
			}
			formats, err := plotFormats(c)
			if err != nil {
				return err
			}
			return runMerge(c.Context, e, c.String("out"), c.Args().Slice(), formats, c.IsSet("plots"))
		},
	}
}

// batchOptions are the flags shared by sweep and sharded runs.
type batchOptions struct {
	out          string
	replications *int
	workers      int
	threads      int
	arms         []string
	shard        batch.Shard
	sharded      bool
	progress     string
	plots        []string
}

func batchOptionsOf(c *cli.Context) (batchOptions, error) {
	opts := batchOptions{out: c.String("out"), workers: c.Int("workers"), shard: batch.Whole}
	var err error
	if c.IsSet("plots") || c.String("plots") != "" { // a command without figures has no --plots
		if opts.plots, err = plotFormats(c); err != nil {
			return opts, err
		}
	}
	if c.IsSet("replications") {
		v := c.Int("replications")
		if v < 1 || v > 100000 {
			return opts, badInputf("--replications %d: must be between 1 and 100000", v)
		}
		opts.replications = &v
	}
	if c.IsSet("workers") && opts.workers < 1 {
		return opts, badInputf("--workers %d: must be at least 1", opts.workers)
	}
	if opts.threads, err = threadsOf(c); err != nil {
		return opts, err
	}
	if c.IsSet("arms") {
		opts.arms = parseArms(c.String("arms"))
	}
	if c.IsSet("shard") {
		s, err := batch.ParseShard(c.String("shard"))
		if err != nil {
			return opts, badInputf("--%w", err)
		}
		opts.shard, opts.sharded = s, true
	}
	if opts.progress, err = progressOf(c); err != nil {
		return opts, err
	}
	return opts, nil
}

// progressOf returns the --progress mode.
func progressOf(c *cli.Context) (string, error) {
	switch v := c.String("progress"); v {
	case "auto", "json", "none":
		return v, nil
	default:
		return "", badInputf("--progress %s: allowed auto, json, none", clip(v))
	}
}

// planOf builds the plan of a batch of kind on cfg: its sweep points (one
// point for a run), arms and replications; and for a sweep, its resolved
// sweep.
func planOf(kind string, cfg *config.Config, arms []string, label string) (*batch.Plan, *scenarios.Sweep, error) {
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	// The batch directory holds copies of the input files and its
	// scenario.toml names them, so that its runs can be merged wherever
	// it is; the batch is identified by that scenario.
	identity, copies := batchScenario(cfg)
	identityTOML := scenarioTOML
	if identity != cfg {
		if identityTOML, err = scenarios.Encode(identity); err != nil {
			return nil, nil, fmt.Errorf("encoding the resolved scenario: %w", err)
		}
	}
	resolved, err := cfg.ResolveArms(arms)
	if err != nil {
		if arms != nil {
			return nil, nil, badInputf("--arms: %w", err)
		}
		return nil, nil, badInput(err)
	}
	plan := &batch.Plan{Kind: kind, Arms: resolved, Reps: max(cfg.Replications, 1), Scenario: identityTOML, Copies: copies}
	if kind == batch.KindRun {
		plan.Points = []batch.Point{{Index: 0, Config: cfg, Scenario: scenarioTOML}}
		return plan, nil, nil
	}
	sw, err := scenarios.NewSweep(cfg, label)
	if err != nil {
		return nil, nil, badInput(err)
	}
	plan.Keys = scenarios.SweepKeys(cfg)
	// The points' scenarios are built as they run and are written, not
	// all at once: a grid may have a million points.
	plan.Points = make([]batch.Point, sw.Len())
	for i := range plan.Points {
		plan.Points[i].Index = i
	}
	plan.Build = func(i int) *config.Config { return sw.Point(i).Config }
	plan.Encode = scenarios.Encode
	plan.Values = sw.Values
	return plan, sw, nil
}

// checkSweepMemory refuses a sweep whose largest point does not fit: every
// point's runs are estimated with workers at once, and the largest
// estimate, over the extremes of the parameters (see
// scenarios.Sweep.Extremes), is checked, since the estimate grows with
// each number of the scenario.
func checkSweepMemory(cfg *config.Config, sw *scenarios.Sweep, workers, runs int) error {
	if sw == nil {
		return checkMemory(cfg, workers, runs)
	}
	var worst memoryEstimate
	var worstValues []string
	err := sw.Extremes(func(values []string, c *config.Config) error {
		if est := estimateMemory(c, min(workers, runs), runs); worstValues == nil || est.Total > worst.Total {
			worst, worstValues = est, values
		}
		return nil
	})
	if err != nil {
		return err
	}
	what := fmt.Sprintf("scenario %q", cfg.Name)
	if keys := scenarios.SweepKeys(cfg); len(keys) > 0 {
		parts := make([]string, len(keys))
		for j, k := range keys {
			parts[j] = k + " = " + worstValues[j]
		}
		what = fmt.Sprintf("the largest point of scenario %q (%s)", cfg.Name, strings.Join(parts, ", "))
	}
	return checkEstimate(what, worst)
}

// inputsOf hashes the files cfg names, which identify its batch with the
// scenario (see batch.Plan.Inputs): by the names of their copies in the
// batch directory where it holds copies, so that the identity does not
// depend on where the files are.
func inputsOf(cfg *config.Config) ([]results.Input, error) {
	var in []results.Input
	var err error
	if _, copies := batchScenario(cfg); len(copies) > 0 {
		in, err = batch.HashCopies(copies)
	} else {
		var named []string
		for _, f := range results.InputFiles(cfg) {
			named = append(named, f.Named)
		}
		in, err = batch.HashInputs(cfg.Dir, named)
	}
	if err != nil {
		return nil, badInput(err)
	}
	return in, nil
}

// batchScenario returns cfg as a batch directory records it, naming the
// copies of the files it reads that the directory holds (those of
// results.InputFiles, in results.InputDir: a file network's, an IO table,
// damage tables), and the copies to make; cfg itself and no copies when
// it reads no files, or when its sweep varies which files it reads (those
// are read where the scenario names them).
func batchScenario(cfg *config.Config) (*config.Config, []batch.FileCopy) {
	files := results.InputFiles(cfg)
	if len(files) == 0 {
		return cfg, nil
	}
	for _, p := range cfg.Sweep.Parameters {
		switch {
		case p.Key == "network.generator", p.Key == "network.format", strings.HasSuffix(p.Key, "_file"):
			return cfg, nil
		}
	}
	copies := make([]batch.FileCopy, len(files))
	for i, f := range files {
		copies[i] = batch.FileCopy{From: f.Source, To: f.Name}
	}
	return results.Relocated(cfg), copies
}

// runFromCopies makes the runs of plan, whose batch directory is dir, read
// the copies of their input files that dir holds (see batchScenario):
// the files hashed into the batch's identity, which an edit of the
// originals while the batch runs cannot change under it.
func runFromCopies(plan *batch.Plan, dir string) error {
	if len(plan.Copies) == 0 {
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// Only the file names and the directory differ.
	local := func(c *config.Config) *config.Config {
		cc := *results.Relocated(c)
		cc.Dir = abs
		return &cc
	}
	for i := range plan.Points {
		if c := plan.Points[i].Config; c != nil {
			plan.Points[i].Config = local(c)
		}
	}
	if build := plan.Build; build != nil {
		plan.Build = func(i int) *config.Config {
			return local(build(i)) // a new configuration, the point's own
		}
	}
	return nil
}

// runBatch runs a sweep, or a shard of a sweep or of a run, into its batch
// directory, resuming what is there.
// override, if not nil, applies further flags to the scenario and reports
// whether it changed anything.
func runBatch(ctx context.Context, e *env, kind, arg string, opts batchOptions, override func(*config.Config) (bool, error)) error {
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	changed := false
	if override != nil {
		if changed, err = override(cfg); err != nil {
			return err
		}
	}
	if opts.replications != nil {
		cfg.Replications = *opts.replications
		changed = true
	}
	if changed {
		if err := scenarios.Validate(cfg, scenarioLabel(arg)+" (with the flags' overrides)"); err != nil {
			return badInput(err)
		}
	}
	plan, sw, err := planOf(kind, cfg, opts.arms, scenarioLabel(arg))
	if err != nil {
		return err
	}
	if plan.Inputs, err = inputsOf(cfg); err != nil {
		return err
	}
	workersAtOnce := workersOrCPUs(opts.workers)
	// A sweep holds one point's results at a time when it writes them.
	if err := checkSweepMemory(cfg, sw, workersAtOnce, len(plan.Arms)*plan.Reps); err != nil {
		return err
	}
	store, out, err := openBatch(opts.out, cfg.Name+"-"+kind, plan)
	if err != nil {
		return err
	}
	defer store.Close()
	workers := workersOrCPUs(opts.workers)
	report, finish := batchProgress(e.stderr, opts.progress)
	interrupted := func(ran int) error {
		return &interruptError{fmt.Sprintf("interrupted; the finished runs are kept in %s (%d run now): the same command (with --out %s) resumes from them",
			out, ran, out), ctx.Err()}
	}
	ran, err := batch.Execute(ctx, plan, store, batch.Options{Workers: workers, Threads: opts.threads, Shard: opts.shard, Progress: report})
	finish(err == nil)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(ran)
		}
		return err
	}
	meta := results.Meta{Version: smesimVersion(), Command: commandLine(e.args), Seed: cfg.Seed, Format: cfg.Output.Format, Demography: cfg.Demography.On()}
	if opts.sharded {
		fmt.Fprintf(e.stdout, "shard %s of %q: its %d of the %d runs are in %s (%d run now); when every shard is done: smesim merge --out RESULT SHARD-DIR...\n",
			opts.shard, cfg.Name, shardSize(plan.Runs(), opts.shard), plan.Runs(), out, ran)
		return nil
	}
	src, err := batch.Collect(plan, []*batch.Store{store})
	if err != nil {
		return err
	}
	// Writing the points reads the runs one at a time, which a signal
	// stops at the next run.
	store.StopOn(ctx)
	if err := batch.WriteSweep(store, src, meta); err != nil {
		if ctx.Err() != nil {
			return interrupted(ran)
		}
		return err
	}
	if ctx.Err() != nil {
		return interrupted(ran)
	}
	if err := untilInterrupted(ctx, out, func() error { return writeSweepFigures(out, opts.plots) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d points × %d arms × %d replications = %d runs (%d run now, %d already done)\n",
		filepath.Join(out, batch.SweepFile), len(plan.Points), len(plan.Arms), plan.Reps, plan.Runs(), ran, shardSize(plan.Runs(), opts.shard)-ran)
	return nil
}

func shardSize(runs int, s batch.Shard) int {
	n := 0
	for u := 0; u < runs; u++ {
		if s.Has(u) {
			n++
		}
	}
	return n
}

// runMerge joins shard directories. A signal stops it at the next run
// read, leaving nothing at out.
func runMerge(ctx context.Context, e *env, out string, dirs []string, formats []string, plotsSet bool) error {
	out, err := resolveOut(out)
	if err != nil {
		return err
	}
	var stores []*batch.Store
	for _, d := range dirs {
		s, err := batch.Open(d)
		if err != nil {
			return badInput(err)
		}
		s.StopOn(ctx)
		stores = append(stores, s)
	}
	interrupted := func() error { return &interruptError{"interrupted; nothing was written", ctx.Err()} }
	m := stores[0].Manifest()
	if m.Kind == batch.KindSensitivity {
		return mergeSensitivity(ctx, e, out, stores, dirs, formats)
	}
	if m.Kind == kindFrontier {
		return mergeFrontier(ctx, e, out, stores, dirs, formats)
	}
	if m.Kind == kindOptimise {
		return badInputf("%s: a stage of smesim optimise: its shards share one --out, and the same command without --shard joins them", dirs[0])
	}
	if m.Kind == kindAtlas {
		return badInputf("%s: knock-outs of smesim atlas: join their shards with smesim atlas, the same flags and --merge SHARD-OUT,...", dirs[0])
	}
	data, err := stores[0].Scenario()
	if err != nil {
		return badInput(err)
	}
	name := filepath.Join(dirs[0], batch.ScenarioFile)
	cfg, err := scenarios.Parse(name, data, dirs[0])
	if err != nil {
		return badInput(err)
	}
	plan, _, err := planOf(m.Kind, cfg, m.Arms, name)
	if err != nil {
		return err
	}
	// The shards were run on the files their manifests name: the first
	// shard's stand for the batch, and Collect refuses shards of others.
	plan.Inputs = m.Inputs
	src, err := batch.Collect(plan, stores)
	if err != nil {
		return badInput(err)
	}
	meta := results.Meta{Version: smesimVersion(), Command: commandLine(e.args), Seed: cfg.Seed, Format: cfg.Output.Format, Demography: cfg.Demography.On()}
	if m.Kind == batch.KindRun {
		if err := results.CheckFree(out); err != nil {
			return badInput(err)
		}
		if formats, err = figureFormats(cfg, formats, plotsSet); err != nil {
			return err
		}
		release, err := lockOut(out)
		if err != nil {
			return err
		}
		defer release()
		if _, err := batch.WriteRun(out, src, meta, func(tmp string) error {
			return untilInterrupted(ctx, tmp, func() error { return writeRunFigures(tmp, formats, nil) })
		}); err != nil {
			if ctx.Err() != nil {
				return interrupted()
			}
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s: %d shards, %d runs\n", out, len(dirs), plan.Runs())
		return nil
	}
	if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	dst, err := batch.Create(out, plan)
	if err != nil {
		return badInput(err)
	}
	defer dst.Close()
	dst.StopOn(ctx)
	if err := batch.WriteSweep(dst, src, meta); err != nil {
		if ctx.Err() != nil {
			// out was created empty: it holds a partial copy, which
			// the same command cannot resume into; remove it.
			dst.Close()
			os.RemoveAll(out)
			return interrupted()
		}
		return err
	}
	if ctx.Err() != nil {
		dst.Close()
		os.RemoveAll(out)
		return interrupted()
	}
	if err := untilInterrupted(ctx, out, func() error { return writeSweepFigures(out, formats) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d shards, %d runs\n", filepath.Join(out, batch.SweepFile), len(dirs), plan.Runs())
	return nil
}

// batchProgress returns a batch.Options.Progress callback for mode and a
// function to call at the end.
func batchProgress(w io.Writer, mode string) (func(batch.Progress), func(bool)) {
	switch mode {
	case "none":
		return nil, func(bool) {}
	case "json":
		enc := json.NewEncoder(w)
		return func(p batch.Progress) {
			enc.Encode(struct {
				Event   string  `json:"event"`
				Done    int     `json:"done"`
				Total   int     `json:"total"`
				Skipped int     `json:"skipped"`
				Run     int     `json:"run"`
				Point   int     `json:"point"`
				Arm     string  `json:"arm"`
				Rep     int     `json:"replication"`
				Seconds float64 `json:"seconds"`
			}{"run", p.Done, p.Total, p.Skipped, p.Run, p.Point, p.Arm, p.Rep, p.Seconds})
		}, func(bool) {}
	}
	var bar *progress
	return func(p batch.Progress) {
			if bar == nil {
				bar = newProgress(w, p.Total)
			}
			bar.update(p.Done, p.Total)
		}, func(ok bool) {
			if bar != nil {
				bar.finish(ok)
			}
		}
}

// openBatch opens the batch directory of plan: --out (outFlag) or, when
// it is empty, a new directory named after name under the default root.
// Holding its lock, the plan's runs read the batch's copies of its input
// files (runFromCopies). A directory that cannot hold the batch is bad
// input.
func openBatch(outFlag, name string, plan *batch.Plan) (*batch.Store, string, error) {
	out, err := resolveOut(outFlag)
	if err != nil {
		return nil, "", err
	}
	if out == "" {
		if out, err = defaultOutDir(defaultOutRoot, name, time.Now()); err != nil {
			return nil, "", err
		}
	}
	store, err := batch.Create(out, plan)
	if err != nil {
		return nil, "", badInput(err)
	}
	if err := runFromCopies(plan, out); err != nil {
		store.Close()
		return nil, "", err
	}
	return store, out, nil
}
