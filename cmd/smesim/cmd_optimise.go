package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/optimise"
	"github.com/smesim/smesim/sim/results"
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
			"95% intervals.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "arm", Value: config.AllArm, Usage: "the mix: an `ARM` of several interventions (\"loans+relief\", \"all\")"},
			&cli.Float64Flag{Name: "budget", Usage: "total `BUDGET` to split, in currency units (> 0)", DefaultText: "the sum of the mix's budgets in the scenario"},
			&cli.IntFlag{Name: "steps", Value: 4, Usage: "shares in steps of 1/`K` (1 to 20)"},
			&cli.IntFlag{Name: "first", Value: 4, Usage: "`N` replications per split in the first round (at least 1)", DefaultText: "4, or the replications if fewer"},
			&cli.IntFlag{Name: "replications", Aliases: []string{"r"}, Usage: "most replications per split, and the fresh replications of the measure (1 to 100000)", DefaultText: "the scenario's replications"},
			&cli.IntFlag{Name: "workers", Aliases: []string{"w"}, Usage: "`N` runs in parallel (at least 1); the results do not depend on it", DefaultText: "number of CPUs"},
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			cfg, err := openScenario(arg)
			if err != nil {
				return err
			}
			most := max(cfg.Replications, 1)
			if c.IsSet("replications") {
				most = c.Int("replications")
			}
			steps, first, workers := c.Int("steps"), c.Int("first"), workersOrCPUs(c.Int("workers"))
			if !c.IsSet("first") {
				first = min(first, most)
			}
			switch {
			case most < 1 || most > 100000:
				return badInputf("--replications %d: must be between 1 and 100000", most)
			case steps < 1 || steps > 20:
				return badInputf("--steps %d: must be between 1 and 20", steps)
			case first < 1 || first > most:
				return badInputf("--first %d: must be between 1 and the replications, %d", first, most)
			case workers < 1:
				return badInputf("--workers %d: must be at least 1", workers)
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
			return runOptimise(c.Context, e.stdout, m, steps, first, most, workers)
		},
	}
}

// runOptimise searches the splits of m and prints what it found.
func runOptimise(ctx context.Context, w io.Writer, m *optimise.Mix, steps, first, most, workers int) error {
	splits := optimise.Grid(len(m.Instruments), steps)
	interrupted := func() error { return &interruptError{"interrupted; nothing was written", ctx.Err()} }
	found, err := optimise.Halving(ctx, len(splits), first, most, workers, m.FailuresAvoided(splits))
	if err != nil {
		if ctx.Err() != nil {
			return interrupted()
		}
		return err
	}
	best := splits[found.Best]
	// Fresh replications measure the best split, the scenario's split and
	// the baseline, all paired.
	measured := []optimise.Split{nil, best, m.ScenarioSplit()}
	cost := [][]float64{make([]float64, most), make([]float64, most), make([]float64, most)}
	fiscal := slices.Index(results.HeadlineMetrics, results.FiscalCost)
	fresh := func(ctx context.Context, c, rep int) (float64, error) {
		r, err := m.Run(ctx, measured[c], most+rep)
		if err != nil {
			return 0, err
		}
		cost[c][rep] = results.Headline(r)[fiscal]
		return optimise.Failures(r), nil
	}
	check, err := optimise.Exhaustive(ctx, len(measured), most, workers, fresh)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted()
		}
		return err
	}
	base, bestF, ownF := check.Values[0], check.Values[1], check.Values[2]
	savedBest, savedOwn, gain := make([]float64, most), make([]float64, most), make([]float64, most)
	for r := range most {
		savedBest[r], savedOwn[r], gain[r] = base[r]-bestF[r], base[r]-ownF[r], ownF[r]-bestF[r]
	}
	name := func(s optimise.Split) string {
		var parts []string
		for k, i := range m.Instruments {
			parts = append(parts, fmt.Sprintf("%s %s%%", m.Config.InterventionName(i), results.Compact(100*s[k])))
		}
		return strings.Join(parts, ", ")
	}
	cur := m.Config.Currency
	fmt.Fprintf(w, "mix %s of %q, total budget %s %s: %d splits in steps of 1/%d, successive halving from %d to %d replications: %d rounds, %d runs\n",
		m.Arm.Name, m.Config.Name, results.Compact(m.Total), cur, len(splits), steps, first, most, found.Rounds, found.Runs)
	fmt.Fprintf(w, "best split:      %s\n", name(best))
	fmt.Fprintf(w, "scenario split:  %s\n", name(m.ScenarioSplit()))
	fmt.Fprintf(w, "on %d fresh replications (%d to %d), paired with the baseline:\n", most, most, 2*most-1)
	fmt.Fprintf(w, "  firms saved, best split:      %s\n", results.Describe("", savedBest).HalfWidthText())
	fmt.Fprintf(w, "  firms saved, scenario split:  %s\n", results.Describe("", savedOwn).HalfWidthText())
	fmt.Fprintf(w, "  gain of the best split:       %s firms\n", results.Describe("", gain).HalfWidthText())
	fmt.Fprintf(w, "  fiscal cost, best split:      %s %s\n", results.NetCostText(results.Describe("", cost[1]).Mean), cur)
	fmt.Fprintf(w, "  fiscal cost, scenario split:  %s %s\n", results.NetCostText(results.Describe("", cost[2]).Mean), cur)
	return nil
}
