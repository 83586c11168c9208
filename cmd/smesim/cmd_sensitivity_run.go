package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/plots"
	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/sensitivity"
)

// The files of a sensitivity run, in its batch directory.
const (
	sensDesignFile   = "design.csv"
	sensOutputsFile  = "outputs.csv"
	sensIndicesFile  = "indices.csv"
	sensAnalysisFile = "analysis.json"
	// sensDesignLine starts the comment line that a sensitivity batch's
	// scenario.toml ends with: the design, which with the scenario
	// identifies the batch.
	sensDesignLine = "# smesim sensitivity design: "
)

// maxSensRows bounds the rows of a sensitivity run's design, as
// sweeps bound their points: the batch holds an entry per row.
const maxSensRows = 1_000_000

// sensitivityRunOptions are the flags of smesim sensitivity run.
type sensitivityRunOptions struct {
	sensitivityOptions
	batch   batchOptions
	metrics []string // --metrics; nil: the defaults
	record  string   // --record
}

// analysisOptions are what a sensitivity run analyses of its outputs:
// recorded in its directory (analysis.json) for smesim merge, and not
// part of the batch's identity, so that rerunning a finished run with
// other metrics analyses its runs again.
type analysisOptions struct {
	Metrics   []string `json:"metrics"`
	Bootstrap int      `json:"bootstrap"`
	Level     float64  `json:"level"`
}

func sensitivityRunCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a scenario on a design of its [[uncertain]] parameters and compute sensitivity indices",
		ArgsUsage: "FILE|BUILTIN",
		Description: "Draws a design (sobol: Saltelli's, N(k+2) rows; morris: N trajectories of k+1 rows) from the\n" +
			"scenario's [[uncertain]] parameters and runs every row as a point of a batch: every arm and\n" +
			"replication, all rows on the scenario's seed (common random numbers). Finished runs are kept\n" +
			"in DIR/units: the same command resumes, --shard I/N runs a share, smesim merge joins shards.\n" +
			"Then writes DIR/design.csv (the draws), DIR/outputs.csv (per row, the mean over replications\n" +
			"of each metric), DIR/indices.csv (output, parameter, index, value, lo, hi) and figures, and\n" +
			"prints the indices. Metrics (--metrics): ARM:METRIC, or METRIC alone: a headline metric of the\n" +
			"baseline, or an effect (firms_saved, cost_per_firm_saved, ...) of every other arm.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "method", Value: "sobol", Usage: "`METHOD`: sobol (Saltelli design, Sobol indices) or morris (trajectories, elementary effects)"},
			&cli.IntFlag{Name: "n", Usage: "sobol: `N` base samples (a power of two); morris: N trajectories", DefaultText: "none"},
			&cli.IntFlag{Name: "levels", Value: 4, Usage: "morris: `P` levels of each parameter's grid (even)"},
			jumpFlag(),
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "`S` seeds the design and the bootstrap (the runs use the scenario's seed)"},
			&cli.StringFlag{Name: "metrics", Usage: "comma-separated `LIST` of outputs: ARM:METRIC or METRIC", DefaultText: "baseline:failures and each arm's firms_saved and cost_per_firm_saved"},
			&cli.IntFlag{Name: "bootstrap", Value: 1000, Usage: "`B` bootstrap resamples for the intervals (0: none)"},
			&cli.Float64Flag{Name: "level", Value: 0.95, Usage: "confidence `LEVEL` of the intervals"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "batch directory `DIR`: new, empty, or holding this run to resume",
				DefaultText: defaultOutRoot + "/<scenario name>-sensitivity-<YYYYMMDD-HHMMSS>"},
			replicationsFlag("`N` Monte Carlo replications per row and arm (1 to 100000)"),
			workersFlag("runs"),
			&cli.StringFlag{Name: "arms", Usage: "comma-separated `LIST` of arms, as for smesim run", DefaultText: "the scenario's arms"},
			&cli.StringFlag{Name: "record", Value: "aggregate", Usage: "`LEVEL` recorded by each run: aggregate (time series only, the default here: smaller and faster) or full (firm outcomes and events too, which largest_cascade and mean_cascade_depth need)"},
			threadsFlag(),
			shardFlag(),
			progressFlag(),
			plotsFlag(),
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			if err := requireFlags(c, "n"); err != nil {
				return err
			}
			base, err := sensitivityFlags(c)
			if err != nil {
				return err
			}
			base.n, base.boot, base.level = c.Int("n"), c.Int("bootstrap"), c.Float64("level")
			if base.boot < 0 || base.boot > 100000 {
				return badInputf("--bootstrap %d: must be from 0 to 100000", base.boot)
			}
			if !(base.level > 0 && base.level < 1) {
				return badInputf("--level %v: must be between 0 and 1", base.level)
			}
			opts := sensitivityRunOptions{sensitivityOptions: base}
			if opts.batch, err = batchOptionsOf(c); err != nil {
				return err
			}
			if c.IsSet("metrics") {
				for _, m := range strings.Split(c.String("metrics"), ",") {
					if m = strings.TrimSpace(m); m != "" {
						opts.metrics = append(opts.metrics, m)
					}
				}
				if len(opts.metrics) == 0 {
					return badInputf("--metrics %q: list at least one metric", c.String("metrics"))
				}
			}
			switch opts.record = c.String("record"); opts.record {
			case "full", "aggregate":
			default:
				return badInputf("--record %q: allowed full, aggregate", opts.record)
			}
			return runSensitivityRun(c.Context, e, arg, opts)
		},
	}
}

// sensPlan is a sensitivity run's batch: its design and the plan of its
// runs, one point per design row.
type sensPlan struct {
	cfg    *config.Config
	uncert *scenarios.Uncertain
	design *design
	opts   sensitivityOptions
	plan   *batch.Plan
}

// designRow returns row i of the design, in a new slice.
func (sp *sensPlan) designRow(i int) []float64 {
	rows := newRows(sp.design.blockSize, len(sp.design.names))
	sp.design.fill(i/sp.design.blockSize, rows)
	return rows[i%sp.design.blockSize]
}

// designSpec writes the design's flags, as the scenario.toml of its batch
// records them.
func designSpec(o sensitivityOptions) string {
	s := fmt.Sprintf("method = %s, n = %d, seed = %d", o.method, o.n, o.seed)
	if o.method == "morris" {
		s += fmt.Sprintf(", levels = %d", o.levels)
		if o.jump > 0 && o.jump != o.levels/2 {
			// Only a step other than the standard one is written, so
			// that the batches of before --jump keep their identity.
			s += fmt.Sprintf(", jump = %d", o.jump)
		}
	}
	return s
}

// parseDesignSpec reads the design from a sensitivity batch's scenario.toml.
func parseDesignSpec(name string, data []byte) (sensitivityOptions, error) {
	o := sensitivityOptions{levels: 4}
	i := bytes.LastIndex(data, []byte(sensDesignLine))
	if i < 0 {
		return o, badInputf("%s: no %q line: not the scenario of a sensitivity batch", name, strings.TrimSpace(sensDesignLine))
	}
	line, _, _ := strings.Cut(string(data[i+len(sensDesignLine):]), "\n")
	for _, part := range strings.Split(line, ", ") {
		k, v, _ := strings.Cut(part, " = ")
		var err error
		switch k {
		case "method":
			o.method = v
		case "n":
			o.n, err = strconv.Atoi(v)
		case "seed":
			o.seed, err = strconv.ParseUint(v, 10, 64)
		case "levels":
			o.levels, err = strconv.Atoi(v)
		case "jump":
			o.jump, err = strconv.Atoi(v)
		default:
			err = fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			return o, badInputf("%s: %s%s: %v", name, sensDesignLine, line, err)
		}
	}
	return o, nil
}

// newSensPlan builds the design of the scenario's [[uncertain]] and the
// plan of its runs.
func newSensPlan(cfg *config.Config, label string, opts sensitivityOptions, arms []string) (*sensPlan, error) {
	u, err := scenarios.NewUncertain(cfg, label)
	if err != nil {
		return nil, badInput(err)
	}
	if u.Len() == 0 {
		return nil, badInputf("%s: no [[uncertain]] table: list the uncertain keys with their distributions (see docs/sensitivity.md)", label)
	}
	d, err := newDesign(u.Params(), opts, opts.n)
	if err != nil {
		return nil, badInputf("%s, --n %d: %v", label, opts.n, err)
	}
	if d.rows() > maxSensRows {
		return nil, badInputf("--n %d: the %s design of %d parameters has %d rows, more than the %d points a batch takes: lower --n",
			opts.n, opts.method, u.Len(), d.rows(), maxSensRows)
	}
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	identity, copies := batchScenario(cfg)
	if identity != cfg {
		if scenarioTOML, err = scenarios.Encode(identity); err != nil {
			return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
		}
	}
	resolved, err := cfg.ResolveArms(arms)
	if err != nil {
		if arms != nil {
			return nil, badInputf("--arms: %w", err)
		}
		return nil, badInput(err)
	}
	sp := &sensPlan{cfg: cfg, uncert: u, design: d, opts: opts}
	id := append(slices.Clone(scenarioTOML), []byte("\n"+sensDesignLine+designSpec(opts)+"\n")...)
	plan := &batch.Plan{Kind: batch.KindSensitivity, Keys: u.Keys(), Arms: resolved, Reps: max(cfg.Replications, 1), Scenario: id, Copies: copies}
	plan.Points = make([]batch.Point, d.rows())
	for i := range plan.Points {
		plan.Points[i].Index = i
	}
	plan.Build = func(i int) *config.Config { return u.Apply(sp.designRow(i)) }
	plan.Encode = scenarios.Encode
	plan.Values = func(i int) []string {
		row := sp.designRow(i)
		out := make([]string, len(row))
		for j, x := range row {
			out[j] = u.Value(j, x)
		}
		return out
	}
	sp.plan = plan
	return sp, nil
}

// checkSensMemory refuses a run whose largest row does not fit.
func checkSensMemory(sp *sensPlan, workers int) error {
	runs := len(sp.plan.Arms) * sp.plan.Reps
	return checkEstimate(fmt.Sprintf("the largest row of the design of scenario %q", sp.cfg.Name), largestEstimate(sp.uncert, min(workers, runs), runs))
}

// largestEstimate is the memory estimate of the largest scenario u's
// draws give: the estimate grows with each number of the scenario, so
// the draws with every parameter at its lowest, and at its highest,
// bound it.
func largestEstimate(u *scenarios.Uncertain, workers, runs int) memoryEstimate {
	lo, hi := u.Extremes()
	var worst memoryEstimate
	for _, row := range [][]float64{lo, hi} {
		if est := estimateMemory(u.Apply(row), workers, runs); est.Total > worst.Total {
			worst = est
		}
	}
	return worst
}

// runSensitivityRun runs (or resumes, or runs a shard of) the design of
// the scenario arg and, when every run is done, writes the design,
// outputs and indices into the batch directory.
func runSensitivityRun(ctx context.Context, e *env, arg string, opts sensitivityRunOptions) error {
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	cfg.Output.Record = opts.record
	if opts.batch.replications != nil {
		cfg.Replications = *opts.batch.replications
	}
	label := scenarioLabel(arg)
	if err := scenarios.Validate(cfg, label+" (with the flags' overrides)"); err != nil {
		return badInput(err)
	}
	sp, err := newSensPlan(cfg, label, opts.sensitivityOptions, opts.batch.arms)
	if err != nil {
		return err
	}
	plan := sp.plan
	metrics, err := resolveMetrics(opts.metrics, plan.Arms)
	if err != nil {
		return err
	}
	if plan.Inputs, err = inputsOf(cfg); err != nil {
		return err
	}
	workers := workersOrCPUs(opts.batch.workers)
	if err := checkSensMemory(sp, workers); err != nil {
		return err
	}
	store, out, err := openBatch(opts.batch.out, cfg.Name+"-sensitivity", plan)
	if err != nil {
		return err
	}
	defer store.Close()
	analysis := analysisOptions{Metrics: metrics, Bootstrap: opts.boot, Level: opts.level}
	data, _ := json.MarshalIndent(analysis, "", "  ")
	if err := writeFileAtomic(filepath.Join(out, sensAnalysisFile), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	}); err != nil {
		return err
	}
	report, finish := batchProgress(e.stderr, opts.batch.progress)
	interrupted := func(ran int) error {
		return &interruptError{fmt.Sprintf("interrupted; the finished runs are kept in %s (%d run now): the same command (with --out %s) resumes from them",
			out, ran, out), ctx.Err()}
	}
	ran, err := batch.Execute(ctx, plan, store, batch.Options{Workers: workers, Threads: opts.batch.threads, Shard: opts.batch.shard, Progress: report})
	finish(err == nil)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(ran)
		}
		return err
	}
	if opts.batch.sharded {
		fmt.Fprintf(e.stdout, "shard %s of the sensitivity design of %q: its %d of the %d runs are in %s (%d run now); when every shard is done: smesim merge --out RESULT SHARD-DIR...\n",
			opts.batch.shard, cfg.Name, shardSize(plan.Runs(), opts.batch.shard), plan.Runs(), out, ran)
		return nil
	}
	src, err := batch.Collect(plan, []*batch.Store{store})
	if err != nil {
		return err
	}
	if err := writeSensitivity(ctx, e, out, sp, src, analysis, opts.batch.plots); err != nil {
		if ctx.Err() != nil {
			return interrupted(ran)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d rows × %d arms × %d replications = %d runs (%d run now, %d already done)\n",
		out, len(plan.Points), len(plan.Arms), plan.Reps, plan.Runs(), ran, plan.Runs()-ran)
	return nil
}

// mergeSensitivity joins the shards of a sensitivity run into out: the
// files an unsharded run writes (design, outputs, indices and figures),
// with the analysis options of the first shard.
func mergeSensitivity(ctx context.Context, e *env, out string, stores []*batch.Store, dirs []string, formats []string) error {
	m := stores[0].Manifest()
	data, err := stores[0].Scenario()
	if err != nil {
		return badInput(err)
	}
	name := filepath.Join(dirs[0], batch.ScenarioFile)
	opts, err := parseDesignSpec(name, data)
	if err != nil {
		return err
	}
	cfg, err := scenarios.Parse(name, data, dirs[0])
	if err != nil {
		return badInput(err)
	}
	sp, err := newSensPlan(cfg, name, opts, m.Arms)
	if err != nil {
		return err
	}
	sp.plan.Inputs = m.Inputs
	var analysis analysisOptions
	raw, err := os.ReadFile(filepath.Join(dirs[0], sensAnalysisFile))
	if err == nil {
		err = json.Unmarshal(raw, &analysis)
	}
	if err != nil {
		return badInputf("%s: %v", filepath.Join(dirs[0], sensAnalysisFile), err)
	}
	src, err := batch.Collect(sp.plan, stores)
	if err != nil {
		return badInput(err)
	}
	if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeSensitivity(ctx, e, out, sp, src, analysis, formats); err != nil {
		if ctx.Err() != nil {
			// out was free: what it holds is partial, and the same
			// command writes it whole.
			os.RemoveAll(out)
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d shards, %d runs\n", out, len(dirs), sp.plan.Runs())
	return nil
}

// sensMetric is one output of a sensitivity run: a metric of an arm.
type sensMetric struct {
	arm, metric string
	effect      bool // an effect against the baseline rather than a headline metric
}

func (m sensMetric) String() string { return m.arm + ":" + m.metric }

// defaultSensMetrics are the outputs of a sensitivity run without
// --metrics.
var defaultSensMetrics = []string{results.Failures, results.FirmsSaved, results.CostPerFirmSaved}

// resolveMetrics turns --metrics into the outputs, as "ARM:METRIC": a
// plain headline metric is the baseline's, a plain effect every other
// arm's.
func resolveMetrics(list []string, arms []config.Arm) ([]string, error) {
	if list == nil {
		list = defaultSensMetrics
	}
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	var armNames []string
	for _, a := range arms {
		armNames = append(armNames, a.Name)
	}
	for _, item := range list {
		arm, metric, hasArm := strings.Cut(item, ":")
		if !hasArm {
			arm, metric = "", item
		}
		isHeadline, isEffect := slices.Contains(results.HeadlineMetrics, metric), slices.Contains(results.EffectMetrics, metric)
		if !isHeadline && !isEffect {
			return nil, badInputf("--metrics: %q: unknown metric: allowed %s (of an arm), and %s (of an arm against the baseline)",
				metric, strings.Join(results.HeadlineMetrics, ", "), strings.Join(results.EffectMetrics, ", "))
		}
		switch {
		case hasArm && !slices.Contains(armNames, arm):
			return nil, badInputf("--metrics: %q: no arm %q: the arms run are %s", item, arm, strings.Join(armNames, ", "))
		case hasArm && isEffect && arm == config.BaselineArm:
			return nil, badInputf("--metrics: %q: %s is an effect against the baseline: name another arm", item, metric)
		case hasArm:
			add(arm + ":" + metric)
		case isHeadline:
			add(config.BaselineArm + ":" + metric)
		default:
			for _, a := range armNames {
				if a != config.BaselineArm {
					add(a + ":" + metric)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, badInputf("--metrics %s: no output: the effects need an arm other than the baseline", strings.Join(list, ","))
	}
	return out, nil
}

// writeSensitivity writes design.csv and outputs.csv, reading the runs
// one design row at a time; then analyses the outputs, writes indices.csv
// and the figures, and prints the indices.
func writeSensitivity(ctx context.Context, e *env, out string, sp *sensPlan, src *batch.Sources, analysis analysisOptions, formats []string) error {
	plan, d := sp.plan, sp.design
	rows := d.rows()
	values := make([][]float64, len(analysis.Metrics))
	for o := range values {
		values[o] = make([]float64, 0, rows)
	}
	outs := make([]sensMetric, len(analysis.Metrics))
	for o, m := range analysis.Metrics {
		arm, metric, _ := strings.Cut(m, ":")
		outs[o] = sensMetric{arm: arm, metric: metric, effect: slices.Contains(results.EffectMetrics, metric)}
	}
	block := newRows(d.blockSize, len(d.names))
	err := writeFileAtomic(filepath.Join(out, sensDesignFile), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "id,%s\n", strings.Join(csvNames(d.names), ","))
		buf := make([]byte, 0, 64)
		for i := range rows {
			if i%d.blockSize == 0 {
				d.fill(i/d.blockSize, block)
			}
			buf = strconv.AppendInt(buf[:0], int64(i+1), 10)
			for _, v := range block[i%d.blockSize] {
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
			}
			buf = append(buf, '\n')
			if _, err := bw.Write(buf); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	err = writeFileAtomic(filepath.Join(out, sensOutputsFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append([]string{"id"}, analysis.Metrics...))
		rec := make([]string, len(outs)+1)
		for p := range plan.Points {
			if err := ctx.Err(); err != nil {
				return err
			}
			sum, err := results.SummarizeStream(src.Stream(p))
			if err != nil {
				return fmt.Errorf("summarising row %d: %w", p+1, err)
			}
			rec[0] = strconv.Itoa(p + 1)
			for o, m := range outs {
				v := math.NaN()
				if a := sum.Get(m.arm); a != nil {
					set := a.Headline
					if m.effect {
						set = a.Effects
					}
					if st, ok := set.Get(m.metric); ok {
						v = st.Mean
					}
				}
				values[o] = append(values[o], v)
				rec[o+1] = formatNumber(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	boot := sensitivity.Bootstrap{Resamples: analysis.Bootstrap, Level: analysis.Level, Seed: sp.opts.seed}
	var rowsOut []indexRow
	var notes []string
	for o, name := range analysis.Metrics {
		if bad := slices.IndexFunc(values[o], func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }); bad >= 0 {
			notes = append(notes, fmt.Sprintf("output %s: no indices: undefined at design row %d (a ratio whose arm saves nothing, or a metric the record level does not keep)", name, bad+1))
			continue
		}
		ix, err := analyzeOutput(ctx, d, values[o], boot)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			notes = append(notes, fmt.Sprintf("output %s: no indices: %v", name, err))
			continue
		}
		for i := range ix {
			ix[i].output = name
		}
		rowsOut = append(rowsOut, ix...)
	}
	if err := writeFileAtomic(filepath.Join(out, sensIndicesFile), func(w io.Writer) error { return writeIndices(w, rowsOut) }); err != nil {
		return err
	}
	if err := untilInterrupted(ctx, out, func() error { return writeSensitivityFigures(out, formats) }); err != nil {
		return err
	}
	printIndices(e.stdout, rowsOut, sensitivityOptions{method: sp.opts.method, level: analysis.Level}, d)
	for _, n := range notes {
		fmt.Fprintln(e.stdout, n)
	}
	return nil
}

// writeSensitivityFigures draws the indices of the sensitivity directory
// dir into dir/plots.
func writeSensitivityFigures(dir string, formats []string) error {
	if len(formats) == 0 {
		return nil
	}
	figs, err := plots.SensitivityFigures(dir)
	if err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return replaceFigures(dir, func(tmpPlots, tmpReport string) error {
		if _, err := plots.Save(tmpPlots, figs, formats); err != nil {
			return err
		}
		return plots.WriteSensitivityReport(tmpReport, dir, figs)
	})
}
