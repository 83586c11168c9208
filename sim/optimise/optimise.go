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
	out := &Outcome{Values: make([][]float64, n), Rounds: 1}
	if err := extend(ctx, out, allOf(n), reps, workers, eval); err != nil {
		return nil, err
	}
	out.Best = best(out, allOf(n))
	return out, nil
}

// Halving runs successive halving over n candidates: in the first round
// every candidate is evaluated on replications 0 to first−1; each round
// then keeps the better half (by mean over the same replications, so the
// comparison is paired) and doubles their replications, up to most, until
// one candidate remains or the replications reach most, when the best of
// those left wins. Replications already evaluated are reused.
func Halving(ctx context.Context, n, first, most, workers int, eval Evaluate) (*Outcome, error) {
	if n < 1 || first < 1 || most < first {
		return nil, fmt.Errorf("optimise: halving needs candidates, first ≥ 1 and most ≥ first (n %d, first %d, most %d)", n, first, most)
	}
	out := &Outcome{Values: make([][]float64, n)}
	alive := allOf(n)
	reps := first
	for {
		out.Rounds++
		if err := extend(ctx, out, alive, reps, workers, eval); err != nil {
			return nil, err
		}
		if len(alive) == 1 || reps >= most {
			out.Best = best(out, alive)
			return out, nil
		}
		slices.SortStableFunc(alive, func(a, b int) int {
			ma, mb := out.Mean(a), out.Mean(b)
			switch {
			case ma > mb:
				return -1
			case ma < mb:
				return 1
			}
			return a - b
		})
		alive = alive[:(len(alive)+1)/2]
		slices.Sort(alive)
		reps = min(most, 2*reps)
	}
}

// extend evaluates the candidates cs on their missing replications below
// reps, workers at a time (at least 1); the values do not depend on
// workers.
func extend(ctx context.Context, out *Outcome, cs []int, reps, workers int, eval Evaluate) error {
	type job struct{ c, r int }
	var jobs []job
	for _, c := range cs {
		have := len(out.Values[c])
		for r := have; r < reps; r++ {
			jobs = append(jobs, job{c, r})
		}
		out.Values[c] = append(out.Values[c], make([]float64, max(0, reps-have))...)
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
				v, err := eval(ctx, j.c, j.r)
				out.Values[j.c][j.r], errs[k] = v, err
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
	out.Runs += len(jobs)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
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
