// Package sim is smesim's engine: it builds a production network, steps it
// through the phases of docs/model.md — shocks, final demand, orders,
// production and delivery, payments, finance, failure, record — on
// compressed arrays, keeps a double-entry ledger, attributes failures to
// cascades, and runs Monte Carlo replications.
//
// Each mechanism has a file named after its phase: shocks.go, demand.go,
// orders.go, production.go (with rationing), accrual.go and settlement.go
// (payments), credit.go (how a firm gets a bank loan), failure.go (with
// cascade attribution), rewire.go (partner search) and record.go (the
// metrics). The interventions have interventions.go (with the table of
// which parts of a step each kind changes), factoring.go, guarantees.go,
// policyloans.go and subsidies.go. step.go is the phase script, baseline.go
// the steady state the run starts from, ledger.go the accounting
// identities and parallel.go the threads. The decision rules of firms and
// banks are in package agents.
package sim

import (
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"time"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// params are the scenario's settings converted to steps.
type params struct {
	stepDays        float64
	steps           int
	finance         bool
	invTarget       float64 // steps of input use
	tau             float64 // inventory restoration time, steps
	rewiringDelay   int
	cascadeWindow   int
	grace           int
	insolvency      int
	recovery        float64
	pdBase          float64 // yearly default probability at score 1 (finance.pd_base)
	firstLoanTakeUp float64 // finance.first_loan_take_up
	loanMaturity    float64 // steps
	maxLoanToRev    float64
	scoreThreshold  float64
	smoothed        bool
	plannedIsOutput bool // planned output is last step's output, and no firm enters: engine.planned is engine.output
	linkInventory   bool // production.inventories = "link": a stock per edge
	rationing       rationRule
	smoothAlpha     float64
	demandNoise     float64
	shockStep       int
	revenueFrom     int // firms' revenue change is measured over [revenueFrom, revenueTo)
	revenueTo       int
	baselineSteps   int
	stepsPerYear    float64
	scoreAlpha      float64 // weight of a step in the credit score's averages (scoreAverages)
	lookThrough     bool    // the score's averages skip lockdown steps
}

// contagionMateriality is the smallest share of a firm's baseline output
// that a link to a failed firm must carry for that failure to count as a
// parent of the firm's own failure.
const contagionMateriality = 0.01

// engine is one replication of one arm, as struct-of-arrays state.
type engine struct {
	cfg    *config.Config
	net    *network.Network // the network stepped: built, or a copy rewired by partner search
	built  *network.Network // the network as built, which results refer to
	rep    int
	p      params
	shocks []shock
	shock  shockState
	start  time.Time

	lockdowns     []int       // indexes of lockdown shocks in shocks
	lockdownDraw  [][]float64 // per lockdown shock, a uniform per firm: closed while below the shock's share
	lockdownShare []float64   // this step, per lockdown shock
	imports       []int       // indexes of imports shocks
	capacityLeft  []float64   // this step, per firm: share of capacity capacity shocks leave (nil without them)
	importAvail   []float64   // this step, per imports shock
	noiseKey      uint64
	firstLoanKey  uint64    // finance.first_loan_take_up's counter-based draws
	exportWeights []float64 // per export market, its share of baseline exports (nil without exports)

	// Demand switching: per sector, the baseline final demand of all its
	// firms and of those alive, and their ratio, by which survivors' final
	// demand is scaled (nil when switching is off).
	sectorFD, sectorAliveFD, sectorScale []float64

	partners *partnerSearch // nil unless production.partner_search or an entry pool (rewire.go)
	demo     *demography    // nil without exits or entry (demography.go)
	knock    knockout       // the firm made to fail, if any (knockout.go)

	// Per firm: physical.
	alive       []bool
	failStep    []int32
	cause       []outcome.Cause
	baseOutput  []float64 // steady-state gross output per step
	capacity    []float64
	planned     []float64 // planned output (last production or smoothed demand); output itself with p.plannedIsOutput
	output      []float64 // this step
	demand      []float64 // orders received plus final demand, this step; nil without partner search, its only reader
	fdDomestic  []float64 // baseline final demand per step, domestic
	fdExport    []float64 // baseline final demand per step, exported
	fdNow       []float64 // final demand this step
	fdDelivered []float64
	fillRate    []float64 // share of its orders a firm filled last step (1 at baseline)
	inputShare  []float64 // intermediate and imported inputs per unit of output
	importInv   []float64
	importOrder []float64
	importBuy   []float64 // imports delivered this step

	// Per role (indexed by network.Role): imports per unit of output,
	// read through the firm's role byte rather than stored per firm.
	importCoeff [network.NumRoles]float64

	// Per slot (buyer, input sector) and per edge.
	slotCoeff []float64
	slotInv   []float64
	edgeCoeff []float64 // slotCoeff × weight, or flow ÷ the buyer's output; after building, nil but with link inventories or flows (edgeCoeffOf)
	edgeInv   []float64 // per edge, with production.inventories = "link" (nil otherwise); slotInv is then their sum per slot
	order     []float64
	delivery  []float64
	linkFill  []float64 // per edge: its supplier's fill rate as receive found it, which orders reads in sequence (see deliver); 0 where the supplier is not alive (dropFill)
	payable   []float64 // trade credit outstanding: the buyer owes the supplier (a change after settlement marks the supplier's receivables stale)
	due       []float64 // still due this step
	paidRound []float64 // paid in the current settlement round: the first writes every link's, later ones their payers' (paidFlag); never cleared

	// Per kind of firm (indexed by network.Kind): the parameters every
	// firm of a kind shares, read through the firm's kind byte rather than
	// stored per firm.
	kinds [2]kindParams

	// Per firm: money.
	bank         []int32
	cash         []float64
	loan         []float64
	loanRate     []float64 // per step
	equity       []float64 // tracked by flows, checked against the balance sheet
	owedExternal []float64 // wages, fixed costs and imports due, unpaid
	owedTax      []float64
	maturity     []float64 // per firm: its bank loans' maturity, steps; nil: every firm at params.loanMaturity
	linkTerm     []float64 // per edge: the buyer's payment term on the link, steps; nil: every link at the buyer's kind's termSteps
	fixedCost    []float64 // per step
	cashTarget   []float64
	buffer       []float64
	loanLimit    []float64
	runway       []float64 // months, at start
	illiquidRun  []int32
	insolventRun []int32
	repaid       []float64 // principal repaid this step (rolled over in finance)
	shortfall    []bool    // could not pay wages, taxes or debt service in full this step
	request      []float64
	score        []float64
	revenueEMA   []float64
	profitEMA    []float64 // smoothed profit after tax; starts at 0 (the baseline margin is not held against anyone)
	revBaseSum   []float64
	revPostSum   []float64
	scoreRevenue []float64 // revenue the bank scores, through the cycle (nil: revenueEMA; credit.go, scoreAverages)
	scoreProfit  []float64 // profit after tax the bank scores (nil with scoreRevenue)

	// Per firm step accumulators, reduced in firm order (deterministic).
	toExternal   []float64 // money from the firm's side to the external sector
	toGov        []float64
	toBank       []float64 // to its bank's capital (interest; negative: write-offs)
	reserveIn    []float64 // reserve flow into its bank caused by its transactions
	lent         []float64 // new loans to the firm (capitalised interest included)
	repaidAll    []float64 // principal repaid by or recovered from the firm
	writtenOff   []float64 // its loans written off
	netProfit    []float64 // profit after tax this step
	unpaidDebt   []float64 // debt service not paid in phase 5
	hasCredit    []bool    // has a bank credit line
	dueInterest  []float64 // this step's interest, unpaid
	duePrincipal []float64 // this step's principal instalment, unpaid
	dueTotal     []float64 // everything still due this step
	badDebt      []float64 // losses on receivables from failed buyers, this step

	// Per firm: its receivables, the payables on its out-links summed in
	// their order as collection last left them (collectRange), for the
	// balance-sheet check; NaN where they may have changed since (see
	// checkSheets). They hold for step receivablesStep only.
	receivables     []float64
	receivablesStep int
	crossListed     bool // the chunks list their links across chunks (initCrossLinks)

	// Per firm: last step each shock channel touched it.
	lastDemand, lastCredit, lastLockdown, lastImports []int32
	hits                                              hitLog // failed neighbours, for cascade attribution (failure.go)

	banks  []bankState
	bs     *bankSystem // finance.banking = "system" (banks.go); nil in legacy mode
	ledger ledger
	iv     ivState        // the arm's interventions
	liq    liquidityState // owners' funds, informal credit, the continuation-value rule (liquidity.go)

	generation []int32 // per failed firm
	cascade    []int32

	events  []outcome.Event
	metrics *recorder

	// Parallel phases (parallel.go) and the scratch of the sequential
	// parts, allocated once so that a step allocates nothing.
	arena          *arena // memory of the large arrays (hugepages_linux.go); freed by close
	netArena       *arena // memory of the network's arrays a step reads, when the engine built the network (hotNetwork)
	chunks         []chunkWork
	workers        workers
	collectFlag    []uint64  // bit i%64 of word i/64: firm i was paid in the current settlement round
	paidFlag       []uint64  // bit i%64 of word i/64: firm i paid in the current settlement round after the first (collectRange)
	crossBank      []bool    // per edge: buyer and supplier bank at different banks (nil with one bank)
	failing        []int32   // firms failing this step, in firm order
	losses         []int32   // firms whose writtenOff or badDebt winding-up wrote since the step began (clearLosses)
	touched        int       // chunks the last step's failures touched (flagTouched)
	grantShare     []float64 // per bank: share of this step's requests it funds
	bankDeposits   []float64 // per bank, scratch of checkBalanceSheets
	bankLoans      []float64
	bankFactored   []float64
	bankFactoredIn []float64 // per bank: receivables bought less repaid this step
}

// hit records that a failed firm reached this one through a channel.
type hit struct {
	firm    int32
	step    int32
	channel outcome.Channel
}

type bankState struct {
	capital, capitalTarget, capitalRatio float64
	loans, reserves                      float64
	factored                             float64 // receivables bought under supply chain finance
	size                                 float64 // loans + reserves + deposits + capital at the start: the scale of its identities
	baseRate, riskSpread                 float64
	bankBook                             // the banking system's books (banks.go); zero in legacy mode
}

// newEngine builds replication rep of cfg: network, steady state, balance
// sheets.
func newEngine(cfg *config.Config, rep int) (*engine, error) {
	net, err := BuildNetwork(cfg, rep)
	if err != nil {
		return nil, err
	}
	return buildEngine(cfg, net, rep, true)
}

// newEngineOn builds the engine on a given network, which it does not
// change.
func newEngineOn(cfg *config.Config, net *network.Network, rep int) (*engine, error) {
	return buildEngine(cfg, net, rep, false)
}

// buildEngine builds the engine on net; ownNet says that nothing else
// holds net yet, so that the engine may move its arrays (hotNetwork).
func buildEngine(cfg *config.Config, net *network.Network, rep int, ownNet bool) (*engine, error) {
	e := &engine{cfg: cfg, net: net, built: net, rep: rep, knock: knockout{firm: -1}}
	if err := e.compile(); err != nil {
		return nil, err
	}
	e.allocate(ownNet)
	rng := stream(cfg.Seed, rep, streamLockdown)
	for range e.lockdowns {
		draw := make([]float64, net.N())
		for i := range draw {
			draw[i] = rng.Float64()
		}
		e.lockdownDraw = append(e.lockdownDraw, draw)
	}
	if err := e.initPhysical(); err != nil {
		return nil, err
	}
	copy(e.scoreRevenue, e.baseOutput) // the bank's averages start at the steady state
	if err := e.initFinance(); err != nil {
		return nil, err
	}
	e.initLiquidity()
	e.initPartnerSearch()
	e.initDemography()
	e.metrics = newRecorder(e)
	e.initChunks()
	nb := len(e.banks)
	e.grantShare, e.bankDeposits, e.bankLoans = make([]float64, nb), make([]float64, nb), make([]float64, nb)
	e.bankFactored, e.bankFactoredIn = make([]float64, nb), make([]float64, nb)
	e.collectFlag, e.paidFlag = make([]uint64, (net.N()+63)/64), make([]uint64, (net.N()+63)/64)
	if len(e.banks) > 1 {
		e.crossBank = make([]bool, net.E())
		for k := range e.crossBank {
			e.crossBank[k] = e.bank[net.Supplier[k]] != e.bank[net.Buyer[k]]
		}
	}
	e.initCrossLinks()
	e.dropBuildArrays()
	return e, nil
}

// dropBuildArrays frees what only building needed: the input coefficient
// of each edge, which a step reads only with link inventories, and which
// otherwise follows from its slot's (edgeCoeffOf), unless it came from the
// network's flows.
func (e *engine) dropBuildArrays() {
	if e.p.linkInventory || e.net.Flow != nil {
		return
	}
	e.edgeCoeff = nil
	if e.arena != nil {
		debug.FreeOSMemory() // a large engine's peak is its run's: return the array now
	}
}

// edgeCoeffOf returns the input coefficient of edge k, an in-link of
// buyer b: what b uses of k's supplier per unit of output.
func (e *engine) edgeCoeffOf(b, k int32) float64 {
	if e.edgeCoeff != nil {
		return e.edgeCoeff[k]
	}
	return e.slotCoeff[e.edgeSlotOf(b, k)] * e.net.Weight[k]
}

// baseFlowOf returns the baseline flow per step on edge k, an in-link of
// buyer b.
func (e *engine) baseFlowOf(b, k int32) float64 { return e.edgeCoeffOf(b, k) * e.baseOutput[b] }

func (e *engine) compile() error {
	cfg := e.cfg
	d := cfg.Step.Days()
	if !(d > 0) {
		return fmt.Errorf("step: must be positive")
	}
	p := params{
		stepDays:        d,
		steps:           cfg.Steps,
		finance:         cfg.Finance.Enabled,
		invTarget:       cfg.Production.InventoryDays / d,
		tau:             math.Max(1, cfg.Production.RestorationTime.Steps(d)),
		rewiringDelay:   cfg.Production.RewiringDelay.WholeSteps(d),
		cascadeWindow:   max(1, cfg.Firms.CascadeWindow.WholeSteps(d)),
		grace:           max(1, cfg.Firms.Grace.WholeSteps(d)),
		insolvency:      max(1, cfg.Firms.InsolvencyTime.WholeSteps(d)),
		recovery:        cfg.Firms.RecoveryRate,
		pdBase:          cfg.Finance.PDBase,
		firstLoanTakeUp: cfg.Finance.FirstLoanTakeUp,
		loanMaturity:    math.Max(1, cfg.Finance.LoanMaturity.Steps(d)),
		maxLoanToRev:    cfg.Finance.MaxLoanToRevenue,
		scoreThreshold:  cfg.Finance.ScoreThreshold,
		smoothed:        cfg.Production.PlannedOutput == "smoothed-demand",
		linkInventory:   cfg.Production.Inventories == "link",
		rationing:       rationRules[cfg.Production.Rationing],
		smoothAlpha:     1 / math.Max(1, cfg.Production.DemandSmoothing.Steps(d)),
		demandNoise:     cfg.Production.DemandNoise,
		baselineSteps:   max(1, cfg.Firms.BaselineWindows.WholeSteps(d)),
		stepsPerYear:    units.DaysPerYear / d,
		scoreAlpha:      0.25,
		lookThrough:     cfg.Finance.LookThrough,
	}
	if m := cfg.Finance.ScoreMemory.Steps(d); m > 0 {
		p.scoreAlpha = 1 / math.Max(1, m)
	}
	shocks, err := compileShocks(cfg, e.net, d)
	if err != nil {
		return &ScenarioError{err}
	}
	e.shocks = shocks
	p.shockStep = p.steps
	for i, s := range shocks {
		p.shockStep = min(p.shockStep, int(s.start))
		switch s.kind {
		case shockLockdown:
			e.lockdowns = append(e.lockdowns, i)
		case shockImports:
			e.imports = append(e.imports, i)
		case shockCapacity:
			if e.capacityLeft == nil {
				e.capacityLeft = make([]float64, e.net.N())
			}
		}
	}
	p.revenueFrom, p.revenueTo = p.shockStep, p.steps
	if out := cfg.Output; out.RevenueTo.Days() > 0 {
		p.revenueFrom = min(p.steps, int(math.Round(out.RevenueFrom.Steps(d))))
		p.revenueTo = min(p.steps, int(math.Round(out.RevenueTo.Steps(d))))
	}
	p.plannedIsOutput = !p.smoothed && e.net.Dormant == nil
	e.p = p
	start, err := time.Parse("2006-01-02", cfg.StartDate)
	if err != nil {
		return fmt.Errorf("start_date: %q is not a date YYYY-MM-DD", cfg.StartDate)
	}
	e.start = start
	e.noiseKey = mix(cfg.Seed, uint64(e.rep), streamDemandNoise)
	e.firstLoanKey = mix(cfg.Seed, uint64(e.rep), streamFirstLoan)
	return nil
}

func (e *engine) allocate(ownNet bool) {
	n, m, s := e.net.N(), e.net.E(), e.net.Slots()
	e.arena = newArena(uintptr(n)*8*76 + uintptr(m)*8*12 + uintptr(s)*8*3)
	if e.arena != nil {
		if ownNet {
			e.hotNetwork()
		}
		// A large network leaves as much garbage from its generation as
		// it holds (and hotNetwork the arrays it moved): return it to the
		// system before the engine's arrays are filled, or the process's
		// peak memory is the sum of both.
		debug.FreeOSMemory()
	}
	f := func() []float64 { return alloc[float64](e.arena, n) }
	i32 := func() []int32 { return alloc[int32](e.arena, n) }
	e.alive = alloc[bool](e.arena, n)
	e.failStep, e.cause = i32(), make([]outcome.Cause, n)
	e.baseOutput, e.capacity, e.output = f(), f(), f()
	e.planned = e.output
	if !e.p.plannedIsOutput {
		e.planned = f()
	}
	if e.partnerSearchOn() {
		e.demand = f()
	}
	e.fdDomestic, e.fdExport, e.fdNow, e.fdDelivered, e.fillRate = f(), f(), f(), f(), f()
	e.importInv, e.importOrder, e.importBuy, e.inputShare = f(), f(), f(), f()
	e.slotCoeff, e.slotInv = alloc[float64](e.arena, s), alloc[float64](e.arena, s)
	if e.p.linkInventory {
		e.edgeInv = make([]float64, m)
	}
	fe := func() []float64 { return alloc[float64](e.arena, m) }
	e.order, e.delivery, e.payable, e.linkFill = fe(), fe(), fe(), fe()
	e.edgeCoeff = make([]float64, m) // on the heap: most engines drop it after building (dropBuildArrays)
	e.due, e.paidRound = fe(), fe()
	e.bank = i32()
	e.cash, e.loan, e.loanRate, e.equity, e.owedExternal, e.owedTax = f(), f(), f(), f(), f(), f()
	e.fixedCost = f()
	e.cashTarget, e.buffer, e.loanLimit, e.runway = f(), f(), f(), f()
	e.illiquidRun, e.insolventRun = i32(), i32()
	e.repaid, e.shortfall, e.request, e.score = f(), make([]bool, n), f(), f()
	e.revenueEMA, e.revBaseSum, e.revPostSum, e.profitEMA = f(), f(), f(), f()
	e.toExternal, e.toGov, e.toBank, e.reserveIn, e.badDebt = f(), f(), f(), f(), f()
	e.lent, e.repaidAll, e.writtenOff, e.netProfit, e.unpaidDebt = f(), f(), f(), f(), f()
	e.dueInterest, e.duePrincipal, e.dueTotal = f(), f(), f()
	e.receivables, e.receivablesStep = f(), -1
	e.hasCredit = make([]bool, n)
	if cfg := e.cfg.Finance; cfg.ScoreMemory.Days() > 0 || cfg.LookThrough {
		e.scoreRevenue, e.scoreProfit = make([]float64, n), make([]float64, n)
	}
	e.lastDemand, e.lastCredit, e.lastLockdown, e.lastImports = i32(), i32(), i32(), i32()
	e.hits = newHitLog(n)
	e.generation, e.cascade = i32(), i32()
	for i := 0; i < n; i++ {
		e.alive[i] = true
		e.failStep[i] = -1
		e.fillRate[i] = 1
		e.lastDemand[i], e.lastCredit[i], e.lastLockdown[i], e.lastImports[i] = -1<<30, -1<<30, -1<<30, -1<<30
	}
	for k := range e.linkFill {
		e.linkFill[k] = 1
	}
	if d := e.net.Dormant; d != nil {
		for i, dormant := range d {
			e.alive[i] = !dormant
		}
	}
	e.shock.demand = make([]float64, 1+len(e.net.MarketNames))
	e.shock.push = make([]float64, max(1, len(e.cfg.Banks)))
	for b := range e.shock.push {
		e.shock.push[b] = 1
	}
}

// hotNetwork moves the network's arrays that every step reads into memory
// of their own on huge pages (netArena), as the engine's arrays are: with
// 4 KiB pages the passes that walk a firm's links miss the TLB. The
// network holds the moved arrays in place of its own, so that it is held
// once; close copies them back to the Go heap, for the results, which
// refer to the network after the engine is gone. Only a network that
// nothing else holds yet may be moved (newEngine's).
func (e *engine) hotNetwork() {
	net := e.built
	size := uintptr(0)
	add := func(n, elem int) { size += (uintptr(n*elem) + 63) &^ 63 }
	add(net.N(), 1)
	add(net.N(), 1)
	for _, v := range [...][]int32{net.InStart, net.OutStart, net.SlotStart, net.SlotEdgeStart, net.Supplier, net.OutEdge} {
		add(len(v), 4)
	}
	add(len(net.Weight), 8)
	a := mapArena(size)
	if a == nil {
		return
	}
	e.netArena = a
	net.Kind, net.Role = clone(a, net.Kind), clone(a, net.Role)
	net.InStart, net.OutStart, net.SlotStart = clone(a, net.InStart), clone(a, net.OutStart), clone(a, net.SlotStart)
	net.SlotEdgeStart, net.Supplier, net.OutEdge = clone(a, net.SlotEdgeStart), clone(a, net.Supplier), clone(a, net.OutEdge)
	net.Weight = clone(a, net.Weight)
}

// coldNetwork copies the arrays hotNetwork moved back to the Go heap and
// frees their memory.
func (e *engine) coldNetwork() {
	a := e.netArena
	if a == nil {
		return
	}
	net := e.built
	net.Kind, net.Role = slices.Clone(net.Kind), slices.Clone(net.Role)
	net.InStart, net.OutStart, net.SlotStart = slices.Clone(net.InStart), slices.Clone(net.OutStart), slices.Clone(net.SlotStart)
	net.SlotEdgeStart, net.Supplier, net.OutEdge = slices.Clone(net.SlotEdgeStart), slices.Clone(net.Supplier), slices.Clone(net.OutEdge)
	net.Weight = slices.Clone(net.Weight)
	e.netArena = nil
	a.free()
}
