package config

import "github.com/smesim/smesim/sim/units"

// Intervention kinds, as written in a scenario.
const (
	KindSupplyChainFinance = "supply-chain-finance"
	KindPolicyLoan         = "policy-loan"
	KindLoanGuarantee      = "loan-guarantee"
	KindInterestSubsidy    = "interest-subsidy"
	KindMoratorium         = "moratorium"
	KindTaxRelief          = "tax-relief"
	KindPaymentTermCap     = "payment-term-cap"
	KindCreditPush         = "credit-push"
)

// What a moratorium defers (InterventionConfig.Payments).
const (
	PaymentLoans         = "loans"
	PaymentTaxes         = "taxes"
	PaymentContributions = "contributions"
	PaymentFixedCosts    = "fixed-costs"
)

// Loan guarantee rules (InterventionConfig.Rule).
const (
	GuaranteeLegacy   = "legacy"
	GuaranteeNewMoney = "new-money"
)

// InterventionKinds lists the intervention kinds in documentation order.
func InterventionKinds() []string {
	return []string{KindSupplyChainFinance, KindPolicyLoan, KindLoanGuarantee, KindInterestSubsidy,
		KindMoratorium, KindTaxRelief, KindPaymentTermCap, KindCreditPush}
}

// BudgetKinds returns the intervention kinds that spend or commit money up
// to a budget; a scenario file must set budget for them.
func BudgetKinds() []string {
	return []string{KindSupplyChainFinance, KindPolicyLoan, KindLoanGuarantee, KindInterestSubsidy, KindTaxRelief}
}

// InterventionConfig is one [[interventions]] entry. It is active on the
// steps from Start to End (End excluded), counted from the first shock's
// start (From = "shock") or from step 0 (From = "run"). Keys tagged with
// kinds apply only to those kinds; the targeting keys (sme_only, sectors,
// roles, regions, chains, runway_below, bank_credit, suppliers_of,
// revenue_drop, viable_before, priority) select the firms a programme
// reaches and who is served first.
type InterventionConfig struct {
	Kind   string         `toml:"kind" enum:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief,payment-term-cap,credit-push" doc:"what the intervention does"`
	Name   string         `toml:"name" doc:"its arm name in outputs and in arms (default: the kind)"`
	From   string         `toml:"from" enum:"shock,run" doc:"what start and end count from: the first shock's start, or step 0 of the run"`
	Start  units.Duration `toml:"start" doc:"time from 'from' to the first step the intervention is active"`
	End    units.Duration `toml:"end" doc:"time from 'from' to the first step it is no longer active (after start)"`
	Budget float64        `toml:"budget" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,tax-relief" min:"0" max:"1e18" doc:"the most it may spend or commit, in currency units: receivables financed at once (supply-chain-finance factoring), supplier loans guaranteed (guarantee mode, loan-guarantee), loans disbursed (policy-loan), interest paid (interest-subsidy), tax and contributions waived (tax-relief)"`

	// supply-chain-finance
	Mode           string   `toml:"mode" kinds:"supply-chain-finance" enum:"factoring,guarantee" doc:"factoring: banks buy suppliers' receivables on the core at a discount priced on the core's risk; guarantee: the core guarantees its suppliers' bank loans and pays when they default"`
	Cores          []string `toml:"cores" kinds:"supply-chain-finance" doc:"ids of the participating core firms (empty: a core_share of all core firms, drawn per replication)"`
	CoreShare      float64  `toml:"core_share" kinds:"supply-chain-finance" min:"0" max:"1" doc:"share of core firms that participate when cores is empty"`
	Tiers          int      `toml:"tiers" kinds:"supply-chain-finance" min:"1" max:"2" doc:"1: the cores' direct SME suppliers; 2: also the SME suppliers of those suppliers, through tier 1"`
	AdvanceRate    float64  `toml:"advance_rate" kinds:"supply-chain-finance" min:"0" max:"1" doc:"factoring: share of an eligible receivable the bank buys"`
	DiscountSpread float64  `toml:"discount_spread" kinds:"supply-chain-finance" min:"0" max:"1" doc:"factoring: discount rate per year above the core's own loan rate"`
	Recourse       bool     `toml:"recourse" kinds:"supply-chain-finance" doc:"factoring: if the payer fails, the supplier owes the bank what the liquidator does not recover"`
	GuaranteeLimit float64  `toml:"guarantee_limit" kinds:"supply-chain-finance" min:"0" max:"10" doc:"guarantee: most a supplier may borrow under the core's guarantee, as a share of its yearly baseline revenue"`

	// policy-loan
	Rate       float64        `toml:"rate" kinds:"policy-loan" min:"0" max:"1" doc:"interest rate per year"`
	Term       units.Duration `toml:"term" kinds:"policy-loan" doc:"maturity: a 1/term share of principal falls due each year"`
	Allocation string         `toml:"allocation" kinds:"policy-loan" enum:"first-come,most-in-need" doc:"order in which a step's applicants are served while the budget lasts: random arrival order, or the largest need relative to revenue first"`
	Channel    string         `toml:"channel" kinds:"policy-loan" enum:"banks,direct" doc:"banks: only firms with a bank credit line whose score passes the bank's threshold; direct: every eligible firm"`
	MaxPerFirm float64        `toml:"max_per_firm" kinds:"policy-loan" minx:"0" max:"10" doc:"most one firm may owe, as a share of its yearly baseline revenue"`

	// loan-guarantee
	Coverage float64 `toml:"coverage" kinds:"loan-guarantee" min:"0" max:"1" doc:"share of a bank's loss on a guaranteed loan the state bears"`
	Fee      float64 `toml:"fee" kinds:"loan-guarantee" min:"0" max:"1" doc:"one-off fee paid to the state, as a share of the guaranteed principal"`
	Rule     string  `toml:"rule" kinds:"loan-guarantee" enum:"legacy,new-money" doc:"legacy: every loan of an eligible firm is guaranteed, rollovers included, and an eligible firm without a credit line gets one; new-money: only new money beyond rollover is guaranteed, taken when the loss it takes off the bank over the loan's life (coverage x min(1, pd x maturity) x (1 - recovery_rate)) is worth the fee, screened on the risk the bank retains, no line opened, and the lifetime expected loss on guarantees outstanding at the end is in the fiscal cost"`

	// interest-subsidy
	Share float64 `toml:"share" kinds:"interest-subsidy" min:"0" max:"1" doc:"share of the interest the state pays"`
	Loans string  `toml:"loans" kinds:"interest-subsidy" enum:"all,new" doc:"all: all bank loans of eligible firms; new: only what they borrow while the subsidy is active"`

	// moratorium
	Deferral          string         `toml:"deferral" kinds:"moratorium" enum:"principal,interest,both" doc:"what of bank loans' service is deferred: principal stays in the loan, interest is added to it; repayments resume at the end"`
	Payments          []string       `toml:"payments" kinds:"moratorium" enum:"loans,taxes,contributions,fixed-costs" doc:"what eligible firms may defer: loans (bank debt service, as deferral says); taxes owed; employers' social contributions (wage_contributions of the wage bill); fixed costs (rents and other overheads); non-loan payments are deferred without interest and fall due at the end (over repay_over)"`
	WageContributions float64        `toml:"wage_contributions" kinds:"moratorium" min:"0" max:"1" doc:"employers' social contributions as a share of the wage bill, the part of wages deferred when payments include contributions"`
	RepayOver         units.Duration `toml:"repay_over" kinds:"moratorium" omitdefault:"true" doc:"time over which the deferred non-loan payments are repaid after the end, in equal instalments each step from the first step after it (0, or less than half a step: whole in that step)"`
	FixedCostShare    float64        `toml:"fixed_cost_share" kinds:"moratorium" min:"0" max:"1" omitdefault:"true" doc:"share of fixed costs deferred when payments include fixed-costs (rents are part of fixed costs, with depreciation and other overheads; 1: all)"`

	// tax-relief
	TaxCut            float64 `toml:"tax_cut" kinds:"tax-relief" min:"0" max:"1" doc:"share of the tax on profit waived"`
	ContributionCut   float64 `toml:"contribution_cut" kinds:"tax-relief" min:"0" max:"1" doc:"share of employers' social contributions waived"`
	ContributionShare float64 `toml:"contribution_share" kinds:"tax-relief" min:"0" max:"1" doc:"social contributions as a share of the wage bill"`

	// payment-term-cap
	MaxTerm units.Duration `toml:"max_term" kinds:"payment-term-cap" doc:"longest time a core firm may take to pay an SME supplier"`

	// credit-push: the levers of a credit-supply shock (sim/creditpush.go),
	// in the arm, at full strength while the intervention is active, and
	// the central bank's funding of the pushed banks' new SME loans.
	SupplyRise      float64        `toml:"supply_rise" kinds:"credit-push" min:"0" max:"10" doc:"rise of the loan limits of SMEs that bank with the pushed banks and of those banks' share of new money granted (0.5: up to 50% more; the -depth of a credit-supply shock)"`
	ScoreEasing     float64        `toml:"score_easing" kinds:"credit-push" min:"0" max:"1" doc:"fall of the score threshold for SMEs, at every bank"`
	FirstLoanTakeUp float64        `toml:"first_loan_take_up" kinds:"credit-push" min:"0" max:"1" doc:"an unbanked SME in need applies for a first loan at least with this probability per step (finance.first_loan_take_up otherwise)"`
	BankKinds       []string       `toml:"bank_kinds" kinds:"credit-push" enum:"large-state,joint-stock,city,rural" doc:"kinds of bank whose SME lending supply_rise raises and funded_share funds (empty: every bank)"`
	FundedShare     float64        `toml:"funded_share" kinds:"credit-push" min:"0" max:"1" doc:"share of the pushed banks' new money to SMEs (beyond rollover) that the central bank funds at below its market rate (the PBoC's credit support tool of 2020: 0.4); 0: guidance only, no public money"`
	ForgoneRate     float64        `toml:"forgone_rate" kinds:"credit-push" min:"0" max:"1" doc:"rate per year the central bank forgoes on the funds: its market rate less what it charges the banks; the fiscal cost is funded money x forgone_rate x funding_term, booked when the loan is made"`
	FundingTerm     units.Duration `toml:"funding_term" kinds:"credit-push" doc:"how long the central bank's funds stay out"`

	// Targeting: who may use a programme that spends money, and who is
	// served first. sme_only, sectors, roles, regions, chains,
	// runway_below, bank_credit and suppliers_of are fixed before the run
	// (for supply-chain-finance they select the suppliers it covers);
	// revenue_drop and viable_before are checked each step.
	SMEOnly      bool           `toml:"sme_only" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" doc:"only SMEs are eligible"`
	Sectors      []string       `toml:"sectors" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" doc:"eligible sectors (empty: all)"`
	Roles        []string       `toml:"roles" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" enum:"raw-material,supplier,manufacturer,distributor,other" doc:"eligible roles (empty: all)"`
	Regions      []string       `toml:"regions" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" doc:"eligible regions (empty: all)"`
	Chains       []int          `toml:"chains" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" min:"0" max:"100000000" doc:"eligible supply chains, by number as in firms.csv (empty: all; a firm of no chain is then not eligible)"`
	RunwayBelow  units.Duration `toml:"runway_below" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" doc:"eligible only if the firm's starting cash covered less than this much of its costs (its cash runway; 0: any)"`
	BankCredit   string         `toml:"bank_credit" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" enum:"any,with,without" doc:"any: every firm; with: only firms with a bank credit line; without: only firms without one"`
	SuppliersOf  []string       `toml:"suppliers_of" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" doc:"ids of firms (the participating cores): only their direct suppliers are eligible (empty: any firm)"`
	RevenueDrop  float64        `toml:"revenue_drop" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" min:"0" max:"1" doc:"eligible only while revenue (smoothed over about four steps) is at least this share below its baseline"`
	ViableBefore bool           `toml:"viable_before" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,moratorium,tax-relief" doc:"eligible only if viable just before the shock: positive equity, no arrears and a credit score at the bank's threshold"`
	Priority     string         `toml:"priority" kinds:"supply-chain-finance,policy-loan,loan-guarantee,interest-subsidy,tax-relief" doc:"who is served first while the budget lasts (policy-loan; the other kinds scale every request down pro rata): first-come (random arrival order each step), most-in-need (largest need relative to revenue), network-impact (largest output of its suppliers and customers that depends on it), random (one lottery rank per firm for the whole run); empty: as allocation says"`
}

// Priorities lists the values of priority (an empty priority leaves the
// order to allocation).
func Priorities() []string { return []string{"first-come", "most-in-need", "network-impact", "random"} }

// DefaultIntervention returns the defaults of an [[interventions]] entry.
func DefaultIntervention() InterventionConfig {
	return InterventionConfig{
		From:              "shock",
		Mode:              "factoring",
		CoreShare:         1,
		Tiers:             1,
		AdvanceRate:       0.9,
		DiscountSpread:    0.01,
		GuaranteeLimit:    0.25,
		Rate:              0.02,
		Term:              units.MustDuration("1y"),
		Allocation:        "first-come",
		Channel:           "banks",
		MaxPerFirm:        0.25,
		Coverage:          0.8,
		Fee:               0.01,
		Rule:              GuaranteeLegacy,
		Share:             0.5,
		Loans:             "all",
		Deferral:          "both",
		Payments:          []string{PaymentLoans},
		WageContributions: 0.25,
		FixedCostShare:    1,
		TaxCut:            0.5,
		ContributionCut:   0.5,
		ContributionShare: 0.25,
		MaxTerm:           units.MustDuration("60d"),
		FundingTerm:       units.MustDuration("1y"),
		SMEOnly:           true,
		BankCredit:        "any",
	}
}

// RecordsCreditAccess reports whether runs of c record the count of banked
// SMEs (outcome's credit-access columns): when c pushes SME credit, by a
// credit-supply shock or a credit-push intervention in any arm, so that
// every arm of the scenario has the same columns.
func (c *Config) RecordsCreditAccess() bool {
	for _, s := range c.Shocks {
		if s.Kind == "credit-supply" {
			return true
		}
	}
	for _, iv := range c.Interventions {
		if iv.Kind == KindCreditPush {
			return true
		}
	}
	return false
}
