package config

// FactConfig is one [[facts]] entry: an observed fact a scenario should
// reproduce, how to measure it on the results, and the tolerance within
// which a simulated mean counts as reproducing it. Facts are checked by
// `smesim check-facts`; the engine ignores them.
type FactConfig struct {
	Name      string  `toml:"name" doc:"short label of the fact"`
	Source    string  `toml:"source" doc:"where the figure comes from"`
	Quantity  string  `toml:"quantity" enum:"firm-share,series-mean,series-change,reopened-share,failure-share,exit-rate,closed-size-ratio" doc:"what is measured: firm-share (share of firms whose firms.csv column lies in [min, max]), series-mean (mean of a time-series metric over [from, to], minus 1 with change = true), series-change (a time-series metric on date over its value at step 0, minus 1), reopened-share (share of active SMEs not locked down on date), failure-share (share of SMEs failed by date), exit-rate (failures and exits over [from, to] per year, over the mean number active), closed-size-ratio (the jobs share of the firms failed or exited by date over their share of firms)"`
	Arm       string  `toml:"arm" doc:"arm measured (default: \"all\" when the scenario has interventions, else the baseline)"`
	Firms     string  `toml:"firms" enum:"sme,core,all" doc:"firm-share, failure-share, exit-rate, closed-size-ratio: which firms count"`
	Cohort    string  `toml:"cohort" enum:"incumbent,entrant,all" doc:"firm-share, failure-share, exit-rate, closed-size-ratio: incumbents (firms at step 0, as survey panels), entrants (firms that entered during the run) or all; firms of the entry pool that never entered never count"`
	Column    string  `toml:"column" enum:"cash_runway_months,revenue_change,jobs" doc:"firm-share: the firms.csv column"`
	Min       float64 `toml:"min" min:"-1e18" max:"1e18" doc:"firm-share: lowest value counted (inclusive; default: no bound)"`
	Max       float64 `toml:"max" min:"-1e18" max:"1e18" doc:"firm-share: highest value counted (inclusive; default: no bound)"`
	Metric    string  `toml:"metric" doc:"series-mean, series-change: time-series metric (see timeseries.csv)"`
	From      string  `toml:"from" doc:"series-mean, exit-rate: first date of the window, YYYY-MM-DD"`
	To        string  `toml:"to" doc:"series-mean, exit-rate: last date of the window, YYYY-MM-DD"`
	Change    bool    `toml:"change" doc:"series-mean: report mean − 1 (for multipliers and levels relative to 1)"`
	Date      string  `toml:"date" doc:"reopened-share, failure-share, closed-size-ratio, series-change: the date, YYYY-MM-DD"`
	Target    float64 `toml:"target" min:"-1e18" max:"1e18" doc:"the observed value, in the quantity's units (shares as fractions: 0.14, not 14)"`
	Tolerance float64 `toml:"tolerance" min:"0" max:"1e18" doc:"largest distance between the simulated mean and the target that counts as reproduced"`
}

// DefaultFact returns the defaults of a [[facts]] entry.
func DefaultFact() FactConfig {
	return FactConfig{Firms: "sme", Cohort: "incumbent", Column: "cash_runway_months", Min: -1e18, Max: 1e18}
}
