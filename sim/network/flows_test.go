package network

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// flowFirms gives every firm its final demand, so that nothing is drawn.
const flowFirms = "id,kind,role,sector,final_demand\nf1,sme,supplier,parts,10\nf2,core,manufacturer,goods,100\nf3,sme,supplier,parts,20\nf4,sme,distributor,retail,50\n"

func TestReadCSVFlows(t *testing.T) {
	edges := "supplier,buyer,flow\nf1,f2,30\nf3,f2,10\nf2,f4,40\n"
	net, err := ReadCSVFrom("edges.csv", strings.NewReader(edges), "firms.csv", strings.NewReader(flowFirms), Sizes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Stored buyer-major: f1→f2, f3→f2, f2→f4.
	if want := []float64{30, 10, 40}; !slices.Equal(net.Flow, want) {
		t.Errorf("flows %v, want %v", net.Flow, want)
	}
	if want := []float64{0.75, 0.25, 1}; !slices.Equal(net.Weight, want) {
		t.Errorf("weights %v, want %v", net.Weight, want)
	}
	sales, purchases := net.SalesAndPurchases()
	if want := []float64{40, 140, 30, 50}; !slices.Equal(sales, want) {
		t.Errorf("sales %v, want %v", sales, want)
	}
	if want := []float64{0, 40, 0, 40}; !slices.Equal(purchases, want) {
		t.Errorf("purchases %v, want %v", purchases, want)
	}
	if err := net.CheckFlows(); err != nil {
		t.Errorf("CheckFlows: %v", err)
	}
}

// Bad flows are one line naming the file, line and column (issue 18,
// must-show 5).
func TestReadCSVFlowErrors(t *testing.T) {
	cases := []struct{ name, edges, want string }{
		{"negative", "supplier,buyer,flow\nf1,f2,30\nf3,f2,-10\nf2,f4,40\n",
			"edges.csv:3: column flow: -10 must be in (0, 1e+18] (a value per year; leave out a link without flow)"},
		{"zero", "supplier,buyer,flow\nf1,f2,0\n",
			"edges.csv:2: column flow: 0 must be in (0, 1e+18] (a value per year; leave out a link without flow)"},
		{"NaN", "supplier,buyer,flow\nf1,f2,NaN\n",
			`edges.csv:2: column flow: "NaN" is not a number: write a plain decimal such as 0.25 or 1e-3`},
		{"infinite", "supplier,buyer,flow\nf1,f2,1e400\n",
			`edges.csv:2: column flow: "1e400" is too large to represent (at most about 1.8e308)`},
		{"duplicate", "supplier,buyer,flow\nf1,f2,3\nf1,f2,4\n",
			"edges.csv:3: duplicate edge f1 → f2 (first on line 2)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSVFrom("edges.csv", strings.NewReader(c.edges), "firms.csv", strings.NewReader(flowFirms), Sizes{}, nil)
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("message is more than one line")
			}
		})
	}
}

func TestCheckFlows(t *testing.T) {
	edges := "supplier,buyer,flow\nf1,f2,30\nf3,f2,10\nf2,f4,60\n"
	net, err := ReadCSVFrom("edges.csv", strings.NewReader(edges), "firms.csv", strings.NewReader(flowFirms), Sizes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "firm f4 buys 60 a year from other firms but sells only 50 (final demand 50): a firm must sell more than it buys"
	if err := net.CheckFlows(); err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestReadCSVNormalise(t *testing.T) {
	dir := t.TempDir()
	edges := "supplier,buyer,weight\nf1,f2,0.3\nf3,f2,0.5\nf2,f4,1\n"
	write := func(name, text string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ep, fp := write("edges.csv", edges), write("firms.csv", flowFirms)
	want := ep + `:2: buyer "f2": weights of its suppliers in sector "parts" sum to 0.8, not 1 (±1e-06)`
	if _, err := ReadCSVWith(ep, fp, Sizes{}, nil, CSVOptions{}); err == nil || err.Error() != want {
		t.Errorf("without normalise: got %v, want %s", err, want)
	}
	net, err := ReadCSVWith(ep, fp, Sizes{}, nil, CSVOptions{Normalise: true})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.3 + 0.5 // as the reader adds them
	if w := []float64{0.3 / sum, 0.5 / sum, 1}; !slices.Equal(net.Weight, w) {
		t.Errorf("weights %v, want %v", net.Weight, w)
	}
	if w := []string{want + "; normalised to 1 (network.normalise)"}; !slices.Equal(net.Warnings, w) {
		t.Errorf("warnings %q, want %q", net.Warnings, w)
	}
}
