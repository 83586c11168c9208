package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// intervention is an InterventionConfig of the running arm compiled into
// steps, with what it has done so far.
type intervention struct {
	index      int // in Config.Interventions
	name, kind string
	cfg        *InterventionConfig
	start, end int // active on steps [start, end)
	hasBudget  bool
	budget     float64
	eligible   []bool // static eligibility (kind of firm, sector, role, region); nil: every firm

	active    bool    // this step
	scale     float64 // this step: share of requests the remaining budget covers
	used      float64 // counted against the budget (factoring: the most outstanding)
	cost      float64 // fiscal cost so far
	exhausted int32   // first step the budget was used up, -1 if never
	reached   []bool  // firms reached
}

// remaining returns the budget left, +Inf for kinds without a budget.
func (iv *intervention) remaining() float64 {
	if iv == nil {
		return 0
	}
	if !iv.hasBudget {
		return math.Inf(1)
	}
	return max(0, iv.budget-iv.used)
}

// spend counts v against the budget at step t.
func (iv *intervention) spend(v float64, t int) {
	iv.used += v
	iv.noteExhausted(t)
}

func (iv *intervention) noteExhausted(t int) {
	if iv.hasBudget && iv.exhausted < 0 && iv.used >= iv.budget*(1-1e-12) {
		iv.exhausted = int32(t)
	}
}

// budgetScale returns the share of this step's requests, totalling
// requested, that the remaining budget covers.
func (iv *intervention) budgetScale(requested float64) float64 {
	rem := iv.remaining()
	if requested <= rem {
		return 1
	}
	return rem / requested
}

// ivState is the interventions of the running arm and their per-firm and
// per-edge state. Arrays are allocated only for the kinds the arm applies.
type ivState struct {
	list []*intervention

	scf, policy, guarantee, subsidy, moratorium, relief, termCap *intervention

	snapshotStep int
	viable       []bool // per firm: viable at snapshotStep

	// supply-chain-finance
	anchor         []int32   // per edge: the participating core whose risk prices the receivable, -1 if none
	factored       []float64 // per edge: the part of the payable a bank has bought
	scfBuy         []float64 // per edge: bought this step
	paidBankRound  []float64 // per edge: paid to the factor (the supplier's bank) in the current round
	discount       []float64 // per edge: this step's discount on what is bought
	guarantor      []int32   // per firm: the core guaranteeing its loans, -1 if none
	guaranteeCap   []float64 // per firm: most it may borrow under the core's guarantee
	coreGuaranteed []float64 // per firm: its bank loan guaranteed by its core
	callDue        []float64 // per firm (core): guarantee calls still to pay its bank
	reqCore        []float64 // per firm: part of this step's request under the core's guarantee
	coreScore      []float64 // per firm: credit scores at the start of the credit phase
	termCapSteps   float64
	scfSpreadStep  float64

	// policy-loan
	govLoan, govDueInterest, govDuePrincipal, govUnpaid []float64
	govRate, govTerm                                    float64
	applicants                                          []int32

	// loan-guarantee
	stateGuaranteed []float64 // per firm: bank loan principal the state guarantees
	reqState        []bool    // per firm: this step's request is state-guaranteed
	// interest-subsidy
	newPrincipal []float64 // per firm: bank loan borrowed while the subsidy is active
	// all credit kinds: loan at the start of the step, for amortising the above
	loanStart []float64

	// Per firm step accumulators (reduced in firm order).
	govIn, govOut                            []float64 // to and from the government's account
	factNew, factRepaid, factWrittenOff      []float64 // the supplier's bank's factored claims
	callsState, callsCore                    []float64 // guarantee calls on the firm's loans
	subsidyPaid, reliefGiven, feePaid        []float64
	policyInterest, policyLosses             []float64
	deferred, accelerated                    []float64 // moratorium; payment-term-cap
	granted, addState, addCore, addNew, need []float64 // per firm scratch of the credit phase
	effScore                                 []float64 // per firm: the score the bank prices this step's request on
	stepCost                                 float64   // fiscal cost of this step
}

// on reports whether the arm applies any intervention.
func (s *ivState) on() bool { return len(s.list) > 0 }

// applyArm compiles the interventions of arm onto the engine, before the
// first step. Building them draws nothing from the streams the baseline
// uses, so every arm of a replication shares the network, the firms and
// the shocks.
func (e *engine) applyArm(arm Arm) error {
	if len(arm.Interventions) == 0 {
		return nil
	}
	if !e.p.finance {
		return &ScenarioError{fmt.Errorf("arm %s: interventions need finance.enabled = true", arm.Name)}
	}
	n := e.net.N()
	s := &e.iv
	f := func() []float64 { return make([]float64, n) }
	s.govIn, s.govOut = f(), f()
	s.factNew, s.factRepaid, s.factWrittenOff = f(), f(), f()
	s.callsState, s.callsCore = f(), f()
	s.subsidyPaid, s.reliefGiven, s.feePaid = f(), f(), f()
	s.policyInterest, s.policyLosses = f(), f()
	s.deferred, s.accelerated = f(), f()
	s.loanStart = f()
	s.granted, s.addState, s.addCore, s.addNew, s.need, s.effScore = f(), f(), f(), f(), f(), f()
	s.viable = make([]bool, n)
	// Viability is judged just before the shock or the earliest
	// intervention of the scenario, whichever comes first — the same step
	// in every arm, so that eligibility does not depend on the arm.
	s.snapshotStep = e.p.shockStep
	for i := range e.cfg.Interventions {
		s.snapshotStep = min(s.snapshotStep, e.interventionStart(&e.cfg.Interventions[i]))
	}
	for _, idx := range arm.Interventions {
		ic := &e.cfg.Interventions[idx]
		iv := &intervention{index: idx, name: e.cfg.InterventionName(idx), kind: ic.Kind, cfg: ic,
			exhausted: -1, reached: make([]bool, n)}
		iv.start = e.interventionStart(ic)
		iv.end = max(int(math.Round(e.interventionFrom(ic)+ic.End.Steps(e.p.stepDays))), iv.start+1)
		iv.hasBudget = slices.Contains(BudgetKinds, ic.Kind)
		iv.budget = ic.Budget
		where := fmt.Sprintf("interventions[%d] (%s)", idx, iv.name)
		var slot **intervention
		switch ic.Kind {
		case KindSupplyChainFinance:
			slot = &s.scf
			if err := e.compileSCF(iv, where); err != nil {
				return &ScenarioError{err}
			}
		case KindPolicyLoan:
			slot = &s.policy
			s.govLoan, s.govDueInterest, s.govDuePrincipal, s.govUnpaid = f(), f(), f(), f()
			s.govRate = units.PerStep(ic.Rate, e.p.stepDays)
			s.govTerm = max(1, ic.Term.Steps(e.p.stepDays))
		case KindLoanGuarantee:
			slot = &s.guarantee
			s.stateGuaranteed = f()
			s.reqState = make([]bool, n)
		case KindInterestSubsidy:
			slot = &s.subsidy
			s.newPrincipal = f()
		case KindMoratorium:
			slot = &s.moratorium
		case KindTaxRelief:
			slot = &s.relief
		case KindPaymentTermCap:
			slot = &s.termCap
			s.termCapSteps = max(1, ic.MaxTerm.Steps(e.p.stepDays))
		default:
			return &ScenarioError{fmt.Errorf("%s: unknown kind %q", where, ic.Kind)}
		}
		if *slot != nil {
			return &ScenarioError{fmt.Errorf("arm %s applies two %s interventions", arm.Name, ic.Kind)}
		}
		*slot = iv
		if ic.Kind != KindSupplyChainFinance && ic.Kind != KindPaymentTermCap {
			el, err := e.eligibility(ic)
			if err != nil {
				return &ScenarioError{fmt.Errorf("%s: %w", where, err)}
			}
			iv.eligible = el
		}
		s.list = append(s.list, iv)
	}
	return nil
}

// interventionFrom returns the step an intervention's start and end count
// from.
func (e *engine) interventionFrom(ic *InterventionConfig) float64 {
	if ic.From == "shock" {
		return float64(e.p.shockStep)
	}
	return 0
}

// interventionStart returns the first step an intervention is active.
func (e *engine) interventionStart(ic *InterventionConfig) int {
	return int(math.Round(e.interventionFrom(ic) + ic.Start.Steps(e.p.stepDays)))
}

// eligibility returns the static eligibility of a government programme:
// kind of firm, sectors, roles and regions (nil: every firm).
func (e *engine) eligibility(ic *InterventionConfig) ([]bool, error) {
	net := e.net
	if !ic.SMEOnly && len(ic.Sectors) == 0 && len(ic.Roles) == 0 && len(ic.Regions) == 0 {
		return nil, nil
	}
	sectors, err := nameSet("sectors", ic.Sectors, net.SectorNames)
	if err != nil {
		return nil, err
	}
	regions, err := nameSet("regions", ic.Regions, net.RegionNames)
	if err != nil {
		return nil, err
	}
	roles, err := nameSet("roles", ic.Roles, network.RoleNames())
	if err != nil {
		return nil, err
	}
	el := make([]bool, net.N())
	for i := range el {
		el[i] = (!ic.SMEOnly || net.Kind[i] == network.SME) &&
			(sectors == nil || sectors[net.Sector[i]]) &&
			(regions == nil || regions[net.Region[i]]) &&
			(roles == nil || roles[net.Role[i]])
	}
	return el, nil
}

// compileSCF chooses the participating cores and marks the receivables
// (factoring) or the suppliers (guarantee) the programme covers.
func (e *engine) compileSCF(iv *intervention, where string) error {
	net, ic, s := e.net, iv.cfg, &e.iv
	n := net.N()
	participates := make([]bool, n)
	if len(ic.Cores) > 0 {
		byName := make(map[string]int, n)
		for i := 0; i < n; i++ {
			byName[net.Name(i)] = i
		}
		for _, id := range ic.Cores {
			i, ok := byName[id]
			if !ok {
				return fmt.Errorf("%s: cores: no firm %q in the network", where, id)
			}
			if net.Kind[i] != network.Core {
				return fmt.Errorf("%s: cores: firm %q is an SME, not a core firm", where, id)
			}
			participates[i] = true
		}
	} else {
		key := mix(e.cfg.Seed, uint64(e.rep), streamParticipation, uint64(iv.index))
		for i := 0; i < n; i++ {
			participates[i] = net.Kind[i] == network.Core && uniformAt(key, 0, i) < ic.CoreShare
		}
	}
	guarantee := ic.Mode == "guarantee"
	anchor := make([]int32, net.E())
	for k := range anchor {
		anchor[k] = -1
	}
	// Tier 1: the participating cores' SME suppliers.
	for c := 0; c < n; c++ {
		if !participates[c] {
			continue
		}
		for k := net.InStart[c]; k < net.InStart[c+1]; k++ {
			if net.Kind[net.Supplier[k]] == network.SME {
				anchor[k] = int32(c)
			}
		}
	}
	if ic.Tiers >= 2 {
		// Tier 2: the SME suppliers of tier-1 suppliers, through the first
		// (lowest-index) core each tier-1 supplier serves.
		tier1 := make([]int32, n)
		for i := range tier1 {
			tier1[i] = -1
		}
		for k, c := range anchor {
			if c >= 0 && tier1[net.Supplier[k]] < 0 {
				tier1[net.Supplier[k]] = c
			}
		}
		for b := 0; b < n; b++ {
			c := tier1[b]
			if c < 0 {
				continue
			}
			for k := net.InStart[b]; k < net.InStart[b+1]; k++ {
				if anchor[k] < 0 && net.Kind[net.Supplier[k]] == network.SME {
					anchor[k] = c
				}
			}
		}
	}
	if guarantee {
		s.guarantor = make([]int32, n)
		s.guaranteeCap = make([]float64, n)
		s.coreGuaranteed = make([]float64, n)
		s.callDue = make([]float64, n)
		s.coreScore = make([]float64, n)
		s.reqCore = make([]float64, n)
		for i := range s.guarantor {
			s.guarantor[i] = -1
		}
		for k, c := range anchor {
			if c >= 0 && s.guarantor[net.Supplier[k]] < 0 {
				sup := net.Supplier[k]
				s.guarantor[sup] = c
				s.guaranteeCap[sup] = ic.GuaranteeLimit * e.baseRevenue[sup] * e.p.stepsPerYear
			}
		}
		return nil
	}
	s.anchor = anchor
	s.factored = make([]float64, net.E())
	s.scfBuy = make([]float64, net.E())
	s.paidBankRound = make([]float64, net.E())
	s.discount = make([]float64, net.E())
	s.scfSpreadStep = units.PerStep(ic.DiscountSpread, e.p.stepDays)
	return nil
}

// ivBegin opens step t for the interventions: which are active, and the
// viability snapshot taken just before the shock (or the first
// intervention, if earlier).
func (e *engine) ivBegin(t int) {
	s := &e.iv
	if !s.on() {
		return
	}
	if t == s.snapshotStep {
		for i := range s.viable {
			s.viable[i] = e.alive[i] && e.equity[i] > 0 && e.illiquidRun[i] == 0 && e.score[i] >= e.p.scoreThreshold
		}
	}
	for _, iv := range s.list {
		// Factoring's budget is a revolving limit on what is outstanding,
		// which factorReceivables enforces; the others' budgets are spent.
		revolving := iv.kind == KindSupplyChainFinance && s.anchor != nil
		iv.active = t >= iv.start && t < iv.end && (!iv.hasBudget || revolving || iv.remaining() > 0)
		if t >= iv.start && t < iv.end && iv.hasBudget && iv.budget <= 0 && iv.exhausted < 0 {
			iv.exhausted = int32(t)
		}
		iv.scale = 1
	}
}

// eligible reports whether firm i may use programme iv now: alive, of an
// eligible kind, sector, role and region, with revenue down by at least
// revenue_drop and, if required, viable before the shock.
func (e *engine) eligible(iv *intervention, i int) bool {
	if iv == nil || !iv.active || !e.alive[i] || iv.eligible != nil && !iv.eligible[i] {
		return false
	}
	c := iv.cfg
	if c.RevenueDrop > 0 && e.revenueEMA[i] > (1-c.RevenueDrop)*e.baseRevenue[i] {
		return false
	}
	return !c.ViableBefore || e.iv.viable[i]
}

// amortise carries the guaranteed and subsidised parts of firm i's bank
// loan through the step: they shrink with its repayments, grow with what
// was borrowed under the programme, and never exceed the loan.
func amortise(v []float64, i int, repaidShare, added, loan float64) {
	if v == nil {
		return
	}
	v[i] = min(loan, v[i]*(1-repaidShare)+added)
}

// factorReceivables is the supply-chain-finance purchase of the step,
// between accrual and payments: each SME supplier whose cash is below its
// target sells to its bank up to advance_rate of each covered receivable,
// at a discount priced on the anchor core's loan rate over the payer's
// payment term, while the programme's outstanding total stays within its
// budget.
func (e *engine) factorReceivables(t int) {
	s, net := &e.iv, e.net
	iv := s.scf
	if iv == nil || s.anchor == nil || !iv.active {
		return
	}
	adv := iv.cfg.AdvanceRate
	want := 0.0
	outstanding := 0.0
	for k, c := range s.anchor {
		s.scfBuy[k] = 0
		outstanding += s.factored[k]
		if c < 0 {
			continue
		}
		sup, b := net.Supplier[k], net.Buyer[k]
		if !e.alive[sup] || !e.alive[b] || e.cash[sup] >= e.cashTarget[sup] {
			continue
		}
		if w := adv*e.payable[k] - s.factored[k]; w > 0 {
			s.scfBuy[k] = w
			want += w
		}
	}
	if want <= 0 {
		return
	}
	scale := 1.0
	if room := max(0, iv.budget-outstanding); want > room {
		scale = room / want
	}
	bought := 0.0
	for k, c := range s.anchor {
		w := s.scfBuy[k]
		if w <= 0 {
			continue
		}
		w *= scale
		s.scfBuy[k] = w
		s.factored[k] += w
		bought += w
		s.discount[k] = min(1, (e.loanRate[c]+s.scfSpreadStep)*e.termSteps[net.Buyer[k]])
	}
	// The seller side, pulled per supplier.
	for sup := 0; sup < net.N(); sup++ {
		for j := net.OutStart[sup]; j < net.OutStart[sup+1]; j++ {
			k := net.OutEdge[j]
			w := s.scfBuy[k]
			if w <= 0 {
				continue
			}
			d := s.discount[k] * w
			e.cash[sup] += w - d
			e.equity[sup] -= d
			e.toBank[sup] += d
			s.factNew[sup] += w
			iv.reached[sup] = true
		}
	}
	iv.used = max(iv.used, outstanding+bought)
	iv.noteExhausted(t)
}

// allocatePolicyLoans is the policy-loan phase, after bank credit: eligible
// firms that still lack cash apply, and the budget serves them in arrival
// order (first-come, a random order within the step that every arm of the
// replication shares) or by need relative to revenue (most-in-need) until
// it runs out.
func (e *engine) allocatePolicyLoans(t int) {
	s := &e.iv
	iv := s.policy
	if iv == nil || !iv.active {
		return
	}
	ic := iv.cfg
	need := s.need
	for _, a := range s.applicants {
		need[a] = 0
	}
	s.applicants = s.applicants[:0]
	for i := range e.alive {
		if !e.eligible(iv, i) {
			continue
		}
		if ic.Channel == "banks" && (!e.hasCredit[i] || e.score[i] < e.p.scoreThreshold+e.shock.score) {
			continue
		}
		nd := max(0, e.buffer[i]-e.cash[i]) + e.owedExternal[i] + e.owedTax[i] + e.unpaidDebt[i] + s.govUnpaid[i]
		room := ic.MaxPerFirm*e.baseRevenue[i]*e.p.stepsPerYear - s.govLoan[i]
		nd = min(nd, room)
		if nd <= 1e-9*e.baseOutput[i] {
			continue
		}
		need[i] = nd
		s.applicants = append(s.applicants, int32(i))
	}
	if ic.Allocation == "most-in-need" {
		slices.SortFunc(s.applicants, func(a, b int32) int {
			ra, rb := need[a]/e.baseRevenue[a], need[b]/e.baseRevenue[b]
			if c := cmp.Compare(rb, ra); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
	} else {
		key := mix(e.cfg.Seed, uint64(e.rep), streamPolicyQueue, uint64(iv.index))
		slices.SortFunc(s.applicants, func(a, b int32) int {
			if c := cmp.Compare(uniformAt(key, t, int(a)), uniformAt(key, t, int(b))); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
	}
	for _, a := range s.applicants {
		i := int(a)
		g := min(need[i], iv.budget-iv.used)
		if g <= 0 {
			continue
		}
		s.govLoan[i] += g
		e.cash[i] += g
		e.reserveIn[i] += g
		s.govOut[i] += g
		iv.used += g
		iv.reached[i] = true
	}
	iv.noteExhausted(t)
}

// ivRequests sizes, before accrual, what the budget-limited interest
// subsidy and tax relief would pay this step at full scale, and sets
// their scale so that the budget is never exceeded.
func (e *engine) ivRequests() {
	s := &e.iv
	if iv := s.subsidy; iv != nil && iv.active {
		total := 0.0
		for i := range e.alive {
			total += e.subsidyFor(i)
		}
		iv.scale = iv.budgetScale(total)
	}
	if iv := s.relief; iv != nil && iv.active {
		total := 0.0
		for i := range e.alive {
			if e.eligible(iv, i) {
				total += e.reliefRequest(iv, i)
			}
		}
		iv.scale = iv.budgetScale(total)
	}
}

// subsidyFor returns the interest the state pays for firm i this step, at
// the subsidy's current scale (0 without an active subsidy).
func (e *engine) subsidyFor(i int) float64 {
	iv := e.iv.subsidy
	if iv == nil || !e.eligible(iv, i) {
		return 0
	}
	return iv.scale * iv.cfg.Share * e.subsidyBase(i) * e.loanRate[i]
}

// subsidyBase returns the loan on which firm i's interest is subsidised.
func (e *engine) subsidyBase(i int) float64 {
	if e.iv.subsidy.cfg.Loans == "new" {
		return min(e.iv.newPrincipal[i], e.loan[i])
	}
	return e.loan[i]
}

// reliefRequest returns the tax and contributions firm i would have waived
// this step at full scale.
func (e *engine) reliefRequest(iv *intervention, i int) float64 {
	wage := e.wageBill(i)
	c := iv.cfg
	return c.ContributionCut*c.ContributionShare*wage + c.TaxCut*e.taxRate[i]*max(0, e.profitBeforeTax(i, wage, e.subsidyFor(i)))
}

// wageBill returns firm i's wages and contributions this step.
func (e *engine) wageBill(i int) float64 {
	return e.wage[i] * (1 - e.wageFlex[i]*(1-min(1, e.output[i]/e.baseOutput[i])))
}

// profitBeforeTax returns firm i's profit this step before relief, with
// the interest subsidy sub.
func (e *engine) profitBeforeTax(i int, wage, sub float64) float64 {
	x := e.output[i]
	interest := e.loan[i]*e.loanRate[i] - sub
	if e.iv.govLoan != nil {
		interest += e.iv.govLoan[i] * e.iv.govRate
	}
	return x - e.inputUse(i)*x - wage - e.fixedCost[i] - interest
}

// ivOutcomes returns what each intervention did.
func (e *engine) ivOutcomes() []InterventionOutcome {
	var out []InterventionOutcome
	for _, iv := range e.iv.list {
		o := InterventionOutcome{Name: iv.name, Kind: iv.kind, Used: iv.used, FiscalCost: iv.cost, ExhaustedStep: iv.exhausted}
		if iv.hasBudget {
			o.Budget = iv.budget
		}
		for _, r := range iv.reached {
			if r {
				o.Firms++
			}
		}
		out = append(out, o)
	}
	return out
}

// guaranteeCalls makes the guarantors of failed firm f's bank loan l pay
// their share of the bank's loss: first the core that guaranteed it under
// supply chain finance (its bank lends it the call, due at once, and the
// call counts as a channel of the core's own failure), then the state on
// the part of the rest it covered.
func (e *engine) guaranteeCalls(f, t int, l, loss float64) {
	s := &e.iv
	callCore := 0.0
	if s.coreGuaranteed != nil && s.coreGuaranteed[f] > 0 {
		if c := int(s.guarantor[f]); e.alive[c] {
			callCore = min(loss, s.coreGuaranteed[f])
			e.loan[c] += callCore
			e.lent[c] += callCore
			e.reserveIn[c] -= callCore
			e.equity[c] -= callCore
			s.callDue[c] += callCore
			s.callsCore[f] += callCore
			e.toBank[f] += callCore
			e.reserveIn[f] += callCore
			e.hits[c] = append(e.hits[c], hit{firm: int32(f), step: int32(t), channel: ChannelGuaranteeCall})
		}
	}
	if s.stateGuaranteed != nil && s.stateGuaranteed[f] > 0 {
		callState := s.guarantee.cfg.Coverage * (loss - callCore) * min(1, s.stateGuaranteed[f]/l)
		s.callsState[f] += callState
		s.govOut[f] += callState
		e.toBank[f] += callState
		e.reserveIn[f] += callState
	}
}

// ivCosts adds the step's fiscal costs and budget use to each
// intervention.
func (e *engine) ivCosts(t int) {
	s := &e.iv
	s.stepCost = 0
	add := func(iv *intervention, cost float64) {
		if iv != nil {
			iv.cost += cost
			s.stepCost += cost
		}
	}
	if iv := s.subsidy; iv != nil {
		paid := sumChunked(s.subsidyPaid)
		add(iv, paid)
		iv.spend(paid, t)
	}
	if iv := s.relief; iv != nil {
		given := sumChunked(s.reliefGiven)
		add(iv, given)
		iv.spend(given, t)
	}
	add(s.guarantee, sumChunked(s.callsState)-sumChunked(s.feePaid))
	if s.policy != nil {
		add(s.policy, sumChunked(s.policyLosses)-sumChunked(s.policyInterest))
	}
	if iv := s.moratorium; iv != nil {
		iv.used += sumChunked(s.deferred)
	}
	if iv := s.termCap; iv != nil {
		iv.used += sumChunked(s.accelerated)
	}
}
