package sim

import (
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
)

// TestAssignBanksByRegion: with local_share 1 for SMEs and 0 for cores,
// every SME banks with the city bank of its region and every core with the
// national bank; a region without a local bank banks nationally.
func TestAssignBanksByRegion(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Finance.Banking = "system"
	cfg.Finance.LocalShareSME, cfg.Finance.LocalShareCore = 1, 0
	national := config.DefaultBank()
	national.Name = "national"
	cfg.Banks = []config.BankConfig{national}
	for _, r := range []string{"region-0", "region-1", "region-2"} { // region-3 has none
		b := config.DefaultBank()
		b.Name, b.Kind, b.Regions = "city-"+r, "city", []string{r}
		cfg.Banks = append(cfg.Banks, b)
	}
	e, err := newEngine(&cfg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.net.RegionNames; len(got) != 4 || got[3] != "region-3" {
		t.Fatalf("regions %v, want region-0 to region-3", got)
	}
	for i := 0; i < e.net.N(); i++ {
		r := int(e.net.Region[i])
		want := int32(0) // the national bank
		if e.net.Kind[i] != network.Core && r < 3 {
			want = int32(1 + r)
		}
		if e.bank[i] != want {
			t.Fatalf("firm %d (kind %v, region %d) banks with %s, want %s", i, e.net.Kind[i], r, e.bankName(int(e.bank[i])), e.bankName(int(want)))
		}
	}
}

// TestAssignBanksUnknownRegion: a bank serving a region the network does
// not have is a scenario error, not a bank without clients.
func TestAssignBanksUnknownRegion(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Finance.Banking = "system"
	b := config.DefaultBank()
	b.Kind, b.Regions = "rural", []string{"atlantis"}
	cfg.Banks = append(cfg.Banks, b)
	cfg.Banks[1].Name = "rural"
	_, err := newEngine(&cfg, 0)
	if _, ok := err.(*ScenarioError); !ok {
		t.Fatalf("got %v, want a ScenarioError naming the region", err)
	}
}

// TestRolloverWithoutScore: when no borrower passes the score threshold,
// the legacy bank refuses to roll over the principal its borrowers repay,
// and credit shrinks; the banking system rolls over the principal of
// performing loans whatever the score, and credit holds.
func TestRolloverWithoutScore(t *testing.T) {
	for _, c := range []struct {
		banking string
		holds   bool
	}{{"legacy", false}, {"system", true}} {
		cfg := quietConfig()
		cfg.Steps = 10
		cfg.Firms.SME.DebtToAssets, cfg.Firms.Core.DebtToAssets = 0.6, 0.6
		cfg.Firms.SME.CreditAccess = 1
		cfg.Finance.ScoreThreshold = 1 // equity at 40% of assets scores below 1
		cfg.Finance.Banking = c.banking
		e, err := newEngineOn(cfg, chainNetwork(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.run("baseline")
		if err != nil {
			t.Fatal(err)
		}
		first, last := r.Value(0, outcome.CreditOutstanding), r.Value(cfg.Steps-1, outcome.CreditOutstanding)
		if !(first > 0) {
			t.Fatalf("%s: no bank credit to roll over", c.banking)
		}
		if holds := last >= first*(1-1e-9); holds != c.holds {
			t.Errorf("%s: credit %v at step 0, %v at step %d: held %v, want %v", c.banking, first, last, cfg.Steps-1, holds, c.holds)
		}
	}
}
