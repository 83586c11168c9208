package atlas

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
)

// Firms of the hand network.
const (
	fR  = iota // raw material, sector raw
	fS1        // supplier of parts
	fS2        // supplier of parts
	fC         // core manufacturer, sector assembly
	fD         // distributor, sector retail
	fE         // energy supplier
)

// handLink is one link of the hand network with its yearly flow and the
// payable the buyer owes.
type handLink struct {
	sup, buy      int32
	weight        float64
	flow, payable float64
}

var handLinks = []handLink{
	{fR, fS1, 1, 10, 5},
	{fR, fS2, 1, 10, 5},
	{fS1, fC, 0.5, 30, 8},
	{fS2, fC, 0.5, 30, 8},
	{fE, fC, 1, 20, 4},
	{fC, fD, 1, 80, 20},
}

// handExposures is a six-firm network with one bank:
//
//	R ─┬→ S1 ─┐
//	   └→ S2 ─┼→ C → D
//	      E  ─┘
//
// Output per year (sales to firms + final demand): R 40 (20+20), S1 50
// (30+20), S2 50 (30+20), C 100 (80+20), D 160 (0+160), E 40 (20+20);
// total 440. C buys 60 of parts and 20 of energy. Jobs 4, 5, 5, 3, 3, 2
// (22). Equity 10, 10, 10, 50, 20, 10 and bank capital 20 (130). Loans
// S1 10, S2 10, C 40, D 10.
func handExposures(t *testing.T) *sim.Exposures {
	t.Helper()
	sectors := []string{"raw", "parts", "assembly", "retail", "energy"}
	firms := []network.Firm{
		{Role: network.RoleRawMaterial, Sector: 0, Chain: -1, ExportMarket: -1},
		{Role: network.RoleSupplier, Sector: 1, Chain: -1, ExportMarket: -1},
		{Role: network.RoleSupplier, Sector: 1, Chain: -1, ExportMarket: -1},
		{Kind: network.Core, Role: network.RoleManufacturer, Sector: 2, Chain: 0, ExportMarket: -1},
		{Role: network.RoleDistributor, Sector: 3, Chain: -1, ExportMarket: -1},
		{Role: network.RoleSupplier, Sector: 4, Chain: -1, ExportMarket: -1},
	}
	var edges []network.Edge
	for _, l := range handLinks {
		edges = append(edges, network.Edge{Supplier: l.sup, Buyer: l.buy, Weight: l.weight})
	}
	net, err := network.Build(firms, edges, sectors, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := &sim.Exposures{
		Net:         net,
		Output:      []float64{40, 50, 50, 100, 160, 40},
		Jobs:        []float64{4, 5, 5, 3, 3, 2},
		Equity:      []float64{10, 10, 10, 50, 20, 10},
		Loan:        []float64{0, 10, 10, 40, 10, 0},
		Bank:        make([]int32, 6),
		Flow:        make([]float64, net.E()),
		Payable:     make([]float64, net.E()),
		BankCapital: []float64{20},
		BankNames:   []string{"#0"},
		Finance:     true,
	}
	for e := 0; e < net.E(); e++ {
		for _, l := range handLinks {
			if net.Supplier[e] == l.sup && net.Buyer[e] == l.buy {
				x.Flow[e], x.Payable[e] = l.flow, l.payable
			}
		}
	}
	return x
}

// edgeOf returns the index of the edge sup → buy.
func edgeOf(net *network.Network, sup, buy int32) int {
	for e := 0; e < net.E(); e++ {
		if net.Supplier[e] == sup && net.Buyer[e] == buy {
			return e
		}
	}
	panic("no such edge")
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

// TestESRIByHand checks the production impact against values worked out
// by hand (levels h, 1 at baseline; loss Σ X_j (1 − h_j) / 440).
func TestESRIByHand(t *testing.T) {
	x := handExposures(t)
	nonEssentialParts, err := ReadEssential(strings.NewReader("input_sector,buyer_sector,essential\nparts,assembly,false\n"), "ess.csv", x.Net.SectorNames)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		firm     int
		opts     Options
		down, up bool
		output   float64
		jobs     float64
	}{
		// C stops. Round 1: D has no assembly input (h=0); S1, S2 lose
		// 30/50 of sales (h = 1 − 0.6 = 0.4); E loses 20/40 (0.5).
		// Round 2: R loses 10/40·0.6 twice (h = 0.7). Round 3: S1's
		// input allows 0.7 > 0.4: nothing moves.
		// Loss 100 + 160 + 30 + 30 + 12 + 20 = 352 of 440; jobs 3 + 3 +
		// 3 + 3 + 1.2 + 1 = 14.2 of 22.
		{"C both", fC, Options{}, true, true, 352.0 / 440, 14.2 / 22},
		// Downstream only: C and D, 260.
		{"C downstream", fC, Options{}, true, false, 260.0 / 440, 6.0 / 22},
		// Upstream only: C 100, S1 30, S2 30, R 12, E 20 = 192.
		{"C upstream", fC, Options{}, false, true, 192.0 / 440, 11.2 / 22},
		// S1 stops. The fixed point: c = min(s/2, e, 0.2+0.8c) with
		// s = min(r, 0.4+0.6c), r = 0.5+0.25s, e = 0.5+0.5c, d = c gives
		// s = 0.4+0.3s → s = 4/7, c = d = 2/7, r = 9/14, e = 9/14.
		// Loss 50 + 100·5/7 + 160·5/7 + 50·3/7 + 40·5/14 + 40·5/14
		// = 50 + 1550/7 + 100/7 = 2000/7; jobs 5 + (3+3)·5/7 + 5·3/7 +
		// (4+2)·5/14 = 5 + 30/7 + 15/7 + 15/7 = 95/7.
		{"S1 both", fS1, Options{}, true, true, 2000.0 / 7 / 440, 95.0 / 7 / 22},
		// Downstream only: C gets half its parts (h = 0.5), D follows:
		// 50 + 50 + 80 = 180.
		{"S1 downstream", fS1, Options{}, true, false, 180.0 / 440, (5 + 1.5 + 1.5) / 22},
		// With 20% substitution S2, still at full level, makes up 0.2·0.5
		// of C's parts (0.6); C is not at full level, so D gets no more
		// than 0.6: 50 + 40 + 64.
		{"S1 downstream substitution", fS1, Options{Substitution: 0.2}, true, false, 154.0 / 440, (5 + 1.2 + 1.2) / 22},
		// Parts non-essential to assembly: C loses 0.75·(1 − 0.5) of its
		// inputs, h = 0.625; D follows: 50 + 37.5 + 60 = 147.5.
		{"S1 downstream non-essential", fS1, Options{Essential: nonEssentialParts}, true, false, 147.5 / 440, (5 + 3*0.375 + 3*0.375) / 22},
		// R stops: S1, S2, C and D get no input; only E (no inputs)
		// produces: 400 of 440.
		{"R downstream", fR, Options{}, true, false, 400.0 / 440, 20.0 / 22},
		// R has no suppliers: only its own output.
		{"R upstream", fR, Options{}, false, true, 40.0 / 440, 4.0 / 22},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newProduction(x, tc.opts)
			s := p.newScratch()
			out, jobs, converged := p.impact(s, tc.firm, tc.down, tc.up)
			if !converged || !near(out, tc.output) || !near(jobs, tc.jobs) {
				t.Errorf("impact = %.12f output, %.12f jobs; want %.12f, %.12f", out, jobs, tc.output, tc.jobs)
			}
			for i, h := range s.h {
				if h != 1 {
					t.Fatalf("level of firm %d left at %v after the propagation", i, h)
				}
			}
		})
	}
}

// TestDebtRankByHand checks DebtRank against values worked out by hand.
// Claims (creditor: W = claim/equity) on S1: R 5/10, bank 10/20; on S2:
// the same; on C: S1 8/10, S2 8/10, E 4/10, bank 40/20 → 1; on D: C
// 20/50, bank 10/20. Total equity 130.
func TestDebtRankByHand(t *testing.T) {
	scf := func(x *sim.Exposures) {
		x.Anchor = make([]int32, x.Net.E())
		for e := range x.Anchor {
			x.Anchor[e] = -1
		}
		x.Anchor[edgeOf(x.Net, fS1, fC)] = fC
	}
	guarantee := func(x *sim.Exposures) {
		x.Guarantor = []int32{-1, fC, -1, -1, -1, -1}
		x.GuaranteeCap = []float64{0, 6, 0, 0, 0, 0}
	}
	tests := []struct {
		name   string
		firm   int
		change func(*sim.Exposures)
		want   float64
	}{
		// C defaults: S1, S2 0.8, E 0.4, bank 1; then S1, S2 pass
		// 0.5·0.8 each to R (0.8). (8 + 8 + 4 + 20 + 8) / 130.
		{"C", fC, nil, 48.0 / 130},
		// D defaults: C 0.4, bank 0.5; C passes 0.32 to S1, S2, 0.16 to
		// E, 0.4 to the bank (0.9, already passed on); S1, S2 pass 0.16
		// each to R (0.32) and the bank (1). (20 + 20 + 3.2 + 3.2 + 1.6
		// + 3.2) / 130.
		{"D", fD, nil, 51.2 / 130},
		// S1 defaults: R 0.5, bank 0.5. (5 + 10) / 130.
		{"S1", fS1, nil, 15.0 / 130},
		// Factored S1 → C: C's payable to S1 is held by the bank. C
		// defaults: S2 0.8, E 0.4, bank 1; S2 passes 0.4 to R.
		// (8 + 4 + 20 + 4) / 130.
		{"C with SCF on S1→C", fC, scf, 36.0 / 130},
		// C guarantees 6 of S1's loan: C's claim 6/50 = 0.12, the bank's
		// 4/20 = 0.2. S1 defaults: R 0.5, C 0.12, bank 0.2; C passes
		// 0.096 to S2, 0.048 to E, 0.12 to the bank (0.32); S2 passes
		// 0.048 to R (0.548) and to the bank (0.368).
		// (5.48 + 6 + 0.96 + 0.48 + 7.36) / 130.
		{"S1 with core guarantee", fS1, guarantee, 20.28 / 130},
		// E has no loan and buys nothing on credit: nobody holds a claim
		// on it, so its default costs the rest nothing.
		{"E", fE, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := handExposures(t)
			if tc.change != nil {
				tc.change(x)
			}
			fi := newFinance(x)
			s := fi.newScratch()
			if got := fi.debtRank(s, tc.firm); !near(got, tc.want) {
				t.Errorf("DebtRank = %.12f, want %.12f", got, tc.want)
			}
			for i := range s.h {
				if s.h[i] != 0 || s.state[i] != undistressed || s.delta[i] != 0 {
					t.Fatalf("node %d left distressed after the propagation", i)
				}
			}
		})
	}
}

// TestComputeWorkers checks that Compute gives the rows of the per-firm
// functions whatever the number of workers.
func TestComputeWorkers(t *testing.T) {
	x := handExposures(t)
	firms := []int{fD, fC, fS1, fR}
	one, err := Compute(context.Background(), x, firms, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if one[1].Firm != fC || !near(one[1].ESRIOutput, 352.0/440) || !near(one[1].DebtRank, 48.0/130) ||
		!near(one[1].Downstream, 260.0/440) || !near(one[1].Upstream, 192.0/440) {
		t.Errorf("row of C = %+v", one[1])
	}
	for _, w := range []int{2, 3, 8} {
		many, err := Compute(context.Background(), x, firms, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		for k := range one {
			if one[k] != many[k] {
				t.Errorf("workers %d: row %d = %+v, want %+v", w, k, many[k], one[k])
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, x, firms, Options{}); err != context.Canceled {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	if _, err := Compute(context.Background(), x, []int{6}, Options{}); err == nil {
		t.Error("firm 6 of 6: no error")
	}
}
