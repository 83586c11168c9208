package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestLibraryDecodeAgrees decodes every built-in scenario with BurntSushi/toml itself,
// on top of DefaultConfig with each array of tables pre-filled with
// element defaults of the right length (the library reuses the elements of
// a slice whose capacity suffices), and checks it gives what Decode gives.
func TestLibraryDecodeAgrees(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "builtin", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no built-in scenarios: %v", err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if _, err := toml.Decode(string(src), &doc); err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		if a, ok := arrayOf(doc["banks"]); ok {
			cfg.Banks = make([]BankConfig, len(a))
			for i := range a {
				cfg.Banks[i] = DefaultBank()
			}
		}
		if a, ok := arrayOf(doc["markets"]); ok {
			cfg.Markets = make([]MarketConfig, len(a))
			for i := range a {
				cfg.Markets[i] = DefaultMarket()
			}
		}
		if a, ok := arrayOf(doc["shocks"]); ok {
			cfg.Shocks = make([]ShockConfig, len(a))
			for i := range a {
				cfg.Shocks[i] = DefaultShock()
			}
		}
		if a, ok := arrayOf(doc["interventions"]); ok {
			cfg.Interventions = make([]InterventionConfig, len(a))
			for i := range a {
				cfg.Interventions[i] = DefaultIntervention()
			}
		}
		if a, ok := arrayOf(doc["facts"]); ok {
			cfg.Facts = make([]FactConfig, len(a))
			for i := range a {
				cfg.Facts[i] = DefaultFact()
			}
		}
		md, err := toml.Decode(string(src), &cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if u := md.Undecoded(); len(u) > 0 {
			t.Errorf("%s: undecoded keys %v", name, u)
		}
		normalize(reflect.ValueOf(&cfg).Elem())
		got, err := Decode(name, src, "")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, cfg) {
			t.Errorf("%s: Decode and toml.Decode differ\n got: %+v\nwant: %+v", name, *got, cfg)
		}
	}
}

func TestLocate(t *testing.T) {
	src := `# comment [not.a.table]
name = "x" # trailing
"quoted key" = 1
description = """
multi
line = 3
"""
dotted.key.path = 'lit'

[network]
chains = 4
arr = [
  1, # one
  2,
]

[[shocks]]
kind = "demand"

[[shocks]]
kind = "credit"
sectors = ["a",
  "b"]

[shocks.sub]
x = 1

[production]
input_share = { supplier = 0.5, other = {deep = 1} }
markets = [{name = "us"}, {name = "eu"}]
`
	got := locate([]byte(src))
	want := map[string]int{
		"name":                              2,
		`"quoted key"`:                      3,
		"description":                       4,
		"dotted":                            8,
		"dotted.key.path":                   8,
		"network":                           10,
		"network.chains":                    11,
		"network.arr":                       12,
		"network.arr[1]":                    14,
		"shocks":                            17,
		"shocks[0]":                         17,
		"shocks[0].kind":                    18,
		"shocks[1]":                         20,
		"shocks[1].kind":                    21,
		"shocks[1].sectors[1]":              23,
		"shocks[1].sub":                     25,
		"shocks[1].sub.x":                   26,
		"production.input_share.supplier":   29,
		"production.input_share.other.deep": 29,
		"production.markets[1].name":        30,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("line of %s = %d, want %d", k, got[k], v)
		}
	}
	if _, ok := got["line"]; ok {
		t.Errorf("found a key inside a multi-line string")
	}
	if _, ok := got["not"]; ok {
		t.Errorf("found a table inside a comment")
	}
}

// TestShortenQuoted: messages echo a quoted value as its first 40
// characters, an escape sequence counting as one.
func TestShortenQuoted(t *testing.T) {
	x40 := strings.Repeat("x", 40)
	tests := []struct{ in, want string }{
		{`short "abc" stays`, `short "abc" stays`},
		{`"` + x40 + `" is 40`, `"` + x40 + `" is 40`},
		{`"` + x40 + `y" is 41`, `"` + x40 + `"… is 41`},
		{`a "` + strings.Repeat(`\u00e9`, 50) + `" b`, `a "` + strings.Repeat(`\u00e9`, 40) + `"… b`},
		{`"` + strings.Repeat("é", 45) + `", "` + strings.Repeat(`\"`, 45) + `"`, `"` + strings.Repeat("é", 40) + `"…, "` + strings.Repeat(`\"`, 40) + `"…`},
		{`unbalanced "` + x40 + x40, `unbalanced "` + x40 + x40},
	}
	for _, tt := range tests {
		if got := shortenQuoted(tt.in); got != tt.want {
			t.Errorf("shortenQuoted(%.60s…) = %.120s, want %.120s", tt.in, got, tt.want)
		}
	}
}
