package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// optimiseArgs searches the 5 splits of arms.toml's two budgets from 1 to
// 4 replications: rungs of 5 splits × 1 replication, 3 × 1 more and 2 × 2
// more, and the measure, 2 splits × 2 arms × 4 fresh replications:
// 5 + 3 + 4 + 16 = 28 runs in 4 stages.
var optimiseArgs = []string{"optimise", "arms.toml", "-r", "4", "--first", "1", "--steps", "4", "--progress", "none"}

// optimiseFiles returns the files an optimisation writes in dir.
func optimiseFiles(t *testing.T, dir string) [2]string {
	t.Helper()
	var out [2]string
	for i, name := range []string{halvingFile, optimiseFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(data)
	}
	return out
}

// TestOptimiseShardsResumeAndMerge is issue 17's must-show 5 for the
// optimiser: each rung of its successive halving is a batch stored run by
// run, so an optimisation killed mid-rung resumes, and its shards, run
// stage by stage into one directory, give the same files as one process.
func TestOptimiseShardsResumeAndMerge(t *testing.T) {
	inTempDir(t)
	writeFile(t, "arms.toml", armsScenario)
	opt := func(out string, extra ...string) (string, string) {
		t.Helper()
		code, stdout, errs := smesim(t, append(append(optimiseArgs, "--out", out), extra...)...)
		if code != 0 {
			t.Fatalf("optimise --out %s %v: exit %d: %s", out, extra, code, errs)
		}
		return stdout, errs
	}
	out, _ := opt("whole")
	for _, want := range []string{"5 splits in steps of 1/4, successive halving from 1 to 4 replications: 3 rounds, 12 runs",
		"on 4 fresh replications (4 to 7)", "(28 run now)"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	whole := optimiseFiles(t, "whole")
	if got := strings.Count(whole[0], "\n"); got != 6 {
		t.Errorf("halving.csv has %d lines, want a header and 5 splits:\n%s", got, whole[0])
	}
	if !strings.HasPrefix(whole[1], "split,loans,guar,firms_saved,firms_saved_lo,firms_saved_hi,gain,gain_lo,gain_hi,fiscal_cost,") {
		t.Errorf("optimise.csv:\n%s", whole[1])
	}

	// Resume: the same command does nothing more; with a run lost (the
	// process killed before it was stored) it does that run alone.
	if out, _ = opt("whole"); !strings.Contains(out, "(0 run now)") {
		t.Errorf("resume: %s", out)
	}
	units, err := filepath.Glob(filepath.Join("whole", "rung-01", "units", "*.gob"))
	if err != nil || len(units) != 3 {
		t.Fatalf("rung-01 holds %d runs (%v), want 3", len(units), err)
	}
	if err := os.Remove(units[1]); err != nil {
		t.Fatal(err)
	}
	if out, _ = opt("whole"); !strings.Contains(out, "(1 run now)") {
		t.Errorf("resume after losing a run of rung 1: %s", out)
	}
	if got := optimiseFiles(t, "whole"); got != whole {
		t.Errorf("resumed files differ:\n%s\n%s", got[0], got[1])
	}

	// A shard, then the whole command: it does the runs the shard left.
	if out, _ = opt("part", "--shard", "0/2"); !strings.Contains(out, "shard 0/2 of stage 1 of 4 (rung-00)") || !strings.Contains(out, "3 run now; 2 runs of the stage are missing") {
		t.Errorf("shard 0/2 of rung 0: %s", out)
	}
	if out, _ = opt("part"); !strings.Contains(out, "(25 run now)") {
		t.Errorf("whole after shard 0/2 of rung 0: %s", out)
	}
	if got := optimiseFiles(t, "part"); got != whole {
		t.Errorf("files after a shard and the whole command differ:\n%s\n%s", got[0], got[1])
	}

	// Two shards, stage after stage, then the whole command to write.
	stage := regexp.MustCompile(`stage (\d) of 4 \((rung-0\d|measure)\)`)
	var stages []string
	for k := 0; ; k++ {
		if k > 5 {
			t.Fatalf("the shards did not finish in 5 stages: %v", stages)
		}
		out0, _ := opt("sharded", "--shard", "0/2")
		if strings.Contains(out0, "every stage (4) of the optimisation") {
			break
		}
		out1, _ := opt("sharded", "--shard", "1/2")
		m0, m1 := stage.FindStringSubmatch(out0), stage.FindStringSubmatch(out1)
		if m0 == nil || m1 == nil || m0[0] != m1[0] || !strings.Contains(out1, "the stage is complete") {
			t.Fatalf("stage %d: shard 0: %s\nshard 1: %s", k, out0, out1)
		}
		stages = append(stages, m0[2])
	}
	if want := "rung-00 rung-01 rung-02 measure"; strings.Join(stages, " ") != want {
		t.Errorf("stages %v, want %s", stages, want)
	}
	if out, _ = opt("sharded"); !strings.Contains(out, "(0 run now)") {
		t.Errorf("writing after the shards: %s", out)
	}
	if got := optimiseFiles(t, "sharded"); got != whole {
		t.Errorf("sharded files differ from one process's:\n%s\n%s\n%s\n%s", got[0], got[1], whole[0], whole[1])
	}
	if _, err := os.Stat(filepath.Join("sharded", "rung-00")); !os.IsNotExist(err) {
		t.Errorf("the whole command made a batch directory for a complete stage: %v", err)
	}

	badInputOneLine(t, []string{"merge", "--out", "m", filepath.Join("sharded", "rung-00-shard-0-of-2")}, "a stage of smesim optimise")

	// Another optimisation is not resumed into the directory.
	badInputOneLine(t, append(append(optimiseArgs[:len(optimiseArgs):len(optimiseArgs)], "--out", "whole"), "--steps", "2"),
		"holds another optimisation")
	if err := os.Mkdir("other", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, "other/x.txt", "x")
	badInputOneLine(t, append(optimiseArgs[:len(optimiseArgs):len(optimiseArgs)], "--out", "other"), "is not an optimisation directory")
}
