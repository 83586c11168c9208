package sim

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// usTable is the shipped real table: the 1997 U.S. benchmark use table in
// 15 sectors (testdata/iotables at the repository root).
var usTable = filepath.Join("..", "testdata", "iotables", "us1997.csv")

func ioTableConfig() *config.Config {
	cfg := config.DefaultConfig()
	cfg.Finance.Enabled = false
	cfg.Network = config.NetworkConfig{Generator: "io-table", Format: "csv", IOTableFile: usTable,
		Firms: 2000, MultiSourcing: 3, CoreShare: 0.02, FinalDemandDispersion: 1}
	cfg.Markets = nil
	cfg.Production.ImportShare = config.RoleValues{}
	cfg.Production.ExportShare = config.RoleValues{}
	cfg.Shocks = nil
	return &cfg
}

// TestIOTableBaseline builds a network of 2,000 firms from the shipped
// table and checks that at baseline the flows between sectors, each
// sector's final demand and output are the table's within 1e-9 (issue 18,
// must-show 2).
func TestIOTableBaseline(t *testing.T) {
	tab, err := network.ReadIOTable(usTable)
	if err != nil {
		t.Fatal(err)
	}
	e, err := newEngine(ioTableConfig(), 0)
	if err != nil {
		t.Fatal(err)
	}
	n := len(tab.Sectors)
	perYear := e.p.stepsPerYear
	flow := make([][]float64, n)
	for i := range flow {
		flow[i] = make([]float64, n)
	}
	for k, f := range e.baseFlows() {
		flow[e.net.Sector[e.net.Supplier[k]]][e.net.Sector[e.net.Buyer[k]]] += f * perYear
	}
	output, fd := make([]float64, n), make([]float64, n)
	for i := 0; i < e.net.N(); i++ {
		output[e.net.Sector[i]] += e.baseOutput[i] * perYear
		fd[e.net.Sector[i]] += (e.fdDomestic[i] + e.fdExport[i]) * perYear
	}
	worst := 0.0
	check := func(what string, got, want float64) {
		d := math.Abs(got-want) / math.Max(want, 1e-300)
		worst = math.Max(worst, d)
		if d > 1e-9 {
			t.Errorf("%s: %.10g, table %.10g (relative %.2g)", what, got, want, d)
		}
	}
	x := tab.Output()
	for i := range n {
		for j := range n {
			if tab.Flow[i][j] == 0 && flow[i][j] != 0 {
				t.Errorf("%s → %s: %g, table 0", tab.Sectors[i], tab.Sectors[j], flow[i][j])
			}
			if tab.Flow[i][j] > 0 {
				check(tab.Sectors[i]+" → "+tab.Sectors[j], flow[i][j], tab.Flow[i][j])
			}
		}
		check(tab.Sectors[i]+" final demand", fd[i], tab.FinalDemand[i])
		check(tab.Sectors[i]+" output", output[i], x[i])
	}
	t.Logf("%d firms, %d links: worst relative difference from the table %.2g", e.net.N(), e.net.E(), worst)
}

// TestIOTableLeontiefLimit cuts every final demand by a quarter for good
// and checks that each sector's output settles at the table's Leontief
// solution x = (I − A)⁻¹ 0.75 f, with A the table's coefficients.
func TestIOTableLeontiefLimit(t *testing.T) {
	tab, err := network.ReadIOTable(usTable)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ioTableConfig()
	cfg.Production.SpareCapacity = 100
	cfg.Steps = 800
	cfg.Shocks = []config.ShockConfig{{Kind: "demand", Market: "all", Depth: 0.25, Shape: "step",
		Start: units.MustDuration("10w"), Duration: units.MustDuration("100y")}}
	e, err := newEngine(cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.run("baseline"); err != nil {
		t.Fatal(err)
	}
	n := len(tab.Sectors)
	x := tab.Output()
	ia := mat.NewDense(n, n, nil)
	f := mat.NewVecDense(n, nil)
	for i := range n {
		ia.Set(i, i, 1)
		f.SetVec(i, 0.75*tab.FinalDemand[i])
		for j := range n {
			ia.Set(i, j, ia.At(i, j)-tab.Flow[i][j]/x[j])
		}
	}
	var want mat.VecDense
	if err := want.SolveVec(ia, f); err != nil {
		t.Fatal(err)
	}
	got := make([]float64, n)
	for i := 0; i < e.net.N(); i++ {
		got[e.net.Sector[i]] += e.output[i] * e.p.stepsPerYear
	}
	worst := 0.0
	for i := range n {
		d := math.Abs(got[i]-want.AtVec(i)) / want.AtVec(i)
		worst = math.Max(worst, d)
		if d > 1e-6 {
			t.Errorf("%s: output %.8g, Leontief %.8g (relative %.2g)", tab.Sectors[i], got[i], want.AtVec(i), d)
		}
	}
	t.Logf("worst relative difference from the Leontief solution %.2g", worst)
}

// TestLinkStocksThreads checks that stocks per link, a capacity shock by
// selectors and final demand served first give the same path on any
// number of threads, on a network of several chunks.
func TestLinkStocksThreads(t *testing.T) {
	cfg := ioTableConfig()
	cfg.Network.Firms = 3 * smallChunk // three chunks at least
	cfg.Steps = 30
	cfg.Production.Inventories = "link"
	cfg.Production.Rationing = "final-demand-first"
	cfg.Shocks = []config.ShockConfig{{Kind: "capacity", Depth: 0.5, Sectors: []string{"manufacturing"}, Shape: "step",
		Start: units.MustDuration("2w"), Duration: units.MustDuration("8w")}}
	var first []float64
	for _, threads := range []int{1, 3} {
		res, err := Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, Options{Threads: threads})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res.Series
			continue
		}
		if !slices.Equal(res.Series, first) {
			t.Errorf("%d threads: the time series differs from 1 thread's", threads)
		}
	}
}
