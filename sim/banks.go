// The banking system (finance.banking = "system", docs/model.md "Banks"):
// banks by kind and region, their books by loan status — performing and
// non-performing — capital against risk-weighted assets, income and
// costs, loan-loss provisions, and how much they lend. The central bank
// and resolution are in centralbank.go. With banking = "legacy" none of
// this runs (e.bs is nil) and every bank lends up to capital /
// capital_ratio, as before.

package sim

import (
	"fmt"
	"math"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// bankSystem holds the banking system's parameters (per step) and its
// per-firm state; nil in legacy mode.
type bankSystem struct {
	nplAfter                  int32   // steps of arrears after which a loan is non-performing
	wSME, wCore, wNPL         float64 // risk weights
	pdBase                    float64 // yearly, at score 1
	lgd                       float64 // 1 − recovery_rate
	coverageMin               float64
	depositRate, costRate     float64 // per step
	lolrRate                  float64 // per step
	payout                    float64
	resolutionDelay           int
	resolutionCAR             float64   // 0: each bank's car_min
	arrearsRun                []int32   // per firm: steps in a row with debt service unpaid
	relent                    []float64 // per firm: policy loans relent through its bank (nil until the first)
	rollover                  []float64 // per firm: the part of this step's request that rolls over performing principal
	rollShare                 []float64 // per bank: share of rollovers granted this step (1, or 0 below car_min)
	provisionExpense          float64   // this step, all banks: provisions charged against capital (negative: released)
	recapStep, recapTotal     float64   // state money paid into banks' capital: this step, and so far
	cb                        centralBank
	workout                   workout      // failed firms' loans until they are written off (workout.go)
	outside                   outsideTerms // the outside book (outsidebook.go)
	syndicate                 *syndicate   // core syndication (syndication.go); nil when off
	totalRWA, total, totalNPL float64      // system sums at the end of the step, for record: RWA, loans, non-performing loans
	network, networkNPL       float64      // the same for the loans to the network's firms only
}

// bankBook is what the banking system adds to a bank's state.
type bankBook struct {
	carMin, carStart float64
	provisions       float64 // loan-loss provisions (a contra-asset)
	cbLoans          float64 // borrowed from the central bank as lender of last resort
	relending        float64 // borrowed from the central bank to lend on as policy loans (policyloans.go)
	funding          float64 // deposits from outside the network (households, other firms), fixed at the start
	smeLoans         float64 // performing loans to SMEs, at the end of the step
	coreLoans        float64 // performing loans to core enterprises
	npl              float64 // non-performing loans to the network's firms, the workout book's included
	workout          float64 // failed firms' loans in workout (workout.go)
	outside          float64 // performing loans outside the network (outsidebook.go)
	outsideNPL       float64 // non-performing loans outside the network
	participation    float64 // core syndication: its part of the cores' loans less its own cores' (syndication.go)
	coreWorkout      float64 // core syndication: its own syndicated cores' loans in workout
	rwa, car         float64 // risk-weighted assets and capital over them
	belowRun         int32   // steps in a row below car_min
}

// Per-bank sums of the banking system, after the legacy ones (numBankSums
// counts both): taken in phaseTotals by bankBooks.
const (
	bankSMELoans = numLegacyBankSums + iota
	bankCoreLoans
	bankNPL
	bankExpectedLoss
)

// newBankSystem compiles the banking system's parameters.
func newBankSystem(cfg *config.Config, p *params, n, nb int) *bankSystem {
	f := &cfg.Finance
	perStep := func(annual float64) float64 { return units.PerStep(annual, p.stepDays) }
	return &bankSystem{
		nplAfter:        int32(max(1, f.NPLAfter.WholeSteps(p.stepDays))),
		wSME:            f.RiskWeightSME,
		wCore:           f.RiskWeightCore,
		wNPL:            f.RiskWeightNPL,
		pdBase:          f.PDBase,
		lgd:             1 - cfg.Firms.RecoveryRate,
		coverageMin:     f.CoverageMin,
		depositRate:     perStep(f.DepositRate),
		costRate:        perStep(f.CostToAssets),
		lolrRate:        perStep(f.CBRate + f.LOLRSpread),
		payout:          f.BankPayout,
		resolutionDelay: max(1, f.ResolutionDelay.WholeSteps(p.stepDays)),
		resolutionCAR:   f.ResolutionCAR,
		arrearsRun:      make([]int32, n),
		rollover:        make([]float64, n),
		rollShare:       make([]float64, nb),
		workout:         newWorkout(f.NPLWorkout.WholeSteps(p.stepDays), nb),
		outside: outsideTerms{
			share:       f.OutsideBook,
			defaultRate: units.ProbabilityPerStep(f.OutsideDefaultRate, p.stepDays),
			pdYear:      f.OutsideDefaultRate,
			rate:        perStep(f.OutsideRate),
			recovery:    cfg.Firms.RecoveryRate,
		},
	}
}

// assignBanks draws each firm's bank in the banking system: with
// probability local_share (of SMEs or of cores) a city or rural bank of
// its region, by share among them; otherwise a national bank (large-state
// or joint-stock), by share. A firm whose region no local bank serves
// banks nationally, and one without national banks locally; when neither
// exists, with any bank by share. The draws are counter-based on (seed,
// replication, firm), so every arm shares them.
func (e *engine) assignBanks() error {
	cfg, net := e.cfg, e.net
	banks := cfg.Banks
	nr := max(1, len(net.RegionNames))
	local := make([][]int, nr)
	var national, all []int
	for b, bc := range banks {
		all = append(all, b)
		if bc.National() {
			national = append(national, b)
			continue
		}
		if len(bc.Regions) == 0 {
			for r := range local {
				local[r] = append(local[r], b)
			}
			continue
		}
		for _, name := range bc.Regions {
			r := -1
			for k, rn := range net.RegionNames {
				if rn == name {
					r = k
				}
			}
			if r < 0 {
				return &ScenarioError{fmt.Errorf("banks[%d].regions: %q is not a region of the network (regions: %v)", b, name, net.RegionNames)}
			}
			local[r] = append(local[r], b)
		}
	}
	pick := func(list []int, u float64) int32 {
		total := 0.0
		for _, b := range list {
			total += banks[b].Share
		}
		u *= total
		acc := 0.0
		for k, b := range list {
			acc += banks[b].Share
			if u < acc || k == len(list)-1 {
				return int32(b)
			}
		}
		return 0
	}
	key := mix(cfg.Seed, uint64(e.rep), streamBanks)
	for i := 0; i < net.N(); i++ {
		share := cfg.Finance.LocalShareSME
		if net.Kind[i] == network.Core {
			share = cfg.Finance.LocalShareCore
		}
		loc := local[min(int(net.Region[i]), nr-1)]
		list := national
		if uniformAt(key, 0, 2*i) < share && len(loc) > 0 || len(national) == 0 {
			list = loc
		}
		if len(list) == 0 {
			list = all
		}
		e.bank[i] = pick(list, uniformAt(key, 0, 2*i+1))
	}
	return nil
}

// openBankBooks sizes each bank's opening balance sheet in the banking
// system, once loans are set: provisions at the expected loss of the book,
// capital at car_start of the risk-weighted assets, reserves what balances
// loans − provisions + reserves = deposits + capital + funding. The
// network's firms hold only part of a bank's deposits: where their cash
// and the bank's capital do not fund its loans, deposits from outside the
// network (funding, which earns deposit_rate and stays put) close the gap,
// so that no bank starts on central-bank credit.
func (e *engine) openBankBooks(deposits []float64) {
	bs := e.bs
	for i := range e.loan {
		bk := &e.banks[e.bank[i]]
		if l := e.loan[i]; l > 0 {
			if e.net.Kind[i] == network.Core {
				bk.coreLoans += l
			} else {
				bk.smeLoans += l
			}
			bk.provisions += bs.expectedLoss(e.score[i], l, false)
		}
	}
	if bs.syndicate != nil {
		e.openParticipation()
	}
	for b := range e.banks {
		bk := &e.banks[b]
		bc := e.cfg.Banks[b]
		bk.carMin, bk.carStart = bc.CARMin, bc.CARStart
		bk.rwa = bs.wSME*bk.smeLoans + bs.wCore*bk.coreLoans
		if bs.outside.share > 0 {
			e.openOutsideBook(bk)
			bk.rwa += bs.wSME*bk.outside + bs.wNPL*bk.outsideNPL
			bk.provisions = agents.Provisions(bk.provisions+e.outsideProvisions(bk), bs.coverageMin, bk.outsideNPL)
		}
		bk.capital = bc.CARStart * bk.rwa
		bk.capitalTarget = bk.capital
		bk.car = carOf(bk.capital, bk.rwa, bc.CARStart)
		bk.reserves = deposits[b] + bk.capital - bk.loans - bk.participation - bk.outside - bk.outsideNPL + bk.provisions
		if bk.reserves < 0 {
			bk.funding = -bk.reserves
			bk.reserves = 0
		}
		bk.size = bk.loans + math.Abs(bk.participation) + bk.outside + bk.outsideNPL + bk.reserves + deposits[b] + bk.capital + bk.provisions + bk.funding
		bs.cb.otherAssets += bk.reserves
	}
	bs.sumBooks(e.banks)
}

// carOf is capital over risk-weighted assets; a bank without risk-weighted
// assets has the ratio it would start with (it lends freely).
func carOf(capital, rwa, carStart float64) float64 {
	if rwa <= 0 {
		return carStart
	}
	return capital / rwa
}

// bankBooks is the banking system's part of phaseTotals for chunk c: it
// counts each firm's steps in arrears and sums, per bank, performing loans
// to SMEs and cores, non-performing loans and the expected loss on them.
func (e *engine) bankBooks(c *chunkWork) {
	bs := e.bs
	lo, hi := c.lo, c.hi
	for b := range e.banks {
		v := c.banks[b*numBankSums:]
		v[bankSMELoans], v[bankCoreLoans], v[bankNPL], v[bankExpectedLoss] = 0, 0, 0, 0
	}
	kind := e.net.Kind
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			bs.arrearsRun[i] = 0
			continue
		}
		bs.arrearsRun[i] = agents.Streak(bs.arrearsRun[i], e.unpaidDebt[i] > 1e-12*e.baseOutput[i])
		l := e.loan[i]
		if l <= 0 {
			continue
		}
		if kind[i] == network.Core {
			c.row[outcome.CreditCore] += l
		} else {
			c.row[outcome.CreditSME] += l
		}
		v := c.banks[int(e.bank[i])*numBankSums:]
		npl := bs.arrearsRun[i] >= bs.nplAfter
		switch {
		case npl:
			v[bankNPL] += l
		case kind[i] == network.Core:
			v[bankCoreLoans] += l
		default:
			v[bankSMELoans] += l
		}
		v[bankExpectedLoss] += bs.expectedLoss(e.score[i], l, npl)
	}
}

// performing reports whether firm i's loan is performing: its borrower has
// not been in arrears for npl_after.
func (bs *bankSystem) performing(i int) bool { return bs.arrearsRun[i] < bs.nplAfter }

// bankShares sets, per bank, the share of requests for new money it funds
// (LendingSupply of its capital ratio at the end of the last step, times
// the credit shock's multiplier) and whether it rolls over performing
// principal (while at or above car_min).
func (e *engine) bankShares() {
	bs := e.bs
	for b := range e.banks {
		bk := &e.banks[b]
		e.grantShare[b] = e.pushShare(b, agents.LendingSupply(bk.car, bk.carMin, bk.carStart, e.shock.credit))
		bs.rollShare[b] = 0
		if bk.car >= bk.carMin {
			bs.rollShare[b] = 1
		}
	}
}

// closeBankBooks is the banking system's part of reduceFlows, once the
// step's flows are on each bank's books: provisions brought to what the
// book requires (the change is an expense against capital, and a
// write-off releases what was held against the loan), funding and
// operating costs, dividends, then the central bank (lender of last
// resort) and resolution.
func (e *engine) closeBankBooks(capitalBefore []float64) {
	bs := e.bs
	l := &e.ledger
	bs.provisionExpense = 0
	e.workoutDue()
	sy := bs.syndicate
	if sy != nil {
		e.participate()
	}
	for b := range e.banks {
		bk := &e.banks[b]
		e.outsideBookStep(bk)
		var sme, core, npl, expected, deposits float64
		for c := range e.chunks {
			v := e.chunks[c].banks[b*numBankSums:]
			sme += v[bankSMELoans]
			core += v[bankCoreLoans]
			npl += v[bankNPL]
			expected += v[bankExpectedLoss]
			deposits += v[bankDeposits]
		}
		workout := bk.workout
		if sy != nil {
			core += sy.dCore[b]
			npl += sy.dNPL[b]
			expected += sy.dExpected[b]
			workout += sy.dWorkout[b]
		}
		if workout != 0 {
			npl += workout
			expected += agents.ProvisionRate(0, bs.lgd, true) * workout
		}
		bk.smeLoans, bk.coreLoans, bk.npl = sme, core, npl
		need := agents.Provisions(expected, bs.coverageMin, npl)
		if bs.outside.share > 0 {
			need = agents.Provisions(expected+e.outsideProvisions(bk), bs.coverageMin, npl+bk.outsideNPL)
		}
		expense := need - bk.provisions
		bk.provisions = need
		bk.capital -= expense
		bs.provisionExpense += expense
		// Deposits' interest and operating costs are paid to the external
		// sector (depositors beyond the network's firms, staff, suppliers);
		// central-bank interest to the central bank.
		cost := bs.depositRate*(deposits+bk.funding) + bs.costRate*(bk.loans+bk.participation+bk.workout+bk.outside+bk.outsideNPL+max(0, bk.reserves))
		cbInterest := bs.lolrRate*bk.cbLoans + e.relendingService(bk)
		bk.capital -= cost + cbInterest
		bk.reserves -= cost + cbInterest
		l.external += cost
		bs.cb.equity += cbInterest
		bk.rwa = bs.wSME*sme + bs.wCore*core + bs.wNPL*npl
		if bs.outside.share > 0 {
			bk.rwa += bs.wSME*bk.outside + bs.wNPL*bk.outsideNPL
		}
		earnings := bk.capital - capitalBefore[b]
		if div := agents.BankDividend(bs.payout, earnings, bk.capital, bk.carStart*bk.rwa); div > 0 {
			bk.capital -= div
			bk.reserves -= div
			l.external += div
		}
		bk.car = carOf(bk.capital, bk.rwa, bk.carStart)
	}
	e.lenderOfLastResort()
	e.resolve()
	bs.sumBooks(e.banks)
}

// relendingService returns the interest a bank owes the central bank on
// its relending this step, at the policy loan's rate, and repays a
// 1/term share of the principal from its reserves (the lender of last
// resort covers what they lack).
func (e *engine) relendingService(bk *bankState) float64 {
	s := &e.iv
	if bk.relending <= 0 || s.govTerm <= 0 {
		return 0
	}
	interest := s.govRate * bk.relending
	repaid := bk.relending / s.govTerm
	bk.relending -= repaid
	bk.reserves -= repaid
	return interest
}

// sumBooks adds up the banks' books for record.
func (bs *bankSystem) sumBooks(banks []bankState) {
	bs.totalRWA, bs.total, bs.totalNPL, bs.network, bs.networkNPL = 0, 0, 0, 0, 0
	for b := range banks {
		bk := &banks[b]
		bs.totalRWA += bk.rwa
		bs.network += bk.smeLoans + bk.coreLoans + bk.npl
		bs.networkNPL += bk.npl
	}
	bs.total, bs.totalNPL = bs.network, bs.networkNPL
	if bs.outside.share > 0 {
		for b := range banks {
			bs.total += banks[b].outside + banks[b].outsideNPL
			bs.totalNPL += banks[b].outsideNPL
		}
	}
}

// recordBanks fills the banking system's metrics of row.
func (e *engine) recordBanks(row *[outcome.NumMetrics]float64) {
	bs := e.bs
	row[outcome.CAR] = carOf(row[outcome.BankCapital], bs.totalRWA, 0)
	row[outcome.CARLowest] = math.Inf(1)
	for b := range e.banks {
		bk := &e.banks[b]
		row[outcome.CARLowest] = min(row[outcome.CARLowest], bk.car)
		row[outcome.Provisions] += bk.provisions
		row[outcome.CBLending] += bk.cbLoans + bk.relending
	}
	if bs.total > 0 {
		row[outcome.NPLRatio] = bs.totalNPL / bs.total
	}
	row[outcome.ProvisionExpense] = bs.provisionExpense
	row[outcome.BankRecapitalisation] = bs.recapStep
	row[outcome.RecapitalisationCost] = bs.recapTotal
	row[outcome.FiscalCost] += bs.recapStep
}

// reduceBankFlows is reduceFlows' part for the banking system: the step's
// flows onto each bank's books, then closeBankBooks.
func (e *engine) reduceBankFlows() {
	before := e.bankLoans // scratch: capital before the step's flows (checkBalanceSheets reuses it later)
	for b := range e.banks {
		before[b] = e.banks[b].capital
		e.bookBankFlows(b)
	}
	e.closeBankBooks(before)
	e.ledger.provisionExpense = e.bs.provisionExpense
}
