package network

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// tinyTable has three sectors, a diagonal flow and a sector that buys
// nothing.
const tinyTable = `sector,farm,factory,shop,final_demand
farm,10,60,0,30
factory,5,40,80,275
shop,0,0,0,500
`

func TestIOTableNetwork(t *testing.T) {
	tab, err := readIOTable("tiny.csv", strings.NewReader(tinyTable))
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{100, 400, 500}; !slicesNear(tab.Output(), want, 0) {
		t.Fatalf("output %v, want %v", tab.Output(), want)
	}
	for _, p := range []IOParams{
		{Firms: 3, Dispersion: 0, MultiSourcing: 1},
		{Firms: 40, Dispersion: 0.5, CoreShare: 0.1, MultiSourcing: 3},
		{Firms: 500, Dispersion: 1, CoreShare: 0.02, MultiSourcing: 2},
	} {
		net, err := tab.Network(p, newRNG(3))
		if p.Firms == 3 {
			// One firm per sector: the farm would buy from itself.
			if err == nil || !strings.Contains(err.Error(), "would buy from itself") {
				t.Errorf("3 firms: got %v, want a firm buying from itself", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		if net.N() != p.Firms {
			t.Errorf("%d firms, want %d", net.N(), p.Firms)
		}
		flow := make([][]float64, 3)
		for i := range flow {
			flow[i] = make([]float64, 3)
		}
		for e, f := range net.Flow {
			flow[net.Sector[net.Supplier[e]]][net.Sector[net.Buyer[e]]] += f
		}
		fd := make([]float64, 3)
		for i := 0; i < net.N(); i++ {
			fd[net.Sector[i]] += net.FinalDemand[i]
		}
		for i := range 3 {
			if !slicesNear(flow[i], tab.Flow[i], 1e-12) {
				t.Errorf("%d firms: sector %s sells %v, table %v", p.Firms, tab.Sectors[i], flow[i], tab.Flow[i])
			}
		}
		if !slicesNear(fd, tab.FinalDemand, 1e-12) {
			t.Errorf("%d firms: final demand %v, table %v", p.Firms, fd, tab.FinalDemand)
		}
		// Each firm buys from each sector its share of the sector's
		// purchases: the same input coefficients as its sector.
		sales, purchases := net.SalesAndPurchases()
		for b := 0; b < net.N(); b++ {
			j := net.Sector[b]
			want := (tab.Flow[0][j] + tab.Flow[1][j] + tab.Flow[2][j]) / tab.Output()[j]
			if got := purchases[b] / sales[b]; math.Abs(got-want) > 1e-12 {
				t.Errorf("%d firms: firm %d buys %.15g of its output, its sector %.15g", p.Firms, b, got, want)
				break
			}
		}
	}
}

// Bad tables are one line naming the file and line (issue 18, must-show 5).
func TestReadIOTableErrors(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"negative", "sector,a,b,final_demand\na,1,2,3\nb,4,-5,6\n", "io.csv:3: column b: -5 must be in [0, 1e+18]"},
		{"NaN", "sector,a,b,final_demand\na,NaN,2,3\n", `io.csv:2: column a: "NaN" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"row too short", "sector,a,b,final_demand\na,1,2,3\nb,4,6\n", "io.csv:3: 3 fields, want 4 (sector, 2 flows, final_demand): the intermediate block must be square"},
		{"extra row", "sector,a,b,final_demand\na,1,2,3\nb,4,5,6\nc,7,8,9\n", "io.csv:4: row 3, but the header names 2 sectors: the intermediate block must be square"},
		{"missing row", "sector,a,b,final_demand\na,1,2,3\n", "io.csv: 1 rows, but the header names 2 sectors: the intermediate block must be square"},
		{"row order", "sector,a,b,final_demand\nb,1,2,3\na,4,5,6\n", `io.csv:2: row of sector "b", want "a": rows must follow the header's order`},
		{"header", "from,a,b,final\n", `io.csv:1: header must be sector, the sector names, final_demand[, size_dispersion]; got "from,a,b,final"`},
		{"size dispersion", "sector,a,b,final_demand,size_dispersion\na,1,2,3,0.5\nb,4,5,6,7\n", "io.csv:3: column size_dispersion: 7 must be in [0,5]"},
		{"size dispersion missing", "sector,a,b,final_demand,size_dispersion\na,1,2,3,0.5\nb,4,5,6\n", "io.csv:3: 4 fields, want 5 (sector, 2 flows, final_demand, size_dispersion): the intermediate block must be square"},
		{"no output", "sector,a,b,final_demand\na,0,2,3\nb,0,0,0\n", `io.csv:3: sector "b" has no output: no sales and no final demand`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readIOTable("io.csv", strings.NewReader(c.text))
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}

func slicesNear(a, b []float64, rel float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > rel*math.Max(math.Abs(b[i]), 1e-300) {
			return false
		}
	}
	return true
}

// A table's size_dispersion sets each sector's spread of firm sizes: 0
// gives every firm of the sector the same size.
func TestIOTableSizeDispersion(t *testing.T) {
	tab, err := readIOTable("io.csv", strings.NewReader("sector,a,b,final_demand,size_dispersion\na,10,20,30,0\nb,40,5,60,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 2}; !slicesNear(tab.SizeDispersion, want, 0) {
		t.Fatalf("size dispersion %v, want %v", tab.SizeDispersion, want)
	}
	net, err := tab.Network(IOParams{Firms: 40, Dispersion: 1, MultiSourcing: 2}, newRNG(5))
	if err != nil {
		t.Fatal(err)
	}
	var a, b []float64
	for i := 0; i < net.N(); i++ {
		if net.Sector[i] == 0 {
			a = append(a, net.FinalDemand[i])
		} else {
			b = append(b, net.FinalDemand[i])
		}
	}
	for _, v := range a {
		if math.Abs(v-a[0]) > 1e-12*a[0] {
			t.Fatalf("sector a (size_dispersion 0) has final demands %v, want all equal", a)
		}
	}
	if lo, hi := slices.Min(b), slices.Max(b); hi < 2*lo {
		t.Errorf("sector b (size_dispersion 2) has final demands from %g to %g, want a wide spread", lo, hi)
	}
}
