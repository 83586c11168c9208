// The central bank and bank resolution (finance.banking = "system",
// docs/model.md "Banks"): the central bank lends reserves to a bank whose
// reserves fall below 0 (lender of last resort) and takes them back when
// the bank has them again; the state recapitalises a bank that has stayed
// below its minimum capital ratio (or finance.resolution_car) for
// resolution_delay, in every arm alike, and the cost is fiscal.

package sim

import (
	"fmt"
	"math"

	"github.com/smesim/smesim/agents"
)

// centralBank is the central bank's balance sheet. Its assets are its
// loans to banks (the banks' cbLoans) and otherAssets, the securities
// against which it issued the banks' opening reserves; its liabilities are
// the banks' reserves, the government's and the external sector's
// accounts, and its equity, which earns the interest banks pay it:
//
//	Σ cbLoans + otherAssets = Σ reserves + government + external + equity
type centralBank struct {
	otherAssets float64
	equity      float64
}

// lenderOfLastResort lends each bank with negative reserves what brings
// them back to 0, and lets a bank that owes the central bank repay from
// its positive reserves.
func (e *engine) lenderOfLastResort() {
	for b := range e.banks {
		bk := &e.banks[b]
		switch {
		case bk.reserves < 0:
			x := -bk.reserves
			bk.cbLoans += x
			bk.reserves += x
		case bk.cbLoans > 0 && bk.reserves > 0:
			y := min(bk.reserves, bk.cbLoans)
			bk.cbLoans -= y
			bk.reserves -= y
		}
	}
}

// resolve recapitalises each bank that has been below its resolution
// threshold (resolution_car, or its car_min) for resolution_delay steps in
// a row back to car_start, with state money: the government pays it into
// the bank's capital and reserves. A bank between resolution_car and
// car_min is in its buffers: it lends less and pays no dividend, but the
// state does not step in.
func (e *engine) resolve() {
	bs := e.bs
	bs.recapStep = 0
	for b := range e.banks {
		bk := &e.banks[b]
		threshold := bk.carMin
		if bs.resolutionCAR > 0 {
			threshold = bs.resolutionCAR
		}
		bk.belowRun = agents.Streak(bk.belowRun, bk.car < threshold)
		x := agents.Recapitalisation(bk.capital, bk.rwa, bk.carStart, bk.belowRun, bs.resolutionDelay)
		if x <= 0 {
			continue
		}
		bk.capital += x
		bk.reserves += x
		e.ledger.government -= x
		bs.recapStep += x
		bk.belowRun = 0
		bk.car = carOf(bk.capital, bk.rwa, bk.carStart)
		if bk.reserves > 0 && bk.cbLoans > 0 {
			y := min(bk.reserves, bk.cbLoans)
			bk.cbLoans -= y
			bk.reserves -= y
		}
	}
	bs.recapTotal += bs.recapStep
}

// checkCentralBank verifies the central bank's balance sheet.
func (e *engine) checkCentralBank(t int) error {
	cb := &e.bs.cb
	l := &e.ledger
	assets, liabilities := cb.otherAssets, l.government+l.external+cb.equity
	scale := math.Abs(cb.otherAssets) + math.Abs(l.government) + math.Abs(l.external) + math.Abs(cb.equity)
	for b := range e.banks {
		bk := &e.banks[b]
		assets += bk.cbLoans + bk.relending
		liabilities += bk.reserves
		scale += math.Abs(bk.cbLoans) + math.Abs(bk.relending) + math.Abs(bk.reserves) + bk.size
	}
	if res := math.Abs(assets-liabilities) / max(scale, 1); !(res <= ledgerTolerance) {
		return &AccountingError{Step: t, Account: "central bank", Detail: fmt.Sprintf(
			"loans to banks and other assets %.17g ≠ reserves, government, external and equity %.17g (relative residual %.3g)", assets, liabilities, res)}
	}
	for b := range e.banks {
		if bk := &e.banks[b]; bk.reserves < -ledgerTolerance*max(bk.size, 1) || bk.cbLoans < -ledgerTolerance*max(bk.size, 1) {
			return &AccountingError{Step: t, Account: "bank " + e.bankName(b), Detail: fmt.Sprintf(
				"negative reserves %.17g or central-bank loans %.17g after the lender of last resort", bk.reserves, bk.cbLoans)}
		}
	}
	return nil
}
