package main

import (
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
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/calibrate"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/sensitivity"
)

// The files and folders of a run with --posterior.
const (
	postFixedDir       = "fixed" // the batch of replications at the posterior mean
	postDrawsDir       = "draws" // the batch of one replication per posterior draw
	postSummaryFile    = "summary.json"
	postIntervalsFile  = "intervals.csv"
	streamPosteriorRun = 0x504f5354 // "POST": the draws of smesim run --posterior
)

// posteriorRun is a run whose parameters are drawn from a posterior.
type posteriorRun struct {
	cfg    *config.Config
	post   *calibrate.Posterior
	uncert *scenarios.Uncertain // the posterior's keys, to apply its values
	arms   []config.Arm
	reps   int
}

// openPosterior reads the posterior file name and checks that it was
// calibrated on cfg.
func openPosterior(cfg *config.Config, name string) (*posteriorRun, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, badInputf("--posterior %s: %w", name, unwrapPath(err))
	}
	defer f.Close()
	post, err := calibrate.Read(name, io.LimitReader(f, 1<<30))
	if err != nil {
		return nil, badInput(err)
	}
	id, err := scenarioIdentity(cfg)
	if err != nil {
		return nil, err
	}
	if post.Identity != id {
		return nil, badInputf("%s:%d: identity: the posterior was calibrated on another scenario (%q, identity %.12s…) than %q (identity %.12s…): calibrate this one with smesim calibrate, or run the scenario calibrated",
			name, identityLine, post.Scenario, post.Identity, cfg.Name, id)
	}
	// The posterior's keys are applied as [[uncertain]] entries would be,
	// each a discrete distribution of the values the particles take.
	c := *cfg
	c.Uncertain = nil
	for j, key := range post.Keys {
		vals := slices.Clone(post.Column(j))
		slices.Sort(vals)
		c.Uncertain = append(c.Uncertain, config.UncertainConfig{Key: key, Distribution: "discrete", Values: slices.Compact(vals), Unit: post.Units[j]})
	}
	// Validate checks that every value is one the key takes.
	err = scenarios.Validate(&c, name)
	var u *scenarios.Uncertain
	if err == nil {
		u, err = scenarios.NewUncertain(&c, name)
	}
	if err != nil {
		var se *scenarios.Error
		if errors.As(err, &se) {
			err = errors.New(se.Msg)
		}
		return nil, badInputf("%s:%d: a column's values do not fit the scenario: %v", name, columnLine(post), err)
	}
	return &posteriorRun{cfg: cfg, post: post, uncert: u}, nil
}

// identityLine is the line of a posterior file that holds its identity.
const identityLine = 3

// columnLine is the line of a posterior file that names its columns: after
// seven header lines and a line per unit.
func columnLine(p *calibrate.Posterior) int {
	n := 8
	for _, u := range p.Units {
		if u != "" {
			n++
		}
	}
	return n
}

// draw returns replication rep's particle of the posterior and the seed of
// its random numbers, from the scenario's seed and rep alone.
func (pr *posteriorRun) draw(rep int) (particle int, seed uint64) {
	rng := sensitivity.Stream(pr.cfg.Seed, streamPosteriorRun, uint64(rep))
	return pr.post.Pick(rng.Float64()), rng.Uint64() >> 1
}

// plans returns the two batches: the replications at the posterior mean
// (Monte Carlo noise alone), and one replication per posterior draw.
func (pr *posteriorRun) plans(inputs []results.Input) (fixed, draws *batch.Plan, err error) {
	mean := make([]float64, len(pr.post.Keys))
	for j := range mean {
		mean[j] = calibrate.WeightedMean(pr.post.Column(j), pr.post.Weights)
	}
	fixedCfg := pr.uncert.Apply(mean)
	id, copies := batchScenario(pr.cfg)
	toml, err := scenarios.Encode(id)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	fixedTOML, err := scenarios.Encode(fixedCfg)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	line := fmt.Sprintf("\n# smesim run --posterior: %s\n", pr.post.Identity)
	// The fixed batch is a plain run of the scenario at the posterior
	// mean, which smesim merge turns into a result directory.
	fixed = &batch.Plan{Kind: batch.KindRun, Points: []batch.Point{{Config: fixedCfg, Scenario: fixedTOML}}, Arms: pr.arms, Reps: pr.reps,
		Scenario: fixedTOML, Inputs: inputs, Copies: copies}
	h := make([]byte, 0, 64*pr.reps)
	for r := range pr.reps {
		p, seed := pr.draw(r)
		h = fmt.Appendf(h, "%d %d,", p, seed)
	}
	draws = &batch.Plan{Kind: batch.KindCalibration, Keys: pr.post.Keys, Arms: pr.arms, Reps: 1, Inputs: inputs, Copies: copies,
		Scenario: append(slices.Clone(toml), fmt.Sprintf("%s# draws: %x\n", line, h)...)}
	draws.Points = make([]batch.Point, pr.reps)
	for i := range draws.Points {
		draws.Points[i].Index = i
	}
	draws.Build = func(r int) *config.Config {
		p, seed := pr.draw(r)
		c := pr.uncert.Apply(pr.post.Values[p])
		c.Seed = seed
		return c
	}
	draws.Encode = scenarios.Encode
	draws.Values = func(r int) []string {
		p, _ := pr.draw(r)
		out := make([]string, len(pr.post.Keys))
		for j, x := range pr.post.Values[p] {
			out[j] = pr.uncert.Value(j, x)
		}
		return out
	}
	return fixed, draws, nil
}

// runPosterior runs the scenario arg with its parameters drawn from the
// posterior file opts.posterior into the directory --out, which the same
// command resumes, and writes and prints the two intervals of each
// intervention arm's firms saved and cost per firm saved.
func runPosterior(ctx context.Context, e *env, opts runOptions, arg string) error {
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	if err := applyOverrides(cfg, opts); err != nil {
		return err
	}
	if err := scenarios.Validate(cfg, scenarioLabel(arg)+" (with the flags' overrides)"); err != nil {
		return badInput(err)
	}
	pr, err := openPosterior(cfg, opts.posterior)
	if err != nil {
		return err
	}
	if pr.arms, err = cfg.ResolveArms(opts.arms); err != nil {
		if opts.arms != nil {
			return badInputf("--arms: %w", err)
		}
		return badInput(err)
	}
	if len(pr.arms) < 2 {
		return badInputf("%s: no intervention arm: run --posterior reports the effects of interventions against the baseline", scenarioLabel(arg))
	}
	if cfg.Replications < 2 {
		return badInputf("--replications %d: a run with --posterior needs at least 2, to measure the spread of its draws", cfg.Replications)
	}
	pr.reps = cfg.Replications
	inputs, err := inputsOf(cfg)
	if err != nil {
		return err
	}
	fixed, draws, err := pr.plans(inputs)
	if err != nil {
		return err
	}
	workers := workersOrCPUs(opts.workers)
	runs := len(pr.arms) * pr.reps
	if err := checkEstimate(fmt.Sprintf("scenario %q with the posterior's values", cfg.Name), largestEstimate(pr.uncert, min(workers, runs), runs)); err != nil {
		return err
	}
	out, err := resolveOut(opts.out)
	if err != nil {
		return err
	}
	if out == "" {
		if out, err = defaultOutDir(defaultOutRoot, cfg.Name+"-posterior", opts.now); err != nil {
			return err
		}
	}
	if entries, err := os.ReadDir(out); err == nil {
		for _, en := range entries {
			if !slices.Contains([]string{postFixedDir, postDrawsDir, postSummaryFile, postIntervalsFile, batch.LockFile}, en.Name()) {
				return badInputf("%s holds %s: not the directory of a run with --posterior; choose another --out", out, en.Name())
			}
		}
	}
	lock, err := batch.LockDir(out)
	if err != nil {
		return badInput(err)
	}
	defer lock.Release()
	var srcs [2]*batch.Sources
	for i, plan := range []*batch.Plan{fixed, draws} {
		store, _, err := openBatch(filepath.Join(out, []string{postFixedDir, postDrawsDir}[i]), "", plan)
		if err != nil {
			return err
		}
		defer store.Close()
		report, finish := batchProgress(e.stderr, opts.progress)
		_, err = batch.Execute(ctx, plan, store, batch.Options{Workers: workers, Threads: opts.threads, Progress: report})
		finish(err == nil)
		if err != nil {
			if ctx.Err() != nil {
				return &interruptError{fmt.Sprintf("interrupted; the finished runs are kept in %s: the same command (with --out %s) resumes from them", out, out), ctx.Err()}
			}
			return err
		}
		if srcs[i], err = batch.Collect(plan, []*batch.Store{store}); err != nil {
			return err
		}
		store.StopOn(ctx)
	}
	rows, err := pr.intervals(ctx, srcs[0], srcs[1])
	if err != nil {
		if ctx.Err() != nil {
			return &interruptError{fmt.Sprintf("interrupted; the finished runs are kept in %s: the same command (with --out %s) resumes from them", out, out), ctx.Err()}
		}
		return err
	}
	if err := writePosteriorIntervals(out, pr, rows); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: scenario %q with the posterior %s (%d particles): %d replications at the posterior mean and %d, one per posterior draw, × %d arms\n",
		out, cfg.Name, opts.posterior, len(pr.post.Values), pr.reps, pr.reps, len(pr.arms))
	printPosteriorIntervals(e.stdout, rows, cfg.Currency)
	return nil
}

// postInterval is one arm's metric with its two intervals.
type postInterval struct {
	Arm    string          `json:"arm"`
	Metric string          `json:"metric"`
	Fixed  results.Stat    `json:"monte_carlo"` // at the posterior mean: Monte Carlo noise alone
	Total  calibrate.Total `json:"-"`
}

// paired are the per-replication paired effects of one arm: firms saved
// and the fiscal cost, against the baseline's replication.
type paired struct{ saved, cost []float64 }

// effectsOf reads the firms saved and fiscal costs of each arm of src's
// points, replication by replication (a point per replication for the
// draws).
func effectsOf(ctx context.Context, src *batch.Sources, points, arms, reps int) ([]paired, error) {
	fail := slices.Index(results.HeadlineMetrics, results.Failures)
	cost := slices.Index(results.HeadlineMetrics, results.FiscalCost)
	out := make([]paired, arms)
	for p := range points {
		st := src.Stream(p)
		base := make([][]float64, reps)
		for a := range arms {
			for r := range reps {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				res, err := st.Result(a*reps + r)
				if err != nil {
					return nil, err
				}
				h := results.Headline(res)
				if a == 0 {
					base[r] = h
					continue
				}
				out[a].saved = append(out[a].saved, base[r][fail]-h[fail])
				out[a].cost = append(out[a].cost, h[cost]-base[r][cost])
			}
		}
	}
	return out, nil
}

// intervals computes, per intervention arm, the firms saved and the cost
// per firm saved at the posterior mean (their Monte Carlo intervals, as
// smesim run reports them) and over the posterior's draws (intervals that
// carry the parameters' uncertainty: see calibrate.TotalMean).
func (pr *posteriorRun) intervals(ctx context.Context, fixed, draws *batch.Sources) ([]postInterval, error) {
	fx, err := effectsOf(ctx, fixed, 1, len(pr.arms), pr.reps)
	if err != nil {
		return nil, err
	}
	dr, err := effectsOf(ctx, draws, pr.reps, len(pr.arms), 1)
	if err != nil {
		return nil, err
	}
	var rows []postInterval
	for a := 1; a < len(pr.arms); a++ {
		name := pr.arms[a].Name
		rows = append(rows,
			postInterval{Arm: name, Metric: results.FirmsSaved, Fixed: results.Describe(results.FirmsSaved, fx[a].saved),
				Total: calibrate.TotalMean(fx[a].saved, dr[a].saved)},
			postInterval{Arm: name, Metric: results.CostPerFirmSaved, Fixed: results.Ratio(results.CostPerFirmSaved, fx[a].cost, fx[a].saved),
				Total: calibrate.TotalRatio(fx[a].cost, fx[a].saved, dr[a].cost, dr[a].saved)})
	}
	return rows, nil
}

// dominant says which uncertainty dominates the total interval.
func dominant(t calibrate.Total) string {
	switch {
	case math.IsNaN(t.ParameterShare):
		return "n/a"
	case t.ParameterShare > 0.5:
		return "parameters"
	}
	return "monte carlo"
}

func writePosteriorIntervals(out string, pr *posteriorRun, rows []postInterval) error {
	type total struct {
		Mean           *float64 `json:"mean"`
		Lo             *float64 `json:"lo"`
		Hi             *float64 `json:"hi"`
		ParameterShare *float64 `json:"parameter_share"`
		N              int      `json:"n"`
	}
	type row struct {
		postInterval
		Total    total  `json:"with_parameter_uncertainty"`
		Dominant string `json:"dominant"`
	}
	num := func(v float64) *float64 { // null when undefined
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	var js []row
	for _, r := range rows {
		js = append(js, row{postInterval: r, Dominant: dominant(r.Total), Total: total{Mean: num(r.Total.Mean), Lo: num(r.Total.Lo),
			Hi: num(r.Total.Hi), ParameterShare: num(r.Total.ParameterShare), N: r.Total.N}})
	}
	doc := map[string]any{"confidence": results.Confidence, "scenario": pr.cfg.Name, "posterior_identity": pr.post.Identity,
		"posterior_particles": len(pr.post.Values), "replications": pr.reps, "effects": js}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(out, postSummaryFile), func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	}); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(out, postIntervalsFile), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"arm", "metric", "interval", "mean", "lo", "hi", "parameter_share"})
		for _, r := range rows {
			cw.Write([]string{r.Arm, r.Metric, "monte_carlo", formatNumber(r.Fixed.Mean), formatNumber(r.Fixed.Lo), formatNumber(r.Fixed.Hi), ""})
			cw.Write([]string{r.Arm, r.Metric, "with_parameter_uncertainty", formatNumber(r.Total.Mean), formatNumber(r.Total.Lo),
				formatNumber(r.Total.Hi), formatNumber(r.Total.ParameterShare)})
		}
		cw.Flush()
		return cw.Error()
	})
}

func printPosteriorIntervals(w io.Writer, rows []postInterval, currency string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "arm\tmetric\tat the posterior mean [95%% Monte Carlo]\twith parameter uncertainty [95%%]\tparameters' share\tdominant\n")
	iv := func(mean, lo, hi float64) string {
		s := results.Compact(mean)
		if math.IsNaN(mean) {
			return "n/a"
		}
		if math.IsNaN(lo) || math.IsNaN(hi) {
			return s + " [unbounded]"
		}
		return fmt.Sprintf("%s [%s, %s]", s, results.Compact(lo), results.Compact(hi))
	}
	for _, r := range rows {
		share := "n/a"
		if !math.IsNaN(r.Total.ParameterShare) {
			share = strconv.Itoa(int(math.Round(100*r.Total.ParameterShare))) + "%"
		}
		metric := r.Metric
		if r.Metric == results.CostPerFirmSaved && currency != "" {
			metric += " (" + currency + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Arm, metric, iv(r.Fixed.Mean, r.Fixed.Lo, r.Fixed.Hi), iv(r.Total.Mean, r.Total.Lo, r.Total.Hi), share, dominant(r.Total))
	}
	tw.Flush()
}

func posteriorFlag() cli.Flag {
	return &cli.StringFlag{Name: "posterior", Usage: "draw each replication's parameters from the posterior `FILE` of smesim calibrate, and report the effects' intervals with and without the parameters' uncertainty (no result files, no figures)"}
}

// posteriorOf returns --posterior, refusing the flags it does not take.
func posteriorOf(c *cli.Context) (string, error) {
	for _, name := range []string{"shard", "plots", "format", "record"} {
		if c.IsSet(name) {
			return "", badInputf("--%s does not apply to a run with --posterior, which writes %s and %s", name, postSummaryFile, postIntervalsFile)
		}
	}
	return c.String("posterior"), nil
}
