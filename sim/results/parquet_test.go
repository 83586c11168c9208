package results

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

// readParquetAsCSV reads a Parquet file of a result directory and returns
// its column names and rows as the CSV writer would write them: integers in
// decimal, numbers through FormatFloat, null as the empty cell. It also
// returns the file's key-value metadata and the rows of each row group.
func readParquetAsCSV(t *testing.T, path string) (header []string, rows [][]string, meta map[string]string, groups []int64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range pf.Schema().Fields() {
		header = append(header, field.Name())
	}
	meta = map[string]string{}
	for _, kv := range pf.Metadata().KeyValueMetadata {
		meta[kv.Key] = kv.Value
	}
	for _, rg := range pf.RowGroups() {
		groups = append(groups, rg.NumRows())
	}
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 16)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			cells := make([]string, len(row))
			for i, v := range row {
				switch {
				case v.IsNull():
					cells[i] = ""
				case v.Kind() == parquet.Int64:
					cells[i] = strconv.FormatInt(v.Int64(), 10)
				case v.Kind() == parquet.Double:
					cells[i] = FormatFloat(v.Double())
				case v.Kind() == parquet.ByteArray:
					cells[i] = string(v.ByteArray())
				default:
					t.Fatalf("%s: column %s of kind %v", path, header[i], v.Kind())
				}
			}
			rows = append(rows, cells)
		}
		if err != nil {
			break
		}
	}
	return header, rows, meta, groups
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestParquetEqualsCSV writes the fixture with output.format = "both" and
// checks that every Parquet file holds the columns and values of its CSV,
// with a unit and a description for every column (and, in timeseries, for
// every metric) and one row group per run.
func TestParquetEqualsCSV(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	meta := fixtureMeta
	meta.Format = FormatBoth
	if err := writeDir(dir, fixtureTOML, fixture(t), meta); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		csv, parquet string
		units        []Unit
		groups       []int64 // rows per row group
	}{
		{TimeseriesFile, TimeseriesParquet, TimeseriesUnits, nil},
		{FirmsFile, FirmsParquet, FirmsUnits, []int64{5, 5, 5, 5}},
		{EventsFile, EventsParquet, EventsUnits, []int64{3, 1, 1}},
		{RunsFile, RunsParquet, RunsUnits(), []int64{4}},
	} {
		want := readCSVFile(t, filepath.Join(dir, c.csv))
		header, rows, kv, groups := readParquetAsCSV(t, filepath.Join(dir, c.parquet))
		if !slices.Equal(header, want[0]) {
			t.Errorf("%s columns %v, want %v", c.parquet, header, want[0])
		}
		if len(rows) != len(want)-1 {
			t.Errorf("%s: %d rows, %s %d", c.parquet, len(rows), c.csv, len(want)-1)
		}
		for i := range min(len(rows), len(want)-1) {
			w := want[i+1]
			if c.csv == RunsFile { // runs.csv holds the numbers in full
				for k := 2; k < len(w); k++ {
					if w[k] != "" {
						v, _ := strconv.ParseFloat(w[k], 64)
						w[k] = FormatFloat(v)
					}
				}
			}
			if !slices.Equal(rows[i], w) {
				t.Errorf("%s row %d = %q, %s has %q", c.parquet, i+1, rows[i], c.csv, w)
			}
		}
		for _, col := range header {
			u, ok := unitOf(c.units, col)
			if !ok || kv["unit."+col] != u.Unit || kv["description."+col] != u.Description || u.Description == "" {
				t.Errorf("%s: column %s: metadata unit %q description %q", c.parquet, col, kv["unit."+col], kv["description."+col])
			}
		}
		if c.parquet == TimeseriesParquet {
			for _, m := range outcome.MetricNames() {
				if kv["unit.metric."+m] == "" || kv["description.metric."+m] == "" {
					t.Errorf("%s: no unit or description for metric %s", c.parquet, m)
				}
			}
		} else if !slices.Equal(groups, c.groups) {
			t.Errorf("%s: row groups of %v rows, want %v", c.parquet, groups, c.groups)
		}
	}
}

// TestParquetDeterministic writes the same results twice, in another
// order of replications and with another command line, and compares the
// bytes of the Parquet files and runs.csv.
func TestParquetDeterministic(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	if err := writeDir(a, fixtureTOML, fixture(t), Meta{Command: []string{"x"}, Format: FormatParquet}); err != nil {
		t.Fatal(err)
	}
	rs := fixture(t)
	rs[0], rs[2] = rs[2], rs[0]
	if err := writeDir(b, fixtureTOML, rs, Meta{Command: []string{"y"}, Format: FormatParquet}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{TimeseriesParquet, FirmsParquet, EventsParquet, RunsParquet, RunsFile} {
		x, errx := os.ReadFile(filepath.Join(a, name))
		y, erry := os.ReadFile(filepath.Join(b, name))
		if errx != nil || erry != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two writes of the same results (%v, %v)", name, errx, erry)
		}
	}
	// output.format = "parquet" writes no per-row CSV file but runs.csv.
	for _, name := range []string{TimeseriesFile, FirmsFile, EventsFile} {
		if _, err := os.Stat(filepath.Join(a, name)); err == nil {
			t.Errorf("%s written with output.format = parquet", name)
		}
	}
}

// TestParquetRowGroupsBounded writes a run of more rows than a row group
// holds: the rows are cut in row groups of parquetRowGroup rows, the run's
// last group holding the rest, so that memory stays bounded.
func TestParquetRowGroupsBounded(t *testing.T) {
	r := fixture(t)[0]
	T := parquetRowGroup/len(r.Metrics) + 5 // more steps than a row group holds rows
	series := make([]float64, 0, T*len(r.Metrics))
	for len(series) < cap(series) {
		series = append(series, float64(len(series)))
	}
	r.Series = series
	dir := filepath.Join(t.TempDir(), "out")
	if err := writeDir(dir, fixtureTOML, []*outcome.Result{r}, Meta{Format: FormatParquet}); err != nil {
		t.Fatal(err)
	}
	_, rows, _, groups := readParquetAsCSV(t, filepath.Join(dir, TimeseriesParquet))
	total := int64(T * len(r.Metrics))
	if want := []int64{parquetRowGroup, total - parquetRowGroup}; !slices.Equal(groups, want) {
		t.Errorf("row groups of %v rows, want %v", groups, want)
	}
	if last := rows[len(rows)-1]; last[5] != FormatFloat(float64(total-1)) {
		t.Errorf("last row %q, want value %d", last, total-1)
	}
}

// TestRunsRecomputeHeadline checks that the mean over an arm's rows of
// runs.csv, summed in row order over the defined values, is the headline
// mean of the summary exactly (the numbers are written in full), and
// summary.json's to its 10 digits; and that the rows are the arm's
// replications. The fixture's series are scaled so that output_lost and
// bank_losses have many digits.
func TestRunsRecomputeHeadline(t *testing.T) {
	rs := fixture(t)
	for _, r := range rs {
		for k := range r.Series {
			r.Series[k] = r.Series[k]*math.Pi/3 + float64(r.Replication)/7
		}
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := writeDir(dir, fixtureTOML, rs, fixtureMeta); err != nil {
		t.Fatal(err)
	}
	recs := readCSVFile(t, filepath.Join(dir, RunsFile))
	if !slices.Equal(recs[0], RunsHeader) {
		t.Fatalf("runs.csv header %v, want %v", recs[0], RunsHeader)
	}
	exact, err := Summarize(rs)
	if err != nil {
		t.Fatal(err)
	}
	written, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	checked, manyDigits := 0, 0
	for a, arm := range exact.Arms {
		var rows [][]string
		for _, rec := range recs[1:] {
			if rec[0] == arm.Arm {
				rows = append(rows, rec)
			}
		}
		if len(rows) != arm.Replications {
			t.Errorf("arm %s: %d rows in runs.csv, %d replications", arm.Arm, len(rows), arm.Replications)
		}
		for k, name := range HeadlineMetrics {
			var s float64
			n := 0
			for _, row := range rows {
				if row[2+k] == "" {
					continue
				}
				v, err := strconv.ParseFloat(row[2+k], 64)
				if err != nil {
					t.Fatal(err)
				}
				if len(row[2+k]) > 12 {
					manyDigits++
				}
				s += v
				n++
			}
			mean := math.NaN()
			if n > 0 {
				mean = s / float64(n)
			}
			same := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
			st, _ := arm.Headline.Get(name)
			if n != st.N || !same(mean, st.Mean) {
				t.Errorf("arm %s %s: runs.csv mean %v over %d, summary %v over %d", arm.Arm, name, mean, n, st.Mean, st.N)
			}
			wt, _ := written.Arms[a].Headline.Get(name)
			rounded, _ := ParseFloat(FormatFloat(mean))
			if !same(rounded, wt.Mean) {
				t.Errorf("arm %s %s: runs.csv mean %v, summary.json %v", arm.Arm, name, rounded, wt.Mean)
			}
			checked++
		}
	}
	if checked != 2*len(HeadlineMetrics) || manyDigits == 0 {
		t.Errorf("checked %d means, want %d; %d numbers of more than 12 characters", checked, 2*len(HeadlineMetrics), manyDigits)
	}
}

// TestUnitsCoverColumns checks that every recorded metric, headline metric
// and column of a result file has a unit entry, and nothing else does.
func TestUnitsCoverColumns(t *testing.T) {
	names := func(us []Unit) []string {
		var out []string
		for _, u := range us {
			if u.Description == "" {
				t.Errorf("%s has no description", u.Name)
			}
			out = append(out, u.Name)
		}
		return out
	}
	for _, c := range []struct {
		what string
		got  []string
		want []string
	}{
		{"time-series metrics", names(SeriesUnits), outcome.MetricNames()},
		{"headline metrics", names(HeadlineUnits), HeadlineMetrics},
		{"timeseries columns", names(TimeseriesUnits), TimeseriesHeader},
		{"firms columns", names(FirmsUnits), FirmsHeader},
		{"firms columns with demography", names(FirmsDemographyUnits), FirmsDemographyHeader},
		{"events columns", names(EventsUnits), EventsHeader},
		{"runs columns", names(RunsUnits()), RunsHeader},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("units of the %s: %v, want %v", c.what, c.got, c.want)
		}
	}
	for _, u := range SeriesUnits {
		if u.Unit == "" {
			t.Errorf("metric %s has no unit", u.Name)
		}
	}
}

// TestREADMEMetricTables checks that README.md shows the metric tables
// generated from the units tables, so that the docs cannot drift from
// the units the files carry.
func TestREADMEMetricTables(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, table := range map[string]string{"time-series": MetricTable(), "headline": HeadlineTable()} {
		if !strings.Contains(string(b), table) {
			t.Errorf("README.md does not hold the %s metric table; it should read:\n%s", name, table)
		}
	}
}

func TestFormatRefused(t *testing.T) {
	err := writeDir(filepath.Join(t.TempDir(), "out"), fixtureTOML, fixture(t), Meta{Format: "xlsx"})
	if err == nil || !strings.Contains(err.Error(), `"xlsx"`) {
		t.Errorf("format xlsx: error %v", err)
	}
}

// TestDemographyColumns: with demography, firms.csv and firms.parquet
// both carry size_class and entered_step, hold the same rows, and read
// back through ScanFirms; a result without demography in such a file, or
// one with demography in a file without the columns, is refused.
func TestDemographyColumns(t *testing.T) {
	demo := func() []*outcome.Result {
		rs := fixture(t)
		firms := make([]network.Firm, rs[0].Network.N())
		for i := range firms {
			firms[i] = rs[0].Network.Firm(i)
			firms[i].SizeClass = network.Micro + network.SizeClass(i%4)
		}
		net, err := network.Build(firms, rs[0].Network.Edges(), rs[0].Network.SectorNames, rs[0].Network.RegionNames, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			r.Network = net
			r.Firms.EnteredStep = []int32{-1, -1, 2, -1, 3}
		}
		return rs
	}
	dir := filepath.Join(t.TempDir(), "out")
	meta := fixtureMeta
	meta.Format, meta.Demography = FormatBoth, true
	if err := writeDir(dir, fixtureTOML, demo(), meta); err != nil {
		t.Fatal(err)
	}
	want := readCSVFile(t, filepath.Join(dir, FirmsFile))
	if !slices.Equal(want[0], FirmsDemographyHeader) {
		t.Fatalf("firms.csv header %v, want %v", want[0], FirmsDemographyHeader)
	}
	if got := want[3][13:]; !slices.Equal(got, []string{"medium", "2"}) {
		t.Errorf("firms.csv row 3: size_class, entered_step = %v, want [medium 2]", got)
	}
	header, rows, kv, _ := readParquetAsCSV(t, filepath.Join(dir, FirmsParquet))
	if !slices.Equal(header, want[0]) || len(rows) != len(want)-1 {
		t.Fatalf("firms.parquet: columns %v and %d rows, firms.csv %v and %d", header, len(rows), want[0], len(want)-1)
	}
	for i := range rows {
		if !slices.Equal(rows[i], want[i+1]) {
			t.Errorf("firms.parquet row %d = %q, firms.csv has %q", i+1, rows[i], want[i+1])
		}
	}
	for _, col := range header {
		if u, ok := unitOf(FirmsDemographyUnits, col); !ok || kv["description."+col] != u.Description {
			t.Errorf("firms.parquet: column %s has no description", col)
		}
	}
	_, lay, err := ReadTimeseries(dir, Limits{Steps: 4, Replications: 2})
	if err != nil {
		t.Fatal(err)
	}
	var entered []int
	if err := ScanFirms(dir, lay, func(r FirmRow) error {
		entered = append(entered, r.EnteredStep)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(entered) < 5 || !slices.Equal(entered[:5], []int{-1, -1, 2, -1, 3}) {
		t.Errorf("ScanFirms: entered steps %v, want -1 -1 2 -1 3 first", entered)
	}
	for _, c := range []struct {
		demography bool
		rs         []*outcome.Result
	}{{false, demo()}, {true, fixture(t)}} {
		meta.Demography = c.demography
		if err := writeDir(filepath.Join(t.TempDir(), "out"), fixtureTOML, c.rs, meta); err == nil {
			t.Errorf("demography columns %v: results that do not match were written", c.demography)
		}
	}
}
