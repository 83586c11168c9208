package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

// Column headers of the CSV files.
var (
	TimeseriesHeader = []string{"arm", "replication", "step", "date", "metric", "value"}
	FirmsHeader      = []string{"arm", "replication", "firm", "kind", "role", "sector", "chain", "status", "failure_step", "cause", "revenue_change", "cash_runway_months", "jobs"}
	// DemographyColumns end firms.csv's rows in a run with demography:
	// each firm's size class and the step it entered (−1 for incumbents
	// and for dormant firms that never entered).
	DemographyColumns = []string{"size_class", "entered_step"}
	// FirmsDemographyHeader is firms.csv's header in a run with
	// demography and without support columns.
	FirmsDemographyHeader = firmsHeaderOf(false, true)
	EventsHeader          = []string{"arm", "replication", "step", "date", "firm", "kind", "role", "sector", "cause", "channels", "parents", "generation", "cascade"}
)

// DateLayout is the layout of the date columns.
const DateLayout = "2006-01-02"

// FormatFloat writes a number as every result file does: 10 significant
// digits ('g' format), "0" for negative zero, and NaN, Inf, -Inf for the
// non-finite values.
func FormatFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}

// ParseFloat reads a number written by FormatFloat (or any Go float syntax).
func ParseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// rowBuffers are the rows reused while writing, one per file.
type rowBuffers struct {
	ts, firm, event []string
	parents         []string
	pair            *pairing // if not nil, firm rows have the SupportColumns
	demography      bool     // firm rows end with the DemographyColumns
}

// WriteTimeseries writes timeseries.csv for results in the order given: one
// row per arm, replication, step and metric.
func WriteTimeseries(w io.Writer, results []*outcome.Result) error {
	return writeCSV(w, TimeseriesHeader, results, timeseriesRows)
}

// WriteFirms writes firms.csv for results in the order given: one row per
// arm, replication and firm. Results recorded without firm outcomes
// (output.record = "aggregate") contribute no rows.
func WriteFirms(w io.Writer, results []*outcome.Result) error {
	header := FirmsHeader
	if len(results) > 0 && demographyColumns(results[0]) {
		header = FirmsDemographyHeader
	}
	return writeCSV(w, header, results, firmRows)
}

// firmsHeaderOf returns firms.csv's header: FirmsHeader, then the
// SupportColumns with support, then the DemographyColumns with
// demography.
func firmsHeaderOf(support, demography bool) []string {
	h := append([]string(nil), FirmsHeader...)
	if support {
		h = append(h, SupportColumns...)
	}
	if demography {
		h = append(h, DemographyColumns...)
	}
	return h
}

// demographyColumns reports whether r's firms.csv rows have the columns of
// FirmsDemographyHeader: when its run had size classes, exits or entry.
func demographyColumns(r *outcome.Result) bool {
	return r.Firms.EnteredStep != nil || (r.Network != nil && r.Network.SizeClass != nil)
}

// WriteEvents writes events.csv for results in the order given: one row per
// failure, in the order the engine recorded them. Channels and parents are
// joined with ';'; cascade is the name of the cascade's generation-0 root.
func WriteEvents(w io.Writer, results []*outcome.Result) error {
	return writeCSV(w, EventsHeader, results, eventRows)
}

// writeCSV writes header, then the rows of each result.
func writeCSV(w io.Writer, header []string, results []*outcome.Result, rows func(*csv.Writer, *outcome.Result, *rowBuffers) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	buf := rowBuffers{demography: slices.Equal(header, FirmsDemographyHeader)}
	for _, r := range results {
		if err := rows(cw, r, &buf); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// timeseriesRows writes the timeseries.csv rows of r.
func timeseriesRows(cw *csv.Writer, r *outcome.Result, buf *rowBuffers) error {
	if buf.ts == nil {
		buf.ts = make([]string, len(TimeseriesHeader))
	}
	row := buf.ts
	row[0], row[1] = r.Arm, strconv.Itoa(r.Replication)
	for t := 0; t < r.Steps(); t++ {
		row[2], row[3] = strconv.Itoa(t), r.Date(t).Format(DateLayout)
		for m, name := range r.Metrics {
			row[4], row[5] = name, FormatFloat(r.Value(t, m))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// firmRows writes the firms.csv rows of r: none without firm outcomes.
func firmRows(cw *csv.Writer, r *outcome.Result, buf *rowBuffers) error {
	fo, net := &r.Firms, r.Network
	if len(fo.Status) == 0 {
		return nil
	}
	demo := demographyColumns(r)
	if buf.firm == nil {
		buf.firm = make([]string, len(firmsHeaderOf(buf.pair != nil, buf.demography)))
	}
	if demo != buf.demography {
		return fmt.Errorf("arm %q replication %d: firm outcomes with demography %v in a firms.csv with demography columns %v", r.Arm, r.Replication, demo, buf.demography)
	}
	row := buf.firm
	row[0], row[1] = r.Arm, strconv.Itoa(r.Replication)
	for i := 0; i < net.N(); i++ {
		row[2], row[3], row[4], row[5] = net.Name(i), net.Kind[i].String(), net.Role[i].String(), sectorName(net, net.Sector[i])
		row[6] = ""
		if net.Chain[i] >= 0 {
			row[6] = strconv.Itoa(int(net.Chain[i]))
		}
		row[7] = fo.Status[i].String()
		row[8] = ""
		if (fo.Status[i] == outcome.Failed || fo.Status[i] == outcome.Exited) && fo.FailStep[i] >= 0 {
			row[8] = strconv.Itoa(int(fo.FailStep[i]))
		}
		row[9] = fo.Cause[i].String()
		row[10], row[11], row[12] = FormatFloat(fo.RevenueChange[i]), FormatFloat(fo.RunwayMonths[i]), FormatFloat(fo.Jobs[i])
		if buf.pair != nil {
			buf.pair.supportCells(r, i, row[len(FirmsHeader):])
		}
		if demo {
			d := row[len(row)-len(DemographyColumns):]
			d[0], d[1] = net.Class(i).String(), "-1"
			if fo.EnteredStep != nil {
				d[1] = strconv.Itoa(int(fo.EnteredStep[i]))
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// eventRows writes the events.csv rows of r.
func eventRows(cw *csv.Writer, r *outcome.Result, buf *rowBuffers) error {
	if len(r.Events) == 0 {
		return nil
	}
	if buf.event == nil {
		buf.event = make([]string, len(EventsHeader))
	}
	row, net := buf.event, r.Network
	row[0], row[1] = r.Arm, strconv.Itoa(r.Replication)
	for _, e := range r.Events {
		f := int(e.Firm)
		row[2], row[3] = strconv.Itoa(int(e.Step)), r.Date(int(e.Step)).Format(DateLayout)
		row[4], row[5], row[6], row[7] = net.Name(f), net.Kind[f].String(), net.Role[f].String(), sectorName(net, net.Sector[f])
		row[8] = e.Cause.String()
		row[9] = strings.Join(e.Channels.Names(), ";")
		buf.parents = buf.parents[:0]
		for _, p := range e.Parents {
			buf.parents = append(buf.parents, net.Name(int(p)))
		}
		row[10] = strings.Join(buf.parents, ";")
		row[11] = strconv.Itoa(int(e.Generation))
		row[12] = net.Name(int(e.Cascade))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

func sectorName(net *network.Network, s int32) string {
	if s >= 0 && int(s) < len(net.SectorNames) {
		return net.SectorNames[s]
	}
	return strconv.Itoa(int(s))
}
