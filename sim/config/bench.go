package config

import "github.com/smesim/smesim/sim/units"

// Bench is the benchmark scenario with about firms firms: the default
// core-satellite chains of 262 firms with five suppliers per input (average
// degree about 5: 2.55 links per firm), daily steps for a year, finance on,
// the default demand shock, aggregate recording.
func Bench(firms int) *Config {
	cfg := DefaultConfig()
	cfg.Name = "bench"
	cfg.Network.Chains = max(1, (firms+131)/262)
	cfg.Network.MultiSourcing = 5
	cfg.Step, _ = units.ParseDuration("1d")
	cfg.Steps = 365
	cfg.Output.Record = "aggregate"
	return &cfg
}
