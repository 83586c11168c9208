package outcome

import (
	"time"

	"github.com/smesim/smesim/sim/network"
)

// Status is a firm's state at the end of a run.
type Status uint8

// Firm states.
const (
	Active Status = iota
	Failed
	Exited  // closed in an orderly way (demography.exit_hazard), not a failure
	Dormant // in the entry pool, never entered
)

var statusNames = [...]string{"active", "failed", "exited", "dormant"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "active"
}

// Cause is why a firm failed.
type Cause uint8

// Causes of failure.
const (
	NoCause Cause = iota
	Illiquid
	Insolvent
	Exit       // a background exit (status Exited)
	ExitValue  // closed in an orderly way: going on was worth less than closing (firms.value_exit)
	KnockedOut // made to fail by a knock-out run (sim.Knockout)
)

func (c Cause) String() string {
	switch c {
	case Illiquid:
		return "illiquid"
	case Insolvent:
		return "insolvent"
	case Exit:
		return "exit"
	case ExitValue:
		return "exit-value"
	case KnockedOut:
		return "knocked-out"
	}
	return ""
}

// Channel is a bit set of the ways distress reached a failed firm.
type Channel uint16

// Channels of contagion and shock (DESIGN §8).
const (
	ChannelDemand Channel = 1 << iota
	ChannelCredit
	ChannelLostSupply
	ChannelLostOrders
	ChannelBadDebt
	ChannelGuaranteeCall
	ChannelLockdown
	ChannelImports
	numChannels = 8
)

var channelNames = [numChannels]string{"demand", "credit", "lost-supply", "lost-orders", "bad-debt", "guarantee-call", "lockdown", "imports"}

// ChannelNames lists the channel names in bit order.
func ChannelNames() []string { return channelNames[:] }

// Names returns the names of the channels set in c, in bit order.
func (c Channel) Names() []string {
	var out []string
	for i, n := range channelNames {
		if c&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Event is one firm failure.
type Event struct {
	Step       int32
	Firm       int32
	Cause      Cause
	Channels   Channel
	Parents    []int32 // firms whose failure reached this one within the cascade window
	Generation int32   // 0 for a root, else 1 + the largest parent generation
	Cascade    int32   // firm index of the cascade's generation-0 root
}

// FirmOutcomes are per-firm results of one run, indexed by firm.
type FirmOutcomes struct {
	Status        []Status
	FailStep      []int32   // -1 if active
	Cause         []Cause   // NoCause if active
	RevenueChange []float64 // revenue over the post-shock horizon against the pre-shock baseline, as a share (−0.3 = −30%)
	RunwayMonths  []float64 // months of fixed and wage costs the starting cash covers
	Jobs          []float64 // baseline employment
	// EnteredStep is the step at which a firm entered, −1 for incumbents
	// and dormant firms; nil when the run has no demography.
	EnteredStep []int32
}

// Result is the record of one arm and replication.
type Result struct {
	Arm         string
	Replication int
	Network     *network.Network
	StepDays    float64
	StartDate   time.Time
	ShockStep   int // first step of the earliest shock (the end of the pre-shock baseline)

	Metrics []string  // metric names, in column order
	Series  []float64 // Series[step*len(Metrics)+m]
	Firms   FirmOutcomes
	Events  []Event

	// Interventions holds what each intervention of the arm did, in the
	// order of the scenario's [[interventions]].
	Interventions []InterventionOutcome
}

// InterventionOutcome is what one intervention did in one run.
type InterventionOutcome struct {
	Name   string
	Kind   string
	Budget float64 // 0 for kinds without a budget
	// Used is what counted against the budget by the end of the run: the
	// most receivables financed at once (factoring), the principal
	// guaranteed or lent, the interest paid, the tax waived; for kinds
	// without a budget, the amount deferred (moratorium) or paid earlier
	// (payment-term-cap) — 0 where nothing is measured.
	Used float64
	// FiscalCost is the public money the intervention cost by the end of
	// the run: subsidies, tax waived, guarantee calls and policy loans
	// written off, less fees and interest received. Policy loans still
	// outstanding are assets of the state, not costs.
	FiscalCost float64
	// ExhaustedStep is the first step at which the budget was used up, or
	// -1 if it never was.
	ExhaustedStep int32
	// Firms counts the firms it reached (paid, lent to, guaranteed,
	// deferred, financed).
	Firms int
	// Money holds, per firm, what the firm received, counted as Used is:
	// its receivables financed at the programme's peak (factoring), the
	// principal guaranteed or lent, the interest paid, the tax waived,
	// the debt service deferred. The amounts add up to Used (up to the
	// rounding of a sum taken in another order). Nil for a payment-term
	// cap, which gives no money, and when firm outcomes are not recorded.
	Money []float64
}

// DropFirms empties the firm outcomes and the events of r, keeping its
// time series and intervention outcomes: what a run records with
// output.record = "aggregate". The per-firm arrays are released (Firms is
// the zero FirmOutcomes, Events nil), so that a large run keeps no
// per-firm memory past its end.
func (r *Result) DropFirms() {
	r.Firms = FirmOutcomes{}
	r.Events = nil
	for i := range r.Interventions {
		r.Interventions[i].Money = nil
	}
}

// Value returns metric m at step t.
func (r *Result) Value(step, m int) float64 { return r.Series[step*len(r.Metrics)+m] }

// Steps returns the number of recorded steps.
func (r *Result) Steps() int {
	if len(r.Metrics) == 0 {
		return 0
	}
	return len(r.Series) / len(r.Metrics)
}

// Date returns the calendar date of a step.
func (r *Result) Date(step int) time.Time {
	return r.StartDate.Add(time.Duration(float64(step) * r.StepDays * 24 * float64(time.Hour)))
}
