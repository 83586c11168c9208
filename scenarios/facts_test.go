package scenarios

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// factsSrc has one fact of each quantity, on various arms.
const factsSrc = `
name = "facts"
steps = 52

[[interventions]]
kind = "policy-loan"
name = "loans"
end = "26w"
budget = 1e7

[[interventions]]
kind = "moratorium"
name = "deferral"
end = "26w"

[[facts]]
name = "runway <= 1 month"
source = "a survey"
quantity = "firm-share"
column = "cash_runway_months"
max = 1
target = 0.14
tolerance = 0.03

[[facts]]
name = "revenue"
quantity = "firm-share"
firms = "all"
column = "revenue_change"
min = -0.5
max = -0.2
arm = "baseline"
target = 0.3
tolerance = 0.05

[[facts]]
name = "retail"
quantity = "series-mean"
metric = "demand_domestic"
from = "2020-01-01"
to = "2020-02-29"
change = true
arm = "loans"
target = -0.2
tolerance = 0.03

[[facts]]
name = "reopened"
quantity = "reopened-share"
date = "2020-03-25"
arm = "deferral+loans"
target = 0.7
tolerance = 0.1

[[facts]]
name = "failures"
quantity = "failure-share"
firms = "core"
date = "2020-05-31"
target = 0
tolerance = 0
`

func TestFactsEncodeRoundTrip(t *testing.T) {
	cfg, err := Parse("facts.toml", []byte(factsSrc), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Facts) != 5 {
		t.Fatalf("%d facts", len(cfg.Facts))
	}
	want := config.DefaultFact()
	want.Name, want.Source, want.Quantity, want.Max, want.Target, want.Tolerance = "runway <= 1 month", "a survey", "firm-share", 1, 0.14, 0.03
	if cfg.Facts[0] != want {
		t.Errorf("facts[0] = %+v, want %+v (defaults kept)", cfg.Facts[0], want)
	}
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("encoded.toml", out, "")
	if err != nil {
		t.Fatalf("Parse(Encode(cfg)): %v\n%s", err, out)
	}
	if !reflect.DeepEqual(again, cfg) {
		t.Errorf("Parse(Encode(cfg)) != cfg\n got: %+v\nwant: %+v", again.Facts, cfg.Facts)
	}
	out2, err := Encode(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, out2) {
		t.Errorf("Encode is not stable")
	}
	// Keys that do not apply to a fact's quantity are left out.
	_, facts, _ := strings.Cut(string(out), "[[facts]]")
	blocks := strings.Split(facts, "[[facts]]")
	for i, absent := range [][]string{
		{"metric", "from", "to", "change", "date"},
		{"metric", "from", "to", "change", "date"},
		{"firms", "column", "min", "max", "date"},
		{"firms", "column", "min", "max", "metric", "from", "to", "change"},
		{"column", "min", "max", "metric", "from", "to", "change"},
	} {
		for _, k := range absent {
			if strings.Contains(blocks[i], "\n"+k+" = ") {
				t.Errorf("facts[%d] (%s) is encoded with %s:\n%s", i, cfg.Facts[i].Quantity, k, blocks[i])
			}
		}
		for _, k := range []string{"name", "source", "quantity", "arm", "target", "tolerance"} {
			if !strings.Contains(blocks[i], "\n"+k+" = ") {
				t.Errorf("facts[%d] is encoded without %s:\n%s", i, k, blocks[i])
			}
		}
	}
	if !strings.Contains(blocks[0], "min = -1e+18\n") {
		t.Errorf("facts[0]'s default min is not written:\n%s", blocks[0])
	}
}

func TestFactsTemplate(t *testing.T) {
	cfg, err := Parse("facts.toml", []byte(factsSrc), "")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := documented(nil, cfg, false)
	got, err := Parse("template.toml", tmpl, "")
	if err != nil {
		t.Fatalf("template does not parse: %v\n%s", err, tmpl)
	}
	if !reflect.DeepEqual(got.Facts, cfg.Facts) {
		t.Errorf("template parses to %+v, want %+v", got.Facts, cfg.Facts)
	}
	if !strings.Contains(string(tmpl), `# metric = ""    # not for a firm-share fact`) {
		t.Errorf("template does not show the keys that do not apply:\n%s", tmpl)
	}
}

func TestFactsInCode(t *testing.T) {
	fact := func(edit func(*config.FactConfig)) *config.Config {
		cfg := config.DefaultConfig()
		cfg.Steps = 52
		f := config.DefaultFact()
		f.Name, f.Quantity, f.Date = "failures", "failure-share", "2020-03-01"
		edit(&f)
		cfg.Facts = []config.FactConfig{f}
		return &cfg
	}
	for _, c := range []struct {
		name string
		edit func(*config.FactConfig)
		want string // "" for valid
	}{
		{"valid; target and tolerance may be 0", func(*config.FactConfig) {}, ""},
		{"series-mean", func(f *config.FactConfig) {
			f.Quantity, f.Date, f.Firms, f.Metric, f.From, f.To = "series-mean", "", "", "output", "2020-01-01", "2020-01-01"
		}, "code: facts[0].firms: does not apply to a series-mean fact (applies to: firm-share, failure-share, exit-rate, closed-size-ratio)"},
		{"series-mean ok", func(f *config.FactConfig) {
			f.Quantity, f.Date, f.Firms, f.Metric, f.From, f.To = "series-mean", "", "sme", "output", "2020-01-01", "2020-01-01"
		}, ""},
		{"series-change ok", func(f *config.FactConfig) {
			f.Quantity, f.Firms, f.Metric = "series-change", "sme", "output"
		}, ""},
		{"series-change without metric", func(f *config.FactConfig) { f.Quantity, f.Firms = "series-change", "sme" },
			"code: facts[0].metric: missing: a series-change fact needs metric, a time-series metric: one of " + strings.Join(outcome.MetricNames(), ", ")},
		{"series-change without date", func(f *config.FactConfig) {
			f.Quantity, f.Firms, f.Metric, f.Date = "series-change", "sme", "output", ""
		},
			"code: facts[0].date: missing: a series-change fact needs date, the date measured, YYYY-MM-DD"},
		{"series-change window", func(f *config.FactConfig) {
			f.Quantity, f.Firms, f.Metric, f.From = "series-change", "sme", "output", "2020-01-01"
		}, "code: facts[0].from: does not apply to a series-change fact (applies to: series-mean, exit-rate)"},
		{"banked_smes without a push", func(f *config.FactConfig) {
			f.Quantity, f.Firms, f.Metric = "series-change", "sme", "banked_smes"
		}, `code: facts[0].metric: "banked_smes" is recorded only in scenarios with a push of SME credit: a credit-supply shock or a credit-push intervention`},
		{"negative tolerance", func(f *config.FactConfig) { f.Tolerance = -1 }, "code: facts[0].tolerance: -1 is out of range: allowed 0 to 1e18"},
		{"no name", func(f *config.FactConfig) { f.Name = "" }, "code: facts[0].name: missing: every fact needs a name, which smesim check-facts prints"},
		{"no quantity", func(f *config.FactConfig) { f.Quantity = "" },
			"code: facts[0].quantity: missing: set one of firm-share, series-mean, series-change, reopened-share, failure-share, exit-rate, closed-size-ratio"},
		{"not applicable", func(f *config.FactConfig) { f.Column = "jobs" },
			"code: facts[0].column: does not apply to a failure-share fact (applies to: firm-share)"},
		{"no date", func(f *config.FactConfig) { f.Date = "" },
			"code: facts[0].date: missing: a failure-share fact needs date, the date measured, YYYY-MM-DD"},
		{"last day of the run", func(f *config.FactConfig) { f.Date = "2020-12-29" }, ""},
		{"day after the run", func(f *config.FactConfig) { f.Date = "2020-12-30" },
			"code: facts[0].date: 2020-12-30 is after the end of the run: the run covers 2020-01-01 to 2020-12-29 (start_date, 52 steps of 1w = 364 days)"},
		{"all without interventions", func(f *config.FactConfig) { f.Arm = "all" },
			"code: facts[0].arm: the scenario has no interventions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(fact(c.edit), "code")
			switch {
			case c.want == "" && err != nil:
				t.Errorf("error %v", err)
			case c.want != "" && (err == nil || err.Error() != c.want):
				t.Errorf("error %v\nwant %s", err, c.want)
			}
		})
	}
}

// TestFactQuantities: factQuantities names keys of config.FactConfig and
// quantities of its enum.
func TestFactQuantities(t *testing.T) {
	keys := keysOf(factType)
	var quantities []string
	for _, f := range fieldsOf(factType) {
		if f.key == factQuantityKey {
			quantities = f.enum
		}
	}
	if len(quantities) == 0 {
		t.Fatalf("config.FactConfig has no enum key %q", factQuantityKey)
	}
	for k, qs := range factQuantities {
		if !has(keys, k) {
			t.Errorf("factQuantities: %q is not a key of [[facts]]", k)
		}
		for _, q := range qs {
			if !has(quantities, q) {
				t.Errorf("factQuantities[%q]: %q is not a quantity", k, q)
			}
		}
	}
}
