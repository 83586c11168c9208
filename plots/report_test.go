package plots

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

var imgRE = regexp.MustCompile(`<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"`)

// checkReportHTML checks what every report must be: one HTML page, each
// figure once as a PNG data: URI that decodes, every title and caption,
// nothing loaded from elsewhere, balanced sections, the escaped scenario
// (dir/scenario.toml).
func checkReportHTML(t *testing.T, page []byte, figs []Figure, dir string) string {
	t.Helper()
	scenarioTOML, err := os.ReadFile(filepath.Join(dir, "scenario.toml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if !strings.HasPrefix(s, "<!DOCTYPE html>\n<html") || !strings.HasSuffix(s, "</html>\n") {
		t.Errorf("not an HTML page: starts %q, ends %q", s[:min(40, len(s))], s[max(0, len(s)-20):])
	}
	for _, tag := range []string{"html", "head", "body", "main", "section", "figure", "table", "ul", "pre", "nav", "header", "style", "details"} {
		open := strings.Count(s, "<"+tag+">") + strings.Count(s, "<"+tag+" ")
		if closed := strings.Count(s, "</"+tag+">"); open != closed {
			t.Errorf("<%s>: %d opened, %d closed", tag, open, closed)
		}
	}
	imgs := imgRE.FindAllStringSubmatch(s, -1)
	if len(imgs) != len(figs) || strings.Count(s, "<img") != len(figs) {
		t.Errorf("%d data: PNG images (%d <img>), want one per figure (%d)", len(imgs), strings.Count(s, "<img"), len(figs))
	}
	for i, m := range imgs {
		data, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Errorf("image %d: %v", i, err)
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Errorf("image %d is not a PNG: %v", i, err)
			continue
		}
		if i < len(figs) {
			w, _ := figs[i].Size()
			if want := int(float64(w/vg.Inch) * reportDPI); cfg.Width < want-2 || cfg.Width > want+2 {
				t.Errorf("image %d (%s): %d×%d pixels, want %d wide (%g dpi)", i, figs[i].Name, cfg.Width, cfg.Height, want, float64(reportDPI))
			}
		}
	}
	for _, bad := range []string{"http://", "https://", `src="/`, `src='`, `href="/`, "url(", "@import", "<script", "<link"} {
		if strings.Contains(s, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	if n := strings.Count(s, "src="); n != len(figs) {
		t.Errorf("%d src= attributes, want %d (the figures)", n, len(figs))
	}
	for _, f := range figs {
		for _, want := range []string{html.EscapeString(f.Title), html.EscapeString(f.Caption), `id="fig-` + f.Name + `"`} {
			if !strings.Contains(s, want) {
				t.Errorf("figure %s: no %q", f.Name, want)
			}
		}
	}
	if !strings.Contains(s, "<pre>"+html.EscapeString(string(scenarioTOML))+"</pre>") {
		t.Error("the escaped scenario.toml is not in a <pre>")
	}
	return s
}

func TestWriteReport(t *testing.T) {
	r, err := LoadRun("testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	figs, err := RunFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) == 0 {
		t.Fatal("no run figures")
	}
	page := writtenReport(t, func(path string) error { return WriteReport(path, r, figs) })
	s := checkReportHTML(t, page, figs, "testdata/run")
	for _, want := range []string{
		"<title>smesim report: plots-fixture</title>", "<h1>plots-fixture</h1>",
		"small network, deep demand collapse and credit crunch, policy loans and loan guarantees",
		// The network from firms.csv: 2 chains of 1 core, 8 + 12 + 11 SMEs.
		"64 firms — 2 core enterprises and 62 SMEs",
		"24 steps of 1w (24 weeks) from 2020-01-01; 3 replications per arm",
		"Arms: baseline, loans, guarantee.",
		"Demand shock “domestic demand collapse”: final demand on the domestic market falls by 40% from 4w after the start, for 6w at full depth, then back to normal linearly over 6w.",
		"Credit shock “credit crunch”: banks&#39; lending capacity falls by 50%, lending rates rise by up to 3% a year from 6w after the start, for 6w at full depth, then back to normal at once.",
		"Intervention “loans” (policy-loan): the state lends to eligible firms at 2% a year (direct channel, first-come), from the first shock&#39;s start until 26w after it; budget 1M CNY.",
		"Intervention “guarantee” (loan-guarantee): the state bears 80% of banks&#39; losses on guaranteed loans, for a 1% fee, from the first shock&#39;s start until 26w after it; budget 100M CNY.",
		"<th>output lost (CNY)</th>", "<th>firms saved</th>", "<th>cost per firm saved (CNY)</th>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// One headline row per arm, with the summary's numbers: the loans arm
	// saves 10.7 ± 16.9 firms (summary.json: 10.67, [−6.24, 27.58]).
	for _, arm := range r.Arms {
		if !strings.Contains(s, `<tr><th scope="row">`+arm+"</th>") {
			t.Errorf("no headline row for arm %s", arm)
		}
	}
	if !strings.Contains(s, "<td>10.7 ± 16.9</td><td>not significant</td>") {
		t.Error("the loans row lacks firms saved 10.7 ± 16.9, not significant")
	}
	if !strings.Contains(s, "<td>—</td><td>—</td></tr>") {
		t.Error("the baseline row lacks — in the effect columns")
	}
	// Deterministic: the same inputs give the same bytes.
	if page2 := writtenReport(t, func(path string) error { return WriteReport(path, r, figs) }); !bytes.Equal(page, page2) {
		t.Error("two reports of the same run differ")
	}
}

func TestWriteReportEscapes(t *testing.T) {
	r, err := LoadRun("testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	cfg := *r.Config
	cfg.Name = `<b>"x" & y</b>`
	cfg.Description = "<script>alert(1)</script> see https://example.org"
	r.Config = &cfg
	figs := []Figure{{Name: "f", Title: "A <title>", Caption: "A & caption", Width: 2 * vg.Inch, Height: 1 * vg.Inch,
		Draw: func(c draw.Canvas) {}}}
	s := string(writtenReport(t, func(path string) error { return WriteReport(path, r, figs) }))
	for _, want := range []string{"&lt;b&gt;&#34;x&#34; &amp; y&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", "A &lt;title&gt;", "A &amp; caption"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q", want)
		}
	}
	if strings.Contains(s, "<script>") || strings.Contains(s, "<b>") {
		t.Error("unescaped markup in the report")
	}
}

func TestWriteReportFigurePanics(t *testing.T) {
	r, err := LoadRun("testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	figs := []Figure{{Name: "broken", Title: "t", Caption: "c", Draw: func(c draw.Canvas) { panic("no data") }}}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	err = WriteReport(path, r, figs)
	if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "no data") {
		t.Errorf("error %v, want one naming the figure and the panic", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestWriteSweepReport(t *testing.T) {
	figs, err := SweepFigures(gridSweep)
	if err != nil {
		t.Fatal(err)
	}
	page := writtenReport(t, func(path string) error { return WriteSweepReport(path, gridSweep, figs) })
	s := checkReportHTML(t, page, figs, gridSweep)
	for _, want := range []string{
		"<h1>tiny-sweep</h1>", "29 firms — 1 core enterprise and 28 SMEs",
		"30 steps of 1w (30 weeks) from 2020-01-01; 2 replications per point and arm",
		"Arms: baseline, loans.", "6 points, a grid",
		"<tr><td><code>shocks.demand.depth</code></td><td>0.3, 0.5, 0.7</td></tr>",
		"<tr><td><code>interventions.loans.budget</code></td><td>1M, 10M</td></tr>",
		"<tr><td>5</td><td>0.7</td><td>10M</td></tr>",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("sweep report lacks %q", want)
		}
	}

	// A Latin hypercube: its design and ranges.
	figs, err = SweepFigures(lhsSweep)
	if err != nil {
		t.Fatal(err)
	}
	page = writtenReport(t, func(path string) error { return WriteSweepReport(path, lhsSweep, figs) })
	s = checkReportHTML(t, page, figs, lhsSweep)
	for _, want := range []string{"8 points, a Latin hypercube", "8 values from", "4w, 8w, 12w"} {
		if !strings.Contains(s, want) {
			t.Errorf("lhs sweep report lacks %q", want)
		}
	}
	if err := WriteSweepReport(filepath.Join(t.TempDir(), "report.html"), t.TempDir(), figs); err == nil {
		t.Error("no error for a directory without a sweep")
	}
}

// TestCheckReportScript runs testdata/check-report.sh on a report and on
// broken copies of it, when Chromium is installed (the script installs it
// in CI; here it is only used if present).
func TestCheckReportScript(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	found := false
	for _, c := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if _, err := exec.LookPath(c); err == nil {
			found = true
		}
	}
	if _, err := exec.LookPath("bash"); err != nil || !found {
		t.Skip("no chromium or bash")
	}
	r, err := LoadRun("testdata/compare")
	if err != nil {
		t.Fatal(err)
	}
	figs, err := CompareFigures([]*Run{r}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "report.html")
	if err := WriteReport(good, r, figs); err != nil {
		t.Fatal(err)
	}
	run := func(path string) (string, error) {
		out, err := exec.Command("bash", "testdata/check-report.sh", path).CombinedOutput()
		return string(out), err
	}
	if out, err := run(good); err != nil {
		t.Fatalf("check-report.sh fails on a good report: %v\n%s", err, out)
	} else if !strings.Contains(out, "images ok (3/3 loaded)") {
		t.Errorf("output: %s", out)
	}
	page, _ := os.ReadFile(good)
	for name, c := range map[string]struct{ old, new, msg string }{
		"broken image":   {"data:image/png;base64,", "data:image/png;base64,AAAA", "only 2 of 3 images loaded"},
		"relative image": {`<img src="data:image/png;base64,`, `<img src="fig.png" data-x="`, "src that is not a data: URI"},
		"web font":       {"<style>\n", "<style>\n@font-face { font-family: x; src: u\\72l(x.woff); }\nbody { font-family: x; }\n", "VIOLATIONS"},
	} {
		bad := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".html")
		if err := os.WriteFile(bad, []byte(strings.Replace(string(page), c.old, c.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := run(bad)
		if err == nil {
			t.Errorf("%s: check-report.sh passes:\n%s", name, out)
		} else if !strings.Contains(out, c.msg) {
			t.Errorf("%s: output lacks %q:\n%s", name, c.msg, out)
		}
	}
}

func TestShockAndInterventionSentences(t *testing.T) {
	d := units.MustDuration
	for _, c := range []struct {
		sc   config.ShockConfig
		want string
	}{
		{config.ShockConfig{Kind: "demand", Market: "eu", Start: d("2w"), Duration: d("3mo"), Recovery: d("1y"), Shape: "exponential", Depth: 0.25},
			"Demand shock: final demand on the eu export market falls by 25% from 2w after the start, for 3mo at full depth, then back to normal exponentially (95% of the way within 1y)."},
		{config.ShockConfig{Kind: "lockdown", Name: "L", Start: d("0d"), Duration: d("4w"), Shape: "step", Depth: 0.6, Sectors: []string{"parts-0"}, Roles: []string{"supplier"}},
			"Lockdown “L”: 60% of the firms of roles supplier in sectors parts-0 cannot produce from 0d after the start, for 4w at full depth, then back to normal at once."},
		{config.ShockConfig{Kind: "imports", Start: d("1w"), Duration: d("2w"), Recovery: d("2w"), Shape: "linear", Depth: 0.5},
			"Import shock: imported inputs available to all firms fall by 50% from 1w after the start, for 2w at full depth, then back to normal linearly over 2w."},
		{config.ShockConfig{Kind: "payment-terms", Start: d("8w"), Duration: d("16w"), Shape: "step", TermStretch: d("30d")},
			"Payment-terms shock: core firms take up to 30d longer to pay their SME suppliers from 8w after the start, for 16w at full depth, then back to normal at once."},
		// china-2020's export rebound once read "falls by -4%".
		{config.ShockConfig{Kind: "demand", Name: "export rebound", Market: "export", Start: d("13w"), Duration: d("91w"), Shape: "step", Depth: -0.04},
			"Demand rise “export rebound”: final demand on every export market rises by 4% from 13w after the start, for 91w at full depth, then back to normal at once."},
	} {
		if got := shockSentence(c.sc); got != c.want {
			t.Errorf("shockSentence:\n got %s\nwant %s", got, c.want)
		}
	}
	iv := config.DefaultIntervention()
	iv.Kind, iv.Name, iv.From, iv.Start, iv.End, iv.Budget = config.KindSupplyChainFinance, "scf", "run", d("4w"), d("1y"), 2e8
	if got, want := interventionSentence(iv, "EUR"), "Intervention “scf” (supply-chain-finance): banks buy 90% of suppliers' receivables on core firms (reverse factoring), from 4w to 1y into the run; budget 200M EUR."; got != want {
		t.Errorf("interventionSentence:\n got %s\nwant %s", got, want)
	}
	iv = config.DefaultIntervention()
	iv.Kind, iv.End = config.KindMoratorium, d("26w")
	if got, want := interventionSentence(iv, "CNY"), "Intervention “moratorium” (moratorium): principal and interest payments on eligible firms' bank loans are deferred, from the first shock's start until 26w after it."; got != want {
		t.Errorf("interventionSentence:\n got %s\nwant %s", got, want)
	}
}

// writtenReport returns the report that write writes into a new file.
func writtenReport(t *testing.T, write func(path string) error) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := write(path); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return page
}
