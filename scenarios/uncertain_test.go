package scenarios

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/sensitivity"
	"github.com/smesim/smesim/sim/units"
)

const uncertainSrc = `
[[uncertain]]
key = "shocks[0].depth"
distribution = "uniform"
lo = 0.2
hi = 0.6
source = "a workshop"

[[uncertain]]
key = "network.chains"
distribution = "discrete"
values = [4, 8]
weights = [1, 3]

[[uncertain]]
key = "shocks[0].duration"
distribution = "truncnormal"
mean = 12
sd = 4
lo = 4
hi = 20
unit = "w"

[[uncertain]]
key = "firms.sme.profit_margin"
distribution = "beta"
alpha = 2
beta = 5
`

// TestUncertainRoundTrip: a scenario with [[uncertain]] encodes, with
// each entry's own keys only, and parses back to the same configuration.
func TestUncertainRoundTrip(t *testing.T) {
	cfg := parseSweep(t, uncertainSrc)
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("encoded.toml", out, "")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(again, cfg) {
		t.Errorf("Parse(Encode(cfg)) differs at %v", diffPaths(reflect.ValueOf(*again), reflect.ValueOf(*cfg), ""))
	}
	entries := string(out[bytes.Index(out, []byte("[[uncertain]]")):])
	for _, s := range []string{"mean = 0.0", "alpha = 0.0", "weights = []", `unit = ""`} {
		if strings.Contains(entries, s) {
			t.Errorf("Encode writes %q:\n%s", s, entries)
		}
	}
}

// TestUncertainApply: a row of draws sets each key as it takes them: an
// integer rounded, a duration in the entry's unit; the point has no
// [[uncertain]].
func TestUncertainApply(t *testing.T) {
	cfg := parseSweep(t, uncertainSrc)
	u, err := NewUncertain(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Keys(), []string{"shocks[0].depth", "network.chains", "shocks[0].duration", "firms.sme.profit_margin"}; !slices.Equal(got, want) {
		t.Fatalf("Keys = %q, want %q", got, want)
	}
	params := u.Params()
	if params[0].Source != "a workshop" || params[1].Dist.Kind != sensitivity.Discrete || params[3].Dist.Kind != sensitivity.Beta {
		t.Errorf("Params = %+v", params)
	}
	c := u.Apply([]float64{0.35, 7.6, 9.5, 0.125})
	if c.Shocks[0].Depth != 0.35 || c.Network.Chains != 8 || c.Shocks[0].Duration != (units.Duration{Value: 9.5, Unit: "w"}) || c.Firms.SME.ProfitMargin != 0.125 {
		t.Errorf("Apply: depth %v, chains %d, duration %v, margin %v", c.Shocks[0].Depth, c.Network.Chains, c.Shocks[0].Duration, c.Firms.SME.ProfitMargin)
	}
	if c.Uncertain != nil {
		t.Errorf("the point keeps [[uncertain]]: %+v", c.Uncertain)
	}
	if cfg.Shocks[0].Depth == 0.35 {
		t.Errorf("Apply changed the scenario")
	}
	if got := u.Value(2, 9.5); got != "9.5w" {
		t.Errorf("Value = %q, want 9.5w", got)
	}
	if err := Validate(c, "point"); err != nil {
		t.Errorf("the point is invalid: %v", err)
	}
}

// TestSweepPointsDropUncertain: a sweep's points are plain scenarios,
// without the [[uncertain]] a sweep does not draw from.
func TestSweepPointsDropUncertain(t *testing.T) {
	cfg := parseSweep(t, uncertainSrc+`
[[sweep.parameters]]
key = "shocks[0].depth"
values = [0.2, 0.4]
`)
	points, err := SweepPoints(cfg, "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range points {
		if p.Config.Uncertain != nil {
			t.Errorf("point %d keeps [[uncertain]]", p.Index)
		}
	}
	if len(cfg.Uncertain) != 4 {
		t.Errorf("the scenario lost its [[uncertain]]: %d entries", len(cfg.Uncertain))
	}
}
