// Package config declares a scenario's parameters as data: the types a
// scenario file decodes into (with their TOML keys, ranges and one-line
// docs in struct tags), their defaults, the intervention kinds and the
// arms a scenario runs, and the scenario file's codec: Decode reads TOML
// into a Config without validating it, with errors (*Error) that name the
// file, line and key.
//
// It holds no behaviour beyond that and resolving arm names: package
// scenarios parses and validates scenario files into a Config (on top of
// Decode), the engine (package sim) runs one, and result readers (package
// results) decode the resolved scenario a run wrote back as a record,
// without validating it again.
package config
