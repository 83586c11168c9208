package sensitivity

import (
	"context"
	"fmt"
	"math"
	"math/bits"
)

// MaxExactPlayers is the largest number of players whose Shapley values
// Shapley computes exactly, from all 2^n coalitions.
const MaxExactPlayers = 5

// maxPlayers bounds the players of a game: coalitions are bit sets.
const maxPlayers = 63

// Coalition is a set of players: bit i is set when player i belongs to it.
type Coalition uint64

// Game is a set function: the worth of each coalition. It is called once
// per coalition in the exact case, and once per player per permutation in
// the sampled case.
type Game func(Coalition) float64

// ShapleyValues are the Shapley values of the players of a game. Exact
// tells whether they were computed from every coalition; otherwise SE
// holds each value's standard error over the sampled permutations.
type ShapleyValues struct {
	Value []float64
	SE    []float64 // zero when Exact
	Exact bool
}

// Shapley returns the Shapley values of the n players of game v: player
// i's average marginal contribution v(S ∪ {i}) − v(S) over the orders in
// which the players can join. For n ≤ MaxExactPlayers the average is over
// every order (computed from the 2^n coalitions, each evaluated once);
// above, it is over permutations random permutations drawn from seed
// (Castro, Gómez and Tejada 2009), each evaluated along its n+1 prefixes.
// Either way the values add up to v(all) − v(∅) (efficiency) up to
// rounding: every permutation's contributions telescope. The computation
// stops early, with ctx's error, when ctx is done.
func Shapley(ctx context.Context, n int, v Game, permutations int, seed uint64) (ShapleyValues, error) {
	if n < 1 || n > maxPlayers {
		return ShapleyValues{}, fmt.Errorf("a game has 1 to %d players, not %d", maxPlayers, n)
	}
	if n <= MaxExactPlayers {
		return shapleyExact(n, v), nil
	}
	if permutations < 2 {
		return ShapleyValues{}, fmt.Errorf("sampled Shapley values of %d players need at least 2 permutations, not %d", n, permutations)
	}
	return shapleySampled(ctx, n, v, permutations, seed)
}

// shapleyExact weighs each marginal contribution v(S∪{i}) − v(S) by
// |S|!(n−|S|−1)!/n!, the share of orders in which i joins right after S.
func shapleyExact(n int, v Game) ShapleyValues {
	worth := make([]float64, 1<<n)
	for s := range worth {
		worth[s] = v(Coalition(s))
	}
	fact := make([]float64, n+1)
	fact[0] = 1
	for i := 1; i <= n; i++ {
		fact[i] = fact[i-1] * float64(i)
	}
	out := ShapleyValues{Value: make([]float64, n), SE: make([]float64, n), Exact: true}
	for i := range n {
		bit := 1 << i
		sum := 0.0
		for s := range worth {
			if s&bit != 0 {
				continue
			}
			size := bits.OnesCount(uint(s))
			sum += fact[size] * fact[n-size-1] * (worth[s|bit] - worth[s])
		}
		out.Value[i] = sum / fact[n]
	}
	return out
}

func shapleySampled(ctx context.Context, n int, v Game, permutations int, seed uint64) (ShapleyValues, error) {
	rng := Stream(seed, streamShapley)
	sum := make([]float64, n)
	sumSq := make([]float64, n)
	for range permutations {
		if err := ctx.Err(); err != nil {
			return ShapleyValues{}, err
		}
		var s Coalition
		prev := v(s)
		for _, i := range rng.Perm(n) {
			s |= 1 << i
			cur := v(s)
			d := cur - prev
			sum[i] += d
			sumSq[i] += d * d
			prev = cur
		}
	}
	m := float64(permutations)
	out := ShapleyValues{Value: make([]float64, n), SE: make([]float64, n)}
	for i := range n {
		mean := sum[i] / m
		variance := max(0, (sumSq[i]-m*mean*mean)/(m-1))
		out.Value[i] = mean
		out.SE[i] = math.Sqrt(variance / m)
	}
	return out, nil
}
