package network

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCSVRoundTrip(t *testing.T) {
	cs, err := CoreSatellite(csCases[0].p, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	ba, err := BarabasiAlbert(3000, 2.5, 7, 0.02, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	er, err := ErdosRenyi(3000, 3, 7, 0.02, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	small, err := ReadCSV("testdata/small/edges.csv", "testdata/small/firms.csv", Sizes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		net  *Network
	}{{"core-satellite", cs}, {"barabasi-albert", ba}, {"erdos-renyi", er}, {"small", small}} {
		t.Run(c.name, func(t *testing.T) {
			var e1, f1 bytes.Buffer
			if err := c.net.WriteCSV(&e1, &f1); err != nil {
				t.Fatal(err)
			}
			// Nothing is drawn: no sizes or generator needed.
			back, err := ReadCSVFrom("edges.csv", bytes.NewReader(e1.Bytes()), "firms.csv", bytes.NewReader(f1.Bytes()), Sizes{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameNetwork(t, "round trip", c.net, back)
			var e2, f2 bytes.Buffer
			if err := back.WriteCSV(&e2, &f2); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e1.Bytes(), e2.Bytes()) || !bytes.Equal(f1.Bytes(), f2.Bytes()) {
				t.Errorf("second write differs from the first")
			}
		})
	}
}

func TestReadCSVSmall(t *testing.T) {
	net, err := ReadCSV("testdata/small/edges.csv", "testdata/small/firms.csv", Sizes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants2(t, net)
	if !slices.Equal(net.Names, []string{"mine", "quarry", "parts", "parts2", "maker", "shop", "shop 2"}) ||
		!slices.Equal(net.SectorNames, []string{"ore", "steel", "cars", "retail"}) ||
		!slices.Equal(net.RegionNames, []string{"north", "all", "south"}) ||
		!slices.Equal(net.MarketNames, []string{"Asia", "EU", "US"}) {
		t.Fatalf("names %v sectors %v regions %v markets %v", net.Names, net.SectorNames, net.RegionNames, net.MarketNames)
	}
	if !slices.Equal(net.Kind, []Kind{SME, SME, SME, SME, Core, SME, SME}) ||
		!slices.Equal(net.Role, []Role{RoleRawMaterial, RoleRawMaterial, RoleSupplier, RoleSupplier, RoleManufacturer, RoleDistributor, RoleDistributor}) ||
		!slices.Equal(net.Chain, []int32{0, 1, 0, 1, 0, 0, -1}) ||
		!slices.Equal(net.Region, []int32{0, 0, 0, 1, 2, 2, 2}) ||
		!slices.Equal(net.FinalDemand, []float64{100, 120, 200, 150, 500, 1000, 800}) ||
		!slices.Equal(net.ExportShare, []float64{0, 0.2, 0.1, 0, 0.4, 0, 0.05}) || // parts2: no market, share 0
		!slices.Equal(net.ExportMarket, []int32{-1, 0, 1, -1, 2, -1, 1}) {
		t.Fatalf("firms: %+v", net)
	}
	if net.E() != 7 || net.Slots() != 5 {
		t.Fatalf("%d edges, %d slots", net.E(), net.Slots())
	}
}

func checkInvariants2(t *testing.T, net *Network) {
	t.Helper()
	if err := net.CheckWeights(1e-12); err != nil {
		t.Error(err)
	}
}

func TestReadCSVFromSizes(t *testing.T) {
	s := testSizes()
	s.FinalDemandDispersion = 0
	read := func() *Network {
		net, err := ReadCSV("testdata/minimal/edges.csv", "testdata/minimal/firms.csv", s, newRNG(4))
		if err != nil {
			t.Fatal(err)
		}
		return net
	}
	net := read()
	sameNetwork(t, "same seed", net, read())
	up := s.FinalDemandMean * s.UpstreamFinalShare
	// r1 s1 s2 m1 upstream; d1 distributor; o1 has a buyer; o2 has none.
	want := []float64{up, up, up, up, s.FinalDemandMean, up, s.FinalDemandMean}
	for i, x := range net.FinalDemand {
		if math.Abs(x/want[i]-1) > 1e-12 {
			t.Errorf("%s: final demand %v, want %v", net.Name(i), x, want[i])
		}
		if net.ExportShare[i] != s.ExportShare[net.Role[i]] || net.ExportMarket[i] < 0 {
			t.Errorf("%s: export share %v market %d", net.Name(i), net.ExportShare[i], net.ExportMarket[i])
		}
	}
	if net.Chain[0] != -1 || !slices.Equal(net.RegionNames, []string{"all"}) || len(net.MarketNames) != 3 {
		t.Errorf("chain %d regions %v markets %v", net.Chain[0], net.RegionNames, net.MarketNames)
	}
	// Without markets, nobody exports.
	s.MarketNames, s.MarketWeights = nil, nil
	net, err := ReadCSV("testdata/minimal/edges.csv", "testdata/minimal/firms.csv", s, newRNG(4))
	if err != nil {
		t.Fatal(err)
	}
	for i := range net.ExportShare {
		if net.ExportShare[i] != 0 || net.ExportMarket[i] != -1 || len(net.MarketNames) != 0 {
			t.Fatalf("%s exports without markets", net.Name(i))
		}
	}
}

func TestReadCSVEncodings(t *testing.T) {
	firms, _ := os.ReadFile("testdata/small/firms.csv")
	edges, _ := os.ReadFile("testdata/small/edges.csv")
	want, err := ReadCSVFrom("e", bytes.NewReader(edges), "f", bytes.NewReader(firms), Sizes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	bom := func(b []byte) []byte { return append([]byte("\uFEFF"), b...) }
	crlf := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }
	for _, c := range []struct {
		name string
		conv func([]byte) []byte
	}{
		{"BOM", bom},
		{"CRLF", crlf},
		{"BOM and CRLF", func(b []byte) []byte { return bom(crlf(b)) }},
		{"no final newline", func(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\n")) }},
	} {
		got, err := ReadCSVFrom("e", bytes.NewReader(c.conv(edges)), "f", bytes.NewReader(c.conv(firms)), Sizes{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sameNetwork(t, c.name, want, got)
	}
	// Line numbers survive BOM and CRLF.
	badEdges := crlf(bom([]byte("supplier,buyer,weight\nmine,parts,0.75\nquarry,parts,x\n")))
	_, err = ReadCSVFrom("edges.csv", bytes.NewReader(badEdges), "firms.csv", bytes.NewReader(firms), Sizes{}, nil)
	if want := `edges.csv:3: column weight: "x" is not a number: write a plain decimal such as 0.25 or 1e-3`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

const (
	goodFirms = "id,kind,role,sector\nf1,sme,supplier,parts\nf2,core,manufacturer,goods\nf3,sme,supplier,parts\nf4,sme,distributor,retail\n"
	goodEdges = "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,0.5\nf2,f4,1\n"
	allCols   = "id,kind,role,sector,chain,region,final_demand,export_share,export_market\n"
)

func TestReadCSVErrors(t *testing.T) {
	if _, err := ReadCSVFrom("edges.csv", strings.NewReader(goodEdges), "firms.csv", strings.NewReader(goodFirms), testSizes(), newRNG(1)); err != nil {
		t.Fatalf("good input: %v", err)
	}
	cases := []struct {
		name         string
		firms, edges string
		want         string
	}{
		{"weight not a number", goodFirms, "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,abc\n",
			`edges.csv:3: column weight: "abc" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"weight NaN", goodFirms, "supplier,buyer,weight\nf1,f2,NaN\n",
			`edges.csv:2: column weight: "NaN" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"weight Inf", goodFirms, "supplier,buyer,weight\nf1,f2,-Inf\n",
			`edges.csv:2: column weight: "-Inf" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"weight out of range", goodFirms, "supplier,buyer,weight\nf1,f2,1e999\n",
			`edges.csv:2: column weight: "1e999" is too large to represent (at most about 1.8e308)`},
		// Only plain decimals: Go's hexadecimal floats and underscores are
		// not numbers a spreadsheet writes (issue 13, defect 12).
		{"weight hexadecimal", goodFirms, "supplier,buyer,weight\nf1,f2,0x1p-1\nf3,f2,0.5\n",
			`edges.csv:2: column weight: "0x1p-1" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"weight underscore", goodFirms, "supplier,buyer,weight\nf1,f2,0.5\nf3,f2,5_0e-2\n",
			`edges.csv:3: column weight: "5_0e-2" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"weight exponent without digits", goodFirms, "supplier,buyer,weight\nf1,f2,5e\n",
			`edges.csv:2: column weight: "5e" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"weight underflows", goodFirms, "supplier,buyer,weight\nf1,f2,1e-400\n",
			`edges.csv:2: column weight: "1e-400" is too small to represent: it underflows to 0 (at least about 5e-324)`},
		{"weight negative", goodFirms, "supplier,buyer,weight\nf1,f2,-0.5\n",
			`edges.csv:2: column weight: -0.5 must be in (0,1]`},
		{"weight zero", goodFirms, "supplier,buyer,weight\nf1,f2,0\n",
			`edges.csv:2: column weight: 0 must be in (0,1]`},
		{"weight above one", goodFirms, "supplier,buyer,weight\nf1,f2,1.5\n",
			`edges.csv:2: column weight: 1.5 must be in (0,1]`},
		{"self-loop", goodFirms, goodEdges + "f3,f3,1\n",
			`edges.csv:5: edge f3 → f3 is a self-loop`},
		{"duplicate edge", goodFirms, goodEdges + "f4,f1,1\nf1,f2,0.5\nf1,f2,0.5\n",
			`edges.csv:6: duplicate edge f1 → f2 (first on line 2)`},
		{"earliest duplicate first", goodFirms, "supplier,buyer,weight\nf2,f4,1\nf1,f2,0.5\nf3,f2,0.5\nf1,f2,0.5\nf2,f4,1\n",
			`edges.csv:5: duplicate edge f1 → f2 (first on line 3)`},
		{"unknown buyer", goodFirms, goodEdges + "f1,x9,1\n",
			`edges.csv:5: column buyer: unknown firm "x9" (not in firms.csv)`},
		{"unknown supplier", goodFirms, "supplier,buyer,weight\nf0,f2,1\n",
			`edges.csv:2: column supplier: unknown firm "f0" (not in firms.csv)`},
		{"weights do not sum to one", goodFirms, "supplier,buyer,weight\nf2,f4,1\nf1,f2,0.5\nf3,f2,0.4\n",
			`edges.csv:3: buyer "f2": weights of its suppliers in sector "parts" sum to 0.9, not 1 (±1e-06)`},
		{"weights sum within tolerance", goodFirms, "supplier,buyer,weight\nf2,f4,1\nf1,f2,0.5\nf3,f2,0.4999995\nf2,f1,0.999\n",
			`edges.csv:5: buyer "f1": weights of its suppliers in sector "goods" sum to 0.999, not 1 (±1e-06)`},
		{"no edges", goodFirms, "supplier,buyer,weight\n", `edges.csv: no edges`},
		{"empty edge file", goodFirms, "", `edges.csv: no edges (empty file)`},
		{"edge header", goodFirms, "from,to,weight\nf1,f2,1\n",
			`edges.csv:1: header must be supplier,buyer,weight or supplier,buyer,flow, got "from,to,weight"`},
		{"edge fields", goodFirms, "supplier,buyer,weight\nf1,f2,0.5\nf3,f2\n",
			`edges.csv:3: 2 fields, want 3 (supplier,buyer,weight)`},
		{"csv syntax", goodFirms, "supplier,buyer,weight\nf1,f2,0.5\nf3,f\"2,0.5\n",
			`edges.csv:3: bare " in non-quoted-field (at character 5)`},
		{"no firms", "id,kind,role,sector\n", goodEdges, `firms.csv: no firms`},
		{"empty firm file", "", goodEdges, `firms.csv: no firms (empty file)`},
		{"duplicate firm", "id,kind,role,sector\nf1,sme,supplier,parts\nf2,core,manufacturer,goods\nf2,sme,supplier,parts\n", goodEdges,
			`firms.csv:4: duplicate firm id "f2" (first on line 3)`},
		{"unknown column", "id,kind,role,sector,foo\nf1,sme,supplier,parts,1\n", goodEdges,
			`firms.csv:1: unknown column "foo": allowed columns are id, kind, role, sector, chain, region, final_demand, export_share, export_market, size_class, dormant`},
		{"duplicate column", "id,kind,role,sector,chain,chain\n", goodEdges, `firms.csv:1: duplicate column "chain"`},
		{"required column again", "id,kind,role,sector,id\n", goodEdges, `firms.csv:1: duplicate column "id"`},
		{"firm header", "id,role,kind,sector\n", goodEdges,
			`firms.csv:1: header must start with id,kind,role,sector, got "id,role,kind,sector"`},
		{"firm fields", "id,kind,role,sector\nf1,sme,supplier\n", goodEdges, `firms.csv:2: 3 fields, the header has 4`},
		{"empty id", "id,kind,role,sector\n,sme,supplier,parts\n", goodEdges, `firms.csv:2: column id: empty firm id`},
		{"kind", "id,kind,role,sector\nf1,big,supplier,parts\n", goodEdges,
			`firms.csv:2: column kind: "big" is not a kind: allowed values are sme, core`},
		{"role", "id,kind,role,sector\nf1,sme,maker,parts\n", goodEdges,
			`firms.csv:2: column role: "maker" is not a role: allowed values are raw-material, supplier, manufacturer, distributor, other`},
		{"empty sector", "id,kind,role,sector\nf1,sme,supplier,\n", goodEdges, `firms.csv:2: column sector: empty sector name`},
		{"chain", allCols + "f1,sme,supplier,parts,one,,,,\n", goodEdges, `firms.csv:2: column chain: "one" is not an integer`},
		{"chain negative", allCols + "f1,sme,supplier,parts,-2,,,,\n", goodEdges, `firms.csv:2: column chain: -2 must be ≥ 0, or −1 for none`},
		{"final demand negative", allCols + "f1,sme,supplier,parts,,,-5,,\n", goodEdges,
			`firms.csv:2: column final_demand: -5 must be in [0, 1e18]`},
		{"final demand NaN", allCols + "f1,sme,supplier,parts,,,NaN,,\n", goodEdges,
			`firms.csv:2: column final_demand: "NaN" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"final demand text", allCols + "f1,sme,supplier,parts,,,lots,,\n", goodEdges,
			`firms.csv:2: column final_demand: "lots" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		// A firm that sells nothing would have no output (issue 13, defect 9).
		{"no buyers and no final demand", allCols + "f1,sme,supplier,parts,,,,,\nf2,core,manufacturer,goods,,,,,\nf3,sme,supplier,parts,,,,,\nf4,sme,distributor,retail,,,0,,\n", goodEdges,
			`firms.csv:5: column final_demand: firm "f4" sells nothing: final demand 0 and no buyer in edges.csv; give it a final demand > 0 or a buyer`},
		// Ids and names must read back the same from the result files:
		// ";" separates the parents of events.csv (issue 13, defect 7).
		{"id with the parents separator", "id,kind,role,sector\nf1,sme,supplier,parts\nf2;x,core,manufacturer,goods\n", goodEdges,
			`firms.csv:3: column id: firm id "f2;x" contains ";", which separates firm ids in events.csv (column parents): choose ids without it`},
		{"id with a line break", "id,kind,role,sector\n\"f\r\n1\",sme,supplier,parts\n", goodEdges,
			`firms.csv:2: column id: firm id "f\n1" contains the control character U+000A: names must be printable`},
		{"sector not UTF-8", "id,kind,role,sector\nf1,sme,supplier,p\xffrts\n", goodEdges,
			`firms.csv:2: column sector: "p\xffrts" is not valid UTF-8`},
		{"region with a tab", "id,kind,role,sector,region\nf1,sme,supplier,parts,a\tb\n", goodEdges,
			`firms.csv:2: column region: "a\tb" contains the control character U+0009: names must be printable`},
		// A value from the file is echoed cut to 40 characters.
		{"long kind cut", "id,kind,role,sector\nf1," + strings.Repeat("x", 60000) + ",supplier,parts\n", goodEdges,
			`firms.csv:2: column kind: "` + strings.Repeat("x", 40) + `"… is not a kind: allowed values are sme, core`},
		{"export share", allCols + "f1,sme,supplier,parts,,,5,1.5,EU\n", goodEdges,
			`firms.csv:2: column export_share: 1.5 must be in [0,1]`},
		{"export share negative", allCols + "f1,sme,supplier,parts,,,5,-0.1,EU\n", goodEdges,
			`firms.csv:2: column export_share: -0.1 must be in [0,1]`},
		{"multi-line field", "id,kind,role,sector\nf1,sme,supplier,parts\nf2,sme,supplier,\"two\nlines\"\n", goodEdges,
			`firms.csv:3: column sector: "two\nlines" contains the control character U+000A: names must be printable`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSVFrom("edges.csv", strings.NewReader(c.edges), "firms.csv", strings.NewReader(c.firms), testSizes(), newRNG(1))
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

func TestReadCSVSizesErrors(t *testing.T) {
	// Values to draw, but no usable sizes or generator.
	_, err := ReadCSVFrom("edges.csv", strings.NewReader(goodEdges), "firms.csv", strings.NewReader(goodFirms), Sizes{}, newRNG(1))
	if want := "firms.csv:2: a value must be drawn from the sizes, but sizes: final demand mean 0 must be finite and > 0"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	_, err = ReadCSVFrom("edges.csv", strings.NewReader(goodEdges), "firms.csv", strings.NewReader(goodFirms), testSizes(), nil)
	if want := "firms.csv:2: a value must be drawn from the sizes, but there is no random generator"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestReadCSVMissingFile(t *testing.T) {
	dir := t.TempDir()
	edges := filepath.Join(dir, "edges.csv")
	_, err := ReadCSV(edges, "testdata/small/firms.csv", Sizes{}, nil)
	if !errors.Is(err, fs.ErrNotExist) || err.Error() != "open "+edges+": no such file or directory" {
		t.Errorf("missing edge file: %v", err)
	}
	_, err = ReadCSV("testdata/small/edges.csv", filepath.Join(dir, "firms.csv"), Sizes{}, nil)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "firms.csv") {
		t.Errorf("missing firm file: %v", err)
	}
}

func TestWriteCSVRejectsUnreadableNames(t *testing.T) {
	net, err := Build([]Firm{{Name: "a", ExportMarket: -1}, {Name: "a", ExportMarket: -1}}, []Edge{{Supplier: 0, Buyer: 1, Weight: 1}}, []string{"s"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var e, f bytes.Buffer
	if err := net.WriteCSV(&e, &f); err == nil || err.Error() != `write csv: duplicate firm name "a"` {
		t.Errorf("got %v", err)
	}
}

// FuzzReadCSV checks that arbitrary input never panics and that whatever
// is accepted writes and reads back identical.
func FuzzReadCSV(f *testing.F) {
	firms, _ := os.ReadFile("testdata/small/firms.csv")
	edges, _ := os.ReadFile("testdata/small/edges.csv")
	f.Add(string(firms), string(edges))
	f.Add(goodFirms, goodEdges)
	f.Add(allCols+"a,core,other,s,3,r,1,0.5,m\nb,sme,other,s,,,,,\n", "supplier,buyer,weight\na,b,1\n")
	f.Fuzz(func(t *testing.T, firms, edges string) {
		net, err := ReadCSVFrom("edges.csv", strings.NewReader(edges), "firms.csv", strings.NewReader(firms), testSizes(), newRNG(1))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "edges.csv") && !strings.HasPrefix(err.Error(), "firms.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := net.CheckWeights(2 * WeightTolerance); err != nil {
			t.Fatal(err)
		}
		var e, fb bytes.Buffer
		if err := net.WriteCSV(&e, &fb); err != nil {
			return // names that cannot be written back (e.g. a default name clash)
		}
		back, err := ReadCSVFrom("edges.csv", &e, "firms.csv", &fb, Sizes{}, nil)
		if err != nil {
			t.Fatalf("written network does not read back: %v", err)
		}
		if len(back.SectorNames) == len(net.SectorNames) && len(back.MarketNames) == len(net.MarketNames) && len(back.RegionNames) == len(net.RegionNames) {
			sameNetwork(t, "fuzz round trip", net, back)
		}
	})
}

// TestReadCSVLineLimit: a file without line breaks (here endless, like
// /dev/zero) is refused at the first line longer than MaxLineBytes, after
// reading little more than that line (issue 13, defect 6).
func TestReadCSVLineLimit(t *testing.T) {
	endless := func(prefix string) io.Reader { return io.MultiReader(strings.NewReader(prefix), zeros{}) }
	cases := []struct {
		name         string
		firms, edges io.Reader
		want         string
	}{
		{"endless firm file", endless(""), strings.NewReader(goodEdges),
			"firms.csv:1: line longer than 64 KiB: a line of a network file holds one firm or edge"},
		{"endless edge file after good lines", strings.NewReader(goodFirms), endless("supplier,buyer,weight\r\nf1,f2,0.5\n"),
			"edges.csv:3: line longer than 64 KiB: a line of a network file holds one firm or edge"},
		{"a long line within a quoted field", strings.NewReader("id,kind,role,sector\nf1,sme,supplier,\"" + strings.Repeat("p\n", 10) + strings.Repeat("p", 64<<10+1) + "\"\n"), strings.NewReader(goodEdges),
			"firms.csv:12: line longer than 64 KiB: a line of a network file holds one firm or edge"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSVFrom("edges.csv", c.edges, "firms.csv", c.firms, testSizes(), newRNG(1))
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	// A line of exactly the limit is read.
	id := strings.Repeat("i", 64<<10-len(",sme,distributor,retail")) // a line of exactly 64 KiB
	firms := goodFirms + id + ",sme,distributor,retail\n"
	edges := goodEdges + id + ",f2,1\n"
	if _, err := ReadCSVFrom("edges.csv", strings.NewReader(edges), "firms.csv", strings.NewReader(firms), testSizes(), newRNG(1)); err != nil {
		t.Errorf("a line of 64 KiB: %v", err)
	}
}

// zeros is an endless reader of zero bytes, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
