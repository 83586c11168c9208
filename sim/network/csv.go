package network

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Columns of the firm CSV: the first four are required, in this order; the
// others are optional, in any order.
var (
	firmRequired = []string{"id", "kind", "role", "sector"}
	firmOptional = []string{"chain", "region", "final_demand", "export_share", "export_market", "size_class", "dormant"}
)

const (
	edgeHeader = "supplier,buyer,weight"
	// WeightTolerance is how far the weights of a buyer's suppliers in one
	// sector may sum from 1 in a file.
	WeightTolerance = 1e-6
)

// ReadCSV reads a network from an edge CSV and a firm CSV; see ReadCSVFrom.
// Errors name the file as given by the path.
func ReadCSV(edgesPath, firmsPath string, s Sizes, rng *rand.Rand) (*Network, error) {
	ef, err := os.Open(edgesPath)
	if err != nil {
		return nil, err // *fs.PathError: "open <path>: <reason>"
	}
	defer ef.Close()
	ff, err := os.Open(firmsPath)
	if err != nil {
		return nil, err
	}
	defer ff.Close()
	return ReadCSVFrom(edgesPath, ef, firmsPath, ff, s, rng)
}

// ReadCSVFrom reads a network from an edge CSV and a firm CSV, streaming
// both record by record. The names are used in error messages, which have
// the form "name:line: column col: problem" (lines count from 1, the header
// being line 1).
//
// The edge file has the header supplier,buyer,weight; supplier and buyer are
// firm ids and weight is in (0,1]. No self-loops or duplicate edges, and a
// buyer's weights in each supplier sector must sum to 1 within
// WeightTolerance (they are kept as read, not renormalised).
//
// The firm file's header starts with id,kind,role,sector and may go on with
// chain, region, final_demand, export_share, export_market and size_class
// and dormant in any order. size_class is micro, small, medium, large or
// empty (unclassified; with s.Classes, an SME whose final demand is drawn
// then draws its class); dormant is true for a firm of the entry pool
// (no buyers allowed), false or empty otherwise. kind is sme or core; role is one of RoleNames; sector, region and
// export_market are names, collected into SectorNames, RegionNames and
// MarketNames in order of first appearance. chain is an integer (−1 or
// empty: none). An absent column or empty cell means: chain −1; region
// "all"; final_demand drawn from s as by the generators (see Sizes; drawn
// after the edges are read, in firm order); export_share
// s.ExportShare[role] if the firm has an export market, else 0;
// export_market (column absent) drawn from s for firms with a positive
// export share, or (cell empty) none. s is only used, and validated, when
// a value must be drawn from it.
//
// A UTF-8 byte-order mark and CRLF line endings are accepted. Fields are
// not trimmed. If every id is "f<index>" the network's Names is nil, as for
// generated networks, so that WriteCSV output reads back identical.
func ReadCSVFrom(edgesName string, edges io.Reader, firmsName string, firms io.Reader, s Sizes, rng *rand.Rand) (*Network, error) {
	fr, err := readFirms(firmsName, firms)
	if err != nil {
		return nil, err
	}
	es, err := readEdges(edgesName, edges, firmsName, fr)
	if err != nil {
		return nil, err
	}
	if err := fr.fillFromSizes(firmsName, es, &s, rng); err != nil {
		return nil, err
	}
	if err := fr.checkSales(firmsName, edgesName, es); err != nil {
		return nil, err
	}
	marketNames := fr.markets.names
	if fr.drawMarkets {
		marketNames = firstAppearance(fr.firms, slices.Clone(s.MarketNames), marketOf)
	}
	net, err := Build(fr.firms, es, fr.sectors.names, fr.regions.names, marketNames)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", edgesName, firmsName, err)
	}
	if net.Names != nil {
		def := true
		for i, name := range net.Names {
			if name != "f"+strconv.Itoa(i) {
				def = false
				break
			}
		}
		if def {
			net.Names = nil
		}
	}
	return net, nil
}

// MaxLineBytes bounds a line of a network file. A firm or edge takes a
// few dozen bytes; the bound keeps a file without line breaks (or an
// endless one, like /dev/zero) from being read whole into memory.
const MaxLineBytes = 64 << 10

// lineLimiter passes a reader on, failing once a line is longer than
// MaxLineBytes.
type lineLimiter struct {
	r    io.Reader
	name string
	line int // current line, from 1
	n    int // bytes of the current line so far
}

// LineTooLongError is the error of a line longer than MaxLineBytes.
type LineTooLongError struct {
	Name string
	Line int
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("%s:%d: line longer than %d KiB: a line of a network file holds one firm or edge", e.Name, e.Line, MaxLineBytes>>10)
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			l.line++
			l.n = 0
			continue
		}
		if l.n++; l.n > MaxLineBytes {
			return i, &LineTooLongError{Name: l.name, Line: l.line}
		}
	}
	return n, err
}

// newCSVReader strips a UTF-8 BOM and configures a streaming reader of
// lines of at most MaxLineBytes.
func newCSVReader(name string, r io.Reader) *csv.Reader {
	br := bufio.NewReader(&lineLimiter{r: r, name: name, line: 1})
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	return cr
}

// csvErr turns a csv.Reader or I/O error into a "name:line: ..." error.
func csvErr(name string, err error) error {
	var le *LineTooLongError
	if errors.As(err, &le) {
		return le
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v (at character %d)", name, pe.Line, pe.Err, pe.Column)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// nameTable collects names in order of first appearance.
type nameTable struct {
	names []string
	index map[string]int32
}

func (t *nameTable) get(name string) int32 {
	if i, ok := t.index[name]; ok {
		return i
	}
	if t.index == nil {
		t.index = make(map[string]int32)
	}
	name = strings.Clone(name) // do not retain the reader's line buffer
	i := int32(len(t.names))
	t.names = append(t.names, name)
	t.index[name] = i
	return i
}

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
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		bad := func(column, format string, a ...any) error {
			return fmt.Errorf("%s:%d: column %s: %s", name, line, column, fmt.Sprintf(format, a...))
		}
		if len(rec) != nf {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", name, line, len(rec), nf)
		}
		if len(fr.firms) >= maxCount {
			return nil, fmt.Errorf("%s:%d: too many firms (at most %d)", name, line, maxCount)
		}
		id := rec[0]
		if id == "" {
			return nil, bad("id", "empty firm id")
		}
		if msg := badName(id, true); msg != "" {
			return nil, bad("id", "firm id %s %s", echo(id), msg)
		}
		if first, dup := fr.ids[id]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate firm id %s (first on line %d)", name, line, echo(id), fr.lines[first])
		}
		f := Firm{Name: strings.Clone(id), Chain: -1, ExportMarket: -1}
		fr.ids[f.Name] = int32(len(fr.firms))
		switch rec[1] {
		case "sme":
			f.Kind = SME
		case "core":
			f.Kind = Core
		default:
			return nil, bad("kind", "%s is not a kind: allowed values are sme, core", echo(rec[1]))
		}
		role, err := ParseRole(rec[2])
		if err != nil {
			return nil, bad("role", "%s is not a role: allowed values are %s", echo(rec[2]), strings.Join(RoleNames(), ", "))
		}
		f.Role = role
		if rec[3] == "" {
			return nil, bad("sector", "empty sector name")
		}
		for _, c := range []struct {
			column string
			k      int
		}{{"sector", 3}, {"region", col[cRegion]}, {"export_market", col[cMarket]}} {
			if c.k < 0 {
				continue
			}
			if msg := badName(rec[c.k], false); msg != "" {
				return nil, bad(c.column, "%s %s", echo(rec[c.k]), msg)
			}
		}
		f.Sector = fr.sectors.get(rec[3])

		if c := col[cChain]; c >= 0 && rec[c] != "" {
			v, err := strconv.ParseInt(rec[c], 10, 32)
			if err != nil {
				return nil, bad("chain", "%s is not an integer", echo(rec[c]))
			}
			if v < -1 {
				return nil, bad("chain", "%d must be ≥ 0, or −1 for none", v)
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
			return nil, err
		}
		share, hasShare, err := optional(col[cShare], "export_share", 0, 1, "[0,1]")
		if err != nil {
			return nil, err
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
				return nil, bad("size_class", "%s: allowed micro, small, medium, large or empty", cut(rec[c]))
			}
		}
		if c := col[cDormant]; c >= 0 && rec[c] != "" && rec[c] != "false" {
			if rec[c] != "true" {
				return nil, bad("dormant", "%s: allowed true, false or empty", cut(rec[c]))
			}
			f.Dormant = true
		}
		fr.firms = append(fr.firms, f)
		fr.lines = append(fr.lines, int32(line))
		fr.needDemand = append(fr.needDemand, needDemand)
		fr.needShare = append(fr.needShare, needShare)
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

// parseNumber parses a plain decimal number: an optional sign, digits with
// an optional decimal point, and an optional exponent ("12", "-0.5",
// "1e-3"). Hexadecimal ("0x1p0"), underscores ("1_0"), inf and nan are not
// numbers in a network file; nor is a number too large or too small for a
// float64 (one that underflows to 0).
func parseNumber(s string) (float64, error) {
	if !isDecimal(s) {
		return 0, fmt.Errorf("%s is not a number: write a plain decimal such as 0.25 or 1e-3", echo(s))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// A well-formed decimal fails only by overflowing.
		return 0, fmt.Errorf("%s is too large to represent (at most about 1.8e308)", echo(s))
	}
	if v == 0 && strings.ContainsAny(mantissa(s), "123456789") {
		return 0, fmt.Errorf("%s is too small to represent: it underflows to 0 (at least about 5e-324)", echo(s))
	}
	return v, nil
}

// isDecimal reports whether s is a plain decimal number: [+-]digits[.digits]
// or [+-].digits, then optionally e or E, a sign and digits.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// mantissa returns the part of a decimal number before its exponent.
func mantissa(s string) string {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		return s[:i]
	}
	return s
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

// readEdges reads the edge file against the firms read.
func readEdges(name string, r io.Reader, firmsName string, fr *firmsRead) ([]Edge, error) {
	cr := newCSVReader(name, r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: no edges (empty file)", name)
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	if strings.Join(header, ",") != edgeHeader {
		return nil, fmt.Errorf("%s:1: header must be %s, got %s", name, edgeHeader, echo(strings.Join(header, ",")))
	}
	var edges []Edge
	var lines []int32
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 3 {
			return nil, fmt.Errorf("%s:%d: %d fields, want 3 (%s)", name, line, len(rec), edgeHeader)
		}
		if len(edges) >= maxCount {
			return nil, fmt.Errorf("%s:%d: too many edges (at most %d)", name, line, maxCount)
		}
		var ends [2]int32
		for k, column := range []string{"supplier", "buyer"} {
			i, ok := fr.ids[rec[k]]
			if !ok {
				return nil, fmt.Errorf("%s:%d: column %s: unknown firm %s (not in %s)", name, line, column, echo(rec[k]), firmsName)
			}
			ends[k] = i
		}
		w, err := parseNumber(rec[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: column weight: %v", name, line, err)
		}
		if !(w > 0 && w <= 1) {
			return nil, fmt.Errorf("%s:%d: column weight: %s must be in (0,1]", name, line, cut(rec[2]))
		}
		if ends[0] == ends[1] {
			return nil, fmt.Errorf("%s:%d: edge %s → %s is a self-loop", name, line, cut(rec[0]), cut(rec[1]))
		}
		edges = append(edges, Edge{Supplier: ends[0], Buyer: ends[1], Weight: w})
		lines = append(lines, int32(line))
	}
	if len(edges) == 0 {
		return nil, fmt.Errorf("%s: no edges", name)
	}
	if err := checkEdges(name, edges, lines, fr); err != nil {
		return nil, err
	}
	return edges, nil
}

// checkEdges reports the earliest duplicate edge, then the earliest slot
// (buyer, supplier sector) whose weights do not sum to 1.
func checkEdges(name string, edges []Edge, lines []int32, fr *firmsRead) error {
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
		return fmt.Errorf("%s:%d: duplicate edge %s → %s (first on line %d)", name, dup,
			cut(fr.firms[e.Supplier].Name), cut(fr.firms[e.Buyer].Name), dupFirst)
	}
	badLine, badBuyer, badSector, badSum := int32(-1), int32(0), int32(0), 0.0
	for k := 0; k < len(perm); {
		b, sec := edges[perm[k]].Buyer, sector(perm[k])
		sum, first := 0.0, lines[perm[k]]
		for ; k < len(perm) && edges[perm[k]].Buyer == b && sector(perm[k]) == sec; k++ {
			sum += edges[perm[k]].Weight
			first = min(first, lines[perm[k]])
		}
		if math.Abs(sum-1) > WeightTolerance && (badLine < 0 || first < badLine) {
			badLine, badBuyer, badSector, badSum = first, b, sec, sum
		}
	}
	if badLine >= 0 {
		return fmt.Errorf("%s:%d: buyer %s: weights of its suppliers in sector %s sum to %.10g, not 1 (±%g)",
			name, badLine, echo(fr.firms[badBuyer].Name), echo(fr.sectors.names[badSector]), badSum, WeightTolerance)
	}
	return nil
}

// WriteCSV writes the network as an edge CSV (supplier,buyer,weight, in
// stored order) and a firm CSV with all columns (id, kind, role, sector,
// chain, region, final_demand, export_share, export_market, then
// size_class if the network has size classes and dormant if it has an
// entry pool), floats in the
// shortest form that reads back exactly. ReadCSVFrom of the output gives a
// network with identical arrays, provided every sector, region and market
// name is used by some firm (otherwise the unused names are lost) and
// RegionNames is not empty (firms without a region read back in "all").
func (n *Network) WriteCSV(edges io.Writer, firms io.Writer) error {
	if err := n.checkNames(); err != nil {
		return err
	}
	fw := csv.NewWriter(firms)
	header := append(slices.Clone(firmRequired), firmOptional[:5]...)
	if n.SizeClass != nil {
		header = append(header, "size_class")
	}
	if n.Dormant != nil {
		header = append(header, "dormant")
	}
	fw.Write(header)
	rec := make([]string, len(header))
	for i := 0; i < n.N(); i++ {
		rec[0] = n.Name(i)
		rec[1] = n.Kind[i].String()
		rec[2] = n.Role[i].String()
		rec[3] = n.SectorNames[n.Sector[i]]
		rec[4] = strconv.Itoa(int(n.Chain[i]))
		rec[5] = ""
		if len(n.RegionNames) > 0 {
			rec[5] = n.RegionNames[n.Region[i]]
		}
		rec[6] = strconv.FormatFloat(n.FinalDemand[i], 'g', -1, 64)
		rec[7] = strconv.FormatFloat(n.ExportShare[i], 'g', -1, 64)
		rec[8] = ""
		if m := n.ExportMarket[i]; m >= 0 {
			rec[8] = n.MarketNames[m]
		}
		if n.SizeClass != nil {
			rec[9] = n.SizeClass[i].String()
		}
		if n.Dormant != nil {
			rec[len(rec)-1] = strconv.FormatBool(n.Dormant[i])
		}
		if err := fw.Write(rec); err != nil {
			return err
		}
	}
	fw.Flush()
	if err := fw.Error(); err != nil {
		return err
	}
	ew := csv.NewWriter(edges)
	ew.Write(strings.Split(edgeHeader, ","))
	rec = rec[:3]
	for e := 0; e < n.E(); e++ {
		rec[0] = n.Name(int(n.Supplier[e]))
		rec[1] = n.Name(int(n.Buyer[e]))
		rec[2] = strconv.FormatFloat(n.Weight[e], 'g', -1, 64)
		if err := ew.Write(rec); err != nil {
			return err
		}
	}
	ew.Flush()
	return ew.Error()
}

// checkNames rejects names that would not read back: empty or repeated
// firm ids, sector, region or market names.
func (n *Network) checkNames() error {
	check := func(what string, names []string) error {
		seen := make(map[string]bool, len(names))
		for _, s := range names {
			if s == "" {
				return fmt.Errorf("write csv: empty %s name", what)
			}
			if seen[s] {
				return fmt.Errorf("write csv: duplicate %s name %q", what, s)
			}
			seen[s] = true
		}
		return nil
	}
	if n.Names != nil {
		ids := make([]string, n.N())
		for i := range ids {
			ids[i] = n.Name(i)
		}
		if err := check("firm", ids); err != nil {
			return err
		}
	}
	if err := check("sector", n.SectorNames); err != nil {
		return err
	}
	if err := check("region", n.RegionNames); err != nil {
		return err
	}
	return check("market", n.MarketNames)
}

// maxEchoed is how many characters of a value from a file a message
// repeats: enough to recognise it, while a 10 MB id stays one short line.
const maxEchoed = 40

// echo quotes a value read from a file for a message, cut to maxEchoed
// characters with "…" after a longer one.
func echo(s string) string {
	if c := prefix(s); len(c) < len(s) {
		return strconv.Quote(c) + "…"
	}
	return strconv.Quote(s)
}

// cut is echo without the quotes, for values messages write bare.
func cut(s string) string {
	if c := prefix(s); len(c) < len(s) {
		return c + "…"
	}
	return s
}

// prefix returns the first maxEchoed characters of s.
func prefix(s string) string {
	n := 0
	for i := range s {
		if n == maxEchoed {
			return s[:i]
		}
		n++
	}
	return s
}
