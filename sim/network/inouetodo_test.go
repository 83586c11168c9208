package network

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeFiles writes name → content into a fresh directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var itGood = map[string]string{
	"aff.txt":   "a 1 0\nb 1 0\nc 2 0\n\n",
	"links.txt": "a c 10\nb c 30\nc a 5\n",
	"final.txt": "a 5\nb 5\nc 50\n",
}

func readIT(t *testing.T, files map[string]string) (*Network, string, error) {
	dir := writeFiles(t, files)
	net, err := ReadInoueTodo(InoueTodoFiles{
		Links: filepath.Join(dir, "links.txt"), Affiliation: filepath.Join(dir, "aff.txt"), FinalDemand: filepath.Join(dir, "final.txt"),
	}, 365)
	return net, dir, err
}

func TestReadInoueTodo(t *testing.T) {
	net, dir, err := readIT(t, itGood)
	if err != nil {
		t.Fatal(err)
	}
	// Amounts per day are scaled to a year; c's two suppliers in sector 1
	// share its purchases 1:3.
	if want := []float64{5 * 365, 10 * 365, 30 * 365}; !slices.Equal(net.Flow, want) {
		t.Errorf("flows %v, want %v (c←a, a←c, c←b in buyer-major order)", net.Flow, want)
	}
	if want := []float64{1, 0.25, 0.75}; !slices.Equal(net.Weight, want) {
		t.Errorf("weights %v, want %v", net.Weight, want)
	}
	if want := []string{"1", "2"}; !slices.Equal(net.SectorNames, want) {
		t.Errorf("sectors %v, want %v", net.SectorNames, want)
	}
	rows, err := ReadDamageTable(writeDamage(t, dir, "c 0.5 0 3\na 1 2 2\n"), net)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Damage{{Firm: 2, Depth: 0.5, Start: 0, End: 3}, {Firm: 0, Depth: 1, Start: 2, End: 2}}; !slices.Equal(rows, want) {
		t.Errorf("damage %v, want %v", rows, want)
	}
}

func writeDamage(t *testing.T, dir, text string) string {
	p := filepath.Join(dir, "damage.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Bad input files are one line "file:line: problem" (issue 18, must-show 5).
func TestReadInoueTodoErrors(t *testing.T) {
	cases := []struct{ name, file, text, want string }{
		{"unknown supplier", "links.txt", "a c 10\nz c 30\n", `links.txt:2: unknown firm "z" (not in $DIR/aff.txt)`},
		{"negative amount", "links.txt", "a c 10\nb c -3\n", "links.txt:2: amount -3 must be > 0 (leave out a link without flow)"},
		{"NaN amount", "links.txt", "a c nan\n", `links.txt:1: "nan" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"self-loop", "links.txt", "a a 10\n", "links.txt:1: link a → a is a self-loop: smesim's firms do not buy from themselves"},
		{"duplicate link", "links.txt", "a c 10\nb c 3\na c 4\n", "links.txt:3: duplicate edge a → c (first on line 1)"},
		{"fields", "links.txt", "a c\n", "links.txt:1: 2 fields, want 3"},
		{"duplicate firm", "aff.txt", "a 1\nb 1\na 2\n", `aff.txt:3: duplicate firm "a" (first on line 1)`},
		{"final demand twice", "final.txt", "a 1\na 2\n", `final.txt:2: final demand of firm "a" given again (first on line 1)`},
		{"negative final demand", "final.txt", "a -1\n", "final.txt:1: amount -1 must be ≥ 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range itGood {
				files[k] = v
			}
			files[c.file] = c.text
			_, dir, err := readIT(t, files)
			want := strings.ReplaceAll(c.want, "$DIR", dir)
			if err == nil || err.Error() != filepath.Join(dir, want) && err.Error() != want {
				t.Errorf("got  %v\nwant %s", err, filepath.Join(dir, want))
			}
		})
	}
}

func TestReadDamageTableErrors(t *testing.T) {
	net, dir, err := readIT(t, itGood)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, text, want string }{
		{"unknown firm", "a 0.5 0 3\nq 0.5 0 3\n", `damage.txt:2: unknown firm "q" (not in the network)`},
		{"end before start", "a 0.5 4 3\n", "damage.txt:1: end 3 is before start 4"},
		{"depth above one", "a 1.5 0 3\n", "damage.txt:1: depth 1.5 must be in [0,1] (the share of capacity lost)"},
		{"negative start", "a 0.5 -1 3\n", `damage.txt:1: start "-1" must be a whole step ≥ 0`},
		{"fields", "a 0.5 0\n", "damage.txt:1: 3 fields, want 4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadDamageTable(writeDamage(t, dir, c.text), net)
			if want := filepath.Join(dir, c.want); err == nil || err.Error() != want {
				t.Errorf("got  %v\nwant %s", err, want)
			}
		})
	}
}
