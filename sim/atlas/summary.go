package atlas

import (
	"cmp"
	"math"
	"slices"
)

// HalfShare returns the share of firms (weighted) that carry half of the
// total of measure over rows: the rows sorted by measure, largest first,
// are counted until their weighted sum reaches half of the total. It is 0
// when the total is 0.
func HalfShare(rows []Row, measure func(Row) float64) float64 {
	sorted := Ranked(rows, measure)
	total, weight := 0.0, 0.0
	for _, r := range sorted {
		total += r.Weight * measure(r)
		weight += r.Weight
	}
	if total <= 0 || weight <= 0 {
		return 0
	}
	acc, count := 0.0, 0.0
	for _, r := range sorted {
		acc += r.Weight * measure(r)
		count += r.Weight
		if acc >= total/2 {
			break
		}
	}
	return count / weight
}

// Ranked returns rows sorted by measure, largest first, ties by firm.
func Ranked(rows []Row, measure func(Row) float64) []Row {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b Row) int {
		if c := cmp.Compare(measure(b), measure(a)); c != 0 {
			return c
		}
		return cmp.Compare(a.Firm, b.Firm)
	})
	return out
}

// Spearman returns the rank correlation of measures a and b over the rows
// where both are numbers (ties get their mean rank), and how many rows
// that is; NaN with fewer than 3 such rows or a constant measure.
func Spearman(rows []Row, a, b func(Row) float64) (rho float64, n int) {
	var xs, ys []float64
	for _, r := range rows {
		x, y := a(r), b(r)
		if !math.IsNaN(x) && !math.IsNaN(y) {
			xs, ys = append(xs, x), append(ys, y)
		}
	}
	n = len(xs)
	if n < 3 {
		return math.NaN(), n
	}
	rx, ry := ranks(xs), ranks(ys)
	var mx, my float64
	for k := range rx {
		mx += rx[k]
		my += ry[k]
	}
	mx, my = mx/float64(n), my/float64(n)
	var sxy, sxx, syy float64
	for k := range rx {
		dx, dy := rx[k]-mx, ry[k]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN(), n
	}
	return sxy / math.Sqrt(sxx*syy), n
}

// ranks returns the 1-based ranks of v, ties at their mean rank.
func ranks(v []float64) []float64 {
	order := make([]int, len(v))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	r := make([]float64, len(v))
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && v[order[hi]] == v[order[lo]] {
			hi++
		}
		mean := float64(lo+hi+1) / 2 // ranks lo+1 … hi
		for _, k := range order[lo:hi] {
			r[k] = mean
		}
		lo = hi
	}
	return r
}

// Screen returns the k rows first by the cheap measures: rows ordered by
// their better rank under rank (ESRI) and under DebtRank, ties by firm. It
// is how top-k mode picks the firms whose knock-out to simulate.
func Screen(rows []Row, rank func(Row) float64, k int) []Row {
	best := make(map[int]int, len(rows))
	for pos, r := range Ranked(rows, rank) {
		best[r.Firm] = pos
	}
	for pos, r := range Ranked(rows, func(r Row) float64 { return r.DebtRank }) {
		best[r.Firm] = min(best[r.Firm], pos)
	}
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b Row) int {
		if c := cmp.Compare(best[a.Firm], best[b.Firm]); c != 0 {
			return c
		}
		return cmp.Compare(a.Firm, b.Firm)
	})
	return out[:min(k, len(out))]
}
