package atlas

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/smesim/smesim/sim/network"
)

// Sample draws n firms of net without replacement, stratified by kind and
// role: each stratum gets its share of n by largest remainder (and at
// least one firm when n allows), and each firm drawn stands for
// weights[k] = stratum size / firms drawn from it. The firms come back in
// increasing order; the draw depends only on net, n and seed.
func Sample(net *network.Network, n int, seed uint64) (firms []int, weights []float64, err error) {
	N := net.N()
	if n < 1 || n > N {
		return nil, nil, fmt.Errorf("sample of %d firms: must be 1 to %d, the firms of the network", n, N)
	}
	const strata = 2 * network.NumRoles
	var members [strata][]int
	for i := 0; i < N; i++ {
		s := int(net.Kind[i])*network.NumRoles + int(net.Role[i])
		members[s] = append(members[s], i)
	}
	var take [strata]int
	nonEmpty := 0
	for s := range members {
		if len(members[s]) > 0 {
			nonEmpty++
		}
	}
	left := n
	if n >= nonEmpty {
		for s := range members {
			if len(members[s]) > 0 {
				take[s], left = 1, left-1
			}
		}
	}
	// Largest remainder over the firms not yet taken.
	type rem struct {
		s    int
		frac float64
	}
	var rems []rem
	pool := N
	for s := range members {
		pool -= take[s]
	}
	given := 0
	for s := range members {
		free := len(members[s]) - take[s]
		if free <= 0 || pool == 0 {
			continue
		}
		q := float64(left) * float64(free) / float64(pool)
		whole := min(free, int(q))
		take[s] += whole
		given += whole
		rems = append(rems, rem{s, q - float64(whole)})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.frac, a.frac) })
	for left-given > 0 {
		moved := false
		for _, r := range rems {
			if left-given > 0 && take[r.s] < len(members[r.s]) {
				take[r.s]++
				given++
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x61746c6173)) // "atlas"
	weight := make([]float64, N)
	for s, m := range members {
		k := take[s]
		if k == 0 {
			continue
		}
		m = slices.Clone(m)
		for i := 0; i < k; i++ { // partial Fisher–Yates
			j := i + rng.IntN(len(m)-i)
			m[i], m[j] = m[j], m[i]
			weight[m[i]] = float64(len(m)) / float64(k)
			firms = append(firms, m[i])
		}
	}
	slices.Sort(firms)
	weights = make([]float64, len(firms))
	for k, f := range firms {
		weights[k] = weight[f]
	}
	return firms, weights, nil
}
