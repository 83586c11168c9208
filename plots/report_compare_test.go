package plots

import (
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestCompareReport: smesim compare's report says in words how each
// shared arm of the second run differs from the first, with a Welch
// interval, and tables every headline metric of the shared arms.
func TestCompareReport(t *testing.T) {
	a, err := LoadRun("testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadRun("testdata/compare")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteCompareReport(path, []*Run{a, b}, []string{"weekly", "fortnightly"}, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(string(data), " "))), " ")
	for _, want := range []string{
		"Compared 2 runs against the first, weekly.",
		"baseline: 7.5 firms failed in fortnightly against 16 in weekly, a difference of -8.5 (95% interval -25.5 to 8.54, which includes zero: not established).",
		"loans: 5.5 firms failed in fortnightly against 5.33 in weekly, a difference of +0.167",
		"it saved 2 firms against 10.7, a difference of -8.67",
		"metric weekly fortnightly fortnightly − weekly",
		"firms failed 16 7.5 -8.5 ± 17 (not significant)",
		"core enterprises failed 0 0 0 jobs lost",
		"output lost 96.5M 208M +111M ± 37.2M bank losses",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the compare report lacks %q:\n%s", want, text)
		}
	}
	// guarantee is not in both runs: no row for it.
	if strings.Contains(text, "guarantee:") || strings.Contains(string(data), "<h3>guarantee</h3>") {
		t.Error("an arm of one run only is compared")
	}
	if err := WriteCompareReport(path, []*Run{a}, nil, nil); err == nil {
		t.Error("a comparison of one run was written")
	}
}

// TestWelch: the difference of two means and the half-width of its 95%
// Welch interval, against Student's t from tables.
func TestWelch(t *testing.T) {
	cases := []struct {
		name    string
		a, b    results.Stat
		d, half float64 // half NaN: no interval
	}{
		// Equal spreads and sizes: df = 18, t = 2.1009, se = √0.2.
		{"equal", results.Stat{Mean: 1, SD: 1, N: 10}, results.Stat{Mean: 3, SD: 1, N: 10}, 2, 2.1009 * math.Sqrt(0.2)},
		// One spread zero: df = n − 1 of the other = 4, t = 2.7764, se = 2/√5.
		{"one spread", results.Stat{Mean: 5, SD: 0, N: 5}, results.Stat{Mean: 4, SD: 2, N: 5}, -1, 2.7764 * 2 / math.Sqrt(5)},
		{"no spread", results.Stat{Mean: 5, SD: 0, N: 5}, results.Stat{Mean: 5, SD: 0, N: 5}, 0, 0},
		{"one replication", results.Stat{Mean: 5, SD: math.NaN(), N: 1}, results.Stat{Mean: 7, SD: 1, N: 5}, 2, math.NaN()},
	}
	for _, c := range cases {
		d, half, ok := welch(c.a, c.b)
		if d != c.d || ok != !math.IsNaN(c.half) || ok && math.Abs(half-c.half) > 1e-4*math.Max(1, c.half) {
			t.Errorf("%s: welch = %g ± %g (%v), want %g ± %g", c.name, d, half, ok, c.d, c.half)
		}
	}
}
