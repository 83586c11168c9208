package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNormaliseWarns checks that network.normalise turns weights that do
// not sum to one into a warning naming the buyer, printed once by validate
// and by run, which then succeed (issue 18).
func TestNormaliseWarns(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"firms.csv":     "id,kind,role,sector,final_demand\nf1,sme,supplier,parts,10\nf2,core,manufacturer,goods,100\nf3,sme,supplier,parts,20\nf4,sme,distributor,retail,50\n",
		"edges.csv":     "supplier,buyer,weight\nf1,f2,0.3\nf3,f2,0.5\nf2,f4,1\n",
		"scenario.toml": "name = \"norm\"\nshocks = []\n[network]\ngenerator = \"file\"\nedges_file = \"edges.csv\"\nfirms_file = \"firms.csv\"\nnormalise = true\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	want := "smesim: warning: edges.csv:2: buyer \"f2\": weights of its suppliers in sector \"parts\" sum to 0.8, not 1 (±1e-06); normalised to 1 (network.normalise)\n"
	for _, args := range [][]string{
		{"validate", "scenario.toml"},
		{"run", "scenario.toml", "--out", filepath.Join(dir, "out"), "--steps", "2", "--plots", "none"},
	} {
		code, _, stderr := smesim(t, args...)
		if code != 0 || stderr != want {
			t.Errorf("smesim %s: exit %d, stderr %q; want 0 and %q", args[0], code, stderr, want)
		}
	}
}
