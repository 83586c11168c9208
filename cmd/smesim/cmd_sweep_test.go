package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
)

// sweepScenario is a small sweep: 2 points × 2 arms × 3 replications.
const sweepScenario = `name = "sw"
seed = 3
replications = 3
steps = 30

[network]
chains = 2
cores_per_chain = 1
suppliers_per_chain = 10
raw_materials_per_chain = 16
distributors_per_chain = 16

[[shocks]]
kind = "demand"
market = "domestic"
start = "4w"
duration = "6w"
recovery = "6w"
shape = "linear"
depth = 0.3

[[interventions]]
kind = "policy-loan"
name = "loans"
end = "12w"
budget = 2e6
channel = "direct"

[sweep]
design = "grid"

[[sweep.parameters]]
key = "shocks.demand.depth"
values = [0.2, 0.45]
`

// treeFiles returns the files under dir (relative paths) whose bytes a
// batch's result must reproduce: sweep.csv and points/, leaving out
// meta.json, which records the command line.
func treeFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() || d.Name() == "meta.json" {
			return nil
		}
		if rel == "sweep.csv" || strings.HasPrefix(rel, "points"+string(filepath.Separator)) || filepath.Dir(rel) == "." && !strings.HasPrefix(rel, ".") {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[rel] = data
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d files vs %d", what, len(a), len(b))
	}
	for name, da := range a {
		db, ok := b[name]
		if !ok {
			t.Errorf("%s: %s missing", what, name)
			continue
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

// TestSweepSameBytes: one sweep run with 1 worker, with 4 workers, and as
// 3 shards merged gives the same sweep.csv and per-point files.
func TestSweepSameBytes(t *testing.T) {
	inTempDir(t)
	writeFile(t, "sw.toml", sweepScenario)
	if code, _, errs := smesim(t, "sweep", "sw.toml", "--out", "w1", "--workers", "1"); code != 0 {
		t.Fatalf("workers 1: exit %d: %s", code, errs)
	}
	ref := treeFiles(t, "w1")
	if _, ok := ref["sweep.csv"]; !ok || len(ref) < 5 {
		t.Fatalf("sweep wrote %d files: %v", len(ref), ref)
	}
	csv := string(ref["sweep.csv"])
	if !strings.HasPrefix(csv, "point,shocks.demand.depth,arm,metric,mean,lo,hi,sd,n\n") ||
		!strings.Contains(csv, "\n1,0.45,loans,firms_saved,") {
		t.Errorf("sweep.csv does not look right:\n%.400s", csv)
	}
	if code, _, errs := smesim(t, "sweep", "sw.toml", "--out", "w4", "--workers", "4"); code != 0 {
		t.Fatalf("workers 4: exit %d: %s", code, errs)
	}
	sameTree(t, "workers 4", ref, treeFiles(t, "w4"))
	var shards []string
	for i := 0; i < 3; i++ {
		dir := "shard-" + string(rune('0'+i))
		shards = append(shards, dir)
		code, out, errs := smesim(t, "sweep", "sw.toml", "--out", dir, "--shard", string(rune('0'+i))+"/3")
		if code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "sweep.csv")); err == nil {
			t.Errorf("shard %d wrote sweep.csv; only merge should: %s", i, out)
		}
	}
	// Merging all but one shard fails and names what is missing.
	if code, _, errs := smesim(t, "merge", "--out", "partial", shards[0], shards[1]); code != 2 || !strings.Contains(errs, "missing") {
		t.Errorf("merge of 2 of 3 shards: exit %d, %q; want exit 2 naming the missing runs", code, errs)
	}
	if code, _, errs := smesim(t, append([]string{"merge", "--out", "merged"}, shards...)...); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	sameTree(t, "3 shards merged", ref, treeFiles(t, "merged"))
}

// TestRunShardsMerge: smesim run --shard, merged, writes what smesim run
// writes.
func TestRunShardsMerge(t *testing.T) {
	inTempDir(t)
	if code, _, errs := smesim(t, "run", "small", "--out", "whole", "--replications", "4"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	for i := 0; i < 2; i++ {
		if code, _, errs := smesim(t, "run", "small", "--replications", "4", "--shard", string(rune('0'+i))+"/2", "--out", "s"+string(rune('0'+i))); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs)
		}
	}
	if code, _, errs := smesim(t, "merge", "--out", "merged", "s0", "s1"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	for _, f := range []string{"scenario.toml", "timeseries.csv", "firms.csv", "events.csv", "summary.json"} {
		a, err1 := os.ReadFile(filepath.Join("whole", f))
		b, err2 := os.ReadFile(filepath.Join("merged", f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between run and merged shards (%v, %v)", f, err1, err2)
		}
	}
}

// TestSweepResumeAfterSignal kills a sweep midway with SIGINT and resumes
// it: the resumed sweep's files equal an uninterrupted run's, and the
// interrupted directory holds no partial file.
func TestSweepResumeAfterSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals a subprocess")
	}
	pkg, err := os.Getwd() // the package's directory, before moving to a temporary one
	if err != nil {
		t.Fatal(err)
	}
	dir := inTempDir(t)
	bin := filepath.Join(dir, "smesim")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = pkg
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// A sweep long enough to interrupt: 6 points × 2 arms × 4 replications.
	src := strings.Replace(sweepScenario, "values = [0.2, 0.45]", "values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]", 1)
	src = strings.Replace(src, "replications = 3", "replications = 4", 1)
	src = strings.Replace(src, "steps = 30", "steps = 60", 1)
	writeFile(t, "sw.toml", src)
	if out, err := exec.Command(bin, "sweep", "sw.toml", "--out", "ref", "--progress", "none").CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted sweep: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "sweep", "sw.toml", "--out", "cut", "--workers", "1", "--progress", "json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt after a few runs are stored.
	deadline := time.Now().Add(60 * time.Second)
	for {
		entries, _ := os.ReadDir(filepath.Join("cut", "units"))
		if len(entries) >= 5 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no runs stored within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("interrupted sweep: %v, want exit 130; stderr %s", err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join("cut", "sweep.csv")); err == nil {
		t.Fatal("an interrupted sweep wrote sweep.csv")
	}
	// Nothing half-written: no temporary files, and every unit file is
	// logged with its hash.
	units, _ := os.ReadDir(filepath.Join("cut", "units"))
	for _, u := range units {
		if strings.HasPrefix(u.Name(), ".") {
			t.Errorf("temporary file left: %s", u.Name())
		}
	}
	log, _ := os.ReadFile(filepath.Join("cut", "units.log"))
	if got := strings.Count(string(log), "\n"); got != len(units) || got >= 48 {
		t.Errorf("%d runs logged, %d unit files: want the same number, fewer than all 48", got, len(units))
	}
	out, err := exec.Command(bin, "sweep", "sw.toml", "--out", "cut", "--progress", "none").CombinedOutput()
	if err != nil {
		t.Fatalf("resumed sweep: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "run now") || strings.Contains(string(out), "(48 run now") {
		t.Errorf("the resumed sweep did not skip finished runs: %s", out)
	}
	sameTree(t, "resumed", treeFiles(t, "ref"), treeFiles(t, "cut"))
}

// TestResumeRefusesChangedNetworkFile: a batch is identified by the
// content of the files its scenario names, not only by the scenario's
// text, so that runs of an edited network CSV are not mixed with runs of
// the old one (issue 13, defect 7: merged output_lost 28.5M against 70.8M
// and 0.35M for the two honest runs). A shard is run, the edge file
// changes, and the same command refuses to resume.
func TestResumeRefusesChangedNetworkFile(t *testing.T) {
	inTempDir(t)
	if err := os.Mkdir("net", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, "net/scenario.toml", "name = \"net\"\nreplications = 2\nsteps = 10\nshocks = []\n\n[network]\ngenerator = \"file\"\nedges_file = \"edges.csv\"\nfirms_file = \"firms.csv\"\n")
	writeFile(t, "net/firms.csv", "id,kind,role,sector\nf1,sme,supplier,parts\nf2,core,manufacturer,goods\nf3,sme,supplier,parts\nf4,sme,distributor,retail\n")
	writeFile(t, "net/edges.csv", "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,0.5\nf2,f4,1\n")
	args := []string{"run", "net/scenario.toml", "--shard", "0/2", "--out", "shard0", "--plots", "none"}
	if code, _, errs := smesim(t, args...); code != 0 {
		t.Fatalf("first shard: exit %d: %s", code, errs)
	}
	// Resuming with the same files is fine.
	if code, _, errs := smesim(t, args...); code != 0 {
		t.Fatalf("resume with the same files: exit %d: %s", code, errs)
	}
	writeFile(t, "net/edges.csv", "supplier,buyer,weight\nf1,f2,0.25\nf3,f2,0.75\nf2,f4,1\n")
	code, _, errs := smesim(t, args...)
	if code != 2 {
		t.Fatalf("resume after edges.csv changed: exit %d, want 2: %s", code, errs)
	}
	oneErrorLine(t, errs, "shard0 holds runs of the same scenario with other input files: input/network-edges.csv changed (sha256 ", "restore the files to resume, or choose another --out")
}

// TestSweepPlanBuildsPointsLazily: a sweep's plan holds its points' values,
// not their scenarios, which are built when a point runs or is written
// (issue 13, defect 5: a 1,000,000-point grid built ~10 GB of point
// scenarios before any run).
func TestSweepPlanBuildsPointsLazily(t *testing.T) {
	src := "name = \"grid\"\n\n[[sweep.parameters]]\nkey = \"shocks.demand.depth\"\nmin = 0.1\nmax = 0.5\nsteps = 50\n\n" +
		"[[sweep.parameters]]\nkey = \"firms.recovery_rate\"\nmin = 0\nmax = 1\nsteps = 50\n"
	cfg, err := scenarios.Parse("grid.toml", []byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := planOf(batch.KindSweep, cfg, nil, "grid.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Points) != 2500 {
		t.Fatalf("%d points, want 2500", len(plan.Points))
	}
	for i, p := range plan.Points {
		if p.Config != nil || p.Scenario != nil || p.Values != nil {
			t.Fatalf("point %d is built before it runs", i)
		}
	}
	for _, c := range []struct {
		i              int
		values         string
		depth, recover float64
	}{{0, "0.1 0", 0.1, 0}, {51, "0.108163265306122 0.0204081632653061", 0.108163265306122, 0.0204081632653061}, {2499, "0.5 1", 0.5, 1}} {
		pt, err := plan.Point(c.i)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(pt.Values, " "); got != c.values || pt.Config.Shocks[0].Depth != c.depth || pt.Config.Firms.RecoveryRate != c.recover {
			t.Errorf("point %d: values %s, depth %g, recovery rate %g; want %s", c.i, got, pt.Config.Shocks[0].Depth, pt.Config.Firms.RecoveryRate, c.values)
		}
		if !strings.Contains(string(pt.Scenario), "recovery_rate = "+strconv.FormatFloat(c.recover, 'g', -1, 64)) {
			t.Errorf("point %d: scenario.toml does not set recovery_rate = %g", c.i, c.recover)
		}
	}
}

// TestMergeFileNetworkShards: the shards of a file network, moved to
// another folder, merge into the result files of the unsharded run, since
// a batch directory holds copies of its input files; a shard run on a
// changed edge file is refused (issue 13, defect 7: merged output_lost
// 28.5M against 70.8M and 0.35M for the two honest runs).
func TestMergeFileNetworkShards(t *testing.T) {
	inTempDir(t)
	for _, d := range []string{"net", "a"} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, "net/scenario.toml", "name = \"net\"\nreplications = 3\nsteps = 12\nshocks = []\n\n[network]\ngenerator = \"file\"\nedges_file = \"edges.csv\"\nfirms_file = \"firms.csv\"\n")
	writeFile(t, "net/firms.csv", "id,kind,role,sector\nf1,sme,supplier,parts\nf2,core,manufacturer,goods\nf3,sme,supplier,parts\nf4,sme,distributor,retail\n")
	writeFile(t, "net/edges.csv", "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,0.5\nf2,f4,1\n")
	for _, shard := range []string{"0/2", "1/2"} {
		if code, _, errs := smesim(t, "run", "net/scenario.toml", "--shard", shard, "--out", "a/shard"+shard[:1], "--plots", "none"); code != 0 {
			t.Fatalf("shard %s: exit %d: %s", shard, code, errs)
		}
	}
	if err := os.Rename("a", "b"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := smesim(t, "merge", "--out", "merged", "--plots", "none", "b/shard0", "b/shard1"); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if code, _, errs := smesim(t, "run", "net/scenario.toml", "--out", "whole", "--plots", "none"); code != 0 {
		t.Fatalf("unsharded run: exit %d: %s", code, errs)
	}
	for _, f := range []string{"timeseries.csv", "firms.csv", "events.csv", "summary.json"} {
		a, errA := os.ReadFile(filepath.Join("merged", f))
		b, errB := os.ReadFile(filepath.Join("whole", f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: merged and unsharded differ (%v, %v)", f, errA, errB)
		}
	}
	writeFile(t, "net/edges.csv", "supplier,buyer,weight\nf1,f2,0.25\nf3,f2,0.75\nf2,f4,1\n")
	if code, _, errs := smesim(t, "run", "net/scenario.toml", "--shard", "1/2", "--out", "changed1", "--plots", "none"); code != 0 {
		t.Fatalf("shard 1 on the changed file: exit %d: %s", code, errs)
	}
	code, _, errs := smesim(t, "merge", "--out", "mixed", "--plots", "none", "b/shard0", "changed1")
	if code != 2 {
		t.Fatalf("merging shards of other files: exit %d, want 2: %s", code, errs)
	}
	oneErrorLine(t, errs, "changed1 holds runs of the same scenario as b/shard0 with other input files (input/network-edges.csv changed (sha256 ", "shards must be run on the same files")
	if _, err := os.Stat("mixed"); err == nil {
		t.Error("a refused merge left its --out")
	}
}

// TestBatchRunsFromCopies: the runs of a file network's batch read the
// copies of its files in the batch directory, the files whose hashes
// identify the batch, so that editing the originals while it runs cannot
// mix two networks in one batch.
func TestBatchRunsFromCopies(t *testing.T) {
	dir := inTempDir(t)
	if err := os.Mkdir("net", 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, "net/sw.toml", "name = \"net\"\nsteps = 12\nshocks = []\n\n[network]\ngenerator = \"file\"\nedges_file = \"edges.csv\"\nfirms_file = \"firms.csv\"\n\n[[sweep.parameters]]\nkey = \"firms.recovery_rate\"\nvalues = [0.2, 0.6]\n")
	writeFile(t, "net/firms.csv", "id,kind,role,sector\nf1,sme,supplier,parts\nf2,core,manufacturer,goods\nf3,sme,supplier,parts\nf4,sme,distributor,retail\n")
	writeFile(t, "net/edges.csv", "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,0.5\nf2,f4,1\n")
	cfg, err := openScenario("net/sw.toml")
	if err != nil {
		t.Fatal(err)
	}
	plan, _, err := planOf(batch.KindSweep, cfg, nil, "net/sw.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := runFromCopies(plan, "out"); err != nil {
		t.Fatal(err)
	}
	for i := range plan.Points {
		c := plan.PointConfig(i)
		if c.Network.EdgesFile != "input/network-edges.csv" || c.Network.FirmsFile != "input/network-firms.csv" || c.Dir != filepath.Join(dir, "out") {
			t.Errorf("point %d reads %s and %s in %s", i, c.Network.EdgesFile, c.Network.FirmsFile, c.Dir)
		}
	}
	want := []batch.FileCopy{{From: filepath.Join("net", "edges.csv"), To: "input/network-edges.csv"}, {From: filepath.Join("net", "firms.csv"), To: "input/network-firms.csv"}}
	if !reflect.DeepEqual(plan.Copies, want) {
		t.Errorf("copies %v, want %v", plan.Copies, want)
	}
}
