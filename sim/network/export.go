package network

import (
	"encoding/xml"
	"io"
	"strconv"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/formats/gexf12"
)

// WriteDOT writes the network in Graphviz DOT with gonum's encoder, as a
// strict digraph "smesim". Nodes are named by firm id and carry the
// attributes id, kind, role, sector, chain, region, final_demand,
// export_share and export_market (when set); edges carry weight. (Graphviz's
// dot layout reads weight as an integer layout hint; other tools read it as
// the edge weight.) The whole text is built in memory: meant for small and
// medium networks.
func (n *Network) WriteDOT(w io.Writer) error {
	b, err := dot.Marshal(gonumView{n}, "smesim", "", "\t")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// nodeAttributes returns firm i's attributes for the exporters.
func (n *Network) nodeAttributes(i int) []encoding.Attribute {
	a := []encoding.Attribute{
		{Key: "id", Value: n.Name(i)},
		{Key: "kind", Value: n.Kind[i].String()},
		{Key: "role", Value: n.Role[i].String()},
		{Key: "sector", Value: n.SectorNames[n.Sector[i]]},
		{Key: "chain", Value: strconv.Itoa(int(n.Chain[i]))},
	}
	if len(n.RegionNames) > 0 {
		a = append(a, encoding.Attribute{Key: "region", Value: n.RegionNames[n.Region[i]]})
	}
	a = append(a,
		encoding.Attribute{Key: "final_demand", Value: strconv.FormatFloat(n.FinalDemand[i], 'g', -1, 64)},
		encoding.Attribute{Key: "export_share", Value: strconv.FormatFloat(n.ExportShare[i], 'g', -1, 64)},
	)
	if m := n.ExportMarket[i]; m >= 0 {
		a = append(a, encoding.Attribute{Key: "export_market", Value: n.MarketNames[m]})
	}
	return a
}

// gonumView is a read-only graph.Directed over the network's CSR arrays,
// for gonum's encoders; it is never used by the simulation.
type gonumView struct{ n *Network }

var (
	_ graph.Directed      = gonumView{}
	_ graph.WeightedEdge  = viewEdge{}
	_ dot.Node            = viewNode{}
	_ encoding.Attributer = viewNode{}
	_ encoding.Attributer = viewEdge{}
	_ graph.Nodes         = (*viewNodes)(nil)
)

type viewNode struct {
	n  *Network
	id int
}

func (v viewNode) ID() int64                        { return int64(v.id) }
func (v viewNode) DOTID() string                    { return v.n.Name(v.id) }
func (v viewNode) Attributes() []encoding.Attribute { return v.n.nodeAttributes(v.id) }

type viewEdge struct {
	n *Network
	e int32
}

func (v viewEdge) From() graph.Node         { return viewNode{v.n, int(v.n.Supplier[v.e])} }
func (v viewEdge) To() graph.Node           { return viewNode{v.n, int(v.n.Buyer[v.e])} }
func (v viewEdge) ReversedEdge() graph.Edge { return reversedEdge{v} }
func (v viewEdge) Weight() float64          { return v.n.Weight[v.e] }
func (v viewEdge) Attributes() []encoding.Attribute {
	return []encoding.Attribute{{Key: "weight", Value: strconv.FormatFloat(v.n.Weight[v.e], 'g', -1, 64)}}
}

type reversedEdge struct{ viewEdge }

func (r reversedEdge) From() graph.Node         { return r.viewEdge.To() }
func (r reversedEdge) To() graph.Node           { return r.viewEdge.From() }
func (r reversedEdge) ReversedEdge() graph.Edge { return r.viewEdge }

// viewNodes iterates over node ids: ids[i] if ids is set, else lo..hi-1.
type viewNodes struct {
	n      *Network
	ids    []int32
	lo, hi int
	cur    int // index of the current node, lo−1 before the first
}

func (it *viewNodes) Next() bool {
	if it.cur < it.hi {
		it.cur++
	}
	return it.cur < it.hi
}
func (it *viewNodes) Len() int {
	if it.cur >= it.hi {
		return 0
	}
	return it.hi - it.cur - 1
}
func (it *viewNodes) Reset() { it.cur = it.lo - 1 }
func (it *viewNodes) Node() graph.Node {
	if it.cur < it.lo || it.cur >= it.hi {
		return nil
	}
	if it.ids != nil {
		return viewNode{it.n, int(it.ids[it.cur])}
	}
	return viewNode{it.n, it.cur}
}

func (g gonumView) valid(id int64) bool { return id >= 0 && id < int64(g.n.N()) }

func (g gonumView) Node(id int64) graph.Node {
	if !g.valid(id) {
		return nil
	}
	return viewNode{g.n, int(id)}
}

func (g gonumView) Nodes() graph.Nodes {
	return &viewNodes{n: g.n, lo: 0, hi: g.n.N(), cur: -1}
}

// From returns the buyers of firm id.
func (g gonumView) From(id int64) graph.Nodes {
	if !g.valid(id) {
		return graph.Empty
	}
	lo, hi := int(g.n.OutStart[id]), int(g.n.OutStart[id+1])
	ids := make([]int32, hi-lo)
	for k := range ids {
		ids[k] = g.n.Buyer[g.n.OutEdge[lo+k]]
	}
	return &viewNodes{n: g.n, ids: ids, lo: 0, hi: len(ids), cur: -1}
}

// To returns the suppliers of firm id.
func (g gonumView) To(id int64) graph.Nodes {
	if !g.valid(id) {
		return graph.Empty
	}
	lo, hi := int(g.n.InStart[id]), int(g.n.InStart[id+1])
	return &viewNodes{n: g.n, ids: g.n.Supplier[lo:hi], lo: 0, hi: hi - lo, cur: -1}
}

// edge returns the index of edge u → v, or −1. A supplier's out-edges are
// in increasing edge order, hence increasing buyer order: binary search.
func (g gonumView) edge(u, v int64) int32 {
	if !g.valid(u) || !g.valid(v) {
		return -1
	}
	out := g.n.OutEdge[g.n.OutStart[u]:g.n.OutStart[u+1]]
	lo, hi := 0, len(out)
	for lo < hi {
		m := (lo + hi) / 2
		if int64(g.n.Buyer[out[m]]) < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(out) && int64(g.n.Buyer[out[lo]]) == v {
		return out[lo]
	}
	return -1
}

func (g gonumView) HasEdgeFromTo(u, v int64) bool { return g.edge(u, v) >= 0 }
func (g gonumView) HasEdgeBetween(x, y int64) bool {
	return g.edge(x, y) >= 0 || g.edge(y, x) >= 0
}
func (g gonumView) Edge(u, v int64) graph.Edge {
	if e := g.edge(u, v); e >= 0 {
		return viewEdge{g.n, e}
	}
	return nil
}

// WriteGEXF writes the network as GEXF 1.2 (read by Gephi) through gonum's
// gexf12 types: a static directed graph whose node ids and labels are firm
// ids, with node attributes kind, role, sector, chain, region,
// final_demand, export_share and export_market, and edge weights.
func (n *Network) WriteGEXF(w io.Writer) error {
	attrs := []gexf12.Attribute{
		{ID: "kind", Title: "kind", Type: "string"},
		{ID: "role", Title: "role", Type: "string"},
		{ID: "sector", Title: "sector", Type: "string"},
		{ID: "chain", Title: "chain", Type: "integer"},
		{ID: "region", Title: "region", Type: "string"},
		{ID: "final_demand", Title: "final_demand", Type: "double"},
		{ID: "export_share", Title: "export_share", Type: "double"},
		{ID: "export_market", Title: "export_market", Type: "string"},
	}
	nodes := make([]gexf12.Node, n.N())
	for i := range nodes {
		var vals []gexf12.AttValue
		for _, a := range n.nodeAttributes(i)[1:] { // id is the node id
			vals = append(vals, gexf12.AttValue{For: a.Key, Value: a.Value})
		}
		nodes[i] = gexf12.Node{ID: n.Name(i), Label: n.Name(i), AttValues: &gexf12.AttValues{AttValues: vals}}
	}
	edges := make([]gexf12.Edge, n.E())
	for e := range edges {
		edges[e] = gexf12.Edge{
			ID:     strconv.Itoa(e),
			Source: n.Name(int(n.Supplier[e])),
			Target: n.Name(int(n.Buyer[e])),
			Weight: n.Weight[e],
		}
	}
	doc := gexf12.Content{
		Version: "1.2",
		Meta:    &gexf12.Meta{Creator: "smesim", Description: "SME supply-chain network (edge supplier → buyer)"},
		Graph: gexf12.Graph{
			DefaultEdgeType: "directed",
			Mode:            "static",
			IDType:          "string",
			Attributes:      []gexf12.Attributes{{Class: "node", Mode: "static", Attributes: attrs}},
			Nodes:           gexf12.Nodes{Count: len(nodes), Nodes: nodes},
			Edges:           gexf12.Edges{Count: len(edges), Edges: edges},
		},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
