package atlas_test

import (
	"context"
	"fmt"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/atlas"
	"github.com/smesim/smesim/sim/network"
)

// A supplier S sells half of its output of 100 to a buyer B, which sells
// its 100 to final demand; B owes S 10 of trade credit and its bank 30.
func Example() {
	net, err := network.Build(
		[]network.Firm{{Name: "S", Chain: -1, ExportMarket: -1}, {Name: "B", Sector: 1, Chain: -1, ExportMarket: -1}},
		[]network.Edge{{Supplier: 0, Buyer: 1, Weight: 1}},
		[]string{"parts", "goods"}, nil, nil)
	if err != nil {
		panic(err)
	}
	x := &sim.Exposures{
		Net:    net,
		Output: []float64{100, 100}, Jobs: []float64{1, 1},
		Equity: []float64{20, 40}, Loan: []float64{0, 30}, Bank: []int32{0, 0},
		Flow: []float64{50}, Payable: []float64{10},
		BankCapital: []float64{10},
	}
	rows, err := atlas.Compute(context.Background(), x, []int{0, 1}, atlas.Options{})
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Printf("%s: ESRI %.2f (downstream %.2f, upstream %.2f), DebtRank %.3f\n",
			net.Name(r.Firm), r.ESRIOutput, r.Downstream, r.Upstream, r.DebtRank)
	}
	// Without S, B has no input: all output is lost. Without B, S loses
	// half its sales: (100 + 50) / 200. B's default costs S half its equity
	// (10 of 20) and the bank all of it (10 of 10): 20 / 70.
	// Output:
	// S: ESRI 1.00 (downstream 1.00, upstream 0.50), DebtRank 0.000
	// B: ESRI 0.75 (downstream 0.50, upstream 0.75), DebtRank 0.286
}
