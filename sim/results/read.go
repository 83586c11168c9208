package results

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// TimeseriesRow is one row of timeseries.csv.
type TimeseriesRow struct {
	Arm         string
	Replication int
	Step        int
	Date        string
	Metric      string
	Value       float64
}

// FirmRow is one row of firms.csv.
type FirmRow struct {
	Arm              string
	Replication      int
	Firm             string
	Kind             string
	Role             string
	Sector           string
	Chain            int // -1 if none
	Status           string
	FailureStep      int // -1 if active
	Cause            string
	RevenueChange    float64
	CashRunwayMonths float64
	Jobs             float64
	SizeClass        string  // "" without demography
	EnteredStep      int     // step of entry; −1 for incumbents, dormant firms and runs without demography
	Support          float64 // what the arm's interventions gave the firm (0 if nothing, or no such column)
	Additionality    string  // saved, deadweight, lost-anyway, harmed; "" if not reached or not paired
}

// EventRow is one row of events.csv.
type EventRow struct {
	Arm         string
	Replication int
	Step        int
	Date        string
	Firm        string
	Kind        string
	Role        string
	Sector      string
	Cause       string
	Channels    []string
	Parents     []string
	Generation  int
	Cascade     string
}

// Limits are what a result directory's scenario allows its rows: steps
// 0 to Steps−1 in every run, replications 0 to Replications−1. A zero
// field is not checked.
type Limits struct {
	Steps, Replications int
}

// Layout is the shape of a result directory's time series, as
// ScanTimeseries reads it: the runs and their steps. The rows of firms.csv
// and events.csv must belong to its runs and steps.
type Layout struct {
	Arms  []string         // in order of appearance
	Reps  map[string][]int // replications of each arm, increasing
	Steps int              // steps of every run (0 without rows)
}

// has reports whether the layout holds the run of arm and replication rep.
func (l *Layout) has(arm string, rep int) bool {
	_, ok := slices.BinarySearch(l.Reps[arm], rep)
	return ok
}

// Limits on what the readers hold in memory at once, whatever the file:
// a CSV line and a JSON file. Result files are far below them (a line of
// events.csv lists the parents of one failure).
const (
	MaxLineBytes = 16 << 20
	MaxJSONBytes = 256 << 20
)

// ScanTimeseries reads timeseries.csv of result directory dir, calling row
// on each row, and returns its layout. The rows must come as WriteDir
// writes them: run by run (arm by arm, replications increasing within an
// arm), step by step from 0, each step listing the metrics of the run's
// first step in the same order (those of the arm's first run), every run
// with the same number of steps.
// So a file's rows, and whatever a reader builds from them, are bounded by
// its size. lim bounds steps and replications. An error names the file,
// line and column.
func ScanTimeseries(dir string, lim Limits, row func(TimeseriesRow) error) (*Layout, error) {
	lay := &Layout{Reps: map[string][]int{}}
	var (
		run     TimeseriesRow // arm and replication of the current run
		started bool
		metrics []string        // of the current run's first step
		inStep0 map[string]bool // the same, as a set
		fixed   bool            // whether the current run is past step 0
		k       int             // rows of the current run so far
		// The metrics of each arm's first run, which its other runs list.
		armMetrics = map[string][]string{}
	)
	endRun := func() error {
		if !started {
			return nil
		}
		if k%len(metrics) != 0 {
			return fmt.Errorf("arm %s replication %d ends within step %d: every step lists the %d metrics of step 0", quoteCut(run.Arm), run.Replication, k/len(metrics), len(metrics))
		}
		if first, ok := armMetrics[run.Arm]; !ok {
			armMetrics[run.Arm] = metrics
		} else if !slices.Equal(first, metrics) {
			return fmt.Errorf("arm %s replication %d lists other metrics than the arm's first replication", quoteCut(run.Arm), run.Replication)
		}
		steps := k / len(metrics)
		switch {
		case lay.Steps == 0:
			lay.Steps = steps
		case steps != lay.Steps:
			return fmt.Errorf("arm %s replication %d has %d steps, the runs before it %d", quoteCut(run.Arm), run.Replication, steps, lay.Steps)
		}
		return nil
	}
	path := filepath.Join(dir, TimeseriesFile)
	err := readCSV(path, TimeseriesHeader, func(rec []string, p *fieldParser) {
		r := TimeseriesRow{Arm: rec[0], Replication: p.index(1), Step: p.index(2), Date: rec[3], Metric: rec[4], Value: p.float(5)}
		if p.err != nil {
			return
		}
		if lim.Replications > 0 && r.Replication >= lim.Replications {
			p.fail(1, fmt.Errorf("%d is not a replication of the scenario (0 to %d)", r.Replication, lim.Replications-1))
			return
		}
		if lim.Steps > 0 && r.Step >= lim.Steps {
			p.fail(2, fmt.Errorf("%d is not a step of the scenario (0 to %d)", r.Step, lim.Steps-1))
			return
		}
		if !started || r.Arm != run.Arm || r.Replication != run.Replication {
			// A new run.
			if err := endRun(); err != nil {
				p.failRow(err)
				return
			}
			reps, seen := lay.Reps[r.Arm]
			switch {
			case seen && r.Arm != run.Arm:
				p.fail(0, fmt.Errorf("arm %s appears again after arm %s: rows come arm by arm", quoteCut(r.Arm), quoteCut(run.Arm)))
				return
			case seen && r.Replication <= reps[len(reps)-1]:
				p.fail(1, fmt.Errorf("replication %d comes after replication %d of arm %s: replications come in increasing order", r.Replication, reps[len(reps)-1], quoteCut(r.Arm)))
				return
			case !seen:
				lay.Arms = append(lay.Arms, r.Arm)
			}
			lay.Reps[r.Arm] = append(reps, r.Replication)
			run, started, metrics, k, fixed, inStep0 = r, true, nil, 0, false, map[string]bool{}
		}
		// The rows at step 0 give the run's metrics; every later step
		// lists them again, in the same order.
		if !fixed {
			if r.Step == 0 {
				if inStep0[r.Metric] {
					p.fail(4, fmt.Errorf("%s appears twice at step 0 of arm %s replication %d", quoteCut(r.Metric), quoteCut(r.Arm), r.Replication))
					return
				}
				inStep0[r.Metric] = true
				metrics = append(metrics, r.Metric)
			} else if len(metrics) == 0 {
				p.fail(2, fmt.Errorf("%d: the rows of arm %s replication %d start at step 0", r.Step, quoteCut(r.Arm), r.Replication))
				return
			} else if r.Step != 1 {
				p.fail(2, fmt.Errorf("%d: want step 0 or 1 of arm %s replication %d (rows come step by step from 0)", r.Step, quoteCut(r.Arm), r.Replication))
				return
			} else {
				fixed = true
			}
		}
		if fixed {
			if want := k / len(metrics); r.Step != want {
				p.fail(2, fmt.Errorf("%d: want step %d of arm %s replication %d (rows come step by step from 0, each step listing the metrics of step 0)",
					r.Step, want, quoteCut(r.Arm), r.Replication))
				return
			}
			if m := metrics[k%len(metrics)]; r.Metric != m {
				p.fail(4, fmt.Errorf("%s: want %s (each step lists the metrics of step 0 in the same order)", quoteCut(r.Metric), quoteCut(m)))
				return
			}
		}
		k++
		if err := row(r); err != nil {
			p.failRow(err)
		}
	})
	if err == nil {
		if err = endRun(); err != nil {
			err = fmt.Errorf("%s: %w", path, err)
		}
	}
	if err == nil && lim.Steps > 0 && started && lay.Steps != lim.Steps {
		err = fmt.Errorf("%s: the runs have %d steps, the scenario %d", path, lay.Steps, lim.Steps)
	}
	if err != nil {
		return nil, err
	}
	return lay, nil
}

// ReadTimeseries reads timeseries.csv of result directory dir (see
// ScanTimeseries).
func ReadTimeseries(dir string, lim Limits) ([]TimeseriesRow, *Layout, error) {
	var rows []TimeseriesRow
	lay, err := ScanTimeseries(dir, lim, func(r TimeseriesRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return rows, lay, nil
}

// ScanFirms reads firms.csv of result directory dir, calling row on each
// row. Each row must belong to a run of lay, a failure step must be one of
// its steps, and a chain −1 or more. An error names the file, line and
// column.
func ScanFirms(dir string, lay *Layout, row func(FirmRow) error) error {
	var headers [][]string
	for _, support := range []bool{false, true} {
		for _, demography := range []bool{false, true} {
			headers = append(headers, firmsHeaderOf(support, demography))
		}
	}
	return readCSVOf(filepath.Join(dir, FirmsFile), headers, func(rec []string, p *fieldParser) {
		r := FirmRow{
			Arm: rec[0], Replication: p.index(1), Firm: rec[2], Kind: rec[3], Role: rec[4], Sector: rec[5],
			Chain: p.optIndex(6), Status: rec[7], FailureStep: p.optIndex(8), Cause: rec[9],
			RevenueChange: p.float(10), CashRunwayMonths: p.float(11), Jobs: p.float(12), EnteredStep: -1,
		}
		if len(p.header) > len(FirmsHeader) && p.header[len(FirmsHeader)] == SupportColumns[0] {
			if rec[13] != "" {
				r.Support = p.float(13)
			}
			r.Additionality = rec[14]
		}
		if n := len(p.header); p.header[n-1] == DemographyColumns[1] {
			r.SizeClass, r.EnteredStep = rec[n-2], p.optIndex(n-1)
		}
		if p.err != nil || !p.inRun(lay, r.Arm, r.Replication) || !p.step(8, lay, r.FailureStep, true) {
			return
		}
		if err := row(r); err != nil {
			p.failRow(err)
		}
	})
}

// ReadFirms reads firms.csv of result directory dir (see ScanFirms).
func ReadFirms(dir string, lay *Layout) ([]FirmRow, error) {
	var rows []FirmRow
	err := ScanFirms(dir, lay, func(r FirmRow) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// ReadEvents reads events.csv of result directory dir. Each row must
// belong to a run of lay and one of its steps, with a generation of 0 or
// more. An error names the file, line and column.
func ReadEvents(dir string, lay *Layout) ([]EventRow, error) {
	var rows []EventRow
	err := readCSV(filepath.Join(dir, EventsFile), EventsHeader, func(rec []string, p *fieldParser) {
		r := EventRow{
			Arm: rec[0], Replication: p.index(1), Step: p.index(2), Date: rec[3], Firm: rec[4], Kind: rec[5], Role: rec[6],
			Sector: rec[7], Cause: rec[8], Channels: splitList(rec[9]), Parents: splitList(rec[10]),
			Generation: p.index(11), Cascade: rec[12],
		}
		if p.err != nil || !p.inRun(lay, r.Arm, r.Replication) || !p.step(2, lay, r.Step, false) {
			return
		}
		rows = append(rows, r)
	})
	return rows, err
}

// ReadSummary reads summary.json of result directory dir.
func ReadSummary(dir string) (*Summary, error) {
	var s Summary
	if err := readJSON(filepath.Join(dir, SummaryFile), &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// ReadMeta reads meta.json of result directory dir.
func ReadMeta(dir string) (*Meta, error) {
	var m Meta
	if err := readJSON(filepath.Join(dir, MetaFile), &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// ReadFile reads the file at path, refusing one of more than limit bytes
// (or a device without end, such as /dev/zero) with an error naming it.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d MiB: not a file smesim wrote", path, limit>>20)
	}
	return b, nil
}

func readJSON(path string, v any) error {
	b, err := ReadFile(path, MaxJSONBytes)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

func splitHead(s string) []string { return strings.Split(s, ",") }

// quoteCut quotes s for a message, cut to 40 bytes.
func quoteCut(s string) string {
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "") + "…"
	}
	return strconv.Quote(s)
}

// fieldParser parses fields of one record, keeping the first error.
type fieldParser struct {
	rec    []string
	header []string
	err    error
}

func (p *fieldParser) fail(i int, err error) {
	if p.err == nil {
		p.err = fmt.Errorf("column %s: %w", p.header[i], err)
	}
}

// failRow records an error about the row as a whole.
func (p *fieldParser) failRow(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *fieldParser) int(i int) int {
	v, err := strconv.Atoi(p.rec[i])
	if err != nil {
		p.fail(i, fmt.Errorf("%s is not an integer", quoteCut(p.rec[i])))
	}
	return v
}

// index reads an integer of 0 or more.
func (p *fieldParser) index(i int) int {
	v := p.int(i)
	if v < 0 {
		p.fail(i, fmt.Errorf("%d: must be 0 or more", v))
	}
	return v
}

// optIndex reads an integer of 0 or more, or −1 for an empty field (or
// −1 written out).
func (p *fieldParser) optIndex(i int) int {
	if p.rec[i] == "" || p.rec[i] == "-1" {
		return -1
	}
	return p.index(i)
}

func (p *fieldParser) float(i int) float64 {
	v, err := ParseFloat(p.rec[i])
	if err != nil {
		p.fail(i, fmt.Errorf("%s is not a number", quoteCut(p.rec[i])))
	}
	return v
}

// inRun checks that arm and replication rep are a run of lay.
func (p *fieldParser) inRun(lay *Layout, arm string, rep int) bool {
	if _, ok := lay.Reps[arm]; !ok {
		p.fail(0, fmt.Errorf("arm %s is not in %s", quoteCut(arm), TimeseriesFile))
		return false
	}
	if !lay.has(arm, rep) {
		p.fail(1, fmt.Errorf("replication %d of arm %s is not in %s", rep, quoteCut(arm), TimeseriesFile))
		return false
	}
	return true
}

// step checks that column i holds a step of lay's runs (or −1, "none",
// with optional).
func (p *fieldParser) step(i int, lay *Layout, s int, optional bool) bool {
	if optional && s == -1 || s >= 0 && s < lay.Steps {
		return true
	}
	p.fail(i, fmt.Errorf("%d is not a step of the runs in %s (0 to %d)", s, TimeseriesFile, lay.Steps-1))
	return false
}

// readCSV reads a CSV file whose first record must equal header, calling
// row for each further record. A line longer than MaxLineBytes is an
// error, so that a file without line breaks is refused, not held.
func readCSV(path string, header []string, row func(rec []string, p *fieldParser)) error {
	return readCSVOf(path, [][]string{header}, row)
}

// readCSVOf is readCSV for a file whose first record may be any of
// headers; row sees records as long as the one found.
func readCSVOf(path string, headers [][]string, row func(rec []string, p *fieldParser)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lr := &lineLimit{r: f, max: MaxLineBytes}
	cr := csv.NewReader(lr)
	cr.FieldsPerRecord = -1 // the header is checked below
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file", path)
	}
	if err != nil {
		return csvError(path, lr, err)
	}
	header := headers[0]
	for _, h := range headers {
		if slices.Equal(rec, h) {
			header = h
		}
	}
	if !slices.Equal(rec, header) {
		got := strings.Join(rec, ",")
		if len(got) > 200 {
			got = got[:200] + "…"
		}
		return fmt.Errorf("%s:1: header %q, want %q", path, got, strings.Join(header, ","))
	}
	cr.FieldsPerRecord = len(header)
	p := &fieldParser{header: header}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(path, lr, err)
		}
		p.rec = rec
		row(rec, p)
		if p.err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("%s:%d: %w", path, line, p.err)
		}
	}
}

// csvError names the file (and line) of a CSV reading error.
func csvError(path string, lr *lineLimit, err error) error {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%s:%d: column %d: %w", path, pe.Line, pe.Column, pe.Err)
	case errors.Is(err, errLongLine):
		return fmt.Errorf("%s:%d: %w", path, lr.line, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// LineLimited returns a reader of r that fails once a line runs over
// MaxLineBytes: for CSV readers of result files, so that a file without
// line breaks is refused rather than held in memory.
func LineLimited(r io.Reader) io.Reader { return &lineLimit{r: r, max: MaxLineBytes} }

var errLongLine = fmt.Errorf("line longer than %d MiB: not a file smesim wrote", MaxLineBytes>>20)

// lineLimit reads r, failing with errLongLine once a line runs over max
// bytes; line counts the lines started.
type lineLimit struct {
	r    io.Reader
	max  int
	run  int
	line int
}

func (l *lineLimit) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	for i, c := range b[:n] {
		if l.run == 0 {
			l.line++
		}
		if c == '\n' {
			l.run = 0
			continue
		}
		if l.run++; l.run > l.max {
			return i, errLongLine
		}
	}
	return n, err
}
