// Reading the firm CSV of a file network: ids, kinds, roles, sectors and
// the optional columns, with values left out drawn from the sizes.

package network

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// firmsRead is the result of reading a firm file.
type firmsRead struct {
	firms   []Firm
	lines   []int32 // line of each firm
	ids     map[string]int32
	sectors nameTable
	regions nameTable
	markets nameTable

	needDemand  []bool // final_demand to draw
	needShare   []bool // export_share from Sizes
	drawMarkets bool   // export_market column absent: draw from Sizes
}

func readFirms(name string, r io.Reader) (*firmsRead, error) {
	cr := newCSVReader(name, r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: no firms (empty file)", name)
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	if len(header) < len(firmRequired) || !slices.Equal(header[:len(firmRequired)], firmRequired) {
		return nil, fmt.Errorf("%s:1: header must start with %s, got %s", name, strings.Join(firmRequired, ","), echo(strings.Join(header, ",")))
	}
	// col[k] is the field index of optional column k, or −1.
	const (
		cChain = iota
		cRegion
		cDemand
		cShare
		cMarket
		cClass
		cDormant
	)
	col := []int{-1, -1, -1, -1, -1, -1, -1}
	for i := len(firmRequired); i < len(header); i++ {
		k := slices.Index(firmOptional, header[i])
		if k < 0 {
			if slices.Contains(firmRequired, header[i]) {
				return nil, fmt.Errorf("%s:1: duplicate column %s", name, echo(header[i]))
			}
			return nil, fmt.Errorf("%s:1: unknown column %s: allowed columns are %s", name, echo(header[i]),
				strings.Join(append(slices.Clone(firmRequired), firmOptional...), ", "))
		}
		if col[k] >= 0 {
			return nil, fmt.Errorf("%s:1: duplicate column %s", name, echo(header[i]))
		}
		col[k] = i
	}
	nf := len(header)
	fr := &firmsRead{ids: make(map[string]int32), drawMarkets: col[cMarket] < 0}
	err = eachRecord(name, cr, func(line int, rec []string) error {
		bad := func(column, format string, a ...any) error {
			return fmt.Errorf("%s:%d: column %s: %s", name, line, column, fmt.Sprintf(format, a...))
		}
		if len(rec) != nf {
			return fmt.Errorf("%s:%d: %d fields, the header has %d", name, line, len(rec), nf)
		}
		if len(fr.firms) >= maxCount {
			return fmt.Errorf("%s:%d: too many firms (at most %d)", name, line, maxCount)
		}
		id := rec[0]
		if id == "" {
			return bad("id", "empty firm id")
		}
		if msg := badName(id, true); msg != "" {
			return bad("id", "firm id %s %s", echo(id), msg)
		}
		if first, dup := fr.ids[id]; dup {
			return fmt.Errorf("%s:%d: duplicate firm id %s (first on line %d)", name, line, echo(id), fr.lines[first])
		}
		f := Firm{Name: strings.Clone(id), Chain: -1, ExportMarket: -1}
		fr.ids[f.Name] = int32(len(fr.firms))
		switch rec[1] {
		case "sme":
			f.Kind = SME
		case "core":
			f.Kind = Core
		default:
			return bad("kind", "%s is not a kind: allowed values are sme, core", echo(rec[1]))
		}
		role, err := ParseRole(rec[2])
		if err != nil {
			return bad("role", "%s is not a role: allowed values are %s", echo(rec[2]), strings.Join(RoleNames(), ", "))
		}
		f.Role = role
		if rec[3] == "" {
			return bad("sector", "empty sector name")
		}
		for _, c := range []struct {
			column string
			k      int
		}{{"sector", 3}, {"region", col[cRegion]}, {"export_market", col[cMarket]}} {
			if c.k < 0 {
				continue
			}
			if msg := badName(rec[c.k], false); msg != "" {
				return bad(c.column, "%s %s", echo(rec[c.k]), msg)
			}
		}
		f.Sector = fr.sectors.get(rec[3])

		if c := col[cChain]; c >= 0 && rec[c] != "" {
			v, err := strconv.ParseInt(rec[c], 10, 32)
			if err != nil {
				return bad("chain", "%s is not an integer", echo(rec[c]))
			}
			if v < -1 {
				return bad("chain", "%d must be ≥ 0, or −1 for none", v)
			}
			f.Chain = int32(v)
		}
		region := "all"
		if c := col[cRegion]; c >= 0 && rec[c] != "" {
			region = rec[c]
		}
		f.Region = fr.regions.get(region)
		// optional reads a numeric column that may be absent or empty.
		optional := func(c int, name string, lo, hi float64, rangeText string) (v float64, set bool, err error) {
			if c < 0 || rec[c] == "" {
				return 0, false, nil
			}
			v, err = parseNumber(rec[c])
			if err != nil {
				return 0, false, bad(name, "%v", err)
			}
			if v < lo || v > hi {
				return 0, false, bad(name, "%s must be in %s", cut(rec[c]), rangeText)
			}
			return v, true, nil
		}
		demand, hasDemand, err := optional(col[cDemand], "final_demand", 0, 1e18, "[0, 1e18]")
		if err != nil {
			return err
		}
		share, hasShare, err := optional(col[cShare], "export_share", 0, 1, "[0,1]")
		if err != nil {
			return err
		}
		needDemand, needShare := !hasDemand, !hasShare
		if hasDemand {
			f.FinalDemand = demand
		}
		if hasShare {
			f.ExportShare = share
		}
		if c := col[cMarket]; c >= 0 && rec[c] != "" {
			f.ExportMarket = fr.markets.get(rec[c])
		}
		if c := col[cClass]; c >= 0 {
			if f.SizeClass, err = ParseSizeClass(rec[c]); err != nil {
				return bad("size_class", "%s: allowed micro, small, medium, large or empty", cut(rec[c]))
			}
		}
		if c := col[cDormant]; c >= 0 && rec[c] != "" && rec[c] != "false" {
			if rec[c] != "true" {
				return bad("dormant", "%s: allowed true, false or empty", cut(rec[c]))
			}
			f.Dormant = true
		}
		fr.firms = append(fr.firms, f)
		fr.lines = append(fr.lines, int32(line))
		fr.needDemand = append(fr.needDemand, needDemand)
		fr.needShare = append(fr.needShare, needShare)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(fr.firms) == 0 {
		return nil, fmt.Errorf("%s: no firms", name)
	}
	return fr, nil
}

// idSeparator separates the firm ids of a list in one output field (the
// parents column of events.csv), so no id may contain it.
const idSeparator = ";"

// badName says why a name read from a file cannot be written to the
// result files and read back the same, or returns "": it must be valid
// UTF-8 without control characters (a CSV reader turns a quoted CR LF into
// LF), and a firm id (id) must not contain idSeparator.
func badName(s string, id bool) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("contains the control character %U: names must be printable", r)
		}
	}
	if id && strings.Contains(s, idSeparator) {
		return fmt.Sprintf("contains %q, which separates firm ids in events.csv (column parents): choose ids without it", idSeparator)
	}
	return ""
}

// fillFromSizes sets the values the firm file left out, in firm order.
func (fr *firmsRead) fillFromSizes(name string, edges []Edge, s *Sizes, rng *rand.Rand) error {
	var z *sizer
	var hasBuyers []bool
	for i := range fr.firms {
		f := &fr.firms[i]
		if fr.needShare[i] {
			f.ExportShare = 0
			if f.ExportMarket >= 0 || (fr.drawMarkets && len(s.MarketNames) > 0) {
				f.ExportShare = s.ExportShare[f.Role]
			}
			if !(f.ExportShare >= 0 && f.ExportShare <= 1) {
				return fmt.Errorf("%s:%d: export share from the sizes: role %s has %v, must be in [0,1]", name, fr.lines[i], f.Role, f.ExportShare)
			}
		}
		drawMarket := fr.drawMarkets && f.ExportShare > 0 && len(s.MarketNames) > 0
		if !fr.needDemand[i] && !drawMarket {
			continue
		}
		if z == nil {
			var err error
			if z, err = newSizer(s); err != nil {
				return fmt.Errorf("%s:%d: a value must be drawn from the sizes, but %w", name, fr.lines[i], err)
			}
			if rng == nil {
				return fmt.Errorf("%s:%d: a value must be drawn from the sizes, but there is no random generator", name, fr.lines[i])
			}
			hasBuyers = make([]bool, len(fr.firms))
			for _, e := range edges {
				hasBuyers[e.Supplier] = true
			}
		}
		if fr.needDemand[i] {
			x, err := z.finalDemand(f, hasBuyers[i], rng)
			if err != nil {
				return fmt.Errorf("%s:%d: %w", name, fr.lines[i], err)
			}
			f.FinalDemand = x
		}
		if drawMarket {
			f.ExportMarket = z.market(rng)
		}
	}
	return nil
}

// checkSales rejects the first firm that would sell nothing: final demand 0
// and no buyer. Its output would be 0 at baseline, which the engine cannot
// take.
func (fr *firmsRead) checkSales(name, edgesName string, edges []Edge) error {
	hasBuyers := make([]bool, len(fr.firms))
	for _, e := range edges {
		hasBuyers[e.Supplier] = true
	}
	for i := range fr.firms {
		if f := &fr.firms[i]; f.FinalDemand == 0 && !hasBuyers[i] {
			return fmt.Errorf("%s:%d: column final_demand: firm %s sells nothing: final demand 0 and no buyer in %s; give it a final demand > 0 or a buyer",
				name, fr.lines[i], echo(f.Name), edgesName)
		}
	}
	return nil
}
