package scenarios

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

var update = flag.Bool("update", false, "rewrite testdata/bad/*.golden and builtin/default.toml")

// TestBad parses every scenario in testdata/bad and compares the error with
// the one-line message in the .golden file next to it. The absolute path of
// testdata is written $DIR in goldens.
func TestBad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("only %d bad scenarios", len(files))
	}
	absDir, err := filepath.Abs(filepath.Join("testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		t.Run(name, func(t *testing.T) {
			_, err := Load(file)
			if err == nil {
				t.Fatalf("Load(%s) succeeded", file)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *Error: %v", err, err)
			}
			got := strings.ReplaceAll(err.Error(), absDir, "$DIR")
			if strings.Contains(got, "\n") {
				t.Errorf("error is not one line: %q", got)
			}
			golden := strings.TrimSuffix(file, ".toml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != strings.TrimRight(string(want), "\n") {
				t.Errorf("error\n got: %s\nwant: %s", got, strings.TrimRight(string(want), "\n"))
			}
		})
	}
}

func TestBuiltinsParse(t *testing.T) {
	bs := Builtins()
	var names []string
	for _, b := range bs {
		names = append(names, b.Name)
		if b.Summary == "" || strings.Contains(b.Summary, "—") {
			t.Errorf("%s: bad summary %q", b.Name, b.Summary)
		}
		cfg, err := Open(b.Name)
		if err != nil {
			t.Errorf("Open(%q): %v", b.Name, err)
			continue
		}
		if cfg.Name != b.Name {
			t.Errorf("built-in %q has name = %q", b.Name, cfg.Name)
		}
		if err := Validate(cfg, b.Name); err != nil {
			t.Errorf("Validate(%q): %v", b.Name, err)
		}
	}
	want := []string{"bri-expansion", "china-2020", "china-2020-no-policy", "core-failure", "core-guarantee", "credit-crunch", "default", "export-barrier", "lockdown", "policy-mix", "small", "supply-chain-finance", "supply-shortage"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("Builtins() = %v, want %v", names, want)
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("Builtins() not sorted: %v", names)
	}
}

// TestDefaultBuiltin checks that builtin/default.toml is config.DefaultConfig.
// With -update it rewrites the file's body from config.DefaultConfig, keeping
// its header comment.
func TestDefaultBuiltin(t *testing.T) {
	want := config.DefaultConfig()
	if *update {
		src, err := Source("default")
		if err != nil {
			t.Fatal(err)
		}
		out := documented(headerLines(src), &want, false)
		if err := os.WriteFile(filepath.Join("builtin", "default.toml"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("rewrote builtin/default.toml; rebuild and test again")
		return
	}
	got, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	got.Dir = want.Dir
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("builtin/default.toml differs from config.DefaultConfig() at %v; "+
			"if config.DefaultConfig changed, run: go test ./scenarios -run TestDefaultBuiltin -update",
			diffPaths(reflect.ValueOf(*got), reflect.ValueOf(want), ""))
	}
	if err := Validate(&want, "DefaultConfig"); err != nil {
		t.Errorf("config.DefaultConfig() is not valid: %v", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, b := range Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			cfg, err := Open(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Encode(cfg)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Parse("encoded.toml", out, cfg.Dir)
			if err != nil {
				t.Fatalf("Parse(Encode(cfg)): %v\n%s", err, out)
			}
			if !reflect.DeepEqual(again, cfg) {
				t.Errorf("Parse(Encode(cfg)) != cfg\n got: %+v\nwant: %+v", again, cfg)
			}
			out2, err := Encode(again)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Errorf("Encode is not stable:\n%s\n---\n%s", out, out2)
			}
		})
	}
}

func TestTemplate(t *testing.T) {
	for _, b := range Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			tmpl, err := Template(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse("template.toml", tmpl, "")
			if err != nil {
				t.Fatalf("template does not parse: %v\n%s", err, tmpl)
			}
			want, err := Open(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("template parses to\n%+v\nwant\n%+v", got, want)
			}
			src, _ := Source(b.Name)
			if !bytes.HasPrefix(tmpl, []byte(strings.Join(headerLines(src), "\n"))) {
				t.Errorf("template does not start with the built-in's header")
			}
			// Every key of the schema appears, set or commented out, and is
			// preceded by a comment.
			lines := strings.Split(string(tmpl), "\n")
			for _, key := range schemaKeys(configType, "") {
				last := key[strings.LastIndex(key, ".")+1:]
				found := false
				for i, l := range lines {
					l = strings.TrimLeft(l, "# ")
					if strings.HasPrefix(l, last+" = ") || l == "["+key+"]" || l == "[["+key+"]]" {
						found = true
						if i == 0 || !strings.HasPrefix(lines[i-1], "#") && !strings.HasPrefix(strings.TrimLeft(lines[i], " "), "#") {
							t.Errorf("key %s (line %d) has no comment before it", key, i+1)
						}
						break
					}
				}
				if !found {
					t.Errorf("template has no key %s", key)
				}
			}
		})
	}
	if _, err := Template("nope"); err == nil {
		t.Error("Template(\"nope\") succeeded")
	}
}

// schemaKeys lists every key path of the schema, without indices.
func schemaKeys(t reflect.Type, path string) []string {
	var out []string
	for _, f := range fieldsOf(t) {
		p := join(path, f.key)
		out = append(out, p)
		switch {
		case f.typ.Kind() == reflect.Struct && f.typ != durationType && !isInlineStruct(f.typ):
			out = append(out, schemaKeys(f.typ, p)...)
		case isTableSlice(f.typ):
			out = append(out, schemaKeys(f.typ.Elem(), p)...)
		}
	}
	return out
}

func TestArraysOfTablesStartFromDefaults(t *testing.T) {
	src := `
[[banks]]
name = "a"
capital_ratio = 0.2

[[banks]]
name = "b"

[[markets]]
name = "eu"

[[shocks]]
kind = "credit"
start = "4w"
duration = "8w"
depth = 0.2
`
	cfg, err := Parse("t.toml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	a, b := config.DefaultBank(), config.DefaultBank()
	a.Name, a.CapitalRatio = "a", 0.2
	b.Name = "b"
	if !reflect.DeepEqual(cfg.Banks, []config.BankConfig{a, b}) {
		t.Errorf("banks = %+v", cfg.Banks)
	}
	if !reflect.DeepEqual(cfg.Markets, []config.MarketConfig{{Name: "eu", Weight: 1}}) {
		t.Errorf("markets = %+v", cfg.Markets)
	}
	s := config.DefaultShock()
	s.Kind, s.Start, s.Duration, s.Depth = "credit", units.MustDuration("4w"), units.MustDuration("8w"), 0.2
	if !reflect.DeepEqual(cfg.Shocks, []config.ShockConfig{s}) {
		t.Errorf("shocks = %+v", cfg.Shocks)
	}
	// Tables keep the defaults of keys not set.
	def := config.DefaultConfig()
	if cfg.Network != def.Network || !reflect.DeepEqual(cfg.Firms, def.Firms) {
		t.Errorf("plain tables lost their defaults")
	}

	// Empty arrays mean none; inline arrays of tables work too.
	cfg, err = Parse("t.toml", []byte("shocks = []\nmarkets = [{name = \"us\", weight = 2}, {name = \"eu\"}]\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Shocks != nil {
		t.Errorf("shocks = %+v, want none", cfg.Shocks)
	}
	if !reflect.DeepEqual(cfg.Markets, []config.MarketConfig{{Name: "us", Weight: 2}, {Name: "eu", Weight: 1}}) {
		t.Errorf("markets = %+v", cfg.Markets)
	}
}

func TestFileNetwork(t *testing.T) {
	cfg, err := Load(filepath.Join("testdata", "net", "scenario.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir != filepath.Join("testdata", "net") {
		t.Errorf("Dir = %q", cfg.Dir)
	}
	// The same file parsed with another dir does not find its network.
	data, _ := os.ReadFile(filepath.Join("testdata", "net", "scenario.toml"))
	if _, err := Parse("scenario.toml", data, t.TempDir()); err == nil || !strings.Contains(err.Error(), "network.edges_file") {
		t.Errorf("Parse with another dir: %v", err)
	}
}

func TestErrorFormat(t *testing.T) {
	for _, c := range []struct {
		e    Error
		want string
	}{
		{Error{File: "a.toml", Line: 3, Key: "steps", Msg: "bad"}, "a.toml:3: steps: bad"},
		{Error{File: "a.toml", Key: "steps", Msg: "bad"}, "a.toml: steps: bad"},
		{Error{File: "a.toml", Line: 3, Msg: "bad"}, "a.toml:3: bad"},
		{Error{Key: "steps", Msg: "bad"}, "steps: bad"},
		{Error{File: "a.toml", Line: 1, Msg: "two\nlines"}, "a.toml:1: two lines"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.e, got, c.want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	for _, c := range []struct{ arg, want string }{
		{"smal", `smal: no such file, and no built-in scenario of that name; did you mean "small"? (built-ins: bri-expansion, china-2020, china-2020-no-policy, core-failure, core-guarantee, credit-crunch, default, export-barrier, lockdown, policy-mix, small, supply-chain-finance, supply-shortage)`},
		{"nothere/x.toml", `nothere/x.toml: no such file, and no built-in scenario of that name (built-ins: bri-expansion, china-2020, china-2020-no-policy, core-failure, core-guarantee, credit-crunch, default, export-barrier, lockdown, policy-mix, small, supply-chain-finance, supply-shortage)`},
	} {
		_, err := Open(c.arg)
		var se *Error
		if !errors.As(err, &se) || err.Error() != c.want {
			t.Errorf("Open(%q) = %v, want %s", c.arg, err, c.want)
		}
	}
	if _, err := Source("../scenarios"); err == nil {
		t.Error("Source(\"../scenarios\") succeeded")
	}
	if _, err := Load(filepath.Join("testdata", "bad", "syntax_error.toml")); err == nil {
		t.Error("Load of a bad file succeeded")
	}
}

// TestValidateInCode checks configurations built in code, where there are
// no lines and a [[shocks]] key counts as set when it is not the default.
func TestValidateInCode(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*config.Config)
		want string // "" for valid
	}{
		{"default", func(*config.Config) {}, ""},
		{"kinds", func(c *config.Config) { c.Shocks[0].SpreadIncrease = 0.01 },
			"code: shocks[0].spread_increase: does not apply to a demand shock (applies to: credit)"},
		{"imports kinds", func(c *config.Config) {
			c.Shocks[0].Kind = "imports"
			c.Shocks[0].Market = "all"
			c.Shocks[0].Regions = []string{"x"}
		},
			"code: shocks[0].regions: does not apply to an imports shock (applies to: lockdown, capacity)"},
		{"nan", func(c *config.Config) { c.Network.SharedSupplierShare = nan() },
			"code: network.shared_supplier_share: nan is out of range: allowed 0 to 1"},
		{"negative duration", func(c *config.Config) { c.Firms.Grace = units.Duration{Value: -1, Unit: "w"} },
			"code: firms.grace: duration -1w must be a finite number ≥ 0 with a unit"},
		{"zero grace", func(c *config.Config) { c.Firms.Grace = units.Duration{} },
			"code: firms.grace: 0d is out of range: allowed > 0"},
		{"bad unit", func(c *config.Config) { c.Step = units.Duration{Value: 1, Unit: "h"} },
			`code: step: duration 1h has an unknown unit: write a number followed by d (days), w (weeks), mo (months) or y (years), e.g. "90d", "2w", "3mo", "1y"`},
		{"no banks", func(c *config.Config) { c.Banks = nil },
			"code: banks: finance is enabled but no bank is declared: add [[banks]] or set finance.enabled = false"},
		{"no banks without finance", func(c *config.Config) { c.Banks = nil; c.Finance.Enabled = false }, ""},
		{"reserved market", func(c *config.Config) { c.Markets = append(c.Markets, config.MarketConfig{Name: "all", Weight: 1}) },
			`code: markets[1].name: "all" is reserved for shocks (domestic, all, export): choose another name`},
		{"duplicate market", func(c *config.Config) {
			c.Markets = []config.MarketConfig{{Name: "eu", Weight: 1}, {Name: "eu", Weight: 1}}
		},
			`code: markets[1].name: "eu" is already the name of markets[0]`},
		{"no markets but exports", func(c *config.Config) { c.Markets = nil },
			"code: production.export_share.raw_material: 0.1 of sales are exported but no export market is declared: add [[markets]] or set export_share to 0"},
		{"shares", func(c *config.Config) { c.Production.ImportShare.Distributor = 0.25 },
			"code: production.input_share.distributor: 0.75 + import_share 0.25 = 1: inputs per unit of output must sum to less than 1"},
		{"sectors", func(c *config.Config) { c.Network.SupplierSectors = 61 },
			"code: network.supplier_sectors: 61 sectors need at least as many suppliers per chain (suppliers_per_chain = 60)"},
		{"payment-terms without stretch", func(c *config.Config) {
			c.Shocks[0].Kind = "payment-terms"
			c.Shocks[0].Market = "all"
			c.Shocks[0].Depth = 0
		},
			`code: shocks[0].term_stretch: missing: a payment-terms shock needs term_stretch > 0, e.g. "30d"`},
		{"credit-supply contraction", func(c *config.Config) {
			c.Shocks[0].Kind, c.Shocks[0].Market, c.Shocks[0].Depth = "credit-supply", "all", 0.3
		},
			"code: shocks[0].depth: 0.3 is a contraction: a credit-supply shock is a push, depth -1 to 0 (a credit shock contracts credit)"},
		{"credit-supply push", func(c *config.Config) {
			c.Shocks[0].Kind, c.Shocks[0].Market, c.Shocks[0].Depth = "credit-supply", "all", -0.3
			c.Shocks[0].ScoreEasing, c.Shocks[0].FirstLoanTakeUp = 0.1, 0.02
		}, ""},
		{"credit-supply bank kind absent", func(c *config.Config) {
			c.Shocks[0].Kind, c.Shocks[0].Market, c.Shocks[0].Depth = "credit-supply", "all", -0.3
			c.Shocks[0].BankKinds = []string{"rural"}
		},
			`code: shocks[0].bank_kinds: no bank of kind "rural" in [[banks]]: allowed the kinds of the scenario's banks, or empty for every bank`},
		{"score easing on a credit shock", func(c *config.Config) {
			c.Shocks[0].Kind, c.Shocks[0].Market, c.Shocks[0].ScoreEasing = "credit", "all", 0.1
		},
			"code: shocks[0].score_easing: does not apply to a credit shock (applies to: credit-supply)"},
		{"smoothing unused", func(c *config.Config) {
			c.Production.DemandSmoothing = units.Duration{}
			c.Production.PlannedOutput = "last-production"
		}, ""},
		{"smoothing used", func(c *config.Config) {
			c.Production.DemandSmoothing = units.Duration{}
			c.Production.PlannedOutput = "smoothed-demand"
		}, "code: production.demand_smoothing: 0d is out of range: allowed > 0 when planned_output is smoothed-demand"},
		{"long run", func(c *config.Config) { c.Steps = 6000 },
			"code: steps: 6000 steps of 1w last 115.1 years: allowed at most 100 years"},
		{"missing kind", func(c *config.Config) { c.Shocks = append(c.Shocks, config.DefaultShock()) },
			"code: shocks[1].kind: missing: set one of demand, credit, credit-supply, imports, payment-terms, lockdown, capacity"},
		{"huge seed", func(c *config.Config) { c.Seed = 1 << 63 },
			"code: seed: 9223372036854775808 is too large: TOML integers go up to 9223372036854775807"},
		{"intervention zero budget", func(c *config.Config) { c.Interventions = []config.InterventionConfig{policyLoan("", "26w")} }, ""},
		{"intervention no end", func(c *config.Config) { c.Interventions = []config.InterventionConfig{policyLoan("", "")} },
			`code: interventions[0].end: missing: set end, the time from the first shock's start to the end of the intervention, e.g. "26w"`},
		{"intervention other kind", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Coverage = 0.9
			c.Interventions = []config.InterventionConfig{iv}
		}, "code: interventions[0].coverage: does not apply to a policy-loan intervention (applies to: loan-guarantee)"},
		{"intervention other kind at default", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Kind = config.KindMoratorium
			c.Interventions = []config.InterventionConfig{iv}
		}, ""},
		{"scf other mode", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Kind, iv.Mode, iv.Recourse = config.KindSupplyChainFinance, "guarantee", true
			c.Interventions = []config.InterventionConfig{iv}
		}, `code: interventions[0].recourse: applies only to mode = "factoring" (this supply-chain-finance intervention has mode = "guarantee")`},
		{"credit-push", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Kind, iv.SupplyRise, iv.FirstLoanTakeUp, iv.FundedShare, iv.ForgoneRate = config.KindCreditPush, 0.5, 0.02, 0.4, 0.03
			c.Interventions = []config.InterventionConfig{iv}
		}, ""},
		{"credit-push bank kind absent", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Kind, iv.BankKinds = config.KindCreditPush, []string{"rural"}
			c.Interventions = []config.InterventionConfig{iv}
		}, `code: interventions[0].bank_kinds: no bank of kind "rural" in [[banks]]: allowed the kinds of the scenario's banks, or empty for every bank`},
		{"credit-push targeted", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Kind, iv.Sectors = config.KindCreditPush, []string{"x"}
			c.Interventions = []config.InterventionConfig{iv}
		}, "code: interventions[0].sectors: does not apply to a credit-push intervention (applies to: supply-chain-finance, policy-loan, loan-guarantee, interest-subsidy, moratorium, tax-relief)"},
		{"funded share above 1", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Kind, iv.FundedShare = config.KindCreditPush, 1.5
			c.Interventions = []config.InterventionConfig{iv}
		}, "code: interventions[0].funded_share: 1.5 is out of range: allowed 0 to 1"},
		{"intervention term", func(c *config.Config) {
			iv := policyLoan("", "26w")
			iv.Term = units.Duration{}
			c.Interventions = []config.InterventionConfig{iv}
		}, "code: interventions[0].term: 0d is out of range: allowed > 0"},
		{"intervention names", func(c *config.Config) {
			c.Interventions = []config.InterventionConfig{policyLoan("", "26w"), policyLoan("", "26w")}
		}, "code: interventions[1].name: missing: interventions[0] is also a policy-loan without a name: give each a name, which arms and outputs use"},
		{"intervention name is a kind", func(c *config.Config) {
			c.Interventions = []config.InterventionConfig{policyLoan("", "26w"), policyLoan("policy-loan", "26w")}
		}, `code: interventions[1].name: "policy-loan" is already the name of interventions[0], a policy-loan without a name`},
		{"intervention named as a kind", func(c *config.Config) {
			c.Interventions = []config.InterventionConfig{policyLoan("policy-loan", "26w"), policyLoan("", "26w")}
		}, `code: interventions[1].name: missing: interventions[0] is named "policy-loan", the name this one takes from its kind: give this one a name`},
		{"intervention name all", func(c *config.Config) { c.Interventions = []config.InterventionConfig{policyLoan("all", "26w")} },
			`code: interventions[0].name: "all" is reserved for arms (baseline, all): choose another name`},
		{"intervention from shock", func(c *config.Config) {
			c.Shocks = nil
			c.Interventions = []config.InterventionConfig{policyLoan("", "26w")}
		}, `code: interventions[0].from: "shock" counts start and end from the first shock's start, but the scenario has no shocks: set from = "run" to count from step 0`},
		{"intervention from the earliest shock", func(c *config.Config) {
			late := c.Shocks[0]
			late.Start = units.MustDuration("60w")
			c.Shocks = []config.ShockConfig{late, c.Shocks[0]}
			iv := policyLoan("", "2y")
			iv.Start = units.MustDuration("100w")
			c.Interventions = []config.InterventionConfig{iv}
		}, "code: interventions[0].start: the intervention starts on day 756 (the first shock's start, day 56 of shocks[1], + start 100w), after the end of the run on day 728 (104 steps of 1w)"},
		{"arms", func(c *config.Config) {
			c.Interventions = []config.InterventionConfig{policyLoan("a", "26w"), policyLoan("b", "26w")}
			c.Arms = []string{"a", "b", "a+b"}
		}, `code: arms[2]: combines "a" and "b", both policy-loan interventions: an arm may apply one intervention of each kind`},
		{"default arms of same kinds", func(c *config.Config) {
			c.Interventions = []config.InterventionConfig{policyLoan("a", "26w"), policyLoan("b", "26w")}
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config.DefaultConfig()
			c.edit(&cfg)
			err := Validate(&cfg, "code")
			got := ""
			if err != nil {
				got = err.Error()
				var se *Error
				if !errors.As(err, &se) {
					t.Errorf("%T is not a *Error", err)
				}
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	if err := Validate(nil, "x"); err == nil {
		t.Error("Validate(nil) succeeded")
	}
}

// policyLoan returns a policy-loan intervention named name (the kind when
// empty) that ends at end (zero when empty).
func policyLoan(name, end string) config.InterventionConfig {
	iv := config.DefaultIntervention()
	iv.Kind, iv.Name = config.KindPolicyLoan, name
	if end != "" {
		iv.End = units.MustDuration(end)
	}
	return iv
}

func nan() float64 { var z float64; return z / z }

func TestClosest(t *testing.T) {
	keys := []string{"kind", "name", "start", "duration", "recovery", "shape", "depth", "market"}
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"depht", "depth", true},
		{"Depth", "depth", true},
		{"durration", "duration", true},
		{"strat", "start", true},
		{"colour", "", false},
		{"x", "", false},
	} {
		got, ok := closest(c.in, keys)
		if got != c.want || ok != c.ok {
			t.Errorf("closest(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestEncodeRoundTripTricky round-trips a scenario with strings that need
// escaping, lists, numbers of every size and a network read from files.
func TestEncodeRoundTripTricky(t *testing.T) {
	src := `
name = "tricky \"one\""
description = "tab\there, newline\nthere, unicode — ✓, backslash \\"
seed = 9223372036854775807
step = "3d"
steps = 1000
currency = "€"

[network]
generator = "file"
edges_file = "edges.csv"
firms_file = "firms.csv"
final_demand_mean = 1e15
final_demand_dispersion = 1e-9

[production]
input_share = { supplier = 0.123456789012345 }
planned_output = "smoothed-demand"
demand_noise = 0.05

[finance]
enabled = false

[[markets]]
name = "a b"
weight = 0

[[markets]]
name = "c"
weight = 1e9

[[shocks]]
kind = "lockdown"
start = "0d"
duration = "1.5w"
recovery = "0.25y"
shape = "exponential"
depth = 1
sectors = ["s1", "s \"2\""]
regions = ["r1"]
roles = ["supplier", "other"]

[[shocks]]
kind = "payment-terms"
term_stretch = "2mo"
duration = "1d"
`
	// tricky-net's firms are in the sectors and regions the shocks name.
	cfg, err := Parse("tricky.toml", []byte(src), filepath.Join("testdata", "tricky-net"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("encoded.toml", out, cfg.Dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(again, cfg) {
		t.Errorf("Parse(Encode(cfg)) != cfg\n got: %+v\nwant: %+v\n%s", again, cfg, out)
	}
	if !strings.Contains(string(out), `duration = "1.5w"`) || !strings.Contains(string(out), "final_demand_mean = 1000000000000000.0") {
		t.Errorf("unexpected encoding:\n%s", out)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "nope.toml"))
	want := filepath.Join("testdata", "nope.toml") + ": cannot read the scenario: no such file or directory"
	if err == nil || err.Error() != want {
		t.Errorf("Load = %v, want %s", err, want)
	}
}

// diffPaths lists the key paths where a and b differ.
func diffPaths(a, b reflect.Value, path string) []string {
	switch {
	case a.Type() == durationType || a.Kind() != reflect.Struct && a.Kind() != reflect.Slice:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return []string{fmt.Sprintf("%s (%v, want %v)", path, a.Interface(), b.Interface())}
		}
	case a.Kind() == reflect.Slice:
		if a.Len() != b.Len() {
			return []string{fmt.Sprintf("%s (%d elements, want %d)", path, a.Len(), b.Len())}
		}
		var out []string
		for i := 0; i < a.Len(); i++ {
			out = append(out, diffPaths(a.Index(i), b.Index(i), index(path, i))...)
		}
		return out
	default:
		var out []string
		for i := 0; i < a.NumField(); i++ {
			name := a.Type().Field(i).Tag.Get("toml")
			if name == "" {
				name = a.Type().Field(i).Name
			}
			out = append(out, diffPaths(a.Field(i), b.Field(i), join(path, name))...)
		}
		return out
	}
	return nil
}

func TestDurationTags(t *testing.T) {
	type s struct {
		D units.Duration `toml:"d" min:"1d" maxx:"1y"`
	}
	f := fieldsOf(reflect.TypeOf(s{}))[0]
	v := &validator{cfg: &config.Config{}, src: &source{file: "x"}}
	if err := v.duration("d", units.MustDuration("1d"), f); err != nil {
		t.Error(err)
	}
	if err := v.duration("d", units.MustDuration("1y"), f); err == nil || err.Error() != "x: d: 1y is out of range: allowed ≥ 1d and < 1y" {
		t.Errorf("got %v", err)
	}
	if err := v.duration("d", units.MustDuration("0.5d"), f); err == nil {
		t.Error("0.5d accepted")
	}
	if got := docLine("d", f); got != "(allowed: a duration, ≥ 1d and < 1y)" {
		t.Errorf("docLine = %q", got)
	}
}

func TestBOM(t *testing.T) {
	_, err := Parse("bom.toml", []byte("\uFEFF# c\nsteps = 0\n"), "")
	if err == nil || err.Error() != "bom.toml:2: steps: 0 is out of range: allowed 1 to 100000" {
		t.Errorf("got %v", err)
	}
}

// everyIntervention is a scenario with one intervention of each kind, with
// keys set away from their defaults, and arms.
const everyIntervention = `
name = "every-intervention"
arms = ["scf", "loans+scf+tax-relief", "baseline"]

[[interventions]]
kind = "supply-chain-finance"
name = "scf"
budget = 5e8
end = "1y"
cores = ["f0", "f262"]
core_share = 0.5
tiers = 2
advance_rate = 0.75
discount_spread = 0.02
recourse = true

[[interventions]]
kind = "supply-chain-finance"
name = "scf-guarantee"
mode = "guarantee"
from = "run"
start = "10w"
end = "80w"
budget = 0
guarantee_limit = 0.5

[[interventions]]
kind = "policy-loan"
name = "loans"
budget = 1.5e9
start = "2w"
end = "6mo"
rate = 0
term = "3y"
allocation = "most-in-need"
channel = "direct"
max_per_firm = 0.1
sme_only = false
sectors = ["parts-1"]
roles = ["supplier", "distributor"]
regions = ["region-0", "region-1"]
revenue_drop = 0.3
viable_before = true

[[interventions]]
kind = "loan-guarantee"
budget = 2e9
end = "1y"
coverage = 0.9
fee = 0

[[interventions]]
kind = "interest-subsidy"
budget = 1e7
end = "26w"
share = 1
loans = "new"

[[interventions]]
kind = "moratorium"
end = "13w"
deferral = "principal"

[[interventions]]
kind = "tax-relief"
budget = 3e7
end = "1y"
tax_cut = 1
contribution_cut = 0.25
contribution_share = 0.3

[[interventions]]
kind = "payment-term-cap"
from = "run"
end = "2y"
max_term = "30d"

[[interventions]]
kind = "credit-push"
end = "47w"
supply_rise = 0.5
score_easing = 0.05
first_loan_take_up = 0.02
funded_share = 0.4
forgone_rate = 0.0295
`

// TestInterventions parses, validates and round-trips a scenario with an
// intervention of every kind, through Encode and through the documented
// template form.
func TestInterventions(t *testing.T) {
	cfg, err := Parse("every.toml", []byte(everyIntervention), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(cfg, "every.toml"); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, iv := range cfg.Interventions {
		if !has(kinds, iv.Kind) {
			kinds = append(kinds, iv.Kind)
		}
	}
	if !reflect.DeepEqual(kinds, config.InterventionKinds()) {
		t.Errorf("kinds = %v, want every kind %v", kinds, config.InterventionKinds())
	}

	// Elements start from config.DefaultIntervention.
	want := config.DefaultIntervention()
	want.Kind, want.End, want.Deferral = config.KindMoratorium, units.MustDuration("13w"), "principal"
	if got := cfg.Interventions[5]; !reflect.DeepEqual(got, want) {
		t.Errorf("moratorium = %+v\nwant %+v", got, want)
	}
	if got := cfg.Interventions[0]; got.Mode != "factoring" || got.GuaranteeLimit != config.DefaultIntervention().GuaranteeLimit || got.Tiers != 2 {
		t.Errorf("scf = %+v", got)
	}
	if !reflect.DeepEqual(cfg.Arms, []string{"scf", "loans+scf+tax-relief", "baseline"}) {
		t.Errorf("arms = %v", cfg.Arms)
	}
	if cfg.InterventionName(3) != config.KindLoanGuarantee || cfg.InterventionName(2) != "loans" {
		t.Errorf("names %q, %q", cfg.InterventionName(2), cfg.InterventionName(3))
	}

	for _, form := range []struct {
		name   string
		encode func(*config.Config) []byte
	}{
		{"Encode", func(c *config.Config) []byte { out, _ := Encode(c); return out }},
		{"documented", func(c *config.Config) []byte { return documented([]string{"# every"}, c, true) }},
	} {
		t.Run(form.name, func(t *testing.T) {
			out := form.encode(cfg)
			again, err := Parse("encoded.toml", out, "")
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !reflect.DeepEqual(again, cfg) {
				t.Errorf("Parse(%s(cfg)) differs at %v\n%s", form.name, diffPaths(reflect.ValueOf(*again), reflect.ValueOf(*cfg), ""), out)
			}
			if out2 := form.encode(again); !bytes.Equal(out, out2) {
				t.Errorf("%s is not stable", form.name)
			}
			text := string(out)
			// Keys of other kinds and modes are left out (commented out
			// in the documented form).
			for _, c := range []struct {
				snippet string
				written bool
			}{
				{"\nadvance_rate = 0.75\n", true},
				{"\nguarantee_limit = 0.5\n", true},
				{"\nguarantee_limit = 0.25\n", false},
				{"\nadvance_rate = 0.9\n", false},
				{"\ncoverage = 0.9\n", true},
				{"\ncoverage = 0.8\n", false},
				{"\nbudget = 0.0\n", true}, // the guarantee-mode scf sets budget = 0
				{"\nmax_term = \"60d\"\n", false},
				{`arms = ["scf", "loans+scf+tax-relief", "baseline"]`, true},
			} {
				if strings.Contains(text, c.snippet) != c.written {
					t.Errorf("%s: %q written = %v, want %v", form.name, strings.TrimSpace(c.snippet), !c.written, c.written)
				}
			}
			if form.name == "documented" {
				for _, s := range []string{
					"# advance_rate = 0.9    # not with mode = \"guarantee\"\n",
					"# coverage = 0.8    # not for a moratorium intervention\n",
					"applies to: supply-chain-finance with mode = \"guarantee\")\n",
				} {
					if !strings.Contains(text, s) {
						t.Errorf("documented form lacks %q", s)
					}
				}
			}
		})
	}
}

// TestInterventionsTemplate checks how a scenario without interventions
// documents them and arms.
func TestInterventionsTemplate(t *testing.T) {
	tmpl, err := Template("")
	if err != nil {
		t.Fatal(err)
	}
	text := string(tmpl)
	for _, s := range []string{
		"\narms = []\n",
		"\n# Interventions: ",
		"\n# None here. To add some, replace the line below with [[interventions]] tables with these keys:\n",
		"\n#   kind = \"\"    # what the intervention does (allowed: supply-chain-finance, policy-loan, loan-guarantee, interest-subsidy, moratorium, tax-relief, payment-term-cap, credit-push)\n",
		"\n#   end = \"0d\"    # time from 'from' to the first step it is no longer active (after start) (allowed: a duration, > start; required)\n",
		"\ninterventions = []\n",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("template lacks %q", s)
		}
	}
}

// TestInterventionsAllowed checks settings that are allowed.
func TestInterventionsAllowed(t *testing.T) {
	for _, c := range []struct{ name, src string }{
		{"budget 0", "[[interventions]]\nkind = \"policy-loan\"\nbudget = 0\nend = \"1w\"\n"},
		{"mode keys of its mode", "[[interventions]]\nkind = \"supply-chain-finance\"\nmode = \"guarantee\"\nbudget = 1\nend = \"1w\"\nguarantee_limit = 1\n"},
		{"no budget where none is spent", "[[interventions]]\nkind = \"payment-term-cap\"\nend = \"1w\"\n[[interventions]]\nkind = \"moratorium\"\nend = \"1w\"\n"},
		{"from run without shocks", "shocks = []\n[[interventions]]\nkind = \"moratorium\"\nfrom = \"run\"\nend = \"1w\"\n"},
		{"same kinds in separate arms", "arms = [\"a\", \"b\"]\n[[interventions]]\nkind = \"moratorium\"\nname = \"a\"\nend = \"1w\"\n[[interventions]]\nkind = \"moratorium\"\nname = \"b\"\nend = \"2w\"\n"},
		{"named after another kind", "[[interventions]]\nkind = \"moratorium\"\nname = \"tax-relief\"\nend = \"1w\"\n[[interventions]]\nkind = \"tax-relief\"\nname = \"tax\"\nbudget = 1\nend = \"1w\"\n"},
		{"ends after the run", "steps = 10\n[[shocks]]\nkind = \"demand\"\nduration = \"1w\"\n[[interventions]]\nkind = \"moratorium\"\nstart = \"9w\"\nend = \"5y\"\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Parse("ok.toml", []byte(c.src), ""); err != nil {
				t.Error(err)
			}
		})
	}
}
