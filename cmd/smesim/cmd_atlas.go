package main

import (
	"context"
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
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/atlas"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// atlasOptions are the flags of smesim atlas.
type atlasOptions struct {
	out          string
	replication  int
	sample       int // 0: every firm
	seed         uint64
	top          int // 0: every row
	firms        string
	essential    string
	substitution bool
	oneWay       bool
	arm          string
	workers      int
	plots        []string
	knockout     bool // simulate the knock-out of every firm computed
	knockoutTop  int  // simulate the knock-out of the K firms first by the cheap measures (0: none)
	shard        batch.Shard
	sharded      bool
	merge        []string // shard directories whose knock-outs to take
	whatIf       whatIf
}

// atlasFiles are the files smesim atlas writes into --out.
const (
	atlasCSV     = "atlas.csv"
	atlasSummary = "atlas.md"
)

func atlasCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "atlas",
		Usage:     "rank firms by the output, jobs and equity their failure takes with them (ESRI, DebtRank)",
		ArgsUsage: "[FILE|BUILTIN]",
		Description: "Builds replication R of the scenario (default: the built-in \"default\") and, for every\n" +
			"firm (or a stratified sample, or the firms listed), computes the share of total output and\n" +
			"jobs lost when it stops producing (ESRI, Diem et al. 2022: downstream through missing\n" +
			"inputs, upstream through lost sales) and the share of equity the rest of the system loses\n" +
			"when it defaults on its trade credit and loans (DebtRank, Battiston et al. 2012). Writes\n" +
			"atlas.csv, atlas.md (the summary it prints) and the rank–size figure into --out.\n" +
			"See docs/atlas.md.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "`DIR` to write atlas.csv, atlas.md and the figure into (required)"},
			&cli.IntFlag{Name: "replication", Usage: "0-based replication `R` whose network and balance sheets to use"},
			&cli.IntFlag{Name: "sample", Usage: "compute `N` firms drawn at random, stratified by kind and role, each row weighted by the firms it stands for (at least 1)", DefaultText: "every firm"},
			&cli.Uint64Flag{Name: "seed", Usage: "`S`eed of the --sample draw", Value: 1},
			&cli.IntFlag{Name: "top", Usage: "write only the `K` most critical rows by esri_output (at least 1)", DefaultText: "every row"},
			&cli.StringFlag{Name: "firms", Usage: "compute only the firms in `LIST` (comma-separated ids, as in the network)"},
			&cli.StringFlag{Name: "essential", Usage: "CSV `FILE` input_sector,buyer_sector,essential marking inputs non-essential (default: every input is essential)"},
			&cli.BoolFlag{Name: "one-way", Usage: "skip the combined ESRI (downstream and upstream together), whose cost grows with the whole network; esri_output and esri_jobs are left empty and firms are ranked by esri_downstream"},
			&cli.BoolFlag{Name: "substitution", Usage: "let a buyer's untouched suppliers in a sector make up a lost one from their spare capacity (production.spare_capacity)"},
			&cli.StringFlag{Name: "arm", Usage: "take the balance sheets with the interventions of arm `NAME` compiled (supply chain finance, core guarantees)", Value: config.BaselineArm},
			&cli.IntFlag{Name: "workers", Usage: "goroutines computing firms in parallel (at least 1)", DefaultText: "the number of CPUs"},
			&cli.BoolFlag{Name: "knockout", Usage: "also simulate each firm computed made to fail at the shock's start, against the run without it (one whole run per firm)"},
			&cli.IntFlag{Name: "knockout-top", Usage: "simulate the knock-out of only the `K` firms ranked highest by ESRI or DebtRank (at least 1, at most the firms computed)"},
			&cli.StringFlag{Name: "what-if", Usage: "compute the atlas again after a `CHANGE`: second-supplier[=K] (a second supplier for every input bought from one supplier by, or from, the K firms first by ESRI; K = 10) or drop-guarantee=ID (core ID's guarantees removed, under an --arm with core guarantees); writes atlas-what-if.csv and the difference in total systemic risk"},
			&cli.StringFlag{Name: "shard", Usage: "simulate only shard `I/N` of the knock-outs (those whose number u, in firm order, has u mod N = I) into --out's knockouts directory, and write no atlas"},
			&cli.StringFlag{Name: "merge", Usage: "take the knock-outs of the shard --out `DIRS` (comma-separated), run with the same flags and --shard, and write the atlas"},
			plotsFlag(),
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			formats, err := plotFormats(c)
			if err != nil {
				return err
			}
			opts := atlasOptions{out: c.String("out"), replication: c.Int("replication"), sample: c.Int("sample"),
				seed: c.Uint64("seed"), top: c.Int("top"), firms: c.String("firms"), essential: c.String("essential"),
				substitution: c.Bool("substitution"), oneWay: c.Bool("one-way"), arm: c.String("arm"), workers: c.Int("workers"), plots: formats,
				knockout: c.Bool("knockout"), knockoutTop: c.Int("knockout-top"), shard: batch.Whole}
			if c.IsSet("sample") && opts.sample < 1 {
				return badInputf("--sample %d: must be at least 1", opts.sample)
			}
			if c.IsSet("top") && opts.top < 1 {
				return badInputf("--top %d: must be at least 1", opts.top)
			}
			if c.IsSet("workers") && opts.workers < 1 {
				return badInputf("--workers %d: must be at least 1", opts.workers)
			}
			if opts.sample > 0 && opts.firms != "" {
				return badInputf("--sample and --firms: give one or the other")
			}
			if c.IsSet("knockout-top") && opts.knockoutTop < 1 {
				return badInputf("--knockout-top %d: must be at least 1", opts.knockoutTop)
			}
			if opts.knockout && opts.knockoutTop > 0 {
				return badInputf("--knockout and --knockout-top: give one or the other")
			}
			if c.IsSet("shard") {
				s, err := batch.ParseShard(c.String("shard"))
				if err != nil {
					return badInputf("--shard: %w", err)
				}
				opts.shard, opts.sharded = s, true
			}
			if c.IsSet("what-if") {
				if opts.whatIf, err = parseWhatIf(c.String("what-if")); err != nil {
					return badInput(err)
				}
			}
			if m := c.String("merge"); m != "" {
				opts.merge = strings.Split(m, ",")
			}
			if (opts.sharded || opts.merge != nil) && !opts.knockout && opts.knockoutTop == 0 {
				return badInputf("--shard and --merge share out knock-outs: give --knockout or --knockout-top")
			}
			if opts.sharded && opts.merge != nil {
				return badInputf("--shard and --merge: give one or the other")
			}
			return runAtlas(c.Context, e, opts, arg)
		},
	}
}

// runAtlas computes and writes the atlas.
func runAtlas(ctx context.Context, e *env, opts atlasOptions, arg string) error {
	if opts.out == "" {
		return badInputf("atlas: --out DIR is required (see 'smesim atlas --help')")
	}
	if opts.replication < 0 {
		return badInputf("--replication %d: must be 0 or more", opts.replication)
	}
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	if err := checkMemory(cfg, 1, 1); err != nil {
		return err
	}
	arms, err := cfg.ResolveArms([]string{opts.arm})
	if err != nil {
		return badInputf("--arm %s: %w", clip(opts.arm), err)
	}
	arm := arms[len(arms)-1]
	// Building a large network and its balance sheets takes seconds and
	// cannot be stopped midway; it writes nothing, so a signal returns at
	// once.
	type built struct {
		x   *sim.Exposures
		err error
	}
	ch := make(chan built, 1)
	go func() {
		x, err := sim.BaselineExposures(cfg, arm, opts.replication)
		ch <- built{x, err}
	}()
	var b built
	select {
	case b = <-ch:
	case <-ctx.Done():
		return &interruptError{"interrupted; nothing was written", ctx.Err()}
	}
	if b.err != nil {
		return b.err
	}
	x := b.x
	net := x.Net
	aopts := atlas.Options{Workers: opts.workers, OneWay: opts.oneWay}
	if opts.substitution {
		aopts.Substitution = cfg.Production.SpareCapacity
	}
	if opts.essential != "" {
		f, err := os.Open(opts.essential)
		if err != nil {
			return badInputf("--essential %s: %w", opts.essential, unwrapPath(err))
		}
		aopts.Essential, err = atlas.ReadEssential(f, opts.essential, net.SectorNames)
		f.Close()
		if err != nil {
			return badInput(err)
		}
	}
	firms, weights, err := atlasFirms(net, opts)
	if err != nil {
		return err
	}
	rows, err := atlas.Compute(ctx, x, firms, aopts)
	if err != nil {
		if ctx.Err() != nil {
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return err
	}
	for k := range rows {
		rows[k].Weight = weights[k]
	}
	if done, err := atlasKnockouts(ctx, e, cfg, arm, x, rows, opts); err != nil || !done {
		return err
	}
	summary := atlasSummaryText(x, rows, opts)
	var after []atlas.Row
	var y *sim.Exposures
	if opts.whatIf != (whatIf{}) {
		var what string
		if y, after, what, err = atlasWhatIf(ctx, cfg, arm, x, rows, firms, aopts, opts); err != nil {
			if ctx.Err() != nil {
				return &interruptError{"interrupted; nothing was written", ctx.Err()}
			}
			return err
		}
		var b strings.Builder
		b.WriteString(summary)
		whatIfSummary(&b, rows, after, what, opts)
		summary = b.String()
	}
	written := rows
	if opts.top > 0 && opts.top < len(rows) {
		written = atlas.Ranked(rows, opts.rankBy())[:opts.top]
	}
	if err := writeAtlas(ctx, opts, x, written, summary); err != nil {
		return err
	}
	if after != nil {
		if err := writeWhatIf(opts, y, after); err != nil {
			return err
		}
	}
	fmt.Fprint(e.stdout, summary)
	fmt.Fprintf(e.stdout, "wrote %s\n", opts.out)
	return nil
}

func esriOutput(r atlas.Row) float64 { return r.ESRIOutput }
func downstream(r atlas.Row) float64 { return r.Downstream }

// rankBy returns the measure firms are ranked by: the combined ESRI, or
// its downstream part under --one-way.
func (o atlasOptions) rankBy() func(atlas.Row) float64 {
	if o.oneWay {
		return downstream
	}
	return esriOutput
}

// rankName names rankBy in the summary.
func (o atlasOptions) rankName() string {
	if o.oneWay {
		return "ESRI, downstream"
	}
	return "ESRI, output"
}
func debtRank(r atlas.Row) float64 { return r.DebtRank }

// atlasFirms returns the firms to compute and their weights: those of
// --firms, a --sample, or all.
func atlasFirms(net *network.Network, opts atlasOptions) ([]int, []float64, error) {
	n := net.N()
	var firms []int
	var weights []float64
	switch {
	case opts.firms != "":
		byName := make(map[string]int, n)
		for i := 0; i < n; i++ {
			byName[net.Name(i)] = i
		}
		seen := make([]bool, n)
		for _, id := range strings.Split(opts.firms, ",") {
			id = strings.TrimSpace(id)
			i, ok := byName[id]
			if !ok {
				return nil, nil, badInputf("--firms: no firm %s in the network (ids are as in 'smesim network export', e.g. %s)", clip(id), net.Name(0))
			}
			if !seen[i] {
				seen[i] = true
				firms = append(firms, i)
			}
		}
		slices.Sort(firms)
	case opts.sample > 0:
		if opts.sample > n {
			return nil, nil, badInputf("--sample %d: larger than the network's %d firms", opts.sample, n)
		}
		var err error
		firms, weights, err = atlas.Sample(net, opts.sample, opts.seed)
		if err != nil {
			return nil, nil, badInputf("--sample: %w", err)
		}
	default:
		firms = make([]int, n)
		for i := range firms {
			firms[i] = i
		}
	}
	if weights == nil {
		weights = make([]float64, len(firms))
		for k := range weights {
			weights[k] = 1
		}
	}
	return firms, weights, nil
}

// atlasHeader is the header of atlas.csv.
var atlasHeader = []string{"id", "kind", "role", "sector", "chain", "jobs", "output", "weight",
	"esri_output", "esri_jobs", "esri_downstream", "esri_upstream", "debtrank", "converged",
	"ko_failures", "ko_output", "ko_jobs", "ko_cascade", "ko_channels"}

// writeAtlasCSV writes rows as atlas.csv.
func writeAtlasCSV(w io.Writer, x *sim.Exposures, rows []atlas.Row) error {
	net := x.Net
	g := func(v float64) string {
		if math.IsNaN(v) {
			return "" // not computed (--one-way)
		}
		return strconv.FormatFloat(v, 'g', 8, 64)
	}
	if _, err := io.WriteString(w, strings.Join(atlasHeader, ",")+"\n"); err != nil {
		return err
	}
	for _, r := range rows {
		i := r.Firm
		chain := ""
		if net.Chain[i] >= 0 {
			chain = strconv.Itoa(int(net.Chain[i]))
		}
		cells := []string{csvCell(net.Name(i)), net.Kind[i].String(), net.Role[i].String(), csvCell(net.SectorNames[net.Sector[i]]), chain,
			g(x.Jobs[i]), g(x.Output[i]), g(r.Weight), g(r.ESRIOutput), g(r.ESRIJobs), g(r.Downstream), g(r.Upstream), g(r.DebtRank), strconv.FormatBool(r.Converged)}
		cells = append(cells, knockoutCells(r.Knockout, g)...)
		if _, err := io.WriteString(w, strings.Join(cells, ",")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// csvCell quotes s when CSV needs it.
func csvCell(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// writeAtlas writes the files of the atlas into opts.out; each is renamed
// into place when complete.
func writeAtlas(ctx context.Context, opts atlasOptions, x *sim.Exposures, rows []atlas.Row, summary string) error {
	if fi, err := os.Stat(opts.out); err == nil && !fi.IsDir() {
		return badInputf("--out %s: exists and is not a directory", opts.out)
	}
	if err := os.MkdirAll(opts.out, 0o755); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(opts.out, atlasCSV), func(w io.Writer) error { return writeAtlasCSV(w, x, rows) }); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(opts.out, atlasSummary), func(w io.Writer) error {
		_, err := io.WriteString(w, summary)
		return err
	}); err != nil {
		return err
	}
	if len(opts.plots) == 0 {
		return nil
	}
	core := make([]bool, len(rows))
	both, down, up, dr := make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
	for k, r := range rows {
		core[k] = x.Net.Kind[r.Firm] == network.Core
		both[k], down[k], up[k], dr[k] = r.ESRIOutput, r.Downstream, r.Upstream, r.DebtRank
	}
	// ESRI weighted by jobs follows ESRI by output closely: left to atlas.csv.
	measures := []plots.AtlasMeasure{{Name: "ESRI, downstream", Values: down}, {Name: "ESRI, upstream", Values: up}, {Name: "DebtRank", Values: dr}}
	if !opts.oneWay {
		measures = append([]plots.AtlasMeasure{{Name: "ESRI, both", Values: both}}, measures...)
	}
	if opts.knockout {
		// Every row was knocked out (not so under --knockout-top). Knock-outs
		// that raise output (see docs/atlas.md) are left out with the zeros.
		ko := make([]float64, len(rows))
		for k, r := range rows {
			ko[k] = r.Knockout.Output
		}
		measures = append(measures, plots.AtlasMeasure{Name: "knock-out", Values: ko})
	}
	fig, err := plots.AtlasFigure(measures, core)
	if err != nil {
		return err
	}
	for _, format := range opts.plots {
		if err := ctx.Err(); err != nil {
			return &interruptError{"interrupted; atlas.csv and atlas.md were written, the figure was not", err}
		}
		b, err := plots.Render(*fig, format)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(opts.out, fig.Name+"."+format), func(w io.Writer) error {
			_, err := w.Write(b)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// atlasSummaryText is the printed summary (and atlas.md): the share of
// firms carrying half of the total systemic risk, the most critical firms
// and sectors.
func atlasSummaryText(x *sim.Exposures, rows []atlas.Row, opts atlasOptions) string {
	net := x.Net
	var b strings.Builder
	covered := 0.0
	for _, r := range rows {
		covered += r.Weight
	}
	fmt.Fprintf(&b, "# Criticality atlas\n\n%d firms computed", len(rows))
	if opts.sample > 0 {
		fmt.Fprintf(&b, " (a stratified sample standing for %.0f firms, seed %d)", covered, opts.seed)
	}
	fmt.Fprintf(&b, " of %d; replication %d, arm %s.\n\n", net.N(), opts.replication, opts.arm)
	unconverged := 0
	for _, r := range rows {
		if !r.Converged {
			unconverged++
		}
	}
	if unconverged > 0 {
		fmt.Fprintf(&b, "Warning: the production propagation of %d firms stopped at its bound on updates before converging; their ESRI is too low (converged = false in atlas.csv).\n\n", unconverged)
	}
	rank := opts.rankBy()
	fmt.Fprintf(&b, "Share of firms carrying half of the total systemic risk: ESRI downstream %s, upstream %s",
		pct(atlas.HalfShare(rows, downstream)), pct(atlas.HalfShare(rows, func(r atlas.Row) float64 { return r.Upstream })))
	if !opts.oneWay {
		fmt.Fprintf(&b, ", both (output) %s", pct(atlas.HalfShare(rows, esriOutput)))
	}
	fmt.Fprintf(&b, "; DebtRank %s.\n\n", pct(atlas.HalfShare(rows, debtRank)))
	knockoutSummary(&b, x, rows, opts)
	targetingAgreement(&b, x, rows, opts)
	const top = 10
	fmt.Fprintf(&b, "Most critical firms (by %s):\n\n", opts.rankName())
	b.WriteString("| rank | firm | kind | role | sector | ESRI output | ESRI jobs | downstream | upstream | DebtRank |\n")
	b.WriteString("|---:|---|---|---|---|---:|---:|---:|---:|---:|\n")
	for k, r := range atlas.Ranked(rows, rank)[:min(top, len(rows))] {
		i := r.Firm
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k+1, net.Name(i), net.Kind[i], net.Role[i],
			net.SectorNames[net.Sector[i]], pct(r.ESRIOutput), pct(r.ESRIJobs), pct(r.Downstream), pct(r.Upstream), pct(r.DebtRank))
	}
	// Sectors by the total ESRI of their firms (weighted by the sample).
	ns := len(net.SectorNames)
	esri, dr, count := make([]float64, ns), make([]float64, ns), make([]float64, ns)
	for _, r := range rows {
		s := net.Sector[r.Firm]
		esri[s] += r.Weight * rank(r)
		dr[s] += r.Weight * r.DebtRank
		count[s] += r.Weight
	}
	order := make([]int, ns)
	for s := range order {
		order[s] = s
	}
	slices.SortStableFunc(order, func(a, c int) int {
		switch {
		case esri[a] > esri[c]:
			return -1
		case esri[a] < esri[c]:
			return 1
		}
		return 0
	})
	total := 0.0
	for _, v := range esri {
		total += v
	}
	fmt.Fprintf(&b, "\nMost critical sectors (by the sum of their firms' %s):\n\n", opts.rankName())
	fmt.Fprintf(&b, "| sector | firms | share of the sum | %s, mean | DebtRank, mean |\n|---|---:|---:|---:|---:|\n", opts.rankName())
	for _, s := range order[:min(top, ns)] {
		if count[s] == 0 {
			continue
		}
		share := 0.0
		if total > 0 {
			share = esri[s] / total
		}
		fmt.Fprintf(&b, "| %s | %.0f | %s | %s | %s |\n", net.SectorNames[s], count[s], pct(share), pct(esri[s]/count[s]), pct(dr[s]/count[s]))
	}
	return b.String()
}

// pct formats a share as a percentage with three significant digits.
// A measure not computed (NaN) is "—".
func pct(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(100*v, 'g', 3, 64) + "%"
}
