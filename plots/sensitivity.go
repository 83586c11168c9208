package plots

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim/results"
)

// SensitivityIndicesFile is the tidy indices file of a sensitivity
// directory (see docs/sensitivity.md): output, parameter, index, value,
// lo, hi.
const SensitivityIndicesFile = "indices.csv"

// Index is one row of a sensitivity indices file; Lo and Hi are NaN where
// there is no interval.
type Index struct {
	Output, Param, Index string
	Value, Lo, Hi        float64
}

// LoadIndices reads the indices file of the sensitivity directory dir.
func LoadIndices(dir string) ([]Index, error) {
	path := filepath.Join(dir, SensitivityIndicesFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	want := []string{"output", "parameter", "index", "value", "lo", "hi"}
	if len(recs) == 0 || !slices.Equal(recs[0], want) {
		return nil, fmt.Errorf("%s: the header is not %q", path, want)
	}
	num := func(s string) (float64, error) {
		if s == "" {
			return math.NaN(), nil
		}
		return strconv.ParseFloat(s, 64)
	}
	var out []Index
	for n, r := range recs[1:] {
		ix := Index{Output: r[0], Param: r[1], Index: r[2]}
		var errs [3]error
		ix.Value, errs[0] = num(r[3])
		ix.Lo, errs[1] = num(r[4])
		ix.Hi, errs[2] = num(r[5])
		if err := errors.Join(errs[:]...); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n+2, err)
		}
		out = append(out, ix)
	}
	return out, nil
}

// SensitivityFigures returns the figure of the sensitivity directory dir:
// one panel per output, its parameters sorted by total-order index (or
// mu*, for Morris), largest first, each index with its interval.
func SensitivityFigures(dir string) ([]Figure, error) {
	ixs, err := LoadIndices(dir)
	if err != nil {
		return nil, err
	}
	var outputs []string
	for _, ix := range ixs {
		if !slices.Contains(outputs, ix.Output) {
			outputs = append(outputs, ix.Output)
		}
	}
	fig := Figure{Name: "sensitivity-indices", Title: "Sensitivity indices",
		Caption: "Per output, each uncertain parameter's first-order (S1) and total-order (ST) Sobol index — or Morris mu* — with its bootstrap interval, parameters sorted by ST (mu*); ST − S1 is the share of variance from interactions.",
		Width:   DefaultWidth, Height: vg.Length(max(1, len(outputs))) * 3 * vg.Inch}
	fig.Draw = func(c draw.Canvas) {
		var panels []*plot.Plot
		for _, o := range outputs {
			p, err := indicesPanel(o, ixs)
			if err != nil {
				noteText(c, err.Error())
				return
			}
			panels = append(panels, p)
		}
		if len(panels) == 0 {
			noteText(c, "no indices: every output was undefined at some design row")
			return
		}
		legend := []legendEntry{
			{"S1 (first order)", dot{Color: ArmColor(0), Radius: 3, Shape: draw.CircleGlyph{}}},
			{"ST (total order) or mu*", dot{Color: ArmColor(1), Radius: 3, Shape: draw.BoxGlyph{}}},
		}
		runKit.column(runKit.header(c, fig.Title, legend), panels)
	}
	return []Figure{fig}, nil
}

// indicesPanel draws the indices of one output.
func indicesPanel(output string, ixs []Index) (*plot.Plot, error) {
	type param struct {
		name       string
		first, tot *Index
	}
	var params []*param
	find := func(name string) *param {
		for _, p := range params {
			if p.name == name {
				return p
			}
		}
		p := &param{name: name}
		params = append(params, p)
		return p
	}
	ylabel := "Sobol index"
	for i := range ixs {
		ix := &ixs[i]
		if ix.Output != output {
			continue
		}
		switch ix.Index {
		case "S1":
			find(ix.Param).first = ix
		case "ST":
			find(ix.Param).tot = ix
		case "mu_star":
			find(ix.Param).tot = ix
			ylabel = "Morris mu*"
		}
	}
	slices.SortStableFunc(params, func(a, b *param) int {
		va, vb := math.Inf(-1), math.Inf(-1)
		if a.tot != nil {
			va = a.tot.Value
		}
		if b.tot != nil {
			vb = b.tot.Value
		}
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	p := runKit.plot(output, "", ylabel)
	var names []string
	for k, prm := range params {
		names = append(names, prm.name)
		for s, ix := range []*Index{prm.first, prm.tot} {
			if ix == nil {
				continue
			}
			x := float64(k) + map[int]float64{0: -0.12, 1: 0.12}[s]
			pts := errPoints{{ix.Value, ix.Lo, ix.Hi, x}}
			if math.IsNaN(ix.Lo) {
				pts[0][1], pts[0][2] = ix.Value, ix.Value
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: ArmColor(s), Radius: 3, Shape: []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}}[s]}
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, err
			}
			eb.LineStyle.Color = ArmColor(s)
			p.Add(sc, eb)
		}
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	return p, nil
}

// WriteSensitivityReport writes the report of the sensitivity directory
// dir to path: the table of indices, sorted as the figure sorts them, and
// the figures.
func WriteSensitivityReport(path, dir string, figs []Figure) error {
	ixs, err := LoadIndices(dir)
	if err != nil {
		return err
	}
	var b reportBuilder
	b.head("smesim sensitivity report")
	b.raw("<header>\n<h1>Sensitivity indices</h1>\n<p class=\"meta\">smesim sensitivity run: how much of each output's variance each uncertain parameter explains (see docs/sensitivity.md)</p>\n</header>\n")
	b.section("indices", "Indices")
	b.raw("<table class=\"num\">\n<thead><tr><th>output</th><th>parameter</th><th>index</th><th>value</th><th>interval</th></tr></thead>\n<tbody>\n")
	for _, ix := range ixs {
		interval := ""
		if !math.IsNaN(ix.Lo) {
			interval = "[" + results.Compact(ix.Lo) + ", " + results.Compact(ix.Hi) + "]"
		}
		b.raw("<tr><td>" + esc(ix.Output) + "</td><td><code>" + esc(ix.Param) + "</code></td><td>" + esc(ix.Index) + "</td><td>" +
			esc(strconv.FormatFloat(ix.Value, 'f', 4, 64)) + "</td><td>" + esc(interval) + "</td></tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
	b.end("section")
	if err := b.figures(figs); err != nil {
		return err
	}
	b.foot()
	return b.save(path)
}
