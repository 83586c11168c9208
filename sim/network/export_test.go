package network

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/formats/gexf12"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to rewrite it):\n%s", path, got)
	}
}

func smallNetwork(t *testing.T) *Network {
	t.Helper()
	net, err := ReadCSV("testdata/small/edges.csv", "testdata/small/firms.csv", Sizes{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func TestWriteDOTGolden(t *testing.T) {
	var b bytes.Buffer
	if err := smallNetwork(t).WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "small.dot", b.Bytes())
}

func TestWriteGEXFGolden(t *testing.T) {
	var b bytes.Buffer
	if err := smallNetwork(t).WriteGEXF(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "small.gexf", b.Bytes())
}

func TestWriteDOTGenerated(t *testing.T) {
	net, err := CoreSatellite(csCases[0].p, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := net.WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "strict digraph smesim {") {
		t.Errorf("DOT starts %q", out[:40])
	}
	if n := strings.Count(out, " -> "); n != net.E() {
		t.Errorf("%d DOT edges, want %d", n, net.E())
	}
	if n := strings.Count(out, "\tkind="); n != net.N() {
		t.Errorf("%d DOT nodes with kind, want %d", n, net.N())
	}
}

func TestWriteGEXFParses(t *testing.T) {
	net, err := BarabasiAlbert(500, 2, 4, 0.05, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := net.WriteGEXF(&b); err != nil {
		t.Fatal(err)
	}
	var doc gexf12.Content
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	g := doc.Graph
	if doc.Version != "1.2" || g.DefaultEdgeType != "directed" || doc.XMLName.Space != "http://www.gexf.net/1.2draft" {
		t.Errorf("version %q edge type %q namespace %q", doc.Version, g.DefaultEdgeType, doc.XMLName.Space)
	}
	if len(g.Nodes.Nodes) != net.N() || g.Nodes.Count != net.N() || len(g.Edges.Edges) != net.E() || g.Edges.Count != net.E() {
		t.Fatalf("%d nodes, %d edges; want %d, %d", len(g.Nodes.Nodes), len(g.Edges.Edges), net.N(), net.E())
	}
	declared := map[string]bool{}
	for _, a := range g.Attributes[0].Attributes {
		declared[a.ID] = true
	}
	for i, n := range g.Nodes.Nodes {
		if n.ID != net.Name(i) {
			t.Fatalf("node %d id %q", i, n.ID)
		}
		vals := map[string]string{}
		for _, v := range n.AttValues.AttValues {
			if !declared[v.For] {
				t.Fatalf("undeclared attribute %q", v.For)
			}
			vals[v.For] = v.Value
		}
		if vals["kind"] != net.Kind[i].String() || vals["role"] != "other" || vals["sector"] != net.SectorNames[net.Sector[i]] || vals["chain"] != "-1" {
			t.Fatalf("node %d attributes %v", i, vals)
		}
	}
	for e, x := range g.Edges.Edges {
		if x.Source != net.Name(int(net.Supplier[e])) || x.Target != net.Name(int(net.Buyer[e])) || x.Weight != net.Weight[e] {
			t.Fatalf("edge %d: %+v", e, x)
		}
	}
}

func TestGonumView(t *testing.T) {
	net, err := ErdosRenyi(300, 4, 3, 0, testSizes(), newRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	g := gonumView{net}
	if n := len(graph.NodesOf(g.Nodes())); n != net.N() {
		t.Fatalf("%d nodes", n)
	}
	edges := 0
	for u := 0; u < net.N(); u++ {
		from := graph.NodesOf(g.From(int64(u)))
		to := graph.NodesOf(g.To(int64(u)))
		if len(from) != int(net.OutStart[u+1]-net.OutStart[u]) || len(to) != int(net.InStart[u+1]-net.InStart[u]) {
			t.Fatalf("firm %d: %d buyers, %d suppliers", u, len(from), len(to))
		}
		for _, v := range from {
			e := g.Edge(int64(u), v.ID())
			if e == nil || e.From().ID() != int64(u) || e.To().ID() != v.ID() || !g.HasEdgeBetween(v.ID(), int64(u)) {
				t.Fatalf("edge %d → %d: %v", u, v.ID(), e)
			}
			if r := e.ReversedEdge(); r.From().ID() != v.ID() || r.To().ID() != int64(u) {
				t.Fatalf("reversed edge %d → %d", r.From().ID(), r.To().ID())
			}
			edges++
		}
	}
	if edges != net.E() {
		t.Errorf("%d edges via From, want %d", edges, net.E())
	}
	if g.Edge(0, 0) != nil || g.Node(-1) != nil || g.Node(int64(net.N())) != nil || g.From(-1).Len() != 0 {
		t.Errorf("out-of-range lookups")
	}
	it := g.Nodes()
	if it.Len() != net.N() {
		t.Errorf("Len %d before iterating", it.Len())
	}
	it.Next()
	it.Next()
	if it.Len() != net.N()-2 || it.Node().ID() != 1 {
		t.Errorf("after two: Len %d node %d", it.Len(), it.Node().ID())
	}
	it.Reset()
	if !it.Next() || it.Node().ID() != 0 {
		t.Errorf("Reset")
	}
}
