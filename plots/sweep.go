package plots

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/results"
)

// Files of a sweep directory read here (see docs/sweeps.md).
const (
	sweepFile    = "sweep.csv"
	manifestFile = "manifest.json"
)

// Sweep is what the figures of a sweep are drawn from: sweep.csv,
// scenario.toml and manifest.json of a directory written by
// `smesim sweep`.
type Sweep struct {
	Dir      string
	Config   *sim.Config // the resolved scenario, with its [sweep]
	Scenario []byte      // scenario.toml as written
	// Design is "grid" or "latin-hypercube", from the scenario.
	Design string
	// Params are the swept parameters, in the order of sweep.csv's columns.
	Params []SweepParam
	// Arms in order of first appearance in sweep.csv (the baseline first).
	Arms []string
	// Replications per point and arm, from manifest.json (0 if unknown).
	Replications int
	// Points in order of their index; Points[k].Values has one value per
	// parameter, as written in sweep.csv.
	Points []SweepPoint

	stats map[sweepStatKey]results.Stat
}

// SweepPoint is one point of a sweep.
type SweepPoint struct {
	Index  int
	Values []string
}

// SweepParam is one swept parameter and the values it takes, in order:
// numbers ascending, texts (durations, names) in the order the scenario
// lists them.
type SweepParam struct {
	Key     string
	Values  []string  // distinct values
	Numeric bool      // every value is a number
	X       []float64 // the numbers, when Numeric
	// Log is true for numbers spanning two decades or more, all positive
	// (or swept with scale = "log"): drawn on a log axis.
	Log bool
}

type sweepStatKey struct {
	point       int
	arm, metric string
}

// index returns the position of value v among p.Values, or -1.
func (p *SweepParam) index(v string) int { return slices.Index(p.Values, v) }

// Stat returns the Stat of metric for arm at point k.
func (s *Sweep) Stat(k int, arm, metric string) (results.Stat, bool) {
	st, ok := s.stats[sweepStatKey{k, arm, metric}]
	return st, ok
}

// value returns the mean of metric for arm at point k, NaN if absent.
func (s *Sweep) value(k int, arm, metric string) float64 {
	if st, ok := s.Stat(k, arm, metric); ok {
		return st.Mean
	}
	return math.NaN()
}

// currency returns the scenario's currency label.
func (s *Sweep) currency() string {
	if s.Config != nil && s.Config.Currency != "" {
		return s.Config.Currency
	}
	return "currency units"
}

// LoadSweep reads the sweep directory dir: sweep.csv, scenario.toml and,
// if present, manifest.json.
func LoadSweep(dir string) (*Sweep, error) {
	s := &Sweep{Dir: dir, stats: map[sweepStatKey]results.Stat{}}
	var err error
	if s.Scenario, err = results.ReadFile(filepath.Join(dir, results.ScenarioFile), maxScenarioBytes); err != nil {
		return nil, fmt.Errorf("sweep %s: %w", dir, err)
	}
	// A record of what was run, not input: decoded, not validated (see LoadRun).
	if s.Config, err = scenarios.Decode(filepath.Join(dir, results.ScenarioFile), s.Scenario, dir); err != nil {
		return nil, fmt.Errorf("sweep %s: %w", dir, err)
	}
	s.Design = cmp.Or(s.Config.Sweep.Design, "grid")
	if b, err := results.ReadFile(filepath.Join(dir, manifestFile), results.MaxJSONBytes); err == nil {
		var m struct {
			Arms         []string `json:"arms"`
			Replications int      `json:"replications"`
		}
		if json.Unmarshal(b, &m) == nil {
			s.Replications = m.Replications
			s.Arms = m.Arms
		}
	}
	if err := s.readCSV(filepath.Join(dir, sweepFile)); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sweep) readCSV(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(results.LineLimited(f))
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: empty file", path)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	tail := []string{"arm", "metric", "mean", "lo", "hi", "sd", "n"}
	if len(header) < 1+len(tail) || header[0] != "point" || !slices.Equal(header[len(header)-len(tail):], tail) {
		return fmt.Errorf("%s: header %q, want point,<keys…>,%s", path, strings.Join(header, ","), strings.Join(tail, ","))
	}
	keys := header[1 : len(header)-len(tail)]
	nk := len(keys)
	seenArm := map[string]bool{}
	for _, a := range s.Arms {
		seenArm[a] = true
	}
	var points []SweepPoint
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		k, err := strconv.Atoi(rec[0])
		if err != nil || k < 0 {
			return fmt.Errorf("%s:%d: point %q is not an index", path, line, rec[0])
		}
		for len(points) <= k {
			points = append(points, SweepPoint{Index: len(points)})
		}
		if points[k].Values == nil {
			points[k].Values = slices.Clone(rec[1 : 1+nk])
		}
		arm, metric := rec[1+nk], rec[2+nk]
		if !seenArm[arm] {
			seenArm[arm] = true
			s.Arms = append(s.Arms, arm)
		}
		st := results.Stat{Metric: metric}
		for i, dst := range []*float64{&st.Mean, &st.Lo, &st.Hi, &st.SD} {
			v, err := results.ParseFloat(rec[3+nk+i])
			if err != nil {
				return fmt.Errorf("%s:%d: %s: %w", path, line, tail[2+i], err)
			}
			*dst = v
		}
		if st.N, err = strconv.Atoi(rec[7+nk]); err != nil {
			return fmt.Errorf("%s:%d: n: %w", path, line, err)
		}
		s.stats[sweepStatKey{k, arm, metric}] = st
	}
	for _, p := range points {
		if p.Values == nil {
			return fmt.Errorf("%s: no rows for point %d", path, p.Index)
		}
	}
	if len(points) == 0 {
		return fmt.Errorf("%s: no rows", path)
	}
	s.Points = points
	for j, key := range keys {
		s.Params = append(s.Params, s.param(j, key))
	}
	return nil
}

// param collects the values of parameter j.
func (s *Sweep) param(j int, key string) SweepParam {
	p := SweepParam{Key: key, Numeric: true}
	for _, pt := range s.Points {
		if !slices.Contains(p.Values, pt.Values[j]) {
			p.Values = append(p.Values, pt.Values[j])
		}
	}
	for _, v := range p.Values {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			p.Numeric, p.X = false, nil
			break
		}
		p.X = append(p.X, x)
	}
	var spec *sim.SweepParameter
	if s.Config != nil && j < len(s.Config.Sweep.Parameters) && s.Config.Sweep.Parameters[j].Key == key {
		spec = &s.Config.Sweep.Parameters[j]
	}
	if p.Numeric {
		idx := make([]int, len(p.Values))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.X[a], p.X[b]) })
		vals, xs := make([]string, len(idx)), make([]float64, len(idx))
		for i, k := range idx {
			vals[i], xs[i] = p.Values[k], p.X[k]
		}
		p.Values, p.X = vals, xs
		if p.X[0] > 0 && (p.X[len(p.X)-1]/p.X[0] >= 100 || spec != nil && spec.Scale == "log" && len(spec.Values) == 0) {
			p.Log = len(p.X) > 1
		}
		return p
	}
	// Texts: the scenario's order; values it does not list (or all, if
	// the scenario has no such list) by first appearance.
	if spec != nil && len(spec.Texts) > 0 {
		var ordered []string
		for _, t := range spec.Texts {
			if slices.Contains(p.Values, t) && !slices.Contains(ordered, t) {
				ordered = append(ordered, t)
			}
		}
		for _, v := range p.Values {
			if !slices.Contains(ordered, v) {
				ordered = append(ordered, v)
			}
		}
		p.Values = ordered
	}
	return p
}

// isFullGrid reports whether parameters a and b take every combination of
// their values among the points where every other parameter is at its
// first value, and returns those points as cell[ib*len(a)+ia] = point.
func (s *Sweep) isFullGrid(a, b int) ([]int, bool) {
	if s.Design == "latin-hypercube" {
		return nil, false
	}
	pa, pb := &s.Params[a], &s.Params[b]
	cell := make([]int, len(pa.Values)*len(pb.Values))
	for i := range cell {
		cell[i] = -1
	}
	for k, pt := range s.Points {
		if !s.othersFirst(pt, a, b) {
			continue
		}
		i := pb.index(pt.Values[b])*len(pa.Values) + pa.index(pt.Values[a])
		if cell[i] >= 0 {
			return nil, false // two points in a cell: not a grid
		}
		cell[i] = k
	}
	for _, k := range cell {
		if k < 0 {
			return nil, false
		}
	}
	return cell, true
}

// othersFirst reports whether every parameter but those in keep is at its
// first value at point pt.
func (s *Sweep) othersFirst(pt SweepPoint, keep ...int) bool {
	for j := range s.Params {
		if !slices.Contains(keep, j) && pt.Values[j] != s.Params[j].Values[0] {
			return false
		}
	}
	return true
}

// othersNote describes where the other parameters are held, for captions.
func (s *Sweep) othersNote(keep ...int) string {
	var parts []string
	for j, p := range s.Params {
		if !slices.Contains(keep, j) {
			parts = append(parts, p.Key+" = "+valueLabel(p, p.Values[0]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; other parameters at their first value: " + strings.Join(parts, ", ")
}

// Caps on the figures of a sweep.
const (
	// maxHeatmapParams: heatmaps are drawn for every pair among the first
	// maxHeatmapParams parameters (6 pairs).
	maxHeatmapParams = 4
	// maxLineParams: line plots for the first maxLineParams parameters.
	maxLineParams = 6
)

// SweepFigures returns the figures of the sweep directory dir (see
// LoadSweep):
//
//   - with two or more parameters, for every pair among the first four,
//     "heatmap-<metric>-<key a>-<key b>": the mean over replications of
//     sme_failures in one panel per arm, and of firms_saved in one panel
//     per arm other than the baseline, with a shared colour bar. When the
//     pair does not form a full grid (a Latin hypercube), the panels are
//     scatters of every point coloured by value ("scatter-…");
//   - for each parameter (the first six), "lines-<key>": headline metrics
//     against the parameter, one line per arm with its 95% interval band,
//     at the other parameters' first value; for a Latin hypercube with
//     several parameters, every point with its interval instead.
//
// Text values (durations such as "4w", names) are categories in the
// scenario's order; numbers spanning two decades or more, all positive,
// are drawn on a log axis.
func SweepFigures(dir string) ([]Figure, error) {
	s, err := LoadSweep(dir)
	if err != nil {
		return nil, err
	}
	return s.Figures()
}

// Figures returns the figures of the sweep; see SweepFigures.
func (s *Sweep) Figures() ([]Figure, error) {
	var figs []Figure
	nh := min(len(s.Params), maxHeatmapParams)
	capNote := ""
	if len(s.Params) > maxHeatmapParams {
		capNote = fmt.Sprintf(" Pairs among the first %d of %d parameters only.", maxHeatmapParams, len(s.Params))
	}
	for a := 0; a < nh; a++ {
		for b := a + 1; b < nh; b++ {
			for _, m := range s.heatmapMetrics() {
				f, err := s.pairFigure(a, b, m.metric, m.arms, capNote)
				if err != nil {
					return nil, err
				}
				figs = append(figs, f)
			}
		}
	}
	for j := range s.Params[:min(len(s.Params), maxLineParams)] {
		f, err := s.lineFigure(j)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

type armMetric struct {
	metric string
	arms   []string
}

// heatmapMetrics: sme_failures for every arm, firms_saved for every arm
// but the baseline (when there is one).
func (s *Sweep) heatmapMetrics() []armMetric {
	out := []armMetric{{results.SMEFailures, s.Arms}}
	if others := s.nonBaseline(); len(others) > 0 && s.has(results.FirmsSaved) {
		out = append(out, armMetric{results.FirmsSaved, others})
	}
	return out
}

func (s *Sweep) nonBaseline() []string {
	var out []string
	for _, a := range s.Arms {
		if a != "baseline" {
			out = append(out, a)
		}
	}
	return out
}

// has reports whether any row holds metric.
func (s *Sweep) has(metric string) bool {
	for k := range s.stats {
		if k.metric == metric {
			return true
		}
	}
	return false
}

// armIndex is the arm's colour index: its position among the sweep's arms.
func (s *Sweep) armIndex(arm string) int { return max(0, slices.Index(s.Arms, arm)) }

// pairFigure draws metric over parameters a (x) and b (y), one panel per
// arm, as heatmaps when a and b form a full grid and as scatters
// otherwise, with one colour bar.
func (s *Sweep) pairFigure(a, b int, metric string, arms []string, capNote string) (Figure, error) {
	pa, pb := s.Params[a], s.Params[b]
	cells, grid := s.isFullGrid(a, b)
	label, unit := metricLabel(metric, s.currency())
	// Values per arm (per cell of a grid, per point otherwise) and their
	// common range.
	lo, hi := math.Inf(1), math.Inf(-1)
	zs := make([][]float64, len(arms))
	for i, arm := range arms {
		if grid {
			for _, k := range cells {
				zs[i] = append(zs[i], s.value(k, arm, metric))
			}
		} else {
			for k := range s.Points {
				zs[i] = append(zs[i], s.value(k, arm, metric))
			}
		}
		for _, v := range zs[i] {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	lo, hi = colourRange(lo, hi)
	cm := sequentialMap(metric)
	cm.SetMin(lo)
	cm.SetMax(hi)

	kind, how, note := "heatmap", "Each cell is the mean over replications at one point", s.othersNote(a, b)
	if !grid {
		kind, how, note = "scatter", "Each dot is one point of the sweep, coloured by the mean over replications", ""
		if len(s.Params) > 2 {
			note = "; the other parameters vary between points"
		}
	}
	title := fmt.Sprintf("%s by %s and %s", capitalize(label), pa.Key, pb.Key)
	cols := min(len(arms), 3)
	rows := (len(arms) + cols - 1) / cols
	const barW = 1.2 * vg.Inch
	fig := Figure{
		Name:  fileName(kind + "-" + metric + "-" + pa.Key + "-" + pb.Key),
		Title: title,
		Caption: fmt.Sprintf("%s of %s (%s), one panel per arm, on a shared colour scale%s.%s",
			how, label, unit, note, capNote),
		Width:  vg.Length(cols)*3.3*vg.Inch + barW,
		Height: vg.Length(rows)*3*vg.Inch + 0.5*vg.Inch,
	}
	fig.Width = max(fig.Width, figText(13).Width(title)+0.6*vg.Inch)

	ps := make([][]*plot.Plot, rows)
	for r := range ps {
		ps[r] = make([]*plot.Plot, cols)
	}
	for i, arm := range arms {
		p := stylePlot(arm, pa.Key, pb.Key)
		z := zs[i]
		if grid {
			hm := plotter.NewHeatMap(catGrid{nx: len(pa.Values), ny: len(pb.Values), z: z}, cm.Palette(256))
			hm.Min, hm.Max = lo, hi
			hm.NaN = color.Gray{Y: 0xdd}
			p.Add(hm)
			if l := cellLabels(z, len(pa.Values), cm); l != nil && len(z) <= 64 {
				p.Add(l)
			}
			p.X.Tick.Marker = categoryTicks(pa)
			p.Y.Tick.Marker = categoryTicks(pb)
			// A hair wider than the cells: the heatmap skips cells whose
			// corners fall outside the canvas by rounding.
			p.X.Min, p.X.Max = -0.501, float64(len(pa.Values))-0.499
			p.Y.Min, p.Y.Max = -0.501, float64(len(pb.Values))-0.499
		} else {
			xys := make(plotter.XYs, len(s.Points))
			for k, pt := range s.Points {
				xys[k].X = paramX(pa, pt.Values[a])
				xys[k].Y = paramX(pb, pt.Values[b])
			}
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return Figure{}, err
			}
			sc.GlyphStyleFunc = func(k int) draw.GlyphStyle {
				c := color.Color(color.Gray{Y: 0xbb})
				if !math.IsNaN(z[k]) {
					if cc, err := cm.At(clamp(z[k], lo, hi)); err == nil {
						c = cc
					}
				}
				return draw.GlyphStyle{Color: c, Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
			}
			// Outline the dots so that pale ones stay visible.
			outline, err := plotter.NewScatter(xys)
			if err != nil {
				return Figure{}, err
			}
			outline.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 0x55}, Radius: vg.Points(5), Shape: draw.RingGlyph{}}
			p.Add(faintGrid(), sc, outline)
			setParamAxis(&p.X, pa)
			setParamAxis(&p.Y, pb)
		}
		ps[i/cols][i%cols] = p
	}
	barLabel := label + " (" + unit + ")"
	fig.Draw = func(c draw.Canvas) {
		c = drawHeader(c, title, nil)
		main := draw.Crop(c, 0, -barW, 0, 0)
		bar := draw.Crop(c, c.Max.X-c.Min.X-barW, 0, 0, 0)
		drawTiles(main, ps)
		drawColourBar(bar, cm, barLabel)
	}
	return fig, nil
}

// lineMetrics are the metrics of the line figures: with effects against
// the baseline, firms saved replaces output lost.
func (s *Sweep) lineMetrics() []string {
	if len(s.nonBaseline()) > 0 && s.has(results.FirmsSaved) {
		return []string{results.SMEFailures, results.JobsLost, results.FiscalCost, results.FirmsSaved}
	}
	return []string{results.SMEFailures, results.JobsLost, results.OutputLost, results.FiscalCost}
}

// lineFigure draws headline metrics against parameter j: one panel per
// metric, one line per arm with its interval band.
func (s *Sweep) lineFigure(j int) (Figure, error) {
	pj := s.Params[j]
	metrics := s.lineMetrics()
	// Points drawn: a grid's points with the other parameters at their
	// first value; every point for one parameter or a Latin hypercube.
	var pts []int
	lhs := s.Design == "latin-hypercube" && len(s.Params) > 1
	for k, pt := range s.Points {
		if lhs || s.othersFirst(pt, j) {
			pts = append(pts, k)
		}
	}
	slices.SortStableFunc(pts, func(a, b int) int {
		return cmp.Compare(paramX(pj, s.Points[a].Values[j]), paramX(pj, s.Points[b].Values[j]))
	})
	how := "one line per arm, with its 95% interval band over replications" + s.othersNote(j)
	if lhs {
		how = "one dot per point of the Latin hypercube and arm, with its 95% interval over replications (arms side by side); the other parameters vary between points"
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i], _ = metricLabel(m, s.currency())
	}
	title := "Headline metrics against " + pj.Key
	fig := Figure{
		Name:    fileName("lines-" + pj.Key),
		Title:   title,
		Caption: fmt.Sprintf("%s against %s: %s. Means over replications.", capitalize(strings.Join(names, ", ")), pj.Key, how),
		Width:   9 * vg.Inch,
		Height:  7.3 * vg.Inch,
	}
	ps := [][]*plot.Plot{make([]*plot.Plot, 2), make([]*plot.Plot, 2)}
	thumb := map[string]plot.Thumbnailer{}
	for i, m := range metrics {
		label, unit := metricLabel(m, s.currency())
		p := stylePlot(capitalize(label), pj.Key, unit)
		p.Add(faintGrid())
		setParamAxis(&p.X, pj)
		for ai, arm := range s.Arms {
			if m == results.FirmsSaved && arm == "baseline" {
				continue
			}
			var mean, low, high plotter.XYs
			for _, k := range pts {
				st, ok := s.Stat(k, arm, m)
				if !ok || math.IsNaN(st.Mean) || math.IsInf(st.Mean, 0) {
					continue
				}
				x := paramX(pj, s.Points[k].Values[j])
				if lhs {
					x = dodge(pj, x, ai, len(s.Arms))
				}
				mean = append(mean, plotter.XY{X: x, Y: st.Mean})
				l, h := st.Lo, st.Hi
				if math.IsNaN(l) || math.IsNaN(h) || math.IsInf(l, 0) || math.IsInf(h, 0) {
					l, h = st.Mean, st.Mean
				}
				low = append(low, plotter.XY{X: x, Y: l})
				high = append(high, plotter.XY{X: x, Y: h})
			}
			if len(mean) == 0 {
				continue
			}
			col := ArmColor(s.armIndex(arm))
			var th plot.Thumbnailer
			var err error
			if lhs {
				th, err = addDotsWithBars(p, mean, low, high, col)
			} else {
				th, err = addBandLine(p, mean, low, high, col)
			}
			if err != nil {
				return Figure{}, err
			}
			if thumb[arm] == nil {
				thumb[arm] = th
			}
		}
		ps[i/2][i%2] = p
	}
	var legend []legendItem
	for _, arm := range s.Arms {
		if th := thumb[arm]; th != nil {
			legend = append(legend, legendItem{arm, th})
		}
	}
	fig.Draw = func(c draw.Canvas) {
		drawTiles(drawHeader(c, title, legend), ps)
	}
	return fig, nil
}

// dodge shifts x a little for arm i of n, so that the arms' dots and bars
// stand side by side: by 1.2% of the axis per arm.
func dodge(p SweepParam, x float64, i, n int) float64 {
	off := (float64(i) - float64(n-1)/2) * 0.012
	switch {
	case !p.Numeric:
		return x + off*float64(max(len(p.Values), 2))
	case p.Log:
		return x * math.Pow(p.X[len(p.X)-1]/p.X[0], off)
	case len(p.X) > 1:
		return x + off*(p.X[len(p.X)-1]-p.X[0])
	}
	return x
}

// drawTiles draws a grid of plots (nil entries left empty) aligned on c.
func drawTiles(c draw.Canvas, ps [][]*plot.Plot) {
	if len(ps) == 0 {
		return
	}
	tiles := draw.Tiles{Rows: len(ps), Cols: len(ps[0]), PadX: vg.Points(18), PadY: vg.Points(12),
		PadTop: vg.Points(2), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(14)}
	for _, row := range ps {
		for _, p := range row {
			if p != nil {
				padFlat(p)
			}
		}
	}
	canvases := plot.Align(ps, tiles, c)
	for r := range ps {
		for i, p := range ps[r] {
			if p != nil {
				p.Draw(canvases[r][i])
			}
		}
	}
}

// addBandLine adds a translucent band from low to high and the mean line
// over it, in col, and returns the legend thumbnail.
func addBandLine(p *plot.Plot, mean, low, high plotter.XYs, col color.Color) (plot.Thumbnailer, error) {
	var th thumbStack
	if len(mean) > 1 {
		ring := make(plotter.XYs, 0, 2*len(high))
		ring = append(ring, high...)
		for i := len(low) - 1; i >= 0; i-- {
			ring = append(ring, low[i])
		}
		band, err := plotter.NewPolygon(ring)
		if err != nil {
			return nil, err
		}
		band.Color = withAlpha(col, 0.18)
		band.LineStyle.Width = 0
		p.Add(band)
		th = append(th, swatch{band.Color})
	}
	line, err := plotter.NewLine(mean)
	if err != nil {
		return nil, err
	}
	line.Color = col
	line.Width = vg.Points(1.6)
	p.Add(line)
	th = append(th, line)
	if len(mean) == 1 {
		if _, err := addDotsWithBars(p, mean, low, high, col); err != nil {
			return nil, err
		}
	}
	return th, nil
}

// addDotsWithBars adds dots at mean with vertical bars from low to high,
// in col, and returns the legend thumbnail.
func addDotsWithBars(p *plot.Plot, mean, low, high plotter.XYs, col color.Color) (plot.Thumbnailer, error) {
	errs := make(plotter.YErrors, len(mean))
	for i := range mean {
		errs[i].Low = mean[i].Y - low[i].Y
		errs[i].High = high[i].Y - mean[i].Y
	}
	bars, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{mean, errs})
	if err != nil {
		return nil, err
	}
	bars.Color = col
	bars.Width = vg.Points(1.2)
	bars.CapWidth = vg.Points(4)
	sc, err := plotter.NewScatter(mean)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(bars, sc)
	return sc, nil
}

// paramX is the x coordinate of value v of parameter p: the number, or
// its category index.
func paramX(p SweepParam, v string) float64 {
	i := p.index(v)
	if p.Numeric && i >= 0 {
		return p.X[i]
	}
	return float64(i)
}

// setParamAxis sets an axis for parameter p: categories as ticks at their
// index, numbers on a linear or log scale.
func setParamAxis(ax *plot.Axis, p SweepParam) {
	switch {
	case !p.Numeric:
		ax.Tick.Marker = categoryTicks(p)
		ax.Min, ax.Max = -0.5, float64(len(p.Values))-0.5
	case p.Log:
		ax.Scale = plot.LogScale{}
		ax.Tick.Marker = paramLogTicks{}
		ax.Min, ax.Max = p.X[0]/1.3, p.X[len(p.X)-1]*1.3
	default:
		ax.Tick.Marker = compactTicks{plot.DefaultTicks{}}
		if len(p.X) == 1 {
			ax.Min, ax.Max = p.X[0]-1, p.X[0]+1
			if p.X[0] != 0 {
				ax.Min, ax.Max = p.X[0]*0.9, p.X[0]*1.1
				if p.X[0] < 0 {
					ax.Min, ax.Max = ax.Max, ax.Min
				}
			}
		} else {
			pad := (p.X[len(p.X)-1] - p.X[0]) * 0.04
			ax.Min, ax.Max = p.X[0]-pad, p.X[len(p.X)-1]+pad
		}
	}
}

// paramLogTicks are ticks for a log axis: at 1, 2 and 5 × 10^k, labelled
// at 1 × 10^k, and also at 2 and 5 × 10^k over less than three decades.
type paramLogTicks struct{}

func (paramLogTicks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) || math.IsInf(max, 0) {
		return nil
	}
	few := max/min < 1000
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		for _, m := range []float64{1, 2, 3, 4, 5, 6, 7, 8, 9} {
			v := m * math.Pow(10, e)
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || few && (m == 2 || m == 5) {
				t.Label = Compact(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// categoryTicks labels positions 0, 1, … with the parameter's values.
func categoryTicks(p SweepParam) plot.Ticker {
	ticks := make(plot.ConstantTicks, len(p.Values))
	for i, v := range p.Values {
		ticks[i] = plot.Tick{Value: float64(i), Label: valueLabel(p, v)}
	}
	return ticks
}

// valueLabel writes a parameter value for a tick or a caption: numbers
// with 3 significant digits (1e+07 → 10M), texts as they are.
func valueLabel(p SweepParam, v string) string {
	if !p.Numeric {
		return v
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	return Compact(x)
}

// compactTicks relabels the ticks of a Ticker with compact numbers.
type compactTicks struct{ plot.Ticker }

func (t compactTicks) Ticks(min, max float64) []plot.Tick {
	ticks := t.Ticker.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = Compact(ticks[i].Value)
		}
	}
	return ticks
}

// catGrid is a plotter.GridXYZ over category indices: z[r*nx+c].
type catGrid struct {
	nx, ny int
	z      []float64
}

func (g catGrid) Dims() (c, r int)   { return g.nx, g.ny }
func (g catGrid) Z(c, r int) float64 { return g.z[r*g.nx+c] }
func (g catGrid) X(c int) float64    { return float64(c) }
func (g catGrid) Y(r int) float64    { return float64(r) }

// cellLabels writes each cell's value in its centre, black or white
// against the cell's colour.
func cellLabels(z []float64, nx int, cm palette.ColorMap) *plotter.Labels {
	var xyl cellLabeller
	for i, v := range z {
		xyl.xys = append(xyl.xys, plotter.XY{X: float64(i % nx), Y: float64(i / nx)})
		if math.IsNaN(v) {
			xyl.labels = append(xyl.labels, "n/a")
		} else {
			xyl.labels = append(xyl.labels, Compact(v))
		}
		c := color.Color(color.Black)
		if cc, err := cm.At(clamp(v, cm.Min(), cm.Max())); err == nil && !math.IsNaN(v) && luminance(cc) < 0.45 {
			c = color.White
		}
		xyl.colors = append(xyl.colors, c)
	}
	l, err := plotter.NewLabels(xyl)
	if err != nil {
		return nil
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Color = xyl.colors[i]
		l.TextStyle[i].XAlign = draw.XCenter
		l.TextStyle[i].YAlign = draw.YCenter
		l.TextStyle[i].Font = font.From(figSans, 9)
	}
	return l
}

type cellLabeller struct {
	xys    plotter.XYs
	labels []string
	colors []color.Color
}

func (c cellLabeller) Len() int                    { return len(c.xys) }
func (c cellLabeller) XY(i int) (float64, float64) { return c.xys[i].X, c.xys[i].Y }
func (c cellLabeller) Label(i int) string          { return c.labels[i] }

// luminance is the relative luminance of c in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// colourRange returns a non-empty range for a colour map from the data's
// lo and hi (infinite when there is no data).
func colourRange(lo, hi float64) (float64, float64) {
	switch {
	case math.IsInf(lo, 1):
		return 0, 1
	case lo == hi:
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		return lo - d, hi + d
	}
	return lo, hi
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// sequentialMap returns a colour map for metric: light yellow to dark red
// for losses (more is worse), light yellow to dark blue for savings (more
// is better).
func sequentialMap(metric string) palette.ColorMap {
	name := "YlOrRd"
	if strings.Contains(metric, "saved") || strings.Contains(metric, "avoided") {
		name = "YlGnBu"
	}
	p, err := brewer.GetPalette(brewer.TypeSequential, name, 9)
	if err != nil {
		panic(err) // a name of the brewer package: cannot fail
	}
	return &rampMap{colors: p.Colors(), min: 0, max: 1, alpha: 1}
}

// rampMap is a palette.ColorMap interpolating linearly (in sRGB) between
// evenly spaced colours.
type rampMap struct {
	colors   []color.Color
	min, max float64
	alpha    float64
}

var _ palette.ColorMap = (*rampMap)(nil)

func (m *rampMap) At(v float64) (color.Color, error) {
	if math.IsNaN(v) || v < m.min || v > m.max {
		return nil, fmt.Errorf("plots: %g outside the colour map's range [%g, %g]", v, m.min, m.max)
	}
	u := 0.0
	if m.max > m.min {
		u = (v - m.min) / (m.max - m.min)
	}
	f := u * float64(len(m.colors)-1)
	i := min(int(f), len(m.colors)-2)
	t := f - float64(i)
	r0, g0, b0, _ := m.colors[i].RGBA()
	r1, g1, b1, _ := m.colors[i+1].RGBA()
	mix := func(a, b uint32) uint8 { return uint8(((1-t)*float64(a) + t*float64(b)) / 0x101) }
	return color.NRGBA{R: mix(r0, r1), G: mix(g0, g1), B: mix(b0, b1), A: uint8(0xff * m.alpha)}, nil
}

func (m *rampMap) Max() float64       { return m.max }
func (m *rampMap) Min() float64       { return m.min }
func (m *rampMap) SetMax(v float64)   { m.max = v }
func (m *rampMap) SetMin(v float64)   { m.min = v }
func (m *rampMap) Alpha() float64     { return m.alpha }
func (m *rampMap) SetAlpha(a float64) { m.alpha = a }

// Palette returns n colours evenly spaced over the map.
func (m *rampMap) Palette(n int) palette.Palette {
	n = max(n, 2)
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i], _ = m.At(m.min + (m.max-m.min)*float64(i)/float64(n-1))
	}
	return rampPalette(cs)
}

type rampPalette []color.Color

func (p rampPalette) Colors() []color.Color { return p }

// drawColourBar draws a vertical colour bar of cm, labelled label, in c.
func drawColourBar(c draw.Canvas, cm palette.ColorMap, label string) {
	p := stylePlot("", "", label)
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.HideX()
	p.Y.Min, p.Y.Max = cm.Min(), cm.Max()
	// A narrow strip, vertically centred over most of the height.
	h := c.Max.Y - c.Min.Y
	strip := draw.Crop(c, vg.Points(10), -0.3*vg.Inch, h*0.1, -h*0.1)
	p.Draw(strip)
}

// figSans is the typeface of the sweep and compare figures' texts.
var figSans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func figText(size vg.Length) text.Style {
	return text.Style{Color: color.Black, Font: font.From(figSans, size), Handler: plot.DefaultTextHandler}
}

// stylePlot returns a plot with the figures' fonts and compact tick
// labels.
func stylePlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(figSans, 11)
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(figSans, 10)
		a.Tick.Label.Font = font.From(figSans, 9)
		a.Tick.Marker = compactTicks{plot.DefaultTicks{}}
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	return p
}

// faintGrid returns light grid lines.
func faintGrid() *plotter.Grid {
	g := plotter.NewGrid()
	for _, l := range []*draw.LineStyle{&g.Vertical, &g.Horizontal} {
		l.Color = color.Gray{Y: 0xe8}
		l.Width = vg.Points(0.5)
	}
	return g
}

// legendItem is one entry of a figure's legend.
type legendItem struct {
	label string
	thumb plot.Thumbnailer
}

// thumbStack draws several thumbnails on top of each other.
type thumbStack []plot.Thumbnailer

func (t thumbStack) Thumbnail(c *draw.Canvas) {
	for _, th := range t {
		th.Thumbnail(c)
	}
}

// swatch is a filled-rectangle thumbnail.
type swatch struct{ color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// drawHeader writes title centred at the top of c and the legend in
// centred rows under it, and returns the part of c below them.
func drawHeader(c draw.Canvas, title string, legend []legendItem) draw.Canvas {
	const pad = vg.Length(6)
	top := c.Max.Y - pad
	if title != "" {
		ts := figText(13)
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
		c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, title)
		top -= ts.Height(title) + pad
	}
	if len(legend) > 0 {
		ls := figText(10)
		ls.YAlign = draw.YCenter
		const thumbW, gap, sep = vg.Length(20), vg.Length(4), vg.Length(14)
		lineH := ls.Height("Ag") + 3
		var rows [][]legendItem
		var rowW []vg.Length
		avail := c.Max.X - c.Min.X - 2*pad
		for _, e := range legend {
			w := thumbW + gap + ls.Width(e.label)
			if n := len(rows); n == 0 || rowW[n-1]+sep+w > avail {
				rows = append(rows, nil)
				rowW = append(rowW, -sep)
			}
			n := len(rows) - 1
			rows[n] = append(rows[n], e)
			rowW[n] += sep + w
		}
		for k, row := range rows {
			y := top - lineH/2
			x := (c.Min.X+c.Max.X)/2 - rowW[k]/2
			for _, e := range row {
				tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: y - lineH/2 + 2}, Max: vg.Point{X: x + thumbW, Y: y + lineH/2 - 2},
				}}
				if e.thumb != nil {
					e.thumb.Thumbnail(&tc)
				}
				c.FillText(ls, vg.Point{X: x + thumbW + gap, Y: y}, e.label)
				x += thumbW + gap + ls.Width(e.label) + sep
			}
			top -= lineH
		}
		top -= pad / 2
	}
	out := c
	out.Max.Y = top
	return out
}

// withAlpha returns c with opacity alpha in [0, 1].
func withAlpha(c color.Color, alpha float64) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(alpha * 0xff))
	return n
}

// metricLabel returns a metric's name in words and its unit.
func metricLabel(metric, currency string) (label, unit string) {
	switch metric {
	case results.SMEFailures:
		return "SME failures", "firms"
	case results.CoreFailures:
		return "core failures", "firms"
	case results.Failures:
		return "failures", "firms"
	case results.JobsLost:
		return "jobs lost", "jobs"
	case results.OutputLost:
		return "output lost", currency
	case results.LargestCascade:
		return "largest cascade", "firms"
	case results.MeanCascadeDepth:
		return "mean cascade depth", "generations"
	case results.BankLosses:
		return "bank losses", currency
	case results.FiscalCost:
		return "fiscal cost", currency
	case results.FirmsSaved:
		return "firms saved", "firms"
	case results.SMEsSaved:
		return "SMEs saved", "firms"
	case results.CoresSaved:
		return "cores saved", "firms"
	case results.JobsSaved:
		return "jobs saved", "jobs"
	case results.OutputSaved:
		return "output saved", currency
	case results.BankLossesAvoided:
		return "bank losses avoided", currency
	case results.CostPerFirmSaved:
		return "cost per firm saved", currency + " per firm"
	case results.CostPerJobSaved:
		return "cost per job saved", currency + " per job"
	}
	return strings.ReplaceAll(metric, "_", " "), ""
}

func capitalize(s string) string {
	if s == "" || strings.HasPrefix(s, "SME") {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fileName makes s safe as a file name: letters, digits, '.', '_' and
// '-' kept, anything else '-'.
func fileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}
