package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// TestBaselineExposures checks the exported baseline against the steady
// state it comes from: each firm's output is its final demand plus its
// deliveries to buyers, and balance sheets are those initFinance sets.
func TestBaselineExposures(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Network.Chains = 2
	x, err := BaselineExposures(&cfg, config.Arm{Name: config.BaselineArm}, 0)
	if err != nil {
		t.Fatal(err)
	}
	net := x.Net
	sold := make([]float64, net.N())
	for e := 0; e < net.E(); e++ {
		sold[net.Supplier[e]] += x.Flow[e]
		if !(x.Payable[e] > 0) {
			t.Fatalf("edge %d: payable %v, want > 0 at baseline", e, x.Payable[e])
		}
	}
	loans := make([]float64, len(x.BankCapital))
	for i := 0; i < net.N(); i++ {
		if want := sold[i] + net.FinalDemand[i]; math.Abs(x.Output[i]-want) > 1e-9*want {
			t.Errorf("firm %d: output %v, want final demand + deliveries = %v", i, x.Output[i], want)
		}
		jpm := cfg.Firms.SME.JobsPerMillion
		if net.Kind[i] == network.Core {
			jpm = cfg.Firms.Core.JobsPerMillion
		}
		if want := jpm * x.Output[i] / 1e6; math.Abs(x.Jobs[i]-want) > 1e-9*want {
			t.Errorf("firm %d: jobs %v, want %v", i, x.Jobs[i], want)
		}
		if !(x.Equity[i] > 0) {
			t.Errorf("firm %d: equity %v, want > 0", i, x.Equity[i])
		}
		loans[x.Bank[i]] += x.Loan[i]
	}
	for b, c := range x.BankCapital {
		if !(c > 0) || c > loans[b] {
			t.Errorf("bank %d: capital %v for loans %v", b, c, loans[b])
		}
	}
	if x.Anchor != nil || x.Guarantor != nil {
		t.Error("baseline arm has supply chain finance state")
	}
}
