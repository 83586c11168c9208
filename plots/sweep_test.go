package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// Fixtures of sweep directories (sweep.csv, scenario.toml and
// manifest.json of `smesim sweep`; the scenario.toml of each remakes it,
// see testdata/sweep/README.md):
//
//	testdata/sweep      grid: shocks.demand.depth (3 values) × interventions.loans.budget (2), arms baseline and loans
//	testdata/sweep/lhs  Latin hypercube of 8 points over depth, budget (log range) and shocks.demand.duration (texts)
//	testdata/sweep/one  one parameter: shocks.demand.duration = 4w, 8w, 12w
const (
	gridSweep = "testdata/sweep"
	lhsSweep  = "testdata/sweep/lhs"
	oneSweep  = "testdata/sweep/one"
)

const (
	keyDepth    = "shocks.demand.depth"
	keyBudget   = "interventions.loans.budget"
	keyDuration = "shocks.demand.duration"
)

func TestLoadSweep(t *testing.T) {
	s, err := LoadSweep(gridSweep)
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Name != "tiny-sweep" || s.Design != "grid" || s.Replications != 2 {
		t.Errorf("name %q design %q replications %d, want tiny-sweep grid 2", s.Config.Name, s.Design, s.Replications)
	}
	if !slices.Equal(s.Arms, []string{"baseline", "loans"}) {
		t.Errorf("arms %q", s.Arms)
	}
	if len(s.Points) != 6 {
		t.Fatalf("%d points, want 6", len(s.Points))
	}
	want := []SweepParam{
		{Key: keyDepth, Values: []string{"0.3", "0.5", "0.7"}, Numeric: true, X: []float64{0.3, 0.5, 0.7}},
		{Key: keyBudget, Values: []string{"1e+06", "1e+07"}, Numeric: true, X: []float64{1e6, 1e7}},
	}
	if len(s.Params) != len(want) {
		t.Fatalf("params %+v", s.Params)
	}
	for i, w := range want {
		p := s.Params[i]
		if p.Key != w.Key || !slices.Equal(p.Values, w.Values) || p.Numeric != w.Numeric || !slices.Equal(p.X, w.X) || p.Log {
			t.Errorf("param %d = %+v, want %+v", i, p, w)
		}
	}
	// Row "0,0.3,1e+06,baseline,sme_failures,1,-11.70620474,13.70620474,1.414213562,2".
	st, ok := s.Stat(0, "baseline", results.SMEFailures)
	if !ok || st.Mean != 1 || st.Lo != -11.70620474 || st.Hi != 13.70620474 || st.SD != 1.414213562 || st.N != 2 {
		t.Errorf("point 0 baseline sme_failures = %+v, %v", st, ok)
	}
	if _, ok := s.Stat(0, "baseline", results.FirmsSaved); ok {
		t.Error("the baseline has firms_saved")
	}
	if st, ok := s.Stat(5, "loans", results.FirmsSaved); !ok || st.Mean != 5 {
		t.Errorf("point 5 loans firms_saved = %+v, %v; want mean 5", st, ok)
	}
	if _, full := s.isFullGrid(0, 1); !full {
		t.Error("the grid fixture is not a full grid")
	}
}

func TestLoadSweepTextsAndLog(t *testing.T) {
	one, err := LoadSweep(oneSweep)
	if err != nil {
		t.Fatal(err)
	}
	// Texts keep the scenario's order (not "12w" < "4w").
	if p := one.Params[0]; p.Key != keyDuration || p.Numeric || !slices.Equal(p.Values, []string{"4w", "8w", "12w"}) {
		t.Errorf("duration param %+v", p)
	}
	lhs, err := LoadSweep(lhsSweep)
	if err != nil {
		t.Fatal(err)
	}
	if lhs.Design != "latin-hypercube" || len(lhs.Points) != 8 || len(lhs.Params) != 3 {
		t.Fatalf("lhs: design %q, %d points, %d params", lhs.Design, len(lhs.Points), len(lhs.Params))
	}
	if p := lhs.Params[1]; p.Key != keyBudget || !p.Numeric || !p.Log || len(p.X) != 8 || !slices.IsSorted(p.X) {
		t.Errorf("budget param %+v: want 8 sorted numbers on a log axis", p)
	}
	if p := lhs.Params[0]; p.Log {
		t.Errorf("depth param on a log axis: %+v", p)
	}
	if p := lhs.Params[2]; p.Numeric || !slices.Equal(p.Values, []string{"4w", "8w", "12w"}) {
		t.Errorf("lhs duration param %+v", p)
	}
	for a := 0; a < 3; a++ {
		for b := a + 1; b < 3; b++ {
			if _, full := lhs.isFullGrid(a, b); full {
				t.Errorf("lhs params %d, %d taken for a full grid", a, b)
			}
		}
	}
}

func TestLoadSweepErrors(t *testing.T) {
	if _, err := LoadSweep(t.TempDir()); err == nil {
		t.Error("no error for an empty directory")
	}
	for name, csv := range map[string]string{
		"bad header": "point,a,arm,metric,mean\n",
		"empty":      "",
		"bad mean":   "point,k,arm,metric,mean,lo,hi,sd,n\n0,1,baseline,sme_failures,x,0,0,0,2\n",
		"no rows":    "point,k,arm,metric,mean,lo,hi,sd,n\n",
		"gap":        "point,k,arm,metric,mean,lo,hi,sd,n\n1,1,baseline,sme_failures,1,0,2,1,2\n",
	} {
		dir := sweepDirWith(t, csv)
		if _, err := LoadSweep(dir); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "sweep.csv") {
			t.Errorf("%s: error %q does not name sweep.csv", name, err)
		}
	}
}

// sweepDirWith returns a directory holding the grid fixture's
// scenario.toml and the given sweep.csv.
func sweepDirWith(t *testing.T, sweepCSV string) string {
	t.Helper()
	dir := t.TempDir()
	scen, err := os.ReadFile(filepath.Join(gridSweep, "scenario.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.toml"), scen, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sweep.csv"), []byte(sweepCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSweepFiguresGrid(t *testing.T) {
	figs, err := SweepFigures(gridSweep)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"heatmap-sme_failures-" + keyDepth + "-" + keyBudget,
		"heatmap-firms_saved-" + keyDepth + "-" + keyBudget,
		"lines-" + keyDepth,
		"lines-" + keyBudget,
	}
	if got := figureNames(figs); !slices.Equal(got, want) {
		t.Fatalf("figures %q, want %q", got, want)
	}
	files := saveAndCheck(t, figs)
	// Heatmaps: a panel per arm (baseline only for failures), a colour
	// bar (an embedded image) labelled with the metric and its unit.
	for i, c := range []struct {
		panels []string
		bar    string
	}{
		{[]string{"baseline", "loans"}, "SME failures (firms)"},
		{[]string{"loans"}, "firms saved (firms)"},
	} {
		svg := files[figs[i].Name+".svg"]
		texts := svgTexts(t, svg)
		for _, p := range c.panels {
			if !slices.Contains(texts, p) {
				t.Errorf("%s: no panel %q in %q", figs[i].Name, p, texts)
			}
		}
		if i == 1 && slices.Contains(texts, "baseline") {
			t.Errorf("%s: the baseline has a firms-saved panel", figs[i].Name)
		}
		if !slices.Contains(texts, c.bar) {
			t.Errorf("%s: no colour bar label %q in %q", figs[i].Name, c.bar, texts)
		}
		if !bytes.Contains(svg, []byte("<image")) {
			t.Errorf("%s: no colour bar image", figs[i].Name)
		}
		// Tick labels of the categories: the values.
		for _, v := range []string{"0.3", "0.5", "0.7", "1M", "10M"} {
			if !slices.Contains(texts, v) {
				t.Errorf("%s: no tick %q", figs[i].Name, v)
			}
		}
		// Cell labels: the worst cell of the baseline is 6 failures.
		if i == 0 && !slices.Contains(texts, "6") {
			t.Errorf("%s: no cell label 6", figs[i].Name)
		}
	}
	// Line plots: the arms in the legend, the key's readable name on the
	// x axis, the caption and a note on the figure naming the parameter
	// held fixed (the figure once showed a slice without saying so).
	slice := map[string]string{
		"lines-" + keyDepth:  "slice at loans: budget (CNY) = 1M (their first values)",
		"lines-" + keyBudget: "slice at demand: depth = 0.3 (their first values)",
	}
	axis := map[string]string{"lines-" + keyDepth: "demand: depth", "lines-" + keyBudget: "loans: budget (CNY)"}
	for _, f := range figs[2:] {
		texts := svgTexts(t, files[f.Name+".svg"])
		for _, want := range []string{"baseline", "loans", "SME failures", "Firms saved", "CNY"} {
			if !slices.Contains(texts, want) {
				t.Errorf("%s: no %q in %q", f.Name, want, texts)
			}
		}
		if !slices.Contains(texts, axis[f.Name]) {
			t.Errorf("%s: x axis not labelled %q", f.Name, axis[f.Name])
		}
		if !slices.Contains(texts, slice[f.Name]) {
			t.Errorf("%s: no note %q on the figure: %q", f.Name, slice[f.Name], texts)
		}
		if !strings.Contains(f.Caption, "first value") {
			t.Errorf("%s: caption %q does not say where the other parameter is held", f.Name, f.Caption)
		}
	}
	for _, f := range figs {
		if f.Title == "" || f.Caption == "" || strings.Contains(f.Caption, "\n") {
			t.Errorf("%s: title %q, caption %q: want both, the caption on one line", f.Name, f.Title, f.Caption)
		}
	}
}

func TestSweepFiguresLatinHypercube(t *testing.T) {
	figs, err := SweepFigures(lhsSweep)
	if err != nil {
		t.Fatal(err)
	}
	var scatters, lines int
	for _, f := range figs {
		switch {
		case strings.HasPrefix(f.Name, "scatter-"):
			scatters++
		case strings.HasPrefix(f.Name, "lines-"):
			lines++
		default:
			t.Errorf("unexpected figure %s", f.Name)
		}
	}
	// Three pairs × (failures, firms saved); a line figure per parameter.
	if scatters != 6 || lines != 3 {
		t.Errorf("%d scatters and %d line figures, want 6 and 3: %q", scatters, lines, figureNames(figs))
	}
	files := saveAndCheck(t, figs)
	texts := svgTexts(t, files["scatter-sme_failures-"+keyDepth+"-"+keyDuration+".svg"])
	for _, want := range []string{"baseline", "loans", "SME failures (firms)", "4w", "8w", "12w"} {
		if !slices.Contains(texts, want) {
			t.Errorf("scatter: no %q in %q", want, texts)
		}
	}
	texts = svgTexts(t, files["lines-"+keyBudget+".svg"])
	for _, want := range []string{"baseline", "loans", "10M"} {
		if !slices.Contains(texts, want) {
			t.Errorf("lines over the budget: no %q in %q", want, texts)
		}
	}
}

func TestSweepFiguresOneParameter(t *testing.T) {
	figs, err := SweepFigures(oneSweep)
	if err != nil {
		t.Fatal(err)
	}
	if got := figureNames(figs); !slices.Equal(got, []string{"lines-" + keyDuration}) {
		t.Fatalf("figures %q", got)
	}
	files := saveAndCheck(t, figs)
	texts := svgTexts(t, files["lines-"+keyDuration+".svg"])
	for _, want := range []string{"baseline", "loans", "4w", "8w", "12w", "demand: duration"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no %q in %q", want, texts)
		}
	}
	if strings.Contains(figs[0].Caption, "first value") {
		t.Errorf("caption %q mentions other parameters", figs[0].Caption)
	}
}

// TestSweepFiguresManyParameters: a grid of five parameters (one arm)
// gets heatmaps for the pairs among the first four, each at the other
// parameters' first values, and a line figure per parameter.
func TestSweepFiguresManyParameters(t *testing.T) {
	keys := []string{"a.x", "b.x", "c.x", "d.x", "e.x"}
	var b strings.Builder
	b.WriteString("point," + strings.Join(keys, ",") + ",arm,metric,mean,lo,hi,sd,n\n")
	for k := 0; k < 32; k++ {
		var vals []string
		sum := 0
		for j := range keys {
			bit := k >> (len(keys) - 1 - j) & 1
			sum += bit * (j + 1)
			vals = append(vals, []string{"1", "2"}[bit])
		}
		for _, m := range []string{results.SMEFailures, results.JobsLost, results.OutputLost, results.FiscalCost} {
			fmt.Fprintf(&b, "%d,%s,baseline,%s,%d,%d,%d,1,3\n", k, strings.Join(vals, ","), m, sum, sum-1, sum+1)
		}
	}
	figs, err := SweepFigures(sweepDirWith(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	var heat, lines []string
	for _, f := range figs {
		switch {
		case strings.HasPrefix(f.Name, "heatmap-sme_failures-"):
			heat = append(heat, f.Name)
			if !strings.Contains(f.Caption, "first 4 of 5 parameters") || !strings.Contains(f.Caption, "first value") {
				t.Errorf("%s: caption %q", f.Name, f.Caption)
			}
		case strings.HasPrefix(f.Name, "lines-"):
			lines = append(lines, f.Name)
		default:
			t.Errorf("unexpected figure %s", f.Name)
		}
	}
	if len(heat) != 6 || len(lines) != 5 {
		t.Errorf("%d heatmaps and %d line figures, want 6 and 5", len(heat), len(lines))
	}
	s, err := LoadSweep(sweepDirWith(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	cells, full := s.isFullGrid(1, 3)
	if !full {
		t.Fatal("params 1, 3 of a grid: not a full grid")
	}
	// Cells (b, d) with a, c, e at 1: points 0b0d0 → 0, 2, 8, 10 (b, d
	// bits are 8 and 2); cell index is d·2 + b.
	if !slices.Equal(cells, []int{0, 8, 2, 10}) {
		t.Errorf("cells %v, want [0 8 2 10]", cells)
	}
	saveAndCheck(t, figs[:1])
}

// saveAndCheck saves figs as PNG and SVG into a temporary directory,
// checks that every PNG decodes at the figure's size and every SVG is
// well-formed XML, and returns the files' contents by base name.
func saveAndCheck(t *testing.T, figs []Figure) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	paths, err := Save(dir, figs, []string{"png", "svg"})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2*len(figs) {
		t.Fatalf("%d files for %d figures", len(paths), len(figs))
	}
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	for _, f := range figs {
		data := files[f.Name+".png"]
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s.png: %v", f.Name, err)
			continue
		}
		w, h := f.Size()
		ratio := float64(cfg.Width) / float64(cfg.Height)
		if want := float64(w / h); math.Abs(ratio-want) > 0.02*want || cfg.Width < 400 {
			t.Errorf("%s.png is %d×%d, want the figure's aspect %.3f", f.Name, cfg.Width, cfg.Height, want)
		}
		svgTexts(t, files[f.Name+".svg"])
	}
	return files
}

// svgTexts parses an SVG and returns the contents of its <text> elements.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	if len(svg) == 0 {
		t.Fatal("empty SVG")
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	var texts []string
	depth := 0
	var cur strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "text" {
				depth++
				cur.Reset()
			}
		case xml.EndElement:
			if tok.Name.Local == "text" && depth > 0 {
				depth--
				texts = append(texts, cur.String())
			}
		case xml.CharData:
			if depth > 0 {
				cur.Write(tok)
			}
		}
	}
	return texts
}

func TestRampMap(t *testing.T) {
	cm := sequentialMap(results.SMEFailures)
	cm.SetMin(2)
	cm.SetMax(4)
	lo, err := cm.At(2)
	if err != nil {
		t.Fatal(err)
	}
	hi, err := cm.At(4)
	if err != nil {
		t.Fatal(err)
	}
	if luminance(lo) <= luminance(hi) {
		t.Errorf("losses: low values (%v) not lighter than high ones (%v)", lo, hi)
	}
	if _, err := cm.At(4.5); err == nil {
		t.Error("no error above the range")
	}
	if n := len(cm.Palette(10).Colors()); n != 10 {
		t.Errorf("palette of %d colours, want 10", n)
	}
	if lo, hi := colourRange(3, 3); !(lo < 3 && hi > 3) {
		t.Errorf("colourRange(3, 3) = %g, %g", lo, hi)
	}
}

func TestParamLogTicks(t *testing.T) {
	var labels []string
	for _, tk := range (paramLogTicks{}).Ticks(1.5e6, 7e7) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"2M", "5M", "10M", "20M", "50M"}; !slices.Equal(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
}

func TestMetricLabel(t *testing.T) {
	for _, tc := range []struct {
		metric, currency, label, unit string
	}{
		{results.SMEFailures, "CNY", "SME failures", "firms"},
		{results.FiscalCost, "CNY", "fiscal cost", "CNY"},
		{results.CostPerJobSaved, "EUR", "cost per job saved", "EUR per job"},
		{results.CostPerFirmSaved, "", "cost per firm saved", " per firm"},
		{"credit_outstanding", "CNY", "credit outstanding", ""},
	} {
		label, unit := metricLabel(tc.metric, tc.currency)
		if label != tc.label || unit != tc.unit {
			t.Errorf("metricLabel(%q, %q) = %q, %q, want %q, %q", tc.metric, tc.currency, label, unit, tc.label, tc.unit)
		}
	}
}

// TestParamName checks the readable names of swept keys on axes and
// titles (a figure once read "interventions.loans.budget").
func TestParamName(t *testing.T) {
	tests := []struct{ key, currency, want string }{
		{"interventions.loans.budget", "CNY", "loans: budget (CNY)"},
		{"interventions.loans.budget", "", "loans: budget (currency units)"},
		{"shocks.demand.depth", "CNY", "demand: depth"},
		{"shocks.export collapse.duration", "CNY", "export collapse: duration"},
		{"finance.base_rate", "EUR", "finance: base rate"},
		{"markets.domestic.final_demand_mean", "EUR", "domestic: final demand mean (EUR)"},
		{"seed", "EUR", "seed"},
	}
	for _, tt := range tests {
		if got := paramName(tt.key, tt.currency); got != tt.want {
			t.Errorf("paramName(%q, %q) = %q, want %q", tt.key, tt.currency, got, tt.want)
		}
	}
}

// TestSweepFailureAxesFromZero checks the SME-failure panels of the line
// figures: the axis from 0 with whole ticks (it once ran from −10, the
// band of a mean of counts below 0).
func TestSweepFailureAxesFromZero(t *testing.T) {
	figs, err := SweepFigures(gridSweep)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range figs {
		if !strings.HasPrefix(f.Name, "lines-") {
			continue
		}
		svg, err := Render(f, "svg")
		if err != nil {
			t.Fatal(err)
		}
		texts := svgTexts(t, svg)
		i, j := slices.Index(texts, "SME failures"), slices.Index(texts, "Jobs lost")
		if i < 0 || j < i {
			t.Fatalf("%s: no SME failures panel before the jobs lost one: %q", f.Name, texts)
		}
		unit := slices.Index(texts[i:j], "firms")
		if unit < 0 {
			t.Fatalf("%s: no unit on the SME failures axis: %q", f.Name, texts[i:j])
		}
		ticks := texts[i+unit+1 : j]
		if len(ticks) < 2 || ticks[0] != "0" {
			t.Errorf("%s: SME failure ticks %q, want from 0", f.Name, ticks)
		}
		for _, tk := range ticks {
			if v, err := strconv.ParseFloat(tk, 64); err != nil || v < 0 || v != math.Trunc(v) {
				t.Errorf("%s: SME failure tick %q, want a whole number ≥ 0", f.Name, tk)
			}
		}
		n++
	}
	if n == 0 {
		t.Error("no line figure")
	}
}
