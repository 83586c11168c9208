package config

// FrontierConfig is the [frontier] table: the budgets at which `smesim
// frontier` runs each budgeted intervention alone, and its named mixes.
type FrontierConfig struct {
	Budgets []float64 `toml:"budgets" minx:"0" max:"1e18" doc:"total budgets, in currency units, at which each intervention with a budget, and each mix, is run (smesim frontier; ignored by smesim run)"`
	Mixes   []string  `toml:"mixes" doc:"arms of several interventions, written as in arms (\"loans+guarantee\", \"all\"), run at each total budget split between their budgeted interventions in proportion to their scenario budgets"`
}
