package atlas

import (
	"fmt"
	"slices"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
)

// The what-ifs change the baseline and compute the atlas again, to see how
// much systemic risk a change removes: a second supplier for inputs bought
// from one supplier only, or a core's guarantees taken away.

// SecondSuppliers returns a copy of net in which every input slot with a
// single supplier, whose buyer or sole supplier is one of top, gets a
// second supplier of the same sector, the slot's purchases split evenly
// between the two; and the number of slots changed. The second supplier is
// the firm of the sector with the fewest customers (ties: the lowest
// index) that is neither the buyer nor the supplier, so that the change
// does not make new hubs. A slot whose sector has no other firm is left.
func SecondSuppliers(net *network.Network, top []int) (*network.Network, int, error) {
	n := net.N()
	isTop := make([]bool, n)
	for _, f := range top {
		isTop[f] = true
	}
	bySector := make([][]int32, len(net.SectorNames))
	for i := 0; i < n; i++ {
		bySector[net.Sector[i]] = append(bySector[net.Sector[i]], int32(i))
	}
	customers := make([]int, n)
	for i := 0; i < n; i++ {
		customers[i] = int(net.OutStart[i+1] - net.OutStart[i])
	}
	edges := net.Edges()
	changed := 0
	for b := 0; b < n; b++ {
		for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
			lo, hi := net.SlotEdgeStart[s], net.SlotEdgeStart[s+1]
			if hi-lo != 1 {
				continue
			}
			sup := net.Supplier[lo]
			if !isTop[b] && !isTop[sup] {
				continue
			}
			best := int32(-1)
			for _, c := range bySector[net.SlotSector[s]] {
				if c == sup || c == int32(b) {
					continue
				}
				if best < 0 || customers[c] < customers[best] {
					best = c
				}
			}
			if best < 0 {
				continue
			}
			customers[best]++
			edges[lo].Weight /= 2
			edges = append(edges, network.Edge{Supplier: best, Buyer: int32(b), Weight: edges[lo].Weight})
			changed++
		}
	}
	firms := make([]network.Firm, n)
	for i := range firms {
		firms[i] = net.Firm(i)
	}
	out, err := network.Build(firms, edges, net.SectorNames, net.RegionNames, net.MarketNames)
	if err != nil {
		return nil, 0, fmt.Errorf("atlas: second suppliers: %w", err)
	}
	return out, changed, nil
}

// DropGuarantees returns a copy of x in which core no longer guarantees
// anyone's loans, and the number of firms it guaranteed.
func DropGuarantees(x *sim.Exposures, core int) (*sim.Exposures, int) {
	if x.Guarantor == nil {
		return x, 0
	}
	y := *x
	y.Guarantor = slices.Clone(x.Guarantor)
	dropped := 0
	for i, g := range y.Guarantor {
		if g == int32(core) {
			y.Guarantor[i] = -1
			dropped++
		}
	}
	return &y, dropped
}
