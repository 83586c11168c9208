package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// atlasScenario is a one-chain network of 31 firms with finance.
const atlasScenario = `name = "atlas"
seed = 5
replications = 1
steps = 60

[network]
chains = 1
cores_per_chain = 1
suppliers_per_chain = 8
raw_materials_per_chain = 12
distributors_per_chain = 10
`

func TestAtlasBadInput(t *testing.T) {
	inTempDir(t)
	writeFile(t, "a.toml", atlasScenario)
	writeFile(t, "nofin.toml", atlasScenario+"\n[finance]\nenabled = false\n")
	writeFile(t, "ess.csv", "input_sector,buyer_sector,essential\nparts-0,goods-0,false\nsteel,goods-0,true\n")
	writeFile(t, "ess-value.csv", "input_sector,buyer_sector,essential\nparts-0,goods-0,maybe\n")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown firm", []string{"atlas", "a.toml", "--out", "o", "--firms", "f0,nosuch"}, []string{"--firms", `"nosuch"`}},
		{"sample too large", []string{"atlas", "a.toml", "--out", "o", "--sample", "32"}, []string{"--sample 32", "31 firms"}},
		{"sample zero", []string{"atlas", "a.toml", "--out", "o", "--sample", "0"}, []string{"--sample 0", "at least 1"}},
		{"unknown sector", []string{"atlas", "a.toml", "--out", "o", "--essential", "ess.csv"}, []string{"ess.csv:3:", `input_sector "steel"`}},
		{"bad essential value", []string{"atlas", "a.toml", "--out", "o", "--essential", "ess-value.csv"}, []string{"ess-value.csv:2:", "true, false"}},
		{"missing essential file", []string{"atlas", "a.toml", "--out", "o", "--essential", "none.csv"}, []string{"--essential", "none.csv"}},
		{"no out", []string{"atlas", "a.toml"}, []string{"--out"}},
		{"unknown arm", []string{"atlas", "a.toml", "--out", "o", "--arm", "nosuch"}, []string{"--arm", "nosuch"}},
		{"top zero", []string{"atlas", "a.toml", "--out", "o", "--top", "0"}, []string{"--top 0"}},
		{"knockout-top zero", []string{"atlas", "a.toml", "--out", "o", "--knockout-top", "0"}, []string{"--knockout-top 0", "at least 1"}},
		{"knockout-top too large", []string{"atlas", "a.toml", "--out", "o", "--knockout-top", "32"}, []string{"--knockout-top 32", "31 firms"}},
		{"knockout-top beyond a sample", []string{"atlas", "a.toml", "--out", "o", "--sample", "5", "--knockout-top", "6"}, []string{"--knockout-top 6", "5 firms"}},
		{"knockout and knockout-top", []string{"atlas", "a.toml", "--out", "o", "--knockout", "--knockout-top", "2"}, []string{"--knockout and --knockout-top"}},
		{"shard without knockout", []string{"atlas", "a.toml", "--out", "o", "--shard", "0/2"}, []string{"--shard and --merge", "--knockout"}},
		{"bad shard", []string{"atlas", "a.toml", "--out", "o", "--knockout", "--shard", "2/2"}, []string{"--shard", "0 ≤ I < N"}},
		{"shard and merge", []string{"atlas", "a.toml", "--out", "o", "--knockout", "--shard", "0/2", "--merge", "x"}, []string{"--shard and --merge"}},
		{"merge of no shard", []string{"atlas", "a.toml", "--out", "o", "--knockout", "--merge", "nosuch"}, []string{"--merge nosuch"}},
		{"unknown what-if", []string{"atlas", "a.toml", "--out", "o", "--what-if", "nosuch"}, []string{"--what-if", "second-supplier[=K] or drop-guarantee=ID"}},
		{"what-if K zero", []string{"atlas", "a.toml", "--out", "o", "--what-if", "second-supplier=0"}, []string{"--what-if", "at least 1"}},
		{"what-if unknown core", []string{"atlas", "a.toml", "--out", "o", "--what-if", "drop-guarantee=nosuch"}, []string{"drop-guarantee", "no firm"}},
		{"what-if no guarantees", []string{"atlas", "a.toml", "--out", "o", "--what-if", "drop-guarantee=f0"}, []string{"drop-guarantee", "guarantees no loans under arm baseline"}},
		{"knockout without finance", []string{"atlas", "nofin.toml", "--out", "o", "--knockout"}, []string{"--knockout", "finance off"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			badInputOneLine(t, c.args, c.want...)
			if _, err := os.Stat("o"); err == nil {
				t.Error("bad input left an output directory")
			}
		})
	}
}

func TestAtlasWrites(t *testing.T) {
	inTempDir(t)
	writeFile(t, "a.toml", atlasScenario)
	code, out, errs := smesim(t, "atlas", "a.toml", "--out", "o", "--plots", "svg", "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Share of firms carrying half of the total systemic risk") || !strings.Contains(out, "| 1 | f") {
		t.Errorf("summary lacks the half-share or the ranking:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join("o", "atlas.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 32 || lines[0] != strings.Join(atlasHeader, ",") {
		t.Fatalf("atlas.csv has %d lines, header %q", len(lines), lines[0])
	}
	for _, f := range []string{"atlas.md", "atlas-rank-size.svg"} {
		if _, err := os.Stat(filepath.Join("o", f)); err != nil {
			t.Error(err)
		}
	}
	// One worker writes the same bytes; --top keeps the K first by rank.
	if code, _, errs := smesim(t, "atlas", "a.toml", "--out", "p", "--plots", "none", "--workers", "1"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if b2, _ := os.ReadFile(filepath.Join("p", "atlas.csv")); string(b2) != string(b) {
		t.Error("atlas.csv differs between 1 and 2 workers")
	}
	if code, _, errs := smesim(t, "atlas", "a.toml", "--out", "q", "--plots", "none", "--top", "3", "--sample", "10", "--seed", "4"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	top, _ := os.ReadFile(filepath.Join("q", "atlas.csv"))
	if n := strings.Count(string(top), "\n"); n != 4 {
		t.Errorf("--top 3 wrote %d lines, want 4", n)
	}
	// --one-way leaves the combined columns empty and ranks by downstream.
	if code, out, errs := smesim(t, "atlas", "a.toml", "--out", "w", "--plots", "none", "--one-way"); code != 0 || !strings.Contains(out, "by ESRI, downstream") {
		t.Fatalf("--one-way: exit %d: %s%s", code, errs, out)
	}
	oneWay, _ := os.ReadFile(filepath.Join("w", "atlas.csv"))
	for _, line := range strings.Split(strings.TrimSuffix(string(oneWay), "\n"), "\n")[1:] {
		cells, full := strings.Split(line, ","), ""
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, cells[0]+",") {
				full = l
			}
		}
		fc := strings.Split(full, ",")
		if cells[8] != "" || cells[9] != "" || cells[10] != fc[10] || cells[11] != fc[11] || cells[12] != fc[12] {
			t.Errorf("--one-way row %q, full row %q", line, full)
		}
	}
	prev := 2.0
	for _, line := range strings.Split(strings.TrimSuffix(string(top), "\n"), "\n")[1:] {
		v, err := strconv.ParseFloat(strings.Split(line, ",")[8], 64)
		if err != nil || v > prev {
			t.Errorf("--top rows not by decreasing esri_output: %q", line)
		}
		prev = v
	}
}

// TestAtlasKnockout: the knock-out columns are filled for the firms
// simulated, the same with 1 and 2 workers, and --knockout-top K fills the
// K first by ESRI or DebtRank.
func TestAtlasKnockout(t *testing.T) {
	inTempDir(t)
	writeFile(t, "a.toml", atlasScenario)
	read := func(dir string, args ...string) []string {
		t.Helper()
		code, out, errs := smesim(t, append([]string{"atlas", "a.toml", "--out", dir, "--plots", "none"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, "Rank correlation (Spearman) with the knock-out's output lost") {
			t.Errorf("%v: summary lacks the rank correlation:\n%s", args, out)
		}
		b, err := os.ReadFile(filepath.Join(dir, "atlas.csv"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	all := read("k2", "--knockout", "--workers", "2")
	if one := read("k1", "--knockout", "--workers", "1"); strings.Join(one, "\n") != strings.Join(all, "\n") {
		t.Error("atlas.csv differs between 1 and 2 workers")
	}
	col := map[string]int{}
	for k, h := range strings.Split(all[0], ",") {
		col[h] = k
	}
	core := 0
	for _, line := range all[1:] {
		cells := strings.Split(line, ",")
		out, err := strconv.ParseFloat(cells[col["ko_output"]], 64)
		if err != nil || out <= 0 || out > 1 {
			t.Errorf("ko_output of %q not in (0,1]", line)
		}
		if cells[col["kind"]] == "core" {
			core++
			// The core's knock-out takes its suppliers with it.
			if n, _ := strconv.Atoi(cells[col["ko_cascade"]]); n == 0 || !strings.Contains(cells[col["ko_channels"]], "lost-orders") {
				t.Errorf("core knock-out without a cascade through lost orders: %q", line)
			}
		}
	}
	if core != 1 {
		t.Fatalf("%d core rows, want 1", core)
	}
	top := read("t", "--knockout-top", "3")
	simulated := 0
	for k, line := range top[1:] {
		cells := strings.Split(line, ",")
		if cells[col["ko_output"]] == "" {
			continue
		}
		simulated++
		if line != all[k+1] {
			t.Errorf("--knockout-top row %q differs from --knockout's %q", line, all[k+1])
		}
	}
	if simulated != 3 {
		t.Errorf("--knockout-top 3 simulated %d firms", simulated)
	}
}

// TestAtlasKnockoutShardResumeMerge: knock-outs killed midway and resumed,
// or run in two shards and merged, give the bytes of an unsharded atlas.
func TestAtlasKnockoutShardResumeMerge(t *testing.T) {
	inTempDir(t)
	writeFile(t, "a.toml", atlasScenario)
	atlasRun := func(args ...string) string {
		t.Helper()
		code, out, errs := smesim(t, append([]string{"atlas", "a.toml", "--plots", "none", "--knockout-top", "7"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		return out
	}
	files := func(dir string) string {
		t.Helper()
		var b strings.Builder
		for _, f := range []string{atlasCSV, atlasSummary} {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
		return b.String()
	}
	atlasRun("--out", "whole")
	want := files("whole")

	// A kill: the log keeps 3 runs and a torn line, one unit file is gone.
	atlasRun("--out", "killed")
	logPath := filepath.Join("killed", knockoutDir, "units.log")
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(log), "\n")
	writeFile(t, logPath, strings.Join(lines[:3], "")+lines[3][:5])
	os.Remove(filepath.Join("killed", knockoutDir, "units", "00000004.gob"))
	os.Remove(filepath.Join("killed", atlasCSV))
	atlasRun("--out", "killed")
	if got := files("killed"); got != want {
		t.Errorf("resumed atlas differs from the whole one:\n%s\nwant\n%s", got, want)
	}

	if out := atlasRun("--out", "s0", "--shard", "0/2"); !strings.Contains(out, "--merge") {
		t.Errorf("a shard does not say how to merge: %s", out)
	}
	if _, err := os.Stat(filepath.Join("s0", atlasCSV)); err == nil {
		t.Error("a shard wrote atlas.csv")
	}
	atlasRun("--out", "s1", "--shard", "1/2")
	// One shard is not all of it.
	code, _, errs := smesim(t, "atlas", "a.toml", "--plots", "none", "--knockout-top", "7", "--out", "part", "--merge", "s0", "--shard", "0/1")
	if code != 2 {
		t.Errorf("--merge with --shard: exit %d: %s", code, errs)
	}
	// smesim merge is for runs and sweeps: it says where atlas shards go.
	code, _, errs = smesim(t, "merge", "--out", "mm", filepath.Join("s0", knockoutDir), filepath.Join("s1", knockoutDir))
	if code != 2 || !strings.Contains(errs, "--merge") {
		t.Errorf("smesim merge of atlas shards: exit %d: %s", code, errs)
	}
	atlasRun("--out", "merged", "--merge", "s0,s1")
	if got := files("merged"); got != want {
		t.Errorf("merged atlas differs from the whole one:\n%s\nwant\n%s", got, want)
	}
	// Shards of other knock-outs are refused.
	atlasRun("--out", "other", "--shard", "0/2", "--replication", "0", "--knockout-top", "6")
	code, _, errs = smesim(t, "atlas", "a.toml", "--plots", "none", "--knockout-top", "7", "--out", "mix", "--merge", "other,s1")
	if code != 2 || !strings.Contains(errs, "--merge other") {
		t.Errorf("merging a shard of other knock-outs: exit %d: %s", code, errs)
	}
}

// TestAtlasWhatIf: with one supplier per input, a second supplier for the
// inputs of the top firm, with spare capacity to make up a lost one,
// lowers the total downstream ESRI, and atlas-what-if.csv has a row per
// firm.
func TestAtlasWhatIf(t *testing.T) {
	inTempDir(t)
	writeFile(t, "a.toml", atlasScenario+"multi_sourcing = 1\n")
	code, out, errs := smesim(t, "atlas", "a.toml", "--out", "o", "--plots", "none", "--substitution", "--what-if", "second-supplier=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var before, after float64
	for _, line := range strings.Split(out, "\n") {
		if cells := strings.Split(line, " | "); strings.HasPrefix(line, "| ESRI, downstream |") && len(cells) > 3 {
			before, _ = strconv.ParseFloat(cells[1], 64)
			after, _ = strconv.ParseFloat(cells[2], 64)
		}
	}
	if !strings.Contains(out, "What if: a second supplier for each of") || !(after < before) {
		t.Errorf("total downstream ESRI %v before, %v after:\n%s", before, after, out)
	}
	b, err := os.ReadFile(filepath.Join("o", atlasWhatIfCSV))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 32 {
		t.Errorf("%s has %d lines, want 32", atlasWhatIfCSV, n)
	}
}
