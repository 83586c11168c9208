package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/atlas"
	"github.com/smesim/smesim/sim/config"
)

// atlasKnockouts simulates the knock-outs asked for by --knockout or
// --knockout-top and stores them in rows.
func atlasKnockouts(ctx context.Context, cfg *config.Config, arm config.Arm, x *sim.Exposures, rows []atlas.Row, opts atlasOptions) error {
	if !opts.knockout && opts.knockoutTop == 0 {
		return nil
	}
	flag := "--knockout"
	if opts.knockoutTop > 0 {
		flag = "--knockout-top"
	}
	if !x.Finance {
		return badInputf("%s: the scenario models no money (finance off), so no firm can fail", flag)
	}
	if opts.knockoutTop > len(rows) {
		return badInputf("--knockout-top %d: more than the %d firms computed", opts.knockoutTop, len(rows))
	}
	at := make(map[int]int, len(rows)) // firm → index in rows
	for k, r := range rows {
		at[r.Firm] = k
	}
	chosen := rows
	if opts.knockoutTop > 0 {
		chosen = atlas.Screen(rows, opts.rankBy(), opts.knockoutTop)
	}
	firms := make([]int, len(chosen))
	for k, r := range chosen {
		firms[k] = r.Firm
	}
	slices.Sort(firms)
	kos, err := atlas.Knockouts(ctx, cfg, arm, opts.replication, firms, opts.workers)
	if err != nil {
		if ctx.Err() != nil {
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return err
	}
	for k, f := range firms {
		rows[at[f]].Knockout = kos[k]
	}
	return nil
}

// knockoutCells are the knock-out columns of a row of atlas.csv, empty when
// not simulated.
func knockoutCells(k atlas.Knockout, g func(float64) string) []string {
	if !k.Simulated() {
		return []string{"", "", "", "", ""}
	}
	return []string{g(k.Failures), g(k.Output), g(k.Jobs), strconv.Itoa(k.Cascade), strings.Join(k.Channels.Names(), "|")}
}

func koOutput(r atlas.Row) float64 { return r.Knockout.Output }

// knockoutSummary writes the knock-out part of the summary: the half share,
// the agreement with the linear measure and the largest disagreements.
func knockoutSummary(b *strings.Builder, x *sim.Exposures, rows []atlas.Row, opts atlasOptions) {
	var sim []atlas.Row
	for _, r := range rows {
		if r.Knockout.Simulated() {
			sim = append(sim, r)
		}
	}
	if len(sim) == 0 {
		return
	}
	rank := opts.rankBy()
	fmt.Fprintf(b, "Knock-outs simulated: %d firms", len(sim))
	if opts.knockoutTop > 0 {
		b.WriteString(" (the first by ESRI or DebtRank: not a sample, so shares among them are not of the network)")
	}
	fmt.Fprintf(b, ". Share of them carrying half of the output lost: %s.\n\n", pct(atlas.HalfShare(sim, koOutput)))
	rho, n := atlas.Spearman(sim, rank, koOutput)
	rhoDR, _ := atlas.Spearman(sim, debtRank, koOutput)
	fmt.Fprintf(b, "Rank correlation (Spearman) with the knock-out's output lost, over %d firms: %s %s, DebtRank %s.\n\n",
		n, opts.rankName(), sig3(rho), sig3(rhoDR))
	// The largest disagreements: rank by one measure against the other.
	pos := func(measure func(atlas.Row) float64) map[int]int {
		m := map[int]int{}
		for k, r := range atlas.Ranked(sim, measure) {
			m[r.Firm] = k + 1
		}
		return m
	}
	rl, rk := pos(rank), pos(koOutput)
	diff := slices.Clone(sim)
	slices.SortStableFunc(diff, func(a, c atlas.Row) int {
		da, dc := abs(rl[a.Firm]-rk[a.Firm]), abs(rl[c.Firm]-rk[c.Firm])
		if da != dc {
			return dc - da
		}
		return a.Firm - c.Firm
	})
	net := x.Net
	b.WriteString("Largest disagreements (rank among the firms simulated):\n\n")
	fmt.Fprintf(b, "| firm | kind | role | %s | rank | knock-out output | rank | DebtRank | failures | channels |\n", opts.rankName())
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range diff[:min(6, len(diff))] {
		i := r.Firm
		fmt.Fprintf(b, "| %s | %s | %s | %s | %d | %s | %d | %s | %s | %s |\n", net.Name(i), net.Kind[i], net.Role[i],
			pct(rank(r)), rl[i], pct(r.Knockout.Output), rk[i], pct(r.DebtRank), sig3(r.Knockout.Failures), strings.Join(r.Knockout.Channels.Names(), ", "))
	}
	b.WriteString("\n")
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// sig3 formats a number with three significant digits, "—" for NaN.
func sig3(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
