package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/smesim/smesim/sim/results"
)

// reportDPI is the resolution of the figures embedded in reports: sharp
// on high-density screens and in print, each figure shown at its size
// (Width × Height at 96 CSS pixels per inch).
const reportDPI = 150

// maxReportPoints is the most points a sweep report lists one by one.
const maxReportPoints = 200

// WriteReport writes the file path: one self-contained HTML page about
// the run r with the figures figs. It holds the scenario in plain words
// (name, description, network, time, replications, arms, a sentence per
// shock and per intervention), the headline table of summary.json per arm
// (failures of SMEs and cores, jobs, output and bank losses, fiscal cost,
// firms saved ± the half-width of their 95% interval and the cost per
// firm saved with its Fieller interval), every figure with its title and
// caption, and the resolved scenario.toml.
//
// Every figure is drawn in memory (Figure.Draw on a vgimg canvas at the
// figure's size, reportDPI) and embedded as a base64 PNG data: URI, and
// the styles are inline: the page loads nothing else (no scripts, fonts,
// style sheets or links to other files) and can be mailed or moved alone.
// The same inputs give the same bytes.
func WriteReport(path string, r *Run, figs []Figure) error {
	return WriteReportWith(path, r, figs, ReportOptions{})
}

// WriteReportWith is WriteReport with what the result files do not say:
// the scenario's facts checked on the run. The page opens with an
// executive summary in plain words (see summary) and, when the scenario
// has facts, holds a facts check.
func WriteReportWith(path string, r *Run, figs []Figure, opts ReportOptions) error {
	if r == nil || r.Config == nil {
		return fmt.Errorf("plots: report: no run or no scenario")
	}
	cfg := r.Config
	var b reportBuilder
	b.head("smesim report: " + cfg.Name)
	b.title(cfg.Name, cfg.Description, "smesim run report: scenario, headline results and figures of one result directory")
	b.summary(r, opts)
	b.nav(figs, r.Summary != nil)

	b.section("scenario", "Scenario")
	items := []string{
		networkWords(r),
		timeWords(cfg) + "; " + plural(replicationsOf(r), "replication") + " per arm.",
		armsWords(runArms(r)),
	}
	items = append(items, shockItems(cfg)...)
	items = append(items, interventionItems(cfg)...)
	b.list(items)
	b.end("section")

	if r.Summary != nil {
		b.section("headline", "Headline results")
		b.headlineTable(r.Summary, cfg.Currency)
		b.end("section")
	}
	if r.Summary != nil {
		b.additionalitySection(r.Summary, cfg.Currency)
	}
	b.factsSection(opts)
	if err := b.figures(figs); err != nil {
		return err
	}
	if r.Aggregate() {
		b.section("not-drawn", "Figures not drawn")
		b.p("The scenario records time series only (output.record = \"aggregate\"): firms.csv and events.csv hold no rows, " +
			"so the figures that need firm-level results (cascade sizes, revenue change, the network) are not drawn, " +
			"the largest cascade and mean cascade depth are undefined, and failures are not split by channel. " +
			"Run with output.record = \"full\" (smesim run --record full) for them.")
		b.end("section")
	}
	b.resolved(r.Dir)
	b.foot()
	return b.save(path)
}

// WriteSweepReport writes the file path: one self-contained HTML page about
// the sweep in directory dir (see LoadSweep) with the figures figs: the
// scenario in plain words, the swept parameters and every point (up to
// 200), the figures with their titles and captions, and the resolved
// scenario.toml. Like WriteReport, it loads nothing else.
func WriteSweepReport(path, dir string, figs []Figure) error {
	s, err := LoadSweep(dir)
	if err != nil {
		return err
	}
	cfg := s.Config
	var b reportBuilder
	b.head("smesim sweep report: " + cfg.Name)
	b.title(cfg.Name, cfg.Description, "smesim sweep report: scenario, swept parameters and figures of one sweep")
	b.nav(figs, false)

	b.section("scenario", "Scenario")
	reps := s.Replications
	if reps == 0 {
		reps = cfg.Replications
	}
	items := []string{
		expectedNetworkWords(cfg),
		timeWords(cfg) + "; " + plural(reps, "replication") + " per point and arm.",
		armsWords(s.Arms),
	}
	items = append(items, shockItems(cfg)...)
	items = append(items, interventionItems(cfg)...)
	b.list(items)
	b.p("The swept parameters below override these values at each point; every point uses the scenario's seed, so differences between points, like those between arms, are paired.")
	b.end("section")

	b.section("sweep", "Swept parameters")
	design := "a grid: every combination of the values below"
	if s.Design == "latin-hypercube" {
		design = "a Latin hypercube: each parameter's range cut into " + strconv.Itoa(len(s.Points)) + " strata, each used by one point"
	}
	b.p(fmt.Sprintf("%s, %s.", plural(len(s.Points), "point"), design))
	b.raw("<table>\n<thead><tr><th>parameter</th><th>values</th></tr></thead>\n<tbody>\n")
	for _, p := range s.Params {
		var vals []string
		for _, v := range p.Values {
			vals = append(vals, valueLabel(p, v))
		}
		desc := strings.Join(vals, ", ")
		if s.Design == "latin-hypercube" && p.Numeric && len(p.X) > 1 {
			desc = fmt.Sprintf("%s values from %s to %s", strconv.Itoa(len(p.X)), results.Compact(p.X[0]), results.Compact(p.X[len(p.X)-1]))
		}
		b.raw("<tr><td><code>" + esc(p.Key) + "</code></td><td>" + esc(desc) + "</td></tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
	b.raw("<details" + map[bool]string{true: " open", false: ""}[len(s.Points) <= 12] + "><summary>Points</summary>\n")
	b.raw("<table class=\"num\">\n<thead><tr><th>point</th>")
	for _, p := range s.Params {
		b.raw("<th><code>" + esc(p.Key) + "</code></th>")
	}
	b.raw("</tr></thead>\n<tbody>\n")
	for _, pt := range s.Points[:min(len(s.Points), maxReportPoints)] {
		b.raw("<tr><td>" + strconv.Itoa(pt.Index) + "</td>")
		for j, v := range pt.Values {
			b.raw("<td>" + esc(valueLabel(s.Params[j], v)) + "</td>")
		}
		b.raw("</tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
	if len(s.Points) > maxReportPoints {
		b.p(fmt.Sprintf("The first %d of %d points; all are in sweep.csv.", maxReportPoints, len(s.Points)))
	}
	b.raw("</details>\n")
	b.end("section")

	if err := b.figures(figs); err != nil {
		return err
	}
	b.resolvedText(s.Scenario)
	b.foot()
	return b.save(path)
}

// save writes the page to path atomically (see results.AtomicFile).
func (b *reportBuilder) save(path string) error {
	if err := results.WriteFileAtomic(path, func(w io.Writer) error { _, err := b.WriteTo(w); return err }); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// renderPNG draws fig at its size (DefaultWidth × DefaultHeight where zero)
// on a white background into a PNG of dpi dots per inch, in memory. A
// panic while drawing is returned as an error naming the figure.
func renderPNG(fig Figure, dpi float64) (data []byte, err error) {
	w, h := fig.Size()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(dpi)))
	defer func() {
		if p := recover(); p != nil {
			data, err = nil, fmt.Errorf("plots: figure %s: %v", fig.Name, p)
		}
	}()
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if fig.Draw != nil {
		fig.Draw(dc)
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: figure %s: %w", fig.Name, err)
	}
	return buf.Bytes(), nil
}

// reportBuilder accumulates the HTML of a report.
type reportBuilder struct{ bytes.Buffer }

func esc(s string) string { return html.EscapeString(s) }

func (b *reportBuilder) raw(s string) { b.WriteString(s) }

func (b *reportBuilder) p(text string) { b.raw("<p>" + esc(text) + "</p>\n") }

func (b *reportBuilder) section(id, title string) {
	b.raw("<section id=\"" + id + "\">\n<h2>" + esc(title) + "</h2>\n")
}

func (b *reportBuilder) end(tag string) { b.raw("</" + tag + ">\n") }

func (b *reportBuilder) list(items []string) {
	b.raw("<ul>\n")
	for _, it := range items {
		if it != "" {
			b.raw("<li>" + esc(it) + "</li>\n")
		}
	}
	b.raw("</ul>\n")
}

func (b *reportBuilder) head(title string) {
	b.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.raw("<title>" + esc(title) + "</title>\n<style>\n" + reportCSS + "</style>\n</head>\n<body>\n<main>\n")
}

// title writes the page's header: the scenario's name, its description
// and what the page shows.
func (b *reportBuilder) title(name, description, what string) {
	b.raw("<header>\n<h1>" + esc(name) + "</h1>\n")
	if description != "" {
		b.raw("<p class=\"lead\">" + esc(description) + "</p>\n")
	}
	b.raw("<p class=\"meta\">" + esc(what) + "</p>\n</header>\n")
}

// nav writes a table of contents of the page's sections and figures.
func (b *reportBuilder) nav(figs []Figure, headline bool) {
	b.raw("<nav>\n<ul>\n<li><a href=\"#scenario\">Scenario</a></li>\n")
	if headline {
		b.raw("<li><a href=\"#headline\">Headline results</a></li>\n")
	}
	if len(figs) > 0 {
		b.raw("<li><a href=\"#figures\">Figures</a><ul>\n")
		for _, f := range figs {
			b.raw("<li><a href=\"#fig-" + esc(fileName(f.Name)) + "\">" + esc(f.Title) + "</a></li>\n")
		}
		b.raw("</ul></li>\n")
	}
	b.raw("<li><a href=\"#resolved\">Resolved scenario</a></li>\n</ul>\n</nav>\n")
}

// figures writes every figure as a <figure> with its title, the PNG as a
// data: URI and the caption.
func (b *reportBuilder) figures(figs []Figure) error {
	if len(figs) == 0 {
		return nil
	}
	b.section("figures", "Figures")
	for _, f := range figs {
		png, err := renderPNG(f, reportDPI)
		if err != nil {
			return err
		}
		w, h := f.Size()
		px := func(l vg.Length) string { return strconv.Itoa(int(math.Round(l.Points() / 72 * 96))) }
		b.raw("<figure id=\"fig-" + esc(fileName(f.Name)) + "\">\n<h3>" + esc(f.Title) + "</h3>\n")
		b.raw("<img src=\"data:image/png;base64,")
		b.raw(base64.StdEncoding.EncodeToString(png))
		b.raw("\" width=\"" + px(w) + "\" height=\"" + px(h) + "\" alt=\"" + esc(f.Title) + "\">\n")
		b.raw("<figcaption>" + esc(f.Caption) + "</figcaption>\n</figure>\n")
	}
	b.end("section")
	return nil
}

// resolved writes the run's scenario.toml.
func (b *reportBuilder) resolved(dir string) {
	data, err := results.ReadFile(filepath.Join(dir, results.ScenarioFile), results.MaxScenarioBytes)
	if err != nil {
		data = []byte("(" + results.ScenarioFile + " could not be read: " + err.Error() + ")")
	}
	b.resolvedText(data)
}

func (b *reportBuilder) resolvedText(data []byte) {
	b.section("resolved", "Resolved scenario")
	b.p("scenario.toml with every default filled in: `smesim run scenario.toml` (or `smesim sweep`) repeats the results.")
	// Folded, so that a long scenario does not bury the page's end.
	b.raw("<details><summary>Show scenario.toml (" + strconv.Itoa(bytes.Count(data, []byte("\n"))) + " lines)</summary>\n")
	b.raw("<pre>" + esc(string(data)) + "</pre>\n</details>\n")
	b.end("section")
}

func (b *reportBuilder) foot() {
	b.raw("</main>\n</body>\n</html>\n")
}

// headlineTable writes one row per arm of the summary.
func (b *reportBuilder) headlineTable(sum *results.Summary, currency string) {
	cur := esc(currency)
	b.raw("<table class=\"num\">\n<thead><tr><th>arm</th><th>SME failures</th><th>core failures</th><th>jobs lost</th>")
	b.raw("<th>output lost (" + cur + ")</th><th>bank losses (" + cur + ")</th><th>fiscal cost (" + cur + ")</th>")
	b.raw("<th>firms saved</th><th>cost per firm saved (" + cur + ")</th></tr></thead>\n<tbody>\n")
	reps := 0
	for _, a := range sum.Arms {
		reps = max(reps, a.Replications)
		saved, cost := "—", "—"
		if a.Effects != nil {
			saved = a.Effects.Value(results.FirmsSaved).HalfWidthText()
			cost = a.Effects.Value(results.CostPerFirmSaved).RatioText()
		}
		label := a.Arm
		if label == "" {
			label = "results"
		}
		b.raw("<tr><th scope=\"row\">" + esc(label) + "</th>")
		for _, m := range []string{results.SMEFailures, results.CoreFailures, results.JobsLost, results.OutputLost, results.BankLosses, results.FiscalCost} {
			b.raw("<td>" + esc(results.Compact(a.Headline.Value(m).Mean)) + "</td>")
		}
		b.raw("<td>" + esc(saved) + "</td><td>" + esc(cost) + "</td></tr>\n")
	}
	b.raw("</tbody>\n</table>\n")
	note := fmt.Sprintf("Means over %s per arm. Firms saved: against the baseline on the same random draws, ± the half-width of the paired %g%% interval; cost per firm saved: fiscal cost over firms saved, with its %g%% Fieller interval (“not significant” when the firms saved are not significantly above zero, “n/a” when none are saved on average).",
		plural(reps, "replication"), 100*sum.Confidence, 100*sum.Confidence)
	if reps == 1 {
		note = "One replication: no intervals. Firms saved: against the baseline on the same random draws; cost per firm saved: fiscal cost over firms saved."
	}
	b.raw("<p class=\"note\">" + esc(note) + "</p>\n")
	var used []string
	seen := map[string]bool{}
	for _, a := range sum.Arms {
		for _, iv := range a.Interventions {
			if seen[iv.Name] || iv.ExhaustedShare <= 0 {
				continue
			}
			seen[iv.Name] = true
			n := int(math.Round(iv.ExhaustedShare * float64(a.Replications)))
			used = append(used, fmt.Sprintf("%s: its budget of %s %s ran out in %d of %s (arm %s).",
				iv.Name, results.Compact(iv.Budget), currency, n, plural(a.Replications, "replication"), a.Arm))
		}
	}
	if len(used) > 0 {
		b.raw("<p class=\"note\">Budgets used up — ")
		b.raw(esc(strings.Join(used, " ")))
		b.raw(" Where a budget runs out, the saving measures the budget as much as the instrument.</p>\n")
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// replicationsOf returns the replications per arm of a run.
func replicationsOf(r *Run) int {
	if r.Summary != nil {
		n := 0
		for _, a := range r.Summary.Arms {
			n = max(n, a.Replications)
		}
		if n > 0 {
			return n
		}
	}
	return r.Config.Replications
}

// networkWords describes the network from firms.csv (the first arm's
// replications): the firms active at the start, with the entry pool
// beside them; or from the scenario without firm-level results.
func networkWords(r *Run) string {
	if len(r.Firms) == 0 {
		return expectedNetworkWords(r.Config)
	}
	arm := r.Firms[0].Arm
	type count struct{ all, core, pool int }
	per := map[int]*count{}
	var order []int
	for _, f := range r.Firms {
		if f.Arm != arm {
			continue
		}
		c := per[f.Replication]
		if c == nil {
			c = &count{}
			per[f.Replication] = c
			order = append(order, f.Replication)
		}
		if inEntryPool(&f) {
			c.pool++
			continue
		}
		c.all++
		if f.Kind == "core" {
			c.core++
		}
	}
	c0 := per[order[0]]
	same := true
	lo, hi := c0.all, c0.all
	for _, k := range order {
		c := per[k]
		if c.all != c0.all || c.core != c0.core || c.pool != c0.pool {
			same = false
		}
		lo, hi = min(lo, c.all), max(hi, c.all)
	}
	gen := generatorWords(r.Config)
	if same {
		return fmt.Sprintf("Network: %d firms%s — %d core %s and %d SMEs — %s.",
			c0.all, results.PoolWords(c0.pool), c0.core, pick(c0.core == 1, "enterprise", "enterprises"), c0.all-c0.core, gen)
	}
	return fmt.Sprintf("Network: %d to %d firms depending on the replication, %s.", lo, hi, gen)
}

// reportCSS is the style sheet of reports: readable on screen, printable.
const reportCSS = `:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d232b; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
header { border-bottom: 3px solid #1d232b; margin-bottom: 16px; }
h1 { font-size: 2em; margin: 0.3em 0 0.2em; }
h2 { font-size: 1.4em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #d0d4da; }
h3 { font-size: 1.1em; margin: 0 0 0.4em; }
p.lead { font-size: 1.15em; margin: 0 0 0.4em; }
p.meta, p.note, span.source { color: #5a6270; font-size: 0.9em; }
#summary { background: #f7f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 4px 16px 8px; }
#summary h2 { margin-top: 0.6em; }
ul.warnings li { color: #8a3b00; }
nav { font-size: 0.92em; background: #f7f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 8px 16px; }
nav ul { margin: 0.2em 0; padding-left: 1.2em; }
nav a { color: #0b5394; text-decoration: none; }
nav a:hover { text-decoration: underline; }
ul { padding-left: 1.4em; }
li { margin: 0.25em 0; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e1e4e8; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #1d232b; font-weight: 600; }
table.num td, table.num thead th + th { text-align: right; }
table.num td { font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { font-weight: 600; }
figure { margin: 1.4em 0 2em; padding: 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #e1e4e8; }
figcaption { color: #3b4350; font-size: 0.92em; margin-top: 0.4em; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.92em; }
pre { font: 12.5px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; background: #f7f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 12px; overflow-x: auto; }
details summary { cursor: pointer; color: #0b5394; margin: 0.4em 0; }
@media (max-width: 700px) { main { padding: 12px; } table { display: block; overflow-x: auto; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, tr { break-inside: avoid; }
  figure img { border: none; }
  pre { white-space: pre-wrap; font-size: 8pt; border: none; }
  details > * { display: block; }
}
`
