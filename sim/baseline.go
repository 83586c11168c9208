// The baseline: technical coefficients, the Leontief steady state of output
// and the opening balance sheets (banks, cash, trade credit, loans), so that
// without shocks nothing moves.

package sim

import (
	"fmt"
	"math"

	"github.com/smesim/smesim/agents"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

func roleValue(v config.RoleValues, r network.Role) float64 {
	switch r {
	case network.RoleRawMaterial:
		return v.RawMaterial
	case network.RoleSupplier:
		return v.Supplier
	case network.RoleManufacturer:
		return v.Manufacturer
	case network.RoleDistributor:
		return v.Distributor
	}
	return v.Other
}

// initPhysical sets technical coefficients and solves the steady state:
// gross output x = f + A x, inventories at target, orders equal to use.
// A network with flows fixes x and A itself: x is final demand plus sales
// to other firms, and an edge's coefficient is its flow over its buyer's
// output.
func (e *engine) initPhysical() error {
	net, p := e.net, &e.p
	perStep := p.stepDays / units.DaysPerYear
	for r := range e.importCoeff {
		e.importCoeff[r] = roleValue(e.cfg.Production.ImportShare, network.Role(r))
	}
	for b := 0; b < net.N(); b++ {
		fd := net.FinalDemand[b] * perStep
		if net.IsDormant(b) {
			fd = 0 // an entrant's final demand is set when it enters
		}
		e.fdExport[b] = fd * net.ExportShare[b]
		e.fdDomestic[b] = fd - e.fdExport[b]
		role := net.Role[b]
		slots := net.SlotStart[b+1] - net.SlotStart[b]
		if slots == 0 || net.Flow != nil {
			continue
		}
		share := roleValue(e.cfg.Production.InputShare, role) / float64(slots)
		for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
			e.slotCoeff[s] = share
			for k := net.SlotEdgeStart[s]; k < net.SlotEdgeStart[s+1]; k++ {
				e.edgeCoeff[k] = share * net.Weight[k]
			}
		}
	}
	if net.Flow != nil {
		if err := e.coefficientsFromFlows(perStep); err != nil {
			return err
		}
	} else if err := e.solveLeontief(); err != nil {
		return err
	}
	if e.cfg.Production.DemandSwitching {
		ns := max(1, len(net.SectorNames))
		for i := 0; i < net.N(); i++ {
			ns = max(ns, int(net.Sector[i])+1)
		}
		e.sectorFD, e.sectorAliveFD, e.sectorScale = make([]float64, ns), make([]float64, ns), make([]float64, ns)
		for i := 0; i < net.N(); i++ {
			e.sectorFD[net.Sector[i]] += e.fdDomestic[i] + e.fdExport[i]
		}
		copy(e.sectorAliveFD, e.sectorFD)
		for s := range e.sectorScale {
			e.sectorScale[s] = 1
		}
	}
	if k := len(net.MarketNames); k > 0 {
		w := make([]float64, k)
		total := 0.0
		for i := 0; i < net.N(); i++ {
			if m := net.ExportMarket[i]; m >= 0 {
				w[m] += e.fdExport[i]
				total += e.fdExport[i]
			}
		}
		if total > 0 {
			for m := range w {
				w[m] /= total
			}
			e.exportWeights = w
		}
	}
	spare := 1 + e.cfg.Production.SpareCapacity
	for i := 0; i < net.N(); i++ {
		use := e.importCoeff[net.Role[i]]
		for s := net.SlotStart[i]; s < net.SlotStart[i+1]; s++ {
			use += e.slotCoeff[s]
		}
		e.inputShare[i] = use
		x := e.baseOutput[i]
		e.capacity[i] = spare * x
		e.planned[i] = x
		e.output[i] = x
		if e.demand != nil {
			e.demand[i] = x
		}
		e.revenueEMA[i] = x
		e.stockAtTarget(i, x)
	}
	for k := range e.order {
		f := e.baseFlowOf(net.Buyer[k], int32(k))
		e.order[k], e.delivery[k] = f, f
	}
	return nil
}

// coefficientsFromFlows sets baseline output and input coefficients from
// the network's flows: a firm's output per step is its final demand plus
// its sales to other firms, an edge's coefficient its flow over its
// buyer's output, and a slot's the sum of its edges'. Output then solves
// x = f + A x exactly. With finance on, a firm's inputs (with imports)
// must cost less than its output.
func (e *engine) coefficientsFromFlows(perStep float64) error {
	net := e.net
	x := e.baseOutput
	for i := range x {
		x[i] = e.fdDomestic[i] + e.fdExport[i]
	}
	for k, f := range net.Flow {
		x[net.Supplier[k]] += f * perStep
	}
	for i, v := range x {
		if !(v > 0) {
			return fmt.Errorf("firm %s has no output at baseline: it has neither buyers nor final demand", net.Name(i))
		}
	}
	for s := 0; s < net.Slots(); s++ {
		c := 0.0
		for k := net.SlotEdgeStart[s]; k < net.SlotEdgeStart[s+1]; k++ {
			e.edgeCoeff[k] = net.Flow[k] * perStep / x[net.Buyer[k]]
			c += e.edgeCoeff[k]
		}
		e.slotCoeff[s] = c
	}
	if !e.p.finance {
		return nil
	}
	for i := 0; i < net.N(); i++ {
		use := e.importCoeff[net.Role[i]]
		for s := net.SlotStart[i]; s < net.SlotStart[i+1]; s++ {
			use += e.slotCoeff[s]
		}
		if use >= 1 {
			return &ScenarioError{fmt.Errorf("network: firm %s buys inputs (%.6g per unit of output, with import_share) worth at least its output: with finance on, a firm must add value", net.Name(i), use)}
		}
	}
	return nil
}

// solveLeontief finds x = f + A x by Gauss–Seidel sweeps over suppliers; it
// converges because every buyer's input shares sum to less than one.
func (e *engine) solveLeontief() error {
	net := e.net
	x := e.baseOutput
	for i := range x {
		x[i] = e.fdDomestic[i] + e.fdExport[i]
	}
	for iter := 0; iter < 10000; iter++ {
		change := 0.0
		for s := net.N() - 1; s >= 0; s-- {
			v := e.fdDomestic[s] + e.fdExport[s]
			for k := net.OutStart[s]; k < net.OutStart[s+1]; k++ {
				ed := net.OutEdge[k]
				v += e.edgeCoeff[ed] * x[net.Buyer[ed]]
			}
			if d := math.Abs(v-x[s]) / math.Max(v, 1e-300); d > change {
				change = d
			}
			x[s] = v
		}
		if change < 1e-14 {
			for i, v := range x {
				if !(v > 0) && !net.IsDormant(i) {
					return fmt.Errorf("firm %s has no output at baseline: it has neither buyers nor final demand", net.Name(i))
				}
			}
			return nil
		}
	}
	return fmt.Errorf("baseline output did not converge: input shares too close to 1")
}

// initFinance assigns banks, draws starting cash from the runway
// distribution, sets trade credit at its steady state and sizes loans and
// bank capital, so that the baseline is stationary: every flow is matched
// and profit after tax is paid out. With finance.banking = "system", banks
// are assigned by region and kind (assignBanks) and their books opened on
// risk-weighted assets (openBankBooks).
func (e *engine) initFinance() error {
	cfg, net, p := e.cfg, e.net, &e.p
	n := net.N()
	banks := cfg.Banks
	if len(banks) == 0 {
		banks = []config.BankConfig{config.DefaultBank()}
	}
	e.banks = make([]bankState, len(banks))
	for b, bc := range banks {
		e.banks[b] = bankState{capitalRatio: bc.CapitalRatio, baseRate: bc.BaseRate, riskSpread: bc.RiskSpread}
	}
	if !p.finance {
		return nil // the firms' costs and jobs are not set: e.kinds is zero
	}
	e.initKinds()
	system := cfg.Finance.Banking == "system"
	if system {
		e.bs = newBankSystem(cfg, p, n, len(e.banks))
		e.bs.syndicate = e.newSyndicate()
		if err := e.assignBanks(); err != nil {
			return err
		}
	}
	rng := stream(cfg.Seed, e.rep, streamFirms)
	totalShare := 0.0
	for _, bc := range banks {
		totalShare += bc.Share
	}
	stepsPerMonth := units.DaysPerMonth / p.stepDays
	runwayScale := e.runwayScale()
	for i := 0; i < n; i++ {
		// Bank by share. The draw is taken in the banking system too, so
		// that the firms' other draws are the same in both.
		u, acc := rng.Float64()*totalShare, 0.0
		for b, bc := range banks {
			if system {
				break
			}
			acc += bc.Share
			if u < acc || b == len(banks)-1 {
				e.bank[i] = int32(b)
				break
			}
		}
		kp := e.firmParams(i)
		e.hasCredit[i] = rng.Float64() < e.creditAccess(i, kp)
		if len(kp.CashRunwayMonths) > 1 {
			e.runway[i] = runwayFromProfile(kp.CashRunwayMonths, kp.CashRunwayShares, rng.Float64())
		} else {
			e.runway[i] = kp.CashRunwayMedian.Days() / units.DaysPerMonth * math.Exp(kp.CashRunwayDispersion*rng.NormFloat64())
		}
		if runwayScale != nil && net.Kind[i] == network.SME {
			e.runway[i] *= runwayScale[net.Class(i)]
		}
	}
	e.drawLinkTerms()
	e.setMaturities()
	// Trade credit at steady state: after paying 1/T of its payable each
	// step, a buyer owes T−1 steps of deliveries.
	for k := range e.payable {
		e.payable[k] = e.baseFlowOf(e.net.Buyer[k], int32(k)) * (e.termOf(k) - 1)
	}
	for i := 0; i < n; i++ {
		e.banks[e.bank[i]].loans += e.openBooks(i, e.firmParams(i), stepsPerMonth)
	}
	deposits := make([]float64, len(e.banks))
	for i := 0; i < n; i++ {
		deposits[e.bank[i]] += e.cash[i]
	}
	if system {
		e.openBankBooks(deposits)
		e.ledger.opening, _ = e.moneySum()
		return nil
	}
	for b := range e.banks {
		bk := &e.banks[b]
		bc := banks[b]
		bk.capital = bc.CapitalRatio * bk.loans * (1 + bc.LendingHeadroom)
		bk.capitalTarget = bk.capital
		bk.reserves = deposits[b] + bk.capital - bk.loans
		bk.size = bk.loans + math.Abs(bk.reserves) + deposits[b] + bk.capital
	}
	e.ledger.opening, _ = e.moneySum()
	return nil
}

// firmParams returns the parameters of firm i's kind.
func (e *engine) firmParams(i int) *config.FirmParams {
	if e.net.Kind[i] == network.Core {
		return &e.cfg.Firms.Core
	}
	return &e.cfg.Firms.SME
}

// kindParams are the parameters every firm of a kind shares (engine.kinds):
// a step reads them through the firm's kind byte, 1 byte per firm instead
// of 8 per parameter, and a firm's wage bill, jobs and fixed assets, its
// kind's share of its baseline output, are computed where they are used
// (wageOf, jobsOf, fixedAssetsOf) rather than stored. No mechanism changes
// them for one firm; a payment term of a firm's own is a link's
// (linkTerm). Without finance they are zero.
type kindParams struct {
	wageFlex    float64 // share of the wage bill that follows output
	taxRate     float64
	termSteps   float64 // payment term, steps
	payout      float64 // share of profit after tax paid out
	wageShare   float64 // wage bill per unit of baseline output
	jobsPerUnit float64 // jobs per million of yearly baseline output
	fixedAssets float64 // fixed assets per unit of yearly baseline output
}

// initKinds sets the parameters of each kind of firm.
func (e *engine) initKinds() {
	for k, kp := range [...]*config.FirmParams{network.SME: &e.cfg.Firms.SME, network.Core: &e.cfg.Firms.Core} {
		e.kinds[k] = kindParams{
			wageFlex:    kp.WageFlexibility,
			taxRate:     kp.TaxRate,
			termSteps:   max(1, kp.PaymentTerm.Steps(e.p.stepDays)),
			payout:      kp.DividendPayout,
			wageShare:   kp.WageShare,
			jobsPerUnit: kp.JobsPerMillion,
			fixedAssets: kp.FixedAssetsToRevenue,
		}
	}
}

// kindOf returns the parameters of firm i's kind.
func (e *engine) kindOf(i int) *kindParams { return &e.kinds[e.net.Kind[i]] }

// wage returns the wage bill per step, at baseline output x, of a firm of
// kind k.
func (k *kindParams) wage(x float64) float64 { return k.wageShare * x }

// jobs returns the jobs of a firm of kind k of baseline output x per step,
// with stepsPerYear steps a year.
func (k *kindParams) jobs(x, stepsPerYear float64) float64 {
	return k.jobsPerUnit * x * stepsPerYear / 1e6
}

// plant returns the fixed assets, at book value, of a firm of kind k of
// baseline output x per step, with stepsPerYear steps a year.
func (k *kindParams) plant(x, stepsPerYear float64) float64 {
	return k.fixedAssets * x * stepsPerYear
}

// wageOf returns firm i's wage bill per step at baseline output.
func (e *engine) wageOf(i int) float64 { return e.kindOf(i).wage(e.baseOutput[i]) }

// jobsOf returns firm i's jobs.
func (e *engine) jobsOf(i int) float64 { return e.kindOf(i).jobs(e.baseOutput[i], e.p.stepsPerYear) }

// fixedAssetsOf returns firm i's plant and equipment at book value.
func (e *engine) fixedAssetsOf(i int) float64 {
	return e.kindOf(i).plant(e.baseOutput[i], e.p.stepsPerYear)
}

// openBooks sizes firm i's starting cash (its runway of costs), its bank
// loan (the part of debt_to_assets its payables leave, with a credit
// line), equity, loan rate, fixed cost, cash buffer and credit limit, and
// returns the loan.
func (e *engine) openBooks(i int, kp *config.FirmParams, stepsPerMonth float64) float64 {
	p := &e.p
	// Fixed costs are what value added leaves after wages and the
	// target margin, before interest; interest is set on the loan,
	// which depends on assets, which include cash, which covers fixed
	// costs — so size cash and the loan on operating costs first.
	x := e.baseOutput[i]
	va := x * (1 - e.inputShare[i])
	operating := max(0, va-e.wageOf(i)-kp.ProfitMargin*x)
	e.cash[i] = e.runway[i] * stepsPerMonth * (e.wageOf(i) + operating)
	assets := e.firmAssets(i)
	payables := e.firmLiabilities(i)
	l := 0.0
	if e.hasCredit[i] {
		l = max(0, kp.DebtToAssets*assets-payables)
	}
	e.loan[i] = l
	e.equity[i] = assets - payables - l
	bk := &e.banks[e.bank[i]]
	score := agents.CreditScore(e.equity[i], assets, 1, 0, 1, false)
	e.score[i] = score
	e.loanRate[i] = units.PerStep(agents.LoanRate(bk.baseRate, bk.riskSpread, score, 0), p.stepDays)
	// The fixed cost absorbs interest so that the margin is the target.
	e.fixedCost[i] = max(0, operating-l*e.loanRate[i])
	e.cashTarget[i] = e.cash[i]
	buffer := kp.CashBuffer.Steps(p.stepDays) * (e.wageOf(i) + e.fixedCost[i] + l*e.loanRate[i])
	e.buffer[i] = min(buffer, e.cash[i])
	if e.hasCredit[i] {
		e.loanLimit[i] = max(agents.LoanLimit(p.maxLoanToRev, x*p.stepsPerYear, 0), l)
	}
	return l
}

// runwayScale returns the factor by which an SME's drawn cash runway is
// scaled, by size class (demography.runway_scale through
// agents.LogMeanFactors, so that the classes share the SMEs' runway
// without changing its log-mean), or nil when runways do not depend on
// size: the draw is the same either way, so no other draw moves.
func (e *engine) runwayScale() []float64 {
	d := &e.cfg.Demography
	if !d.SizeClasses || d.RunwayScale.Neutral() {
		return nil
	}
	f := agents.LogMeanFactors(
		[]float64{d.ClassShares.Micro, d.ClassShares.Small, d.ClassShares.Medium},
		[]float64{d.RunwayScale.Micro, d.RunwayScale.Small, d.RunwayScale.Medium})
	out := make([]float64, network.NumSizeClasses)
	out[network.Unclassified], out[network.Large] = 1, 1
	copy(out[network.Micro:network.Medium+1], f)
	return out
}

// runwayFromProfile returns the runway, in months, at cumulative share u of
// a profile: months[j] is the runway at or below which shares[j] of firms
// lie; between points the runway is interpolated in log-months, so that
// each share is hit exactly. Shares run from 0 to 1.
func runwayFromProfile(months, shares []float64, u float64) float64 {
	for j := 1; j < len(months); j++ {
		if u <= shares[j] || j == len(months)-1 {
			lo, hi := shares[j-1], shares[j]
			f := 1.0
			if hi > lo {
				f = min(1, max(0, (u-lo)/(hi-lo)))
			}
			return math.Exp(math.Log(months[j-1]) + f*(math.Log(months[j])-math.Log(months[j-1])))
		}
	}
	return months[len(months)-1]
}

// drawLinkTerms draws, when a kind of firm has payment_term_dispersion > 0,
// the payment term of each of its links to its suppliers: log-normal with
// the buyer's payment_term as its mean, at least one step. The stream is
// the links' own, so the other draws do not move, and every arm of a
// replication shares it.
func (e *engine) drawLinkTerms() {
	cfg, net := e.cfg, e.net
	if cfg.Firms.SME.PaymentTermSpread == 0 && cfg.Firms.Core.PaymentTermSpread == 0 {
		return
	}
	rng := stream(cfg.Seed, e.rep, streamTerms)
	e.linkTerm = make([]float64, len(e.payable))
	for k := range e.linkTerm {
		b := net.Buyer[k]
		sigma := cfg.Firms.SME.PaymentTermSpread
		if net.Kind[b] == network.Core {
			sigma = cfg.Firms.Core.PaymentTermSpread
		}
		z := rng.NormFloat64() // drawn for every link, so each link's draw does not depend on the other kind's spread
		e.linkTerm[k] = max(1, e.kindOf(int(b)).termSteps*math.Exp(sigma*z-sigma*sigma/2))
	}
}

// termOf returns the payment term of link k in steps: its own when links
// have terms of their own, its buyer's otherwise.
func (e *engine) termOf(k int) float64 {
	if e.linkTerm != nil {
		return e.linkTerm[k]
	}
	return e.kindOf(int(e.net.Buyer[k])).termSteps
}

// setMaturities gives each firm its kind's loan maturity when a kind has a
// loan_maturity of its own (firms.*.loan_maturity), finance.loan_maturity
// otherwise.
func (e *engine) setMaturities() {
	cfg, net := e.cfg, e.net
	sme, core := cfg.Firms.SME.LoanMaturity, cfg.Firms.Core.LoanMaturity
	if sme.Value == 0 && core.Value == 0 {
		return
	}
	e.maturity = make([]float64, net.N())
	for i := range e.maturity {
		m := sme
		if net.Kind[i] == network.Core {
			m = core
		}
		e.maturity[i] = e.p.loanMaturity
		if m.Value > 0 {
			e.maturity[i] = max(1, m.Steps(e.p.stepDays))
		}
	}
}

// maturityOf returns firm i's loan maturity in steps.
func (e *engine) maturityOf(i int) float64 {
	if e.maturity != nil {
		return e.maturity[i]
	}
	return e.p.loanMaturity
}

// creditAccess returns the probability that firm i has a bank credit line:
// its size class's with demography.credit_by_class (SMEs), its kind's
// otherwise. The draw it is compared with is the same either way, so the
// firms' other draws do not move.
func (e *engine) creditAccess(i int, kp *config.FirmParams) float64 {
	d := &e.cfg.Demography
	if !d.CreditByClass || e.net.Kind[i] != network.SME {
		return kp.CreditAccess
	}
	switch e.net.Class(i) {
	case network.Micro:
		return d.CreditAccess.Micro
	case network.Small:
		return d.CreditAccess.Small
	case network.Medium:
		return d.CreditAccess.Medium
	}
	return kp.CreditAccess
}

// stockAtTarget gives firm i, producing x a step, its input stocks at
// target — imported inputs, each input slot's stock and, with one stock per
// supplier link (production.inventories = "link"), each link's — and the
// import order that keeps them there: the books of step 0, and an
// entrant's (demography.go).
func (e *engine) stockAtTarget(i int, x float64) {
	net, invTarget := e.net, e.p.invTarget
	c := e.importCoeff[net.Role[i]]
	e.importInv[i] = invTarget * c * x
	e.importOrder[i] = c * x
	for s := net.SlotStart[i]; s < net.SlotStart[i+1]; s++ {
		e.slotInv[s] = invTarget * e.slotCoeff[s] * x
	}
	if e.edgeInv != nil {
		for k := net.InStart[i]; k < net.InStart[i+1]; k++ {
			e.edgeInv[k] = invTarget * e.edgeCoeff[k] * x
		}
	}
}
