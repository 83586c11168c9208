// Reading the link CSV of a file network: supplier,buyer,weight (shares
// within a buyer's input sector) or supplier,buyer,flow (values per year).

package network

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// readEdges reads the edge file against the firms read.
func readEdges(name string, r io.Reader, firmsName string, fr *firmsRead, normalise bool) ([]Edge, []string, error) {
	cr := newCSVReader(name, r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("%s: no edges (empty file)", name)
	}
	if err != nil {
		return nil, nil, csvErr(name, err)
	}
	hdr := strings.Join(header, ",")
	if hdr != edgeHeader && hdr != flowHeader {
		return nil, nil, fmt.Errorf("%s:1: header must be %s or %s, got %s", name, edgeHeader, flowHeader, echo(hdr))
	}
	flows := hdr == flowHeader
	column := "weight"
	if flows {
		column = "flow"
	}
	var edges []Edge
	var lines []int32
	err = eachRecord(name, cr, func(line int, rec []string) error {
		if len(rec) != 3 {
			return fmt.Errorf("%s:%d: %d fields, want 3 (%s)", name, line, len(rec), hdr)
		}
		if len(edges) >= maxCount {
			return fmt.Errorf("%s:%d: too many edges (at most %d)", name, line, maxCount)
		}
		var ends [2]int32
		for k, column := range []string{"supplier", "buyer"} {
			i, ok := fr.ids[rec[k]]
			if !ok {
				return fmt.Errorf("%s:%d: column %s: unknown firm %s (not in %s)", name, line, column, echo(rec[k]), firmsName)
			}
			ends[k] = i
		}
		w, err := parseNumber(rec[2])
		if err != nil {
			return fmt.Errorf("%s:%d: column %s: %v", name, line, column, err)
		}
		switch {
		case flows && !(w > 0 && w <= maxFlow):
			return fmt.Errorf("%s:%d: column flow: %s must be in (0, %g] (a value per year; leave out a link without flow)", name, line, cut(rec[2]), maxFlow)
		case !flows && !(w > 0 && w <= 1):
			return fmt.Errorf("%s:%d: column weight: %s must be in (0,1]", name, line, cut(rec[2]))
		}
		if ends[0] == ends[1] {
			return fmt.Errorf("%s:%d: edge %s → %s is a self-loop", name, line, cut(rec[0]), cut(rec[1]))
		}
		e := Edge{Supplier: ends[0], Buyer: ends[1], Weight: w}
		if flows {
			e.Weight, e.Flow = 1, w
		}
		edges = append(edges, e)
		lines = append(lines, int32(line))
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(edges) == 0 {
		return nil, nil, fmt.Errorf("%s: no edges", name)
	}
	warnings, err := checkEdges(name, edges, lines, fr, flows, normalise)
	if err != nil {
		return nil, nil, err
	}
	if flows {
		sector := make([]int32, len(fr.firms))
		for i, f := range fr.firms {
			sector[i] = f.Sector
		}
		WeightsFromFlows(edges, sector)
	}
	return edges, warnings, nil
}

// checkEdges reports the earliest duplicate edge, then the earliest slot
// (buyer, supplier sector) whose weights do not sum to 1 (unless the file
// gives flows, from which the weights follow). With normalise, such slots'
// weights are rescaled to sum to 1 instead, and a warning for each, in
// line order, is returned.
func checkEdges(name string, edges []Edge, lines []int32, fr *firmsRead, flows, normalise bool) ([]string, error) {
	sector := func(e int32) int32 { return fr.firms[edges[e].Supplier].Sector }
	perm := make([]int32, len(edges))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(a, b int32) int {
		ea, eb := &edges[a], &edges[b]
		if c := cmp.Compare(ea.Buyer, eb.Buyer); c != 0 {
			return c
		}
		if c := cmp.Compare(sector(a), sector(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(ea.Supplier, eb.Supplier); c != 0 {
			return c
		}
		return cmp.Compare(lines[a], lines[b])
	})
	dup, dupFirst := int32(-1), int32(-1) // line of the earliest repeat, and of its original
	for k := 1; k < len(perm); k++ {
		// Within a group of equal edges, lines increase: the second is the
		// earliest repeat.
		a, b := edges[perm[k-1]], edges[perm[k]]
		sameAsPrev := a.Buyer == b.Buyer && a.Supplier == b.Supplier
		startsGroup := k == 1 || edges[perm[k-2]].Buyer != a.Buyer || edges[perm[k-2]].Supplier != a.Supplier
		if sameAsPrev && startsGroup {
			if l := lines[perm[k]]; dup < 0 || l < dup {
				dup, dupFirst = l, lines[perm[k-1]]
			}
		}
	}
	if dup >= 0 {
		var e Edge
		for i, l := range lines {
			if l == dup {
				e = edges[i]
				break
			}
		}
		return nil, fmt.Errorf("%s:%d: duplicate edge %s → %s (first on line %d)", name, dup,
			cut(fr.firms[e.Supplier].Name), cut(fr.firms[e.Buyer].Name), dupFirst)
	}
	if flows {
		return nil, nil
	}
	type badSlot struct {
		line, buyer, sector int32
		sum                 float64
	}
	var bad []badSlot
	for k := 0; k < len(perm); {
		b, sec := edges[perm[k]].Buyer, sector(perm[k])
		sum, first, start := 0.0, lines[perm[k]], k
		for ; k < len(perm) && edges[perm[k]].Buyer == b && sector(perm[k]) == sec; k++ {
			sum += edges[perm[k]].Weight
			first = min(first, lines[perm[k]])
		}
		if math.Abs(sum-1) > WeightTolerance {
			bad = append(bad, badSlot{first, b, sec, sum})
			if normalise {
				for _, e := range perm[start:k] {
					edges[e].Weight /= sum
				}
			}
		}
	}
	slices.SortFunc(bad, func(a, b badSlot) int { return cmp.Compare(a.line, b.line) })
	var warnings []string
	for _, s := range bad {
		msg := fmt.Sprintf("%s:%d: buyer %s: weights of its suppliers in sector %s sum to %.10g, not 1 (±%g)",
			name, s.line, echo(fr.firms[s.buyer].Name), echo(fr.sectors.names[s.sector]), s.sum, WeightTolerance)
		if !normalise {
			return nil, errors.New(msg)
		}
		warnings = append(warnings, msg+"; normalised to 1 (network.normalise)")
	}
	return warnings, nil
}
