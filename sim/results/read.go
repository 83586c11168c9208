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

// ReadTimeseries reads timeseries.csv of result directory dir.
func ReadTimeseries(dir string) ([]TimeseriesRow, error) {
	var rows []TimeseriesRow
	err := readCSV(filepath.Join(dir, TimeseriesFile), TimeseriesHeader, func(rec []string, p *fieldParser) {
		rows = append(rows, TimeseriesRow{
			Arm: rec[0], Replication: p.int(1), Step: p.int(2), Date: rec[3], Metric: rec[4], Value: p.float(5),
		})
	})
	return rows, err
}

// ReadFirms reads firms.csv of result directory dir.
func ReadFirms(dir string) ([]FirmRow, error) {
	var rows []FirmRow
	err := readCSV(filepath.Join(dir, FirmsFile), FirmsHeader, func(rec []string, p *fieldParser) {
		rows = append(rows, FirmRow{
			Arm: rec[0], Replication: p.int(1), Firm: rec[2], Kind: rec[3], Role: rec[4], Sector: rec[5],
			Chain: p.optInt(6), Status: rec[7], FailureStep: p.optInt(8), Cause: rec[9],
			RevenueChange: p.float(10), CashRunwayMonths: p.float(11), Jobs: p.float(12),
		})
	})
	return rows, err
}

// ReadEvents reads events.csv of result directory dir.
func ReadEvents(dir string) ([]EventRow, error) {
	var rows []EventRow
	err := readCSV(filepath.Join(dir, EventsFile), EventsHeader, func(rec []string, p *fieldParser) {
		rows = append(rows, EventRow{
			Arm: rec[0], Replication: p.int(1), Step: p.int(2), Date: rec[3], Firm: rec[4], Kind: rec[5], Role: rec[6],
			Sector: rec[7], Cause: rec[8], Channels: splitList(rec[9]), Parents: splitList(rec[10]),
			Generation: p.int(11), Cascade: rec[12],
		})
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

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
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

func (p *fieldParser) int(i int) int {
	v, err := strconv.Atoi(p.rec[i])
	if err != nil {
		p.fail(i, err)
	}
	return v
}

// optInt reads an integer, or -1 for an empty field.
func (p *fieldParser) optInt(i int) int {
	if p.rec[i] == "" {
		return -1
	}
	return p.int(i)
}

func (p *fieldParser) float(i int) float64 {
	v, err := ParseFloat(p.rec[i])
	if err != nil {
		p.fail(i, err)
	}
	return v
}

// readCSV reads a CSV file whose first record must equal header, calling row
// for each further record.
func readCSV(path string, header []string, row func(rec []string, p *fieldParser)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file", path)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if !slices.Equal(rec, header) {
		return fmt.Errorf("%s: header %q, want %q", path, strings.Join(rec, ","), strings.Join(header, ","))
	}
	p := &fieldParser{header: header}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		p.rec = rec
		row(rec, p)
		if p.err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("%s:%d: %w", path, line, p.err)
		}
	}
}
