package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// WithEntryPool returns a copy of net with a pool of dormant firms
// appended after its firms: for each sector, ⌈share × its SMEs⌉ dormant
// SMEs, in sector order. The j-th dormant firm of a sector with m SMEs
// copies the kind, role, sector, chain and region of its SME number
// ⌊j·m/d⌋ (d dormant firms in the sector; SMEs in index order), and buys
// from the same suppliers with the same weights, so it has the same input
// slots; it sells to nobody. Its own final demand, size class and export
// market are drawn from s as for any firm of its role (a firm that is not
// a distributor counts as having buyers). Sectors with no SME (the
// core-satellite goods sectors) get no dormant firm: cores do not enter.
//
// The incumbents keep their indices, edges and draws; with share 0 the
// network is returned unchanged. In a network with names the dormant firms
// are named "entrant-<k>", k counting from 0, and such a name must be
// free.
func WithEntryPool(net *Network, share float64, s Sizes, rng *rand.Rand) (*Network, error) {
	if !(share >= 0 && share <= 10) {
		return nil, fmt.Errorf("entry pool: share %v must be in [0,10]", share)
	}
	if share == 0 {
		return net, nil
	}
	if rng == nil {
		return nil, fmt.Errorf("entry pool: nil random generator")
	}
	if net.Dormant != nil {
		return nil, fmt.Errorf("entry pool: the network already has dormant firms")
	}
	z, err := newSizer(&s)
	if err != nil {
		return nil, fmt.Errorf("entry pool: %w", err)
	}
	n := net.N()
	ns := len(net.SectorNames)
	smes := make([][]int32, ns)
	for i := 0; i < n; i++ {
		if net.Kind[i] == SME {
			smes[net.Sector[i]] = append(smes[net.Sector[i]], int32(i))
		}
	}
	pool := 0
	for sec := range ns {
		pool += int(math.Ceil(share * float64(len(smes[sec]))))
	}
	if int64(n)+int64(pool) > maxCount {
		return nil, fmt.Errorf("entry pool: %d firms and %d dormant ones are too many (at most %d firms)", n, pool, maxCount)
	}
	firms := make([]Firm, n, n+pool)
	for i := range n {
		firms[i] = net.Firm(i)
	}
	edges := net.Edges()
	var names map[string]bool
	if net.Names != nil {
		names = make(map[string]bool, n)
		for i := range n {
			names[net.Name(i)] = true
		}
	}
	for sec := range ns {
		m := len(smes[sec])
		d := int(math.Ceil(share * float64(m)))
		for j := range d {
			tpl := int(smes[sec][j*m/d])
			f := Firm{Kind: SME, Role: net.Role[tpl], Sector: net.Sector[tpl], Chain: net.Chain[tpl], Region: net.Region[tpl], Dormant: true}
			if names != nil {
				f.Name = "entrant-" + strconv.Itoa(len(firms)-n)
				if names[f.Name] {
					return nil, fmt.Errorf("entry pool: firm id %q is taken; rename that firm", f.Name)
				}
			}
			hasBuyers := f.Role != RoleDistributor && (f.Role != RoleOther || net.OutStart[tpl+1] > net.OutStart[tpl])
			if err := z.size(&f, hasBuyers, rng); err != nil {
				return nil, fmt.Errorf("entry pool: %w", err)
			}
			b := int32(len(firms))
			firms = append(firms, f)
			for k := net.InStart[tpl]; k < net.InStart[tpl+1]; k++ {
				edges = append(edges, Edge{Supplier: net.Supplier[k], Buyer: b, Weight: net.Weight[k]})
			}
		}
	}
	out, err := Build(firms, edges, net.SectorNames, net.RegionNames, net.MarketNames)
	if err != nil {
		return nil, fmt.Errorf("entry pool: %w", err)
	}
	return out, nil
}
