// Package calibrate estimates a model's uncertain parameters from observed
// facts by approximate Bayesian computation (ABC), on a model it does not
// run: it proposes parameter sets, is told how far each one's simulated
// facts lie from the observed ones, and returns a weighted sample of the
// posterior.
//
// The algorithm is the adaptive population Monte Carlo ABC (APMC) of
// Lenormand, Jabot and Deffuant (2013, "Adaptive approximate Bayesian
// computation for complex models", Computational Statistics 28:2777–2796),
// a sequential Monte Carlo ABC in the line of Beaumont et al. (2009) and
// Toni et al. (2009) with its tolerance schedule chosen by the data:
//
//   - generation 0 draws N particles from the prior and keeps the αN
//     closest; the tolerance ε is the largest distance kept;
//   - each later generation draws N − αN new particles from the kept ones,
//     chosen by weight and moved by a Gaussian kernel with twice their
//     weighted variance (Beaumont et al. 2009), weighted by the prior over
//     the kernel mixture (importance sampling); the αN closest of the old
//     and new particles are kept, and ε falls to the largest distance kept;
//   - it stops when the share of new particles closer than the previous ε
//     falls to MinAcceptance (or after Generations generations).
//
// Why APMC rather than Beaumont's or Toni's ABC-SMC with a fixed
// schedule, or Del Moral et al.'s (2012) adaptive ABC-SMC: each
// generation runs a number of simulations known before it starts (N, then
// N − αN), so a generation is a batch of fixed size that can be split over
// workers, stored run by run and resumed; Beaumont's and Toni's samplers
// instead draw until N proposals fall within ε, an unknown number of
// simulations, and need a schedule of tolerances chosen in advance. Del
// Moral's sampler also runs a fixed number per generation, but moves every
// particle by an MCMC step whose acceptance is a coin toss on a single
// simulation, and needs several simulations per particle to mix; on
// agent-based models Lenormand et al. found APMC to reach the same
// posterior with two to eight times fewer simulations than those samplers.
//
// Parameters live in the unit cube: the prior of parameter j is the
// distribution whose quantile function maps u ∈ (0,1) to its values
// (sim/sensitivity.Distribution), so the prior density is 1 on the cube
// for every one of the six distributions and no density needs computing.
// The kernel is a Gaussian truncated to the cube, per coordinate, whose
// normalising constant is exact, so the importance weights are exact too.
// A discrete parameter moves in u as any other, and takes the value its
// quantile gives.
//
// Everything is deterministic for Settings.Seed: the same distances give
// the same particles, weights and posterior on every platform.
package calibrate
