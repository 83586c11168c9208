// Package outcome holds what a run of the engine produces: the Result of
// one arm and replication (time series, per-firm outcomes, failure events,
// what each intervention did) and the one table of time-series metrics.
// The engine (package sim) fills it; package results writes and reads it.
// It is data only: it runs and validates nothing.
package outcome
