// Phase 6, finance: how a firm gets a bank loan — its need, its credit
// score, the bank's screen and limit, the bank's capacity rationed pro rata
// (grantShares), the grant and its rate — and then pays what it still owes
// and its dividends.

package sim

import (
	"math"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/units"
)

// creditDemand is the first half of phase 6: each firm below its cash
// buffer, in arrears or rolling over repaid principal asks its bank for a
// loan; the bank's rules (score threshold, loan limit) decide the request.
// A state guarantee lowers the risk the bank keeps to 1 − coverage of the
// firm's; a core's guarantee lets the bank lend on the core's score, beyond
// the supplier's own limit. Either opens a bank loan to a firm without a
// credit line (the state's up to max_loan_to_revenue, the core's up to its
// guarantee limit). With finance.first_loan_take_up, an unbanked firm in
// need may ask for a first loan (requestFirstLoan).
func (e *engine) creditDemand(lo, hi, t int) {
	s := &e.iv
	st, scf := s.guarantee, s.scf
	coreOn := s.guarantor != nil && scf.active && scf.remaining() > 0
	stateOn := st != nil && st.active && st.remaining() > 0
	var rollover []float64 // the banking system's: principal rolled over without a score
	if e.bs != nil {
		rollover = e.bs.rollover
		clear(rollover[lo:hi])
	}
	// Over slices of the chunk (see accrue).
	alive := e.alive[lo:hi:hi]
	n := len(alive)
	request, hasCredit, loanLimit, loan := e.request[lo:hi:hi][:n], e.hasCredit[lo:hi:hi][:n], e.loanLimit[lo:hi:hi][:n], e.loan[lo:hi:hi][:n]
	repaid, baseOutput := e.repaid[lo:hi:hi][:n], e.baseOutput[lo:hi:hi][:n]
	buffer, cash, unpaidDebt := e.buffer[lo:hi:hi][:n], e.cash[lo:hi:hi][:n], e.unpaidDebt[lo:hi:hi][:n]
	owedExternal, owedTax, govUnpaid := e.owedExternal[lo:hi:hi][:n], e.owedTax[lo:hi:hi][:n], s.govUnpaid
	if s.reqState != nil {
		clear(s.reqState[lo:hi])
	}
	if s.reqCore != nil {
		clear(s.reqCore[lo:hi])
	}
	if s.reqNew != nil {
		clear(s.reqNew[lo:hi])
	}
	for j, live := range alive {
		// Cleared here, in the loop's stream of stores, rather than in a
		// pass of its own over the chunk: every firm's request is written.
		request[j] = 0
		if !live {
			continue
		}
		i := lo + j
		stateGuar := stateOn && e.eligible(st, i)
		coreRoom := 0.0
		if coreOn {
			if c := s.guarantor[i]; c >= 0 && e.alive[c] && e.eligible(scf, i) {
				coreRoom = max(0, s.guaranteeCap[i]-s.coreGuaranteed[i])
			}
		}
		firstLoan := false // an unbanked firm that may ask for a first loan
		if !hasCredit[j] && (!stateGuar || s.newMoney) && coreRoom <= 0 {
			if e.firstLoanTakeUp(i) == 0 {
				continue
			}
			firstLoan = true
		}
		// What it would borrow: the principal it repaid (rolled over),
		// its cash shortfall against its buffer, and what it still owes.
		need := repaid[j] + max(0, buffer[j]-cash[j]) + owedExternal[j] + owedTax[j] + unpaidDebt[j]
		if govUnpaid != nil {
			need += govUnpaid[i]
		}
		if need <= 1e-12*baseOutput[j] {
			continue
		}
		if firstLoan {
			if uniformAt(e.firstLoanKey, t, i) < e.firstLoanTakeUp(i) {
				request[j] = e.requestFirstLoan(i, t, need, stateGuar)
			}
			continue
		}
		if stateGuar && s.newMoney && coreRoom <= 0 {
			request[j] = e.requestNewMoney(i, t, need, rollover)
			continue
		}
		score := e.updateScore(i)
		limit := loanLimit[j]
		if !hasCredit[j] {
			limit = 0
			if stateGuar {
				limit = agents.LoanLimit(e.p.maxLoanToRev, baseOutput[j]*e.p.stepsPerYear, 0)
			}
		}
		limit *= e.limitPush(i)
		room := limit - loan[j]
		if stateGuar {
			score = 1 - (1-score)*(1-st.cfg.Coverage)
			s.reqState[i] = true
		}
		if coreRoom > 0 {
			score = max(score, s.coreScore[s.guarantor[i]])
			room = max(0, room) + coreRoom
		}
		if s.effScore != nil {
			s.effScore[i] = score
		}
		if rollover != nil && e.bs.performing(i) {
			// The banking system rolls over the principal a performing
			// borrower repaid, whatever its score; only new money is
			// screened.
			roll := min(repaid[j], need)
			rollover[i] = roll
			request[j] = roll + e.screen(i, t, need-roll, min(need-roll, max(0, room-roll)), score)
			if s.reqCore != nil {
				s.reqCore[i] = min(request[j], coreRoom)
			}
			continue
		}
		req := e.screen(i, t, need, min(need, max(0, room)), score)
		if s.reqCore != nil {
			s.reqCore[i] = min(req, coreRoom)
		}
		request[j] = req
	}
}

// updateScore computes and stores firm i's credit score.
//
// Its assets are taken as liabilities + equity, which the balance sheet
// check holds equal to the sum of cash, inventories, receivables and fixed
// assets; liabilities are the firm's own (its payables are its in-edges),
// while its receivables are scattered over its customers' payables.
// Revenue and profit are the bank's through-the-cycle averages
// (scoreAverages) when finance.score_memory or finance.look_through is
// set, and otherwise the engine's 4-step smoothing. Arrears count as soon
// as the firm leaves anything unpaid, except that a through-the-cycle
// score in the banking system counts them only once the loan is
// non-performing (finance.npl_after): a few weeks of arrears in a
// lockdown do not shut the line of a firm that will pay.
func (e *engine) updateScore(i int) float64 {
	// The liabilities first: the values read after the call need not be
	// kept on the stack across it.
	liabilities := e.firmLiabilities(i)
	rev, profit := e.revenueEMA[i], e.profitEMA[i]
	arrears := e.shortfall[i]
	if e.scoreRevenue != nil {
		rev, profit = e.scoreRevenue[i], e.scoreProfit[i]
		if e.bs != nil {
			arrears = !e.bs.performing(i)
		}
	}
	equity, base := e.equity[i], e.baseOutput[i]
	assets := liabilities + equity
	// Most firms outside a shock are healthy: their score, 1, without a
	// call.
	score := 1.0
	if !agents.FullScore(equity, assets, rev, profit, base, arrears) {
		score = agents.CreditScore(equity, assets, rev, profit, base, arrears)
	}
	e.score[i] = score
	return score
}

// scoreAverages updates, for firms lo to hi at step t, the revenue and
// profit after tax the bank scores: exponential averages with weight
// p.scoreAlpha on the step (agents.ScoreAverage), leaving out, under
// look_through, the steps a firm is closed by a lockdown. It runs in
// phase 6, before credit is asked, on the step's accrued revenue and
// profit; nothing without scoreRevenue.
func (e *engine) scoreAverages(lo, hi, t int) {
	if e.scoreRevenue == nil {
		return
	}
	alpha, look := e.p.scoreAlpha, e.p.lookThrough
	now := int32(t)
	alive, output, profit := e.alive[lo:hi:hi], e.output[lo:hi:hi], e.netProfit[lo:hi:hi]
	rev, prof, locked := e.scoreRevenue[lo:hi:hi], e.scoreProfit[lo:hi:hi], e.lastLockdown[lo:hi:hi]
	for j := range alive {
		if !alive[j] {
			continue
		}
		closed := look && locked[j] == now
		rev[j] = agents.ScoreAverage(rev[j], output[j], alpha, closed)
		prof[j] = agents.ScoreAverage(prof[j], profit[j], alpha, closed)
	}
}

// screen applies the bank's score threshold to a request and notes a
// firm denied part of what it needed.
func (e *engine) screen(i, t int, need, req, score float64) float64 {
	if score < e.scoreBar(i) {
		req = 0
	}
	if req < need*(1-1e-9) {
		e.lastCredit[i] = int32(t)
	}
	return req
}

// bankRequests sums, per bank, the requests of chunk c's firms and the
// state-guaranteed loans its firms hold, which need no capital.
func (e *engine) bankRequests(c *chunkWork) {
	nb := len(e.banks)
	for b := 0; b < nb; b++ {
		c.banks[b*numBankSums+bankRequested] = 0
		c.banks[b*numBankSums+bankCovered] = 0
	}
	s := &e.iv
	if s.stateGuaranteed != nil {
		cov := s.guarantee.cfg.Coverage
		for i := c.lo; i < c.hi; i++ {
			r := e.request[i]
			switch {
			case s.newMoney:
				r -= cov * s.reqNew[i]
			case s.reqState[i]:
				r *= 1 - cov
			}
			b := int(e.bank[i]) * numBankSums
			c.banks[b+bankRequested] += r
			c.banks[b+bankCovered] += cov * s.stateGuaranteed[i]
		}
		return
	}
	if nb == 1 {
		// In a local, not through the slice's memory (see stepSums).
		requested := 0.0
		for _, r := range e.request[c.lo:c.hi] {
			requested += r
		}
		c.banks[bankRequested] = requested
		return
	}
	for i := c.lo; i < c.hi; i++ {
		c.banks[int(e.bank[i])*numBankSums+bankRequested] += e.request[i]
	}
}

// grantShares sets, per bank, the share of requests it can fund: in the
// legacy mode, what its capacity allows of them; in the banking system,
// the share of new money its capital ratio allows (bankShares).
func (e *engine) grantShares() {
	if e.bs != nil {
		e.bankShares()
		return
	}
	for b := range e.banks {
		requested, covered := 0.0, 0.0
		for c := range e.chunks {
			requested += e.chunks[c].banks[b*numBankSums+bankRequested]
			covered += e.chunks[c].banks[b*numBankSums+bankCovered]
		}
		bk := &e.banks[b]
		capacity := agents.LendingCapacity(bk.capital, bk.capitalRatio, e.shock.credit*e.shock.push[b], bk.loans-covered)
		e.grantShare[b] = 1
		if requested > capacity {
			e.grantShare[b] = capacity / requested
		}
	}
}

// grantLoans lends each firm its bank's share of its request, at a rate
// priced on its score. Over slices of the chunk (see accrue).
func (e *engine) grantLoans(lo, hi, t int, grantShare []float64) {
	p, s := e.p, &e.iv
	n := hi - lo
	alive, bank, request := e.alive[lo:hi:hi], e.bank[lo:hi:hi][:n], e.request[lo:hi:hi][:n]
	score, lastCredit := e.score[lo:hi:hi][:n], e.lastCredit[lo:hi:hi][:n]
	loanRate, loan, cash, lent := e.loanRate[lo:hi:hi][:n], e.loan[lo:hi:hi][:n], e.cash[lo:hi:hi][:n], e.lent[lo:hi:hi][:n]
	var granted, effScore []float64 // nil unless partGrant, partCredit
	if s.granted != nil {
		granted = s.granted[lo:hi:hi][:n]
		clear(granted)
	}
	if s.effScore != nil {
		effScore = s.effScore[lo:hi:hi][:n]
	}
	var rollover, rollShare []float64
	if e.bs != nil {
		rollover, rollShare = e.bs.rollover[lo:hi:hi][:n], e.bs.rollShare
	}
	spread, banks, now := e.shock.spread, e.banks, int32(t)
	// The rate per step of the last yearly rate priced: firms at the same
	// score and bank (most healthy firms score 1) share it, and the
	// conversion (a log and an exponential) is the loop's dearest part.
	lastAnnual, lastRate := math.Float64bits(math.NaN()), 0.0
	for j, live := range alive {
		req := request[j]
		if !live || !(req > 0) {
			continue
		}
		b := bank[j]
		g := req * grantShare[b]
		if rollover != nil {
			r := rollover[j]
			g = r*rollShare[b] + (req-r)*grantShare[b]
		}
		if g < req*(1-1e-9) {
			lastCredit[j] = now
		}
		if g > 0 {
			sc := score[j]
			if effScore != nil {
				sc = effScore[j]
			}
			if granted != nil {
				granted[j] = g
			}
			bk := &banks[b]
			annual := agents.LoanRate(bk.baseRate, bk.riskSpread, sc, spread)
			if a := math.Float64bits(annual); a != lastAnnual {
				lastAnnual, lastRate = a, units.PerStep(annual, p.stepDays)
			}
			r := lastRate
			l := loan[j]
			loanRate[j] = (loanRate[j]*l + r*g) / (l + g)
			loan[j] = l + g
			cash[j] += g
			lent[j] += g
		}
	}
}

// payOwed lets each firm pay, from the cash it now holds, what it still
// owes, pays dividends, and carries the guaranteed and subsidised parts of
// its loan through the step.
func (e *engine) payOwed(lo, hi int) {
	s := &e.iv
	// Over slices of the chunk (see accrue). Only the arrays every firm's
	// test and dividend read are sliced: few firms owe anything after
	// credit, and paying it (payOwedBy) and the loan's parts
	// (amortiseParts) are calls, so that the loop keeps its slices in
	// registers (a third of its instructions were reloads from the stack).
	n := hi - lo
	alive, baseOutput, cash, cashTarget := e.alive[lo:hi:hi][:n], e.baseOutput[lo:hi:hi][:n], e.cash[lo:hi:hi][:n], e.cashTarget[lo:hi:hi][:n]
	owedExternal, owedTax, unpaidDebt := e.owedExternal[lo:hi:hi][:n], e.owedTax[lo:hi:hi][:n], e.unpaidDebt[lo:hi:hi][:n]
	toExternal, reserveIn, shortfall := e.toExternal[lo:hi:hi][:n], e.reserveIn[lo:hi:hi][:n], e.shortfall[lo:hi:hi][:n]
	netProfit, equity, kind := e.netProfit[lo:hi:hi][:n], e.equity[lo:hi:hi][:n], e.net.Kind[lo:hi:hi][:n]
	kinds := &e.kinds
	govUnpaid, grantParts := s.govUnpaid, s.parts&partGrant != 0
	for j, live := range alive {
		if !live {
			continue
		}
		owed := owedExternal[j] + owedTax[j] + unpaidDebt[j]
		gov := 0.0
		if govUnpaid != nil {
			gov = govUnpaid[lo+j]
			owed += gov
		}
		if owed > 1e-12*baseOutput[j] {
			shortfall[j] = e.payOwedBy(lo+j, owed, gov)
		} else {
			shortfall[j] = false
		}
		if div := agents.Dividend(kinds[kind[j]].payout, netProfit[j], cash[j], cashTarget[j]); div > 0 {
			cash[j] -= div
			equity[j] -= div
			toExternal[j] += div
			reserveIn[j] -= div
		}
		if grantParts {
			e.amortiseParts(lo + j)
		}
	}
}

// payOwedBy is payOwed's payment by firm i of what it owes, owed in all,
// gov of it to the government, each creditor paid the same share; it
// reports whether the firm fell short.
func (e *engine) payOwedBy(i int, owed, gov float64) bool {
	s := &e.iv
	share := agents.PayShare(e.cash[i], owed)
	v := share * e.owedExternal[i]
	w := share * e.owedTax[i]
	d := share * e.unpaidDebt[i]
	e.owedExternal[i] -= v
	e.owedTax[i] -= w
	e.toExternal[i] += v
	e.toGov[i] += w
	e.reserveIn[i] -= v + w
	e.loan[i] -= d
	e.repaidAll[i] += d
	e.cash[i] -= v + w + d
	e.unpaidDebt[i] -= d
	if s.callDue != nil {
		s.callDue[i] = max(0, s.callDue[i]-d)
	}
	if gov > 0 {
		g := share * gov
		s.govUnpaid[i] -= g
		s.govLoan[i] -= g
		s.govIn[i] += g
		e.reserveIn[i] -= g
		e.cash[i] -= g
	}
	return share < 1
}

// amortiseParts is payOwed's carrying of the guaranteed and subsidised
// parts of firm i's loan through the step, after its payments.
func (e *engine) amortiseParts(i int) {
	s := &e.iv
	repaidShare := 0.0
	if l0 := s.loanStart[i]; l0 > 0 {
		repaidShare = min(1, e.repaidAll[i]/l0)
	}
	amortise(s.stateGuaranteed, i, repaidShare, s.addState[i], e.loan[i])
	amortise(s.coreGuaranteed, i, repaidShare, s.addCore[i], e.loan[i])
	amortise(s.newPrincipal, i, repaidShare, s.addNew[i], e.loan[i])
	s.addState[i], s.addCore[i], s.addNew[i] = 0, 0, 0
}

// requestFirstLoan is creditDemand's rule for a firm without a credit line
// that applies for a first loan this step: the bank screens it on its score
// less new_borrower_penalty (on the risk it keeps, if new money under the
// state's guarantee is worth its fee, as in requestNewMoney), and a pass
// opens a line of max_loan_to_revenue of the firm's yearly baseline
// revenue, from which it lends what the firm needs.
func (e *engine) requestFirstLoan(i, t int, need float64, stateGuar bool) float64 {
	s := &e.iv
	score := agents.NewBorrowerScore(e.updateScore(i), e.cfg.Finance.NewBorrowerPenalty)
	guaranteed := false
	if stateGuar {
		cfg := s.guarantee.cfg
		pd := agents.DefaultProbability(e.p.pdBase, score)
		if agents.GuaranteeTakeUp(cfg.Coverage, pd, 1-e.p.recovery, e.maturityOf(i)/e.p.stepsPerYear, cfg.Fee) {
			score = agents.RetainedRiskScore(score, cfg.Coverage)
			guaranteed = true
		}
	}
	if s.effScore != nil {
		s.effScore[i] = score
	}
	limit := agents.LoanLimit(e.p.maxLoanToRev, e.baseOutput[i]*e.p.stepsPerYear, 0)
	got := e.screen(i, t, need, min(need, limit*e.limitPush(i)), score)
	if got <= 0 {
		return 0
	}
	e.hasCredit[i] = true
	e.loanLimit[i] = limit
	if guaranteed {
		s.reqState[i] = true
		s.reqNew[i] = got
	}
	return got
}
