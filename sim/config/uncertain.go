package config

// UncertainConfig is one [[uncertain]] entry: a scenario key whose value
// is not known, the distribution of its plausible values and where that
// comes from. smesim sensitivity draws the key from it; smesim run ignores
// it. Which of lo, hi, mean, sd, alpha, beta, values and weights apply
// depends on the distribution (see package sim/sensitivity).
type UncertainConfig struct {
	Key          string    `toml:"key" doc:"dotted path of a scenario key, as in [[sweep.parameters]]: \"shocks.lockdown.depth\", \"interventions.loans.budget\""`
	Distribution string    `toml:"distribution" doc:"uniform (lo, hi), loguniform (lo, hi > 0), normal (mean, sd), truncnormal (mean, sd, lo, hi), beta (alpha, beta; optional lo, hi) or discrete (values; optional weights)"`
	Lo           float64   `toml:"lo" min:"-1e18" max:"1e18" doc:"lowest value (uniform, loguniform, truncnormal; beta: with hi, the range, default 0 to 1)"`
	Hi           float64   `toml:"hi" min:"-1e18" max:"1e18" doc:"highest value"`
	Mean         float64   `toml:"mean" min:"-1e18" max:"1e18" doc:"normal, truncnormal: mean (before truncation)"`
	SD           float64   `toml:"sd" min:"0" max:"1e18" doc:"normal, truncnormal: standard deviation (before truncation)"`
	Alpha        float64   `toml:"alpha" min:"0" max:"1e6" doc:"beta: first shape parameter"`
	Beta         float64   `toml:"beta" min:"0" max:"1e6" doc:"beta: second shape parameter"`
	Values       []float64 `toml:"values" min:"-1e18" max:"1e18" doc:"discrete: the values the key takes"`
	Weights      []float64 `toml:"weights" min:"0" max:"1e18" doc:"discrete: their relative probabilities (default equal)"`
	Unit         string    `toml:"unit" doc:"duration keys: the unit of the numbers drawn (d, w, mo or y); other keys: none"`
	Source       string    `toml:"source" doc:"where the distribution comes from: a study, a data set, an expert's judgement"`
}
