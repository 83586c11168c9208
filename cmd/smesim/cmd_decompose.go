package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/sensitivity"
)

// decompositionFile is the tidy table decompose writes into its directory.
const decompositionFile = "decomposition.csv"

type decomposeOptions struct {
	out          string
	metric       string
	replications *int
	workers      int // 0: number of CPUs
	threads      int
	progress     string
	now          time.Time
}

func decomposeCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "decompose",
		Usage:     "split the effect of a scenario's intervention mix among its instruments (Shapley values)",
		ArgsUsage: "FILE|BUILTIN",
		Description: "Runs every combination of the scenario's interventions as an arm (2^n arms, the baseline\n" +
			"and the whole mix included; n at most " + strconv.Itoa(sensitivity.MaxExactPlayers) + ") on the same random draws, replication by\n" +
			"replication, and splits the mix's paired effect on --metric among the interventions by their\n" +
			"exact Shapley values: each intervention's marginal effect averaged over every order in which\n" +
			"the instruments could be added. The values are computed per replication, so that they add up\n" +
			"to the mix's effect in each one, and their 95% Student-t intervals are over the replications.\n" +
			"Prints a table (value ± half-width, share of the mix's effect, the intervention's effect alone)\n" +
			"and the efficiency check, and writes DIR/" + decompositionFile + ". Finished runs are kept in\n" +
			".DIR.partial until the table is written: the same command resumes an interrupted one.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "metric", Value: results.FirmsSaved, Usage: "effect `METRIC` to decompose: " + strings.Join(additiveEffects(), ", ")},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "directory `DIR` to create for " + decompositionFile + "; it must not exist or be empty",
				DefaultText: defaultOutRoot + "/<scenario name>-decompose-<YYYYMMDD-HHMMSS>"},
			replicationsFlag("`N` Monte Carlo replications (1 to 100000)"),
			workersFlag("runs"),
			threadsFlag(),
			progressFlag(),
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			opts := decomposeOptions{out: c.String("out"), metric: c.String("metric"), workers: c.Int("workers"), now: time.Now()}
			if opts.threads, err = threadsOf(c); err != nil {
				return err
			}
			if opts.progress, err = progressOf(c); err != nil {
				return err
			}
			if c.IsSet("replications") {
				v := c.Int("replications")
				opts.replications = &v
			}
			if c.IsSet("workers") && opts.workers < 1 {
				return badInputf("--workers %d: must be at least 1", opts.workers)
			}
			return runDecompose(c.Context, e, opts, arg)
		},
	}
}

// additiveEffects lists the effect metrics that are paired differences of
// a headline metric: those a Shapley decomposition splits additively (the
// cost ratios are not sums over instruments).
func additiveEffects() []string {
	var out []string
	for _, m := range results.EffectMetrics {
		if _, ok := results.EffectHeadline(m); ok {
			out = append(out, m)
		}
	}
	return out
}

// coalitionArms returns the arm names of every non-empty coalition of the
// n interventions of cfg, by coalition bit set: names[s-1] joins the names
// of the interventions whose bit is set in s with "+".
func coalitionArms(cfg *config.Config, n int) []string {
	names := make([]string, 0, 1<<n-1)
	for s := 1; s < 1<<n; s++ {
		var parts []string
		for i := range n {
			if s&(1<<i) != 0 {
				parts = append(parts, cfg.InterventionName(i))
			}
		}
		names = append(names, strings.Join(parts, "+"))
	}
	return names
}

// decomposition is the Shapley decomposition of a mix's effect.
type decomposition struct {
	shapley []results.Stat // by intervention, over replications
	alone   []results.Stat // each intervention's own effect
	mix     results.Stat   // the effect of every intervention together
	// maxGap is the largest |Σᵢ φᵢ − v(all)| over replications: zero up
	// to rounding (efficiency).
	maxGap float64
}

// decompose computes the Shapley values of n players from worth[s][r], the
// effect of coalition s in replication r (worth[0] is the baseline's, all
// zeros), replication by replication, and describes them over the
// replications.
func decompose(ctx context.Context, n int, worth [][]float64, metric string) (decomposition, error) {
	reps := len(worth[0])
	phi := make([][]float64, n)
	for i := range phi {
		phi[i] = make([]float64, reps)
	}
	all := 1<<n - 1
	var d decomposition
	for r := range reps {
		v, err := sensitivity.Shapley(ctx, n, func(s sensitivity.Coalition) float64 { return worth[s][r] }, 0, 0)
		if err != nil {
			return decomposition{}, err
		}
		sum := 0.0
		for i, x := range v.Value {
			phi[i][r] = x
			sum += x
		}
		if gap := math.Abs(sum - worth[all][r]); gap > d.maxGap || math.IsNaN(gap) {
			d.maxGap = gap
		}
	}
	for i := range n {
		d.shapley = append(d.shapley, results.Describe(metric, phi[i]))
		d.alone = append(d.alone, results.Describe(metric, worth[1<<i]))
	}
	d.mix = results.Describe(metric, worth[all])
	return d, nil
}

func runDecompose(ctx context.Context, e *env, opts decomposeOptions, arg string) error {
	headline, ok := results.EffectHeadline(opts.metric)
	if !ok {
		return badInputf("--metric %s: allowed %s (effects that add up; the cost ratios do not)", clip(opts.metric), strings.Join(additiveEffects(), ", "))
	}
	cfg, err := openScenarioReplications(arg, opts.replications)
	if err != nil {
		return err
	}
	n := len(cfg.Interventions)
	switch {
	case n == 0:
		return badInputf("%s: the scenario has no [[interventions]]: nothing to decompose", scenarioLabel(arg))
	case n > sensitivity.MaxExactPlayers:
		return badInputf("%s: %d interventions: decompose runs all 2^n combinations exactly, for at most %d", scenarioLabel(arg), n, sensitivity.MaxExactPlayers)
	}
	arms, err := cfg.ResolveArms(coalitionArms(cfg, n))
	if err != nil {
		return badInputf("%s: %w: decompose combines every intervention with every other", scenarioLabel(arg), err)
	}
	out := opts.out
	if out == "" {
		if out, err = defaultOutDir(defaultOutRoot, cfg.Name+"-decompose", opts.now); err != nil {
			return err
		}
	} else if out, err = resolveOut(out); err != nil {
		return err
	}
	if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	workers := workersOrCPUs(opts.workers)
	reps := max(cfg.Replications, 1)
	if err := checkMemory(cfg, workers, len(arms)*reps); err != nil {
		return err
	}
	plan := &batch.Plan{Kind: batch.KindRun, Points: []batch.Point{{Config: cfg, Scenario: scenarioTOML}},
		Arms: arms, Reps: reps, Scenario: scenarioTOML}
	if plan.Inputs, err = inputsOf(cfg); err != nil {
		return err
	}
	partial := partialDir(out)
	store, err := batch.Create(partial, plan)
	if err != nil {
		if exists(filepath.Join(partial, results.ManifestFile)) && !errors.Is(err, batch.ErrLocked) {
			return badInputf("%w (an interrupted run of another scenario into --out %s? remove %s or choose another --out)", err, out, partial)
		}
		return badInput(err)
	}
	defer store.Close()
	report, finish := batchProgress(e.stderr, opts.progress)
	_, err = batch.Execute(ctx, plan, store, batch.Options{Workers: workers, Threads: opts.threads, Progress: report})
	finish(err == nil)
	if ctx.Err() != nil {
		done, ferr := store.Finished()
		if ferr != nil || len(done) == 0 {
			os.RemoveAll(partial)
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return &interruptError{fmt.Sprintf("interrupted; %d of %d runs had finished and are kept in %s: the same command (with --out %s) resumes from them",
			len(done), plan.Runs(), partial, out), ctx.Err()}
	}
	if err != nil {
		return fmt.Errorf("%w; the finished runs are kept in %s: run the same command again to resume", err, partial)
	}
	src, err := batch.Collect(plan, []*batch.Store{store})
	if err != nil {
		return err
	}
	// worth[s][r]: baseline − arm of coalition s, in replication r. Arm
	// a of the plan is coalition a (arms[0] the baseline, then 1 … 2^n−1).
	col := slices.Index(results.HeadlineMetrics, headline)
	stream := src.Stream(0)
	level := make([][]float64, len(arms))
	for a := range arms {
		level[a] = make([]float64, reps)
		for r := range reps {
			if err := ctx.Err(); err != nil {
				return &interruptError{fmt.Sprintf("interrupted; the %d runs are kept in %s: the same command resumes from them", plan.Runs(), partial), err}
			}
			res, err := stream.Result(a*reps + r)
			if err != nil {
				return err
			}
			level[a][r] = results.Headline(res)[col]
		}
	}
	worth := make([][]float64, len(arms))
	for s := range worth {
		worth[s] = make([]float64, reps)
		for r := range reps {
			worth[s][r] = level[0][r] - level[s][r]
		}
	}
	d, err := decompose(ctx, n, worth, opts.metric)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	names := make([]string, n)
	for i := range names {
		names[i] = cfg.InterventionName(i)
	}
	if err := writeFileAtomic(filepath.Join(out, decompositionFile), func(w io.Writer) error {
		return writeDecomposition(w, opts.metric, names, d)
	}); err != nil {
		return err
	}
	if err := os.RemoveAll(partial); err != nil {
		return fmt.Errorf("removing %s: %w", partial, err)
	}
	fmt.Fprintf(e.stdout, "%s: Shapley decomposition of %s of the mix %s, %d %s × %d arms, in %s\n",
		cfg.Name, opts.metric, arms[len(arms)-1].Name, reps, plural(reps, "replication"), len(arms), filepath.Join(out, decompositionFile))
	printDecomposition(e.stdout, names, d)
	return nil
}

// share is part/whole, NaN when whole is 0.
func share(part, whole float64) float64 {
	if whole == 0 {
		return math.NaN()
	}
	return part / whole
}

// writeDecomposition writes the tidy table: one row per intervention,
// then the mix.
func writeDecomposition(w io.Writer, metric string, names []string, d decomposition) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"intervention", "metric", "shapley", "lo", "hi", "share", "alone", "alone_lo", "alone_hi", "replications"})
	for i, name := range names {
		s, a := d.shapley[i], d.alone[i]
		cw.Write([]string{name, metric, formatNumber(s.Mean), formatNumber(s.Lo), formatNumber(s.Hi),
			formatNumber(share(s.Mean, d.mix.Mean)), formatNumber(a.Mean), formatNumber(a.Lo), formatNumber(a.Hi), strconv.Itoa(s.N)})
	}
	m := d.mix
	cw.Write([]string{config.AllArm, metric, formatNumber(m.Mean), formatNumber(m.Lo), formatNumber(m.Hi), "1",
		formatNumber(m.Mean), formatNumber(m.Lo), formatNumber(m.Hi), strconv.Itoa(m.N)})
	cw.Flush()
	return cw.Error()
}

// printDecomposition prints the table and the efficiency check.
func printDecomposition(w io.Writer, names []string, d decomposition) {
	half := func(s results.Stat) string {
		if math.IsNaN(s.Hi) {
			return "n/a"
		}
		return strconv.FormatFloat((s.Hi-s.Lo)/2, 'f', 2, 64)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "intervention\tShapley value\t± 95%\tshare of mix\talone\t± 95%\t")
	sum := 0.0
	for i, name := range names {
		s, a := d.shapley[i], d.alone[i]
		sum += s.Mean
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%.1f%%\t%.2f\t%s\t\n", name, s.Mean, half(s), 100*share(s.Mean, d.mix.Mean), a.Mean, half(a))
	}
	fmt.Fprintf(tw, "mix (all)\t%.2f\t%s\t100.0%%\t\t\t\n", d.mix.Mean, half(d.mix))
	tw.Flush()
	aloneSum := 0.0
	for _, a := range d.alone {
		aloneSum += a.Mean
	}
	fmt.Fprintf(w, "efficiency: the Shapley values sum to %.6g, the mix's effect is %.6g (largest gap in a replication %.2g)\n", sum, d.mix.Mean, d.maxGap)
	fmt.Fprintf(w, "the interventions alone sum to %.6g: the interactions account for %.6g\n", aloneSum, d.mix.Mean-aloneSum)
}
