package calibrate

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/smesim/smesim/sim/sensitivity"
)

// Settings tune the sampler.
type Settings struct {
	Particles     int     // N, the particles of generation 0 (at least 4)
	Alpha         float64 // α, the share of particles kept each generation (in (0,1))
	MinAcceptance float64 // stop when the share of new particles within ε falls to it (in [0,1))
	Generations   int     // stop after this many generations, 0 included (at least 1)
	Seed          uint64
}

// DefaultSettings are those Lenormand et al. (2013) recommend, with fewer
// particles: α = 0.5, p_acc,min = 0.05.
func DefaultSettings() Settings {
	return Settings{Particles: 200, Alpha: 0.5, MinAcceptance: 0.05, Generations: 10}
}

// Kept returns αN rounded up: the particles each generation keeps.
func (s Settings) Kept() int { return int(math.Ceil(s.Alpha * float64(s.Particles))) }

// Check reports the first setting out of range, naming it as the flags do.
func (s Settings) Check() error {
	switch {
	case s.Particles < 4 || s.Particles > 1_000_000:
		return fmt.Errorf("particles %d: allowed 4 to 1000000", s.Particles)
	case !(s.Alpha > 0 && s.Alpha < 1):
		return fmt.Errorf("alpha %v: allowed strictly between 0 and 1", s.Alpha)
	case s.Kept() < 2 || s.Kept() >= s.Particles:
		return fmt.Errorf("alpha %v of %d particles keeps %d: it must keep at least 2 and fewer than all", s.Alpha, s.Particles, s.Kept())
	case !(s.MinAcceptance >= 0 && s.MinAcceptance < 1):
		return fmt.Errorf("min-acceptance %v: allowed 0 to less than 1", s.MinAcceptance)
	case s.Generations < 1 || s.Generations > 1000:
		return fmt.Errorf("generations %d: allowed 1 to 1000", s.Generations)
	}
	return nil
}

// Population is the particles kept after a generation.
type Population struct {
	Generation int
	U          [][]float64 // per particle, its point of the unit cube
	Weights    []float64   // importance weights (prior over proposal), not normalised
	Distances  []float64   // per particle, its distance to the facts
	Sims       []int       // per particle, its number among all particles simulated, generation by generation
	Tolerance  float64     // ε: the largest distance kept
	Acceptance float64     // the share of the generation's new particles within the previous ε (1 for generation 0)
	Runs       int         // particles simulated so far, all generations
}

// Done reports whether the sampler stops after pop.
func (s Settings) Done(pop *Population) bool {
	return pop.Generation+1 >= s.Generations || pop.Generation > 0 && pop.Acceptance <= s.MinAcceptance
}

// Proposals returns the particles of generation gen (0 for the first,
// when prev is nil) in the unit cube of dimension k, with their weights.
func Proposals(s Settings, k int, prev *Population) (u [][]float64, w []float64) {
	gen := 0
	if prev != nil {
		gen = prev.Generation + 1
	}
	rng := sensitivity.Stream(s.Seed, streamProposals, uint64(gen))
	if prev == nil {
		u = make([][]float64, s.Particles)
		w = make([]float64, s.Particles)
		for i := range u {
			u[i] = make([]float64, k)
			for j := range k {
				u[i][j] = clampUnit(rng.Float64())
			}
			w[i] = 1
		}
		return u, w
	}
	kern := newKernel(prev)
	n := s.Particles - len(prev.U)
	u = make([][]float64, n)
	w = make([]float64, n)
	for i := range u {
		parent := kern.pick(rng.Float64())
		u[i] = make([]float64, k)
		for j := range k {
			u[i][j] = kern.move(parent, j, rng.Float64())
		}
		w[i] = 1 / kern.density(u[i]) // prior density 1 on the cube
	}
	return u, w
}

// Streams of the sampler's random draws.
const streamProposals uint64 = 0x41504d43 // "APMC"

// Select returns the population after a generation: the s.Kept() closest
// of prev's particles (none for generation 0) and the new ones u, with
// their weights w and distances d. An undefined distance (NaN) counts as
// infinite. Ties keep the earlier particle, prev's before the new.
func Select(s Settings, prev *Population, u [][]float64, w, d []float64) (*Population, error) {
	if len(u) != len(w) || len(u) != len(d) {
		return nil, fmt.Errorf("calibrate: %d particles, %d weights, %d distances", len(u), len(w), len(d))
	}
	next := &Population{Acceptance: 1, Runs: len(u)}
	var us [][]float64
	var ws, ds []float64
	var sims []int
	first := 0 // the number of the first new particle
	if prev != nil {
		first = prev.Runs
		sims = slices.Clone(prev.Sims)
		next.Generation = prev.Generation + 1
		next.Runs += prev.Runs
		us, ws, ds = slices.Clone(prev.U), slices.Clone(prev.Weights), slices.Clone(prev.Distances)
		within := 0
		for _, x := range d {
			if x < prev.Tolerance {
				within++
			}
		}
		if len(d) > 0 {
			next.Acceptance = float64(within) / float64(len(d))
		}
	}
	us = append(us, u...)
	ws = append(ws, w...)
	for i := range u {
		sims = append(sims, first+i)
	}
	for _, x := range d {
		if math.IsNaN(x) {
			x = math.Inf(1)
		}
		ds = append(ds, x)
	}
	all := ascending(ds)
	keep := min(s.Kept(), len(all))
	if keep == 0 {
		return nil, errors.New("calibrate: no particle")
	}
	for _, i := range all[:keep] {
		next.U = append(next.U, us[i])
		next.Weights = append(next.Weights, ws[i])
		next.Distances = append(next.Distances, ds[i])
		next.Sims = append(next.Sims, sims[i])
	}
	next.Tolerance = next.Distances[keep-1]
	return next, nil
}

// Distance is the distance of simulated facts from the observed ones: the
// root mean square of their deviations in tolerances, (sim − target) /
// tolerance, so that 1 is a typical fact missed by its tolerance. An
// undefined deviation makes it infinite.
func Distance(deviations []float64) float64 {
	if len(deviations) == 0 {
		return 0
	}
	var ss float64
	for _, z := range deviations {
		if math.IsNaN(z) || math.IsInf(z, 0) {
			return math.Inf(1)
		}
		ss += z * z
	}
	return math.Sqrt(ss / float64(len(deviations)))
}

// clampUnit keeps a point of the cube off its faces, where an unbounded
// distribution's quantile is infinite: within the 1e-9 tails that
// scenario validation checks a key can take.
func clampUnit(x float64) float64 { return min(max(x, 1e-9), 1-1e-9) }

// ascending returns the indices of x in ascending order of their values,
// ties in index order. x holds no NaN.
func ascending(x []float64) []int {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	return idx
}
