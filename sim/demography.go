// Phase 7, demography: background exits of active firms, wound up in an
// orderly way, and the entry of dormant firms of the entry pool, which
// join the network through partner search (docs/model.md, "Firm
// demography").

package sim

import (
	"fmt"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// demography is the state of background exit and entry; nil when the
// scenario has neither (and the network no entry pool).
//
// Exits: each active firm exits at step t when its counter-based uniform,
// keyed by (seed, replication, purpose, t, firm), falls below its class's
// step hazard (agents.StepHazard). The draw is the same in every arm, so
// a firm alive in two arms exits in both at the same step.
//
// Entry: per sector, agents.Entrants turns the sector's expected exits
// this step and the firms it has lost since the start into a count of
// entrants, which take the sector's dormant firms in index order until
// the pool is used up. The count is deterministic (a carry, no draw), and
// identical across arms as long as the arms lose the same firms.
type demography struct {
	hazard   [network.NumSizeClasses]float64 // per step, by size class
	exitKey  uint64
	orderly  float64 // orderly_recovery
	rate     float64 // entry_rate
	response float64 // entry_response, per step
	size     float64 // entrant_size

	entered []int32 // per firm: step of entry, −1 for incumbents (and dormant firms)
	exiting []int32 // scratch: firms exiting this step, in index order

	// Per sector.
	pool      []int32   // dormant firms of sector s: pool[poolStart[s]:poolStart[s+1]], by index
	poolStart []int32   //
	next      []int32   // next dormant firm to enter, an index into pool
	start     []float64 // active SMEs at step 0
	active    []float64 // active SMEs after this step's failures and exits
	locked    []float64 // of them, locked down this step
	expected  []float64 // expected background exits this step
	carry     []float64 // entry carried to the next step
	grossUp   []float64 // gross output per unit of final demand of the sector's incumbent SMEs

	// Counts: this step, and since the start.
	entries, exits                   int
	enteredAll, exitedAll, failedAll int
	entrantsActive                   int
	ownersIn, ownersOut              float64 // owners' equity paid into entrants and back from exits, this step
}

// initDemography sets up exits and entry when the scenario or the network
// asks for them; it runs after initFinance.
func (e *engine) initDemography() {
	dc := &e.cfg.Demography
	net := e.net
	if !e.cfg.RecordsDemography() {
		return
	}
	n := net.N()
	ns := len(net.SectorNames)
	d := &demography{
		exitKey:   mix(e.cfg.Seed, uint64(e.rep), streamExit),
		orderly:   dc.OrderlyRecovery,
		rate:      dc.EntryRate,
		response:  dc.EntryResponse / e.p.stepsPerYear,
		size:      dc.EntrantSize,
		entered:   make([]int32, n),
		exiting:   make([]int32, 0, n),
		poolStart: make([]int32, ns+1),
		next:      make([]int32, ns),
		start:     make([]float64, ns),
		active:    make([]float64, ns),
		locked:    make([]float64, ns),
		expected:  make([]float64, ns),
		carry:     make([]float64, ns),
		grossUp:   make([]float64, ns),
	}
	h := &dc.ExitHazard
	for c, y := range [network.NumSizeClasses]float64{network.Micro: h.Micro, network.Small: h.Small, network.Medium: h.Medium, network.Large: h.Large} {
		d.hazard[c] = agents.StepHazard(y, e.p.stepsPerYear)
	}
	fd := make([]float64, ns)
	for i := 0; i < n; i++ {
		d.entered[i] = -1
		s := net.Sector[i]
		if net.IsDormant(i) {
			d.poolStart[s+1]++
			continue
		}
		if net.Kind[i] == network.SME {
			d.start[s]++
			fd[s] += e.fdDomestic[i] + e.fdExport[i]
			d.grossUp[s] += e.baseOutput[i]
		}
	}
	for s := 0; s < ns; s++ {
		d.poolStart[s+1] += d.poolStart[s]
		d.grossUp[s] = max(1, d.grossUp[s]/max(fd[s], 1e-300))
		d.next[s] = d.poolStart[s]
	}
	d.pool = make([]int32, d.poolStart[ns])
	pos := append([]int32(nil), d.poolStart[:ns]...)
	for i := 0; i < n; i++ {
		if net.IsDormant(i) {
			s := net.Sector[i]
			d.pool[pos[s]] = int32(i)
			pos[s]++
		}
	}
	e.demo = d
}

// exitsAndCensus is phase 7's demography pass, after the distress
// failures: it counts the active SMEs of each sector and their expected
// background exits, draws who exits, and winds the exiting firms up in
// an orderly way, in firm order.
func (e *engine) exitsAndCensus(t int) {
	d := e.demo
	if d == nil {
		return
	}
	net := e.net
	d.entries, d.exits, d.ownersIn, d.ownersOut = 0, 0, 0, 0
	d.failedAll += len(e.failing)
	for _, f := range e.failing {
		if d.entered[f] >= 0 {
			d.entrantsActive--
		}
	}
	clear(d.active)
	clear(d.locked)
	clear(d.expected)
	d.exiting = d.exiting[:0]
	for i := range e.alive {
		if !e.alive[i] {
			continue
		}
		h := d.hazard[net.Class(i)]
		s := net.Sector[i]
		if net.Kind[i] == network.SME {
			d.active[s]++
			if e.lastLockdown[i] == int32(t) {
				d.locked[s]++
			}
		}
		if h > 0 {
			d.expected[s] += h
			if uniformAt(d.exitKey, t, i) < h {
				d.exiting = append(d.exiting, int32(i))
			}
		}
	}
	for _, f := range d.exiting {
		e.exit(int(f), t)
		if net.Kind[f] == network.SME {
			d.active[net.Sector[f]]--
		}
	}
	if ps := e.partners; ps != nil && ps.relink {
		// Buyers of the exiting firms look for new suppliers as for a
		// failed one.
		ps.pending = append(ps.pending, d.exiting...)
	}
}

// exit winds up firm f in an orderly way at step t: its assets fetch
// orderly_recovery of their book value, its creditors recover
// agents.OrderlyRecovery of their claims (all of them when the proceeds
// cover its debts) and what is left goes to its owners, in the external
// sector. Its neighbours are not counted as reached by a failure.
func (e *engine) exit(f, t int) {
	d := e.demo
	assets, liabilities := e.firmAssets(f), e.firmLiabilities(f)
	rr := agents.OrderlyRecovery(assets, liabilities, d.orderly)
	d.ownersOut += max(0, d.orderly*assets-liabilities)
	e.alive[f] = false
	e.failStep[f] = int32(t)
	e.dropFill(f)
	e.cause[f] = outcome.Exit
	e.hits.clear(f)
	e.liquidate(f, t, rr, false)
	d.exits++
	d.exitedAll++
	if d.entered[f] >= 0 {
		d.entrantsActive--
	}
}

// entries lets dormant firms enter at the end of phase 7, after partner
// search: per sector, agents.Entrants of its expected exits and of the
// SMEs it has lost since step 0, scaled by the share of its SMEs not
// locked down this step.
func (e *engine) entries(t int) {
	d := e.demo
	if d == nil {
		return
	}
	moved := false
	for s := range d.carry {
		if d.next[s] == d.poolStart[s+1] {
			continue // no pool, or used up
		}
		open := 1.0
		if d.active[s] > 0 {
			open -= d.locked[s] / d.active[s]
		}
		k, carry := agents.Entrants(d.expected[s], d.rate, d.start[s]-d.active[s], d.response, open, d.carry[s])
		d.carry[s] = carry
		for ; k > 0 && d.next[s] < d.poolStart[s+1]; k-- {
			e.enter(int(d.pool[d.next[s]]), t)
			d.next[s]++
			d.active[s]++
			moved = true
		}
	}
	if moved {
		e.rebuildOutEdges()
	}
}

// enter activates dormant firm i at step t. It sells entrant_size of its
// drawn final demand to final markets, with capacity for the gross output
// of an incumbent of that final demand, so that partner search finds it.
// Its owners bring its plant and its input inventories at target, in kind,
// as they do for incumbents at step 0. Each of its input links goes to a firm of
// the input's sector drawn by idle capacity (partner search's rule); a
// sector without idle capacity leaves the link to its template supplier.
// Its owners pay in the rest of its equity in cash (its starting cash,
// from its runway, less the bank loan it gets with a credit line): a
// transfer from the external sector.
func (e *engine) enter(i, t int) {
	d, net, p := e.demo, e.net, &e.p
	s := net.Sector[i]
	fd := net.FinalDemand[i] * p.stepDays / units.DaysPerYear
	x := d.size * fd
	e.fdExport[i] = x * net.ExportShare[i]
	e.fdDomestic[i] = x - e.fdExport[i]
	e.baseOutput[i] = x
	e.capacity[i] = (1 + e.cfg.Production.SpareCapacity) * max(x, d.grossUp[s]*fd)
	e.planned[i], e.demand[i], e.output[i] = x, x, 0 // entrants search partners: demand is kept
	e.revenueEMA[i] = x
	e.stockAtTarget(i, x)
	for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
		e.order[k], e.delivery[k], e.due[k] = 0, 0, 0
		if to := e.partners.pick(e, int(net.SlotSector[e.edgeSlotOf(int32(i), k)]), t, int(k)); to >= 0 && to != int32(i) {
			e.forgetReceivables(net.Supplier[k]) // the link leaves its out-links for to's
			e.forgetReceivables(to)
			e.setSupplier(int(k), to)
		}
		if e.crossBank != nil {
			e.crossBank[k] = e.bank[net.Supplier[k]] != e.bank[i]
		}
	}
	// With demand_switching, it takes its share of the sector's final
	// demand from the others.
	e.switchDemand(s, x)
	e.alive[i] = true
	kp := e.firmParams(i)
	l := e.openBooks(i, kp, units.DaysPerMonth/p.stepDays)
	c := e.cash[i]
	e.lent[i] += l
	e.toExternal[i] += l - c
	e.reserveIn[i] += c - l
	d.ownersIn += e.equity[i]
	d.entered[i] = int32(t)
	d.entries++
	d.enteredAll++
	d.entrantsActive++
}

// checkPopulation verifies the population identity at the end of step t:
// the active firms are the incumbents and entrants less those failed and
// exited, and every firm is active, failed, exited or still dormant.
func (e *engine) checkPopulation(t int) error {
	d := e.demo
	if d == nil {
		return nil
	}
	active := 0.0 // counted by phaseTotals
	for c := range e.chunks {
		active += e.chunks[c].row[outcome.FirmsActive]
	}
	dormant := len(d.pool)
	for s := range d.next {
		dormant -= int(d.next[s] - d.poolStart[s])
	}
	want := e.net.N() - dormant - d.failedAll - d.exitedAll
	if int(active) != want || dormant+d.enteredAll != len(d.pool) {
		return &AccountingError{Step: t, Account: "population", Detail: fmt.Sprintf(
			"%v firms active, expected %d (%d firms − %d dormant − %d failed − %d exited; %d entered of a pool of %d)",
			active, want, e.net.N(), dormant, d.failedAll, d.exitedAll, d.enteredAll, len(d.pool))}
	}
	return nil
}
