package outcome

import "slices"

// Metric declares one column of the time series: its name in the result
// files, its unit ("firms", "jobs", "currency" or "multiplier"), its kind
// ("stock", measured at the end of the step, or "flow", over the step) and
// how it is computed. Money is in currency units per step.
type Metric struct {
	Name, Unit, Kind, Description string
}

// metrics is the one table of the time series, in column order and keyed
// by the index constants below (as Mesa's DataCollector keys its model
// reporters): the engine computes column m into row[m] of an array of
// NumMetrics values, so that a column cannot exist without its entry, and
// TestMetricTable checks that every index has one.
var metrics = [NumMetrics]Metric{
	FirmsActive:         {"firms_active", "firms", "stock", "firms not failed"},
	SMEsActive:          {"smes_active", "firms", "stock", "SMEs not failed"},
	CoresActive:         {"cores_active", "firms", "stock", "core enterprises not failed"},
	Failures:            {"failures", "firms", "flow", "firms failing this step"},
	FailuresSME:         {"failures_sme", "firms", "flow", "SMEs failing this step"},
	FailuresCore:        {"failures_core", "firms", "flow", "core firms failing this step"},
	Output:              {"output", "currency", "flow", "gross output of firms not failed"},
	ValueAdded:          {"value_added", "currency", "flow", "output less intermediate and imported inputs used"},
	FinalDemand:         {"final_demand", "currency", "flow", "final demand addressed to firms"},
	FinalSales:          {"final_sales", "currency", "flow", "final demand served"},
	Employment:          {"employment", "jobs", "stock", "baseline jobs of firms not failed"},
	DemandDomestic:      {"demand_domestic", "multiplier", "stock", "domestic final-demand multiplier (1 = baseline)"},
	LockedDown:          {"locked_down", "firms", "stock", "firms unable to produce because of a lockdown"},
	Cash:                {"cash", "currency", "stock", "firms' cash"},
	CreditOutstanding:   {"credit_outstanding", "currency", "stock", "firms' bank loans"},
	NewLoans:            {"new_loans", "currency", "flow", "bank loans granted (capitalised interest included)"},
	BankCapital:         {"bank_capital", "currency", "stock", "banks' capital"},
	WriteOffs:           {"write_offs", "currency", "flow", "bank loans and bought receivables written off"},
	TradeCredit:         {"trade_credit", "currency", "stock", "trade payables outstanding between firms"},
	BadDebt:             {"bad_debt", "currency", "flow", "suppliers' losses on receivables from failed buyers"},
	CreditDenied:        {"credit_denied", "firms", "flow", "firms denied (part of) the credit they asked for"},
	BankLosses:          {"bank_losses", "currency", "flow", "write_offs less guarantee_calls_state and guarantee_calls_core"},
	GuaranteeCallsState: {"guarantee_calls_state", "currency", "flow", "paid by the state to banks on guaranteed loans"},
	GuaranteeCallsCore:  {"guarantee_calls_core", "currency", "flow", "paid by core firms to banks on the loans of suppliers they guaranteed"},
	FiscalCost:          {"fiscal_cost", "currency", "flow", "public money spent on interventions, net of fees and interest received, and on recapitalising banks (bank_recapitalisation)"},
	PolicyLoans:         {"policy_loans", "currency", "stock", "policy loans outstanding"},
	PolicyLoanLosses:    {"policy_loan_losses", "currency", "flow", "policy loans written off"},
	Factored:            {"factored", "currency", "stock", "receivables held by banks under supply chain finance"},
	DemandExport:        {"demand_export", "multiplier", "stock", "export final-demand multiplier, averaged over export markets by baseline exports (1 = baseline)"},
	SMEsLockedDown:      {"smes_locked_down", "firms", "stock", "SMEs unable to produce because of a lockdown"},
	// Recorded only with finance.banking = "system" (NumLegacyMetrics).
	CAR:                  {"car", "multiplier", "stock", "banks' capital over their risk-weighted assets, all banks"},
	CARLowest:            {"car_lowest", "multiplier", "stock", "the lowest capital ratio of any bank"},
	NPLRatio:             {"npl_ratio", "multiplier", "stock", "non-performing loans over all loans (a loan is non-performing once its borrower has been in arrears for npl_after, or, with npl_workout, its borrower has failed; with an outside book, both books)"},
	Provisions:           {"provisions", "currency", "stock", "banks' loan-loss provisions"},
	ProvisionExpense:     {"provision_expense", "currency", "flow", "provisions charged against banks' capital (negative: released, as on loans written off)"},
	CBLending:            {"cb_lending", "currency", "stock", "central-bank loans to banks: lender of last resort and relending"},
	BankRecapitalisation: {"bank_recapitalisation", "currency", "flow", "state money paid into the capital of banks below car_min (or finance.resolution_car) for resolution_delay (part of fiscal_cost)"},
	RecapitalisationCost: {"recapitalisation_cost", "currency", "stock", "bank_recapitalisation so far"},
	CreditSME:            {"credit_sme", "currency", "stock", "SMEs' bank loans"},
	CreditCore:           {"credit_core", "currency", "stock", "core enterprises' bank loans"},
}

// Indexes into the metrics: the columns of the time series.
const (
	FirmsActive = iota
	SMEsActive
	CoresActive
	Failures
	FailuresSME
	FailuresCore
	Output
	ValueAdded
	FinalDemand
	FinalSales
	Employment
	DemandDomestic
	LockedDown
	Cash
	CreditOutstanding
	NewLoans
	BankCapital
	WriteOffs
	TradeCredit
	BadDebt
	CreditDenied
	BankLosses
	GuaranteeCallsState
	GuaranteeCallsCore
	FiscalCost
	PolicyLoans
	PolicyLoanLosses
	Factored
	DemandExport
	SMEsLockedDown
	CAR
	CARLowest
	NPLRatio
	Provisions
	ProvisionExpense
	CBLending
	BankRecapitalisation
	RecapitalisationCost
	CreditSME
	CreditCore
	NumMetrics
)

// NumLegacyMetrics is the number of columns recorded with finance.banking
// = "legacy": the table up to the banking system's metrics, which come
// last and are recorded only with finance.banking = "system".
const NumLegacyMetrics = CAR

// demographyMetrics are the columns that follow metrics in the time series
// of a run with demography (exits or an entry pool), and only then, so
// that runs without it keep their columns.
var demographyMetrics = [NumDemographyMetrics]Metric{
	Entries:        {"entries", "firms", "flow", "dormant firms entering this step"},
	Exits:          {"exits", "firms", "flow", "firms closing in an orderly way this step (background exits, not failures)"},
	EntrantsActive: {"entrants_active", "firms", "stock", "entrants neither failed nor exited"},
	OwnerEquityIn:  {"owner_equity_in", "currency", "flow", "equity paid by owners into entrants"},
	OwnerEquityOut: {"owner_equity_out", "currency", "flow", "what the owners of exiting firms get back: the orderly proceeds of the assets less the liabilities, when positive"},
}

// Indexes into demographyMetrics: in a run with demography, the columns
// that follow the others (see RunMetricNames).
const (
	Entries = iota
	Exits
	EntrantsActive
	OwnerEquityIn
	OwnerEquityOut
	NumDemographyMetrics
)

// outsideBookMetrics are the columns that follow the others in a run whose
// banks hold an outside book (finance.outside_book > 0), and only then.
var outsideBookMetrics = [NumOutsideBookMetrics]Metric{
	NPLRatioNetwork: {"npl_ratio_network", "multiplier", "stock", "non-performing loans to the network's firms over the loans to them (npl_ratio counts the banks' outside books too)"},
}

// Indexes into outsideBookMetrics: in a run with an outside book, the
// columns that come last (see RunMetricNames).
const (
	NPLRatioNetwork = iota
	NumOutsideBookMetrics
)

// creditAccessMetrics are the columns that follow all others in a run of a
// scenario with a push of SME credit (a credit-supply shock or a
// credit-push intervention, config.Config.RecordsCreditAccess), and only
// then: the count of SMEs with a bank loan, which the push's first loans
// raise (CBIRC: 25.4M small and micro firms with loans at end-2020, 4.45M
// more than at its start).
var creditAccessMetrics = [NumCreditAccessMetrics]Metric{
	BankedSMEs:     {"banked_smes", "firms", "stock", "SMEs not failed with a bank credit line"},
	BankedSMEShare: {"banked_sme_share", "multiplier", "stock", "banked_smes over smes_active"},
}

// Indexes into creditAccessMetrics: in a run with a credit push, the
// columns that come last (see RunMetricNames).
const (
	BankedSMEs = iota
	BankedSMEShare
	NumCreditAccessMetrics
)

// Metrics returns the time-series metrics in column order: those of runs
// with demography, then those of runs with an outside book, then those of
// runs with a credit push, last.
func Metrics() []Metric {
	all := append(slices.Clone(metrics[:]), demographyMetrics[:]...)
	return append(append(all, outsideBookMetrics[:]...), creditAccessMetrics[:]...)
}

// MetricNames returns the names of the time-series metrics in column
// order, those of runs with demography last.
func MetricNames() []string {
	all := Metrics()
	names := make([]string, len(all))
	for m, d := range all {
		names[m] = d.Name
	}
	return names
}

// RunMetricNames returns the columns a run records, in order: the legacy
// metrics, then the banking system's with banking (finance.banking =
// "system"), then demography's with demography
// (config.Config.RecordsDemography), then the outside book's with outside
// (finance.outside_book > 0), then credit access with credit
// (config.Config.RecordsCreditAccess).
func RunMetricNames(banking, demography, outside, credit bool) []string {
	names := MetricNames()
	out := names[:NumLegacyMetrics:NumLegacyMetrics]
	if banking {
		out = append(out, names[NumLegacyMetrics:NumMetrics]...)
	}
	if demography {
		out = append(out, names[NumMetrics:NumMetrics+NumDemographyMetrics]...)
	}
	from := NumMetrics + NumDemographyMetrics
	if outside {
		out = append(out, names[from:from+NumOutsideBookMetrics]...)
	}
	if credit {
		out = append(out, names[from+NumOutsideBookMetrics:]...)
	}
	return out
}
