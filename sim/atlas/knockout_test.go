package atlas

import (
	"testing"

	"github.com/smesim/smesim/sim/outcome"
)

// result is a run of 4 steps, the shock from step 1, with output and
// employment per step and the firms' statuses and failure events.
func result(output, jobs [4]float64, status []outcome.Status, events []outcome.Event) *outcome.Result {
	r := &outcome.Result{ShockStep: 1, Metrics: outcome.MetricNames(), Firms: outcome.FirmOutcomes{Status: status}, Events: events}
	r.Series = make([]float64, 4*len(r.Metrics))
	for t := range 4 {
		r.Series[t*len(r.Metrics)+outcome.Output] = output[t]
		r.Series[t*len(r.Metrics)+outcome.Employment] = jobs[t]
	}
	return r
}

// TestCompare: firm 0 knocked out. Baseline: firm 3 fails. Knock-out: 0,
// 1 (in 0's cascade, bad debt), 2 (in 0's cascade, lost orders), 3 (its
// own). Failures: 3 others against 1 → 2. Output from step 1: baseline
// 100+100+100 = 300, knock-out 90+80+80 = 250 → 50/300. Job-steps:
// 10+10+10 = 30 against 9+8+7 = 24 → 6/30. Cascade of 0: firms 1 and 2,
// through bad debt and lost orders (3's credit channel is its own).
func TestCompare(t *testing.T) {
	F, A := outcome.Failed, outcome.Active
	base := result([4]float64{100, 100, 100, 100}, [4]float64{10, 10, 10, 10}, []outcome.Status{A, A, A, F},
		[]outcome.Event{{Firm: 3, Cascade: 3}})
	ko := result([4]float64{100, 90, 80, 80}, [4]float64{10, 9, 8, 7}, []outcome.Status{F, F, F, F},
		[]outcome.Event{{Firm: 0, Cascade: 0}, {Firm: 1, Cascade: 0, Channels: outcome.ChannelBadDebt},
			{Firm: 2, Cascade: 0, Channels: outcome.ChannelLostOrders}, {Firm: 3, Cascade: 3, Channels: outcome.ChannelCredit}})
	got := compare(base, ko, 0)
	want := Knockout{Failures: 2, Output: 50.0 / 300, Jobs: 6.0 / 30, Cascade: 2,
		Channels: outcome.ChannelBadDebt | outcome.ChannelLostOrders, Simulated: true}
	if got != want {
		t.Errorf("compare = %+v, want %+v", got, want)
	}
}

// TestKnockoutEncoding: Encode and DecodeKnockout round-trip exactly,
// negative losses included (a knock-out can save firms).
func TestKnockoutEncoding(t *testing.T) {
	for _, k := range []Knockout{
		{Failures: -13, Output: -0.0028600000000000001, Jobs: 1.0 / 3, Cascade: 0, Simulated: true},
		{Failures: 97, Output: 0.051251105, Jobs: 0.02, Cascade: 49, Channels: outcome.ChannelBadDebt | outcome.ChannelImports, Simulated: true},
	} {
		got, err := DecodeKnockout(k.Encode())
		if err != nil || got != k {
			t.Errorf("round trip of %+v: %+v, %v", k, got, err)
		}
	}
	for _, bad := range []string{"", "1 2 3 4", "1 2 3 x 5", "1 2 3 4 70000"} {
		if _, err := DecodeKnockout([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
