package sensitivity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// MaxBaseSamples is the largest number of base samples of a Saltelli
// design.
const MaxBaseSamples = 1 << 24

// Saltelli is the design of Saltelli (2002) for estimating first- and
// total-order Sobol indices of k parameters from N base samples. Two
// matrices A and B of N points each are taken from one scrambled Sobol
// sequence of dimension 2k (A the first k coordinates, B the last k);
// AB_i is A with column i taken from B. The design has N(k+2) rows, in
// blocks of k+2 per base sample j: A_j, AB_1j, …, AB_kj, B_j.
type Saltelli struct {
	params []Param
	n      int
	seq    *Sobol
}

// NewSaltelli returns the Saltelli design of params (checked by
// CheckParams) with n base samples, n a power of two from 2 to
// MaxBaseSamples (the balance properties of a Sobol sequence hold for
// powers of two), scrambled with seed.
func NewSaltelli(params []Param, n int, seed uint64) (*Saltelli, error) {
	params = slices.Clone(params) // Check prepares the copy's quantile functions
	if err := CheckParams(params); err != nil {
		return nil, err
	}
	if n < 2 || n > MaxBaseSamples || n&(n-1) != 0 {
		return nil, fmt.Errorf("the number of base samples must be a power of two from 2 to 2^24, not %d", n)
	}
	k := len(params)
	if 2*k > MaxSobolDims {
		return nil, fmt.Errorf("a Sobol design takes at most %d parameters, not %d", MaxSobolDims/2, k)
	}
	seq, err := NewScrambledSobol(2*k, seed)
	if err != nil {
		return nil, err
	}
	return &Saltelli{params: params, n: n, seq: seq}, nil
}

// Rows returns the number of rows of the design, N(k+2).
func (s *Saltelli) Rows() int { return s.n * (len(s.params) + 2) }

// BaseSamples returns N.
func (s *Saltelli) BaseSamples() int { return s.n }

// Block sets the k+2 rows of dst (each of length k) to the rows of base
// sample j, in parameter units: A_j, AB_1j, …, AB_kj, B_j.
func (s *Saltelli) Block(j int, dst [][]float64) {
	k := len(s.params)
	var u [MaxSobolDims]float64
	s.seq.centredPoint(uint32(j), u[:2*k])
	// u becomes A_j (first k) and B_j (last k) in parameter units.
	for i := range k {
		u[i] = s.params[i].Dist.Quantile(u[i])
		u[k+i] = s.params[i].Dist.Quantile(u[k+i])
	}
	a, b := u[:k], u[k:2*k]
	for r := range k + 2 {
		row := dst[r]
		if r == k+1 {
			copy(row, b)
			continue
		}
		copy(row, a)
		if r > 0 {
			row[r-1] = b[r-1]
		}
	}
}

// Index is an estimate with the bounds of its confidence interval.
type Index struct {
	Value, Lo, Hi float64
}

// SobolIndices are the first-order (S1) and total-order (ST) Sobol indices
// of one output, one per parameter.
type SobolIndices struct {
	S1, ST []Index
}

// Bootstrap sets the bootstrap confidence intervals: Resamples resamples
// (0: no intervals; Lo and Hi are then NaN) at confidence Level (0.95 if
// zero), drawn from Seed.
type Bootstrap struct {
	Resamples int
	Level     float64
	Seed      uint64
}

func (b Bootstrap) level() float64 {
	if b.Level == 0 {
		return 0.95
	}
	return b.Level
}

func (b Bootstrap) check() error {
	if b.Resamples < 0 {
		return fmt.Errorf("bootstrap resamples must not be negative, not %d", b.Resamples)
	}
	if l := b.level(); !(l > 0 && l < 1) {
		return fmt.Errorf("confidence level must be in (0,1), not %v", l)
	}
	return nil
}

// AnalyzeSobol returns the Sobol indices of k parameters from the outputs
// y of a Saltelli design (in the design's row order, N(k+2) values).
//
// The first-order index of parameter i is Saltelli et al. (2010, table 2
// (b)): S1_i = mean_j f(B)_j (f(AB_i)_j − f(A)_j) / V; the total-order
// index is Jansen's (1999): ST_i = mean_j (f(A)_j − f(AB_i)_j)² / (2V); V is
// the variance of the 2N outputs of A and B. Confidence intervals are
// bootstrap percentile intervals over resamples of the N base samples. The
// computation stops early, with ctx's error, when ctx is done.
func AnalyzeSobol(ctx context.Context, y []float64, k int, boot Bootstrap) (SobolIndices, error) {
	if k < 1 {
		return SobolIndices{}, fmt.Errorf("need at least one parameter, not %d", k)
	}
	if err := boot.check(); err != nil {
		return SobolIndices{}, err
	}
	if len(y) == 0 || len(y)%(k+2) != 0 {
		return SobolIndices{}, fmt.Errorf("%d outputs are not a Saltelli design of %d parameters: need a multiple of k+2 = %d", len(y), k, k+2)
	}
	for r, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return SobolIndices{}, fmt.Errorf("output of row %d is %v: every output must be a finite number", r+1, v)
		}
	}
	n := len(y) / (k + 2)
	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	s1 := make([]float64, k)
	st := make([]float64, k)
	if !sobolEstimates(y, k, all, s1, st) {
		return SobolIndices{}, errors.New("the outputs of A and B have no variance: every index is undefined")
	}
	out := SobolIndices{S1: make([]Index, k), ST: make([]Index, k)}
	for i := range k {
		out.S1[i] = Index{s1[i], math.NaN(), math.NaN()}
		out.ST[i] = Index{st[i], math.NaN(), math.NaN()}
	}
	if boot.Resamples == 0 {
		return out, nil
	}
	rng := Stream(boot.Seed, streamBootstrap)
	bs1 := make([][]float64, k) // per parameter, the resampled estimates
	bst := make([][]float64, k)
	for i := range k {
		bs1[i] = make([]float64, 0, boot.Resamples)
		bst[i] = make([]float64, 0, boot.Resamples)
	}
	idx := make([]int, n)
	for range boot.Resamples {
		if err := ctx.Err(); err != nil {
			return SobolIndices{}, err
		}
		for j := range idx {
			idx[j] = rng.IntN(n)
		}
		// A resample without variance (possible for tiny N) is skipped: it
		// carries no information on the indices.
		if sobolEstimates(y, k, idx, s1, st) {
			for i := range k {
				bs1[i] = append(bs1[i], s1[i])
				bst[i] = append(bst[i], st[i])
			}
		}
	}
	lo, hi := (1-boot.level())/2, 1-(1-boot.level())/2
	for i := range k {
		if len(bs1[i]) == 0 {
			continue
		}
		slices.Sort(bs1[i])
		slices.Sort(bst[i])
		out.S1[i].Lo, out.S1[i].Hi = stat.Quantile(lo, stat.LinInterp, bs1[i], nil), stat.Quantile(hi, stat.LinInterp, bs1[i], nil)
		out.ST[i].Lo, out.ST[i].Hi = stat.Quantile(lo, stat.LinInterp, bst[i], nil), stat.Quantile(hi, stat.LinInterp, bst[i], nil)
	}
	return out, nil
}

// sobolEstimates sets s1 and st to the estimates over the base samples idx
// (indexes into the blocks of y). It reports false when the outputs of A
// and B over idx have no variance.
func sobolEstimates(y []float64, k int, idx []int, s1, st []float64) bool {
	w := k + 2
	// Variance of the 2|idx| outputs of A and B, by Welford's update.
	var mean, m2 float64
	count := 0.0
	for _, j := range idx {
		for _, v := range [2]float64{y[j*w], y[j*w+k+1]} {
			count++
			d := v - mean
			mean += d / count
			m2 += d * (v - mean)
		}
	}
	variance := m2 / count
	if !(variance > 0) {
		return false
	}
	for i := range k {
		var first, total float64
		for _, j := range idx {
			fa, fab, fb := y[j*w], y[j*w+1+i], y[j*w+k+1]
			first += fb * (fab - fa)
			total += (fa - fab) * (fa - fab)
		}
		m := float64(len(idx))
		s1[i] = first / m / variance
		st[i] = total / (2 * m) / variance
	}
	return true
}
