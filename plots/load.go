package plots

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// Run is a result directory as read back: what every run figure is drawn from.
type Run struct {
	Dir        string
	Config     *config.Config // scenario.toml, decoded by results.ReadScenario: a record, not validated input
	Arms       []string       // in order of first appearance in timeseries.csv (baseline first)
	Timeseries []results.TimeseriesRow
	Firms      []results.FirmRow
	Events     []results.EventRow
	Summary    *results.Summary
	Network    *results.Network // network/, or nil when the directory has none
}

// LoadRun reads the result directory dir: scenario.toml, timeseries.csv,
// firms.csv, events.csv, summary.json and, if present, the network of
// network/. A missing or malformed file is an error naming it (and the
// line and column of a CSV file).
//
// scenario.toml is read as a record of what was run, without validating
// it as input (see results.ReadScenario): the directory stays readable
// wherever it is moved, whatever files the scenario named. The rows must
// lie within its steps and replications, and firms.csv and events.csv
// must hold runs of timeseries.csv (see results.ScanTimeseries), so that
// what LoadRun holds is bounded by the size of the files.
func LoadRun(dir string) (*Run, error) {
	cfg, _, err := results.ReadScenario(dir)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	r := &Run{Dir: dir, Config: cfg}
	lim := results.Limits{Steps: max(cfg.Steps, 0), Replications: max(cfg.Replications, 0)}
	var lay *results.Layout
	if r.Timeseries, lay, err = results.ReadTimeseries(dir, lim); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if r.Firms, err = results.ReadFirms(dir, lay); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if r.Events, err = results.ReadEvents(dir, lay); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	if r.Summary, err = results.ReadSummary(dir); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	summaryArms := make([]string, len(r.Summary.Arms))
	for i, a := range r.Summary.Arms {
		summaryArms[i] = a.Arm
	}
	if !slices.Equal(summaryArms, lay.Arms) {
		return nil, fmt.Errorf("plots: %s: arms %s, but %s holds arms %s", filepath.Join(dir, results.SummaryFile),
			quoteList(summaryArms), results.TimeseriesFile, quoteList(lay.Arms))
	}
	if r.Network, err = results.ReadNetwork(dir); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	r.Arms = lay.Arms
	return r, nil
}

// quoteList writes names for a message: ["a", "b"], cut after 10.
func quoteList(names []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range names {
		if i == 10 {
			fmt.Fprintf(&b, ", … (%d in all)", len(names))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if len(n) > 40 {
			n = strings.ToValidUTF8(n[:40], "") + "…"
		}
		b.WriteString(strconv.Quote(n))
	}
	b.WriteByte(']')
	return b.String()
}
