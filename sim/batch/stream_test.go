package batch

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/results"
)

// TestUnitHoldsNoNetwork: a stored run never holds its network, which is
// rebuilt from the scenario (a 10⁶-firm network is not copied per run).
func TestUnitHoldsNoNetwork(t *testing.T) {
	net := reflect.TypeOf((*network.Network)(nil))
	var walk func(reflect.Type, string)
	seen := map[reflect.Type]bool{}
	walk = func(ty reflect.Type, path string) {
		if ty == net || ty == net.Elem() {
			t.Errorf("unit holds a network at %s", path)
			return
		}
		if seen[ty] {
			return
		}
		seen[ty] = true
		switch ty.Kind() {
		case reflect.Struct:
			for i := 0; i < ty.NumField(); i++ {
				walk(ty.Field(i).Type, path+"."+ty.Field(i).Name)
			}
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(ty.Elem(), path+"[]")
		}
	}
	walk(reflect.TypeOf(unit{}), "unit")
}

// TestAggregateRuns: the runs of a scenario with output.record =
// "aggregate" are stored without firm outcomes and events, are read back
// without building a network, and give firms.csv and events.csv with their
// header only and the full record's timeseries.csv.
func TestAggregateRuns(t *testing.T) {
	firms := map[string]int{}
	write := func(record string) (string, *Sources) {
		plan := testPlan(t, 1)
		plan.Points[0].Config.Output.Record = record
		plan.Points[0].Scenario = []byte("record = " + record + "\n")
		plan.Scenario = plan.Points[0].Scenario
		s, err := Create(filepath.Join(t.TempDir(), "b"), plan)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := Execute(context.Background(), plan, s, Options{Workers: 2}); err != nil {
			t.Fatal(err)
		}
		src, err := Collect(plan, []*Store{s})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out")
		w, err := WriteRun(out, src, results.Meta{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		firms[record] = w.Firms
		return out, src
	}
	fullDir, _ := write("full")
	aggDir, src := write("aggregate")
	if firms["full"] != firms["aggregate"] || firms["full"] < 20 {
		t.Errorf("firms %v: want the network's size from the series too", firms)
	}
	st := src.Stream(0)
	for i := 0; i < st.Len(); i++ {
		r, err := st.Result(i)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Firms.Status) != 0 || r.Events != nil || r.Network != nil {
			t.Errorf("result %d: %d firm outcomes, %d events, network %v: want none", i, len(r.Firms.Status), len(r.Events), r.Network != nil)
		}
	}
	for _, n := range st.nets {
		if n != nil {
			t.Error("a network was built for aggregate results")
		}
	}
	read := func(dir, name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if read(fullDir, results.TimeseriesFile) != read(aggDir, results.TimeseriesFile) {
		t.Error("timeseries.csv differs between full and aggregate records")
	}
	for name, header := range map[string][]string{results.FirmsFile: results.FirmsHeader, results.EventsFile: results.EventsHeader} {
		if got := read(aggDir, name); got != strings.Join(header, ",")+"\n" {
			t.Errorf("%s = %.100q, want the header only", name, got)
		}
	}
	// Results() still gives every result its network.
	rs, err := src.Results(0)
	if err != nil || len(rs) != st.Len() || rs[1].Network == nil || rs[1].Network.N() != firms["full"] {
		t.Errorf("Results: %d results, %v; want %d with networks", len(rs), err, st.Len())
	}
}
