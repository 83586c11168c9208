// Package sensitivity computes global sensitivity measures of a model's
// outputs to its uncertain inputs, on a model it does not run: it writes
// designs of input values (Saltelli's Sobol design, Morris trajectories)
// and analyses the outputs computed on them.
//
// It provides a scrambled Sobol low-discrepancy sequence; parameter
// distributions with inverse-CDF transforms; Saltelli sampling with the
// first-order (Saltelli et al. 2010) and total-order (Jansen 1999) Sobol
// indices and their bootstrap confidence intervals; Morris elementary
// effects (μ, μ*, σ); and Shapley values of a set function. Every result
// is deterministic for a seed.
package sensitivity
