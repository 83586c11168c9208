package web

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/scenarios"
)

// TestParamsOf: each built-in gets sliders for its shocks' depth (where
// a depth applies) and duration, its interventions' budgets (where a
// budget applies) and three finance parameters, each within the range
// the schema allows and holding the scenario's value.
func TestParamsOf(t *testing.T) {
	cases := []struct {
		builtin string
		keys    []string
	}{
		{"china-2020", []string{"shocks[0].depth", "shocks[0].duration", "shocks[1].depth", "shocks[1].duration", "shocks[2].depth", "shocks[2].duration",
			"shocks[3].depth", "shocks[3].duration", "shocks[4].depth", "shocks[4].duration", "shocks[5].duration",
			"interventions[1].budget", "interventions[2].budget", "interventions[3].budget", "finance.score_threshold", "firms.sme.cash_runway_median", "firms.sme.credit_access"}},
		{"default", []string{"shocks[0].depth", "shocks[0].duration", "finance.score_threshold", "firms.sme.cash_runway_median", "firms.sme.credit_access"}},
		{"policy-mix", []string{"shocks[0].depth", "shocks[0].duration", "shocks[1].duration",
			"interventions[0].budget", "interventions[1].budget", "interventions[2].budget", "interventions[4].budget",
			"finance.score_threshold", "firms.sme.cash_runway_median", "firms.sme.credit_access"}},
	}
	for _, c := range cases {
		cfg, err := scenarios.Open(c.builtin)
		if err != nil {
			t.Fatal(err)
		}
		ps := paramsOf(cfg)
		var keys []string
		for _, p := range ps {
			keys = append(keys, p.Key)
			if p.Value < p.Min || p.Value > p.Max || p.Step <= 0 || p.Doc == "" {
				t.Errorf("%s %s: value %g, range %g to %g step %g, doc %q", c.builtin, p.Key, p.Value, p.Min, p.Max, p.Step, p.Doc)
			}
			// The slider's ends are values the scenario accepts.
			for _, v := range []float64{p.Min, p.Max} {
				cfg, _ := scenarios.Open(c.builtin)
				var value any = v
				if p.suffix != "" {
					value = formatValue(v, p.suffix)
				}
				if err := scenarios.SetKey(cfg, p.Key, value); err != nil {
					t.Errorf("%s %s = %v: %v", c.builtin, p.Key, value, err)
				} else if err := scenarios.Validate(cfg, c.builtin); err != nil {
					t.Errorf("%s %s = %v: %v", c.builtin, p.Key, value, err)
				}
			}
		}
		if !slices.Equal(keys, c.keys) {
			t.Errorf("%s: sliders %q, want %q", c.builtin, keys, c.keys)
		}
	}
}

// TestSafeFileName: an uploaded file is named in messages by its base
// name, printable and short.
func TestSafeFileName(t *testing.T) {
	cases := map[string]string{
		"my.toml":                      "my.toml",
		`C:\Users\me\my.toml`:          "my.toml",
		"../../etc/passwd":             "passwd",
		"":                             "upload.toml",
		"a\x00b\nc.toml":               "abc.toml",
		string(make([]byte, 0)) + "/":  "upload.toml",
		"x" + string(rune(0x7f)) + "y": "xy",
	}
	for in, want := range cases {
		if got := safeFileName(in); got != want {
			t.Errorf("safeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
