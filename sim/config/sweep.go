package config

// SweepConfig is the [sweep] table: parameters to vary across points of a
// sweep run by `smesim sweep`. Every point runs every arm and replication
// with the scenario's seed, so points share their random draws too.
type SweepConfig struct {
	Design     string           `toml:"design" enum:"grid,latin-hypercube" doc:"grid: every combination of the parameters' values; latin-hypercube: points drawn so that each parameter's range is evenly covered"`
	Points     int              `toml:"points" min:"0" max:"1000000" doc:"latin-hypercube: number of points"`
	Parameters []SweepParameter `toml:"parameters" doc:"the parameters varied"`
}

// SweepParameter is one [[sweep.parameters]] entry: a scenario key and the
// values it takes — a list (values for numbers, texts for durations and
// names) or a range (min, max and, for a grid, steps).
type SweepParameter struct {
	Key    string    `toml:"key" doc:"dotted path of a scenario key; in arrays of tables one element is picked by name, by kind (when only one has it) or by index: \"shocks[0].depth\", \"interventions.loans.budget\", \"banks.0.capital_ratio\""`
	Values []float64 `toml:"values" min:"-1e18" max:"1e18" doc:"numbers the key takes"`
	Texts  []string  `toml:"texts" doc:"durations (\"4w\") or names the key takes"`
	Min    float64   `toml:"min" min:"-1e18" max:"1e18" doc:"range: lowest value"`
	Max    float64   `toml:"max" min:"-1e18" max:"1e18" doc:"range: highest value"`
	Steps  int       `toml:"steps" min:"0" max:"100000" doc:"grid range: number of evenly spaced values from min to max, both included"`
	Scale  string    `toml:"scale" enum:"linear,log" doc:"range: spacing of values (log: evenly spaced logarithms, min > 0)"`
}

// DefaultSweepParameter returns the defaults of a [[sweep.parameters]]
// entry.
func DefaultSweepParameter() SweepParameter { return SweepParameter{Scale: "linear"} }
