package results

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// TestAdditionalityColumnsAndSummary pairs an arm with the baseline of
// the same replication in firms.csv and summary.json.
func TestAdditionalityColumnsAndSummary(t *testing.T) {
	net := fixtureNetwork(t)
	b0 := fixtureResult(net, "baseline", 0, map[int32]int32{1: 2, 3: 3, 0: 3}, nil)
	b1 := fixtureResult(net, "baseline", 1, map[int32]int32{4: 2}, nil)
	a0 := fixtureResult(net, "loans", 0, map[int32]int32{1: 2, 2: 3}, nil)
	a1 := fixtureResult(net, "loans", 1, nil, nil)
	a0.Interventions = []outcome.InterventionOutcome{{Name: "loans", Kind: config.KindPolicyLoan, Budget: 2000, Used: 1000, Money: []float64{100, 200, 300, 0, 400}, ExhaustedStep: -1}}
	a1.Interventions = []outcome.InterventionOutcome{{Name: "loans", Kind: config.KindPolicyLoan, Budget: 2000, Used: 200, Money: []float64{0, 0, 150, 0, 50}, ExhaustedStep: -1}}
	dir := filepath.Join(t.TempDir(), "out")
	scenario := []byte("name = \"x\"\n[[interventions]]\nkind = \"policy-loan\"\nname = \"loans\"\n")
	if _, err := WriteDir(dir, scenario, Slice{b0, b1, a0, a1}, fixtureMeta, nil); err != nil {
		t.Fatal(err)
	}
	_, lay, err := ReadTimeseries(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadFirms(dir, lay)
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		support float64
		class   string
	}
	want := map[string]cell{
		"loans/0/raw": {100, "saved"}, "loans/0/Acme, Ltd": {200, "lost-anyway"}, "loans/0/parts2": {300, "harmed"},
		"loans/0/core": {0, ""}, "loans/0/dist": {400, "deadweight"},
		"loans/1/parts2": {150, "deadweight"}, "loans/1/dist": {50, "saved"},
	}
	for _, r := range rows {
		key := r.Arm + "/" + string(rune('0'+r.Replication)) + "/" + r.Firm
		w := want[key]
		if r.Support != w.support || r.Additionality != w.class {
			t.Errorf("%s: support %g, additionality %q; want %g, %q", key, r.Support, r.Additionality, w.support, w.class)
		}
	}
	sum, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	ad := sum.Get("loans").Interventions[0].Additionality
	if ad == nil {
		t.Fatal("no additionality in summary.json")
	}
	for _, c := range []struct {
		class        string
		firms, money float64
	}{{"saved", 1, 75}, {"deadweight", 1, 275}, {"lost-anyway", 0.5, 100}, {"harmed", 0.5, 150}} {
		got, _ := ad.Class(c.class)
		if got.Firms.Mean != c.firms || got.Money.Mean != c.money {
			t.Errorf("%s: %g firms with %g; want %g with %g", c.class, got.Firms.Mean, got.Money.Mean, c.firms, c.money)
		}
	}
	if share := ad.DeadweightShare.Mean; math.Abs(share-275.0/600) > 1e-9 {
		t.Errorf("deadweight share %g, want 275/600", share)
	}
	if sum.Get(config.BaselineArm).Interventions == nil || len(sum.Get(config.BaselineArm).Interventions) != 0 {
		t.Errorf("baseline interventions %v", sum.Get(config.BaselineArm).Interventions)
	}
}

// TestSupportColumnsParquet: with interventions, firms.parquet carries the
// support columns as firms.csv does (null where the CSV cell is empty),
// with and without the demography columns after them.
func TestSupportColumnsParquet(t *testing.T) {
	for _, demography := range []bool{false, true} {
		net := fixtureNetwork(t)
		b0 := fixtureResult(net, "baseline", 0, map[int32]int32{1: 2, 3: 3, 0: 3}, nil)
		a0 := fixtureResult(net, "loans", 0, map[int32]int32{1: 2, 2: 3}, nil)
		a0.Interventions = []outcome.InterventionOutcome{{Name: "loans", Kind: config.KindPolicyLoan, Budget: 2000, Used: 1000, Money: []float64{100, 200, 300, 0, 400}, ExhaustedStep: -1}}
		meta := fixtureMeta
		meta.Format, meta.Demography = FormatBoth, demography
		if demography {
			for _, r := range []*outcome.Result{b0, a0} {
				r.Firms.EnteredStep = []int32{-1, -1, 2, -1, 3}
			}
		}
		dir := filepath.Join(t.TempDir(), "out")
		scenario := []byte("name = \"x\"\n[[interventions]]\nkind = \"policy-loan\"\nname = \"loans\"\n")
		if _, err := WriteDir(dir, scenario, Slice{b0, a0}, meta, nil); err != nil {
			t.Fatal(err)
		}
		want := readCSVFile(t, filepath.Join(dir, FirmsFile))
		if got := want[0][len(FirmsHeader):][:2]; !slices.Equal(got, SupportColumns) {
			t.Fatalf("demography %v: firms.csv columns after the base %v, want %v first", demography, got, SupportColumns)
		}
		header, rows, kv, _ := readParquetAsCSV(t, filepath.Join(dir, FirmsParquet))
		if !slices.Equal(header, want[0]) || len(rows) != len(want)-1 {
			t.Fatalf("demography %v: firms.parquet columns %v and %d rows, firms.csv %v and %d", demography, header, len(rows), want[0], len(want)-1)
		}
		for i := range rows {
			if !slices.Equal(rows[i], want[i+1]) {
				t.Errorf("demography %v: firms.parquet row %d = %q, firms.csv has %q", demography, i+1, rows[i], want[i+1])
			}
		}
		if got := rows[5][len(FirmsHeader) : len(FirmsHeader)+2]; !slices.Equal(got, []string{"100", "saved"}) {
			t.Errorf("demography %v: first arm row's support, additionality = %q, want [100 saved]", demography, got)
		}
		for _, col := range SupportColumns {
			if kv["description."+col] == "" {
				t.Errorf("demography %v: firms.parquet column %s has no description", demography, col)
			}
		}
	}
}
