package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// intervention is an InterventionConfig of the running arm compiled into
// steps, with what it has done so far.
type intervention struct {
	index      int // in Config.Interventions
	name, kind string
	cfg        *config.InterventionConfig
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
	// money is, per firm, what it received, counted as used is (see
	// InterventionOutcome.Money); nil for kinds that give no money.
	money []float64
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
	list  []*intervention
	parts ivPart // the parts of the step the arm's interventions change (kindParts)

	scf, policy, guarantee, subsidy, moratorium, relief, termCap, push *intervention

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
	impact                                              []float64 // per firm: networkImpact, for priority = "network-impact"

	// loan-guarantee
	stateGuaranteed []float64 // per firm: bank loan principal the state guarantees
	reqState        []bool    // per firm: this step's request is state-guaranteed
	newMoney        bool      // rule new-money: only new money is guaranteed, taken and screened on retained risk
	reqNew          []float64 // per firm (new-money): the new money of this step's request, under the guarantee
	// guaranteeProvision is the expected loss on the guarantees still
	// outstanding at the end of the run (new-money), a liability of the
	// state booked in the last step.
	guaranteeProvision float64
	// moratorium: what it defers, and the non-loan payments deferred (per
	// firm, due at the end)
	deferLoans, deferTaxes, deferContributions, deferFixed bool
	deferredTax, deferredExternal                          []float64
	// repaySteps is the number of equal instalments the non-loan balances
	// are repaid in after the end (repay_over; at most 1: whole), and
	// repayShare the share of what is left that falls due this step.
	repaySteps int
	repayShare float64
	// interest-subsidy
	newPrincipal []float64 // per firm: bank loan borrowed while the subsidy is active
	// credit-push: its levers, as a credit-supply shock at intensity 1, and
	// the interest the central bank forgoes on what it funded this step
	pushLevers shock
	pushCost   float64
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

// ivPart names a part of the step that an intervention can change, beyond
// the bookkeeping every intervention shares (its flows, costs and metrics).
type ivPart uint8

const (
	// partAccrue: accrual (accrual.go) is adjusted — interest subsidised,
	// tax and contributions waived, debt service deferred, policy-loan
	// interest and guarantee calls due, payment terms capped.
	partAccrue ivPart = 1 << iota
	// partSettle: settlement pays a bank for a receivable it bought, or the
	// state for a policy loan (settlement.go).
	partSettle
	// partCredit: who may borrow, and on what score, depends on a guarantee
	// (guarantees.go).
	partCredit
	// partGrant: between the banks' grants and the payment of what is still
	// owed, new loans go under guarantees or the subsidy and policy loans
	// are allocated; guaranteed and subsidised loans amortise (guarantees.go,
	// policyloans.go).
	partGrant
)

// kindParts is the one table of which parts of the step each intervention
// kind changes. An arm's parts, chosen once in applyArm, decide which passes
// its steps run: where no intervention changes a part, the step runs the
// plain passes, fused where nothing sequential stands between them.
var kindParts = [...]struct {
	kind, mode string // mode: supply-chain-finance only
	parts      ivPart
}{
	{config.KindInterestSubsidy, "", partAccrue | partGrant},
	{config.KindTaxRelief, "", partAccrue},
	{config.KindMoratorium, "", partAccrue},
	{config.KindPaymentTermCap, "", partAccrue},
	{config.KindPolicyLoan, "", partAccrue | partSettle | partGrant},
	{config.KindLoanGuarantee, "", partCredit | partGrant},
	{config.KindSupplyChainFinance, "guarantee", partAccrue | partCredit | partGrant},
	{config.KindSupplyChainFinance, "factoring", partSettle},
	{config.KindCreditPush, "", partGrant},
}

// partsOf returns the parts of the step an intervention changes.
func partsOf(ic *config.InterventionConfig) ivPart {
	for _, r := range kindParts {
		if r.kind == ic.Kind && (r.mode == "" || r.mode == ic.Mode) {
			return r.parts
		}
	}
	return 0
}

// applyArm compiles the interventions of arm onto the engine, before the
// first step. Building them draws nothing from the streams the baseline
// uses, so every arm of a replication shares the network, the firms and
// the shocks.
func (e *engine) applyArm(arm config.Arm) error {
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
	s.need = f()
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
		if givesMoney(ic.Kind) {
			iv.money = f()
		}
		iv.start = e.interventionStart(ic)
		iv.end = max(int(math.Round(e.interventionFrom(ic)+ic.End.Steps(e.p.stepDays))), iv.start+1)
		iv.hasBudget = slices.Contains(config.BudgetKinds(), ic.Kind)
		iv.budget = ic.Budget
		where := fmt.Sprintf("interventions[%d] (%s)", idx, iv.name)
		if ic.Kind != config.KindPaymentTermCap && ic.Kind != config.KindCreditPush {
			el, err := e.eligibility(ic)
			if err != nil {
				return &ScenarioError{fmt.Errorf("%s: %w", where, err)}
			}
			iv.eligible = el
		}
		var slot **intervention
		switch ic.Kind {
		case config.KindSupplyChainFinance:
			slot = &s.scf
			if err := e.compileSCF(iv, where); err != nil {
				return &ScenarioError{err}
			}
		case config.KindPolicyLoan:
			slot = &s.policy
			s.govLoan, s.govDueInterest, s.govDuePrincipal, s.govUnpaid = f(), f(), f(), f()
			s.govRate = units.PerStep(ic.Rate, e.p.stepDays)
			s.govTerm = max(1, ic.Term.Steps(e.p.stepDays))
		case config.KindLoanGuarantee:
			slot = &s.guarantee
			s.stateGuaranteed = f()
			s.reqState = make([]bool, n)
			if ic.Rule == config.GuaranteeNewMoney {
				s.newMoney = true
				s.reqNew = f()
			}
		case config.KindInterestSubsidy:
			slot = &s.subsidy
			s.newPrincipal = f()
		case config.KindMoratorium:
			slot = &s.moratorium
			s.deferLoans = slices.Contains(ic.Payments, config.PaymentLoans)
			s.deferTaxes = slices.Contains(ic.Payments, config.PaymentTaxes)
			s.deferContributions = slices.Contains(ic.Payments, config.PaymentContributions)
			s.deferFixed = slices.Contains(ic.Payments, config.PaymentFixedCosts)
			if s.deferTaxes || s.deferContributions || s.deferFixed {
				s.deferredTax, s.deferredExternal = f(), f()
				s.repaySteps = ic.RepayOver.WholeSteps(e.p.stepDays)
			}
		case config.KindTaxRelief:
			slot = &s.relief
		case config.KindPaymentTermCap:
			slot = &s.termCap
			s.termCapSteps = max(1, ic.MaxTerm.Steps(e.p.stepDays))
		case config.KindCreditPush:
			slot = &s.push
			s.pushLevers = pushLevers(ic, e.cfg.Banks)
		default:
			return &ScenarioError{fmt.Errorf("%s: unknown kind %q", where, ic.Kind)}
		}
		if *slot != nil {
			return &ScenarioError{fmt.Errorf("arm %s applies two %s interventions", arm.Name, ic.Kind)}
		}
		*slot = iv
		s.list = append(s.list, iv)
		s.parts |= partsOf(ic)
	}
	if s.parts&partCredit != 0 {
		s.effScore = f()
	}
	if s.parts&partGrant != 0 {
		s.loanStart, s.granted, s.addState, s.addCore, s.addNew = f(), f(), f(), f(), f()
	}
	return nil
}

// interventionFrom returns the step an intervention's start and end count
// from.
func (e *engine) interventionFrom(ic *config.InterventionConfig) float64 {
	if ic.From == "shock" {
		return float64(e.p.shockStep)
	}
	return 0
}

// interventionStart returns the first step an intervention is active.
func (e *engine) interventionStart(ic *config.InterventionConfig) int {
	return int(math.Round(e.interventionFrom(ic) + ic.Start.Steps(e.p.stepDays)))
}

// eligibility returns the static eligibility of a programme (see
// targets; nil: every firm).
func (e *engine) eligibility(ic *config.InterventionConfig) ([]bool, error) {
	return e.targets(ic)
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
		revolving := iv.kind == config.KindSupplyChainFinance && s.anchor != nil
		iv.active = t >= iv.start && t < iv.end && (!iv.hasBudget || revolving || iv.remaining() > 0)
		if t >= iv.start && t < iv.end && iv.hasBudget && iv.budget <= 0 && iv.exhausted < 0 {
			iv.exhausted = int32(t)
		}
		iv.scale = 1
	}
	if iv := s.push; iv != nil && iv.active {
		e.shock.addPush(&s.pushLevers, 1)
	}
	if mor := s.moratorium; mor != nil {
		// Equal instalments: after k of n steps, 1/(n-k) of what is left.
		s.repayShare = 1
		if left := s.repaySteps - (t - mor.end); t >= mor.end && left > 1 {
			s.repayShare = 1 / float64(left)
		}
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
	if c.RevenueDrop > 0 && e.revenueEMA[i] > (1-c.RevenueDrop)*e.baseOutput[i] {
		return false
	}
	return !c.ViableBefore || e.iv.viable[i]
}

// ivOutcomes returns what each intervention did.
func (e *engine) ivOutcomes() []outcome.InterventionOutcome {
	var out []outcome.InterventionOutcome
	for _, iv := range e.iv.list {
		o := outcome.InterventionOutcome{Name: iv.name, Kind: iv.kind, Used: iv.used, FiscalCost: iv.cost, ExhaustedStep: iv.exhausted, Money: iv.money}
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

// ivCosts adds the step's fiscal costs and budget use to each
// intervention.
func (e *engine) ivCosts(t int) {
	s := &e.iv
	if !s.on() {
		return
	}
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
	if s.guarantee != nil {
		cost := sumChunked(s.callsState) - sumChunked(s.feePaid)
		if s.newMoney && t == e.p.steps-1 {
			s.guaranteeProvision = e.guaranteeExpectedLoss()
			cost += s.guaranteeProvision
		}
		add(s.guarantee, cost)
	}
	if s.policy != nil {
		add(s.policy, sumChunked(s.policyLosses)-sumChunked(s.policyInterest))
	}
	if iv := s.push; iv != nil {
		add(iv, s.pushCost)
		s.pushCost = 0
	}
	if iv := s.moratorium; iv != nil {
		iv.used += sumChunked(s.deferred)
	}
	if iv := s.termCap; iv != nil {
		iv.used += sumChunked(s.accelerated)
	}
}
