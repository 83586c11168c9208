// The input files of Inoue and Todo's ProductionNetworkSimulator
// (github.com/HiroyasuInoue/ProductionNetworkSimulator): links with
// amounts, final demand, affiliation and the predefined damage table, read
// so that a user of that simulator can run smesim on the same files.

package network

import (
	"bufio"
	"errors"
	"fmt"

	"math"
	"os"
	"strconv"
	"strings"
)

// InoueTodoFiles names the input files of the Inoue–Todo format. Each is
// plain text, one record per line, fields separated by spaces or tabs;
// blank lines are skipped.
type InoueTodoFiles struct {
	// Links: "supplier client amount", the value the supplier sells the
	// client per period (their aTableLineFile).
	Links string
	// FinalDemand: "firm amount", the firm's sales to final consumers per
	// period (their cVectorFile). A firm not listed has none.
	FinalDemand string
	// Affiliation: "firm sector [...]", every firm once, in the order
	// that numbers them (their firmAffiFile; further fields are ignored).
	Affiliation string
}

// ReadInoueTodo reads a network from files in the Inoue–Todo format.
// Amounts are per period; perYear periods make a year (365 for their
// daily runs), by which they are scaled to smesim's yearly flows and final
// demand. Every firm is an SME of role other in region "all". Their
// initial-output file (piniVectorFile) is not read: their simulator, like
// smesim, sets a firm's output to its final demand plus its sales to
// other firms.
//
// Unlike their simulator, which skips links naming unknown firms and keeps
// the first of repeated links, smesim rejects them, and self-loops: each
// error is one line "file:line: problem".
func ReadInoueTodo(files InoueTodoFiles, perYear float64) (*Network, error) {
	if !(perYear > 0) || math.IsInf(perYear, 0) {
		return nil, fmt.Errorf("inoue-todo: periods per year %v must be finite and > 0", perYear)
	}
	fr := &firmsRead{ids: make(map[string]int32)}
	err := readWords(files.Affiliation, 2, -1, func(line int, w []string) error {
		id := w[0]
		if msg := badName(id, true); msg != "" {
			return fmt.Errorf("firm id %s %s", echo(id), msg)
		}
		if first, dup := fr.ids[id]; dup {
			return fmt.Errorf("duplicate firm %s (first on line %d)", echo(id), fr.lines[first])
		}
		if msg := badName(w[1], false); msg != "" {
			return fmt.Errorf("sector %s %s", echo(w[1]), msg)
		}
		if len(fr.firms) >= maxCount {
			return fmt.Errorf("too many firms (at most %d)", maxCount)
		}
		f := Firm{Name: strings.Clone(id), Kind: SME, Role: RoleOther, Chain: -1, ExportMarket: -1}
		f.Sector = fr.sectors.get(w[1])
		f.Region = fr.regions.get("all")
		fr.ids[f.Name] = int32(len(fr.firms))
		fr.firms = append(fr.firms, f)
		fr.lines = append(fr.lines, int32(line))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(fr.firms) == 0 {
		return nil, fmt.Errorf("%s: no firms", files.Affiliation)
	}
	firm := func(id, file string) (int32, error) {
		i, ok := fr.ids[id]
		if !ok {
			return 0, fmt.Errorf("unknown firm %s (not in %s)", echo(id), files.Affiliation)
		}
		return i, nil
	}
	amount := func(s string, zero bool) (float64, error) {
		v, err := parseNumber(s)
		if err != nil {
			return 0, err
		}
		switch {
		case zero && v < 0:
			return 0, fmt.Errorf("amount %s must be ≥ 0", cut(s))
		case !zero && v <= 0:
			return 0, fmt.Errorf("amount %s must be > 0 (leave out a link without flow)", cut(s))
		case v*perYear > maxFlow:
			return 0, fmt.Errorf("amount %s is too large: at most %g a year", cut(s), maxFlow)
		}
		return v * perYear, nil
	}
	fdLine := make([]int32, len(fr.firms))
	err = readWords(files.FinalDemand, 2, 2, func(line int, w []string) error {
		i, err := firm(w[0], files.FinalDemand)
		if err != nil {
			return err
		}
		if fdLine[i] > 0 {
			return fmt.Errorf("final demand of firm %s given again (first on line %d)", echo(w[0]), fdLine[i])
		}
		fdLine[i] = int32(line)
		fr.firms[i].FinalDemand, err = amount(w[1], true)
		return err
	})
	if err != nil {
		return nil, err
	}
	var edges []Edge
	var lines []int32
	err = readWords(files.Links, 3, 3, func(line int, w []string) error {
		s, err := firm(w[0], files.Links)
		if err != nil {
			return err
		}
		b, err := firm(w[1], files.Links)
		if err != nil {
			return err
		}
		if s == b {
			return fmt.Errorf("link %s → %s is a self-loop: smesim's firms do not buy from themselves", cut(w[0]), cut(w[1]))
		}
		if len(edges) >= maxCount {
			return fmt.Errorf("too many links (at most %d)", maxCount)
		}
		v, err := amount(w[2], false)
		if err != nil {
			return err
		}
		edges = append(edges, Edge{Supplier: s, Buyer: b, Weight: 1, Flow: v})
		lines = append(lines, int32(line))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(edges) == 0 {
		return nil, fmt.Errorf("%s: no links", files.Links)
	}
	if _, err := checkEdges(files.Links, edges, lines, fr, true, false); err != nil {
		return nil, err
	}
	if err := fr.checkSales(files.Affiliation, files.Links, edges); err != nil {
		return nil, err
	}
	sector := make([]int32, len(fr.firms))
	for i, f := range fr.firms {
		sector[i] = f.Sector
	}
	WeightsFromFlows(edges, sector)
	net, err := Build(fr.firms, edges, fr.sectors.names, fr.regions.names, nil)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", files.Links, files.Affiliation, err)
	}
	return net, nil
}

// Damage is one row of a damage table: firm Firm loses Depth of its
// capacity from step Start to step End, both included.
type Damage struct {
	Firm       int32
	Depth      float64
	Start, End int32
}

// ReadDamageTable reads a damage table against net: lines "firm depth
// start end" (the predefined damage table of Inoue and Todo's simulator),
// depth in [0,1], start and end whole steps from 0 with end ≥ start. Rows
// come back in file order.
func ReadDamageTable(path string, net *Network) ([]Damage, error) {
	ids := make(map[string]int32, net.N())
	for i := 0; i < net.N(); i++ {
		ids[net.Name(i)] = int32(i)
	}
	var out []Damage
	err := readWords(path, 4, 4, func(line int, w []string) error {
		i, ok := ids[w[0]]
		if !ok {
			return fmt.Errorf("unknown firm %s (not in the network)", echo(w[0]))
		}
		depth, err := parseNumber(w[1])
		if err != nil {
			return fmt.Errorf("depth: %v", err)
		}
		if !(depth >= 0 && depth <= 1) {
			return fmt.Errorf("depth %s must be in [0,1] (the share of capacity lost)", cut(w[1]))
		}
		var se [2]int32
		for k, what := range []string{"start", "end"} {
			v, err := strconv.ParseInt(w[2+k], 10, 32)
			if err != nil || v < 0 {
				return fmt.Errorf("%s %s must be a whole step ≥ 0", what, echo(w[2+k]))
			}
			se[k] = int32(v)
		}
		if se[1] < se[0] {
			return fmt.Errorf("end %d is before start %d", se[1], se[0])
		}
		if len(out) >= maxCount {
			return fmt.Errorf("too many rows (at most %d)", maxCount)
		}
		out = append(out, Damage{Firm: i, Depth: depth, Start: se[0], End: se[1]})
		return nil
	})
	return out, err
}

// readWords calls fn with the fields of each non-blank line of the file
// at path and its line number, from 1; a line must have at least min
// fields and, if max ≥ 0, at most max. Errors come back as one line
// "path:line: problem".
func readWords(path string, min, max int, fn func(line int, w []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err // *fs.PathError: "open <path>: <reason>"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		w := strings.Fields(text)
		if len(w) == 0 {
			continue
		}
		if len(w) < min || max >= 0 && len(w) > max {
			want := strconv.Itoa(min)
			if max != min {
				want = "at least " + want
			}
			return fmt.Errorf("%s:%d: %d fields, want %s", path, line, len(w), want)
		}
		if err := fn(line, w); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &LineTooLongError{Name: path, Line: line + 1}
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
