package network

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// maxCount is the largest number of firms or edges a Network holds.
const maxCount = 1<<31 - 2

// CoreSatelliteParams shapes a core-satellite network; see CoreSatellite.
type CoreSatelliteParams struct {
	Chains               int // industrial chains, ≥ 1
	CoresPerChain        int // core enterprises per chain, ≥ 1
	SuppliersPerChain    int // tier-1 SME suppliers per chain, ≥ SupplierSectors
	RawMaterialsPerChain int // tier-2 raw-material SMEs per chain, ≥ RawMaterialSectors
	DistributorsPerChain int // distributor SMEs per chain, ≥ 1

	SupplierSectors    int // parts sectors of tier-1 suppliers, shared by all chains, ≥ 1
	RawMaterialSectors int // raw-material sectors of tier-2 firms, shared by all chains, ≥ 0 (0 only without raw-material firms)

	// MultiSourcing is the number of suppliers per buyer and input sector,
	// capped by how many firms of that sector the buyer may buy from.
	MultiSourcing int
	// SharedSupplierShare is the probability that a supplier link (core ←
	// tier-1, tier-1 ← tier-2) goes to another chain's firm of the same
	// sector: the path of inter-chain contagion. With one chain it has no
	// effect.
	SharedSupplierShare float64
}

// Validate reports the first invalid field of p.
func (p *CoreSatelliteParams) Validate() error {
	e := func(format string, a ...any) error { return fmt.Errorf("core-satellite: "+format, a...) }
	switch {
	case p.Chains < 1:
		return e("chains = %d, need at least 1", p.Chains)
	case p.CoresPerChain < 1:
		return e("cores per chain = %d, need at least 1", p.CoresPerChain)
	case p.SupplierSectors < 1:
		return e("supplier sectors = %d, need at least 1", p.SupplierSectors)
	case p.SuppliersPerChain < p.SupplierSectors:
		return e("suppliers per chain (%d) must be ≥ supplier sectors (%d), so that every chain has suppliers in every parts sector",
			p.SuppliersPerChain, p.SupplierSectors)
	case p.RawMaterialSectors < 0:
		return e("raw-material sectors = %d, must be ≥ 0", p.RawMaterialSectors)
	case p.RawMaterialsPerChain < p.RawMaterialSectors:
		return e("raw-material firms per chain (%d) must be ≥ raw-material sectors (%d), so that every chain has firms in every raw-material sector",
			p.RawMaterialsPerChain, p.RawMaterialSectors)
	case p.RawMaterialsPerChain > 0 && p.RawMaterialSectors == 0:
		return e("%d raw-material firms per chain need at least one raw-material sector", p.RawMaterialsPerChain)
	case p.DistributorsPerChain < 1:
		return e("distributors per chain = %d, need at least 1 (core firms sell through distributors)", p.DistributorsPerChain)
	case p.MultiSourcing < 1:
		return e("multi-sourcing = %d, need at least 1 supplier per input", p.MultiSourcing)
	case !(p.SharedSupplierShare >= 0 && p.SharedSupplierShare <= 1):
		return e("shared supplier share %v must be in [0,1]", p.SharedSupplierShare)
	}
	per := int64(p.CoresPerChain) + int64(p.SuppliersPerChain) + int64(p.RawMaterialsPerChain) + int64(p.DistributorsPerChain)
	if n := int64(p.Chains) * per; n > maxCount || per > maxCount {
		return e("%d chains of %d firms is too many (at most %d firms)", p.Chains, per, maxCount)
	}
	return nil
}

// CoreSatellite generates K = p.Chains industrial chains. Chain k holds, in
// this order in the firm arrays (chain after chain):
//
//   - CoresPerChain core enterprises (Kind Core, RoleManufacturer, sector
//     "goods-k": one final-goods sector per chain);
//   - SuppliersPerChain tier-1 SMEs (RoleSupplier), the j-th in sector
//     "parts-(j mod SupplierSectors)";
//   - RawMaterialsPerChain tier-2 SMEs (RoleRawMaterial), the j-th in sector
//     "raw-(j mod RawMaterialSectors)";
//   - DistributorsPerChain distributor SMEs (RoleDistributor, sector
//     "distribution").
//
// All have Chain k and Region k mod R, with R = min(Chains, 4) regions
// "region-0".."region-{R-1}". SectorNames, RegionNames and MarketNames are
// in order of first use by firm index, followed by unused names (this is the
// order ReadCSV collects them in, so WriteCSV output reads back identical):
// goods-0, parts-*, raw-*, distribution, goods-1, ..., goods-{K-1}.
//
// Edges, supplier → buyer: each distributor buys from min(MultiSourcing,
// CoresPerChain) cores of its chain; each core buys from every parts
// sector; each tier-1 supplier buys from one or two raw-material sectors
// (sector j mod RawMaterialSectors — or every sector ≡ j mod
// SuppliersPerChain when there are more sectors than suppliers — plus, with
// probability 1/2, one other random sector); tier-2 firms buy no domestic
// inputs. A buyer takes MultiSourcing suppliers per input sector (fewer if
// fewer exist). Each link to a tier-1 or tier-2 supplier goes with
// probability SharedSupplierShare to a uniformly drawn firm of that sector
// in another chain, otherwise to one in the buyer's chain. Every core,
// tier-1 and tier-2 firm has at least one buyer: before the random links,
// each is linked to one buyer chosen round-robin in the chain picked as
// above, so a buyer may exceed MultiSourcing suppliers in a sector when
// suppliers outnumber the buyers' slots. No self-loops or duplicate edges.
//
// Weights: each edge draws uniform(0.5, 1.5); weights are then normalised
// within each input slot (buyer, supplier sector) to sum to 1.
//
// Final demand and exports come from s (see Sizes): distributors have the
// distributor mean, the others the upstream mean. Time and memory are
// O(firms + edges); the result depends only on p, s and the state of rng.
func CoreSatellite(p CoreSatelliteParams, s Sizes, rng *rand.Rand) (*Network, error) {
	if rng == nil {
		return nil, errors.New("core-satellite: nil random generator")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	z, err := newSizer(&s)
	if err != nil {
		return nil, fmt.Errorf("core-satellite: %w", err)
	}
	g := &csGen{p: p, rng: rng}
	g.per = p.CoresPerChain + p.SuppliersPerChain + p.RawMaterialsPerChain + p.DistributorsPerChain
	firms, sectorNames, regionNames := g.firms()
	for i := range firms {
		if err := z.size(&firms[i], firms[i].Role != RoleDistributor, rng); err != nil {
			return nil, fmt.Errorf("core-satellite: %w", err)
		}
	}
	g.edgesOf()
	return assemble(firms, g.edges, sectorNames, regionNames, s.MarketNames)
}

// Names returns the sector and region names of the network CoreSatellite
// makes with p, without making it: sectors "goods-0".."goods-{Chains-1}",
// "parts-*", "raw-*" and "distribution", regions "region-0".."region-{R-1}"
// with R = min(Chains, 4).
func (p CoreSatelliteParams) Names() (sectors, regions []string) {
	K, S1, S2 := p.Chains, p.SupplierSectors, p.RawMaterialSectors
	sectors = make([]string, 0, max(0, K+S1+S2+1))
	for k := 0; k < K; k++ {
		sectors = append(sectors, "goods-"+strconv.Itoa(k))
	}
	for j := 0; j < S1; j++ {
		sectors = append(sectors, "parts-"+strconv.Itoa(j))
	}
	for j := 0; j < S2; j++ {
		sectors = append(sectors, "raw-"+strconv.Itoa(j))
	}
	sectors = append(sectors, "distribution")
	regions = make([]string, max(0, min(K, 4)))
	for r := range regions {
		regions[r] = "region-" + strconv.Itoa(r)
	}
	return sectors, regions
}

// HasSector reports whether the network CoreSatellite makes with p has a
// sector of that name, without listing them (see Names).
func (p CoreSatelliteParams) HasSector(name string) bool {
	if name == "distribution" {
		return true
	}
	for _, f := range []struct {
		prefix string
		n      int
	}{{"goods-", p.Chains}, {"parts-", p.SupplierSectors}, {"raw-", p.RawMaterialSectors}} {
		if rest, ok := strings.CutPrefix(name, f.prefix); ok {
			return numberBelow(rest, f.n)
		}
	}
	return false
}

// HasRegion reports whether the network CoreSatellite makes with p has a
// region of that name.
func (p CoreSatelliteParams) HasRegion(name string) bool {
	rest, ok := strings.CutPrefix(name, "region-")
	return ok && numberBelow(rest, min(p.Chains, 4))
}

// numberBelow reports whether s is a number written as strconv.Itoa writes
// it, from 0 to n−1.
func numberBelow(s string, n int) bool {
	k, err := strconv.Atoi(s)
	return err == nil && k >= 0 && k < n && strconv.Itoa(k) == s
}

// IsCore reports whether firm i (named "f<i>") of the network CoreSatellite
// makes with p exists, and whether it is a core firm: the first
// CoresPerChain firms of each chain are.
func (p CoreSatelliteParams) IsCore(i int) (exists, core bool) {
	per := p.CoresPerChain + p.SuppliersPerChain + p.RawMaterialsPerChain + p.DistributorsPerChain
	if i < 0 || per <= 0 || i/per >= p.Chains {
		return false, false
	}
	return true, i%per < p.CoresPerChain
}

// csGen holds the state of one CoreSatellite run.
type csGen struct {
	p     CoreSatelliteParams
	rng   *rand.Rand
	per   int // firms per chain
	edges []Edge

	nPart, nRaw []int // firms per chain in each parts / raw sector
}

func (g *csGen) core(k, i int) int32 { return int32(k*g.per + i) }
func (g *csGen) part(k, sec, i int) int32 {
	return int32(k*g.per + g.p.CoresPerChain + sec + g.p.SupplierSectors*i)
}
func (g *csGen) raw(k, sec, i int) int32 {
	return int32(k*g.per + g.p.CoresPerChain + g.p.SuppliersPerChain + sec + g.p.RawMaterialSectors*i)
}

// tier1 returns the tier-1 supplier of ordinal o = k*SuppliersPerChain + j.
func (g *csGen) tier1(o int) int32 {
	k, j := o/g.p.SuppliersPerChain, o%g.p.SuppliersPerChain
	return int32(k*g.per + g.p.CoresPerChain + j)
}
func (g *csGen) distributor(k, j int) int32 {
	return int32(k*g.per + g.p.CoresPerChain + g.p.SuppliersPerChain + g.p.RawMaterialsPerChain + j)
}
func (g *csGen) chainOf(f int32) int { return int(f) / g.per }

// firms lays out the firms with sector indices in a natural order
// (goods-*, parts-*, raw-*, distribution) and regions.
func (g *csGen) firms() ([]Firm, []string, []string) {
	p := g.p
	K, S1, S2 := p.Chains, p.SupplierSectors, p.RawMaterialSectors
	sectorNames, regionNames := p.Names()
	R := len(regionNames)
	g.nPart = make([]int, S1)
	for j := 0; j < p.SuppliersPerChain; j++ {
		g.nPart[j%S1]++
	}
	g.nRaw = make([]int, S2)
	for j := 0; j < p.RawMaterialsPerChain; j++ {
		g.nRaw[j%S2]++
	}
	firms := make([]Firm, K*g.per)
	for k := 0; k < K; k++ {
		f := Firm{Chain: int32(k), Region: int32(k % R), ExportMarket: -1}
		f.Kind, f.Role, f.Sector = Core, RoleManufacturer, int32(k)
		for i := 0; i < p.CoresPerChain; i++ {
			firms[g.core(k, i)] = f
		}
		f.Kind, f.Role = SME, RoleSupplier
		for j := 0; j < p.SuppliersPerChain; j++ {
			f.Sector = int32(K + j%S1)
			firms[g.part(k, j%S1, j/S1)] = f
		}
		f.Role = RoleRawMaterial
		for j := 0; j < p.RawMaterialsPerChain; j++ {
			f.Sector = int32(K + S1 + j%S2)
			firms[g.raw(k, j%S2, j/S2)] = f
		}
		f.Role, f.Sector = RoleDistributor, int32(K+S1+S2)
		for j := 0; j < p.DistributorsPerChain; j++ {
			firms[g.distributor(k, j)] = f
		}
	}
	return firms, sectorNames, regionNames
}

func (g *csGen) addEdge(supplier, buyer int32) {
	g.edges = append(g.edges, Edge{Supplier: supplier, Buyer: buyer, Weight: (0.5 + g.rng.Float64()) / 1.5})
}

// pickChain returns the chain a link of a buyer or supplier in chain k
// goes to: another chain, uniformly, with probability SharedSupplierShare.
func (g *csGen) pickChain(k int) int {
	K, q := g.p.Chains, g.p.SharedSupplierShare
	if K == 1 || q == 0 || (q < 1 && g.rng.Float64() >= q) {
		return k
	}
	r := g.rng.IntN(K - 1)
	if r >= k {
		r++
	}
	return r
}

// edgesOf generates all edges. Slots (buyer, input sector) are numbered:
// distributors' slots first, then cores' (one per parts sector), then
// tier-1 suppliers' (one per raw sector they buy).
func (g *csGen) edgesOf() {
	p := g.p
	K, C, SP, D, S1, S2 := p.Chains, p.CoresPerChain, p.SuppliersPerChain, p.DistributorsPerChain, p.SupplierSectors, p.RawMaterialSectors
	distSlots := K * D
	coreSlot := func(k, i, sec int) int { return distSlots + (k*C+i)*S1 + sec }
	t1Base := distSlots + K*C*S1

	// Raw-material sectors of each tier-1 supplier (ordinal k*SP+j).
	t1Start := make([]int32, K*SP+1) // slots of supplier o: t1Base + t1Start[o] ..
	var t1Sector []int32             // raw sector of each tier-1 slot
	if S2 > 0 {
		t1Sector = make([]int32, 0, K*SP*2)
		for k := 0; k < K; k++ {
			for j := 0; j < SP; j++ {
				o := k*SP + j
				first := len(t1Sector)
				if SP >= S2 {
					t1Sector = append(t1Sector, int32(j%S2))
				} else {
					for sec := j; sec < S2; sec += SP {
						t1Sector = append(t1Sector, int32(sec))
					}
				}
				if have := len(t1Sector) - first; have < S2 && g.rng.IntN(2) == 1 {
					for {
						sec := int32(g.rng.IntN(S2))
						if !slices.Contains(t1Sector[first:], sec) {
							t1Sector = append(t1Sector, sec)
							break
						}
					}
				}
				t1Start[o+1] = int32(len(t1Sector))
			}
		}
	}
	nSlots := t1Base + len(t1Sector)

	// Tier-1 slots per (chain, raw sector), for round-robin coverage.
	byRaw := make([]int32, K*S2+1)
	for o := 0; o < K*SP; o++ {
		for t := t1Start[o]; t < t1Start[o+1]; t++ {
			byRaw[(o/SP)*S2+int(t1Sector[t])+1]++
		}
	}
	for i := 1; i < len(byRaw); i++ {
		byRaw[i] += byRaw[i-1]
	}
	t1Owner := make([]int32, len(t1Sector)) // supplier ordinal of each tier-1 slot
	for o := 0; o < K*SP; o++ {
		for t := t1Start[o]; t < t1Start[o+1]; t++ {
			t1Owner[t] = int32(o)
		}
	}
	rawSlots := make([]int32, len(t1Sector))
	next := slices.Clone(byRaw[:len(byRaw)-1])
	for o := 0; o < K*SP; o++ {
		for t := t1Start[o]; t < t1Start[o+1]; t++ {
			key := (o/SP)*S2 + int(t1Sector[t])
			rawSlots[next[key]] = int32(t1Base) + t
			next[key]++
		}
	}

	// Coverage: one buyer for every core, tier-1 and tier-2 firm.
	covSlot := make([]int32, 0, K*(C+SP+p.RawMaterialsPerChain))
	cover := func(slot int, supplier, buyer int32) {
		covSlot = append(covSlot, int32(slot))
		g.addEdge(supplier, buyer)
	}
	for k := 0; k < K; k++ {
		for i := 0; i < C; i++ {
			cover(k*D+i%D, g.core(k, i), g.distributor(k, i%D))
		}
	}
	rr := make([]int, K*S1)
	for k := 0; k < K; k++ {
		for j := 0; j < SP; j++ {
			sec := j % S1
			k2 := g.pickChain(k)
			i := rr[k2*S1+sec] % C
			rr[k2*S1+sec]++
			cover(coreSlot(k2, i, sec), g.part(k, sec, j/S1), g.core(k2, i))
		}
	}
	rr = make([]int, K*S2)
	for k := 0; k < K; k++ {
		for j := 0; j < p.RawMaterialsPerChain; j++ {
			sec := j % S2
			k2 := g.pickChain(k)
			key := k2*S2 + sec
			list := rawSlots[byRaw[key]:byRaw[key+1]] // never empty: every chain's tier-1 firms cover every raw sector
			slot := list[rr[key]%len(list)]
			rr[key]++
			cover(int(slot), g.raw(k, sec, j/S2), g.tier1(int(t1Owner[int(slot)-t1Base])))
		}
	}
	// Coverage suppliers per slot (counting sort).
	covStart := make([]int32, nSlots+1)
	for _, s := range covSlot {
		covStart[s+1]++
	}
	for i := 1; i <= nSlots; i++ {
		covStart[i] += covStart[i-1]
	}
	covList := make([]int32, len(covSlot))
	pos := slices.Clone(covStart[:nSlots])
	for e, s := range covSlot {
		covList[pos[s]] = g.edges[e].Supplier
		pos[s]++
	}
	covSlot = nil

	// Fill every slot up to its target.
	var mem []int32
	members := func(slot int) []int32 {
		return append(mem[:0], covList[covStart[slot]:covStart[slot+1]]...)
	}
	for k := 0; k < K; k++ {
		for j := 0; j < D; j++ {
			slot := k*D + j
			mem = g.fill(members(slot), g.distributor(k, j), k, C, false, g.core)
		}
	}
	for k := 0; k < K; k++ {
		for i := 0; i < C; i++ {
			for sec := 0; sec < S1; sec++ {
				slot := coreSlot(k, i, sec)
				mem = g.fill(members(slot), g.core(k, i), k, g.nPart[sec], true,
					func(k2, m int) int32 { return g.part(k2, sec, m) })
			}
		}
	}
	for o := 0; o < K*SP; o++ {
		k, buyer := o/SP, g.tier1(o)
		for t := t1Start[o]; t < t1Start[o+1]; t++ {
			sec := int(t1Sector[t])
			mem = g.fill(members(t1Base+int(t)), buyer, k, g.nRaw[sec], true,
				func(k2, m int) int32 { return g.raw(k2, sec, m) })
		}
	}
}

// fill adds random suppliers to one slot of buyer (in chain kb) until it has
// min(MultiSourcing, available) of them. mem holds the slot's suppliers so
// far; the pool has c firms per chain, member(k, m) being the m-th in chain
// k. With cross false, only the buyer's chain is used.
func (g *csGen) fill(mem []int32, buyer int32, kb, c int, cross bool, member func(k, m int) int32) []int32 {
	K, q := g.p.Chains, g.p.SharedSupplierShare
	own, other := c, 0
	if cross && K > 1 && q > 0 {
		other = (K - 1) * c
	}
	useOwn := !(other > 0 && q >= 1)
	avail := other
	if useOwn {
		avail += own
	}
	target := min(g.p.MultiSourcing, avail)
	ownIn, otherIn := 0, 0
	for _, f := range mem {
		if g.chainOf(f) == kb {
			ownIn++
		} else {
			otherIn++
		}
	}
	for len(mem) < target {
		fromOther := false
		if other > 0 && otherIn < other {
			fromOther = !useOwn || ownIn >= own || g.rng.Float64() < q
		}
		var f int32
		for {
			if fromOther {
				r := g.rng.IntN(other)
				k2 := r / c
				if k2 >= kb {
					k2++
				}
				f = member(k2, r%c)
			} else {
				f = member(kb, g.rng.IntN(c))
			}
			if !slices.Contains(mem, f) {
				break
			}
		}
		if fromOther {
			otherIn++
		} else {
			ownIn++
		}
		mem = append(mem, f)
		g.addEdge(f, buyer)
	}
	return mem
}
