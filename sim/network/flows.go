// Networks with flows: weights and checks that follow from the value of
// each link.

package network

import "fmt"

// WeightsFromFlows sets each edge's Weight to its share of the flows its
// buyer receives from suppliers of the same sector (sector[i] is firm i's
// sector), so that the weights of every input slot sum to one.
func WeightsFromFlows(edges []Edge, sector []int32) {
	type slot struct{ buyer, sector int32 }
	sum := make(map[slot]float64)
	for _, e := range edges {
		sum[slot{e.Buyer, sector[e.Supplier]}] += e.Flow
	}
	for k := range edges {
		e := &edges[k]
		e.Weight = e.Flow / sum[slot{e.Buyer, sector[e.Supplier]}]
	}
}

// SalesAndPurchases returns, per firm, its yearly sales (final demand plus
// the flows of its out-edges) and purchases (the flows of its in-edges).
// Both are nil for a network without flows.
func (n *Network) SalesAndPurchases() (sales, purchases []float64) {
	if n.Flow == nil {
		return nil, nil
	}
	sales, purchases = make([]float64, n.N()), make([]float64, n.N())
	copy(sales, n.FinalDemand)
	for e, f := range n.Flow {
		sales[n.Supplier[e]] += f
		purchases[n.Buyer[e]] += f
	}
	return sales, purchases
}

// CheckFlows returns an error naming the first firm that buys from other
// firms as much as or more than it sells: its input coefficients would sum
// to one or more, and it would add no value.
func (n *Network) CheckFlows() error {
	sales, purchases := n.SalesAndPurchases()
	for i := range sales {
		if purchases[i] >= sales[i] {
			return fmt.Errorf("firm %s buys %.6g a year from other firms but sells only %.6g (final demand %.6g): a firm must sell more than it buys",
				n.Name(i), purchases[i], sales[i], n.FinalDemand[i])
		}
	}
	return nil
}
