package plots

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// fixtureDir is a result directory written by
//
//	go run ./cmd/smesim run plots/testdata/run.toml --plots none --out plots/testdata/run
//
// (64 firms, 24 weekly steps, 3 replications, arms baseline, loans and
// guarantee). Rerun that command, into an empty directory, when the result
// files change.
const fixtureDir = "testdata/run"

func loadFixture(t *testing.T) *Run {
	t.Helper()
	r, err := LoadRun(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseFormats(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // nil: an error
	}{
		{"none", []string{}},
		{"all", []string{"png", "svg", "pdf"}},
		{" all ", []string{"png", "svg", "pdf"}},
		{"png", []string{"png"}},
		{"svg,png", []string{"svg", "png"}},
		{"png, svg ,pdf", []string{"png", "svg", "pdf"}},
		{"PNG", []string{"png"}},
		{"png,png,svg", []string{"png", "svg"}},
		{"", nil},
		{"jpg", nil},
		{"png,", nil},
		{"png,,svg", nil},
		{"png,none", nil},
		{"all,svg", nil},
		{"png;svg", nil},
	} {
		got, err := ParseFormats(tc.in)
		switch {
		case tc.want == nil && err == nil:
			t.Errorf("ParseFormats(%q) = %q, want an error", tc.in, got)
		case tc.want != nil && err != nil:
			t.Errorf("ParseFormats(%q): %v", tc.in, err)
		case tc.want != nil && !slices.Equal(got, tc.want):
			t.Errorf("ParseFormats(%q) = %q, want %q", tc.in, got, tc.want)
		case tc.want != nil && got == nil:
			t.Errorf("ParseFormats(%q) = nil, want an empty list", tc.in)
		}
	}
}

func TestParseFormatsErrorNamesAllowed(t *testing.T) {
	_, err := ParseFormats("gif")
	if err == nil || !strings.Contains(err.Error(), `"gif"`) || !strings.Contains(err.Error(), "png, svg, pdf") {
		t.Errorf("error %v: want the format and the allowed values named", err)
	}
}

func TestArmColor(t *testing.T) {
	seen := map[color.NRGBA]int{}
	for i := 0; i < len(armColors); i++ {
		c := color.NRGBAModel.Convert(ArmColor(i)).(color.NRGBA)
		if j, dup := seen[c]; dup {
			t.Errorf("arms %d and %d share colour %v", j, i, c)
		}
		seen[c] = i
		if c.A != 0xff {
			t.Errorf("arm %d: colour %v is not opaque", i, c)
		}
	}
	if ArmColor(0) != (color.NRGBA{0, 0, 0, 0xff}) {
		t.Errorf("baseline colour %v, want black", ArmColor(0))
	}
	// Same index, same colour; further arms cycle over the non-baseline colours.
	for i := 0; i < 30; i++ {
		if ArmColor(i) != ArmColor(i) {
			t.Errorf("ArmColor(%d) not stable", i)
		}
		if i >= len(armColors) && ArmColor(i) == ArmColor(0) {
			t.Errorf("arm %d has the baseline's colour", i)
		}
	}
	if ArmColor(len(armColors)) != ArmColor(1) {
		t.Errorf("arm %d: want the colour of arm 1 (cycle)", len(armColors))
	}
}

func TestReadable(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {0.1 + 0.2, "0.3"}, {-5, "-5"}, {2500, "2500"},
		{12000, "12k"}, {1.5e6, "1.5M"}, {-2.25e6, "-2.25M"}, {3e9, "3bn"}, {123456, "123k"},
	} {
		if got := readable(tc.v); got != tc.want {
			t.Errorf("readable(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestReadableTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		labels   []string
	}{
		{0, 100, []string{"0", "20", "40", "60", "80", "100"}},
		{-7, 36, []string{"0", "10", "20", "30"}},
		{0.45, 1, []string{"0.5", "0.6", "0.7", "0.8", "0.9", "1"}},
		{0, 2.6e6, []string{"0", "500k", "1M", "1.5M", "2M", "2.5M"}},
	} {
		var got []string
		for _, tk := range (readableTicks{}).Ticks(tc.min, tc.max) {
			if tk.Value < tc.min-1e-9 || tk.Value > tc.max+1e-9 {
				t.Errorf("[%v, %v]: tick %v outside the range", tc.min, tc.max, tk.Value)
			}
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, tc.labels) {
			t.Errorf("[%v, %v]: labels %q, want %q", tc.min, tc.max, got, tc.labels)
		}
	}
}

func TestSaveWritesEveryFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "figures")
	figs := []Figure{
		{Name: "b", Title: "B", Draw: func(c draw.Canvas) { runKit.header(c, "B", nil) }},
		{Name: "a", Width: 3 * vg.Inch, Height: 2 * vg.Inch, Draw: func(c draw.Canvas) { noteText(c, "a") }},
	}
	names, err := Save(dir, figs, Formats)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range []string{"a.pdf", "a.png", "a.svg", "b.pdf", "b.png", "b.svg"} {
		want = append(want, filepath.Join(dir, n))
	}
	if !slices.Equal(names, want) {
		t.Errorf("Save returned %q, want %q", names, want)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(n) {
		case ".pdf":
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("%s: not a PDF", n)
			}
		case ".png":
			checkPNG(t, n, b, figs)
		case ".svg":
			checkSVG(t, n, b, figs)
		}
	}
}

// figureFor returns the figure of a file name.
func figureFor(name string, figs []Figure) Figure {
	stem := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	for _, f := range figs {
		if f.Name == stem {
			return f
		}
	}
	return Figure{}
}

// checkPNG decodes a PNG file and checks its size is the figure's default
// size at DPI.
func checkPNG(t *testing.T, name string, b []byte, figs []Figure) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	w, h := figureFor(name, figs).Size()
	wantW, wantH := int(w/vg.Inch*DPI+0.5), int(h/vg.Inch*DPI+0.5)
	if got := img.Bounds().Size(); got.X != wantW || got.Y != wantH {
		t.Errorf("%s: %d×%d pixels, want %d×%d", name, got.X, got.Y, wantW, wantH)
	}
}

// checkSVG parses an SVG file as XML and checks its width and height are
// the figure's default size; it returns the text of its <text> elements.
func checkSVG(t *testing.T, name string, b []byte, figs []Figure) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var texts []string
	var root bool
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s: not valid XML: %v", name, err)
			return nil
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if !root {
				root = true
				if tok.Name.Local != "svg" {
					t.Errorf("%s: root element <%s>, want <svg>", name, tok.Name.Local)
				}
				w, h := figureFor(name, figs).Size()
				for _, a := range tok.Attr {
					var want vg.Length
					switch a.Name.Local {
					case "width":
						want = w
					case "height":
						want = h
					default:
						continue
					}
					got, err := strconv.ParseFloat(strings.TrimSuffix(a.Value, "pt"), 64)
					if err != nil || math.Abs(got-want.Points()) > 0.01 {
						t.Errorf("%s: %s=%q, want %vpt", name, a.Name.Local, a.Value, want.Points())
					}
				}
			}
			if tok.Name.Local == "text" {
				inText = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				inText = false
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
	if !root {
		t.Errorf("%s: no root element", name)
	}
	return texts
}

func TestRenderUnknownFormat(t *testing.T) {
	if _, err := Render(Figure{Name: "x"}, "gif"); err == nil {
		t.Error("Render to gif: no error")
	}
	if _, err := Save(t.TempDir(), []Figure{{Name: "x"}}, []string{"gif"}); err == nil {
		t.Error("Save as gif: no error")
	}
}

func TestRenderPanicIsError(t *testing.T) {
	fig := Figure{Name: "boom", Draw: func(draw.Canvas) { panic("degenerate data") }}
	_, err := Render(fig, "svg")
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "degenerate data") {
		t.Errorf("error %v: want one naming the figure and the panic", err)
	}
}

func TestSaveNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "unused")
	names, err := Save(dir, nil, []string{"png"})
	if err != nil || len(names) != 0 {
		t.Errorf("Save of no figures: %q, %v", names, err)
	}
	names, err = Save(dir, []Figure{{Name: "x"}}, []string{})
	if err != nil || len(names) != 0 {
		t.Errorf("Save in no format: %q, %v", names, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Save of nothing created %s", dir)
	}
}

func TestLoadRun(t *testing.T) {
	r := loadFixture(t)
	if want := []string{"baseline", "loans", "guarantee"}; !slices.Equal(r.Arms, want) {
		t.Errorf("arms %q, want %q", r.Arms, want)
	}
	if r.Config.Name != "plots-fixture" || r.Config.Replications != 3 || len(r.Config.Shocks) != 2 {
		t.Errorf("config: name %q, %d replications, %d shocks", r.Config.Name, r.Config.Replications, len(r.Config.Shocks))
	}
	if len(r.Timeseries) == 0 || len(r.Firms) != 3*3*64 || len(r.Events) == 0 || r.Summary == nil || len(r.Summary.Arms) != 3 {
		t.Errorf("rows: %d timeseries, %d firms, %d events, summary %v", len(r.Timeseries), len(r.Firms), len(r.Events), r.Summary != nil)
	}
	if r.Dir != fixtureDir {
		t.Errorf("Dir %q, want %q", r.Dir, fixtureDir)
	}
}

func TestLoadRunErrors(t *testing.T) {
	if _, err := LoadRun(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("LoadRun of a missing directory: no error")
	}
	// A directory with every file but events.csv.
	dir := t.TempDir()
	for _, f := range []string{"scenario.toml", "timeseries.csv", "firms.csv", "summary.json"} {
		b, err := os.ReadFile(filepath.Join(fixtureDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadRun(dir); err == nil || !strings.Contains(err.Error(), "events.csv") {
		t.Errorf("LoadRun without events.csv: %v, want an error naming it", err)
	}
}
