// Package scenarios turns a TOML scenario file into a validated config.Config,
// and holds the library of built-in scenarios.
//
// # Schema
//
// The schema is config.Config: each struct field's toml tag is a key, nested
// structs are tables ([network], [production], [firms.sme], …) and slices of
// structs are arrays of tables ([[markets]], [[banks]], [[shocks]],
// [[interventions]]). The tags also carry the documentation and the rules:
// doc (one line, written into templates), min and max (inclusive ranges),
// minx and maxx (exclusive), enum (allowed strings; on a list, for each
// element) and kinds (on [[shocks]] and [[interventions]] keys: the kinds of
// shock or intervention the key applies to). Template writes a scenario with
// every key documented from these tags.
//
// # Units
//
// Every duration is a string with a unit: "90d", "2w", "3mo", "1.5y" (a
// month is a twelfth of a 365-day year). A bare number or an unknown unit is
// an error, and so is a duration above 100y (the longest run). Every rate
// is per year. One step is "1w" by default and may be
// from 1d to 1mo (31 days); the engine converts durations and rates into
// steps once, at load (see package sim/units).
//
// # Defaults
//
// A file is applied on top of config.DefaultConfig: a key that is absent keeps
// its default. An array of tables present in the file replaces the default
// list whole, and each of its elements starts from config.DefaultBank,
// config.DefaultMarket, config.DefaultShock or config.DefaultIntervention before its
// keys are applied; an empty array (shocks = []) means none. A shock that
// sets recovery but no shape recovers linearly (the default shape, "step",
// returns to normal at once). Encode writes the fully resolved
// scenario, every key with its value, which Parse reads back to the same
// configuration.
//
// # Strict validation
//
// Unknown keys are errors, with the nearest valid key suggested; so are
// values of the wrong type, durations without a unit, numbers out of range
// (NaN and infinities always are; no value may be negative), strings outside
// their enum, [[shocks]] and [[interventions]] keys set for a kind they do
// not apply to (and supply-chain-finance keys set for the other mode), and
// inconsistent settings: the step length, a run longer than 100 years,
// shocks that start or end after the run, market names, a demand shock on an
// unknown market, finance without banks, network files that do not exist,
// production input shares that reach 1, durations that must be positive,
// interventions without an end, ending before they start, starting after
// the run or counting from a shock when there is none, a missing budget,
// reserved or duplicate intervention names, and arms that do not resolve.
//
// # Interventions and arms
//
// Each [[interventions]] entry has a kind (supply-chain-finance,
// policy-loan, loan-guarantee, interest-subsidy, moratorium, tax-relief,
// payment-term-cap) and a name, by default its kind; names must be distinct,
// and may not be "baseline" or "all" or contain "+". A file must set end
// and, for the kinds in config.BudgetKinds(), budget. arms lists the arms to run
// (see config.Config.ResolveArms): "baseline", intervention names, names joined
// by "+", or "all". The sectors and regions that shocks and interventions
// name, the markets of demand shocks and supply-chain-finance cores must
// exist in the network: Validate checks them against the names a generator
// makes, and Parse also against those of a file network, which it reads
// (see sim.Names).
//
// # Limits
//
// A scenario file may be at most 1 MiB, nest arrays and inline tables at
// most 16 deep, and have keys of at most 16 dotted parts; Parse checks
// this before decoding, and that no float underflows to 0 (1e-400).
// Messages echo at most 40 characters of a value.
// Every error is an *Error, printed on one line as
//
//	FILE:LINE: KEY: MESSAGE
//
// for example
//
//	lockdown.toml:31: shocks[1].depht: unknown key; did you mean "depth"?
//
// # Sweeps
//
// [sweep] lists [[sweep.parameters]] for `smesim sweep` (`smesim run`
// ignores it). Each has a key, a dotted path such as "network.chains" in
// which the segment after an array of tables selects one element by name,
// by kind or by index ("shocks[0].depth"; a selector matching several
// elements is an error; see SetKey; replications and an intervention's
// name and kind cannot be swept, as every point has the same replications
// and arms), and the values the key takes: values (numbers), texts
// (durations with their unit, or strings), or a range from min to max
// (numbers; scale = "log" spaces it in logarithms). With design = "grid"
// a range needs steps and the points are every combination of the
// parameters' values, the first parameter varying slowest; with design =
// "latin-hypercube" [sweep] sets points and the ranges are sampled so that
// each parameter's strata are each used once (see SweepPoints). A key
// that does not resolve or does not take the values given, min ≥ max, a
// grid of more than 1,000,000 points and a point whose scenario is not
// valid are errors; Validate checks every point of a grid of up to 10,000
// points, and otherwise the corners of the parameters' ranges.
//
// # Built-in library
//
// The built-in scenarios are embedded TOML files (see Builtins): "default"
// (config.DefaultConfig written out in full), "small", "lockdown",
// "credit-crunch", "export-barrier" and "supply-shortage". Open takes either
// a built-in name or a file path; Source returns a built-in's text and
// Template a fully commented copy for `smesim init`.
package scenarios
