package sim

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// lockdownOn returns cfg with the sectors closed from step start for steps
// steps (depth 1: every firm of the sectors).
func lockdownOn(cfg *config.Config, start, steps int, sectors ...string) *config.Config {
	c := *cfg
	c.Shocks = []config.ShockConfig{{
		Kind: "lockdown", Name: "closure", Shape: "step", Market: "all", Depth: 1, Sectors: sectors,
		Start:    units.Duration{Value: float64(start), Unit: "w"},
		Duration: units.Duration{Value: float64(steps), Unit: "w"},
	}}
	return &c
}

// TestLookThroughKeepsCreditLine is mechanism 1 of
// docs/design-counterfactual.md: the banked supplier of chainNetwork,
// closed by a lockdown for 8 weeks, scores below the threshold on the
// 4-step smoothing and its bank refuses even the rollover of its repaid
// principal; a bank that looks through the closure with a 26-week memory
// keeps lending to it.
func TestLookThroughKeepsCreditLine(t *testing.T) {
	const supplier = 1
	for _, c := range []struct {
		memory  string
		look    bool
		refused bool
	}{
		{"0w", false, true},  // today: the line shuts
		{"26w", true, false}, // through the cycle
		{"0w", true, false},  // look-through alone
	} {
		cfg := lockdownOn(bankedConfig(), 2, 8, "parts")
		cfg.Steps = 12
		cfg.Firms.SME.DebtToAssets = 0.56 // china-2020's: equity at 44% of assets
		cfg.Finance.ScoreMemory = units.MustDuration(c.memory)
		cfg.Finance.LookThrough = c.look
		e := armEngine(t, cfg, chainNetwork(t), false)
		if e.loan[supplier] <= 0 {
			t.Fatal("the supplier has no loan: the test tests nothing")
		}
		minScore, refused := 1.0, false
		runEngine(t, e, func(s int) {
			if s >= 2 && s < 10 {
				minScore = min(minScore, e.score[supplier])
				refused = refused || e.lastCredit[supplier] == int32(s)
			}
		})
		if refused != c.refused || (minScore < e.p.scoreThreshold) != c.refused {
			t.Errorf("memory %s, look-through %v: lowest score in the lockdown %.4f (threshold %v), credit refused %v; want refused %v",
				c.memory, c.look, minScore, e.p.scoreThreshold, refused, c.refused)
		}
	}
}

// TestOwnerFundsAndInformalCredit runs chainNetwork's supplier, without a
// bank line, against a core that takes a year to pay (slowCore): it fails
// on its cash alone; its owner's funds or informal credit carry it
// through. The engine checks every step that money is conserved and that
// the supplier's balance sheet balances with its informal debt as a
// liability; the test checks that the owner's funds fall by exactly what
// it injected and the informal debt moves only by borrowing, capitalised
// interest and repayments.
func TestOwnerFundsAndInformalCredit(t *testing.T) {
	const supplier = 1
	for _, c := range []struct {
		name          string
		owner, limit  float64
		fails         bool
		injects, owes bool
	}{
		{"cash alone", 0, 0, true, false, false},
		{"owner funds", 1, 0, false, true, false},
		{"informal credit", 0, 1, false, false, true},
		{"too little of either", 0.005, 0.005, true, true, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := quietConfig()
			cfg.Steps = 40
			cfg.Firms.SME.OwnerFunds = c.owner
			cfg.Firms.SME.InformalLimit = c.limit
			net := chainNetwork(t)
			e := armEngine(t, cfg, net, false)
			slowCore(e)
			funds0 := 0.0
			if e.liq.ownerLeft != nil {
				funds0 = e.liq.ownerLeft[supplier]
			}
			injected, borrowed, maxDebt := 0.0, 0.0, 0.0
			r := runEngine(t, e, func(s int) {
				if !e.liq.on {
					return
				}
				injected += e.liq.injected[supplier]
				borrowed += e.liq.borrowed[supplier]
				maxDebt = max(maxDebt, e.liq.informalDebt[supplier])
				if d := e.liq.informalDebt[supplier]; d > e.liq.informalLimit[supplier]*(1+e.liq.informalRate[supplier])+1e-9 {
					t.Errorf("step %d: informal debt %g above its limit %g with a step's interest", s, d, e.liq.informalLimit[supplier])
				}
			})
			if got := failed(r, net, "supplier"); got != c.fails {
				t.Errorf("supplier failed: %v, want %v (events %+v)", got, c.fails, r.Events)
			}
			if (injected > 0) != c.injects || (borrowed > 0) != c.owes || (maxDebt > 0) != c.owes {
				t.Errorf("injected %g, borrowed %g (largest debt %g): want injections %v, informal credit %v", injected, borrowed, maxDebt, c.injects, c.owes)
			}
			if e.liq.on {
				if left := e.liq.ownerLeft[supplier]; math.Abs(funds0-injected-left) > 1e-9*funds0 {
					t.Errorf("owner funds %g − injected %g ≠ left %g", funds0, injected, left)
				}
			}
		})
	}
}

// TestOwnerFundsShare: with firms.sme.owner_funds_share 0.14 (the
// Tsinghua–PKU survey's 13.58% of SMEs planning to bring in shareholders'
// capital), about that share of SMEs have owner funds, and each of them
// holds exactly what it holds when every owner has funds (the same draw);
// the others hold none. Cores keep theirs.
func TestOwnerFundsShare(t *testing.T) {
	funds := make([][]float64, 2)
	var kind []bool
	for k, share := range []float64{1, 0.14} {
		cfg := config.DefaultConfig()
		cfg.Network.Chains = 20
		cfg.Firms.SME.OwnerFunds, cfg.Firms.Core.OwnerFunds = 0.05, 0.05
		cfg.Firms.SME.OwnerFundsShare = share
		e, err := newEngine(&cfg, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer e.close()
		funds[k] = e.liq.ownerLeft
		kind = make([]bool, e.net.N())
		for i := range kind {
			kind[i] = e.net.Kind[i] == network.SME
		}
	}
	smes, with := 0, 0
	for i, sme := range kind {
		all, some := funds[0][i], funds[1][i]
		switch {
		case !(all > 0):
			t.Fatalf("firm %d has no funds with owner_funds_share 1", i)
		case !sme && some != all:
			t.Errorf("core %d: funds %v with the SMEs' share 0.14, %v without, want the same", i, some, all)
		case sme && some != 0 && some != all:
			t.Errorf("SME %d: funds %v with share 0.14, %v with share 1, want the same or none", i, some, all)
		}
		if sme {
			smes++
			if some > 0 {
				with++
			}
		}
	}
	if got := float64(with) / float64(smes); math.Abs(got-0.14) > 0.03 || smes < 1000 {
		t.Errorf("%d of %d SMEs (%.3f) have owner funds, want about 0.14", with, smes, got)
	}
}

// TestValueExitClosesOrderly takes 95% of the bystander's final demand
// away for good. On the grace rule it fails illiquid, and its bank loses
// 1 − recovery_rate of its loan; with value_exit its expected profit no
// longer covers what it owes, so it closes in an orderly way, before its
// grace runs out: its assets fetch demography.orderly_recovery (0.8) of
// their book value, which covers its debts, and its bank loses nothing.
// With firms that expect demand to come back soon (expected_recovery 1d)
// it stays and fails on the grace rule.
func TestValueExitClosesOrderly(t *testing.T) {
	const bystander = 3
	for _, c := range []struct {
		name      string
		valueExit bool
		recovery  string
		cause     outcome.Cause
		lossShare float64
	}{
		{"grace", false, "13w", outcome.Illiquid, 0.7},
		{"value exit", true, "13w", outcome.ExitValue, 0},
		{"demand back at once", true, "1d", outcome.Illiquid, 0.7},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := bankedConfig()
			cfg.Steps = 40
			cfg.Shocks = []config.ShockConfig{{Kind: "demand", Name: "gone", Shape: "step", Market: "all", Depth: 0.95,
				Start: units.MustDuration("1w"), Duration: units.MustDuration("100w")}}
			cfg.Firms.ValueExit = c.valueExit
			cfg.Firms.ExpectedRecovery = units.MustDuration(c.recovery)
			net := chainNetworkWith(t, 20e6)
			e := armEngine(t, cfg, net, false)
			loan, lost, covered, failStep := 0.0, 0.0, false, -1
			for s := 0; s < cfg.Steps && failStep < 0; s++ {
				loan = e.loan[bystander]
				covered = 0.8*e.firmAssets(bystander) > 1.1*e.firmLiabilities(bystander)
				if err := e.step(s); err != nil {
					t.Fatal(err)
				}
				if !e.alive[bystander] {
					failStep, lost = s, e.writtenOff[bystander]
				}
			}
			if failStep < 0 {
				t.Fatal("the bystander survives: the test tests nothing")
			}
			if c.cause == outcome.ExitValue && !covered {
				t.Fatal("the bystander's assets at 80% no longer cover its debts well: the test does not test full recovery")
			}
			if e.cause[bystander] != c.cause {
				t.Errorf("cause %v, want %v", e.cause[bystander], c.cause)
			}
			// The loan moves within the step by its capitalised interest
			// and what principal is paid (well under 1%): the shares to
			// tell apart are 0 and 0.7.
			if share := lost / loan; math.Abs(share-c.lossShare) > 0.01 {
				t.Errorf("bank wrote off %g of a loan of %g (%.4f), want a share of %v", lost, loan, share, c.lossShare)
			}
			if c.cause == outcome.ExitValue && int(e.illiquidRun[bystander]) >= e.p.grace {
				t.Errorf("closed after %d steps in arrears: no earlier than the grace of %d", e.illiquidRun[bystander], e.p.grace)
			}
		})
	}
}

// TestValueExitLooksThroughLockdown closes chainNetwork's bystander (which
// sells only to households, so its revenue stops) by a lockdown for 6
// weeks, with a grace long enough to outlast it: it runs into arrears,
// but its owner knows the order is temporary, expects its
// revenue back and keeps it going, even though its bank scores it on its
// recent revenue (no finance.look_through).
func TestValueExitLooksThroughLockdown(t *testing.T) {
	cfg := lockdownOn(quietConfig(), 2, 6, "parts")
	cfg.Steps = 30
	cfg.Firms.Grace = units.MustDuration("52w")
	cfg.Firms.InsolvencyTime = units.MustDuration("52w")
	cfg.Firms.ValueExit = true
	net := chainNetwork(t)
	e := armEngine(t, cfg, net, false)
	arrears := 0
	r := runEngine(t, e, func(int) {
		if e.shortfall[3] {
			arrears++
		}
	})
	if arrears == 0 {
		t.Fatal("the bystander never runs into arrears: the test tests nothing")
	}
	if failed(r, net, "bystander") {
		t.Errorf("the bystander closed in a 6-week lockdown (cause %v) after %d steps in arrears", e.cause[3], arrears)
	}
}

// TestLiquidityThreadsSameResults is TestThreadsSameResults's check for
// slices 4–5: with screening through the cycle, owners' funds, informal
// credit and value exits on, the baseline and the arm of every
// intervention give the same results, bit for bit, on one thread and on
// three, and firms close both ways.
func TestLiquidityThreadsSameResults(t *testing.T) {
	cfg := threadedConfig()
	cfg.Finance.ScoreMemory, cfg.Finance.LookThrough = units.MustDuration("26w"), true
	cfg.Firms.SME.OwnerFunds, cfg.Firms.SME.InformalLimit = 0.01, 0.01
	cfg.Firms.ValueExit, cfg.Firms.ExpectedRecovery = true, units.MustDuration("52w")
	arms, err := cfg.ResolveArms(nil)
	if err != nil {
		t.Fatal(err)
	}
	causes := map[outcome.Cause]int{}
	for _, arm := range []config.Arm{arms[0], arms[len(arms)-1]} {
		ref, err := Run(context.Background(), cfg, arm, 0, Options{Threads: 1})
		if err != nil {
			t.Fatalf("arm %s, 1 thread: %v", arm.Name, err)
		}
		got, err := Run(context.Background(), cfg, arm, 0, Options{Threads: 3})
		if err != nil {
			t.Fatalf("arm %s, 3 threads: %v", arm.Name, err)
		}
		if !reflect.DeepEqual(ref.Series, got.Series) || !reflect.DeepEqual(ref.Events, got.Events) || !reflect.DeepEqual(ref.Firms, got.Firms) {
			t.Errorf("arm %s: results with 3 threads differ from 1 thread", arm.Name)
		}
		for _, ev := range ref.Events {
			causes[ev.Cause]++
		}
	}
	if causes[outcome.Illiquid] == 0 || causes[outcome.ExitValue] == 0 {
		t.Fatalf("closures by cause %v: want illiquid and exit-value, or the test tests little", causes)
	}
}

// TestScoreArrearsOnceNonPerforming: a firm with something unpaid loses
// 0.25 of its score at once, except under a through-the-cycle score in the
// banking system, which counts arrears only once its loan is
// non-performing (npl_after, 13 weeks).
func TestScoreArrearsOnceNonPerforming(t *testing.T) {
	const sme = 3 // the bystander
	for _, c := range []struct {
		banking   string
		look      bool
		weeks     int32 // steps in a row in arrears on debt service
		penalised bool
	}{
		{"legacy", false, 1, true},
		{"legacy", true, 1, true}, // no NPL status without the banking system
		{"system", false, 1, true},
		{"system", true, 1, false},
		{"system", true, 12, false},
		{"system", true, 13, true},
	} {
		cfg := bankedConfig()
		cfg.Finance.Banking, cfg.Finance.LookThrough = c.banking, c.look
		e := armEngine(t, cfg, chainNetwork(t), false)
		clean := e.updateScore(sme)
		e.shortfall[sme] = true
		if e.bs != nil {
			e.bs.arrearsRun[sme] = c.weeks
		}
		got := e.updateScore(sme)
		want := clean
		if c.penalised {
			want = max(0, clean-0.25)
		}
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s banking, look-through %v, %d weeks in arrears: score %v, want %v (%v without arrears)", c.banking, c.look, c.weeks, got, want, clean)
		}
	}
}
