// Package network holds the production network of smesim — firms and their
// supplier → buyer edges — in compressed arrays for the engine's hot loop,
// and the generators and file formats that make and exchange it.
//
// Edges are stored buyer-major: the in-edges of buyer b are
// InStart[b]..InStart[b+1], sorted by the supplier's sector and then by
// supplier, so that the edges of each input slot (buyer, input sector) are
// contiguous. OutStart/OutEdge index the same edges supplier-major.
package network

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Kind says whether a firm is a core enterprise or an SME.
type Kind uint8

// Kinds of firm.
const (
	SME Kind = iota
	Core
)

var kindNames = [...]string{"sme", "core"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind reads "sme" or "core".
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("kind %q: allowed values are sme, core", s)
}

// Role is a firm's place in the production chain.
type Role uint8

// Roles, upstream to downstream. RoleOther is for generic networks
// (Barabási–Albert, Erdős–Rényi, files without a role).
const (
	RoleRawMaterial  Role = iota // tier-2 suppliers of raw materials
	RoleSupplier                 // tier-1 suppliers of parts to core firms
	RoleManufacturer             // core enterprises (or processors) assembling final goods
	RoleDistributor              // sell core firms' goods to final markets
	RoleOther
	NumRoles = 5
)

var roleNames = [...]string{"raw-material", "supplier", "manufacturer", "distributor", "other"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "role(" + strconv.Itoa(int(r)) + ")"
}

// RoleNames lists the allowed role names in order.
func RoleNames() []string { return roleNames[:] }

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if n == s {
			return Role(i), nil
		}
	}
	return 0, fmt.Errorf("role %q: allowed values are raw-material, supplier, manufacturer, distributor, other", s)
}

// Firm describes one firm when a network is assembled.
type Firm struct {
	Name   string // identifier as in files; empty means "f<index>"
	Kind   Kind
	Role   Role
	Sector int32 // index into Network.SectorNames
	Chain  int32 // industrial chain, -1 if none
	Region int32 // index into Network.RegionNames
	// FinalDemand is the firm's baseline sales to final markets, per year, in
	// currency units. Gross output follows from it by the Leontief inverse.
	FinalDemand float64
	// ExportShare is the share of FinalDemand sold to ExportMarket.
	ExportShare  float64
	ExportMarket int32 // index into Network.MarketNames, -1 if none
	// SizeClass is the NBS size class (Unclassified without classes).
	SizeClass SizeClass
	// Dormant marks a firm of the entry pool: it has roles and input
	// slots but no buyers, and is inactive until the engine lets it enter.
	Dormant bool
}

// Edge is a supplier → buyer link when a network is assembled. Weight is
// the share of the buyer's purchases from the supplier's sector that it buys
// from this supplier; the weights of a buyer's suppliers in one sector sum
// to one. Flow, when positive, is the link's value per year: the network
// then carries flows, and the engine takes its input coefficients from
// them (see Network.Flow).
type Edge struct {
	Supplier, Buyer int32
	Weight          float64
	Flow            float64
}

// Network is a production network in struct-of-arrays form.
type Network struct {
	// Per firm.
	Names        []string // nil for generated networks: Name(i) is "f<i>"
	Kind         []Kind
	Role         []Role
	Sector       []int32
	Chain        []int32
	Region       []int32
	FinalDemand  []float64 // per year
	ExportShare  []float64
	ExportMarket []int32
	SizeClass    []SizeClass // nil when every firm is Unclassified
	Dormant      []bool      // nil when no firm is dormant (no entry pool)

	SectorNames []string
	RegionNames []string
	MarketNames []string // export markets; the domestic market is implicit

	// In-edges, buyer-major, sorted by (buyer, supplier sector, supplier).
	InStart  []int32 // len N+1
	Supplier []int32 // per edge
	Buyer    []int32 // per edge
	Weight   []float64
	// Flow is each edge's value per year (currency units), nil unless the
	// network was read with flows. With flows, a firm's baseline output
	// is its final demand plus its sales to other firms, and the input
	// coefficient of an edge is its flow over the buyer's output, as in
	// firm-level input–output tables; without, coefficients follow from
	// production.input_share by role.
	Flow []float64

	// Input slots: one per (buyer, input sector) pair with at least one edge.
	SlotStart     []int32 // len N+1: slots of buyer b are SlotStart[b]..SlotStart[b+1]
	SlotSector    []int32 // per slot
	SlotEdgeStart []int32 // len slots+1: edges of slot s

	// Warnings say what reading the network changed in its files, one
	// line each (weights normalised); nil for most networks.
	Warnings []string

	// Out-edges: OutEdge[OutStart[s]:OutStart[s+1]] are the edge indices
	// whose supplier is s, in increasing order.
	OutStart []int32
	OutEdge  []int32
}

// N returns the number of firms.
func (n *Network) N() int { return len(n.Kind) }

// E returns the number of edges.
func (n *Network) E() int { return len(n.Supplier) }

// Slots returns the number of input slots.
func (n *Network) Slots() int { return len(n.SlotSector) }

// Class returns firm i's size class (Unclassified without classes).
func (n *Network) Class(i int) SizeClass {
	if n.SizeClass == nil {
		return Unclassified
	}
	return n.SizeClass[i]
}

// IsDormant reports whether firm i belongs to the entry pool.
func (n *Network) IsDormant(i int) bool { return n.Dormant != nil && n.Dormant[i] }

// EntryPool returns the number of dormant firms, the entry pool; the
// other N() − EntryPool() firms are the ones active at the start, the
// network's size wherever a count of firms is shown.
func (n *Network) EntryPool() int {
	k := 0
	for _, d := range n.Dormant {
		if d {
			k++
		}
	}
	return k
}

// Name returns firm i's identifier.
func (n *Network) Name(i int) string {
	if n.Names != nil && n.Names[i] != "" {
		return n.Names[i]
	}
	return "f" + strconv.Itoa(i)
}

// EdgeSlot returns the slot of each edge (a fresh slice).
func (n *Network) EdgeSlot() []int32 {
	out := make([]int32, n.E())
	for s := 0; s < n.Slots(); s++ {
		for e := n.SlotEdgeStart[s]; e < n.SlotEdgeStart[s+1]; e++ {
			out[e] = int32(s)
		}
	}
	return out
}

// Build assembles a network from firms and edges. It sorts the edges into
// buyer-major order, builds the slot and out-edge indexes, and rejects
// self-loops, duplicate edges, edges naming unknown firms, and non-positive
// or non-finite weights. It does not check that weights sum to one per
// slot; see CheckWeights.
func Build(firms []Firm, edges []Edge, sectorNames, regionNames, marketNames []string) (*Network, error) {
	n := len(firms)
	if n == 0 {
		return nil, fmt.Errorf("network has no firms")
	}
	if n > 1<<31-2 || len(edges) > 1<<31-2 {
		return nil, fmt.Errorf("network too large: %d firms, %d edges (at most %d each)", n, len(edges), 1<<31-2)
	}
	net := &Network{
		Kind:         make([]Kind, n),
		Role:         make([]Role, n),
		Sector:       make([]int32, n),
		Chain:        make([]int32, n),
		Region:       make([]int32, n),
		FinalDemand:  make([]float64, n),
		ExportShare:  make([]float64, n),
		ExportMarket: make([]int32, n),
		SectorNames:  sectorNames,
		RegionNames:  regionNames,
		MarketNames:  marketNames,
	}
	named, classed, dormant := false, false, false
	for i, f := range firms {
		if f.Name != "" {
			named = true
		}
		classed = classed || f.SizeClass != Unclassified
		dormant = dormant || f.Dormant
		if f.SizeClass >= NumSizeClasses {
			return nil, fmt.Errorf("firm %d: size class %d out of range", i, f.SizeClass)
		}
		if f.Sector < 0 || int(f.Sector) >= len(sectorNames) {
			return nil, fmt.Errorf("firm %d: sector %d out of range [0,%d)", i, f.Sector, len(sectorNames))
		}
		if len(regionNames) > 0 && (f.Region < 0 || int(f.Region) >= len(regionNames)) {
			return nil, fmt.Errorf("firm %d: region %d out of range [0,%d)", i, f.Region, len(regionNames))
		}
		if f.ExportMarket >= int32(len(marketNames)) || f.ExportMarket < -1 {
			return nil, fmt.Errorf("firm %d: export market %d out of range [-1,%d)", i, f.ExportMarket, len(marketNames))
		}
		if !(f.FinalDemand >= 0) || f.FinalDemand > 1e18 {
			return nil, fmt.Errorf("firm %d: final demand %v must be finite and ≥ 0", i, f.FinalDemand)
		}
		if !(f.ExportShare >= 0 && f.ExportShare <= 1) {
			return nil, fmt.Errorf("firm %d: export share %v must be in [0,1]", i, f.ExportShare)
		}
		net.Kind[i], net.Role[i], net.Sector[i] = f.Kind, f.Role, f.Sector
		net.Chain[i], net.Region[i] = f.Chain, f.Region
		net.FinalDemand[i], net.ExportShare[i], net.ExportMarket[i] = f.FinalDemand, f.ExportShare, f.ExportMarket
	}
	if named {
		net.Names = make([]string, n)
		for i, f := range firms {
			net.Names[i] = f.Name
		}
	}
	if classed {
		net.SizeClass = make([]SizeClass, n)
		for i, f := range firms {
			net.SizeClass[i] = f.SizeClass
		}
	}
	if dormant {
		net.Dormant = make([]bool, n)
		for i, f := range firms {
			net.Dormant[i] = f.Dormant
		}
	}
	for k, e := range edges {
		if e.Supplier < 0 || int(e.Supplier) >= n || e.Buyer < 0 || int(e.Buyer) >= n {
			return nil, fmt.Errorf("edge %d: firm index out of range [0,%d)", k, n)
		}
		if net.Dormant != nil && net.Dormant[e.Supplier] {
			return nil, fmt.Errorf("edge %d: dormant firm %s cannot supply %s (firms of the entry pool have no buyers)", k, net.Name(int(e.Supplier)), net.Name(int(e.Buyer)))
		}
		if e.Supplier == e.Buyer {
			return nil, fmt.Errorf("edge %d: self-loop on firm %s", k, net.Name(int(e.Supplier)))
		}
		if !(e.Weight > 0) || e.Weight > 1+1e-9 {
			return nil, fmt.Errorf("edge %d (%s → %s): weight %v must be in (0,1]", k, net.Name(int(e.Supplier)), net.Name(int(e.Buyer)), e.Weight)
		}
		if (e.Flow != 0) != (edges[0].Flow != 0) || e.Flow < 0 || math.IsInf(e.Flow, 0) || math.IsNaN(e.Flow) {
			return nil, fmt.Errorf("edge %d (%s → %s): flow %v: either every edge has a finite flow > 0 or none has", k, net.Name(int(e.Supplier)), net.Name(int(e.Buyer)), e.Flow)
		}
	}
	hasFlow := len(edges) > 0 && edges[0].Flow != 0
	sorted := slices.Clone(edges)
	slices.SortFunc(sorted, func(a, b Edge) int {
		if c := cmp.Compare(a.Buyer, b.Buyer); c != 0 {
			return c
		}
		if c := cmp.Compare(net.Sector[a.Supplier], net.Sector[b.Supplier]); c != 0 {
			return c
		}
		return cmp.Compare(a.Supplier, b.Supplier)
	})
	m := len(sorted)
	net.InStart = make([]int32, n+1)
	net.Supplier = make([]int32, m)
	net.Buyer = make([]int32, m)
	net.Weight = make([]float64, m)
	if hasFlow {
		net.Flow = make([]float64, m)
	}
	for k, e := range sorted {
		if k > 0 && e.Buyer == sorted[k-1].Buyer && e.Supplier == sorted[k-1].Supplier {
			return nil, fmt.Errorf("duplicate edge %s → %s", net.Name(int(e.Supplier)), net.Name(int(e.Buyer)))
		}
		net.Supplier[k], net.Buyer[k], net.Weight[k] = e.Supplier, e.Buyer, e.Weight
		if hasFlow {
			net.Flow[k] = e.Flow
		}
		net.InStart[e.Buyer+1]++
	}
	for b := 0; b < n; b++ {
		net.InStart[b+1] += net.InStart[b]
	}
	// Slots: a new slot starts at a buyer's first edge and wherever the
	// supplier sector changes within a buyer.
	net.SlotStart = make([]int32, n+1)
	for b := 0; b < n; b++ {
		for e := net.InStart[b]; e < net.InStart[b+1]; e++ {
			if e == net.InStart[b] || net.Sector[net.Supplier[e]] != net.Sector[net.Supplier[e-1]] {
				net.SlotEdgeStart = append(net.SlotEdgeStart, e)
				net.SlotSector = append(net.SlotSector, net.Sector[net.Supplier[e]])
			}
		}
		net.SlotStart[b+1] = int32(len(net.SlotSector))
	}
	net.SlotEdgeStart = append(net.SlotEdgeStart, int32(m))
	net.buildOut()
	return net, nil
}

// buildOut (re)builds the supplier-major index from Supplier.
func (n *Network) buildOut() {
	N := n.N()
	n.OutStart = make([]int32, N+1)
	for _, s := range n.Supplier {
		n.OutStart[s+1]++
	}
	for i := 0; i < N; i++ {
		n.OutStart[i+1] += n.OutStart[i]
	}
	n.OutEdge = make([]int32, len(n.Supplier))
	next := slices.Clone(n.OutStart[:N])
	for e, s := range n.Supplier {
		n.OutEdge[next[s]] = int32(e)
		next[s]++
	}
}

// CheckWeights returns an error naming the first slot whose weights do not
// sum to one within tol.
func (n *Network) CheckWeights(tol float64) error {
	for b := 0; b < n.N(); b++ {
		for s := n.SlotStart[b]; s < n.SlotStart[b+1]; s++ {
			sum := 0.0
			for e := n.SlotEdgeStart[s]; e < n.SlotEdgeStart[s+1]; e++ {
				sum += n.Weight[e]
			}
			if sum < 1-tol || sum > 1+tol {
				return fmt.Errorf("buyer %s: weights of its suppliers in sector %s sum to %.6g, not 1",
					n.Name(b), n.SectorNames[n.SlotSector[s]], sum)
			}
		}
	}
	return nil
}

// Firm returns firm i as a Firm value.
func (n *Network) Firm(i int) Firm {
	f := Firm{Kind: n.Kind[i], Role: n.Role[i], Sector: n.Sector[i], Chain: n.Chain[i], Region: n.Region[i],
		FinalDemand: n.FinalDemand[i], ExportShare: n.ExportShare[i], ExportMarket: n.ExportMarket[i]}
	if n.Names != nil {
		f.Name = n.Names[i]
	}
	if n.SizeClass != nil {
		f.SizeClass = n.SizeClass[i]
	}
	if n.Dormant != nil {
		f.Dormant = n.Dormant[i]
	}
	return f
}

// Edges returns the edges in stored (buyer-major) order.
func (n *Network) Edges() []Edge {
	out := make([]Edge, n.E())
	for e := range out {
		out[e] = Edge{Supplier: n.Supplier[e], Buyer: n.Buyer[e], Weight: n.Weight[e]}
		if n.Flow != nil {
			out[e].Flow = n.Flow[e]
		}
	}
	return out
}
