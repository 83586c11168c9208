package calibrate

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// minScale is the smallest kernel standard deviation in the unit cube, so
// that particles that coincide in one coordinate still move and the
// density stays finite.
const minScale = 1e-6

// kernel is the proposal of a generation: a particle of the previous
// population chosen by weight, moved coordinate by coordinate by a
// Gaussian truncated to [0, 1] whose variance is twice the population's
// weighted variance of that coordinate (Beaumont et al. 2009).
type kernel struct {
	pop        *Population
	cumulative []float64   // normalised cumulative weights
	prob       []float64   // normalised weights
	sd         []float64   // per coordinate
	mass       [][]float64 // per particle and coordinate, the untruncated kernel's mass in [0, 1]
}

func newKernel(pop *Population) *kernel {
	n, k := len(pop.U), len(pop.U[0])
	kern := &kernel{pop: pop, cumulative: make([]float64, n), prob: make([]float64, n), sd: make([]float64, k)}
	var total float64
	for _, w := range pop.Weights {
		total += w
	}
	var c float64
	for i, w := range pop.Weights {
		kern.prob[i] = w / total
		c += kern.prob[i]
		kern.cumulative[i] = c
	}
	for j := range k {
		var mean float64
		for i := range n {
			mean += kern.prob[i] * pop.U[i][j]
		}
		var v float64
		for i := range n {
			d := pop.U[i][j] - mean
			v += kern.prob[i] * d * d
		}
		kern.sd[j] = max(math.Sqrt(2*v), minScale)
	}
	kern.mass = make([][]float64, n)
	for i, p := range pop.U {
		kern.mass[i] = make([]float64, k)
		for j, sd := range kern.sd {
			kern.mass[i][j] = distuv.UnitNormal.CDF((1-p[j])/sd) - distuv.UnitNormal.CDF(-p[j]/sd)
		}
	}
	return kern
}

// pick returns the particle whose cumulative weight first exceeds r in
// [0, 1).
func (k *kernel) pick(r float64) int {
	for i, c := range k.cumulative {
		if r < c {
			return i
		}
	}
	return len(k.cumulative) - 1
}

// move draws coordinate j of a move from particle i, by inverting the
// truncated normal's CDF at r in [0, 1). The mean lies in [0, 1], so the
// truncation holds the mode and both CDF values are well conditioned.
func (k *kernel) move(i, j int, r float64) float64 {
	mu, sd := k.pop.U[i][j], k.sd[j]
	lo, hi := distuv.UnitNormal.CDF(-mu/sd), distuv.UnitNormal.CDF((1-mu)/sd)
	return clampUnit(mu + sd*distuv.UnitNormal.Quantile(lo+r*(hi-lo)))
}

// density returns the proposal's density at u: the weighted mixture of the
// truncated kernels around the particles.
func (k *kernel) density(u []float64) float64 {
	var sum float64
	for i, p := range k.pop.U {
		f := k.prob[i]
		for j, sd := range k.sd {
			f *= distuv.UnitNormal.Prob((u[j]-p[j])/sd) / (sd * k.mass[i][j])
		}
		sum += f
	}
	return sum
}
