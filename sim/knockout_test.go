package sim

import (
	"slices"
	"testing"

	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// TestKnockoutOfCoreReproducesCascade: knocking out the core of the chain
// network makes the same cascade as TestCascadeGenerations, where the core
// fails of its own accord: supplier, generation 1 through bad debt and
// lost orders; raw, generation 2 through the same channels; the bystander
// stays. Without the knock-out nobody fails. The timing differs a little:
// there the core failed at step 1, after a step of illiquidity, the
// supplier at 9 and raw at 16; here the core at 0, the supplier at 10 and
// raw at 15.
func TestKnockoutOfCoreReproducesCascade(t *testing.T) {
	run := func(knock *Knockout) *outcome.Result {
		t.Helper()
		cfg := quietConfig()
		cfg.Firms.CascadeWindow = units.MustDuration("1y")
		e, err := newEngineOn(cfg, chainNetwork(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		e.p.scoreThreshold = 2 // no bank lends, as in TestCascadeGenerations
		if err := e.setKnockout(knock); err != nil {
			t.Fatal(err)
		}
		res, err := e.run("baseline")
		if err != nil {
			t.Fatal(err)
		}
		if e.ledger.maxResidual > ledgerTolerance {
			t.Errorf("ledger residual %g", e.ledger.maxResidual)
		}
		return res
	}
	if base := run(nil); len(base.Events) != 0 {
		t.Fatalf("failures without a knock-out: %+v", base.Events)
	}
	res := run(&Knockout{Firm: 0})
	type failure struct {
		firm       string
		step       int32
		cause      outcome.Cause
		generation int32
		parents    []int32
		channels   outcome.Channel
	}
	var got []failure
	for _, ev := range res.Events {
		if ev.Cascade != 0 {
			t.Errorf("%s: cascade %d, want 0 (the core)", res.Network.Name(int(ev.Firm)), ev.Cascade)
		}
		got = append(got, failure{res.Network.Name(int(ev.Firm)), ev.Step, ev.Cause, ev.Generation, ev.Parents,
			ev.Channels & (outcome.ChannelBadDebt | outcome.ChannelLostOrders | outcome.ChannelLostSupply)})
	}
	want := []struct {
		firm       string
		cause      outcome.Cause
		step       int32
		generation int32
		parents    []int32
		channels   outcome.Channel
	}{
		{"core", outcome.KnockedOut, 0, 0, nil, 0},
		{"supplier", outcome.Illiquid, 10, 1, []int32{0}, outcome.ChannelBadDebt | outcome.ChannelLostOrders},
		{"raw", outcome.Illiquid, 15, 2, []int32{1}, outcome.ChannelBadDebt | outcome.ChannelLostOrders},
	}
	if len(got) != len(want) {
		t.Fatalf("failures %+v, want %d", got, len(want))
	}
	for k, w := range want {
		g := got[k]
		if g.firm != w.firm || g.step != w.step || g.cause != w.cause || g.generation != w.generation || !slices.Equal(g.parents, w.parents) || g.channels != w.channels {
			t.Errorf("failure %d: %+v, want %+v", k, g, w)
		}
	}
}

// TestKnockoutBadFirm: a firm outside the network is an error, not a panic.
func TestKnockoutBadFirm(t *testing.T) {
	e, err := newEngineOn(quietConfig(), chainNetwork(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []int{-1, 4} {
		if err := e.setKnockout(&Knockout{Firm: f}); err == nil {
			t.Errorf("firm %d: no error", f)
		}
	}
}
