package results

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/smesim/smesim/sim/config"
)

// TestRelocated: a file network's files are copied to input/ and the
// relocated scenario names the copies; the scenario itself is unchanged,
// and a generated network reads no file.
func TestRelocated(t *testing.T) {
	cfg := config.DefaultConfig()
	if InputFiles(&cfg) != nil || Relocated(&cfg) != &cfg {
		t.Fatalf("generated network: inputs %v", InputFiles(&cfg))
	}
	src := t.TempDir()
	for _, name := range []string{"e.csv", "f.csv"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(name+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Network.Generator, cfg.Network.EdgesFile, cfg.Network.FirmsFile = "file", "e.csv", filepath.Join(src, "f.csv")
	cfg.Dir = src
	files := InputFiles(&cfg)
	want := []InputFile{
		{Key: "network.edges_file", Named: "e.csv", Source: filepath.Join(src, "e.csv"), Name: "input/network-edges.csv"},
		{Key: "network.firms_file", Named: filepath.Join(src, "f.csv"), Source: filepath.Join(src, "f.csv"), Name: "input/network-firms.csv"},
	}
	if len(files) != 2 || files[0] != want[0] || files[1] != want[1] {
		t.Fatalf("InputFiles = %+v, want %+v", files, want)
	}
	rel := Relocated(&cfg)
	if rel.Network.EdgesFile != "input/network-edges.csv" || rel.Network.FirmsFile != "input/network-firms.csv" || cfg.Network.EdgesFile != "e.csv" {
		t.Errorf("Relocated names %q, %q; the original %q", rel.Network.EdgesFile, rel.Network.FirmsFile, cfg.Network.EdgesFile)
	}
	dir := t.TempDir()
	if err := CopyInputs(dir, files); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"e.csv", "f.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(files[i].Name)))
		if err != nil || string(b) != name+"\n" {
			t.Errorf("%s: %q, %v; want the content of %s", files[i].Name, b, err, name)
		}
	}
	os.Remove(filepath.Join(src, "e.csv"))
	if err := CopyInputs(t.TempDir(), files); err == nil {
		t.Error("CopyInputs of a missing file: no error")
	}
}

// TestInputFiles: the files a batch hashes are a file network's, and those
// its sweep names; none for a generated network.
func TestInputFiles(t *testing.T) {
	file := func(edit func(*config.Config)) *config.Config {
		cfg := config.DefaultConfig()
		cfg.Network.Generator, cfg.Network.EdgesFile, cfg.Network.FirmsFile = "file", "edges.csv", "firms.csv"
		edit(&cfg)
		return &cfg
	}
	for _, c := range []struct {
		name string
		cfg  *config.Config
		want []string
	}{
		{"generated", func() *config.Config { c := config.DefaultConfig(); c.Network.EdgesFile = "left.csv"; return &c }(), nil},
		{"file", file(func(*config.Config) {}), []string{"edges.csv", "firms.csv"}},
		{"swept files", file(func(c *config.Config) {
			c.Sweep.Parameters = []config.SweepParameter{{Key: "network.edges_file", Texts: []string{"a.csv", "b.csv"}}}
		}), []string{"edges.csv", "firms.csv", "a.csv", "b.csv"}},
		{"swept generator", func() *config.Config {
			c := config.DefaultConfig()
			c.Network.EdgesFile, c.Network.FirmsFile = "e.csv", "f.csv"
			c.Sweep.Parameters = []config.SweepParameter{{Key: "network.generator", Texts: []string{"core-satellite", "file"}}}
			return &c
		}(), []string{"e.csv", "f.csv"}},
	} {
		var got []string
		for _, f := range InputFiles(c.cfg) {
			got = append(got, f.Named)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: InputFiles = %q, want %q", c.name, got, c.want)
		}
	}
}
