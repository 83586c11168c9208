package plots

import (
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/smesim/smesim/sim/results"
)

var allRunFigures = []string{
	FigActiveFirms, FigFailuresByChannel, FigRelativeLevels, FigCascadeCCDF,
	FigRevenueChange, FigInterventionEffects, FigNetwork,
}

// legends lists, per run figure of the fixture, texts the figure must
// show as separate text elements: every arm it draws (in its legend, its
// panel titles or its category axis) and, for some, more entries.
var legends = map[string][]string{
	FigActiveFirms:         {"baseline", "loans", "guarantee", "shock (start to end of recovery)"},
	FigFailuresByChannel:   {"baseline", "loans", "guarantee", "demand", "credit", "lost-supply", "lost-orders", "bad-debt", "guarantee-call"},
	FigRelativeLevels:      {"baseline", "loans", "guarantee"},
	FigCascadeCCDF:         {"baseline", "loans", "guarantee"},
	FigRevenueChange:       {"baseline", "loans", "guarantee", "< −50%", "−50% to −20%", "−20% to −10%", "≥ −10%"},
	FigInterventionEffects: {"loans", "guarantee"},
	FigNetwork:             {"survived", "failed (colour: failure week)", "raw-material", "supplier", "manufacturer", "distributor", "chain 0", "chain 1"},
}

func figureNames(figs []Figure) []string {
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	return names
}

// runFiguresNamed returns the figures of r, failing the test unless they
// are those named, in order.
func runFiguresNamed(t *testing.T, r *Run, want ...string) []Figure {
	t.Helper()
	figs, err := RunFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := figureNames(figs); !slices.Equal(got, want) {
		t.Errorf("figures %q, want %q", got, want)
	}
	return figs
}

func TestRunFigures(t *testing.T) {
	r := loadFixture(t)
	figs, err := RunFigures(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := figureNames(figs); !slices.Equal(got, allRunFigures) {
		t.Fatalf("figures %q, want %q", got, allRunFigures)
	}
	dir := t.TempDir()
	for _, fig := range figs {
		t.Run(fig.Name, func(t *testing.T) {
			if fig.Title == "" || fig.Caption == "" || fig.Draw == nil || fig.Width <= 0 || fig.Height <= 0 {
				t.Errorf("incomplete figure: title %q, caption %q, size %v×%v", fig.Title, fig.Caption, fig.Width, fig.Height)
			}
			if strings.Contains(fig.Caption, "\n") {
				t.Errorf("caption spans several lines: %q", fig.Caption)
			}
			names, err := Save(dir, []Figure{fig}, []string{"png", "svg"})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{filepath.Join(dir, fig.Name+".png"), filepath.Join(dir, fig.Name+".svg")}
			if !slices.Equal(names, want) {
				t.Fatalf("Save returned %q, want %q", names, want)
			}
			b, err := os.ReadFile(want[0])
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, want[0], b, figs)
			b, err = os.ReadFile(want[1])
			if err != nil {
				t.Fatal(err)
			}
			texts := checkSVG(t, want[1], b, figs)
			if !slices.Contains(texts, fig.Title) {
				t.Errorf("the title %q is not drawn", fig.Title)
			}
			for _, entry := range legends[fig.Name] {
				if !slices.ContainsFunc(texts, func(s string) bool { return s == entry || strings.HasPrefix(s, entry+" (") }) {
					t.Errorf("no text %q among %q", entry, texts)
				}
			}
		})
	}
}

func TestRunFiguresPDF(t *testing.T) {
	figs, err := RunFigures(loadFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, fig := range figs {
		b, err := Render(fig, "pdf")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("%s: not a PDF", fig.Name)
		}
	}
}

// subset returns r with only the rows of the runs keep keeps.
func subset(r *Run, keep func(arm string, rep int) bool) *Run {
	out := *r
	out.Timeseries, out.Firms, out.Events = nil, nil, nil
	for _, row := range r.Timeseries {
		if keep(row.Arm, row.Replication) {
			out.Timeseries = append(out.Timeseries, row)
		}
	}
	for _, row := range r.Firms {
		if keep(row.Arm, row.Replication) {
			out.Firms = append(out.Firms, row)
		}
	}
	for _, row := range r.Events {
		if keep(row.Arm, row.Replication) {
			out.Events = append(out.Events, row)
		}
	}
	return &out
}

// renderAll renders every figure in format, failing the test on an error.
func renderAll(t *testing.T, figs []Figure, format string) {
	t.Helper()
	for _, fig := range figs {
		if _, err := Render(fig, format); err != nil {
			t.Errorf("%s: %v", fig.Name, err)
		}
	}
}

// baselineOnly returns the fixture reduced to its baseline, as a run of a
// scenario without interventions would be.
func baselineOnly(r *Run) *Run {
	out := subset(r, func(arm string, _ int) bool { return arm == "baseline" })
	cfg := *r.Config
	cfg.Interventions, cfg.Arms = nil, nil
	out.Config = &cfg
	out.Arms = []string{"baseline"}
	out.Summary = &results.Summary{Confidence: r.Summary.Confidence, Arms: []results.Arm{*r.Summary.Get("baseline")}}
	return out
}

func TestNoInterventionEffectsWithoutInterventions(t *testing.T) {
	figs, err := RunFigures(baselineOnly(loadFixture(t)))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range allRunFigures {
		if n != FigInterventionEffects {
			want = append(want, n)
		}
	}
	if got := figureNames(figs); !slices.Equal(got, want) {
		t.Errorf("figures %q, want %q", got, want)
	}
	renderAll(t, figs, "svg")
}

func TestRunFiguresOneReplication(t *testing.T) {
	one := subset(loadFixture(t), func(_ string, rep int) bool { return rep == 0 })
	figs, err := RunFigures(one)
	if err != nil {
		t.Fatal(err)
	}
	renderAll(t, figs, "png")
}

func TestRunFiguresWithoutFirmResults(t *testing.T) {
	// output.record = "aggregate": time series only.
	r := *loadFixture(t)
	r.Firms, r.Events = nil, nil
	figs := runFiguresNamed(t, &r, FigActiveFirms, FigFailuresByChannel, FigRelativeLevels, FigInterventionEffects)
	renderAll(t, figs, "svg")
}

// TestRunFiguresAggregate: with output.record = "aggregate" the failures
// figure shows the "failures" series, unsplit, and the report says which
// figures are not drawn.
func TestRunFiguresAggregate(t *testing.T) {
	r := *loadFixture(t)
	d := newRunData(&r)
	total := 0.0
	for _, v := range d.meanSeries(r.Arms[0], "failures") {
		total += v
	}
	if total == 0 {
		t.Fatal("the fixture has no failures")
	}
	cfg := *r.Config
	cfg.Output.Record = "aggregate"
	r.Config, r.Firms, r.Events = &cfg, nil, nil
	if !r.Aggregate() {
		t.Fatal("not aggregate")
	}
	figs := runFiguresNamed(t, &r, FigActiveFirms, FigFailuresByChannel, FigRelativeLevels, FigInterventionEffects)
	f := figs[1]
	if !strings.Contains(f.Caption, `from the "failures" series`) || strings.Contains(f.Title, "channel") {
		t.Errorf("failures figure %q: %q", f.Title, f.Caption)
	}
	if _, err := Render(f, "svg"); err != nil {
		t.Error(err)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteReport(path, &r, figs); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(path)
	if !strings.Contains(string(page), "Figures not drawn") {
		t.Error("the report does not say which figures are not drawn")
	}
}

func TestNetworkSkippedAboveLimit(t *testing.T) {
	r := *loadFixture(t)
	r.Firms = nil
	for i := 0; i <= MaxNetworkFirms; i++ {
		r.Firms = append(r.Firms, results.FirmRow{Arm: "baseline", Firm: "f" + strconv.Itoa(i), Role: "supplier", Chain: 0, Status: "active", FailureStep: -1})
	}
	figs, err := RunFigures(&r)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(figureNames(figs), FigNetwork) {
		t.Errorf("network figure drawn for %d firms", len(r.Firms))
	}
}

func TestShockWindows(t *testing.T) {
	d := newRunData(loadFixture(t))
	// demand: start 4w, 6w at full depth, 6w recovery; credit: 6w, 6w, 4w.
	want := [][2]float64{{4, 16}, {6, 16}}
	if !slices.Equal(d.shocks, want) {
		t.Errorf("shock windows %v, want %v (steps)", d.shocks, want)
	}
	if d.shock0 != 4 || d.steps != 24 || d.stepDays != 7 {
		t.Errorf("first shock step %d, %d steps of %v days; want 4, 24, 7", d.shock0, d.steps, d.stepDays)
	}
}

func TestRelativeToPreShock(t *testing.T) {
	got := relativeToPreShock([]float64{2, 4, 1.5, 6}, 2) // pre-shock mean 3
	want := []float64{2.0 / 3, 4.0 / 3, 0.5, 2}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("relative level %v, want %v", got, want)
			break
		}
	}
	if got := relativeToPreShock([]float64{2, 4}, 0); got[0] != 1 || got[1] != 2 {
		t.Errorf("no pre-shock steps: %v, want relative to step 0: [1 2]", got)
	}
	if got := relativeToPreShock([]float64{0, 4}, 1); !math.IsNaN(got[1]) {
		t.Errorf("zero pre-shock level: %v, want NaN", got)
	}
}

func TestChannelShares(t *testing.T) {
	ev := func(step int, chs ...string) results.EventRow {
		return results.EventRow{Arm: "baseline", Step: step, Channels: chs}
	}
	events := []results.EventRow{ev(1, "demand"), ev(1, "demand", "credit"), ev(2), ev(2, "lockdown", "lost-supply", "demand", "credit")}
	channels, per := channelShares(events, 4, 2)
	wantCh := []string{"demand", "credit", "lost-supply", "lost-orders", "bad-debt", "guarantee-call", "lockdown", "unattributed"}
	if !slices.Equal(channels, wantCh) {
		t.Errorf("channels %q, want %q", channels, wantCh)
	}
	for _, tc := range []struct {
		ch   string
		step int
		want float64
	}{
		{"demand", 1, 0.75}, {"credit", 1, 0.25}, {"unattributed", 2, 0.5},
		{"lockdown", 2, 0.125}, {"demand", 2, 0.125}, {"bad-debt", 1, 0},
	} {
		if got := per[tc.ch][tc.step]; math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s at step %d: %v, want %v", tc.ch, tc.step, got, tc.want)
		}
	}
	// The channels of a step add up to its failures per replication.
	for step, want := range []float64{0, 1, 1, 0} {
		var sum float64
		for _, ch := range channels {
			sum += per[ch][step]
		}
		if math.Abs(sum-want) > 1e-12 {
			t.Errorf("step %d: channels add up to %v, want %v", step, sum, want)
		}
	}
}

func TestCascadeCCDF(t *testing.T) {
	ev := func(rep int, cascade string) results.EventRow {
		return results.EventRow{Replication: rep, Cascade: cascade}
	}
	sizes := cascadeSizes([]results.EventRow{ev(0, "a"), ev(0, "a"), ev(0, "b"), ev(1, "a"), ev(0, "a"), ev(1, "a")})
	if want := []int{3, 1, 2}; !slices.Equal(sizes, want) {
		t.Errorf("sizes %v, want %v (cascades are per replication)", sizes, want)
	}
	got := ccdf(append(sizes, 0))
	want := plotter.XYs{{X: 1, Y: 1}, {X: 2, Y: 2.0 / 3}, {X: 3, Y: 1.0 / 3}}
	if len(got) != len(want) {
		t.Fatalf("ccdf %v, want %v", got, want)
	}
	for i := range want {
		if got[i].X != want[i].X || math.Abs(got[i].Y-want[i].Y) > 1e-12 {
			t.Errorf("ccdf %v, want %v", got, want)
		}
	}
	if len(ccdf(nil)) != 0 {
		t.Error("ccdf of no cascades is not empty")
	}
}

func TestLog10Ticks(t *testing.T) {
	var labels []string
	for _, tk := range (log10Ticks{}).Ticks(math.Log10(0.85), math.Log10(12)) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"1", "2", "5", "10"}; !slices.Equal(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	labels = nil
	for _, tk := range (log10Ticks{}).Ticks(-4.2, 0.1) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if want := []string{"0.0001", "0.001", "0.01", "0.1", "1"}; !slices.Equal(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
}

func TestRevenueShares(t *testing.T) {
	var firms []results.FirmRow
	for _, v := range []float64{-0.6, -0.5, -0.3, -0.2, -0.15, -0.1, 0.2, math.NaN(), -1} {
		firms = append(firms, results.FirmRow{RevenueChange: v})
	}
	shares, n := revenueShares(firms)
	if n != 8 {
		t.Errorf("%d firms counted, want 8 (NaN left out)", n)
	}
	want := []float64{2.0 / 8, 2.0 / 8, 2.0 / 8, 2.0 / 8}
	for i := range want {
		if math.Abs(shares[i]-want[i]) > 1e-12 {
			t.Errorf("shares %v, want %v", shares, want)
			break
		}
	}
}

func isGrey(c color.Color) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return n.R == n.G && n.G == n.B
}

func TestFirmColor(t *testing.T) {
	scale := &failScale{min: 0, max: 52, alpha: 1}
	active := results.FirmRow{Status: "active", FailureStep: -1}
	if c := firmColor(active, 7, scale); c != greyActive || !isGrey(c) {
		t.Errorf("active firm: colour %v, want grey %v", c, greyActive)
	}
	seen := map[color.NRGBA]bool{}
	for step := -1; step <= 60; step++ {
		failed := results.FirmRow{Status: "failed", FailureStep: step}
		c := firmColor(failed, 7, scale)
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		if isGrey(c) || n.A != 0xff {
			t.Errorf("firm failed at step %d: colour %v is grey or translucent", step, n)
		}
		spread := max(n.R, n.G, n.B) - min(n.R, n.G, n.B)
		if spread < 40 {
			t.Errorf("firm failed at step %d: colour %v too close to grey", step, n)
		}
		seen[n] = true
	}
	if len(seen) < 40 {
		t.Errorf("only %d distinct colours for 62 failure steps", len(seen))
	}
	// The scale runs from the first to the last anchor.
	if scale.color(0) != failAnchors[0] || scale.color(52) != failAnchors[len(failAnchors)-1] {
		t.Errorf("scale ends %v, %v; want %v, %v", scale.color(0), scale.color(52), failAnchors[0], failAnchors[len(failAnchors)-1])
	}
}

func TestLayoutNetwork(t *testing.T) {
	r := loadFixture(t)
	var firms []results.FirmRow
	for _, f := range r.Firms {
		if f.Arm == "baseline" && f.Replication == 0 {
			firms = append(firms, f)
		}
	}
	l := layoutNetwork(firms, 1000, 800)
	if want := []string{"raw-material", "supplier", "manufacturer", "distributor"}; !slices.Equal(l.columns, want) {
		t.Errorf("columns %q, want %q", l.columns, want)
	}
	if want := []string{"chain 1", "chain 0"}; !slices.Equal(l.bands, want) {
		t.Errorf("bands %q (bottom to top), want %q", l.bands, want)
	}
	type pt struct{ x, y float64 }
	seen := map[pt]bool{}
	for i, f := range firms {
		col := slices.Index(l.columns, f.Role)
		band := slices.Index(l.bands, "chain "+strconv.Itoa(f.Chain))
		if math.Abs(l.x[i]-float64(col)) > 0.4 || math.Abs(l.y[i]-float64(band)) > 0.45 {
			t.Errorf("firm %s (%s, chain %d) at (%v, %v), outside its cell (%d, %d)", f.Firm, f.Role, f.Chain, l.x[i], l.y[i], col, band)
		}
		p := pt{l.x[i], l.y[i]}
		if seen[p] {
			t.Errorf("two firms at %v", p)
		}
		seen[p] = true
	}
	if !(l.spacing > 0) || math.IsInf(l.spacing, 0) {
		t.Errorf("spacing %v", l.spacing)
	}
}
