package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/facts"
	"github.com/smesim/smesim/sim/results"
)

// factsBuiltin is the built-in check-facts runs by default, when it
// exists; otherwise "default".
const factsBuiltin = "china-2020"

// factsOptions are the flags of smesim check-facts.
type factsOptions struct {
	out          string   // --out; "": a temporary directory
	replications *int     // nil: the scenario's
	workers      int      // 0: number of CPUs
	arms         []string // --arms; nil: the scenario's arms
	slack        bool     // --mc-slack
}

func checkFactsCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "check-facts",
		Usage:     "check that a scenario reproduces its [[facts]]: observed figures, within their tolerances",
		ArgsUsage: "[RESULT_DIR|FILE|BUILTIN]",
		Description: "Measures each [[facts]] entry of a scenario on its results and compares the mean over the\n" +
			"replications with the fact's target. RESULT_DIR is a result directory of smesim run (it\n" +
			"holds timeseries.csv): its scenario.toml gives the facts. Otherwise the scenario FILE or\n" +
			"BUILTIN (default: \"" + factsBuiltin + "\" if built in, else \"default\") is run first, every arm its\n" +
			"facts measure included, into a temporary directory (or --out DIR, which is kept).\n\n" +
			"The table shows per fact its arm, target and tolerance, the simulated mean with its 95%\n" +
			"interval over the replications, ok or MISS, and the source; shares are in percent. A fact\n" +
			"is reproduced when |mean - target| <= tolerance; with --mc-slack the tolerance is widened\n" +
			"by the half-width of the 95% interval of the mean, for quick runs with few replications.\n\n" +
			"Exit status: 0 when every fact is reproduced, 1 when some fact is missed (or the run\n" +
			"fails), 2 for bad input (a scenario error, a bad flag or argument, a scenario without\n" +
			"facts, results the facts cannot be measured on), 130 when interrupted.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "keep the results in `DIR`, which must not exist or be empty", DefaultText: "a temporary directory, removed afterwards"},
			replicationsFlag("`N` Monte Carlo replications (1 to 100000)"),
			workersFlag("replications run"),
			&cli.StringFlag{Name: "arms", Usage: "comma-separated `LIST` of arms to run besides the baseline and the arms the facts measure",
				DefaultText: "the scenario's arms"},
			&cli.BoolFlag{Name: "mc-slack", Usage: "widen each tolerance by the half-width of the 95% interval of the simulated mean"},
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "result directory, scenario FILE or BUILTIN")
			if err != nil {
				return err
			}
			opts := factsOptions{out: c.String("out"), workers: c.Int("workers"), slack: c.Bool("mc-slack")}
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
			if arg == "" {
				arg = "default"
				if isBuiltin(factsBuiltin) {
					arg = factsBuiltin
				}
			}
			if dir, ok, err := resultDir(arg); err != nil {
				return err
			} else if ok {
				for _, name := range []string{"out", "replications", "workers", "arms"} {
					if c.IsSet(name) {
						return badInputf("--%s applies when a scenario is run, not to the result directory %s", name, dir)
					}
				}
				return checkFactsDir(e, dir, opts)
			}
			return checkFactsRun(c.Context, e, arg, opts)
		},
	}
}

// resultDir reports whether arg is a result directory (a directory holding
// timeseries.csv). A directory without one is bad input, unless arg also
// names a built-in.
func resultDir(arg string) (string, bool, error) {
	st, err := os.Stat(arg)
	if err != nil || !st.IsDir() {
		return "", false, nil
	}
	if _, err := os.Stat(filepath.Join(arg, results.TimeseriesFile)); err == nil {
		return arg, true, nil
	}
	if isBuiltin(arg) {
		return "", false, nil
	}
	return "", false, badInputf("%s is a directory without %s: not a result directory of smesim run", arg, results.TimeseriesFile)
}

// checkFactsDir checks the facts of the result directory dir.
func checkFactsDir(e *env, dir string, opts factsOptions) error {
	out, err := facts.CheckDir(dir, facts.Options{MonteCarloSlack: opts.slack})
	if err != nil {
		return badInput(err)
	}
	if len(out) == 0 {
		return badInputf("%s: the scenario has no [[facts]] to check", filepath.Join(dir, results.ScenarioFile))
	}
	fmt.Fprintf(e.stdout, "results %s\n", dir)
	return reportFacts(e.stdout, out, opts.slack)
}

// checkFactsRun runs scenario arg, with every arm its facts measure, into
// a result directory and checks the facts there.
func checkFactsRun(ctx context.Context, e *env, arg string, opts factsOptions) error {
	cfg, err := openScenarioReplications(arg, opts.replications)
	if err != nil {
		return err
	}
	if len(cfg.Facts) == 0 {
		return badInputf("%s: the scenario has no [[facts]] to check", scenarioLabel(arg))
	}
	arms, err := factArms(cfg, opts.arms)
	if err != nil {
		return err
	}

	out := opts.out
	if out != "" {
		if err := results.CheckFree(out); err != nil {
			return badInput(err)
		}
	} else {
		tmp, err := os.MkdirTemp("", "smesim-check-facts-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		out = filepath.Join(tmp, safeName(cfg.Name))
	}
	scenarioTOML, err := scenarios.Encode(cfg)
	if err != nil {
		return fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	workers := workersOrCPUs(opts.workers)
	plan, err := batch.RunPlan(cfg, arms)
	if err != nil {
		return badInput(err)
	}
	resolved := plan.Arms
	bar := newProgress(e.stderr, plan.Runs())
	rs, err := batch.RunAll(ctx, plan, batch.Options{Workers: workers, Progress: func(p batch.Progress) { bar.update(p.Done, p.Total) }})
	bar.finish(err == nil)
	if ctx.Err() != nil {
		return &interruptError{"interrupted; nothing was written", ctx.Err()}
	}
	if err != nil {
		return err
	}
	meta := results.Meta{Version: smesimVersion(), Command: commandLine(e.args), Seed: cfg.Seed, Demography: cfg.Demography.On()}
	// A file network's files are copied into the directory, which its
	// scenario.toml names, as smesim run does.
	scenarioTOML, inputs, err := batch.ResultScenario(batch.Point{Config: cfg, Scenario: scenarioTOML})
	if err != nil {
		return err
	}
	if _, err := results.WriteDir(out, scenarioTOML, results.Slice(rs), meta, func(tmp string) error { return results.CopyInputs(tmp, inputs) }); err != nil {
		return err
	}
	// The scenario is the one just run.
	outcomes, err := facts.CheckFiles(cfg, out, facts.Options{MonteCarloSlack: opts.slack})
	if err != nil {
		return badInput(err)
	}
	if opts.out != "" {
		fmt.Fprintf(e.stdout, "wrote %s\n", out)
	}
	names := armNames(resolved)
	fmt.Fprintf(e.stdout, "scenario %q: %d %s, %s %s\n", cfg.Name, cfg.Replications, plural(cfg.Replications, "replication"),
		plural(len(names), "arm"), strings.Join(names, ", "))
	return reportFacts(e.stdout, outcomes, opts.slack)
}

// factArms returns the arms to run: those of --arms (or the scenario's),
// plus each arm a fact measures that none of them matches (an arm applying
// the same interventions counts: with one intervention, "all" is that
// intervention's arm).
func factArms(cfg *config.Config, flagArms []string) ([]string, error) {
	resolved, err := cfg.ResolveArms(flagArms)
	if err != nil {
		if flagArms != nil {
			return nil, badInputf("--arms: %w", err)
		}
		return nil, badInput(err)
	}
	var names []string
	sets := map[string]bool{}
	for _, a := range resolved {
		if a.Name != config.BaselineArm {
			names = append(names, a.Name)
		}
		sets[fmt.Sprint(a.Interventions)] = true
	}
	for i, f := range cfg.Facts {
		arm := facts.DefaultArm(cfg, f)
		as, err := cfg.ResolveArms([]string{arm})
		if err != nil {
			return nil, badInputf("facts[%d] %q: %w", i, f.Name, err)
		}
		a := as[len(as)-1]
		if key := fmt.Sprint(a.Interventions); !sets[key] {
			sets[key] = true
			names = append(names, a.Name)
		}
	}
	return names, nil
}

func armNames(arms []config.Arm) []string {
	var out []string
	for _, a := range arms {
		out = append(out, a.Name)
	}
	return out
}

// reportFacts prints the table of outcomes and the count of facts
// reproduced; it returns an error (exit status 1) when some are missed.
func reportFacts(w io.Writer, out []facts.Outcome, slack bool) error {
	writeFactsTable(w, out, slack)
	pass := 0
	for _, o := range out {
		if o.Pass {
			pass++
		}
	}
	reps := 0
	for _, o := range out {
		reps = max(reps, o.Stat.N)
	}
	note := fmt.Sprintf("means of %d %s", reps, plural(reps, "replication"))
	if reps > 1 {
		note += " [95% intervals]"
	}
	if slack {
		note += "; tolerances + Monte Carlo slack"
	}
	fmt.Fprintf(w, "%d of %d facts reproduced (%s)\n", pass, len(out), note)
	if pass < len(out) {
		return fmt.Errorf("%d of %d facts missed", len(out)-pass, len(out))
	}
	return nil
}

// maxSource is the width sources are cut to, to keep the table on one
// screen.
const maxSource = 40

// writeFactsTable writes one row per fact, aligned by a tabwriter.
func writeFactsTable(w io.Writer, out []facts.Outcome, slack bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "fact\tarm\ttarget\ttolerance\tsimulated\tpass\tsource\n")
	for _, o := range out {
		f := o.Fact
		share := facts.IsShare(f)
		tol := "±" + fmtFact(f.Tolerance, share)
		if slack && o.Slack > 0 {
			tol += " +" + fmtFact(o.Slack, share)
		}
		pass := "MISS"
		if o.Pass {
			pass = "ok"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Name, o.Arm, fmtFact(f.Target, share), tol,
			fmtFactStat(o.Stat, share), pass, cut(f.Source, maxSource))
	}
	tw.Flush()
}

// fmtFact writes a value of a fact: a share as a percentage with one
// decimal (0.1234 → 12.3%), anything else compactly.
func fmtFact(v float64, share bool) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	if share {
		s := fmt.Sprintf("%.1f%%", 100*v)
		if s == "-0.0%" {
			s = "0.0%"
		}
		return s
	}
	return results.Compact(v)
}

// fmtFactStat writes "mean [lo, hi]", or the mean alone without an
// interval (one replication) or when the interval would print as the mean
// (a series the replications share, such as a demand shock's multiplier).
func fmtFactStat(s results.Stat, share bool) string {
	m := fmtFact(s.Mean, share)
	if s.N < 2 || math.IsNaN(s.Lo) || math.IsNaN(s.Hi) {
		return m
	}
	lo, hi := fmtFact(s.Lo, share), fmtFact(s.Hi, share)
	if lo == m && hi == m {
		return m
	}
	return fmt.Sprintf("%s [%s, %s]", m, lo, hi)
}

// cut shortens s to n runes, ending in "…" when cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ,;") + "…"
}

// openScenarioReplications opens scenario arg with --replications
// (replications, if not nil) applied and the result validated again.
func openScenarioReplications(arg string, replications *int) (*config.Config, error) {
	cfg, err := openScenario(arg)
	if err != nil {
		return nil, err
	}
	if err := applyOverrides(cfg, runOptions{replications: replications}); err != nil {
		return nil, err
	}
	if replications != nil {
		if err := scenarios.Validate(cfg, scenarioLabel(arg)+" (with the flags' overrides)"); err != nil {
			return nil, badInput(err)
		}
	}
	return cfg, nil
}
