package sim

import (
	"fmt"
	"math"
)

// ledger holds the accounts outside the firms — the external sector
// (households and the rest of the world) and the government, which bank at
// the central bank — and the flow counters of money creation and
// destruction.
//
// The money identity (DESIGN §6): the sum of every agent's cash plus every
// bank's capital changes each step by exactly new loans − repayments −
// write-offs. Interest paid moves deposits into bank capital; capitalised
// interest counts as a new loan; a recovery on a failed firm's loan is a
// repayment and the rest a write-off. With the banking system, the sum
// also holds the central bank's equity, and it changes by the provision
// expense too (capital set aside against losses, which a write-off then
// releases); interest to the central bank, the lender of last resort and
// recapitalisations move money between accounts of the sum.
type ledger struct {
	external, government float64 // cash; may be negative (central-bank overdraft)

	newLoans, repayments, writeOffs float64 // this step
	provisionExpense                float64 // this step, with the banking system
	opening                         float64 // the money sum at the start of the step
	maxResidual                     float64 // largest relative residual seen (for tests)
}

// Tolerance of the accounting identities, relative to the size of the sums.
const ledgerTolerance = 1e-9

// AccountingError reports a breach of an accounting identity.
type AccountingError struct {
	Step    int
	Account string // "money", "firm <id>" or "bank <name>"
	Detail  string
}

func (e *AccountingError) Error() string {
	return fmt.Sprintf("accounting identity broken at step %d, %s: %s", e.Step, e.Account, e.Detail)
}

// moneySum returns the sum of all money accounts and a scale for relative
// comparison (the sum of their absolute values).
func (e *engine) moneySum() (sum, scale float64) {
	return e.addAccounts(sumChunked(e.cash), sumAbsChunked(e.cash))
}

// addAccounts adds the accounts outside the firms to the sum of the firms'
// cash and its scale.
func (e *engine) addAccounts(sum, scale float64) (float64, float64) {
	sum += e.ledger.external + e.ledger.government
	scale += math.Abs(e.ledger.external) + math.Abs(e.ledger.government)
	for _, b := range e.banks {
		sum += b.capital
		scale += math.Abs(b.capital)
	}
	if e.bs != nil {
		sum += e.bs.cb.equity
		scale += math.Abs(e.bs.cb.equity)
	}
	return sum, scale
}

// checkMoney verifies the money identity for the step just taken, with
// the firms' cash summed by phaseTotals.
func (e *engine) checkMoney(t int) error {
	sum, scale := 0.0, 0.0
	for c := range e.chunks {
		sum += e.chunks[c].sums[sumCash]
		scale += e.chunks[c].sums[sumCashAbs]
	}
	sum, scale = e.addAccounts(sum, scale)
	l := &e.ledger
	want := l.opening + l.newLoans - l.repayments - l.writeOffs
	if e.bs != nil {
		want -= l.provisionExpense
	}
	res := math.Abs(sum-want) / max(scale, 1)
	l.maxResidual = max(l.maxResidual, res)
	l.opening = want
	if !(res <= ledgerTolerance) {
		return &AccountingError{Step: t, Account: "money", Detail: fmt.Sprintf(
			"sum of accounts %.17g, expected %.17g (opening %.17g + new loans %.6g − repayments %.6g − write-offs %.6g − provision expense %.6g): relative residual %.3g",
			sum, want, l.opening, l.newLoans, l.repayments, l.writeOffs, l.provisionExpense, res)}
	}
	return nil
}

// firmAssets returns a firm's assets: cash, input inventories (at cost),
// trade receivables and fixed assets.
func (e *engine) firmAssets(i int) float64 {
	net := e.net
	a := e.cash[i] + e.importInv[i] + e.fixedAssetsOf(i)
	for s := net.SlotStart[i]; s < net.SlotStart[i+1]; s++ {
		a += e.slotInv[s]
	}
	if e.alive[i] {
		for k := net.OutStart[i]; k < net.OutStart[i+1]; k++ {
			a += e.payable[net.OutEdge[k]]
		}
		if fac := e.iv.factored; fac != nil {
			for k := net.OutStart[i]; k < net.OutStart[i+1]; k++ {
				a -= fac[net.OutEdge[k]] // sold to its bank
			}
		}
	}
	return a
}

// firmLiabilities returns trade payables, loans and other amounts owed.
func (e *engine) firmLiabilities(i int) float64 {
	net := e.net
	l := e.loan[i] + e.owedExternal[i] + e.owedTax[i] + e.informalOwed(i)
	if e.iv.govLoan != nil {
		l += e.iv.govLoan[i]
	}
	if e.iv.deferredTax != nil {
		l += e.iv.deferredTax[i] + e.iv.deferredExternal[i]
	}
	for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
		l += e.payable[k]
	}
	return l
}

// chunkStocks are the sums over a chunk's firms that checkFirms takes
// in passing, in firm order, from the arrays it reads: cash, its absolute
// value, bad debt, loans and trade credit (payables, in link order).
type chunkStocks struct {
	cash, cashAbs, badDebt, loans, tradeCredit float64
}

// checkFirms verifies, for every active firm of chunk c, assets =
// liabilities + equity with equity tracked by flows, and rejects NaN and
// negative stocks, as thread wid at the end of step t. It leaves the first
// breach in c.checkErr and returns the sums stepSums takes of the arrays
// it reads. Assets and liabilities are summed as firmAssets and
// firmLiabilities sum them, in two loops: one over the firm's own
// values, slots and in-links, one that adds its receivables
// (checkSheets), each firm's sums in the scratch arrays between them.
func (e *engine) checkFirms(c *chunkWork, t, wid int) chunkStocks {
	net, lo, hi := e.net, c.lo, c.hi
	n := hi - lo
	assets, liabilities := e.scratch(wid, 0, n), e.scratch(wid, 1, n)
	var s chunkStocks
	{
		cash, importInv, loan := e.cash[lo:hi:hi][:n], e.importInv[lo:hi:hi][:n], e.loan[lo:hi:hi][:n]
		owedExternal, owedTax, badDebt := e.owedExternal[lo:hi:hi][:n], e.owedTax[lo:hi:hi][:n], e.badDebt[lo:hi:hi][:n]
		kind, base, kinds, perYear := net.Kind[lo:hi:hi][:n], e.baseOutput[lo:hi:hi][:n], &e.kinds, e.p.stepsPerYear
		slotEnd, slotInv := net.SlotStart[lo+1 : hi+1 : hi+1][:n], e.slotInv
		inEnd, payable := net.InStart[lo+1 : hi+1 : hi+1][:n], e.payable
		// Liabilities owed under interventions and informal credit: nil
		// without them.
		var govLoan, deferredTax, deferredExternal, informal []float64
		if gl := e.iv.govLoan; gl != nil {
			govLoan = gl[lo:hi:hi][:n]
		}
		if dt, dx := e.iv.deferredTax, e.iv.deferredExternal; dt != nil {
			deferredTax, deferredExternal = dt[lo:hi:hi][:n], dx[lo:hi:hi][:n]
		}
		if id := e.liq.informalDebt; id != nil {
			informal = id[lo:hi:hi][:n]
		}
		cashSum, cashAbs, bad, loans, credit := 0.0, 0.0, 0.0, 0.0, 0.0
		// A firm's slots and in-links follow the previous firm's: one
		// index runs over the chunk's slots, one over its in-links, each
		// to the firm's end. A bounds check per slot or link (a firm has
		// few) costs fewer instructions than slicing each firm's, and the
		// loop carries fewer values. (It carries more than there are
		// registers, but split into loops each streaming fewer arrays it
		// took more time: docs/performance.md.)
		ks, kp := int(net.SlotStart[lo]), int(net.InStart[lo])
		for j := range n {
			a := cash[j] + importInv[j] + kinds[kind[j]].plant(base[j], perYear)
			for end := int(slotEnd[j]); ks < end; ks++ {
				a += slotInv[ks]
			}
			assets[j] = a
			l := loan[j] + owedExternal[j] + owedTax[j]
			if govLoan != nil {
				l += govLoan[j]
			}
			if deferredTax != nil {
				l += deferredTax[j] + deferredExternal[j]
			}
			if informal != nil {
				l += informal[j] // owed to informal lenders, the external sector
			}
			for end := int(inEnd[j]); kp < end; kp++ {
				x := payable[kp]
				l += x
				credit += x
			}
			liabilities[j] = l
			cashSum += cash[j]
			cashAbs += math.Abs(cash[j])
			bad += badDebt[j]
			loans += loan[j]
		}
		s.cash, s.cashAbs, s.badDebt, s.loans, s.tradeCredit = cashSum, cashAbs, bad, loans, credit
	}
	if e.receivablesStep != t {
		c.warm = e.warmOutLinks(e.payable, lo, hi) // the receivables checkSheets gathers
	}
	c.checkErr = e.checkSheets(lo, hi, t, assets, liabilities)
	return s
}

// checkSheets completes the assets of every active firm from lo to hi
// with its receivables less those sold to its bank, compares them with
// its liabilities and equity, and checks its stocks; it returns the
// first breach.
//
// A firm's receivables are the payables on its out-links, summed in
// their order from zero (addOver(0, ...)) and then added to its other
// assets. Collection stored that sum for step t (collectRange), where
// nothing has changed it since; where something may have
// (forgetReceivables), the sum is NaN and is gathered afresh, by the
// same formula. A firm whose receivables are NaN indeed gathers them
// afresh too, and finds NaN again. (The check's assets are its own sum:
// firmAssets adds the receivables one by one to the other assets, and
// the two may differ in the last bits, which no output reads.)
func (e *engine) checkSheets(lo, hi, t int, assets, liabilities []float64) error {
	net, n := e.net, hi-lo
	alive := e.alive[lo:hi:hi][:n]
	assets, liabilities = assets[:n], liabilities[:n]
	// Three loops, each with few live values (see checkFirms): the
	// receivables, those sold to the bank, the comparison.
	{
		var stored []float64 // the receivables collection stored (nil: none for step t)
		if e.receivablesStep == t {
			stored = e.receivables[lo:hi:hi][:n]
		}
		for j, live := range alive {
			if !live {
				continue
			}
			r := math.NaN()
			if stored != nil {
				r = stored[j]
			}
			if r != r {
				i := lo + j
				r = addOver(0, e.payable, net.OutEdge[net.OutStart[i]:net.OutStart[i+1]])
			}
			assets[j] += r
		}
	}
	if fac := e.iv.factored; fac != nil {
		outEnd, outEdge := net.OutStart[lo+1 : hi+1 : hi+1][:n], net.OutEdge
		o1 := net.OutStart[lo] // a firm's out-links end where the next firm's start
		for j, live := range alive {
			o0 := o1
			o1 = outEnd[j]
			if !live {
				continue
			}
			a := assets[j]
			for _, k := range outEdge[o0:o1] {
				a -= fac[k] // sold to its bank
			}
			assets[j] = a
		}
	}
	equity, cash, loan := e.equity[lo:hi:hi][:n], e.cash[lo:hi:hi][:n], e.loan[lo:hi:hi][:n]
	var informal []float64 // owed to informal lenders (nil without informal credit)
	if id := e.liq.informalDebt; id != nil {
		informal = id[lo:hi:hi][:n]
	}
	for j, live := range alive {
		if !live {
			continue
		}
		a, l, eq := assets[j], liabilities[j], equity[j]
		scale := max(a+l+math.Abs(eq), 1)
		res := math.Abs(a-l-eq) / scale
		// A NaN cash fails its comparison.
		if res <= ledgerTolerance && cash[j] >= -1e-9*scale && loan[j] >= -1e-9*scale &&
			(informal == nil || informal[j] >= -1e-9*scale) {
			continue
		}
		i := lo + j
		if !(res <= ledgerTolerance) {
			return &AccountingError{Step: t, Account: "firm " + e.net.Name(i), Detail: fmt.Sprintf(
				"assets %.17g ≠ liabilities %.17g + equity %.17g (relative residual %.3g)", a, l, eq, res)}
		}
		return &AccountingError{Step: t, Account: "firm " + e.net.Name(i), Detail: fmt.Sprintf(
			"negative or NaN stock: cash %g, loans %g, informal debt %g", cash[j], loan[j], e.informalOwed(i))}
	}
	return nil
}

// forgetReceivables marks firm i's stored receivables stale: a payable
// on one of its out-links, or the set of its out-links, has changed since
// collection summed them (see collectRange), and the balance-sheet check
// is to gather them afresh.
func (e *engine) forgetReceivables(i int32) { e.receivables[i] = math.NaN() }

// addOver returns a plus the values of v at the edges edges, in order:
// what a firm's buyers order or owe it, gathered over its out-links.
func addOver(a float64, v []float64, edges []int32) float64 {
	for _, k := range edges {
		a += v[k]
	}
	return a
}

// checkBalanceSheets reports the first firm whose balance sheet
// phaseTotals found broken, and verifies for every bank loans + reserves =
// deposits + capital with loans and reserves tracked by flows, against
// its clients' deposits and loans summed by phaseTotals.
func (e *engine) checkBalanceSheets(t int) error {
	for c := range e.chunks {
		if err := e.chunks[c].checkErr; err != nil {
			return err
		}
	}
	deposits, loans := e.bankDeposits, e.bankLoans
	clear(deposits)
	clear(loans)
	for c := range e.chunks {
		for b := range e.banks {
			v := e.chunks[c].banks[b*numBankSums:]
			deposits[b] += v[bankDeposits]
			loans[b] += v[bankLoans]
		}
	}
	factored := e.bankFactored
	clear(factored)
	if fac := e.iv.factored; fac != nil {
		for k, v := range fac {
			factored[e.bank[e.net.Supplier[k]]] += v
		}
	}
	for b := range e.banks {
		bk := &e.banks[b]
		name := e.bankName(b)
		if res := math.Abs(factored[b]-bk.factored) / max(math.Abs(bk.factored)+math.Abs(bk.loans)+bk.size, 1); !(res <= ledgerTolerance) {
			return &AccountingError{Step: t, Account: "bank " + name, Detail: fmt.Sprintf(
				"receivables bought on its books %.17g ≠ sum of the receivables its clients sold %.17g", bk.factored, factored[b])}
		}
		// A bank's books are sums of flows: their rounding error scales
		// with the bank's size, even after its clients have all failed.
		scale := max(math.Abs(bk.loans)+math.Abs(bk.reserves)+math.Abs(deposits[b])+math.Abs(bk.capital), max(bk.size, 1))
		if res := math.Abs(loans[b]-bk.loans) / scale; !(res <= ledgerTolerance) {
			return &AccountingError{Step: t, Account: "bank " + name, Detail: fmt.Sprintf(
				"loans on its books %.17g ≠ sum of its borrowers' loans %.17g", bk.loans, loans[b])}
		}
		lhs, rhs := bk.loans+bk.factored+bk.reserves, deposits[b]+bk.capital
		if e.bs != nil {
			// Provisions are a contra-asset; central-bank loans a liability;
			// loans in workout and outside the network are assets.
			lhs += bk.workout + bk.participation + bk.outside + bk.outsideNPL - bk.provisions
			rhs += bk.cbLoans + bk.relending + bk.funding
			scale = max(scale, math.Abs(bk.provisions)+math.Abs(bk.cbLoans))
		}
		if res := math.Abs(lhs-rhs) / scale; !(res <= ledgerTolerance) {
			return &AccountingError{Step: t, Account: "bank " + name, Detail: fmt.Sprintf(
				"loans %.17g + bought receivables %.17g + reserves %.17g − provisions %.17g ≠ deposits %.17g + capital %.17g + central-bank loans %.17g and relending %.17g + other funding %.17g (relative residual %.3g)",
				bk.loans, bk.factored, bk.reserves, bk.provisions, deposits[b], bk.capital, bk.cbLoans, bk.relending, bk.funding, res)}
		}
		if e.bs != nil {
			if book := bk.smeLoans + bk.coreLoans + bk.npl; math.Abs(book-bk.loans-bk.workout-bk.participation)/scale > ledgerTolerance {
				return &AccountingError{Step: t, Account: "bank " + name, Detail: fmt.Sprintf(
					"performing (SME %.17g, core %.17g) and non-performing %.17g loans ≠ loans on its books %.17g, in workout %.17g and its participation in cores' loans %.17g", bk.smeLoans, bk.coreLoans, bk.npl, bk.loans, bk.workout, bk.participation)}
			}
			if npl := bk.npl + bk.outsideNPL; bk.provisions < e.bs.coverageMin*npl*(1-ledgerTolerance) {
				return &AccountingError{Step: t, Account: "bank " + name, Detail: fmt.Sprintf(
					"provisions %.17g below coverage_min × non-performing loans %.17g", bk.provisions, e.bs.coverageMin*npl)}
			}
		}
	}
	if e.bs != nil {
		if err := e.checkCentralBank(t); err != nil {
			return err
		}
	}
	return e.checkGovernment(t)
}

// checkGovernment verifies the government's balance sheet: outside the
// interventions its budget balances, so its cash plus the policy loans it
// holds, less the expected loss it provisioned on guarantees outstanding,
// must equal minus the fiscal cost of the interventions so far.
//
// With the banking system, the fiscal cost includes the recapitalisation
// of banks, in every arm.
func (e *engine) checkGovernment(t int) error {
	s := &e.iv
	if !s.on() && e.bs == nil {
		return nil
	}
	book := 0.0
	if s.govLoan != nil {
		book = sumChunked(s.govLoan)
	}
	// The expected loss provisioned on guarantees outstanding at the end
	// (rule new-money) is a liability: a cost that no cash has yet paid.
	book -= s.guaranteeProvision
	// The scale is the size of the stocks (the provision counted as such),
	// not their sum, which fees and a provision of about the same size
	// bring near zero.
	cost, scale := 0.0, math.Abs(e.ledger.government)+book+2*s.guaranteeProvision
	for _, iv := range s.list {
		cost += iv.cost
		scale += math.Abs(iv.cost)
	}
	if e.bs != nil {
		cost += e.bs.recapTotal
		scale += e.bs.recapTotal
	}
	if res := math.Abs(e.ledger.government+book+cost) / max(scale, 1); !(res <= ledgerTolerance) {
		return &AccountingError{Step: t, Account: "government", Detail: fmt.Sprintf(
			"cash %.17g + policy loans %.17g − guarantee provision %.17g ≠ − fiscal cost %.17g (relative residual %.3g)",
			e.ledger.government, book+s.guaranteeProvision, s.guaranteeProvision, cost, res)}
	}
	return nil
}

func (e *engine) bankName(b int) string {
	if b < len(e.cfg.Banks) && e.cfg.Banks[b].Name != "" {
		return e.cfg.Banks[b].Name
	}
	return fmt.Sprintf("#%d", b)
}

// chunk is the fixed block of firms over which sums are taken before the
// block sums are added in order, so that a sum does not depend on how many
// threads computed the blocks; the engine's phases work on blocks of
// chunk firms, or of smallChunk in small networks (see initChunks).
const chunk = 4096

// smallChunk is the chunk of the phases of networks under 16 chunks (see
// initChunks).
const smallChunk = 1024

func sumChunked(v []float64) float64 {
	total := 0.0
	for lo := 0; lo < len(v); lo += chunk {
		s := 0.0
		for _, x := range v[lo:min(lo+chunk, len(v))] {
			s += x
		}
		total += s
	}
	return total
}

func sumAbsChunked(v []float64) float64 {
	total := 0.0
	for lo := 0; lo < len(v); lo += chunk {
		s := 0.0
		for _, x := range v[lo:min(lo+chunk, len(v))] {
			s += math.Abs(x)
		}
		total += s
	}
	return total
}

// resetFlows clears the step's flows of firms lo to hi under
// interventions: their own, and those of the engine, to which some of
// them add before the first writers that assign them otherwise
// (flowsAssigned). Without interventions it has nothing to do: with
// finance the first writers assign the flows, without it nothing writes
// or reads them (the step's sums skip them), and the losses are cleared
// where booked (clearLosses).
func (e *engine) resetFlows(lo, hi int) {
	s := &e.iv
	if !s.on() {
		return
	}
	for _, v := range [...][]float64{s.govIn, s.govOut, s.factNew, s.factRepaid, s.factWrittenOff,
		s.callsState, s.callsCore, s.subsidyPaid, s.reliefGiven, s.feePaid, s.policyInterest,
		s.policyLosses, s.deferred, s.accelerated} {
		clear(v[lo:hi])
	}
	if s.loanStart != nil {
		// The loan before this step's accrual, against which the
		// guaranteed and subsidised parts amortise (payOwed).
		copy(s.loanStart[lo:hi], e.loan[lo:hi])
	}
	for _, v := range [...][]float64{e.toExternal, e.toGov, e.toBank, e.reserveIn, e.lent, e.repaidAll} {
		clear(v[lo:hi])
	}
}

// clearLosses sets to 0 the losses winding-up booked in the last step
// (writtenOff, badDebt), at the start of a step, for the few firms it
// booked them to (e.losses): every other firm's are 0 already, so this is
// the clear of both arrays without the pass over them.
func (e *engine) clearLosses() {
	for _, i := range e.losses {
		e.writtenOff[i], e.badDebt[i] = 0, 0
	}
	e.losses = e.losses[:0]
}

// flowsAssigned reports whether the first writer of each of the step's
// flows but the losses (clearLosses) stores it for every firm of the chunk
// it visits, as 0 + v or 0 − v — the bits the old clear followed by
// x += v or x −= v gave — and 0 for the firms it skips, in place of a
// clear by resetFlows: accrual's final sales for toExternal and
// reserveIn, the first payment round for toGov, toBank and repaidAll,
// and closing settlement for lent, in that order in the step; nothing
// reads them before. It holds with finance on and no intervention,
// whose writers (subsidise, relieve, factorReceivables, ...) come before
// those, and so only where the first round is paid in accrual's pass
// (phaseReceiveAccruePay), which every firm's close follows.
func (e *engine) flowsAssigned() bool { return e.p.finance && !e.iv.on() }

// bookBankFlows adds the step's flows of bank b's clients, summed per
// chunk by phaseTotals, to its capital, reserves, loans and bought
// receivables.
func (e *engine) bookBankFlows(b int) {
	bk := &e.banks[b]
	for c := range e.chunks {
		v := e.chunks[c].banks[b*numBankSums:]
		bk.capital += v[bankCapitalIn]
		bk.reserves += v[bankReservesIn]
		bk.loans += v[bankLoansIn]
	}
	if e.iv.on() {
		bk.factored += e.bankFactoredIn[b]
	}
}

// reduceFlows adds the step's per-firm flows, summed by phaseTotals, to
// the external sector, the government and the banks, in chunk order; then
// the government spends its receipts and banks pay out capital above their
// target.
func (e *engine) reduceFlows() {
	l := &e.ledger
	var sums [numSums]float64
	for c := range e.chunks {
		for k, v := range e.chunks[c].sums {
			sums[k] += v
		}
	}
	l.external += sums[sumToExternal]
	received := sums[sumToGov]
	l.government += received
	l.newLoans = sums[sumLent]
	l.repayments = sums[sumRepaid]
	l.writeOffs = sums[sumWrittenOff]
	if s := &e.iv; s.on() {
		l.government += sumChunked(s.govIn) - sumChunked(s.govOut)
		l.newLoans += sumChunked(s.factNew)
		l.repayments += sumChunked(s.factRepaid)
		l.writeOffs += sumChunked(s.factWrittenOff)
		clear(e.bankFactoredIn)
		for i := range e.bank {
			e.bankFactoredIn[e.bank[i]] += s.factNew[i] - s.factRepaid[i] - s.factWrittenOff[i]
		}
	}
	// Balanced budget outside interventions: the government spends what it
	// received this step on the external sector.
	l.government -= received
	l.external += received
	if e.bs != nil {
		e.reduceBankFlows()
		return
	}
	for b := range e.banks {
		bk := &e.banks[b]
		e.bookBankFlows(b)
		if d := bk.capital - bk.capitalTarget; d > 0 {
			bk.capital -= d
			bk.reserves -= d
			l.external += d
		}
	}
}
