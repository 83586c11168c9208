// Networks from input–output tables: a sector table read from CSV, and a
// firm network whose flows add up to it.

package network

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
)

// IOTable is a sector input–output table: Flow[i][j] is what sector i
// sells sector j per year, FinalDemand[i] what it sells final users.
// Output of sector i is its row sum plus its final demand.
// SizeDispersion[i], if the table gives it (nil otherwise), is the sigma
// of the log-normal spread of firm sizes in sector i.
type IOTable struct {
	Sectors        []string
	Flow           [][]float64
	FinalDemand    []float64
	SizeDispersion []float64
}

// Output returns each sector's output: intermediate sales plus final
// demand.
func (t *IOTable) Output() []float64 {
	x := slices.Clone(t.FinalDemand)
	for i, row := range t.Flow {
		for _, z := range row {
			x[i] += z
		}
	}
	return x
}

// ReadIOTable reads a sector table from a CSV file: the header is
// "sector", the n sector names, "final_demand" and optionally
// "size_dispersion"; then one row per sector, in the header's order, with
// its name, its sales to each sector (the row sells to the column) and its
// final demand, all ≥ 0 and per year, and the sigma of its firms' sizes,
// in [0,5]. Errors are one line "file:line: problem".
func ReadIOTable(path string) (*IOTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readIOTable(path, f)
}

func readIOTable(name string, r io.Reader) (*IOTable, error) {
	cr := newCSVReader(name, r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	extra := 0 // columns after final_demand
	if len(header) > 0 && header[len(header)-1] == "size_dispersion" {
		extra = 1
	}
	n := len(header) - 2 - extra
	if n < 1 || header[0] != "sector" || header[len(header)-1-extra] != "final_demand" {
		return nil, fmt.Errorf("%s:1: header must be sector, the sector names, final_demand[, size_dispersion]; got %s", name, echo(strings.Join(header, ",")))
	}
	tail := "final_demand"
	if extra > 0 {
		tail += ", size_dispersion"
	}
	t := &IOTable{Sectors: make([]string, n)}
	seen := make(map[string]bool, n)
	for j := range n {
		s := header[1+j]
		if msg := badName(s, false); s == "" || msg != "" {
			return nil, fmt.Errorf("%s:1: column %d: sector name %s %s", name, 2+j, echo(s), cmp.Or(msg, "is empty"))
		}
		if seen[s] {
			return nil, fmt.Errorf("%s:1: sector %s named twice", name, echo(s))
		}
		seen[s] = true
		t.Sectors[j] = strings.Clone(s)
	}
	err = eachRecord(name, cr, func(line int, rec []string) error {
		i := len(t.Flow)
		if i == n {
			return fmt.Errorf("%s:%d: row %d, but the header names %d sectors: the intermediate block must be square", name, line, i+1, n)
		}
		if len(rec) != n+2+extra {
			return fmt.Errorf("%s:%d: %d fields, want %d (sector, %d flows, %s): the intermediate block must be square", name, line, len(rec), n+2+extra, n, tail)
		}
		if rec[0] != t.Sectors[i] {
			return fmt.Errorf("%s:%d: row of sector %s, want %s: rows must follow the header's order", name, line, echo(rec[0]), echo(t.Sectors[i]))
		}
		row := make([]float64, n+1)
		for k := range row {
			column := "final_demand"
			if k < n {
				column = t.Sectors[k]
			}
			v, err := parseNumber(rec[1+k])
			if err != nil {
				return fmt.Errorf("%s:%d: column %s: %v", name, line, column, err)
			}
			if v < 0 || v > maxFlow {
				return fmt.Errorf("%s:%d: column %s: %s must be in [0, %g]", name, line, column, cut(rec[1+k]), maxFlow)
			}
			row[k] = v
		}
		t.Flow = append(t.Flow, row[:n:n])
		t.FinalDemand = append(t.FinalDemand, row[n])
		if extra > 0 {
			v, err := parseNumber(rec[n+2])
			if err != nil {
				return fmt.Errorf("%s:%d: column size_dispersion: %v", name, line, err)
			}
			if v < 0 || v > 5 {
				return fmt.Errorf("%s:%d: column size_dispersion: %s must be in [0,5]", name, line, cut(rec[n+2]))
			}
			t.SizeDispersion = append(t.SizeDispersion, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.Flow) < n {
		return nil, fmt.Errorf("%s: %d rows, but the header names %d sectors: the intermediate block must be square", name, len(t.Flow), n)
	}
	for i, x := range t.Output() {
		if !(x > 0) {
			return nil, fmt.Errorf("%s:%d: sector %s has no output: no sales and no final demand", name, i+2, echo(t.Sectors[i]))
		}
	}
	return t, nil
}

// IOParams shape the firms of a network built from an IO table.
type IOParams struct {
	Firms         int     // in all, shared among sectors in proportion to output (at least one each)
	Dispersion    float64 // sigma of the log-normal spread of firm sizes within a sector, unless the table gives its own
	CoreShare     float64 // share of each sector's firms, the largest, that are core firms
	MultiSourcing int     // pieces each buyer's purchases from another sector are split into
}

// Network builds a firm network whose flows add up to the table. Each
// sector's firms draw log-normal sizes (sigma the table's size_dispersion,
// or p.Dispersion), their shares of the sector's
// output; a firm's final demand and its sales to each sector, and its
// purchases from each sector, are its share of the sector's. Within a
// pair of sectors, suppliers and buyers are laid out on a circle in a
// random order, each on an arc as long as its share (a buyer's arc in
// MultiSourcing pieces spread round the circle, or one piece opposite
// within a sector, so that no firm buys from itself), and a link carries
// the table's flow times the overlap of its supplier's and buyer's arcs.
// So every firm's sales and purchases and every sector's flows match the
// table up to rounding. The largest CoreShare of a sector's firms are
// cores; every firm has role other.
func (t *IOTable) Network(p IOParams, rng *rand.Rand) (*Network, error) {
	n := len(t.Sectors)
	if p.Firms < n || p.Firms > maxCount {
		return nil, fmt.Errorf("io-table: %d firms for %d sectors: need at least one firm per sector", p.Firms, n)
	}
	if rng == nil {
		return nil, fmt.Errorf("io-table: nil random generator")
	}
	x := t.Output()
	total := 0.0
	for _, v := range x {
		total += v
	}
	// Firms per sector: one each, the rest by largest remainders of output.
	count := make([]int, n)
	rest := p.Firms - n
	rem := make([]float64, n)
	given := 0
	for i := range count {
		q := float64(rest) * x[i] / total
		count[i] = 1 + int(q)
		given += int(q)
		rem[i] = q - math.Floor(q)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
	for k := 0; given < rest; k++ {
		count[order[k%n]]++
		given++
	}
	// Firms of each sector, their shares and the order on the circle.
	var firms []Firm
	first := make([]int, n+1)
	share := make([]float64, 0, p.Firms)
	for i := range n {
		first[i] = len(firms)
		sizes := make([]float64, count[i])
		sum, sigma := 0.0, p.Dispersion
		if t.SizeDispersion != nil {
			sigma = t.SizeDispersion[i]
		}
		for k := range sizes {
			sizes[k] = math.Exp(sigma * rng.NormFloat64())
			sum += sizes[k]
		}
		byKind := make([]int, count[i])
		for k := range byKind {
			byKind[k] = k
		}
		slices.SortStableFunc(byKind, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
		cores := int(math.Round(p.CoreShare * float64(count[i])))
		core := make([]bool, count[i])
		for _, k := range byKind[:cores] {
			core[k] = true
		}
		for k, s := range sizes {
			w := s / sum
			f := Firm{Role: RoleOther, Sector: int32(i), Chain: -1, ExportMarket: -1, FinalDemand: w * t.FinalDemand[i]}
			if core[k] {
				f.Kind = Core
			}
			firms = append(firms, f)
			share = append(share, w)
		}
	}
	first[n] = len(firms)
	perm := make([][]int32, n)
	for i := range n {
		perm[i] = make([]int32, count[i])
		for k, v := range rng.Perm(count[i]) {
			perm[i][k] = int32(first[i] + v)
		}
	}
	var edges []Edge
	for i := range n {
		for j := range n {
			z := t.Flow[i][j]
			if z == 0 {
				continue
			}
			pieces, offset := max(1, p.MultiSourcing), rng.Float64()
			if i == j {
				pieces, offset = 1, 0.5
			}
			links, err := overlapLinks(perm[i], perm[j], share, pieces, offset)
			if err != nil {
				return nil, fmt.Errorf("io-table: sector %s: %w", t.Sectors[i], err)
			}
			for _, l := range links {
				edges = append(edges, Edge{Supplier: l.supplier, Buyer: l.buyer, Weight: 1, Flow: z * l.overlap})
			}
		}
	}
	sector := make([]int32, len(firms))
	for k, f := range firms {
		sector[k] = f.Sector
	}
	WeightsFromFlows(edges, sector)
	return Build(firms, edges, slices.Clone(t.Sectors), []string{"all"}, nil)
}

// arcLink is the overlap of a supplier's and a buyer's arcs.
type arcLink struct {
	supplier, buyer int32
	overlap         float64
}

// overlapLinks lays suppliers (in order, each on an arc of its share) and
// buyers (in order, each share cut into pieces arcs, the round of all
// buyers repeated pieces times, starting at offset) on the circle of
// length 1 and returns the overlaps, merged per pair, in order of first
// appearance. A firm overlapping itself is an error.
func overlapLinks(suppliers, buyers []int32, share []float64, pieces int, offset float64) ([]arcLink, error) {
	type arc struct {
		firm       int32
		start, end float64
	}
	sArcs := make([]arc, 0, len(suppliers))
	pos := 0.0
	for _, s := range suppliers {
		sArcs = append(sArcs, arc{s, pos, pos + share[s]})
		pos += share[s]
	}
	sArcs[len(sArcs)-1].end = 1
	// Buyer arcs from offset round the circle, brought into [0,1): an arc
	// across 1 is cut in two.
	var bArcs []arc
	pos = offset
	for p := range pieces {
		for k, b := range buyers {
			start, end := pos, pos+share[b]/float64(pieces)
			if p == pieces-1 && k == len(buyers)-1 {
				end = offset + 1
			}
			pos = end
			if start >= 1 {
				start, end = start-1, end-1
			}
			if end > 1 {
				bArcs = append(bArcs, arc{b, start, 1}, arc{b, 0, end - 1})
			} else {
				bArcs = append(bArcs, arc{b, start, end})
			}
		}
	}
	slices.SortFunc(bArcs, func(a, b arc) int { return cmp.Compare(a.start, b.start) })
	bArcs[len(bArcs)-1].end = 1
	index := make(map[[2]int32]int)
	var out []arcLink
	pos = 0
	for si, bi := 0, 0; si < len(sArcs) && bi < len(bArcs); {
		end := min(sArcs[si].end, bArcs[bi].end)
		if l := end - pos; l > 1e-15 {
			s, b := sArcs[si].firm, bArcs[bi].firm
			if s == b {
				return nil, fmt.Errorf("a firm has %.3g of the sector's output and would buy from itself: use more firms or a smaller final_demand_dispersion", share[s])
			}
			key := [2]int32{s, b}
			if k, ok := index[key]; ok {
				out[k].overlap += l
			} else {
				index[key] = len(out)
				out = append(out, arcLink{s, b, l})
			}
		}
		pos = max(pos, end)
		if sArcs[si].end <= end {
			si++
		}
		if bi < len(bArcs) && bArcs[bi].end <= end {
			bi++
		}
	}
	return out, nil
}
