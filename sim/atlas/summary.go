package atlas

import (
	"cmp"
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
