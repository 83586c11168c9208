package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/atlas"
	"github.com/smesim/smesim/sim/config"
)

// atlasWhatIfCSV is the atlas after the --what-if change.
const atlasWhatIfCSV = "atlas-what-if.csv"

// whatIf is a parsed --what-if: a second supplier for the single-sourced
// inputs of the top K firms, or the guarantees of a core dropped.
type whatIf struct {
	secondSupplier int    // K; 0: not this change
	dropGuarantee  string // the core's id; "": not this change
}

// parseWhatIf reads second-supplier[=K] or drop-guarantee=ID.
func parseWhatIf(spec string) (whatIf, error) {
	name, value, hasValue := strings.Cut(spec, "=")
	switch name {
	case "second-supplier":
		if !hasValue {
			return whatIf{secondSupplier: 10}, nil
		}
		k, err := strconv.Atoi(value)
		if err != nil || k < 1 {
			return whatIf{}, fmt.Errorf("--what-if %s: K must be a whole number, at least 1", clip(spec))
		}
		return whatIf{secondSupplier: k}, nil
	case "drop-guarantee":
		if value == "" {
			return whatIf{}, fmt.Errorf("--what-if %s: name the core, drop-guarantee=ID", clip(spec))
		}
		return whatIf{dropGuarantee: value}, nil
	}
	return whatIf{}, fmt.Errorf("--what-if %s: want second-supplier[=K] or drop-guarantee=ID", clip(spec))
}

// atlasWhatIf computes the atlas of the same firms after the change and
// returns its baseline, its rows and a sentence saying what changed.
func atlasWhatIf(ctx context.Context, cfg *config.Config, arm config.Arm, x *sim.Exposures, rows []atlas.Row, firms []int, aopts atlas.Options, opts atlasOptions) (*sim.Exposures, []atlas.Row, string, error) {
	w := opts.whatIf
	net := x.Net
	var y *sim.Exposures
	var what string
	switch {
	case w.secondSupplier > 0:
		var top []int
		for _, r := range atlas.Ranked(rows, opts.rankBy())[:min(w.secondSupplier, len(rows))] {
			top = append(top, r.Firm)
		}
		changed, n, err := atlas.SecondSuppliers(net, top)
		if err != nil {
			return nil, nil, "", err
		}
		if y, err = sim.BaselineExposuresOn(cfg, changed, arm, opts.replication); err != nil {
			return nil, nil, "", err
		}
		what = fmt.Sprintf("a second supplier for each of the %d inputs bought from one supplier by, or from, the %d firms first by %s", n, len(top), opts.rankName())
	default:
		core := -1
		for i := 0; i < net.N(); i++ {
			if net.Name(i) == w.dropGuarantee {
				core = i
				break
			}
		}
		if core < 0 {
			return nil, nil, "", badInputf("--what-if drop-guarantee=%s: no firm %s in the network", clip(w.dropGuarantee), clip(w.dropGuarantee))
		}
		var n int
		y, n = atlas.DropGuarantees(x, core)
		if n == 0 {
			return nil, nil, "", badInputf("--what-if drop-guarantee=%s: it guarantees no loans under arm %s (the arm needs a core guarantee scheme, e.g. the built-in core-guarantee)", clip(w.dropGuarantee), opts.arm)
		}
		what = fmt.Sprintf("the guarantees of %s on the loans of %d firms removed", w.dropGuarantee, n)
	}
	after, err := atlas.Compute(ctx, y, firms, aopts)
	if err != nil {
		return nil, nil, "", err
	}
	for k := range after {
		after[k].Weight = rows[k].Weight
	}
	return y, after, what, nil
}

// whatIfSummary compares the total systemic risk before and after.
func whatIfSummary(b *strings.Builder, before, after []atlas.Row, what string, opts atlasOptions) {
	fmt.Fprintf(b, "## What if: %s\n\n", what)
	b.WriteString("Total systemic risk (the sum over firms, weighted; atlas-what-if.csv has the rows after):\n\n")
	b.WriteString("| measure | before | after | difference | share of firms carrying half, before | after |\n|---|---:|---:|---:|---:|---:|\n")
	measures := []struct {
		name string
		m    func(atlas.Row) float64
	}{
		{"ESRI, downstream", downstream},
		{"ESRI, upstream", func(r atlas.Row) float64 { return r.Upstream }},
		{"DebtRank", debtRank},
	}
	if !opts.oneWay {
		measures = append([]struct {
			name string
			m    func(atlas.Row) float64
		}{{"ESRI, both", esriOutput}}, measures...)
	}
	for _, m := range measures {
		t0, t1 := total(before, m.m), total(after, m.m)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s |\n", m.name, sig3(t0), sig3(t1), sig3(t1-t0),
			pct(atlas.HalfShare(before, m.m)), pct(atlas.HalfShare(after, m.m)))
	}
	b.WriteString("\n")
}

// total is the weighted sum of measure over rows.
func total(rows []atlas.Row, measure func(atlas.Row) float64) float64 {
	s := 0.0
	for _, r := range rows {
		s += r.Weight * measure(r)
	}
	return s
}

// writeWhatIf writes the rows after the change.
func writeWhatIf(opts atlasOptions, x *sim.Exposures, rows []atlas.Row) error {
	return writeFileAtomic(filepath.Join(opts.out, atlasWhatIfCSV), func(w io.Writer) error { return writeAtlasCSV(w, x, rows) })
}
