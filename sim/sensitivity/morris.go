package sensitivity

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// MaxTrajectories is the largest number of trajectories of a Morris design.
const MaxTrajectories = 1 << 20

// normalMorrisTail is the probability left out at each end of an unbounded
// distribution by the Morris grid: its levels span the 0.5% to 99.5%
// quantiles, since the 0 and 1 quantiles are infinite.
const normalMorrisTail = 0.005

// Morris is the trajectory design of Morris (1991) for screening k
// parameters: r trajectories of k+1 points on a grid of p levels of each
// parameter's probability scale (0, 1/(p-1), …, 1). Each parameter moves
// once per trajectory, by Δ = jump/(p-1), between the two levels of a
// pair (l, l + jump), l drawn uniformly from 0 to p-1-jump; a trajectory
// starts at the low or the high level of each parameter's pair (at
// random) and moves the parameters in a random order. The default jump is
// p/2, so that Δ = p/(2(p-1)) and every level is equally likely (Morris's
// recommendation). The design has r(k+1) rows, trajectory by trajectory.
type Morris struct {
	params     []Param
	r, p, jump int
	seed       uint64
}

// NewMorris returns the Morris design of params (checked by CheckParams)
// with r trajectories (1 to MaxTrajectories) on p levels (an even number
// from 2 to 1000) with the default jump p/2, drawn from seed.
func NewMorris(params []Param, r, p int, seed uint64) (*Morris, error) {
	return NewMorrisJump(params, r, p, p/2, seed)
}

// NewMorrisJump is NewMorris with steps of jump levels (1 to p-1): Δ =
// jump/(p-1). A finer grid with the same Δ samples the effects at more
// places; see docs/sensitivity.md for a function (Ishigami's) whose
// ranking by μ* depends on the grid.
func NewMorrisJump(params []Param, r, p, jump int, seed uint64) (*Morris, error) {
	params = slices.Clone(params) // Check prepares the copy's quantile functions
	if err := CheckParams(params); err != nil {
		return nil, err
	}
	if r < 1 || r > MaxTrajectories {
		return nil, fmt.Errorf("the number of trajectories must be from 1 to 2^20, not %d", r)
	}
	if p < 2 || p > 1000 || p%2 != 0 {
		return nil, fmt.Errorf("the number of levels must be even, from 2 to 1000, not %d", p)
	}
	if jump < 1 || jump >= p {
		return nil, fmt.Errorf("the jump must be from 1 to %d levels (one less than the levels), not %d", p-1, jump)
	}
	return &Morris{params: params, r: r, p: p, jump: jump, seed: seed}, nil
}

// Rows returns the number of rows of the design, r(k+1).
func (m *Morris) Rows() int { return m.r * (len(m.params) + 1) }

// Trajectories returns r.
func (m *Morris) Trajectories() int { return m.r }

// Delta returns the step Δ on the probability scale.
func (m *Morris) Delta() float64 { return float64(m.jump) / float64(m.p-1) }

// Step is one move of a trajectory: the parameter moved and the signed
// step on its probability scale (±Δ).
type Step struct {
	Param int
	Delta float64
}

// Trajectory sets the k+1 rows of dst (each of length k) to trajectory t
// in parameter units and returns its k steps: row s+1 is row s with
// parameter steps[s].Param moved by steps[s].Delta. A trajectory depends
// only on the seed and t.
func (m *Morris) Trajectory(t int, dst [][]float64) []Step {
	k := len(m.params)
	rng := Stream(m.seed, streamMorris, uint64(t))
	pairs := m.p - m.jump // the low levels of the pairs: 0 to pairs-1
	level := make([]int, k)
	up := make([]bool, k)
	for i := range level {
		// One draw picks the pair and its end: below pairs, the low end
		// (moving up); from pairs, the high end (moving down).
		switch s := rng.IntN(2 * pairs); {
		case s < pairs:
			level[i], up[i] = s, true
		default:
			level[i] = s - pairs + m.jump
		}
	}
	order := rng.Perm(k)
	steps := make([]Step, k)
	m.fill(level, dst[0])
	for s, i := range order {
		if up[i] {
			level[i] += m.jump
			steps[s] = Step{i, m.Delta()}
		} else {
			level[i] -= m.jump
			steps[s] = Step{i, -m.Delta()}
		}
		m.fill(level, dst[s+1])
	}
	return steps
}

// fill sets row to the parameter values at the grid levels.
func (m *Morris) fill(level []int, row []float64) {
	for i, l := range level {
		d := &m.params[i].Dist
		u := float64(l) / float64(m.p-1)
		if d.unbounded() {
			u = normalMorrisTail + u*(1-2*normalMorrisTail)
		}
		row[i] = d.Quantile(u)
	}
}

// MorrisIndices are the Morris measures of one parameter, from its r
// elementary effects EE = Δy/Δ (Δ on the probability scale): their mean
// Mu, the mean of their absolute values MuStar (Campolongo et al. 2007)
// with a bootstrap confidence interval, and their standard deviation Sigma
// (with r−1 degrees of freedom; NaN when r = 1).
type MorrisIndices struct {
	Mu     float64
	MuStar Index
	Sigma  float64
}

// AnalyzeMorris returns the Morris measures of every parameter from the
// outputs y of design m (in its row order, r(k+1) values). Intervals
// resample the r effects of each parameter. The computation stops early,
// with ctx's error, when ctx is done.
func AnalyzeMorris(ctx context.Context, m *Morris, y []float64, boot Bootstrap) ([]MorrisIndices, error) {
	if err := boot.check(); err != nil {
		return nil, err
	}
	k := len(m.params)
	if len(y) != m.Rows() {
		return nil, fmt.Errorf("%d outputs for a Morris design of %d rows", len(y), m.Rows())
	}
	for r, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("output of row %d is %v: every output must be a finite number", r+1, v)
		}
	}
	effects := make([][]float64, k) // per parameter, its r effects
	rows := make([][]float64, k+1)
	for i := range rows {
		rows[i] = make([]float64, k)
	}
	for t := range m.r {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		steps := m.Trajectory(t, rows)
		base := t * (k + 1)
		for s, st := range steps {
			effects[st.Param] = append(effects[st.Param], (y[base+s+1]-y[base+s])/st.Delta)
		}
	}
	out := make([]MorrisIndices, k)
	abs := make([]float64, m.r)
	rng := Stream(boot.Seed, streamBootstrap)
	resampled := make([]float64, 0, boot.Resamples)
	for i, ee := range effects {
		for j, e := range ee {
			abs[j] = math.Abs(e)
		}
		mi := MorrisIndices{Mu: stat.Mean(ee, nil), MuStar: Index{stat.Mean(abs, nil), math.NaN(), math.NaN()}, Sigma: math.NaN()}
		if m.r > 1 {
			mi.Sigma = stat.StdDev(ee, nil)
		}
		if boot.Resamples > 0 {
			resampled = resampled[:0]
			for range boot.Resamples {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				sum := 0.0
				for range m.r {
					sum += abs[rng.IntN(m.r)]
				}
				resampled = append(resampled, sum/float64(m.r))
			}
			slices.Sort(resampled)
			lo, hi := (1-boot.level())/2, 1-(1-boot.level())/2
			mi.MuStar.Lo = stat.Quantile(lo, stat.LinInterp, resampled, nil)
			mi.MuStar.Hi = stat.Quantile(hi, stat.LinInterp, resampled, nil)
		}
		out[i] = mi
	}
	return out, nil
}

// Ranking returns the indexes of values from the largest value to the
// smallest (ties in index order): the ranking of parameters by a measure.
func Ranking(values []float64) []int {
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case values[a] > values[b]:
			return -1
		case values[a] < values[b]:
			return 1
		}
		return 0
	})
	return order
}
