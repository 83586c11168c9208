package sim_test

import (
	"bufio"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// inoueTodoConfig is testdata/inouetodo/scenario.toml of the repository
// root in code: smesim with the mechanics of Inoue and Todo's simulator on
// its input files in dir.
func inoueTodoConfig(dir string) *config.Config {
	cfg := config.DefaultConfig()
	cfg.Step, cfg.Steps = units.MustDuration("1d"), 120
	cfg.Markets = nil
	cfg.Network = config.NetworkConfig{Generator: "file", Format: "inoue-todo",
		EdgesFile: "links.txt", FirmsFile: "affiliation.txt", FinalDemandFile: "final.txt"}
	cfg.Production.ImportShare = config.RoleValues{}
	cfg.Production.ExportShare = config.RoleValues{}
	cfg.Production.InventoryDays = 15
	cfg.Production.RestorationTime = units.MustDuration("6d")
	cfg.Production.SpareCapacity = 0
	cfg.Production.PlannedOutput = "last-production"
	cfg.Production.Inventories = "link"
	cfg.Finance.Enabled = false
	cfg.Shocks = []config.ShockConfig{{Kind: "capacity", Name: "damage table", DamageFile: "damage.txt", Shape: "step"}}
	cfg.Output.Record = "aggregate"
	cfg.Dir = dir
	return &cfg
}

// TestInoueTodoReference runs smesim on the input files of Inoue and
// Todo's ProductionNetworkSimulator (300 firms in 6 sectors, 3 suppliers
// in each of up to 3 input sectors, 21 firms losing 10–90% of capacity for
// 5–45 days) and compares total production every day with the path their
// simulator wrote for the same files, with proportional rationing
// (testdata/inouetodo/reference.txt: "day total", day −1 the baseline) and
// with final demand served last (reference-r1.txt). They were made by
//
//	go run testdata/inouetodo/gen.go -firms 300 -sectors 6 -seed 7 -damaged 0.1 -out DIR
//	proNet -m -t 120 -Z damage.txt -X reference.txt links.txt final.txt pini.txt affiliation.txt
//	proNet -m -R 1 -t 120 -Z damage.txt -X reference-r1.txt links.txt final.txt pini.txt affiliation.txt
//
// with proNet built from commit c4dd74d of
// github.com/HiroyasuInoue/ProductionNetworkSimulator (see
// testdata/inouetodo/compare.sh at the repository root). Issue 18,
// must-show 1.
func TestInoueTodoReference(t *testing.T) {
	dir := filepath.Join("testdata", "inouetodo")
	for _, c := range []struct{ rationing, reference string }{
		{"proportional", "reference.txt"},         // their default, -R 0
		{"final-demand-last", "reference-r1.txt"}, // their -R 1
	} {
		ref := readReference(t, filepath.Join(dir, c.reference))
		cfg := inoueTodoConfig(dir)
		cfg.Production.Rationing = c.rationing
		res, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := slices.Index(res.Metrics, "output")
		if got := res.Steps(); got != 120 || len(ref) != 121 {
			t.Fatalf("%d steps and %d reference days, want 120 and 121", got, len(ref))
		}
		worst, at := 0.0, 0
		for day := 0; day < 120; day++ {
			got, want := res.Value(day, m), ref[day+1]
			if d := math.Abs(got-want) / want; d > worst {
				worst, at = d, day
			}
		}
		// The damage must bite, or agreement would prove little.
		low := slices.Min(ref[1:]) / ref[0]
		t.Logf("%s: largest relative difference %.3g (day %d); output falls to %.3f of baseline", c.rationing, worst, at, low)
		if worst > 1e-9 {
			t.Errorf("%s: total production differs from Inoue and Todo's by %.3g (relative, day %d), want ≤ 1e-9", c.rationing, worst, at)
		}
		if low > 0.99 {
			t.Errorf("%s: output falls only to %.4f of baseline: the damage table has no effect", c.rationing, low)
		}
	}
}

// TestInoueTodoNeedsTheirMechanics checks that the options matter: with
// smesim's default stocks pooled per sector and orders that follow fill
// rates, or planning on smoothed demand, the path leaves theirs.
func TestInoueTodoNeedsTheirMechanics(t *testing.T) {
	dir := filepath.Join("testdata", "inouetodo")
	ref := readReference(t, filepath.Join(dir, "reference.txt"))
	for _, c := range []struct {
		name string
		set  func(*config.Config)
	}{
		{"sector inventories", func(c *config.Config) { c.Production.Inventories = "sector" }},
		{"smoothed-demand planning", func(c *config.Config) { c.Production.PlannedOutput = "smoothed-demand" }},
	} {
		cfg := inoueTodoConfig(dir)
		c.set(cfg)
		res, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := slices.Index(res.Metrics, "output")
		worst := 0.0
		for day := 0; day < 120; day++ {
			worst = math.Max(worst, math.Abs(res.Value(day, m)-ref[day+1])/ref[day+1])
		}
		t.Logf("%s: largest relative difference %.3g", c.name, worst)
		if worst < 1e-6 {
			t.Errorf("%s: agrees with Inoue and Todo's path within %.3g: the option would not be needed", c.name, worst)
		}
	}
}

// readReference reads "day total" lines, in order.
func readReference(t *testing.T, path string) []float64 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		if len(w) != 2 {
			t.Fatalf("%s: line %q", path, sc.Text())
		}
		v, err := strconv.ParseFloat(w[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
