// Package optimise searches for the split of a fixed total budget between
// a policy mix's instruments that saves the most, by successive halving
// over a candidate set of splits evaluated on common random numbers.
//
// Why successive halving: the objective (firms or jobs saved in a
// replication) is noisy, and most candidates are clearly worse than the
// best after a few replications. Successive halving (Karnin, Koren and
// Somekh 2013; Jamieson and Talwalkar 2016) spends replications on the
// candidates still in contention, and on common random numbers —
// replication r of every candidate shares every draw — the differences
// between candidates carry far less noise than the candidates' values,
// which is what ranking needs. A grid of shares keeps the search
// exhaustive over a set a reader can state; CMA-ES or Bayesian
// optimisation over continuous shares would need many more runs to
// resolve differences this noisy.
package optimise

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Split is a division of a total budget between instruments: shares ≥ 0
// that sum to 1.
type Split []float64

// Grid returns every split of a budget between n instruments in steps of
// 1/steps (steps ≥ 1), in lexicographic order of the shares: for n = 2
// and steps = 4, {0, 1}, {0.25, 0.75}, …, {1, 0}.
func Grid(n, steps int) []Split {
	var out []Split
	var rec func(prefix []int, left int)
	rec = func(prefix []int, left int) {
		if len(prefix) == n-1 {
			s := make(Split, n)
			for i, k := range prefix {
				s[i] = float64(k) / float64(steps)
			}
			s[n-1] = float64(left) / float64(steps)
			out = append(out, s)
			return
		}
		for k := 0; k <= left; k++ {
			rec(append(prefix, k), left-k)
		}
	}
	if n >= 1 && steps >= 1 {
		rec(nil, steps)
	}
	return out
}

// Evaluate returns the objective of candidate c in replication rep,
// larger being better. Every candidate's replication rep must share its
// random draws (common random numbers).
type Evaluate func(ctx context.Context, c, rep int) (float64, error)

// Outcome is what a search found.
type Outcome struct {
	Best int // the index of the best candidate
	// Values[c] holds candidate c's objective in replications 0,
	// 1, …, len(Values[c])−1: the replications it was evaluated on.
	Values [][]float64
	// Rounds counts the rounds of successive halving (1 for exhaustive
	// search).
	Rounds int
	// Runs counts the evaluations made.
	Runs int
}

// Mean returns the mean objective of candidate c over its replications.
func (o *Outcome) Mean(c int) float64 { return mean(o.Values[c]) }

// Exhaustive evaluates every one of n candidates on replications 0 to
// reps−1 and returns the one of largest mean (the lowest index on a tie).
func Exhaustive(ctx context.Context, n, reps, workers int, eval Evaluate) (*Outcome, error) {
	values, err := evaluate(ctx, allOf(n), 0, reps, workers, eval)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Values: values, Rounds: 1, Runs: n * reps}
	out.Best = best(out, allOf(n))
	return out, nil
}

// Halving runs successive halving over n candidates (see Rungs) in
// memory, evaluating each rung's runs workers at a time.
func Halving(ctx context.Context, n, first, most, workers int, eval Evaluate) (*Outcome, error) {
	h, err := NewRungs(n, first, most)
	if err != nil {
		return nil, err
	}
	for !h.Done() {
		cs, from, to := h.Rung()
		values, err := evaluate(ctx, cs, from, to, workers, eval)
		if err != nil {
			return nil, err
		}
		if err := h.Record(values); err != nil {
			return nil, err
		}
	}
	return h.Outcome(), nil
}

// Rungs is successive halving over n candidates taken one rung at a time,
// so that each rung's runs can be made elsewhere (as a batch, sharded and
// resumed) and recorded when they are all done. In the first rung every
// candidate is evaluated on replications 0 to first−1; each rung then
// keeps the better half (by mean over the same replications, so the
// comparison is paired) and doubles their replications, up to most, until
// one candidate remains, which wins, or the replications reach most, when
// the best of those left wins. A rung evaluates only the replications its candidates
// lack. The rungs are a function of n, first, most and the values
// recorded alone.
type Rungs struct {
	out   Outcome
	alive []int // the candidates in contention, in increasing order
	reps  int   // the replications they have once the rung under way is recorded
	most  int
	done  bool
}

// NewRungs starts successive halving over n candidates, from first to
// most replications.
func NewRungs(n, first, most int) (*Rungs, error) {
	if n < 1 || first < 1 || most < first {
		return nil, fmt.Errorf("optimise: halving needs candidates, first ≥ 1 and most ≥ first (n %d, first %d, most %d)", n, first, most)
	}
	return &Rungs{out: Outcome{Values: make([][]float64, n)}, alive: allOf(n), reps: first, most: most}, nil
}

// Done reports whether the search is over.
func (h *Rungs) Done() bool { return h.done }

// Rung returns the rung to evaluate next: its candidates, in increasing
// order, and the replications from ≤ r < to each of them needs.
func (h *Rungs) Rung() (candidates []int, from, to int) {
	return slices.Clone(h.alive), len(h.out.Values[h.alive[0]]), h.reps
}

// Record records the rung's values — values[i][r−from] is the objective
// of candidate i of Rung in replication r — and sets up the next rung or
// ends the search.
func (h *Rungs) Record(values [][]float64) error {
	cs, from, to := h.Rung()
	if h.done || len(values) != len(cs) {
		return fmt.Errorf("optimise: %d candidates' values recorded for a rung of %d (done %v)", len(values), len(cs), h.done)
	}
	for i, c := range cs {
		if len(values[i]) != to-from {
			return fmt.Errorf("optimise: candidate %d has %d values for replications %d to %d", c, len(values[i]), from, to-1)
		}
		h.out.Values[c] = append(h.out.Values[c][:from], values[i]...)
		h.out.Runs += to - from
	}
	h.out.Rounds++
	if len(h.alive) == 1 || h.reps >= h.most {
		h.out.Best = best(&h.out, h.alive)
		h.done = true
		return nil
	}
	slices.SortStableFunc(h.alive, func(a, b int) int {
		ma, mb := h.out.Mean(a), h.out.Mean(b)
		switch {
		case ma > mb:
			return -1
		case ma < mb:
			return 1
		}
		return a - b
	})
	h.alive = h.alive[:(len(h.alive)+1)/2]
	slices.Sort(h.alive)
	h.reps = min(h.most, 2*h.reps)
	if len(h.alive) == 1 { // the last one left wins: more runs of it would decide nothing
		h.out.Best, h.done = h.alive[0], true
	}
	return nil
}

// Outcome returns what the search found so far: once Done, its best
// candidate.
func (h *Rungs) Outcome() *Outcome { return &h.out }

// CountRungs returns how many rungs successive halving over n candidates
// from first to most replications takes: it depends on n, first and most
// alone.
func CountRungs(n, first, most int) int {
	rungs := 1
	for alive, reps := n, first; alive > 1 && reps < most; rungs++ {
		alive, reps = (alive+1)/2, min(most, 2*reps)
		if alive == 1 {
			break
		}
	}
	return rungs
}

// evaluate returns the objectives of the candidates cs in replications
// from ≤ r < to, evaluated workers at a time (at least 1): values[i][r−from]
// is candidate cs[i]'s in replication r. They do not depend on workers.
func evaluate(ctx context.Context, cs []int, from, to, workers int, eval Evaluate) ([][]float64, error) {
	type job struct{ i, r int }
	var jobs []job
	values := make([][]float64, len(cs))
	for i := range cs {
		values[i] = make([]float64, to-from)
		for r := from; r < to; r++ {
			jobs = append(jobs, job{i, r})
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(jobs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				j := jobs[k]
				v, err := eval(ctx, cs[j.i], j.r)
				values[j.i][j.r-from], errs[k] = v, err
				if err != nil {
					cancel()
				}
			}
		}()
	}
feed:
	for k := range jobs {
		select {
		case next <- k:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return values, ctx.Err()
}

func best(out *Outcome, among []int) int {
	b := among[0]
	for _, c := range among[1:] {
		if out.Mean(c) > out.Mean(b) {
			b = c
		}
	}
	return b
}

func allOf(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
