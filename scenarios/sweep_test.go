package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// sweepBase is a scenario with shocks and interventions to select from.
func sweepBase() *config.Config {
	cfg := config.DefaultConfig()
	a, b, c := cfg.Shocks[0], cfg.Shocks[0], config.DefaultShock()
	a.Name, b.Name = "a", "b"
	c.Kind, c.Name, c.Duration, c.Depth = "credit", "c", units.MustDuration("4w"), 0.2
	named := cfg.Shocks[0]
	named.Name, named.Depth = "credit", 0.1 // a demand shock named like a kind
	cfg.Shocks = []config.ShockConfig{a, b, c, named}
	scf := config.DefaultIntervention()
	scf.Kind, scf.Name, scf.End, scf.Budget = config.KindSupplyChainFinance, "scf", units.MustDuration("1y"), 1e9
	loan := config.DefaultIntervention()
	loan.Kind, loan.End, loan.Budget = config.KindPolicyLoan, units.MustDuration("1y"), 1e9
	cfg.Interventions = []config.InterventionConfig{scf, loan}
	return &cfg
}

func TestSetKey(t *testing.T) {
	for _, c := range []struct {
		key   string
		value any
		check func(*config.Config) bool
	}{
		{"steps", 52.0, func(c *config.Config) bool { return c.Steps == 52 }},
		{"steps", 26, func(c *config.Config) bool { return c.Steps == 26 }},
		{"seed", 7.0, func(c *config.Config) bool { return c.Seed == 7 }},
		{"step", "2w", func(c *config.Config) bool { return c.Step == units.MustDuration("2w") }},
		{"network.generator", "barabasi-albert", func(c *config.Config) bool { return c.Network.Generator == "barabasi-albert" }},
		{"production.input_share.supplier", 0.4, func(c *config.Config) bool { return c.Production.InputShare.Supplier == 0.4 }},
		{"firms.grace", "6w", func(c *config.Config) bool { return c.Firms.Grace == units.MustDuration("6w") }},
		{"firms.sme.payment_term", "30d", func(c *config.Config) bool { return c.Firms.SME.PaymentTerm == units.MustDuration("30d") }},
		// By name: only that element.
		{"shocks.b.depth", 0.9, func(c *config.Config) bool {
			return c.Shocks[0].Depth == 0.4 && c.Shocks[1].Depth == 0.9 && c.Shocks[3].Depth == 0.1
		}},
		// By kind, when one element has it.
		{"shocks.credit.duration", "6w", func(c *config.Config) bool {
			return c.Shocks[3].Duration == units.MustDuration("6w") && c.Shocks[2].Duration == units.MustDuration("4w")
		}},
		// By index written as in messages: by index alone.
		{"shocks[1].depth", 0.8, func(c *config.Config) bool { return c.Shocks[1].Depth == 0.8 && c.Shocks[0].Depth == 0.4 }},
		{"shocks[2].depth", 0.9, func(c *config.Config) bool { return c.Shocks[2].Depth == 0.9 && c.Shocks[3].Depth == 0.1 }},
		{"banks[0].capital_ratio", 0.11, func(c *config.Config) bool { return c.Banks[0].CapitalRatio == 0.11 }},
		// A name wins over a kind.
		{"shocks.credit.depth", 0.3, func(c *config.Config) bool { return c.Shocks[2].Depth == 0.2 && c.Shocks[3].Depth == 0.3 }},
		// By index.
		{"shocks.2.depth", 0.6, func(c *config.Config) bool { return c.Shocks[2].Depth == 0.6 && c.Shocks[0].Depth == 0.4 }},
		{"shocks.c.duration", "0d", func(c *config.Config) bool { return c.Shocks[2].Duration == units.Duration{} }},
		{"shocks.a.market", "world", func(c *config.Config) bool { return c.Shocks[0].Market == "world" && c.Shocks[1].Market == "domestic" }},
		// An intervention without a name goes by its kind.
		{"interventions.policy-loan.budget", 5e8, func(c *config.Config) bool {
			return c.Interventions[1].Budget == 5e8 && c.Interventions[0].Budget == 1e9
		}},
		{"interventions.scf.advance_rate", 0.5, func(c *config.Config) bool { return c.Interventions[0].AdvanceRate == 0.5 }},
		{"interventions.supply-chain-finance.tiers", 2.0, func(c *config.Config) bool { return c.Interventions[0].Tiers == 2 }},
		{"banks.0.capital_ratio", 0.12, func(c *config.Config) bool { return c.Banks[0].CapitalRatio == 0.12 }},
		{"banks.bank.base_rate", 0.05, func(c *config.Config) bool { return c.Banks[0].BaseRate == 0.05 }},
		{"markets.world.weight", 2.0, func(c *config.Config) bool { return c.Markets[0].Weight == 2 }},
	} {
		t.Run(c.key, func(t *testing.T) {
			cfg := sweepBase()
			if err := SetKey(cfg, c.key, c.value); err != nil {
				t.Fatal(err)
			}
			if !c.check(cfg) {
				t.Errorf("SetKey(%q, %v) gave %+v", c.key, c.value, cfg)
			}
		})
	}

	// Names with spaces need no quotes; names with dots do.
	cfg := config.DefaultConfig()
	for _, key := range []string{"shocks.domestic demand collapse.depth", `shocks."domestic demand collapse".depth`} {
		cfg.Shocks[0].Depth = 0
		if err := SetKey(&cfg, key, 0.5); err != nil || cfg.Shocks[0].Depth != 0.5 {
			t.Errorf("SetKey(%q): %v, depth %g", key, err, cfg.Shocks[0].Depth)
		}
	}
	cfg.Shocks[0].Name = "phase 1.5"
	if err := SetKey(&cfg, `shocks."phase 1.5".depth`, 0.25); err != nil || cfg.Shocks[0].Depth != 0.25 {
		t.Errorf("quoted segment: %v, depth %g", err, cfg.Shocks[0].Depth)
	}
}

func TestSetKeyErrors(t *testing.T) {
	for _, c := range []struct {
		key   string
		value any
		want  string
	}{
		{"", 1.0, "empty key"},
		{"shocks..depth", 1.0, "shocks..depth: empty segment: write keys separated by single dots, e.g. \"shocks[0].depth\""},
		// A selector matching several elements is ambiguous (issue 13,
		// defect 12): it used to set them all.
		{"shocks.demand.depth", 0.7, `shocks.demand.depth: "demand" selects 3 shocks (0 "a" demand, 1 "b" demand, 3 "credit" demand), but a key must select one: address it by index, e.g. "shocks[0].depth", or by name, e.g. "shocks.a.depth"`},
		{"shocks[4].depth", 1.0, `shocks[4].depth: no shock [4]: the scenario has 4 (shocks: 0 "a" demand, 1 "b" demand, 2 "c" credit, 3 "credit" demand)`},
		{"shocks[0]", 1.0, `shocks[0]: "[0]" selects shocks but names no key: add one of kind, name, start, duration, recovery, shape, depth, market, spread_increase, score_tightening, score_easing, first_loan_take_up, bank_kinds, term_stretch, sectors, regions, roles, damage_file`},
		{"network[0].chains", 1.0, `network[0].chains: "network" is not an array of tables: an index such as [0] selects an element of shocks, interventions, banks or markets`},
		{"steps.", 1.0, "steps.: ends with a dot"},
		{`shocks."a.depth`, 1.0, `shocks."a.depth: a quoted segment has no closing quote`},
		{"stpes", 1.0, `stpes: unknown key "stpes" at the top level; did you mean "steps"?`},
		{"network.colour", 1.0, `network.colour: unknown key "colour" in [network]; allowed keys here: generator, chains, cores_per_chain, suppliers_per_chain, raw_materials_per_chain, distributors_per_chain, supplier_sectors, raw_material_sectors, multi_sourcing, shared_supplier_share, firms, mean_degree, sectors, core_share, io_table_file, format, edges_file, firms_file, normalise, final_demand_file, final_demand_mean, final_demand_dispersion, upstream_final_share`},
		{"shocks.demand.dept", 1.0, `shocks.demand.dept: unknown key "dept" in [[shocks]]; did you mean "depth"?`},
		{"shocks.demand2.depth", 1.0, `shocks.demand2.depth: no shock named or of kind "demand2" (shocks: 0 "a" demand, 1 "b" demand, 2 "c" credit, 3 "credit" demand)`},
		{"shocks.4.depth", 1.0, `shocks.4.depth: no shock 4: the scenario has 4 (shocks: 0 "a" demand, 1 "b" demand, 2 "c" credit, 3 "credit" demand)`},
		{"shocks.04.depth", 1.0, `shocks.04.depth: no shock named or of kind "04" (shocks: 0 "a" demand, 1 "b" demand, 2 "c" credit, 3 "credit" demand)`},
		{"banks.central.share", 1.0, `banks.central.share: no bank named "central" (banks: 0 "bank")`},
		{"interventions.loans.budget", 1.0, `interventions.loans.budget: no intervention named or of kind "loans" (interventions: 0 "scf" supply-chain-finance, 1 "policy-loan" policy-loan)`},
		{"shocks", 1.0, `shocks: "shocks" is an array of tables: select an element by name, kind or index and add one of its keys, e.g. "shocks[0].depth"`},
		{"shocks.demand", 1.0, `shocks.demand: "demand" selects shocks but names no key: add one of kind, name, start, duration, recovery, shape, depth, market, spread_increase, score_tightening, score_easing, first_loan_take_up, bank_kinds, term_stretch, sectors, regions, roles, damage_file`},
		{"network", 1.0, `network: "network" is a table: add one of its keys: generator, chains, cores_per_chain, suppliers_per_chain, raw_materials_per_chain, distributors_per_chain, supplier_sectors, raw_material_sectors, multi_sourcing, shared_supplier_share, firms, mean_degree, sectors, core_share, io_table_file, format, edges_file, firms_file, normalise, final_demand_file, final_demand_mean, final_demand_dispersion, upstream_final_share`},
		{"shocks.a.depth.x", 1.0, `shocks.a.depth.x: "depth" is a number and has no keys below it`},
		{"finance.enabled", 1.0, `finance.enabled: "enabled" is true or false, which cannot be swept: only numbers, durations and strings can`},
		{"arms", "a", `arms: "arms" is a list, which cannot be swept: only numbers, durations and strings can`},
		{"sweep.points", 1.0, "sweep.points: [sweep] cannot be swept"},
		{"shocks.demand.spread_increase", 0.1, "shocks.demand.spread_increase: shocks[0].spread_increase does not apply to a demand shock (applies to: credit)"},
		{"interventions.scf.guarantee_limit", 0.1, `interventions.scf.guarantee_limit: interventions[0].guarantee_limit applies only to mode = "guarantee" (this supply-chain-finance intervention has mode = "factoring")`},
		{"steps", 52.5, "steps: 52.5 is not a whole number: steps is an integer"},
		{"seed", -1.0, "seed: -1 is out of range: allowed ≥ 0"},
		{"steps", "52", `steps: expected an integer, got a string ("52")`},
		{"shocks.a.depth", "0.5", `shocks.a.depth: expected a number, got a string ("0.5")`},
		{"shocks.a.depth", math.NaN(), "shocks.a.depth: nan is not a finite number"},
		{"shocks.a.duration", 4.0, `shocks.a.duration: expected a duration such as "4w", got a number (4)`},
		{"shocks.a.duration", "4", `shocks.a.duration: duration "4" has no unit: write a number followed by d (days), w (weeks), mo (months) or y (years), e.g. "90d", "2w", "3mo", "1y"`},
		{"shocks.a.market", 1.0, "shocks.a.market: expected a string, got a number (1)"},
		{"shocks.a.depth", true, "shocks.a.depth: cannot take a bool: give a number or a string"},
	} {
		t.Run(c.key, func(t *testing.T) {
			cfg := sweepBase()
			before := cloneConfig(cfg)
			err := SetKey(cfg, c.key, c.value)
			var se *Error
			if err == nil || !errors.As(err, &se) {
				t.Fatalf("SetKey(%q) = %v, want an *Error", c.key, err)
			}
			if err.Error() != c.want {
				t.Errorf("got  %s\nwant %s", err, c.want)
			}
			if !reflect.DeepEqual(cfg, before) {
				t.Errorf("a failed SetKey changed the configuration")
			}
		})
	}
	cfg := config.DefaultConfig()
	cfg.Shocks = nil
	if err := SetKey(&cfg, "shocks.demand.depth", 0.5); err == nil || err.Error() != "shocks.demand.depth: the scenario has no shocks" {
		t.Errorf("no shocks: %v", err)
	}
}

// parseSweep parses a scenario made of the default one and src.
func parseSweep(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, err := Parse("s.toml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSweepPointsGrid(t *testing.T) {
	cfg := parseSweep(t, `
[[sweep.parameters]]
key = "shocks.demand.depth"
values = [0.2, 0.4]

[[sweep.parameters]]
key = "shocks.demand.duration"
texts = ["4w", "12w", "26w"]

[[sweep.parameters]]
key = "network.chains"
min = 2
max = 4
steps = 2
`)
	before := cloneConfig(cfg)
	if got := SweepKeys(cfg); !reflect.DeepEqual(got, []string{"shocks.demand.depth", "shocks.demand.duration", "network.chains"}) {
		t.Errorf("SweepKeys = %v", got)
	}
	points, err := SweepPoints(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, p := range points {
		if p.Index != i {
			t.Errorf("point %d has index %d", i, p.Index)
		}
		got = append(got, strings.Join(p.Values, " "))
		c := p.Config
		if formatNumber(c.Shocks[0].Depth) != p.Values[0] || c.Shocks[0].Duration.String() != p.Values[1] || strconv.Itoa(c.Network.Chains) != p.Values[2] {
			t.Errorf("point %d: values %v but depth %g, duration %s, chains %d", i, p.Values, c.Shocks[0].Depth, c.Shocks[0].Duration, c.Network.Chains)
		}
		if !reflect.DeepEqual(c.Sweep, config.DefaultConfig().Sweep) {
			t.Errorf("point %d keeps its sweep: %+v", i, c.Sweep)
		}
		if err := Validate(c, "point"); err != nil {
			t.Errorf("point %d: %v", i, err)
		}
		out, err := Encode(c)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("[sweep]")) {
			t.Errorf("point %d encodes a [sweep]", i)
		}
		again, err := Parse("point.toml", out, "")
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Errorf("point %d does not round-trip: %v", i, err)
		}
	}
	// The first parameter varies slowest, the last fastest.
	want := []string{
		"0.2 4w 2", "0.2 4w 4", "0.2 12w 2", "0.2 12w 4", "0.2 26w 2", "0.2 26w 4",
		"0.4 4w 2", "0.4 4w 4", "0.4 12w 2", "0.4 12w 4", "0.4 26w 2", "0.4 26w 4",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("points\n got %q\nwant %q", got, want)
	}
	// Points share nothing with the scenario or each other.
	points[0].Config.Shocks[0].Depth = 0.99
	points[0].Config.Banks[0].Name = "x"
	if !reflect.DeepEqual(cfg, before) || points[1].Config.Shocks[0].Depth != 0.2 || points[1].Config.Banks[0].Name != "bank" {
		t.Errorf("points share memory with the scenario or each other")
	}
}

func TestSweepPointsNone(t *testing.T) {
	cfg := parseSweep(t, "")
	points, err := SweepPoints(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 1 || points[0].Index != 0 || len(points[0].Values) != 0 || points[0].Config == cfg || !reflect.DeepEqual(points[0].Config, cfg) {
		t.Errorf("no parameters: %+v", points)
	}
	if SweepKeys(cfg) != nil {
		t.Errorf("SweepKeys = %v", SweepKeys(cfg))
	}
}

func TestSweepRanges(t *testing.T) {
	for _, c := range []struct {
		name, param string
		want        []string
	}{
		{"linear", "key = \"shocks.demand.depth\"\nmin = 0.1\nmax = 0.7\nsteps = 4", []string{"0.1", "0.3", "0.5", "0.7"}},
		{"one step", "key = \"shocks.demand.depth\"\nmin = 0.1\nmax = 0.7\nsteps = 1", []string{"0.1"}},
		{"log", "key = \"finance.max_loan_to_revenue\"\nmin = 0.001\nmax = 1\nsteps = 4\nscale = \"log\"", []string{"0.001", "0.01", "0.1", "1"}},
		{"log uneven", "key = \"finance.max_loan_to_revenue\"\nmin = 0.1\nmax = 0.4\nsteps = 3\nscale = \"log\"", []string{"0.1", "0.2", "0.4"}},
		{"integer", "key = \"network.chains\"\nmin = 2\nmax = 8\nsteps = 4", []string{"2", "4", "6", "8"}},
		{"negative", "key = \"firms.sme.profit_margin\"\nmin = -0.1\nmax = 0.1\nsteps = 5", []string{"-0.1", "-0.05", "0", "0.05", "0.1"}},
		{"big", "key = \"finance.max_loan_to_revenue\"\nvalues = [1e-7, 0.25]", []string{"1e-07", "0.25"}},
		{"names", "key = \"shocks.demand.market\"\ntexts = [\"world\", \"all\"]", []string{"world", "all"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := parseSweep(t, "[[sweep.parameters]]\n"+c.param+"\n")
			points, err := SweepPoints(cfg, "s.toml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range points {
				got = append(got, p.Values[0])
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

const lhsSrc = `
seed = 42

[sweep]
design = "latin-hypercube"
points = 20

[[sweep.parameters]]
key = "shocks.demand.depth"
min = 0.1
max = 0.7

[[sweep.parameters]]
key = "finance.max_loan_to_revenue"
min = 0.01
max = 1
scale = "log"

[[sweep.parameters]]
key = "network.chains"
min = 2
max = 12

[[sweep.parameters]]
key = "shocks.demand.duration"
texts = ["4w", "8w", "12w", "26w"]
`

func TestSweepLatinHypercube(t *testing.T) {
	cfg := parseSweep(t, lhsSrc)
	points, err := SweepPoints(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	if len(points) != n {
		t.Fatalf("%d points, want %d", len(points), n)
	}
	strata := [2]map[int]bool{{}, {}}
	texts := map[string]int{}
	for i, p := range points {
		c := p.Config
		depth, ratio := c.Shocks[0].Depth, c.Finance.MaxLoanToRevenue
		if depth < 0.1 || depth > 0.7 || ratio < 0.01 || ratio > 1 || c.Network.Chains < 2 || c.Network.Chains > 12 {
			t.Errorf("point %d out of its ranges: %v", i, p.Values)
		}
		strata[0][int((depth-0.1)/0.6*n)] = true
		strata[1][int((math.Log(ratio)-math.Log(0.01))/(math.Log(1)-math.Log(0.01))*n)] = true
		texts[p.Values[3]]++
		if p.Values[0] != formatNumber(depth) || p.Values[2] != strconv.Itoa(c.Network.Chains) || p.Values[3] != c.Shocks[0].Duration.String() {
			t.Errorf("point %d: values %v do not match its configuration", i, p.Values)
		}
		if err := Validate(c, "point"); err != nil {
			t.Errorf("point %d: %v", i, err)
		}
	}
	// One value per stratum: every stratum used once.
	for j, s := range strata {
		if len(s) != n {
			t.Errorf("parameter %d uses %d strata of %d", j, len(s), n)
		}
	}
	// A list of 4 texts over 20 strata: each text 5 times.
	for _, x := range []string{"4w", "8w", "12w", "26w"} {
		if texts[x] != 5 {
			t.Errorf("text %s drawn %d times, want 5 (%v)", x, texts[x], texts)
		}
	}

	// Same scenario, same points: again, and from the encoded scenario.
	again, _ := SweepPoints(cfg, "s.toml")
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fromEncoded, _ := SweepPoints(parseSweep(t, string(out)), "e.toml")
	for i := range points {
		if !reflect.DeepEqual(points[i].Values, again[i].Values) || !reflect.DeepEqual(points[i].Values, fromEncoded[i].Values) {
			t.Fatalf("point %d differs between calls: %v, %v, %v", i, points[i].Values, again[i].Values, fromEncoded[i].Values)
		}
	}
	// The draws are pinned: they must not change between releases.
	want := []string{"0.16216192367230686", "0.20322237127502268", "8", "4w"}
	if !reflect.DeepEqual(points[0].Values, want) {
		t.Errorf("point 0 = %q, want %q", points[0].Values, want)
	}
	// Another seed, other points.
	cfg.Seed = 43
	other, _ := SweepPoints(cfg, "s.toml")
	if reflect.DeepEqual(other[0].Values, points[0].Values) {
		t.Errorf("seed 43 gives the same points as seed 42")
	}
}

// TestSweepRoundTrip encodes scenarios with [sweep] (grid and latin
// hypercube), in both the plain and the documented form.
func TestSweepRoundTrip(t *testing.T) {
	grid := `
[[markets]]
name = "a b"

[[markets]]
name = "c.d"

[[sweep.parameters]]
key = "markets.a b.weight"
values = [0, 2.5, 1e9]

[[sweep.parameters]]
key = 'markets."c.d".weight'
min = 0.5
max = 8
steps = 5
scale = "log"

[[sweep.parameters]]
key = "shocks.demand.market"
texts = ["a b", "c.d", "domestic"]

[[sweep.parameters]]
key = "firms.sme.profit_margin"
min = -0.5
max = 0.5
steps = 3
`
	for _, src := range []string{grid, lhsSrc} {
		cfg := parseSweep(t, src)
		for _, form := range []struct {
			name   string
			encode func(*config.Config) []byte
		}{
			{"Encode", func(c *config.Config) []byte { out, _ := Encode(c); return out }},
			{"documented", func(c *config.Config) []byte { return documented([]string{"# sweep"}, c, true) }},
		} {
			out := form.encode(cfg)
			again, err := Parse("encoded.toml", out, "")
			if err != nil {
				t.Fatalf("%s: %v\n%s", form.name, err, out)
			}
			if !reflect.DeepEqual(again, cfg) {
				t.Errorf("%s: Parse(Encode(cfg)) differs at %v\n%s", form.name, diffPaths(reflect.ValueOf(*again), reflect.ValueOf(*cfg), ""), out)
			}
			if out2 := form.encode(again); !bytes.Equal(out, out2) {
				t.Errorf("%s is not stable", form.name)
			}
			// Keys of the forms a parameter does not use are left out.
			params := string(out[bytes.Index(out, []byte("[[sweep.parameters]]")):])
			for _, s := range []string{"values = []", "texts = []", "steps = 0", "min = 0.0\nmax = 0.0"} {
				if strings.Contains(params, s) {
					t.Errorf("%s writes %q:\n%s", form.name, s, params)
				}
			}
		}
	}
	// The grid's points resolve the quoted and spaced names.
	points, err := SweepPoints(parseSweep(t, grid), "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != 3*5*3*3 {
		t.Fatalf("%d points", len(points))
	}
	last := points[len(points)-1]
	if !reflect.DeepEqual(last.Values, []string{"1e+09", "8", "domestic", "0.5"}) || last.Config.Markets[0].Weight != 1e9 || last.Config.Markets[1].Weight != 8 {
		t.Errorf("last point %v: markets %+v", last.Values, last.Config.Markets)
	}
	if got := points[9].Values[1]; got != "1" { // 0.5 × 16^(1/4)
		t.Errorf("log grid value 1 = %s", got)
	}
}

// TestSweepTemplateExample uncomments the template's example and runs it.
func TestSweepTemplateExample(t *testing.T) {
	tmpl, err := Template("")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	in := false
	for _, l := range strings.Split(string(tmpl), "\n") {
		if l == "# [[sweep.parameters]]" {
			in = true
		}
		if in && strings.HasPrefix(l, "# With design") {
			break
		}
		if in {
			lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(l, "#"), " "))
		}
	}
	if len(lines) == 0 {
		t.Fatalf("no example in the template:\n%s", tmpl)
	}
	points, err := SweepPoints(parseSweep(t, strings.Join(lines, "\n")), "example.toml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range points {
		got = append(got, strings.Join(p.Values, " "))
	}
	want := []string{"0.1 4w", "0.1 12w", "0.1 26w", "0.3 4w", "0.3 12w", "0.3 26w", "0.5 4w", "0.5 12w", "0.5 26w", "0.7 4w", "0.7 12w", "0.7 26w"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("example points %q, want %q", got, want)
	}
	// With the example uncommented in place (and parameters = [] removed),
	// the template parses.
	text := strings.Replace(string(tmpl), "\nparameters = []\n", "\n", 1)
	text = strings.Replace(text, "# [[sweep.parameters]]\n# key = ", "[[sweep.parameters]]\nkey = ", 1)
	text = strings.Replace(text, "# min = 0.1\n# max = 0.7\n# steps = 4\n", "min = 0.1\nmax = 0.7\nsteps = 4\n", 1)
	if cfg, err := Parse("template.toml", []byte(text), ""); err != nil || len(cfg.Sweep.Parameters) != 1 {
		t.Errorf("template with the example: %v", err)
	}
}

// TestSweepLargeGrid checks that a grid of more than 10,000 points is
// checked at its corners, and reports the failing point's index.
func TestSweepLargeGrid(t *testing.T) {
	src := `
[[sweep.parameters]]
key = "shocks.demand.depth"
min = 0
max = 1.2
steps = 121

[[sweep.parameters]]
key = "firms.recovery_rate"
min = 0
max = 1
steps = 101
`
	_, err := Parse("big.toml", []byte(src), "")
	want := "big.toml:5: sweep.parameters[0].max: point 12120 (shocks.demand.depth = 1.2, firms.recovery_rate = 0): shocks[0].depth: 1.2 is out of range: allowed -1 to 1"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	cfg := parseSweep(t, strings.Replace(src, "max = 1.2", "max = 1", 1))
	points, err := SweepPoints(cfg, "big.toml")
	if err != nil || len(points) != 121*101 {
		t.Fatalf("%d points, %v", len(points), err)
	}
	if p := points[12120]; p.Values[0] != "1" || p.Values[1] != "0" {
		t.Errorf("point 12120 = %v", p.Values)
	}
	if p := points[101]; p.Values[0] != "0.00833333333333333" || p.Values[1] != "0" { // 1/120, to 15 digits
		t.Errorf("point 101 = %v", p.Values)
	}
}

// TestSweepValidateInCode checks [sweep] in configurations built in code,
// where keys count as set when they differ from their defaults.
func TestSweepValidateInCode(t *testing.T) {
	param := func(key string, edit func(*config.SweepParameter)) config.SweepParameter {
		p := config.DefaultSweepParameter()
		p.Key = key
		edit(&p)
		return p
	}
	for _, c := range []struct {
		name string
		edit func(*config.Config)
		want string
	}{
		{"values", func(c *config.Config) {
			c.Sweep.Parameters = []config.SweepParameter{param("shocks.demand.depth", func(p *config.SweepParameter) { p.Values = []float64{0.2, 0.4} })}
		}, ""},
		{"range from 0", func(c *config.Config) {
			c.Sweep.Parameters = []config.SweepParameter{param("shocks.demand.depth", func(p *config.SweepParameter) { p.Max, p.Steps = 1, 3 })}
		}, ""},
		{"values and range", func(c *config.Config) {
			c.Sweep.Parameters = []config.SweepParameter{param("shocks.demand.depth", func(p *config.SweepParameter) { p.Values, p.Max = []float64{0.2}, 1 })}
		}, "code: sweep.parameters[0].max: values is set too: give one of values, texts, or min and max"},
		{"empty", func(c *config.Config) {
			c.Sweep.Parameters = []config.SweepParameter{param("shocks.demand.duration", func(p *config.SweepParameter) {})}
		}, `code: sweep.parameters[0]: missing: list the durations shocks.demand.duration takes as texts, e.g. texts = ["4w", "12w"]`},
		{"no scale", func(c *config.Config) {
			c.Sweep.Parameters = []config.SweepParameter{{Key: "shocks.demand.depth", Values: []float64{0.5}}}
		}, `code: sweep.parameters[0].scale: missing: set one of linear, log`},
		{"latin hypercube", func(c *config.Config) {
			c.Sweep.Design, c.Sweep.Points = "latin-hypercube", 3
			c.Sweep.Parameters = []config.SweepParameter{param("shocks.demand.depth", func(p *config.SweepParameter) { p.Min, p.Max = 0.5, 1.5 })}
		}, "code: sweep.parameters[0].max: corner (shocks.demand.depth = 1.5): shocks[0].depth: 1.5 is out of range: allowed -1 to 1"},
		{"culprit by revert", func(c *config.Config) {
			c.Steps = 40
			c.Sweep.Parameters = []config.SweepParameter{
				param("shocks.demand.depth", func(p *config.SweepParameter) { p.Values = []float64{0.2, 0.4} }),
				param("steps", func(p *config.SweepParameter) { p.Values = []float64{52, 20} }),
			}
		}, "code: sweep.parameters[1].values: point 1 (shocks.demand.depth = 0.2, steps = 20): shocks[0].recovery: the shock ends on day 224 (start 8w + duration 12w + recovery 12w), after the end of the run on day 140 (20 steps of 1w)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config.DefaultConfig()
			c.edit(&cfg)
			got := ""
			if err := Validate(&cfg, "code"); err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
	// SweepPoints reports parameter errors as Validate does.
	cfg := config.DefaultConfig()
	cfg.Sweep.Parameters = []config.SweepParameter{param("shocks.x.depth", func(p *config.SweepParameter) { p.Values = []float64{1} })}
	_, err := SweepPoints(&cfg, "code")
	if err == nil || err.Error() != `code: sweep.parameters[0].key: shocks.x.depth: no shock named or of kind "x" (shocks: 0 "domestic demand collapse" demand)` {
		t.Errorf("SweepPoints: %v", err)
	}
}

// TestTemplateSweepExample uncomments the [[sweep.parameters]] example of
// every built-in's template: it must parse, and each of its keys must set
// exactly one field (issue 13, defect 12: "shocks.demand.depth" set all
// three demand shocks of china-2020, turning its rebound into a collapse).
func TestTemplateSweepExample(t *testing.T) {
	for _, b := range Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			tmpl, err := Template(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(tmpl), "\n")
			var example []string
			in := false
			for _, l := range lines {
				switch {
				case l == "# [[sweep.parameters]]":
					in = true
				case strings.HasPrefix(l, "# With design") || l == "parameters = []":
					in = false
				}
				if in {
					example = append(example, strings.TrimPrefix(strings.TrimPrefix(l, "#"), " "))
				}
			}
			if len(example) == 0 {
				t.Fatalf("the template has no [[sweep.parameters]] example")
			}
			src := strings.Replace(string(tmpl), "\nparameters = []\n", "\n"+strings.Join(example, "\n")+"\n", 1)
			cfg, err := Parse("template.toml", []byte(src), "")
			if err != nil {
				t.Fatalf("the example does not parse: %v\n%s", err, strings.Join(example, "\n"))
			}
			if len(cfg.Sweep.Parameters) == 0 {
				t.Fatalf("the example adds no parameters:\n%s", strings.Join(example, "\n"))
			}
			for _, p := range cfg.Sweep.Parameters {
				ts, _, err := resolveKey(cfg, p.Key)
				if err != nil || len(ts) != 1 {
					t.Errorf("key %q sets %d fields (%v), want 1", p.Key, len(ts), err)
				}
			}
		})
	}
}

// TestSweepExtremes: the extremes of a sweep are every combination of each
// parameter's lowest and highest value (every value of a list of strings),
// the last parameter varying fastest; a lazily built point equals the one
// SweepPoints gives.
func TestSweepExtremes(t *testing.T) {
	cfg := parseSweep(t, `
[[sweep.parameters]]
key = "network.chains"
values = [4, 2, 8, 3]

[[sweep.parameters]]
key = "network.generator"
texts = ["core-satellite", "erdos-renyi"]

[[sweep.parameters]]
key = "firms.recovery_rate"
min = 0.1
max = 0.5
steps = 3
`)
	sw, err := NewSweep(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = sw.Extremes(func(values []string, c *config.Config) error {
		got = append(got, fmt.Sprintf("%s|%d %s %g", strings.Join(values, " "), c.Network.Chains, c.Network.Generator, c.Firms.RecoveryRate))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2 core-satellite 0.1|2 core-satellite 0.1", "2 core-satellite 0.5|2 core-satellite 0.5",
		"2 erdos-renyi 0.1|2 erdos-renyi 0.1", "2 erdos-renyi 0.5|2 erdos-renyi 0.5",
		"8 core-satellite 0.1|8 core-satellite 0.1", "8 core-satellite 0.5|8 core-satellite 0.5",
		"8 erdos-renyi 0.1|8 erdos-renyi 0.1", "8 erdos-renyi 0.5|8 erdos-renyi 0.5",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extremes\n%q\nwant\n%q", got, want)
	}
	points, err := SweepPoints(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	if sw.Len() != 24 || len(points) != 24 {
		t.Fatalf("Len %d, %d points, want 24", sw.Len(), len(points))
	}
	if p := sw.Point(17); !reflect.DeepEqual(p, points[17]) || strings.Join(p.Values, " ") != "8 erdos-renyi 0.5" {
		t.Errorf("point 17 = %v, want %v (8 erdos-renyi 0.5)", p.Values, points[17].Values)
	}
}

// TestAmbiguousSelectorListsAtMostTen: an ambiguous selector over many
// elements lists ten of them and counts the rest.
func TestAmbiguousSelectorListsAtMostTen(t *testing.T) {
	cfg := config.DefaultConfig()
	sh := cfg.Shocks[0]
	sh.Name = ""
	cfg.Shocks = nil
	for i := 0; i < 12; i++ {
		cfg.Shocks = append(cfg.Shocks, sh)
	}
	err := SetKey(&cfg, "shocks.demand.depth", 0.5)
	want := `shocks.demand.depth: "demand" selects 12 shocks (0 demand, 1 demand, 2 demand, 3 demand, 4 demand, 5 demand, 6 demand, 7 demand, 8 demand, 9 demand, … 2 more), but a key must select one: address it by index, e.g. "shocks[0].depth"`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
