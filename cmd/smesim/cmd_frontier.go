package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/plots"
	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// kindFrontier is the batch kind of smesim frontier: its points are the
// budgets.
const kindFrontier = "frontier"

// frontierFile is the budget curves' table in a frontier directory.
const frontierFile = "frontier.csv"

func frontierCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "frontier",
		Usage:     "run each intervention with a budget, and each mix, over a grid of budgets: the budget curves",
		ArgsUsage: "FILE|BUILTIN",
		Description: "Runs every intervention of the scenario that has a budget, alone, and each mix of [frontier]\n" +
			"mixes (or --mixes), at every total budget of --budgets (or [frontier] budgets), against the\n" +
			"baseline on the same random draws. A mix's total budget is split between its interventions\n" +
			"in proportion to their budgets in the scenario. The budgets are the points of a batch, as in\n" +
			"smesim sweep: every finished run is kept in DIR/units, the same command resumes, --shard runs\n" +
			"a share and smesim merge joins the shards. It writes DIR/frontier.csv (per budget and\n" +
			"intervention: firms and jobs saved, the cost per firm and per job saved, the fiscal cost and\n" +
			"the money spent, with their 95% intervals paired with the baseline, and the deadweight share)\n" +
			"and one figure per metric against the budget on a log axis under DIR/plots.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "batch directory `DIR`: new, empty, or holding this frontier to resume",
				DefaultText: defaultOutRoot + "/<scenario name>-frontier-<YYYYMMDD-HHMMSS>"},
			&cli.StringFlag{Name: "budgets", Usage: "comma-separated total `BUDGETS` in currency units, each > 0 (1e6,1e7,1e8)", DefaultText: "[frontier] budgets"},
			&cli.StringFlag{Name: "mixes", Usage: "comma-separated `LIST` of arms of several interventions (\"loans+guarantee\", \"all\")", DefaultText: "[frontier] mixes"},
			replicationsFlag("`N` Monte Carlo replications per budget and arm (1 to 100000)"),
			workersFlag("runs"),
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
			opts, err := batchOptionsOf(c)
			if err != nil {
				return err
			}
			var budgets []float64
			if c.IsSet("budgets") {
				if budgets, err = parseBudgets(c.String("budgets")); err != nil {
					return err
				}
			}
			var mixes []string
			if c.IsSet("mixes") {
				mixes = parseArms(c.String("mixes"))
			}
			return runFrontier(c.Context, e, arg, opts, budgets, mixes)
		},
	}
}

// parseBudgets reads --budgets: numbers > 0.
func parseBudgets(list string) ([]float64, error) {
	var out []float64
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || v > 1e18 {
			return nil, badInputf("--budgets: %s: each budget must be a number > 0 and ≤ 1e18 (e.g. 1e6,1e7,1e8)", clip(s))
		}
		out = append(out, v)
	}
	return out, nil
}

// frontierPlan is the batch of a frontier: one point per budget, whose
// scenario sets every budgeted intervention's budget to it and adds, for
// each mix, copies of its budgeted interventions with their shares of it.
type frontierPlan struct {
	plan    *batch.Plan
	budgets []float64 // by point, in increasing order
	arms    []string  // the plan's arms but the baseline: instruments, then mixes
}

// newFrontierPlan builds the plan of cfg's [frontier].
func newFrontierPlan(cfg *config.Config) (*frontierPlan, error) {
	fr := cfg.Frontier
	if len(fr.Budgets) == 0 {
		return nil, badInputf("%s: smesim frontier needs budgets: --budgets 1e6,1e7,… or budgets in the scenario's [frontier]", cfg.Name)
	}
	budgets := slices.Clone(fr.Budgets)
	slices.Sort(budgets)
	budgets = slices.Compact(budgets)
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	identity, copies := batchScenario(cfg)
	identityTOML := scenarioTOML
	if identity != cfg {
		if identityTOML, err = scenarios.Encode(identity); err != nil {
			return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
		}
	}
	budgeted := func(i int) bool { return slices.Contains(config.BudgetKinds(), cfg.Interventions[i].Kind) }
	fp := &frontierPlan{budgets: budgets}
	arms := []config.Arm{{Name: config.BaselineArm}}
	for i := range cfg.Interventions {
		if budgeted(i) {
			name := cfg.InterventionName(i)
			arms = append(arms, config.Arm{Name: name, Interventions: []int{i}})
			fp.arms = append(fp.arms, name)
		}
	}
	// A mix's budgeted interventions are copies appended to the
	// scenario, each with its share of the total budget.
	type copyOf struct {
		from  int
		share float64
		name  string
	}
	var copiesOf []copyOf
	for _, mix := range fr.Mixes {
		resolved, err := cfg.ResolveArms([]string{mix})
		if err != nil {
			return nil, badInputf("mixes: %w", err)
		}
		a := resolved[len(resolved)-1]
		total := 0.0
		n := 0
		for _, i := range a.Interventions {
			if budgeted(i) {
				total += cfg.Interventions[i].Budget
				n++
			}
		}
		if n == 0 {
			return nil, badInputf("mixes: %q has no intervention with a budget", mix)
		}
		arm := config.Arm{Name: mix}
		for _, i := range a.Interventions {
			if !budgeted(i) {
				arm.Interventions = append(arm.Interventions, i)
				continue
			}
			share := 1 / float64(n)
			if total > 0 {
				share = cfg.Interventions[i].Budget / total
			}
			arm.Interventions = append(arm.Interventions, len(cfg.Interventions)+len(copiesOf))
			copiesOf = append(copiesOf, copyOf{i, share, mix + "/" + cfg.InterventionName(i)})
		}
		arms = append(arms, arm)
		fp.arms = append(fp.arms, mix)
	}
	if len(fp.arms) == 0 {
		return nil, badInputf("%s: no intervention with a budget: smesim frontier runs those (%s)", cfg.Name, strings.Join(config.BudgetKinds(), ", "))
	}
	build := func(p int) *config.Config {
		c := *cfg
		c.Interventions = slices.Clone(cfg.Interventions)
		for i := range c.Interventions {
			if budgeted(i) {
				c.Interventions[i].Budget = budgets[p]
			}
		}
		for _, cp := range copiesOf {
			iv := cfg.Interventions[cp.from]
			iv.Name, iv.Budget = cp.name, budgets[p]*cp.share
			c.Interventions = append(c.Interventions, iv)
		}
		return &c
	}
	fp.plan = &batch.Plan{Kind: kindFrontier, Keys: []string{"budget"}, Arms: arms, Reps: max(cfg.Replications, 1),
		Scenario: identityTOML, Copies: copies, Build: build, Encode: scenarios.Encode,
		Values: func(p int) []string { return []string{results.FormatFloat(budgets[p])} }}
	fp.plan.Points = make([]batch.Point, len(budgets))
	for i := range fp.plan.Points {
		fp.plan.Points[i].Index = i
	}
	return fp, nil
}

// runFrontier runs (or resumes) the frontier of the scenario arg into its
// batch directory and writes its table and figures.
func runFrontier(ctx context.Context, e *env, arg string, opts batchOptions, budgets []float64, mixes []string) error {
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	changed := false
	if opts.replications != nil {
		cfg.Replications, changed = *opts.replications, true
	}
	if budgets != nil {
		cfg.Frontier.Budgets, changed = budgets, true
	}
	if mixes != nil {
		cfg.Frontier.Mixes, changed = mixes, true
	}
	if changed {
		if err := scenarios.Validate(cfg, scenarioLabel(arg)+" (with the flags' overrides)"); err != nil {
			return badInput(err)
		}
	}
	fp, err := newFrontierPlan(cfg)
	if err != nil {
		return err
	}
	plan := fp.plan
	if plan.Inputs, err = inputsOf(cfg); err != nil {
		return err
	}
	workers := workersOrCPUs(opts.workers)
	if err := checkMemory(plan.PointConfig(len(plan.Points)-1), workers, len(plan.Arms)*plan.Reps); err != nil {
		return err
	}
	store, out, err := openBatch(opts.out, cfg.Name+"-"+kindFrontier, plan)
	if err != nil {
		return err
	}
	defer store.Close()
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
	if opts.sharded {
		fmt.Fprintf(e.stdout, "shard %s of the frontier of %q: its %d of the %d runs are in %s (%d run now); when every shard is done: smesim merge --out RESULT SHARD-DIR...\n",
			opts.shard, cfg.Name, shardSize(plan.Runs(), opts.shard), plan.Runs(), out, ran)
		return nil
	}
	src, err := batch.Collect(plan, []*batch.Store{store})
	if err != nil {
		return err
	}
	store.StopOn(ctx)
	if err := writeFrontier(ctx, e, out, cfg, fp, src, opts.plots); err != nil {
		if ctx.Err() != nil {
			return interrupted(ran)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d budgets × %d arms × %d replications = %d runs (%d run now, %d already done)\n",
		filepath.Join(out, frontierFile), len(plan.Points), len(plan.Arms), plan.Reps, plan.Runs(), ran, shardSize(plan.Runs(), opts.shard)-ran)
	return nil
}

// mergeFrontier joins the shards of a frontier into out: frontier.csv and
// the figures an unsharded frontier writes.
func mergeFrontier(ctx context.Context, e *env, out string, stores []*batch.Store, dirs []string, formats []string) error {
	m := stores[0].Manifest()
	data, err := stores[0].Scenario()
	if err != nil {
		return badInput(err)
	}
	name := filepath.Join(dirs[0], batch.ScenarioFile)
	cfg, err := scenarios.Parse(name, data, dirs[0])
	if err != nil {
		return badInput(err)
	}
	fp, err := newFrontierPlan(cfg)
	if err != nil {
		return err
	}
	fp.plan.Inputs = m.Inputs
	src, err := batch.Collect(fp.plan, stores)
	if err != nil {
		return badInput(err)
	}
	if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeFrontier(ctx, e, out, cfg, fp, src, formats); err != nil {
		if ctx.Err() != nil {
			os.RemoveAll(out) // out was free: what it holds is partial
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d shards, %d runs\n", filepath.Join(out, frontierFile), len(dirs), fp.plan.Runs())
	return nil
}

// frontierColumns are the measures of frontier.csv, each with its lo and
// hi bounds: effects against the baseline, the fiscal cost, and the
// deadweight share (an intervention alone).
var frontierColumns = []string{results.FirmsSaved, results.JobsSaved, results.CostPerFirmSaved, results.CostPerJobSaved, results.FiscalCost, "deadweight_share"}

// writeFrontier summarises each budget's runs, one budget at a time, and
// writes frontier.csv, the figures and the printed table.
func writeFrontier(ctx context.Context, e *env, out string, cfg *config.Config, fp *frontierPlan, src *batch.Sources, formats []string) error {
	f := &plots.Frontier{Currency: cfg.Currency, Budgets: fp.budgets, Arms: fp.arms}
	spent := make([][]float64, len(fp.budgets))
	rows := make([][][]results.Stat, len(fp.budgets)) // [budget][arm][column]
	for p := range fp.budgets {
		if err := ctx.Err(); err != nil {
			return err
		}
		sum, err := results.SummarizeStream(src.Stream(p))
		if err != nil {
			return fmt.Errorf("summarising budget %s: %w", results.FormatFloat(fp.budgets[p]), err)
		}
		f.Effects = append(f.Effects, make([]results.Stats, len(fp.arms)))
		spent[p] = make([]float64, len(fp.arms))
		rows[p] = make([][]results.Stat, len(fp.arms))
		for a, name := range fp.arms {
			arm := sum.Get(name)
			if arm == nil {
				return fmt.Errorf("budget %s: no arm %q in the runs", results.FormatFloat(fp.budgets[p]), name)
			}
			f.Effects[p][a] = arm.Effects
			share := results.Stats{}.Value("deadweight_share")
			for _, iv := range arm.Interventions {
				spent[p][a] += iv.Used.Mean
			}
			if len(arm.Interventions) == 1 && arm.Interventions[0].Additionality != nil {
				share = arm.Interventions[0].Additionality.DeadweightShare
			}
			for _, col := range frontierColumns {
				switch col {
				case results.FiscalCost:
					rows[p][a] = append(rows[p][a], arm.Headline.Value(col))
				case "deadweight_share":
					rows[p][a] = append(rows[p][a], share)
				default:
					rows[p][a] = append(rows[p][a], arm.Effects.Value(col))
				}
			}
		}
	}
	err := writeFileAtomic(filepath.Join(out, frontierFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		header := []string{"budget", "instrument"}
		for _, col := range frontierColumns {
			header = append(header, col, col+"_lo", col+"_hi")
		}
		cw.Write(append(header, "spent"))
		for p, b := range fp.budgets {
			for a, name := range fp.arms {
				rec := []string{results.FormatFloat(b), name}
				for _, st := range rows[p][a] {
					rec = append(rec, formatNumber(st.Mean), formatNumber(st.Lo), formatNumber(st.Hi))
				}
				cw.Write(append(rec, results.FormatFloat(spent[p][a])))
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	if len(formats) > 0 {
		if err := untilInterrupted(ctx, out, func() error { return writeFrontierFigures(out, f, formats) }); err != nil {
			return err
		}
	}
	printFrontier(e.stdout, cfg.Currency, fp, rows)
	return nil
}

// writeFrontierFigures draws the budget curves into out/plots, replacing
// what is there only once every figure is drawn.
func writeFrontierFigures(out string, f *plots.Frontier, formats []string) error {
	figs, err := plots.FrontierFigures(f)
	if err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return saveFigures(out, figs, formats)
}

// printFrontier writes one row per instrument and budget: firms and jobs
// saved with the half-widths of their intervals, and the costs per firm
// and per job saved with their Fieller intervals.
func printFrontier(w io.Writer, currency string, fp *frontierPlan, rows [][][]results.Stat) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "instrument\tbudget (%s)\tfirms saved\t%s per firm saved\tjobs saved\t%s per job saved\tdeadweight\n", currency, currency, currency)
	for a, name := range fp.arms {
		for p, b := range fp.budgets {
			r := rows[p][a]
			dead := r[5].ShareText()
			if dead == "n/a" {
				dead = noEffect
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, results.Compact(b), r[0].HalfWidthText(), r[2].CostRatioText(),
				r[1].HalfWidthText(), r[3].CostRatioText(), dead)
		}
	}
	tw.Flush()
}
