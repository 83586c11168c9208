package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/atlas"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/config"
)

// knockoutDir is the batch directory, inside --out, that keeps each
// finished knock-out: a rerun resumes from it, and the shards of --shard
// are joined from theirs by --merge.
const knockoutDir = "knockouts"

// kindAtlas is the batch kind of the knock-outs of smesim atlas: a point
// per firm knocked out.
const kindAtlas = "atlas-knockouts"

// atlasKnockouts simulates the knock-outs asked for by --knockout or
// --knockout-top, or takes them from the batch directory (resuming) and
// from the shards of --merge, and stores them in rows. Under --shard it
// does its share and reports done = false: the atlas is then not written.
func atlasKnockouts(ctx context.Context, e *env, cfg *config.Config, arm config.Arm, x *sim.Exposures, rows []atlas.Row, opts atlasOptions) (done bool, err error) {
	if !opts.knockout && opts.knockoutTop == 0 {
		return true, nil
	}
	flag := "--knockout"
	if opts.knockoutTop > 0 {
		flag = "--knockout-top"
	}
	if !x.Finance {
		return false, badInputf("%s: the scenario models no money (finance off), so no firm can fail", flag)
	}
	if opts.knockoutTop > len(rows) {
		return false, badInputf("--knockout-top %d: more than the %d firms computed", opts.knockoutTop, len(rows))
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
	plan, err := knockoutPlan(cfg, arm, opts.replication, firms)
	if err != nil {
		return false, err
	}
	var shards []*batch.Store
	for _, d := range opts.merge {
		s, err := batch.Open(filepath.Join(d, knockoutDir))
		if err != nil {
			return false, badInputf("--merge %s: %w", d, err)
		}
		defer s.Close()
		if m := s.Manifest(); !m.Equal(batch.ManifestOf(plan)) {
			return false, badInputf("--merge %s: holds %s of %d runs, not a shard of these knock-outs (run with the same scenario and flags but --shard)", d, m.Kind, m.Runs)
		}
		shards = append(shards, s)
	}
	if err := os.MkdirAll(opts.out, 0o755); err != nil {
		return false, badInputf("--out %s: %w", opts.out, unwrapPath(err))
	}
	dir := filepath.Join(opts.out, knockoutDir)
	store, err := batch.Create(dir, plan)
	if err != nil {
		return false, badInputf("--out %s: %w", opts.out, err)
	}
	defer store.Close()
	finished, err := store.Finished()
	if err != nil {
		return false, err
	}
	for _, s := range shards {
		theirs, err := s.Finished()
		if err != nil {
			return false, err
		}
		for u := range theirs {
			if finished[u] {
				continue
			}
			data, err := s.Raw(u, "")
			if err != nil {
				return false, err
			}
			if err := store.PutRaw(u, data); err != nil {
				return false, err
			}
			finished[u] = true
		}
	}
	var todo []int // indexes into firms
	for u := range firms {
		if !finished[u] && opts.shard.Has(u) {
			todo = append(todo, u)
		}
	}
	todoFirms := make([]int, len(todo))
	for k, u := range todo {
		todoFirms[k] = firms[u]
	}
	err = atlas.Knockouts(ctx, cfg, arm, opts.replication, todoFirms, opts.workers, func(k int, ko atlas.Knockout) error {
		return store.PutRaw(todo[k], ko.Encode())
	})
	if err != nil {
		if ctx.Err() != nil {
			return false, &interruptError{fmt.Sprintf("interrupted; the finished knock-outs are kept in %s: the same command resumes from them", dir), ctx.Err()}
		}
		return false, err
	}
	if opts.sharded {
		fmt.Fprintf(e.stdout, "shard %s: its knock-outs of the %d are in %s; when every shard is done: smesim atlas with the same flags and --merge SHARD-OUT,... writes the atlas\n",
			opts.shard, len(firms), dir)
		return false, nil
	}
	if _, err := batch.Collect(plan, []*batch.Store{store}); err != nil {
		return false, badInputf("--merge: %w", err)
	}
	for u, f := range firms {
		data, err := store.Raw(u, "")
		if err != nil {
			return false, err
		}
		ko, err := atlas.DecodeKnockout(data)
		if err != nil {
			return false, fmt.Errorf("%s: knock-out %d: %w", dir, u, err)
		}
		rows[at[f]].Knockout = ko
	}
	return true, nil
}

// knockoutPlan is the batch of the knock-outs of firms: one point per
// firm, identified by the scenario, the replication, the arm and the firms.
func knockoutPlan(cfg *config.Config, arm config.Arm, rep int, firms []int) (*batch.Plan, error) {
	scenario, err := scenarios.Encode(cfg)
	if err != nil {
		return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	h := sha256.New()
	for _, f := range firms {
		fmt.Fprintf(h, "%d\n", f)
	}
	scenario = fmt.Appendf(scenario, "\n# smesim atlas knock-outs: replication %d, arm %s, %d firms (sha256 of their indexes %x)\n",
		rep, arm.Name, len(firms), h.Sum(nil))
	inputs, err := inputsOf(cfg)
	if err != nil {
		return nil, err
	}
	plan := &batch.Plan{Kind: kindAtlas, Arms: []config.Arm{arm}, Reps: 1, Scenario: scenario, Inputs: inputs,
		Points: make([]batch.Point, len(firms))}
	for i := range plan.Points {
		plan.Points[i].Index = i
	}
	return plan, nil
}

// knockoutCells are the knock-out columns of a row of atlas.csv, empty when
// not simulated.
func knockoutCells(k atlas.Knockout, g func(float64) string) []string {
	if !k.Simulated {
		return []string{"", "", "", "", ""}
	}
	return []string{g(k.Failures), g(k.Output), g(k.Jobs), strconv.Itoa(k.Cascade), strings.Join(k.Channels.Names(), "|")}
}

// koOutput is the knock-out's output lost, NaN when not simulated (which
// Spearman leaves out).
func koOutput(r atlas.Row) float64 {
	if !r.Knockout.Simulated {
		return math.NaN()
	}
	return r.Knockout.Output
}

// targetingAgreement says how well the priority network-impact of
// interventions, a first-order measure, ranks firms as the atlas does.
func targetingAgreement(b *strings.Builder, x *sim.Exposures, rows []atlas.Row, opts atlasOptions) {
	impact := x.NetworkImpact()
	byImpact := func(r atlas.Row) float64 { return impact[r.Firm] }
	rho, n := atlas.Spearman(rows, byImpact, opts.rankBy())
	rhoDR, _ := atlas.Spearman(rows, byImpact, debtRank)
	fmt.Fprintf(b, "Targeting: the priority network-impact of interventions (flows in and out) ranks the %d firms as %s with Spearman %s, as DebtRank with %s",
		n, opts.rankName(), sig3(rho), sig3(rhoDR))
	if rhoKO, nKO := atlas.Spearman(rows, byImpact, koOutput); nKO > 0 {
		fmt.Fprintf(b, ", as the knock-out's output lost with %s (%d firms)", sig3(rhoKO), nKO)
	}
	b.WriteString(".\n\n")
}

// knockoutSummary writes the knock-out part of the summary: the half share,
// the agreement with the linear measure and the largest disagreements.
func knockoutSummary(b *strings.Builder, x *sim.Exposures, rows []atlas.Row, opts atlasOptions) {
	var sim []atlas.Row
	for _, r := range rows {
		if r.Knockout.Simulated {
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
