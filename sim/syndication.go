// Core syndication (finance.core_syndication, docs/model.md "Banks"): with
// the banking system, the loan of a core enterprise that banks with a
// national bank is shared by every national bank in proportion to its
// share, as a funded risk participation. Large firms borrow from many
// banks, and a bank may not lend one customer more than 10% of its
// capital (Commercial Bank Law art. 39; CBIRC Measures on Large
// Exposures, 2018); without the sharing a small network puts its few
// cores in one or two banks, and one core's failure moves a bank's
// capital by points that a large network spreads over dozens of cores.
//
// The lending bank keeps the loan and the firm keeps its bank: every
// per-firm flow is as before. Once per step, at the bank level, each
// national bank b with weight w_b (its share among the national banks)
// takes w_b of the capital flows of all the national banks' cores
// (interest, subsidies and guarantee calls paid to the bank, losses at
// failure and at the end of the workout) and w_b of their book (performing,
// non-performing and in workout) for provisions and risk weights, against
// what its own cores gave it. The difference of the flows is settled in
// reserves; the participation, w_b × the cores' book − its own cores' book,
// is an asset (negative: what it has sold), paid for in reserves as it
// changes. The transfers sum to zero over the banks, so every identity
// holds bank by bank and for the system.

package sim

import (
	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
)

// syndicate holds the participation's weights and its per-step scratch.
type syndicate struct {
	weight []float64 // per bank: share among the national banks; 0 for the others
	cores  []int32   // the core firms

	// Per bank, this step: its own cores' performing and non-performing
	// loans, expected loss, capital flows and workout losses falling due.
	perf, npl, expected, flow, workoutLoss []float64
	// Per bank, this step: what the participation adds to its performing
	// core loans, non-performing loans, expected loss and workout book.
	dCore, dNPL, dExpected, dWorkout []float64

	// The cores' part of the workout ring (workout.go), same indices.
	gross, recovered []float64
}

// newSyndicate returns the syndicate of the national banks, or nil when
// core_syndication is off.
func (e *engine) newSyndicate() *syndicate {
	if !e.cfg.Finance.CoreSyndication {
		return nil
	}
	nb := len(e.banks)
	sy := &syndicate{weight: make([]float64, nb)}
	total := 0.0
	for b, bc := range e.cfg.Banks {
		if bc.National() {
			sy.weight[b] = bc.Share
			total += bc.Share
		}
	}
	for b := range sy.weight {
		if total > 0 {
			sy.weight[b] /= total
		}
	}
	for i, k := range e.net.Kind {
		if k == network.Core {
			sy.cores = append(sy.cores, int32(i))
		}
	}
	for _, v := range []*[]float64{&sy.perf, &sy.npl, &sy.expected, &sy.flow, &sy.workoutLoss, &sy.dCore, &sy.dNPL, &sy.dExpected, &sy.dWorkout} {
		*v = make([]float64, nb)
	}
	if w := e.bs.workout.steps; w > 0 {
		sy.gross = make([]float64, (w+1)*nb)
		sy.recovered = make([]float64, (w+1)*nb)
	}
	return sy
}

// syndicated reports whether firm f's loan is in the syndicate: a core
// whose bank is national.
func (sy *syndicate) syndicated(e *engine, f int) bool {
	return sy != nil && e.net.Kind[f] == network.Core && sy.weight[e.bank[f]] > 0
}

// ownCores sums, per bank, its own syndicated cores' loans by status,
// their expected loss and, with flows, the capital they paid the bank this
// step.
func (e *engine) ownCores(flows bool) {
	bs, sy := e.bs, e.bs.syndicate
	clear(sy.perf)
	clear(sy.npl)
	clear(sy.expected)
	clear(sy.flow)
	for _, f := range sy.cores {
		i := int(f)
		b := e.bank[i]
		if sy.weight[b] == 0 {
			continue
		}
		if flows {
			sy.flow[b] += e.toBank[i]
		}
		l := e.loan[i]
		if !e.alive[i] || l <= 0 {
			continue
		}
		npl := !bs.performing(i)
		if npl {
			sy.npl[b] += l
		} else {
			sy.perf[b] += l
		}
		sy.expected[b] += bs.expectedLoss(e.score[i], l, npl)
	}
}

// participate settles the step's participation, once the step's flows are
// on the banks' books and the workout's losses are due: each national bank
// gets its weight's part of the cores' capital flows against its own (in
// capital and reserves), pays in reserves for the change of its
// participation, and the per-bank adjustments of the book (dCore, dNPL,
// dExpected, dWorkout) are set for closeBankBooks.
func (e *engine) participate() {
	sy := e.bs.syndicate
	e.ownCores(true)
	var flow, perf, npl, expected, workout float64
	for b := range e.banks {
		flow += sy.flow[b] - sy.workoutLoss[b]
		perf += sy.perf[b]
		npl += sy.npl[b]
		expected += sy.expected[b]
		workout += e.banks[b].coreWorkout
	}
	book := perf + npl + workout
	for b := range e.banks {
		bk, w := &e.banks[b], sy.weight[b]
		if w == 0 {
			continue
		}
		t := w*flow - (sy.flow[b] - sy.workoutLoss[b])
		part := w*book - (sy.perf[b] + sy.npl[b] + bk.coreWorkout)
		bk.capital += t
		bk.reserves += t - (part - bk.participation)
		bk.participation = part
		sy.dCore[b] = w*perf - sy.perf[b]
		sy.dNPL[b] = w*npl - sy.npl[b]
		sy.dExpected[b] = w*expected - sy.expected[b]
		sy.dWorkout[b] = w*workout - bk.coreWorkout
	}
}

// openParticipation sets each national bank's participation at the start,
// before its capital: its performing core loans and provisions become its
// weight's part of the cores' (all performing at the start).
func (e *engine) openParticipation() {
	sy := e.bs.syndicate
	e.ownCores(false)
	var perf, expected float64
	for b := range e.banks {
		perf += sy.perf[b]
		expected += sy.expected[b]
	}
	for b := range e.banks {
		bk, w := &e.banks[b], sy.weight[b]
		if w == 0 {
			continue
		}
		bk.participation = w*perf - sy.perf[b]
		bk.coreLoans += bk.participation
		bk.provisions += w*expected - sy.expected[b]
	}
}

// expectedLoss is what a loan l to a borrower of credit score score must
// be provisioned at: its twelve-month expected loss if performing, its
// loss given default if not.
func (bs *bankSystem) expectedLoss(score, l float64, npl bool) float64 {
	return agents.ProvisionRate(agents.DefaultProbability(bs.pdBase, score), bs.lgd, npl) * l
}
