package results

import (
	"fmt"
	"strings"

	"github.com/smesim/smesim/sim/outcome"
)

// Unit describes one metric or column of the result files: its name, its
// unit and what it measures. The tables below are the one source of the
// units written into the Parquet files' metadata and of the metric table in
// README.md (a test keeps the two equal).
type Unit struct {
	Name        string
	Unit        string
	Description string
}

// Units of money and of the step; "step" flows are sums over one step.
const (
	unitMoney     = "currency units"
	unitMoneyStep = "currency units per step"
	unitFirms     = "firms"
	unitFirmsStep = "firms per step"
	unitJobs      = "jobs"
	unitRatio     = "ratio"
)

// SeriesUnits holds every time-series metric the engine records, in the
// engine's order, read from the engine's own table (outcome.Metrics). Stocks
// are measured at the end of the step, flows over the step.
var SeriesUnits = seriesUnits(outcome.Metrics())

// seriesUnits words the engine's units for readers of the files.
func seriesUnits(ms []outcome.Metric) []Unit {
	units := make([]Unit, len(ms))
	for i, m := range ms {
		u := m.Unit
		switch {
		case m.Unit == "currency" && m.Kind == "flow":
			u = unitMoneyStep
		case m.Unit == "currency":
			u = unitMoney
		case m.Unit == "firms" && m.Kind == "flow":
			u = unitFirmsStep
		case m.Unit == "multiplier":
			u = unitRatio
		}
		units[i] = Unit{Name: m.Name, Unit: u, Description: m.Description}
	}
	return units
}

// HeadlineUnits holds the HeadlineMetrics, in order: the columns of
// runs.csv after arm and replication, and summary.json's "headline".
var HeadlineUnits = []Unit{
	{SMEFailures, "firms", "SMEs failed by the end of the run"},
	{CoreFailures, "firms", "core enterprises failed by the end of the run"},
	{Failures, "firms", "firms failed by the end of the run"},
	{JobsLost, unitJobs, "baseline jobs of the failed firms"},
	{OutputLost, unitMoney, "sum over the steps from the first shock of (mean pre-shock output − output)"},
	{LargestCascade, "firms", "firms in the largest cascade (0 without failures)"},
	{MeanCascadeDepth, "generations", "mean over cascades of their largest generation (undefined without failures: empty in runs.csv, null in summary.json)"},
	{BankLosses, unitMoney, "sum over the steps of bank_losses: bank write-offs less what guarantors paid"},
	{FiscalCost, unitMoney, "sum over the steps of fiscal_cost: public money spent on interventions, net of fees and interest received"},
}

// Column units of the per-row files (timeseries, firms, events, runs).
var (
	TimeseriesUnits = []Unit{
		{"arm", "", "the arm: baseline, or an intervention arm"},
		{"replication", "", "Monte Carlo replication, from 0"},
		{"step", "steps", "step, from 0"},
		{"date", "YYYY-MM-DD", "calendar date of the step"},
		{"metric", "", "metric name; units in the metadata key unit.metric.<name>"},
		{"value", "see metric", "stocks at the end of the step, flows over the step"},
	}
	FirmsUnits = []Unit{
		{"arm", "", "the arm"},
		{"replication", "", "Monte Carlo replication, from 0"},
		{"firm", "", "firm identifier"},
		{"kind", "", "core or sme"},
		{"role", "", "raw-material, supplier, manufacturer, distributor or other"},
		{"sector", "", "sector name"},
		{"chain", "", "industrial chain index; null if none"},
		{"status", "", "active or failed at the end of the run"},
		{"failure_step", "steps", "step of failure; null if active"},
		{"cause", "", "illiquid, insolvent or exit-value; exit for a background exit; empty if active"},
		{"revenue_change", unitRatio, "revenue over the post-shock horizon against the pre-shock baseline, as a share"},
		{"cash_runway_months", "months", "months of fixed and wage costs the starting cash covers"},
		{"jobs", unitJobs, "baseline employment"},
	}
	// FirmsDemographyUnits are those of FirmsDemographyHeader.
	FirmsDemographyUnits = append(append([]Unit(nil), FirmsUnits...),
		Unit{"size_class", "", "NBS size class: micro, small, medium or large; null without size classes"},
		Unit{"entered_step", "steps", "step at which the firm entered; -1 for incumbents and for firms of the entry pool that never entered"})
	// SupportUnits are those of the SupportColumns.
	SupportUnits = []Unit{
		{"support", unitMoney, "money the firm received from the arm's interventions; null if none"},
		{"additionality", "", "saved, deadweight, lost-anyway or harmed, against the baseline of the same replication; null if not reached or not paired"},
	}
	EventsUnits = []Unit{
		{"arm", "", "the arm"},
		{"replication", "", "Monte Carlo replication, from 0"},
		{"step", "steps", "step of the failure"},
		{"date", "YYYY-MM-DD", "calendar date of the step"},
		{"firm", "", "the failed firm"},
		{"kind", "", "core or sme"},
		{"role", "", "the firm's role"},
		{"sector", "", "sector name"},
		{"cause", "", "illiquid, insolvent or exit-value"},
		{"channels", "", "how distress reached the firm, ;-separated; null if none"},
		{"parents", "", "firms whose failure reached this one, ;-separated; null if none"},
		{"generation", "generations", "0 for a cascade's root, else 1 + the largest parent generation"},
		{"cascade", "", "the firm at the root of the cascade"},
	}
)

// RunsUnits returns the columns of runs.csv: arm, replication and the
// headline metrics.
func RunsUnits() []Unit {
	return append([]Unit{{"arm", "", "the arm"}, {"replication", "", "Monte Carlo replication, from 0"}}, HeadlineUnits...)
}

// unitOf returns the Unit of name in us.
func unitOf(us []Unit, name string) (Unit, bool) {
	for _, u := range us {
		if u.Name == name {
			return u, true
		}
	}
	return Unit{}, false
}

// MetricTable returns the Markdown table of the time-series metrics and the
// headline metrics with their units, as README.md shows it.
func MetricTable() string {
	var b strings.Builder
	b.WriteString("| metric | unit | meaning |\n|---|---|---|\n")
	for _, u := range SeriesUnits {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", u.Name, u.Unit, u.Description)
	}
	return b.String()
}

// HeadlineTable returns the Markdown table of the headline metrics with
// their units, as README.md shows it.
func HeadlineTable() string {
	var b strings.Builder
	b.WriteString("| metric | unit | meaning |\n|---|---|---|\n")
	for _, u := range HeadlineUnits {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", u.Name, u.Unit, u.Description)
	}
	return b.String()
}

// firmsUnitsOf returns the units of firms.parquet's columns, in the order
// of firmsHeaderOf(support, demography).
func firmsUnitsOf(support, demography bool) []Unit {
	u := append([]Unit(nil), FirmsUnits...)
	if support {
		u = append(u, SupportUnits...)
	}
	if demography {
		u = append(u, FirmsDemographyUnits[len(FirmsUnits):]...)
	}
	return u
}
