package network

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Columns of the firm CSV: the first four are required, in this order; the
// others are optional, in any order.
var (
	firmRequired = []string{"id", "kind", "role", "sector"}
	firmOptional = []string{"chain", "region", "final_demand", "export_share", "export_market", "size_class", "dormant"}
)

const (
	edgeHeader = "supplier,buyer,weight"
	flowHeader = "supplier,buyer,flow"
	// maxFlow bounds a link's flow per year, as final demand is bounded,
	// so that sums over a firm's links stay finite.
	maxFlow = 1e18
	// WeightTolerance is how far the weights of a buyer's suppliers in one
	// sector may sum from 1 in a file.
	WeightTolerance = 1e-6
)

// CSVOptions change how ReadCSVWith reads a network.
type CSVOptions struct {
	// Normalise rescales the weights of a buyer's suppliers in a sector
	// that do not sum to 1 (± WeightTolerance) so that they do, and
	// records a warning naming the buyer in Network.Warnings, instead of
	// rejecting the file.
	Normalise bool
}

// ReadCSV reads a network from an edge CSV and a firm CSV; see ReadCSVFrom.
// Errors name the file as given by the path.
func ReadCSV(edgesPath, firmsPath string, s Sizes, rng *rand.Rand) (*Network, error) {
	return ReadCSVWith(edgesPath, firmsPath, s, rng, CSVOptions{})
}

// ReadCSVWith is ReadCSV with options.
func ReadCSVWith(edgesPath, firmsPath string, s Sizes, rng *rand.Rand, opt CSVOptions) (*Network, error) {
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
	return readCSVFrom(edgesPath, ef, firmsPath, ff, s, rng, opt)
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
// chain, region, final_demand, export_share, export_market, size_class
// and dormant in any order. size_class is micro, small, medium, large or
// empty (unclassified; with s.Classes, an SME whose final demand is drawn
// then draws its class); dormant is true for a firm of the entry pool
// (no buyers allowed), false or empty otherwise.
// kind is sme or core; role is one of RoleNames; sector, region and
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
	return readCSVFrom(edgesName, edges, firmsName, firms, s, rng, CSVOptions{})
}

func readCSVFrom(edgesName string, edges io.Reader, firmsName string, firms io.Reader, s Sizes, rng *rand.Rand, opt CSVOptions) (*Network, error) {
	fr, err := readFirms(firmsName, firms)
	if err != nil {
		return nil, err
	}
	es, warnings, err := readEdges(edgesName, edges, firmsName, fr, opt.Normalise)
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
	net.Warnings = warnings
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

// eachRecord calls fn with each record cr reads and its line, until the
// end of the file or the first error, which is fn's or, as "name:line:
// ...", the reader's.
func eachRecord(name string, cr *csv.Reader, fn func(line int, rec []string) error) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvErr(name, err)
		}
		line, _ := cr.FieldPos(0)
		if err := fn(line, rec); err != nil {
			return err
		}
	}
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

// WriteCSV writes the network as an edge CSV (supplier,buyer,weight, or
// supplier,buyer,flow for a network with flows, in stored order) and a
// firm CSV with all columns (id, kind, role, sector, chain, region,
// final_demand, export_share, export_market, then size_class if the
// network has size classes and dormant if it has an entry pool), floats
// in the shortest form that reads back exactly. ReadCSVFrom of the output gives a
// network with identical arrays, provided every sector, region and market
// name is used by some firm (otherwise the unused names are lost) and
// RegionNames is not empty (firms without a region read back in "all").
func (n *Network) WriteCSV(edges io.Writer, firms io.Writer) error {
	if err := n.checkNames(); err != nil {
		return err
	}
	fw := csv.NewWriter(firms)
	firmHeader := append(slices.Clone(firmRequired), firmOptional[:5]...)
	if n.SizeClass != nil {
		firmHeader = append(firmHeader, "size_class")
	}
	if n.Dormant != nil {
		firmHeader = append(firmHeader, "dormant")
	}
	fw.Write(firmHeader)
	rec := make([]string, len(firmHeader))
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
	header, values := edgeHeader, n.Weight
	if n.Flow != nil {
		header, values = flowHeader, n.Flow
	}
	ew.Write(strings.Split(header, ","))
	rec = rec[:3]
	for e := 0; e < n.E(); e++ {
		rec[0] = n.Name(int(n.Supplier[e]))
		rec[1] = n.Name(int(n.Buyer[e]))
		rec[2] = strconv.FormatFloat(values[e], 'g', -1, 64)
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
