package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/optimise"
	"github.com/smesim/smesim/sim/results"
)

// kindOptimise is the batch kind of the stages of smesim optimise.
const kindOptimise = "optimise"

// Files of an optimisation directory.
const (
	optimiseSettingsFile = "optimise.json" // what the optimisation is: resumed only by the same one
	halvingFile          = "halving.csv"   // the search: every split, its rungs and mean failures
	optimiseFile         = "optimise.csv"  // the measure: the best and the scenario's split, paired
	measureStage         = "measure"       // the stage of the fresh replications
)

func optimiseCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "optimise",
		Usage:     "find the split of a mix's total budget between its instruments that saves the most firms",
		ArgsUsage: "FILE|BUILTIN",
		Description: "Splits the total budget of a mix (--arm, default all) between its interventions that have a\n" +
			"budget, on a grid of shares in steps of 1/--steps, and searches the splits by successive halving\n" +
			"on common random numbers: every split runs --first replications, the better half by paired mean\n" +
			"failures runs twice as many, and so on up to --replications. The best split is then measured\n" +
			"on as many fresh replications (so that its choice does not flatter it): its firms saved against\n" +
			"the baseline, and its gain over the scenario's own split of the same total, both paired with\n" +
			"95% intervals. It writes DIR/halving.csv (the search) and DIR/optimise.csv (the measure).\n\n" +
			"Each rung of the search, and the measure, is a batch (a stage) in DIR/rung-NN and DIR/measure:\n" +
			"every finished run is kept, and the same command resumes. With --shard I/N a process does its\n" +
			"share of the first stage not yet complete, into DIR/<stage>-shard-I-of-N, and stops; the next\n" +
			"stage depends on every run of the last, so run the N shards once per stage (a job array per\n" +
			"stage, each after the last, sharing DIR), then the command without --shard, which writes the\n" +
			"files. They are the same bytes whatever the workers, shards and restarts.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "directory `DIR`: new, empty, or holding this optimisation to resume (shared by its shards)",
				DefaultText: defaultOutRoot + "/<scenario name>-optimise-<YYYYMMDD-HHMMSS>"},
			&cli.StringFlag{Name: "arm", Value: config.AllArm, Usage: "the mix: an `ARM` of several interventions (\"loans+relief\", \"all\")"},
			&cli.Float64Flag{Name: "budget", Usage: "total `BUDGET` to split, in currency units (> 0)", DefaultText: "the sum of the mix's budgets in the scenario"},
			&cli.IntFlag{Name: "steps", Value: 4, Usage: "shares in steps of 1/`K` (1 to 20)"},
			&cli.IntFlag{Name: "first", Value: 4, Usage: "`N` replications per split in the first round (at least 1)", DefaultText: "4, or the replications if fewer"},
			replicationsFlag("most replications `N` per split, and the fresh replications of the measure (1 to 100000)"),
			workersFlag("runs"),
			threadsFlag(),
			&cli.StringFlag{Name: "shard", Usage: "do only shard `I/N` of the first stage not yet complete — its runs u with u mod N = I — and stop; the command without --shard joins the shards"},
			progressFlag(),
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
			cfg, err := openScenario(arg)
			if err != nil {
				return err
			}
			most := max(cfg.Replications, 1)
			if opts.replications != nil {
				most = *opts.replications
			}
			steps, first := c.Int("steps"), c.Int("first")
			if !c.IsSet("first") {
				first = min(first, most)
			}
			switch {
			case steps < 1 || steps > 20:
				return badInputf("--steps %d: must be between 1 and 20", steps)
			case first < 1 || first > most:
				return badInputf("--first %d: must be between 1 and the replications, %d", first, most)
			case c.IsSet("budget") && !(c.Float64("budget") > 0 && c.Float64("budget") <= 1e18):
				return badInputf("--budget %g: must be > 0 and ≤ 1e18", c.Float64("budget"))
			}
			arms, err := cfg.ResolveArms([]string{c.String("arm")})
			if err != nil {
				return badInputf("--arm: %w", err)
			}
			m := optimise.NewMix(cfg, arms[len(arms)-1], 0)
			if len(m.Instruments) < 2 {
				return badInputf("--arm %s: %d intervention with a budget: a split needs at least 2", c.String("arm"), len(m.Instruments))
			}
			for _, i := range m.Instruments {
				m.Total += cfg.Interventions[i].Budget
			}
			if c.IsSet("budget") {
				m.Total = c.Float64("budget")
			}
			o, err := newOptimisation(m, steps, first, most)
			if err != nil {
				return err
			}
			return o.run(c.Context, e, opts)
		},
	}
}

// optimisation is a search of the best split of a mix's budget, stage by
// stage in its directory.
type optimisation struct {
	m           *optimise.Mix
	splits      []optimise.Split
	steps       int
	first, most int
	settings    []byte // optimise.json
	identity    []byte // the scenario.toml of the stages' batches, before their line
	copies      []batch.FileCopy
	inputs      []results.Input
}

// optimiseSettings are what optimise.json records: with the scenario,
// what identifies an optimisation, so that a directory is resumed (and
// its shards joined) only by the same one.
type optimiseSettings struct {
	ScenarioSHA256 string  `json:"scenario_sha256"`
	Arm            string  `json:"arm"`
	Budget         float64 `json:"budget"`
	Steps          int     `json:"steps"`
	First          int     `json:"first"`
	Replications   int     `json:"replications"`
}

func newOptimisation(m *optimise.Mix, steps, first, most int) (*optimisation, error) {
	full, err := scenarios.Encode(m.Config)
	if err != nil {
		return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	sum := sha256.Sum256(full)
	settings, err := json.MarshalIndent(optimiseSettings{ScenarioSHA256: hex.EncodeToString(sum[:]), Arm: m.Arm.Name,
		Budget: m.Total, Steps: steps, First: first, Replications: most}, "", "  ")
	if err != nil {
		return nil, err
	}
	id, copies := batchScenario(m.Config)
	identity, err := scenarios.Encode(id)
	if err != nil {
		return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	inputs, err := inputsOf(m.Config)
	if err != nil {
		return nil, err
	}
	return &optimisation{m: m, splits: optimise.Grid(len(m.Instruments), steps), steps: steps, first: first, most: most,
		settings: append(settings, '\n'), identity: identity, copies: copies, inputs: inputs}, nil
}

// openDir makes or reopens the optimisation's directory: a new or empty
// directory gets optimise.json; one that holds optimise.json must hold
// this one's. It takes no lock: the shards of a stage share the
// directory, each writing its own batch directory in it, which it locks.
func (o *optimisation) openDir(outFlag string) (string, error) {
	out, err := resolveOut(outFlag)
	if err != nil {
		return "", err
	}
	if out == "" {
		if out, err = defaultOutDir(defaultOutRoot, o.m.Config.Name+"-optimise", time.Now()); err != nil {
			return "", err
		}
	}
	path := filepath.Join(out, optimiseSettingsFile)
	if old, err := os.ReadFile(path); err == nil {
		if string(old) != string(o.settings) {
			return "", badInputf("%s holds another optimisation (%s differs: another scenario, mix, budget, --steps, --first or --replications): choose another --out", out, path)
		}
		return out, nil
	}
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return "", badInputf("%s exists and is not an optimisation directory (no %s): choose another --out", out, optimiseSettingsFile)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", badInputf("--out %s: %w", out, unwrapPath(err))
	}
	return out, writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(o.settings); return err })
}

// plan returns the batch of a stage: the splits cs (by index) of the mix,
// each run in the arms given, on replications from ≤ r < to.
func (o *optimisation) plan(stage string, cs []int, arms []config.Arm, from, to int) *batch.Plan {
	var ids []string
	for _, c := range cs {
		ids = append(ids, strconv.Itoa(c))
	}
	line := fmt.Sprintf("# smesim optimise: %s of mix %q, budget %s, splits in steps of 1/%d: %s, replications %d to %d\n",
		stage, o.m.Arm.Name, results.FormatFloat(o.m.Total), o.steps, strings.Join(ids, " "), from, to-1)
	plan := &batch.Plan{Kind: kindOptimise, Arms: arms, Reps: to - from, FirstRep: from,
		Scenario: append(slices.Clone(o.identity), "\n"+line...), Copies: o.copies, Inputs: o.inputs,
		Build: func(p int) *config.Config { return o.m.Scenario(o.splits[cs[p]]) }, Encode: scenarios.Encode}
	plan.Points = make([]batch.Point, len(cs))
	for i := range plan.Points {
		plan.Points[i].Index = i
	}
	return plan
}

// run runs (or resumes) the optimisation into its directory: every stage
// with no --shard, then the files; with --shard, its share of the first
// stage not complete.
func (o *optimisation) run(ctx context.Context, e *env, opts batchOptions) error {
	workers := workersOrCPUs(opts.workers)
	if err := checkMemory(o.m.Config, workers, o.most); err != nil {
		return err
	}
	dir, err := o.openDir(opts.out)
	if err != nil {
		return err
	}
	total := 0
	interrupted := func() error {
		return &interruptError{fmt.Sprintf("interrupted; the finished runs are kept in %s (%d run now): the same command (with --out %s) resumes from them",
			dir, total, dir), ctx.Err()}
	}
	stages := optimise.CountRungs(len(o.splits), o.first, o.most) + 1
	number := 0
	// stage runs a stage and reads its runs; it reports whether to go on:
	// not when the stage is incomplete (other shards miss runs), nor
	// after a shard did runs in it.
	stage := func(name string, plan *batch.Plan, read func(*batch.Sources) error) (bool, error) {
		number++
		st, err := runStage(ctx, e, dir, name, plan, opts, workers)
		if err != nil {
			if ctx.Err() != nil {
				return false, interrupted()
			}
			return false, err
		}
		defer st.close()
		total += st.ran
		switch {
		case st.src == nil:
			fmt.Fprintf(e.stdout, "shard %s of stage %d of %d (%s) of the optimisation of %q: done, %d run now; %d runs of the stage are missing: when every shard of it is done, run the same command for the next stage, or without --shard to finish\n",
				opts.shard, number, stages, name, o.m.Config.Name, st.ran, st.missing)
			return false, nil
		case opts.sharded && st.ran > 0:
			fmt.Fprintf(e.stdout, "shard %s of stage %d of %d (%s) of the optimisation of %q: done, %d run now; the stage is complete: run the same command for the next stage, or without --shard to finish\n",
				opts.shard, number, stages, name, o.m.Config.Name, st.ran)
			return false, nil
		}
		if err := read(st.src); err != nil {
			if ctx.Err() != nil {
				return false, interrupted()
			}
			return false, err
		}
		return true, nil
	}
	h, err := optimise.NewRungs(len(o.splits), o.first, o.most)
	if err != nil {
		return err
	}
	mix := []config.Arm{o.m.Arm}
	for k := 0; !h.Done(); k++ {
		cs, from, to := h.Rung()
		plan := o.plan(fmt.Sprintf("rung %d", k), cs, mix, from, to)
		var values [][]float64
		ok, err := stage(fmt.Sprintf("rung-%02d", k), plan, func(src *batch.Sources) (err error) {
			values, err = failuresAvoided(ctx, src, plan)
			return err
		})
		if !ok {
			return err
		}
		if err := h.Record(values); err != nil {
			return err
		}
	}
	found := h.Outcome()
	// Fresh replications measure the best split and the scenario's split
	// against the baseline, all paired.
	own := slices.IndexFunc(o.splits, func(s optimise.Split) bool { return slices.Equal(s, o.m.ScenarioSplit()) })
	measured := []int{found.Best, own}
	if own < 0 { // the scenario's split is not on the grid
		o.splits = append(o.splits, o.m.ScenarioSplit())
		measured[1] = len(o.splits) - 1
	}
	plan := o.plan(measureStage, measured, []config.Arm{{Name: config.BaselineArm}, o.m.Arm}, o.most, 2*o.most)
	var ms *measure
	ok, err := stage(measureStage, plan, func(src *batch.Sources) (err error) {
		ms, err = measureSplits(ctx, src, plan)
		if ms != nil {
			ms.splits = measured
		}
		return err
	})
	if !ok {
		return err
	}
	if opts.sharded {
		fmt.Fprintf(e.stdout, "every stage (%d) of the optimisation of %q in %s is complete: run the same command without --shard to write its files\n", stages, o.m.Config.Name, dir)
		return nil
	}
	if err := o.write(dir, found, ms); err != nil {
		return err
	}
	o.print(e.stdout, found, ms)
	fmt.Fprintf(e.stdout, "wrote %s and %s (%d run now)\n", filepath.Join(dir, halvingFile), filepath.Join(dir, optimiseFile), total)
	return nil
}

// failuresAvoided returns minus the failures of each point's runs:
// values[p][r] for point p in the plan's replication FirstRep + r.
func failuresAvoided(ctx context.Context, src *batch.Sources, plan *batch.Plan) ([][]float64, error) {
	values := make([][]float64, len(plan.Points))
	for p := range values {
		values[p] = make([]float64, plan.Reps)
		for r := range values[p] {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			res, err := src.Run(p*plan.Reps + r)
			if err != nil {
				return nil, err
			}
			values[p][r] = -optimise.Failures(res)
		}
	}
	return values, nil
}

// measure is the measure's paired results, per replication.
type measure struct {
	splits         []int        // the best split and the scenario's, in the optimisation's splits
	saved          [2][]float64 // firms saved against the baseline
	gain           []float64    // the best split's failures avoided beyond the scenario split's
	cost           [2][]float64 // fiscal cost
	first, replics int
}

// measureSplits reads the measure: the baseline and the mix of each split,
// paired by replication. The baseline runs beside each split, as a batch's
// arms run at every point; the two are the same runs (their scenarios
// differ only in budgets the baseline does not use), which it checks.
func measureSplits(ctx context.Context, src *batch.Sources, plan *batch.Plan) (*measure, error) {
	ms := &measure{gain: make([]float64, plan.Reps), first: plan.FirstRep, replics: plan.Reps}
	fiscal := slices.Index(results.HeadlineMetrics, results.FiscalCost)
	failures := make([][]float64, 2)
	var base []float64
	for p := range 2 {
		ms.saved[p], ms.cost[p], failures[p] = make([]float64, plan.Reps), make([]float64, plan.Reps), make([]float64, plan.Reps)
		for r := range plan.Reps {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			b, err := src.Run(2*p*plan.Reps + r)
			if err != nil {
				return nil, err
			}
			if p == 0 {
				base = append(base, optimise.Failures(b))
			} else if optimise.Failures(b) != base[r] {
				return nil, fmt.Errorf("replication %d: the baseline fails %g firms beside one split and %g beside the other: the baseline depends on the budgets",
					plan.FirstRep+r, base[r], optimise.Failures(b))
			}
			res, err := src.Run((2*p+1)*plan.Reps + r)
			if err != nil {
				return nil, err
			}
			failures[p][r] = optimise.Failures(res)
			ms.saved[p][r] = base[r] - failures[p][r]
			ms.cost[p][r] = results.Headline(res)[fiscal]
		}
	}
	for r := range plan.Reps {
		ms.gain[r] = failures[1][r] - failures[0][r]
	}
	return ms, nil
}

// splitName writes a split as "loans 25%, relief 75%".
func (o *optimisation) splitName(s optimise.Split) string {
	var parts []string
	for k, i := range o.m.Instruments {
		parts = append(parts, fmt.Sprintf("%s %s%%", o.m.Config.InterventionName(i), results.Compact(100*s[k])))
	}
	return strings.Join(parts, ", ")
}

// write writes halving.csv (per split of the grid: its shares, the rungs
// it ran in, its replications and its mean failures over them) and
// optimise.csv (the best and the scenario's split: shares, firms saved,
// gain over the scenario's split and fiscal cost, with 95% intervals).
func (o *optimisation) write(dir string, found *optimise.Outcome, ms *measure) error {
	var names []string
	for _, i := range o.m.Instruments {
		names = append(names, o.m.Config.InterventionName(i))
	}
	shares := func(s optimise.Split) []string {
		var out []string
		for _, x := range s {
			out = append(out, results.FormatFloat(x))
		}
		return out
	}
	err := writeFileAtomic(filepath.Join(dir, halvingFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append(append([]string{"split"}, names...), "replications", "failures", "best"))
		for c, vs := range found.Values {
			rec := append([]string{strconv.Itoa(c)}, shares(o.splits[c])...)
			failures := 0 - found.Mean(c) // not -0 when none fail
			cw.Write(append(rec, strconv.Itoa(len(vs)), formatNumber(failures), strconv.FormatBool(c == found.Best)))
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, optimiseFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		header := append([]string{"split"}, names...)
		for _, col := range []string{results.FirmsSaved, "gain", results.FiscalCost} {
			header = append(header, col, col+"_lo", col+"_hi")
		}
		cw.Write(append(header, "replications"))
		for p, label := range []string{"best", "scenario"} {
			rec := append([]string{label}, shares(o.splits[ms.splits[p]])...)
			gain := results.Describe("", ms.gain)
			if p == 1 {
				gain = results.Describe("", make([]float64, len(ms.gain)))
			}
			for _, st := range []results.Stat{results.Describe("", ms.saved[p]), gain, results.Describe("", ms.cost[p])} {
				rec = append(rec, formatNumber(st.Mean), formatNumber(st.Lo), formatNumber(st.Hi))
			}
			cw.Write(append(rec, strconv.Itoa(ms.replics)))
		}
		cw.Flush()
		return cw.Error()
	})
}

// print writes what the optimisation found.
func (o *optimisation) print(w io.Writer, found *optimise.Outcome, ms *measure) {
	m, cur := o.m, o.m.Config.Currency
	grid := optimise.Grid(len(m.Instruments), o.steps)
	fmt.Fprintf(w, "mix %s of %q, total budget %s %s: %d splits in steps of 1/%d, successive halving from %d to %d replications: %d rounds, %d runs\n",
		m.Arm.Name, m.Config.Name, results.Compact(m.Total), cur, len(grid), o.steps, o.first, o.most, found.Rounds, found.Runs)
	fmt.Fprintf(w, "best split:      %s\n", o.splitName(o.splits[ms.splits[0]]))
	fmt.Fprintf(w, "scenario split:  %s\n", o.splitName(m.ScenarioSplit()))
	fmt.Fprintf(w, "on %d fresh replications (%d to %d), paired with the baseline:\n", ms.replics, ms.first, ms.first+ms.replics-1)
	fmt.Fprintf(w, "  firms saved, best split:      %s\n", results.Describe("", ms.saved[0]).HalfWidthText())
	fmt.Fprintf(w, "  firms saved, scenario split:  %s\n", results.Describe("", ms.saved[1]).HalfWidthText())
	fmt.Fprintf(w, "  gain of the best split:       %s firms\n", results.Describe("", ms.gain).HalfWidthText())
	fmt.Fprintf(w, "  fiscal cost, best split:      %s %s\n", results.NetCostText(results.Describe("", ms.cost[0]).Mean), cur)
	fmt.Fprintf(w, "  fiscal cost, scenario split:  %s %s\n", results.NetCostText(results.Describe("", ms.cost[1]).Mean), cur)
}
