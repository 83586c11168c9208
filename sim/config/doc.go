// Package config declares a scenario's parameters as data: the types a
// scenario file decodes into (with their TOML keys, ranges and one-line
// docs in struct tags), their defaults, the intervention kinds and the
// arms a scenario runs.
//
// It holds no behaviour beyond resolving arm names: package scenarios
// reads and validates scenario files into a Config, the engine (package
// sim) runs one, and result readers and plots read the resolved scenario
// a run wrote back as a Config without validating it again.
package config
