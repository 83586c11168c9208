package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/results"
)

// TestRunFormatParquet: --format parquet writes the Parquet files and
// runs.csv but not the per-row CSVs, draws no figure by default, records
// the format in scenario.toml, and gives the same bytes as --format both
// whatever the workers, threads and shards.
func TestRunFormatParquet(t *testing.T) {
	inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	for _, c := range [][]string{
		{"run", "arms.toml", "--format", "both", "--workers", "1", "--threads", "1", "--plots", "none", "--out", "both"},
		{"run", "arms.toml", "--format", "parquet", "--workers", "2", "--threads", "2", "--out", "pq"},
		{"run", "arms.toml", "--format", "parquet", "--shard", "0/2", "--out", "s0"},
		{"run", "arms.toml", "--format", "parquet", "--shard", "1/2", "--out", "s1"},
		{"merge", "--out", "merged", "s0", "s1"},
	} {
		if code, _, errs := smesim(t, c...); code != 0 {
			t.Fatalf("%v: exit %d: %s", c, code, errs)
		}
	}
	read := func(dir, name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, name := range []string{results.TimeseriesParquet, results.FirmsParquet, results.EventsParquet, results.RunsParquet, results.RunsFile, results.SummaryFile} {
		want := read("both", name)
		for _, dir := range []string{"pq", "merged"} {
			if !bytes.Equal(read(dir, name), want) {
				t.Errorf("%s/%s differs from both/%s", dir, name, name)
			}
		}
	}
	for _, name := range []string{results.TimeseriesFile, results.FirmsFile, results.EventsFile, "plots", "report.html"} {
		for _, dir := range []string{"pq", "merged"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("%s/%s written with --format parquet", dir, name)
			}
		}
	}
	if !strings.Contains(string(read("pq", results.ScenarioFile)), `format = "parquet"`) {
		t.Error(`scenario.toml does not record the override: no format = "parquet"`)
	}
}

// TestSweepFormatParquet: a sweep's points hold Parquet files.
func TestSweepFormatParquet(t *testing.T) {
	inTempDir(t)
	writeFile(t, "sw.toml", sweepScenario)
	if code, _, errs := smesim(t, "sweep", "sw.toml", "--format", "parquet", "--out", "sw", "--plots", "none"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{results.FirmsParquet, results.RunsFile} {
		if _, err := os.Stat(filepath.Join("sw", "points", "0", name)); err != nil {
			t.Errorf("point 0: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join("sw", "points", "0", results.FirmsFile)); err == nil {
		t.Error("point 0 has firms.csv with --format parquet")
	}
}

func TestRunFormatBad(t *testing.T) {
	dir := inTempDir(t)
	for _, cmd := range []string{"run", "sweep"} {
		badInputOneLine(t, []string{cmd, "small", "--format", "xlsx", "--out", "res"}, `--format "xlsx": allowed csv, parquet, both`)
	}
	badInputOneLine(t, []string{"run", "small", "--format", "parquet", "--plots", "png", "--out", "res"}, "--plots", `output.format = "parquet"`, "--format both")
	writeFile(t, "bad.toml", "[output]\nformat = \"xlsx\"\n")
	badInputOneLine(t, []string{"run", "bad.toml", "--out", "res"}, "bad.toml:2", "output.format", `"xlsx" is not allowed: allowed csv, parquet, both`)
	os.Remove(filepath.Join(dir, "bad.toml"))
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d entries after refused runs", len(entries))
	}
}
