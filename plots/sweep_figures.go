package plots

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smesim/smesim/sim/results"
)

// Caps on the figures of a sweep.
const (
	// maxHeatmapParams: heatmaps are drawn for every pair among the first
	// maxHeatmapParams parameters (6 pairs).
	maxHeatmapParams = 4
	// maxLineParams: line plots for the first maxLineParams parameters.
	maxLineParams = 6
)

// SweepFigures returns the figures of the sweep directory dir (see
// LoadSweep):
//
//   - with two or more parameters, for every pair among the first four,
//     "heatmap-<metric>-<key a>-<key b>": the mean over replications of
//     sme_failures in one panel per arm, and of firms_saved in one panel
//     per arm other than the baseline, with a shared colour bar. When the
//     pair does not form a full grid (a Latin hypercube), the panels are
//     scatters of every point coloured by value ("scatter-…");
//   - for each parameter (the first six), "lines-<key>": headline metrics
//     against the parameter, one line per arm with its 95% interval band,
//     at the other parameters' first value; for a Latin hypercube with
//     several parameters, every point with its interval instead.
//
// Text values (durations such as "4w", names) are categories in the
// scenario's order; numbers spanning two decades or more, all positive,
// are drawn on a log axis.
func SweepFigures(dir string) ([]Figure, error) {
	s, err := LoadSweep(dir)
	if err != nil {
		return nil, err
	}
	return s.Figures()
}

// Figures returns the figures of the sweep; see SweepFigures.
func (s *Sweep) Figures() ([]Figure, error) {
	var figs []Figure
	nh := min(len(s.Params), maxHeatmapParams)
	capNote := ""
	if len(s.Params) > maxHeatmapParams {
		capNote = fmt.Sprintf(" Pairs among the first %d of %d parameters only.", maxHeatmapParams, len(s.Params))
	}
	for a := 0; a < nh; a++ {
		for b := a + 1; b < nh; b++ {
			for _, m := range s.heatmapMetrics() {
				f, err := s.pairFigure(a, b, m.metric, m.arms, capNote)
				if err != nil {
					return nil, err
				}
				figs = append(figs, f)
			}
		}
	}
	for j := range s.Params[:min(len(s.Params), maxLineParams)] {
		f, err := s.lineFigure(j)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

type armMetric struct {
	metric string
	arms   []string
}

// heatmapMetrics: sme_failures for every arm, firms_saved for every arm
// but the baseline (when there is one).
func (s *Sweep) heatmapMetrics() []armMetric {
	out := []armMetric{{results.SMEFailures, s.Arms}}
	if others := s.nonBaseline(); len(others) > 0 && s.has(results.FirmsSaved) {
		out = append(out, armMetric{results.FirmsSaved, others})
	}
	return out
}

func (s *Sweep) nonBaseline() []string {
	var out []string
	for _, a := range s.Arms {
		if a != "baseline" {
			out = append(out, a)
		}
	}
	return out
}

// has reports whether any row holds metric.
func (s *Sweep) has(metric string) bool {
	for k := range s.stats {
		if k.metric == metric {
			return true
		}
	}
	return false
}

// armIndex is the arm's colour index: its position among the sweep's arms.
func (s *Sweep) armIndex(arm string) int { return max(0, slices.Index(s.Arms, arm)) }

// currencyUnit stands for the scenario's currency in metricWords.
const currencyUnit = "¤"

// metricWords are the headline and effect metrics (see results) in words,
// with their unit.
var metricWords = map[string]struct{ label, unit string }{
	results.SMEFailures:       {"SME failures", "firms"},
	results.CoreFailures:      {"core failures", "firms"},
	results.Failures:          {"failures", "firms"},
	results.JobsLost:          {"jobs lost", "jobs"},
	results.OutputLost:        {"output lost", currencyUnit},
	results.LargestCascade:    {"largest cascade", "firms"},
	results.MeanCascadeDepth:  {"mean cascade depth", "generations"},
	results.BankLosses:        {"bank losses", currencyUnit},
	results.FiscalCost:        {"fiscal cost", currencyUnit},
	results.FirmsSaved:        {"firms saved", "firms"},
	results.SMEsSaved:         {"SMEs saved", "firms"},
	results.CoresSaved:        {"cores saved", "firms"},
	results.JobsSaved:         {"jobs saved", "jobs"},
	results.OutputSaved:       {"output saved", currencyUnit},
	results.BankLossesAvoided: {"bank losses avoided", currencyUnit},
	results.CostPerFirmSaved:  {"cost per firm saved", currencyUnit + " per firm"},
	results.CostPerJobSaved:   {"cost per job saved", currencyUnit + " per job"},
}

// metricLabel returns a metric's name in words and its unit, in currency
// for an amount of money; a metric not in metricWords is its name with
// spaces for underscores, without a unit.
func metricLabel(metric, currency string) (label, unit string) {
	w, ok := metricWords[metric]
	if !ok {
		return strings.ReplaceAll(metric, "_", " "), ""
	}
	return w.label, strings.Replace(w.unit, currencyUnit, currency, 1)
}

func capitalize(s string) string {
	if s == "" || strings.HasPrefix(s, "SME") {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fileName makes s safe as a file name: letters, digits, '.', '_' and
// '-' kept, anything else '-'.
func fileName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}
