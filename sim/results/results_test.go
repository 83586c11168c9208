package results

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixtureNetwork: one chain of a raw-material SME, two supplier SMEs, a core
// manufacturer and a distributor; one firm name needs CSV quoting.
func fixtureNetwork(t *testing.T) *network.Network {
	t.Helper()
	firms := []network.Firm{
		{Name: "raw", Kind: network.SME, Role: network.RoleRawMaterial, Sector: 0, Chain: 0, ExportMarket: -1},
		{Name: "Acme, Ltd", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, Chain: 0, ExportMarket: -1},
		{Name: "parts2", Kind: network.SME, Role: network.RoleSupplier, Sector: 1, Chain: 0, ExportMarket: -1},
		{Name: "core", Kind: network.Core, Role: network.RoleManufacturer, Sector: 2, Chain: 0, ExportMarket: -1},
		{Name: "dist", Kind: network.SME, Role: network.RoleDistributor, Sector: 3, Chain: -1, FinalDemand: 100, ExportMarket: -1},
	}
	edges := []network.Edge{
		{Supplier: 0, Buyer: 1, Weight: 1},
		{Supplier: 0, Buyer: 2, Weight: 1},
		{Supplier: 1, Buyer: 3, Weight: 0.5},
		{Supplier: 2, Buyer: 3, Weight: 0.5},
		{Supplier: 3, Buyer: 4, Weight: 1},
	}
	net, err := network.Build(firms, edges, []string{"ore", "parts", "assembly", "retail"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func fixtureResult(net *network.Network, arm string, rep int, failed map[int32]int32, events []outcome.Event) *outcome.Result {
	const steps = 4
	r := &outcome.Result{
		Arm: arm, Replication: rep, Network: net, StepDays: 7,
		StartDate: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ShockStep: 2,
		Metrics: []string{"active_firms", "output", "bank_losses", "fiscal_cost"},
	}
	active := 5.0
	for s := 0; s < steps; s++ {
		for _, fs := range failed {
			if int(fs) == s {
				active--
			}
		}
		out := 100.0 + float64(rep)
		if s >= 2 {
			out = 70 - 0.125*float64(s) + float64(rep)
		}
		// Banks lose at step 3: 30 (+10 a replication) on the baseline, 10
		// under an intervention, which costs 500 (+100 a replication) at
		// steps 2 and 3.
		var losses, fiscal float64
		if s == 3 {
			losses = 30 + 10*float64(rep)
			if arm != "baseline" {
				losses = 10
			}
		}
		if s >= 2 && arm != "baseline" {
			fiscal = 500 + 100*float64(rep)
		}
		r.Series = append(r.Series, active, out, losses, fiscal)
	}
	n := net.N()
	r.Firms = outcome.FirmOutcomes{
		Status: make([]outcome.Status, n), FailStep: make([]int32, n), Cause: make([]outcome.Cause, n),
		RevenueChange: make([]float64, n), RunwayMonths: make([]float64, n), Jobs: make([]float64, n),
	}
	for i := 0; i < n; i++ {
		r.Firms.FailStep[i] = -1
		r.Firms.RevenueChange[i] = -0.1 * float64(i+rep)
		r.Firms.RunwayMonths[i] = 1.5 + float64(i)/3
		r.Firms.Jobs[i] = 10 * float64(i+1)
		if fs, ok := failed[int32(i)]; ok {
			r.Firms.Status[i], r.Firms.FailStep[i], r.Firms.Cause[i] = outcome.Failed, fs, outcome.Illiquid
			r.Firms.RevenueChange[i] = -1
		}
	}
	r.Events = events
	return r
}

// fixture returns four results of two arms, deliberately out of order.
func fixture(t *testing.T) []*outcome.Result {
	net := fixtureNetwork(t)
	b0 := fixtureResult(net, "baseline", 0, map[int32]int32{1: 2, 3: 3, 0: 3}, []outcome.Event{
		{Step: 2, Firm: 1, Cause: outcome.Illiquid, Channels: outcome.ChannelDemand | outcome.ChannelCredit, Generation: 0, Cascade: 1},
		{Step: 3, Firm: 3, Cause: outcome.Illiquid, Channels: outcome.ChannelLostSupply, Parents: []int32{1}, Generation: 1, Cascade: 1},
		{Step: 3, Firm: 0, Cause: outcome.Illiquid, Channels: outcome.ChannelBadDebt | outcome.ChannelLostOrders, Parents: []int32{1, 3}, Generation: 2, Cascade: 1},
	})
	b1 := fixtureResult(net, "baseline", 1, map[int32]int32{4: 2}, []outcome.Event{
		{Step: 2, Firm: 4, Cause: outcome.Illiquid, Channels: outcome.ChannelDemand, Generation: 0, Cascade: 4},
	})
	s0 := fixtureResult(net, "scf", 0, map[int32]int32{1: 2}, []outcome.Event{
		{Step: 2, Firm: 1, Cause: outcome.Illiquid, Channels: outcome.ChannelDemand, Generation: 0, Cascade: 1},
	})
	s1 := fixtureResult(net, "scf", 1, nil, nil)
	// The budget runs out at step 3 of replication 1 only.
	s0.Interventions = []outcome.InterventionOutcome{{Name: "scf", Kind: config.KindSupplyChainFinance, Budget: 5000, Used: 4000, FiscalCost: 1000, ExhaustedStep: -1, Firms: 2}}
	s1.Interventions = []outcome.InterventionOutcome{{Name: "scf", Kind: config.KindSupplyChainFinance, Budget: 5000, Used: 5000, FiscalCost: 1200, ExhaustedStep: 3, Firms: 3}}
	return []*outcome.Result{b1, s1, b0, s0}
}

var fixtureTOML = []byte("name = \"fixture\"\nseed = 7\n")

var fixtureMeta = Meta{Version: "v0.0.0-test", GoVersion: "go-test", Command: []string{"smesim", "run", "fixture.toml"}, Seed: 7}

var allFiles = []string{ScenarioFile, TimeseriesFile, FirmsFile, EventsFile, RunsFile, SummaryFile, MetaFile}

func TestWriteDirGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := writeDir(dir, fixtureTOML, fixture(t), fixtureMeta); err != nil {
		t.Fatal(err)
	}
	for _, name := range append(slices.Clone(allFiles), NetworkFirmsFile, NetworkEdgesFile) {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", filepath.FromSlash(name)+".golden")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, golden, got, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(allFiles)+1 { // and network/
		t.Errorf("%d files in %s, want %d", len(entries), dir, len(allFiles)+1)
	}
}

func TestWriteDirDeterministic(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	if err := writeDir(a, fixtureTOML, fixture(t), Meta{Command: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	// Same results, replications of an arm in another order, another command line.
	rs := fixture(t)
	rs[0], rs[2] = rs[2], rs[0] // same arm order, replications swapped
	if err := writeDir(b, fixtureTOML, rs, Meta{Command: []string{"y"}}); err != nil {
		t.Fatal(err)
	}
	for _, name := range allFiles[:len(allFiles)-1] {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two writes of the same results", name)
		}
	}
	m, err := ReadMeta(a)
	if err != nil {
		t.Fatal(err)
	}
	if m.GoVersion == "" || m.Version == "" || len(m.ScenarioSHA256) != 64 {
		t.Errorf("meta not filled: %+v", m)
	}
}

// noLeftovers fails if anything but the names in keep is in parent.
func noLeftovers(t *testing.T, parent string, keep ...string) {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
outer:
	for _, e := range entries {
		for _, k := range keep {
			if e.Name() == k {
				continue outer
			}
		}
		t.Errorf("left behind in %s: %s", parent, e.Name())
	}
}

func TestWriteDirAtomicOnFailure(t *testing.T) {
	for _, failAt := range allFiles {
		t.Run(failAt, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			boom := errors.New("disk full (injected)")
			afterFile = func(name string) error {
				if name == failAt {
					return boom
				}
				return nil
			}
			defer func() { afterFile = nil }()
			err := writeDir(dir, fixtureTOML, fixture(t), fixtureMeta)
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v, want the injected error", err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after a failed write", dir)
			}
			noLeftovers(t, parent)
		})
	}
}

func TestWriteDirRejectsInconsistentResults(t *testing.T) {
	cases := map[string]func(rs []*outcome.Result){
		"series not whole steps": func(rs []*outcome.Result) { rs[0].Series = rs[0].Series[:len(rs[0].Series)-1] },
		"firm outcomes short":    func(rs []*outcome.Result) { rs[1].Firms.Jobs = rs[1].Firms.Jobs[:2] },
		"event firm out of range": func(rs []*outcome.Result) {
			rs[2].Events[0].Firm = 99
		},
		"metrics differ in arm":          func(rs []*outcome.Result) { rs[2].Metrics = []string{"a", "b"} },
		"duplicate replication":          func(rs []*outcome.Result) { rs[2].Replication = 1 },
		"nil network":                    func(rs []*outcome.Result) { rs[3].Network = nil },
		"replication without a baseline": func(rs []*outcome.Result) { rs[1].Replication = 5 },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "out")
			rs := fixture(t)
			spoil(rs)
			if err := writeDir(dir, fixtureTOML, rs, fixtureMeta); err == nil {
				t.Fatal("no error")
			}
			noLeftovers(t, parent)
		})
	}
	if err := writeDir(filepath.Join(t.TempDir(), "out"), fixtureTOML, nil, fixtureMeta); err == nil {
		t.Error("no error for no results")
	}
}

func TestWriteDirRefusesNonEmpty(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(keep, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeDir(dir, fixtureTOML, fixture(t), fixtureMeta)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v, want a refusal naming %s", err, dir)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "keep me" {
		t.Errorf("existing file touched: %q, %v", b, err)
	}
	noLeftovers(t, parent, "out")
	if err := CheckFree(dir); err == nil {
		t.Error("CheckFree accepts a non-empty directory")
	}

	// A regular file in the way is refused too.
	file := filepath.Join(parent, "file")
	os.WriteFile(file, nil, 0o644)
	if err := writeDir(file, fixtureTOML, fixture(t), fixtureMeta); err == nil {
		t.Error("no error writing over a regular file")
	}
}

func TestWriteDirReplacesEmptyAndMakesParent(t *testing.T) {
	parent := t.TempDir()
	empty := filepath.Join(parent, "empty")
	os.Mkdir(empty, 0o755)
	if err := writeDir(empty, fixtureTOML, fixture(t), fixtureMeta); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(empty, SummaryFile)); err != nil {
		t.Error(err)
	}
	nested := filepath.Join(parent, "a", "b", "out")
	if err := writeDir(nested, fixtureTOML, fixture(t), fixtureMeta); err != nil {
		t.Fatal(err)
	}
	noLeftovers(t, parent, "empty", "a")
}

func TestReadBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	rs := fixture(t)
	if err := writeDir(dir, fixtureTOML, rs, fixtureMeta); err != nil {
		t.Fatal(err)
	}
	ts, lay, err := ReadTimeseries(dir, Limits{Steps: 4, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	if lay.Steps != 4 || len(lay.Arms) != 2 {
		t.Errorf("layout %+v, want 4 steps of 2 arms", lay)
	}
	if len(ts) != 4*4*4 {
		t.Fatalf("%d timeseries rows, want 64", len(ts))
	}
	if r := ts[0]; r.Arm != "baseline" || r.Replication != 0 || r.Step != 0 || r.Date != "2020-01-01" || r.Metric != "active_firms" || r.Value != 5 {
		t.Errorf("first row %+v", r)
	}
	if r := ts[len(ts)-1]; r.Arm != "scf" || r.Replication != 1 || r.Step != 3 || r.Date != "2020-01-22" || r.Metric != "fiscal_cost" || r.Value != 600 {
		t.Errorf("last row %+v", r)
	}
	firms, err := ReadFirms(dir, lay)
	if err != nil {
		t.Fatal(err)
	}
	if len(firms) != 4*5 {
		t.Fatalf("%d firm rows, want 20", len(firms))
	}
	if f := firms[1]; f.Firm != "Acme, Ltd" || f.Status != "failed" || f.FailureStep != 2 || f.Cause != "illiquid" || f.Sector != "parts" || f.Chain != 0 {
		t.Errorf("firm row %+v", f)
	}
	if f := firms[4]; f.Chain != -1 || f.FailureStep != -1 || f.Status != "active" || f.Cause != "" {
		t.Errorf("active firm row %+v", f)
	}
	ev, err := ReadEvents(dir, lay)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 5 {
		t.Fatalf("%d events, want 5", len(ev))
	}
	if e := ev[2]; e.Firm != "raw" || e.Generation != 2 || e.Cascade != "Acme, Ltd" ||
		strings.Join(e.Parents, "|") != "Acme, Ltd|core" || strings.Join(e.Channels, "|") != "lost-orders|bad-debt" {
		t.Errorf("event %+v", e)
	}
	got, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Summarize(mustOrder(t, rs))
	if err != nil {
		t.Fatal(err)
	}
	if !sameSummary(*got, want) {
		t.Errorf("summary read back\n%+v\nwant\n%+v", *got, want)
	}
}

func mustOrder(t *testing.T, rs []*outcome.Result) []*outcome.Result {
	o, err := Ordered(rs)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// nearFloat allows for the 10 significant digits of the result files.
func nearFloat(a, b float64) bool {
	return sameFloat(a, b) || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func sameStats(a, b Stats) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Metric != y.Metric || x.N != y.N || !nearFloat(x.Mean, y.Mean) || !nearFloat(x.Lo, y.Lo) ||
			!nearFloat(x.Hi, y.Hi) || !nearFloat(x.SD, y.SD) {
			return false
		}
	}
	return true
}

func sameSummary(a, b Summary) bool {
	if a.Confidence != b.Confidence || len(a.Arms) != len(b.Arms) {
		return false
	}
	for i := range a.Arms {
		x, y := a.Arms[i], b.Arms[i]
		if x.Arm != y.Arm || x.Replications != y.Replications || !sameStats(x.Headline, y.Headline) ||
			!sameStats(x.Effects, y.Effects) || (x.Effects == nil) != (y.Effects == nil) || !sameStats(x.Final, y.Final) ||
			len(x.Interventions) != len(y.Interventions) {
			return false
		}
		for k := range x.Interventions {
			u, v := x.Interventions[k], y.Interventions[k]
			if u.Name != v.Name || u.Kind != v.Kind || !nearFloat(u.Budget, v.Budget) ||
				!sameStats(Stats{u.Used, u.FiscalCost, u.Firms}, Stats{v.Used, v.FiscalCost, v.Firms}) ||
				!nearFloat(u.ExhaustedShare, v.ExhaustedShare) || !nearFloat(u.ExhaustedStep, v.ExhaustedStep) {
				return false
			}
		}
	}
	return true
}

func TestDescribe(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		xs               []float64
		mean, lo, hi, sd float64
		n                int
	}{
		{nil, nan, nan, nan, nan, 0},
		{[]float64{nan}, nan, nan, nan, nan, 0},
		{[]float64{3}, 3, 3, 3, nan, 1},
		{[]float64{1, 2, 3, 4}, 2.5, 0.445739743239121, 4.554260256760879, 1.2909944487358056, 4},
		{[]float64{2, nan, 0}, 1, -11.706204736174696, 13.706204736174696, 1.4142135623730951, 2},
		{[]float64{5, 5, 5}, 5, 5, 5, 0, 3},
	}
	for _, c := range cases {
		s := Describe("m", c.xs)
		close := func(a, b float64) bool { return sameFloat(a, b) || math.Abs(a-b) < 1e-9 }
		if s.N != c.n || !close(s.Mean, c.mean) || !close(s.Lo, c.lo) || !close(s.Hi, c.hi) || !close(s.SD, c.sd) {
			t.Errorf("Describe(%v) = %+v, want mean %v lo %v hi %v sd %v n %d", c.xs, s, c.mean, c.lo, c.hi, c.sd, c.n)
		}
	}
}

func TestHeadline(t *testing.T) {
	rs := fixture(t)
	b0 := rs[2]
	h := Headline(b0)
	// Failed: raw (jobs 10), Acme (20), core (40).
	// Output 100 before step 2, then 69.75 and 69.625: lost 30.25 + 30.375.
	// Banks lose 30 at step 3; no fiscal cost.
	want := []float64{2, 1, 3, 70, 60.625, 3, 2, 30, 0}
	for i, name := range HeadlineMetrics {
		if !sameFloat(h[i], want[i]) {
			t.Errorf("%s = %v, want %v", name, h[i], want[i])
		}
	}
	h = Headline(rs[1]) // scf rep 1: no failures
	if h[Index(Failures)] != 0 || h[Index(LargestCascade)] != 0 || !math.IsNaN(h[Index(MeanCascadeDepth)]) ||
		h[Index(BankLosses)] != 10 || h[Index(FiscalCost)] != 1200 {
		t.Errorf("no-failure headline %v", h)
	}
	agg := fixtureResult(b0.Network, "x", 0, nil, nil)
	agg.Firms = outcome.FirmOutcomes{}
	agg.ShockStep = 0
	agg.Metrics = []string{"a", "b", "c", "d"} // no bank_losses, no fiscal_cost
	for i, v := range Headline(agg) {
		if !math.IsNaN(v) {
			t.Errorf("aggregate record: %s = %v, want NaN", HeadlineMetrics[i], v)
		}
	}
}

// Index returns the position of a headline metric.
func Index(name string) int {
	for i, n := range HeadlineMetrics {
		if n == name {
			return i
		}
	}
	return -1
}

func TestSummaryJSONNull(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	rs := fixture(t)[:1] // one replication: sd is null
	if err := writeDir(dir, fixtureTOML, rs, fixtureMeta); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, SummaryFile))
	if !bytes.Contains(b, []byte(`"sd": null`)) || bytes.Contains(b, []byte("NaN")) {
		t.Errorf("summary.json does not write NaN as null:\n%s", b)
	}
	s, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := s.Arms[0].Headline.Get(Failures)
	if !ok || st.N != 1 || st.Mean != 1 || st.Lo != 1 || st.Hi != 1 || !math.IsNaN(st.SD) {
		t.Errorf("failures %+v", st)
	}
}

// writeDir writes results held in memory, in any order, with WriteDir.
func writeDir(dir string, scenarioTOML []byte, rs []*outcome.Result, meta Meta) error {
	src, err := Ordered(rs)
	if err != nil {
		return err
	}
	_, err = WriteDir(dir, scenarioTOML, src, meta, nil)
	return err
}
