package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// The generic generators, BarabasiAlbert and ErdosRenyi, and the assembly
// every generator ends with.

// GenericHasSector reports whether the networks BarabasiAlbert and
// ErdosRenyi make with the given number of sectors have a sector of that
// name (see GenericNames).
func GenericHasSector(sectors int, name string) bool {
	rest, ok := strings.CutPrefix(name, "sector-")
	return ok && numberBelow(rest, sectors)
}

// GenericNames returns the sector and region names of the networks
// BarabasiAlbert and ErdosRenyi make with the given number of sectors:
// "sector-0".."sector-{sectors-1}", and the one region "all".
func GenericNames(sectors int) (sectorNames, regionNames []string) {
	sectorNames = make([]string, max(0, sectors))
	for i := range sectorNames {
		sectorNames[i] = "sector-" + strconv.Itoa(i)
	}
	return sectorNames, []string{"all"}
}

// assemble orders names by first use, builds the network and normalises
// the weights per slot.
func assemble(firms []Firm, edges []Edge, sectorNames, regionNames, marketNames []string) (*Network, error) {
	sectorNames = firstAppearance(firms, sectorNames, sectorOf)
	regionNames = firstAppearance(firms, regionNames, regionOf)
	marketNames = firstAppearance(firms, slices.Clone(marketNames), marketOf)
	net, err := Build(firms, edges, sectorNames, regionNames, marketNames)
	if err != nil {
		return nil, err
	}
	net.normaliseWeights()
	return net, nil
}

// normaliseWeights scales the weights of each slot to sum to one.
func (n *Network) normaliseWeights() {
	for s := 0; s < n.Slots(); s++ {
		w := n.Weight[n.SlotEdgeStart[s]:n.SlotEdgeStart[s+1]]
		sum := 0.0
		for _, x := range w {
			sum += x
		}
		for i := range w {
			w[i] /= sum
		}
	}
}

// checkGeneric validates the parameters shared by BarabasiAlbert and
// ErdosRenyi.
func checkGeneric(name string, firms int, meanDegree float64, sectors int, coreShare float64, rng *rand.Rand) error {
	switch {
	case rng == nil:
		return fmt.Errorf("%s: nil random generator", name)
	case firms < 2 || firms > maxCount:
		return fmt.Errorf("%s: firms = %d, must be in [2, %d]", name, firms, maxCount)
	case math.IsNaN(meanDegree) || math.IsInf(meanDegree, 0):
		return fmt.Errorf("%s: mean degree %v must be finite", name, meanDegree)
	case sectors < 1:
		return fmt.Errorf("%s: sectors = %d, need at least 1", name, sectors)
	case !(coreShare >= 0 && coreShare <= 1):
		return fmt.Errorf("%s: core share %v must be in [0,1]", name, coreShare)
	case float64(firms)*meanDegree > maxCount:
		return fmt.Errorf("%s: %d firms × mean degree %g is too many edges (at most %d)", name, firms, meanDegree, maxCount)
	}
	return nil
}

// BarabasiAlbert generates a scale-free network by linear preferential
// attachment. It starts from a complete graph on m0 = ⌈meanDegree⌉+1 firms;
// each later firm attaches to ⌊meanDegree⌋ distinct earlier firms, or one
// more with probability equal to the fractional part of meanDegree, chosen
// with probability proportional to their degree. Edges are oriented from
// the older to the newer firm (the newcomer buys from the firms it attaches
// to), so hubs are big suppliers, out-degrees are power-law, every firm
// after the first has suppliers, and the network is acyclic. meanDegree
// (≥ 1) is thus the mean number of suppliers per firm, edges/firms (up to
// the seed graph); the mean total degree is twice that.
//
// gonum's gen.PreferentialAttachment is not used: it reweights all n nodes
// after each new node, O(n²) (0.5 s at 2×10⁴ firms, ~20 minutes at 10⁶).
// This implementation samples from the list of edge endpoints
// (Batagelj–Brandes), O(firms + edges).
//
// Every firm has RoleOther, Chain −1 and the single region "all"; sectors
// "sector-0".."sector-{sectors-1}" are drawn uniformly and labelled in order
// of first use (firm 0 is in sector-0). The round(coreShare×firms) firms of
// largest total degree (ties to the lower index) are Kind Core, the others
// SME. Weights are uniform(0.5, 1.5) normalised per slot, and sizes follow
// Sizes with the RoleOther rule (firms without buyers get the distributor
// mean).
func BarabasiAlbert(firms int, meanDegree float64, sectors int, coreShare float64, s Sizes, rng *rand.Rand) (*Network, error) {
	const name = "barabasi-albert"
	if err := checkGeneric(name, firms, meanDegree, sectors, coreShare, rng); err != nil {
		return nil, err
	}
	if meanDegree < 1 {
		return nil, fmt.Errorf("%s: mean degree %v must be ≥ 1", name, meanDegree)
	}
	m0 := int(math.Ceil(meanDegree)) + 1
	if firms < m0 {
		return nil, fmt.Errorf("%s: mean degree %v needs at least %d firms, have %d", name, meanDegree, m0, firms)
	}
	z, err := newSizer(&s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	base, frac := math.Floor(meanDegree), meanDegree-math.Floor(meanDegree)
	estimate := m0*(m0-1)/2 + int(float64(firms-m0)*meanDegree) + 16
	edges := make([]Edge, 0, estimate)
	ends := make([]int32, 0, 2*estimate) // each edge's two firms: a firm appears degree times
	add := func(u, v int32) {
		edges = append(edges, Edge{Supplier: u, Buyer: v, Weight: (0.5 + rng.Float64()) / 1.5})
		ends = append(ends, u, v)
	}
	for v := 1; v < m0; v++ {
		for u := 0; u < v; u++ {
			add(int32(u), int32(v))
		}
	}
	chosen := make([]int32, 0, m0)
	for v := m0; v < firms; v++ {
		m := int(base)
		if frac > 0 && rng.Float64() < frac {
			m++
		}
		chosen = chosen[:0]
		for len(chosen) < m {
			u := ends[rng.IntN(len(ends))]
			if !slices.Contains(chosen, u) {
				chosen = append(chosen, u)
			}
		}
		for _, u := range chosen {
			add(u, int32(v))
		}
	}
	ends = nil
	return generic(name, firms, edges, sectors, coreShare, z, s.MarketNames, rng)
}

// ErdosRenyi generates a directed G(n, p) network: each ordered pair of
// distinct firms is an edge (supplier → buyer) independently with
// probability p = meanDegree/(firms−1), so meanDegree (in (0, firms−1]) is
// the expected number of suppliers (and of buyers) per firm. Pairs are
// visited by geometric skipping (Batagelj–Brandes), O(firms + edges), never
// O(firms²). Sectors, kinds, weights and sizes as in BarabasiAlbert.
func ErdosRenyi(firms int, meanDegree float64, sectors int, coreShare float64, s Sizes, rng *rand.Rand) (*Network, error) {
	const name = "erdos-renyi"
	if err := checkGeneric(name, firms, meanDegree, sectors, coreShare, rng); err != nil {
		return nil, err
	}
	if !(meanDegree > 0 && meanDegree <= float64(firms-1)) {
		return nil, fmt.Errorf("%s: mean degree %v must be in (0, firms−1 = %d]", name, meanDegree, firms-1)
	}
	z, err := newSizer(&s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	n := int64(firms)
	p := meanDegree / float64(firms-1)
	lp := math.Log1p(-p) // −Inf when p = 1: every skip is 0
	total := n * (n - 1) // ordered pairs: buyer-major, supplier index j skips the buyer
	mean := float64(firms) * meanDegree
	edges := make([]Edge, 0, int(mean+5*math.Sqrt(mean))+16)
	for pos := int64(-1); ; {
		skip := math.Floor(math.Log1p(-rng.Float64()) / lp)
		if skip >= float64(total) {
			break
		}
		pos += 1 + int64(skip)
		if pos >= total {
			break
		}
		b, j := pos/(n-1), pos%(n-1)
		if j >= b {
			j++
		}
		edges = append(edges, Edge{Supplier: int32(j), Buyer: int32(b), Weight: (0.5 + rng.Float64()) / 1.5})
	}
	if len(edges) > maxCount {
		return nil, fmt.Errorf("%s: %d edges is too many (at most %d)", name, len(edges), maxCount)
	}
	return generic(name, firms, edges, sectors, coreShare, z, s.MarketNames, rng)
}

// generic finishes a Barabási–Albert or Erdős–Rényi network: sectors,
// kinds, sizes, then assembly.
func generic(name string, n int, edges []Edge, sectors int, coreShare float64, z *sizer, marketNames []string, rng *rand.Rand) (*Network, error) {
	firms := make([]Firm, n)
	label := make([]int32, sectors) // drawn sector → label by first use
	for i := range label {
		label[i] = -1
	}
	used := int32(0)
	for i := range firms {
		sec := rng.IntN(sectors)
		if label[sec] < 0 {
			label[sec] = used
			used++
		}
		firms[i] = Firm{Role: RoleOther, Sector: label[sec], Chain: -1, ExportMarket: -1}
	}
	deg := make([]int32, n)
	out := make([]bool, n)
	for _, e := range edges {
		deg[e.Supplier]++
		deg[e.Buyer]++
		out[e.Supplier] = true
	}
	for i, core := range topByDegree(deg, int(math.Round(coreShare*float64(n)))) {
		if core {
			firms[i].Kind = Core
		}
	}
	for i := range firms {
		if err := z.size(&firms[i], out[i], rng); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	sectorNames, regionNames := GenericNames(sectors)
	net, err := assemble(firms, edges, sectorNames, regionNames, marketNames)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return net, nil
}

// topByDegree marks the count firms of largest degree, ties broken towards
// the lower index, in O(n + max degree).
func topByDegree(deg []int32, count int) []bool {
	mark := make([]bool, len(deg))
	if count <= 0 {
		return mark
	}
	maxDeg := int32(0)
	for _, d := range deg {
		maxDeg = max(maxDeg, d)
	}
	hist := make([]int, maxDeg+1)
	for _, d := range deg {
		hist[d]++
	}
	// Threshold t: fewer than count firms have degree > t, at least count ≥ t.
	t, above := maxDeg, 0
	for t > 0 && above+hist[t] < count {
		above += hist[t]
		t--
	}
	left := count - above
	for i, d := range deg {
		if d > t {
			mark[i] = true
		} else if d == t && left > 0 {
			mark[i] = true
			left--
		}
	}
	return mark
}
