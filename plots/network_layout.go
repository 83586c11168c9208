package plots

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/smesim/smesim/sim/results"
)

// netLayout places firms in a layered picture: one column per tier (or
// per sector when all firms share one role), one band per chain.
type netLayout struct {
	x, y    []float64
	columns []string // labels of the columns at x = 0, 1, …
	bands   []string // labels of the bands at y = 0, 1, … (top band highest)
	spacing float64  // smallest distance between neighbouring firms, in pixels of the canvas laid out
	sectors bool     // columns are sectors (all firms share one role), not tiers
}

// layoutNetwork lays out firms (in their firms.csv order) on a canvas of
// about wPx × hPx: columns left to right upstream to downstream, chains
// stacked top to bottom (firms of no chain in a band of their own at the
// bottom); within a cell (column, band) firms fill a grid of about the
// cell's aspect ratio.
func layoutNetwork(firms []results.FirmRow, wPx, hPx float64) netLayout {
	roleOrder := []string{"raw-material", "supplier", "manufacturer", "distributor", "other"}
	roles := map[string]bool{}
	for _, f := range firms {
		roles[f.Role] = true
	}
	colKey := func(f results.FirmRow) string { return f.Role }
	var columns []string
	if len(roles) == 1 {
		colKey = func(f results.FirmRow) string { return f.Sector }
		seen := map[string]bool{}
		for _, f := range firms {
			if !seen[f.Sector] {
				seen[f.Sector] = true
				columns = append(columns, f.Sector)
			}
		}
		slices.Sort(columns)
	} else {
		for _, r := range roleOrder {
			if roles[r] {
				columns = append(columns, r)
			}
		}
		for r := range roles {
			if !slices.Contains(columns, r) {
				columns = append(columns, r)
			}
		}
		slices.Sort(columns[len(columns)-countUnknown(roles, roleOrder):])
	}
	var chains []int
	seenChain := map[int]bool{}
	for _, f := range firms {
		if !seenChain[f.Chain] {
			seenChain[f.Chain] = true
			chains = append(chains, f.Chain)
		}
	}
	// Chains in increasing order, no chain (-1) last.
	slices.SortFunc(chains, func(a, b int) int {
		if (a < 0) != (b < 0) {
			if a < 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	nb := len(chains)
	band := map[int]int{}
	var bands []string
	for i, c := range chains {
		band[c] = nb - 1 - i // first chain at the top
		if c < 0 {
			bands = append(bands, "no chain")
		} else {
			bands = append(bands, "chain "+strconv.Itoa(c))
		}
	}
	slices.Reverse(bands) // bands[y] labels y
	col := map[string]int{}
	for i, c := range columns {
		col[c] = i
	}
	type cell struct{ c, b int }
	members := map[cell][]int{}
	for i, f := range firms {
		k := cell{col[colKey(f)], band[f.Chain]}
		members[k] = append(members[k], i)
	}
	l := netLayout{x: make([]float64, len(firms)), y: make([]float64, len(firms)), columns: columns, bands: bands, sectors: len(roles) == 1}
	const cellW, cellH = 0.7, 0.86 // share of a column's width and a band's height used
	cw := cellW * wPx / float64(max(len(columns), 1))
	ch := cellH * hPx / float64(max(nb, 1))
	l.spacing = math.Inf(1)
	for k, ms := range members {
		n := len(ms)
		nc := max(1, int(math.Ceil(math.Sqrt(float64(n)*cw/ch))))
		nc = min(nc, n)
		nr := (n + nc - 1) / nc
		if nc > 1 {
			l.spacing = math.Min(l.spacing, cw/float64(nc))
		}
		if nr > 1 {
			l.spacing = math.Min(l.spacing, ch/float64(nr))
		}
		for j, i := range ms {
			cx, ry := j%nc, j/nc
			l.x[i] = float64(k.c) + cellW*((float64(cx)+0.5)/float64(nc)-0.5)
			l.y[i] = float64(k.b) + cellH*(0.5-(float64(ry)+0.5)/float64(nr))
		}
	}
	return l
}

func countUnknown(roles map[string]bool, known []string) int {
	n := 0
	for r := range roles {
		if !slices.Contains(known, r) {
			n++
		}
	}
	return n
}
