package results

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/smesim/smesim/sim/outcome"
)

// Parquet file names inside a result directory, written with
// output.format = "parquet" or "both". They hold the columns and values of
// the CSV files of the same name, typed: integers as INT64, numbers as
// DOUBLE (NaN and infinities as such), text as UTF-8 strings, and an empty
// CSV cell as null.
const (
	TimeseriesParquet = "timeseries.parquet"
	FirmsParquet      = "firms.parquet"
	EventsParquet     = "events.parquet"
	RunsParquet       = "runs.parquet"
)

// Formats of the per-row result files (output.format).
const (
	FormatCSV     = "csv"     // timeseries.csv, firms.csv, events.csv, runs.csv
	FormatParquet = "parquet" // the .parquet files instead, with runs.csv
	FormatBoth    = "both"    // both
)

// parquetRowGroup is the largest row group written: rows are flushed to
// the file at the end of each run and every parquetRowGroup rows, so that
// memory stays bounded whatever the number of firms, and the row groups
// depend only on the rows (not on timing).
const parquetRowGroup = 1 << 16

// parquetBatch is the number of rows handed to the writer at once.
const parquetBatch = 1024

// Rows of the Parquet files, field order the CSV header's.
type (
	timeseriesRow struct {
		Arm         string  `parquet:"arm,dict"`
		Replication int64   `parquet:"replication"`
		Step        int64   `parquet:"step"`
		Date        string  `parquet:"date,dict"`
		Metric      string  `parquet:"metric,dict"`
		Value       float64 `parquet:"value"`
	}
	firmRow struct {
		Arm              string  `parquet:"arm,dict"`
		Replication      int64   `parquet:"replication"`
		Firm             string  `parquet:"firm"`
		Kind             string  `parquet:"kind,dict"`
		Role             string  `parquet:"role,dict"`
		Sector           string  `parquet:"sector,dict"`
		Chain            *int64  `parquet:"chain,optional"`
		Status           string  `parquet:"status,dict"`
		FailureStep      *int64  `parquet:"failure_step,optional"`
		Cause            *string `parquet:"cause,optional,dict"`
		RevenueChange    float64 `parquet:"revenue_change"`
		CashRunwayMonths float64 `parquet:"cash_runway_months"`
		Jobs             float64 `parquet:"jobs"`
	}
	// firmDemographyRow is a row of firms.parquet in a run with
	// demography: firmRow and the columns FirmsDemographyHeader adds.
	firmDemographyRow struct {
		firmRow
		demographyCols
	}
	// firmSupportRow is a row of firms.parquet in a run with
	// interventions and firm records: firmRow and the SupportColumns.
	firmSupportRow struct {
		firmRow
		supportCols
	}
	// firmSupportDemographyRow has both the SupportColumns and the
	// DemographyColumns, in firms.csv's order.
	firmSupportDemographyRow struct {
		firmRow
		supportCols
		demographyCols
	}
	supportCols struct {
		Support       *float64 `parquet:"support,optional"`
		Additionality *string  `parquet:"additionality,optional,dict"`
	}
	demographyCols struct {
		SizeClass   *string `parquet:"size_class,optional,dict"`
		EnteredStep int64   `parquet:"entered_step"`
	}
	eventRow struct {
		Arm         string  `parquet:"arm,dict"`
		Replication int64   `parquet:"replication"`
		Step        int64   `parquet:"step"`
		Date        string  `parquet:"date,dict"`
		Firm        string  `parquet:"firm"`
		Kind        string  `parquet:"kind,dict"`
		Role        string  `parquet:"role,dict"`
		Sector      string  `parquet:"sector,dict"`
		Cause       string  `parquet:"cause,dict"`
		Channels    *string `parquet:"channels,optional,dict"`
		Parents     *string `parquet:"parents,optional"`
		Generation  int64   `parquet:"generation"`
		Cascade     string  `parquet:"cascade"`
	}
	runRow struct {
		Arm              string   `parquet:"arm,dict"`
		Replication      int64    `parquet:"replication"`
		SMEFailures      *float64 `parquet:"sme_failures,optional"`
		CoreFailures     *float64 `parquet:"core_failures,optional"`
		Failures         *float64 `parquet:"failures,optional"`
		JobsLost         *float64 `parquet:"jobs_lost,optional"`
		OutputLost       *float64 `parquet:"output_lost,optional"`
		LargestCascade   *float64 `parquet:"largest_cascade,optional"`
		MeanCascadeDepth *float64 `parquet:"mean_cascade_depth,optional"`
		BankLosses       *float64 `parquet:"bank_losses,optional"`
		FiscalCost       *float64 `parquet:"fiscal_cost,optional"`
	}
)

// parquetFile is a Parquet file being written, rows batched and flushed in
// row groups of at most parquetRowGroup rows.
type parquetFile[T any] struct {
	name    string
	f       *os.File
	bw      *bufio.Writer
	w       *parquet.GenericWriter[T]
	batch   []T
	inGroup int // rows in the current row group
}

// createParquet creates path for rows of type T. The file metadata holds,
// for every column c of cols, "unit.c" and "description.c", and the pairs
// of extra as given. The writer settings are fixed (zstd, no varying
// created_by) so that the same rows give the same bytes.
func createParquet[T any](path, name string, cols []Unit, extra map[string]string) (*parquetFile[T], error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	opts := []parquet.WriterOption{
		parquet.Compression(&parquet.Zstd),
		parquet.CreatedBy("smesim", "", ""),
		parquet.KeyValueMetadata("smesim.file", name),
	}
	for _, c := range cols {
		opts = append(opts, parquet.KeyValueMetadata("unit."+c.Name, c.Unit), parquet.KeyValueMetadata("description."+c.Name, c.Description))
	}
	for k, v := range extra {
		opts = append(opts, parquet.KeyValueMetadata(k, v)) // sorted by the writer
	}
	p := &parquetFile[T]{name: name, f: f, bw: bufio.NewWriterSize(f, 1<<16), batch: make([]T, 0, parquetBatch)}
	p.w = parquet.NewGenericWriter[T](p.bw, opts...)
	return p, nil
}

// add appends a row, writing the batch when it is full and ending the row
// group when it holds parquetRowGroup rows.
func (p *parquetFile[T]) add(row T) error {
	p.batch = append(p.batch, row)
	if len(p.batch) == cap(p.batch) || p.inGroup+len(p.batch) == parquetRowGroup {
		return p.write()
	}
	return nil
}

func (p *parquetFile[T]) write() error {
	if err := p.flush(); err != nil {
		return err
	}
	if p.inGroup >= parquetRowGroup {
		return p.endGroup()
	}
	return nil
}

// flush hands the batched rows to the writer, within the current row
// group.
func (p *parquetFile[T]) flush() error {
	if len(p.batch) == 0 {
		return nil
	}
	if _, err := p.w.Write(p.batch); err != nil {
		return err
	}
	p.inGroup += len(p.batch)
	clear(p.batch)
	p.batch = p.batch[:0]
	return nil
}

// endGroup writes the pending rows as a row group.
func (p *parquetFile[T]) endGroup() error {
	if err := p.flush(); err != nil {
		return err
	}
	if p.inGroup == 0 {
		return nil
	}
	p.inGroup = 0
	return p.w.Flush()
}

// close ends the last row group, writes the footer and syncs and closes
// the file.
func (p *parquetFile[T]) close() error {
	err := p.endGroup()
	if err == nil {
		err = p.w.Close()
	}
	if err == nil {
		err = p.bw.Flush()
	}
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	p.f = nil
	return err
}

// abort closes the file if it is still open.
func (p *parquetFile[T]) abort() {
	if p.f != nil {
		p.f.Close()
		p.f = nil
	}
}

// parquetFiles are the Parquet files of a result directory.
type parquetFiles struct {
	ts *parquetFile[timeseriesRow]
	// firms.parquet is one of these four, by whether its rows have the
	// SupportColumns and the DemographyColumns.
	firms            *parquetFile[firmRow]
	firmsDemo        *parquetFile[firmDemographyRow]
	firmsSupport     *parquetFile[firmSupportRow]
	firmsSupportDemo *parquetFile[firmSupportDemographyRow]
	events           *parquetFile[eventRow]
}

// seriesMetadata is the extra metadata of timeseries.parquet: the unit and
// description of every metric.
func seriesMetadata() map[string]string {
	m := make(map[string]string, 2*len(SeriesUnits))
	for _, u := range SeriesUnits {
		m["unit.metric."+u.Name] = u.Unit
		m["description.metric."+u.Name] = u.Description
	}
	return m
}

// createParquets creates the three Parquet files in dir; on error it closes
// those it created.
func createParquets(dir string, support, demography bool) (*parquetFiles, error) {
	var (
		pf  parquetFiles
		err error
	)
	if pf.ts, err = createParquet[timeseriesRow](filepath.Join(dir, TimeseriesParquet), TimeseriesParquet, TimeseriesUnits, seriesMetadata()); err != nil {
		return nil, err
	}
	firmsPath := filepath.Join(dir, FirmsParquet)
	switch {
	case support && demography:
		pf.firmsSupportDemo, err = createParquet[firmSupportDemographyRow](firmsPath, FirmsParquet, firmsUnitsOf(true, true), nil)
	case support:
		pf.firmsSupport, err = createParquet[firmSupportRow](firmsPath, FirmsParquet, firmsUnitsOf(true, false), nil)
	case demography:
		pf.firmsDemo, err = createParquet[firmDemographyRow](firmsPath, FirmsParquet, FirmsDemographyUnits, nil)
	default:
		pf.firms, err = createParquet[firmRow](firmsPath, FirmsParquet, FirmsUnits, nil)
	}
	if err != nil {
		pf.abort()
		return nil, err
	}
	if pf.events, err = createParquet[eventRow](filepath.Join(dir, EventsParquet), EventsParquet, EventsUnits, nil); err != nil {
		pf.abort()
		return nil, err
	}
	return &pf, nil
}

func (pf *parquetFiles) abort() {
	if pf == nil {
		return
	}
	if pf.ts != nil {
		pf.ts.abort()
	}
	if pf.firms != nil {
		pf.firms.abort()
	}
	if pf.firmsDemo != nil {
		pf.firmsDemo.abort()
	}
	if pf.firmsSupport != nil {
		pf.firmsSupport.abort()
	}
	if pf.firmsSupportDemo != nil {
		pf.firmsSupportDemo.abort()
	}
	if pf.events != nil {
		pf.events.abort()
	}
}

// add writes the rows of r to the three files, ending each file's row
// group with the run; pair classifies the firms of the support columns.
// It returns the name of the file that failed.
func (pf *parquetFiles) add(r *outcome.Result, pair *pairing) (string, error) {
	if err := timeseriesParquetRows(pf.ts, r); err != nil {
		return pf.ts.name, err
	}
	switch {
	case pf.firmsSupportDemo != nil:
		if err := firmSupportDemographyParquetRows(pf.firmsSupportDemo, r, pair); err != nil {
			return pf.firmsSupportDemo.name, err
		}
	case pf.firmsSupport != nil:
		if err := firmSupportParquetRows(pf.firmsSupport, r, pair); err != nil {
			return pf.firmsSupport.name, err
		}
	case pf.firmsDemo != nil:
		if err := firmDemographyParquetRows(pf.firmsDemo, r); err != nil {
			return pf.firmsDemo.name, err
		}
	default:
		if err := firmParquetRows(pf.firms, r); err != nil {
			return pf.firms.name, err
		}
	}
	if err := eventParquetRows(pf.events, r); err != nil {
		return pf.events.name, err
	}
	return "", nil
}

func timeseriesParquetRows(p *parquetFile[timeseriesRow], r *outcome.Result) error {
	row := timeseriesRow{Arm: r.Arm, Replication: int64(r.Replication)}
	for t := 0; t < r.Steps(); t++ {
		row.Step, row.Date = int64(t), r.Date(t).Format(DateLayout)
		for m, name := range r.Metrics {
			row.Metric, row.Value = name, r.Value(t, m)
			if err := p.add(row); err != nil {
				return err
			}
		}
	}
	return p.endGroup()
}

func firmParquetRows(p *parquetFile[firmRow], r *outcome.Result) error {
	if demographyColumns(r) {
		return fmt.Errorf("arm %q replication %d: firm outcomes with demography in a firms.parquet without its columns", r.Arm, r.Replication)
	}
	return eachFirmRow(r, p.add, p.endGroup)
}

// firmDemographyParquetRows writes the rows of r to a firms.parquet with
// the demography columns.
func firmDemographyParquetRows(p *parquetFile[firmDemographyRow], r *outcome.Result) error {
	if !demographyColumns(r) {
		return fmt.Errorf("arm %q replication %d: firm outcomes without demography in a firms.parquet with its columns", r.Arm, r.Replication)
	}
	i := 0
	return eachFirmRow(r, func(row firmRow) error {
		d := firmDemographyRow{firmRow: row, demographyCols: demographyOf(r, i)}
		i++
		return p.add(d)
	}, p.endGroup)
}

// firmSupportParquetRows writes the rows of r to a firms.parquet with the
// support columns.
func firmSupportParquetRows(p *parquetFile[firmSupportRow], r *outcome.Result, pair *pairing) error {
	if demographyColumns(r) {
		return fmt.Errorf("arm %q replication %d: firm outcomes with demography in a firms.parquet without its columns", r.Arm, r.Replication)
	}
	i := 0
	return eachFirmRow(r, func(row firmRow) error {
		d := firmSupportRow{firmRow: row, supportCols: supportOf(pair, r, i)}
		i++
		return p.add(d)
	}, p.endGroup)
}

// firmSupportDemographyParquetRows writes the rows of r to a firms.parquet
// with the support and the demography columns.
func firmSupportDemographyParquetRows(p *parquetFile[firmSupportDemographyRow], r *outcome.Result, pair *pairing) error {
	if !demographyColumns(r) {
		return fmt.Errorf("arm %q replication %d: firm outcomes without demography in a firms.parquet with its columns", r.Arm, r.Replication)
	}
	i := 0
	return eachFirmRow(r, func(row firmRow) error {
		d := firmSupportDemographyRow{firmRow: row, supportCols: supportOf(pair, r, i), demographyCols: demographyOf(r, i)}
		i++
		return p.add(d)
	}, p.endGroup)
}

// supportOf returns the support columns of firm i of r: null where
// firms.csv leaves the cell empty.
func supportOf(pair *pairing, r *outcome.Result, i int) supportCols {
	var c supportCols
	money, class := pair.support(r, i)
	if money != 0 {
		c.Support = ptr(money)
		if class != "" {
			c.Additionality = ptr(class)
		}
	}
	return c
}

// demographyOf returns the demography columns of firm i of r.
func demographyOf(r *outcome.Result, i int) demographyCols {
	c := demographyCols{EnteredStep: -1}
	if s := r.Network.Class(i).String(); s != "" {
		c.SizeClass = ptr(s)
	}
	if entered := r.Firms.EnteredStep; entered != nil {
		c.EnteredStep = int64(entered[i])
	}
	return c
}

// eachFirmRow calls add with the firms.parquet row of each firm of r, in
// firm order, and then end, which ends the row group.
func eachFirmRow(r *outcome.Result, add func(firmRow) error, end func() error) error {
	fo, net := &r.Firms, r.Network
	if len(fo.Status) == 0 {
		return nil
	}
	row := firmRow{Arm: r.Arm, Replication: int64(r.Replication)}
	for i := 0; i < net.N(); i++ {
		row.Firm, row.Kind, row.Role, row.Sector = net.Name(i), net.Kind[i].String(), net.Role[i].String(), sectorName(net, net.Sector[i])
		row.Chain = nil
		if net.Chain[i] >= 0 {
			row.Chain = ptr(int64(net.Chain[i]))
		}
		row.Status = fo.Status[i].String()
		row.FailureStep = nil
		if (fo.Status[i] == outcome.Failed || fo.Status[i] == outcome.Exited) && fo.FailStep[i] >= 0 {
			row.FailureStep = ptr(int64(fo.FailStep[i]))
		}
		row.Cause = nil
		if c := fo.Cause[i].String(); c != "" {
			row.Cause = ptr(c)
		}
		row.RevenueChange, row.CashRunwayMonths, row.Jobs = fo.RevenueChange[i], fo.RunwayMonths[i], fo.Jobs[i]
		if err := add(row); err != nil {
			return err
		}
	}
	return end()
}

func eventParquetRows(p *parquetFile[eventRow], r *outcome.Result) error {
	if len(r.Events) == 0 {
		return nil
	}
	net := r.Network
	row := eventRow{Arm: r.Arm, Replication: int64(r.Replication)}
	var parents []string
	for _, e := range r.Events {
		f := int(e.Firm)
		row.Step, row.Date = int64(e.Step), r.Date(int(e.Step)).Format(DateLayout)
		row.Firm, row.Kind, row.Role, row.Sector = net.Name(f), net.Kind[f].String(), net.Role[f].String(), sectorName(net, net.Sector[f])
		row.Cause = e.Cause.String()
		row.Channels = nonEmpty(strings.Join(e.Channels.Names(), ";"))
		parents = parents[:0]
		for _, q := range e.Parents {
			parents = append(parents, net.Name(int(q)))
		}
		row.Parents = nonEmpty(strings.Join(parents, ";"))
		row.Generation = int64(e.Generation)
		row.Cascade = net.Name(int(e.Cascade))
		if err := p.add(row); err != nil {
			return err
		}
	}
	return p.endGroup()
}

// runParquetRow is the runs.parquet row of d; undefined metrics are null.
func runParquetRow(d *digest) runRow {
	v := func(k int) *float64 {
		if math.IsNaN(d.head[k]) {
			return nil
		}
		return ptr(d.head[k])
	}
	return runRow{Arm: d.arm, Replication: int64(d.replication),
		SMEFailures: v(0), CoreFailures: v(1), Failures: v(2), JobsLost: v(3), OutputLost: v(4),
		LargestCascade: v(5), MeanCascadeDepth: v(6), BankLosses: v(7), FiscalCost: v(8)}
}

// runCSVRow is the runs.csv row of d: numbers in the shortest form that
// reads back to the same float64 (not FormatFloat's 10 digits), so that the
// means of the rows recompute summary.json's; undefined metrics are empty.
func runCSVRow(d *digest, row []string) []string {
	row = append(row[:0], d.arm, strconv.Itoa(d.replication))
	for _, v := range d.head {
		switch {
		case math.IsNaN(v):
			row = append(row, "")
		case math.IsInf(v, 0):
			row = append(row, FormatFloat(v))
		default:
			row = append(row, strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	return row
}

func ptr[T any](v T) *T { return &v }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// close closes the three files, reporting an error through written as
// WriteDir does.
func (pf *parquetFiles) close(written func(string, error) error) error {
	if err := written(pf.ts.name, pf.ts.close()); err != nil {
		return err
	}
	var err error
	switch {
	case pf.firmsSupportDemo != nil:
		err = written(pf.firmsSupportDemo.name, pf.firmsSupportDemo.close())
	case pf.firmsSupport != nil:
		err = written(pf.firmsSupport.name, pf.firmsSupport.close())
	case pf.firmsDemo != nil:
		err = written(pf.firmsDemo.name, pf.firmsDemo.close())
	default:
		err = written(pf.firms.name, pf.firms.close())
	}
	if err != nil {
		return err
	}
	return written(pf.events.name, pf.events.close())
}
