package config

import (
	"github.com/smesim/smesim/sim/units"
)

// Config is a scenario: everything the engine needs to build a network, step
// it and record the results. It is decoded from TOML by package scenarios,
// which fills defaults from DefaultConfig and checks every field against the
// tags below:
//
//	toml  the key
//	doc   one line for `smesim init` and docs
//	min, max  inclusive numeric range (minx / maxx: exclusive)
//	enum  the allowed strings, comma-separated
//	kinds for [[shocks]] fields: the shock kinds the key applies to
//	omitdefault  left out of a resolved scenario while it holds its default,
//	      so that the results of scenarios written before the key existed
//	      keep their bytes (set on keys whose default leaves the model as
//	      it was)
//
// Rates are per year and durations carry units; the engine converts them
// once per replication (engine.compile, in engine.go) into per-step
// parameters.
type Config struct {
	Name         string         `toml:"name" doc:"short name of the scenario"`
	Description  string         `toml:"description" doc:"what the scenario represents, in a sentence or two"`
	Seed         uint64         `toml:"seed" doc:"base seed of every random stream"`
	Replications int            `toml:"replications" min:"1" max:"100000" doc:"Monte Carlo replications"`
	Step         units.Duration `toml:"step" doc:"length of one step: 1d to 1mo"`
	Steps        int            `toml:"steps" min:"1" max:"100000" doc:"number of steps to simulate"`
	StartDate    string         `toml:"start_date" doc:"calendar date of step 0, YYYY-MM-DD; the run must end by 9999-12-31"`
	Currency     string         `toml:"currency" doc:"label of the currency unit"`
	Arms         []string       `toml:"arms" doc:"arms to run: \"baseline\", intervention names, names joined by \"+\" (\"scf+loans\") or \"all\"; the baseline always runs. Empty: the baseline, each intervention alone, and all of them together"`

	Network    NetworkConfig    `toml:"network"`
	Markets    []MarketConfig   `toml:"markets" doc:"export markets; the domestic market is always present"`
	Production ProductionConfig `toml:"production"`
	Firms      FirmsConfig      `toml:"firms"`
	Finance    FinanceConfig    `toml:"finance"`
	Banks      []BankConfig     `toml:"banks"`
	Demography DemographyConfig `toml:"demography"`
	Shocks     []ShockConfig    `toml:"shocks"`

	Interventions []InterventionConfig `toml:"interventions" doc:"policies and programmes, each compared with the baseline on the same random draws"`
	Output        OutputConfig         `toml:"output"`
	Sweep         SweepConfig          `toml:"sweep" doc:"parameters varied by smesim sweep (ignored by smesim run)"`
	Frontier      FrontierConfig       `toml:"frontier" doc:"budgets and mixes of smesim frontier's budget curves (ignored by smesim run)"`
	Facts         []FactConfig         `toml:"facts" doc:"observed facts the scenario should reproduce, checked by smesim check-facts"`
	Uncertain     []UncertainConfig    `toml:"uncertain" doc:"keys whose values are not known, each with the distribution of its plausible values, drawn by smesim sensitivity (ignored by smesim run)"`

	// Dir is the directory of the scenario file, against which relative
	// paths (network files) are resolved. Not part of the TOML.
	Dir string `toml:"-"`
}

// NetworkConfig chooses and parameterises the network generator.
type NetworkConfig struct {
	Generator string `toml:"generator" enum:"core-satellite,barabasi-albert,erdos-renyi,file,io-table" doc:"network generator"`

	// core-satellite
	Chains               int     `toml:"chains" min:"1" max:"100000" doc:"core-satellite: number of industrial chains"`
	CoresPerChain        int     `toml:"cores_per_chain" min:"1" max:"1000" doc:"core-satellite: core enterprises per chain"`
	SuppliersPerChain    int     `toml:"suppliers_per_chain" min:"1" max:"1000000" doc:"core-satellite: tier-1 SME suppliers per chain"`
	RawMaterialsPerChain int     `toml:"raw_materials_per_chain" min:"1" max:"1000000" doc:"core-satellite: tier-2 raw-material SMEs per chain"`
	DistributorsPerChain int     `toml:"distributors_per_chain" min:"1" max:"1000000" doc:"core-satellite: distributor SMEs per chain"`
	SupplierSectors      int     `toml:"supplier_sectors" min:"1" max:"1000" doc:"core-satellite: sectors of tier-1 parts (shared by all chains)"`
	RawMaterialSectors   int     `toml:"raw_material_sectors" min:"1" max:"1000" doc:"core-satellite: sectors of tier-2 raw materials"`
	MultiSourcing        int     `toml:"multi_sourcing" min:"1" max:"100" doc:"suppliers per buyer and input sector (io-table: the pieces a buyer's purchases from another sector are split into, so at least as many suppliers where the sector has them)"`
	SharedSupplierShare  float64 `toml:"shared_supplier_share" min:"0" max:"1" doc:"core-satellite: share of a chain's supplier links that go to another chain's suppliers"`

	// barabasi-albert, erdos-renyi
	Firms      int     `toml:"firms" min:"2" max:"100000000" doc:"barabasi-albert, erdos-renyi, io-table: number of firms"`
	MeanDegree float64 `toml:"mean_degree" min:"0.1" max:"1000" doc:"barabasi-albert, erdos-renyi: mean number of suppliers per firm (barabasi-albert: at least 1)"`
	Sectors    int     `toml:"sectors" min:"1" max:"100000" doc:"barabasi-albert, erdos-renyi: number of sectors"`
	CoreShare  float64 `toml:"core_share" min:"0" max:"1" doc:"barabasi-albert, erdos-renyi: share of firms, the largest by degree, that are core enterprises (io-table: the largest by size in each sector)"`

	// io-table
	IOTableFile string `toml:"io_table_file" doc:"io-table: CSV sector input-output table: header sector,<sectors>,final_demand[,size_dispersion], one row per sector in that order, flows per year from the row to the column (path relative to the scenario)"`

	// file
	Format          string `toml:"format" enum:"csv,inoue-todo" doc:"file: csv (edges_file and firms_file as smesim writes them) or inoue-todo (the input files of Inoue and Todo's ProductionNetworkSimulator: edges_file \"supplier client amount\", firms_file \"firm sector\", final_demand_file \"firm amount\", amounts per step)"`
	EdgesFile       string `toml:"edges_file" doc:"file: CSV edge list supplier,buyer,weight, or supplier,buyer,flow with each link's value per year (path relative to the scenario)"`
	FirmsFile       string `toml:"firms_file" doc:"file: CSV of firms id,kind,role,sector[,chain,region,final_demand,export_share,export_market,size_class,dormant]"`
	Normalise       bool   `toml:"normalise" doc:"file, csv with weights: rescale the weights of a buyer's suppliers in a sector that do not sum to 1 so that they do, with a warning naming the buyer (false: such a file is an error)"`
	FinalDemandFile string `toml:"final_demand_file" doc:"file, format inoue-todo: each firm's final demand per step, \"firm amount\" (firms not listed have none)"`

	// Sizes of final demand.
	FinalDemandMean       float64 `toml:"final_demand_mean" min:"1" max:"1e15" doc:"mean yearly final demand of a distributor (currency units); with final_demand_dispersion, firms' draws must stay below 1e18"`
	FinalDemandDispersion float64 `toml:"final_demand_dispersion" min:"0" max:"5" doc:"sigma of the log-normal spread of final demand across firms"`
	UpstreamFinalShare    float64 `toml:"upstream_final_share" min:"1e-6" max:"1" doc:"final demand of a non-distributor relative to a distributor's (not 0: a firm without buyers sells only to final markets)"`
}

// MarketConfig is one export market.
type MarketConfig struct {
	Name   string  `toml:"name" doc:"market name used by shocks, e.g. \"eu\""`
	Weight float64 `toml:"weight" min:"0" max:"1e9" doc:"relative share of exporters selling to this market"`
}

// RoleValues holds one number per firm role.
type RoleValues struct {
	RawMaterial  float64 `toml:"raw_material" min:"0" max:"1"`
	Supplier     float64 `toml:"supplier" min:"0" max:"1"`
	Manufacturer float64 `toml:"manufacturer" min:"0" max:"1"`
	Distributor  float64 `toml:"distributor" min:"0" max:"1"`
	Other        float64 `toml:"other" min:"0" max:"1"`
}

// ProductionConfig holds the physical side, ARIO-style.
type ProductionConfig struct {
	InputShare      RoleValues     `toml:"input_share" doc:"intermediate inputs from other firms per unit of output, by role (shares, sum with import_share below 1)"`
	ImportShare     RoleValues     `toml:"import_share" doc:"imported inputs per unit of output, by role"`
	ExportShare     RoleValues     `toml:"export_share" doc:"share of a firm's final sales exported, by role"`
	InventoryDays   float64        `toml:"inventory_days" minx:"0" max:"3650" doc:"target input inventory, in days of use"`
	RestorationTime units.Duration `toml:"restoration_time" doc:"time to restore an inventory gap (tau)"`
	SpareCapacity   float64        `toml:"spare_capacity" min:"0" max:"100" doc:"capacity above baseline output, as a share"`
	Inventories     string         `toml:"inventories" enum:"sector,link" doc:"input inventories: sector (one stock per buyer and input sector; orders follow fill rates among its suppliers) or link (one stock per supplier link, ordered and used up per link, as in Inoue and Todo's simulator)"`
	Rationing       string         `toml:"rationing" enum:"proportional,final-demand-last,final-demand-first" doc:"how a firm short of output shares it: proportional (every buyer and final demand get the same share of what they ordered), final-demand-last (firms' orders first, final demand gets what is left: Inoue and Todo's -R 1) or final-demand-first (final demand first, firms share the rest)"`
	PlannedOutput   string         `toml:"planned_output" enum:"last-production,smoothed-demand" doc:"how firms plan next output: smoothed-demand plans on the orders received and final demand, averaged over demand_smoothing (ARIO); last-production plans on what the firm last produced (legacy: an input shortage then becomes a lasting fall in orders upstream)"`
	DemandSmoothing units.Duration `toml:"demand_smoothing" doc:"smoothed-demand: averaging time"`
	RewiringDelay   units.Duration `toml:"rewiring_delay" doc:"time before a buyer moves a failed supplier's orders to its other suppliers in that sector"`
	DemandNoise     float64        `toml:"demand_noise" min:"0" max:"1" doc:"standard deviation of multiplicative noise on each firm's final demand per step"`
	DemandSwitching bool           `toml:"demand_switching" doc:"households and foreign buyers move a failed firm's final demand to the surviving firms of its sector, in proportion to their own (false: it is lost)"`
	PartnerSearch   bool           `toml:"partner_search" doc:"after rewiring_delay, each link of a failed supplier to a surviving buyer passes to a surviving firm of the same sector, drawn in proportion to idle capacity (false: buyers keep only the suppliers they had)"`
}

// FirmParams are the behavioural and balance-sheet parameters of one kind of
// firm (core or SME).
type FirmParams struct {
	PaymentTerm          units.Duration `toml:"payment_term" doc:"mean time this firm takes to pay its suppliers"`
	PaymentTermSpread    float64        `toml:"payment_term_dispersion" min:"0" max:"3" doc:"sigma of the log-normal spread of the terms of this firm's links to its suppliers around payment_term (their mean); 0: every link at payment_term"`
	WageShare            float64        `toml:"wage_share" min:"0" max:"1" doc:"wages and social contributions per unit of baseline revenue"`
	WageFlexibility      float64        `toml:"wage_flexibility" min:"0" max:"1" doc:"share of the wage bill that follows output down (furloughs, short hours); the rest is paid whatever the firm produces"`
	ProfitMargin         float64        `toml:"profit_margin" min:"-1" max:"1" doc:"baseline profit before tax on revenue; fixed costs (rent, depreciation, overheads) are what value added leaves after wages, interest and this margin"`
	TaxRate              float64        `toml:"tax_rate" min:"0" max:"1" doc:"tax on positive profit"`
	JobsPerMillion       float64        `toml:"jobs_per_million" min:"0" max:"1e6" doc:"jobs per million currency units of yearly output"`
	CashRunwayMedian     units.Duration `toml:"cash_runway_median" doc:"median time the starting cash covers fixed and wage costs"`
	CashRunwayDispersion float64        `toml:"cash_runway_dispersion" min:"0" max:"5" doc:"sigma of the log-normal spread of cash runway"`
	CashRunwayMonths     []float64      `toml:"cash_runway_months" min:"0" max:"1200" doc:"a runway profile instead of the log-normal: months of costs, increasing, at which cash_runway_shares gives the share of firms with at most that runway (the runway is drawn by interpolating in log-months between them)"`
	CashRunwayShares     []float64      `toml:"cash_runway_shares" min:"0" max:"1" doc:"cumulative shares of firms at cash_runway_months: non-decreasing, from 0 to 1"`
	CashBuffer           units.Duration `toml:"cash_buffer" doc:"a firm seeks credit when cash falls below this many weeks of costs"`
	DebtToAssets         float64        `toml:"debt_to_assets" min:"0" max:"0.95" doc:"starting liabilities (trade payables and bank loans) over total assets; bank loans make up the part payables leave"`
	DividendPayout       float64        `toml:"dividend_payout" min:"0" max:"1" doc:"share of profit after tax paid out while cash is at or above its starting level"`
	FixedAssetsToRevenue float64        `toml:"fixed_assets_to_revenue" min:"0" max:"100" doc:"plant and equipment per unit of yearly revenue (held at book value; lost on failure)"`
	LoanMaturity         units.Duration `toml:"loan_maturity" doc:"maturity of this kind of firm's bank loans, in place of finance.loan_maturity (0: finance.loan_maturity)"`
	CreditAccess         float64        `toml:"credit_access" min:"0" max:"1" doc:"share of firms with a bank credit line; the others hold no bank debt and cannot borrow"`

	// Liquidity beyond banks (sim/liquidity.go): the neutral defaults, 0,
	// leave a firm only its cash and its bank.
	OwnerFunds           float64        `toml:"owner_funds" min:"0" max:"10" omitdefault:"true" doc:"median of the funds the owner can inject into the firm as equity when it cannot pay what it owes, as a share of yearly baseline revenue (log-normal across firms; 0: none)"`
	OwnerFundsDispersion float64        `toml:"owner_funds_dispersion" min:"0" max:"5" omitdefault:"true" doc:"sigma of the log-normal spread of owner funds across firms"`
	OwnerFundsShare      float64        `toml:"owner_funds_share" min:"0" max:"1" omitdefault:"true" doc:"share of owners who can inject funds at all, drawn per firm and alike in every arm; the others inject nothing (1: every owner)"`
	InformalLimit        float64        `toml:"informal_limit" min:"0" max:"10" omitdefault:"true" doc:"most the firm can owe informal lenders (private lending, trade and family loans), as a share of yearly baseline revenue (0: no informal credit)"`
	InformalRate         float64        `toml:"informal_rate" min:"0" max:"1" omitdefault:"true" doc:"yearly rate on informal credit, capitalised each step"`
	InformalMaturity     units.Duration `toml:"informal_maturity" min:"1d" max:"10y" omitdefault:"true" doc:"informal credit is repaid over this time: each step 1/maturity of what the firm owes falls due, and an instalment left unpaid counts as arrears"`
}

// FirmsConfig holds firm parameters by kind and the failure rules.
type FirmsConfig struct {
	SME             FirmParams     `toml:"sme"`
	Core            FirmParams     `toml:"core"`
	Grace           units.Duration `toml:"grace" doc:"time a firm may stay unable to pay wages and debt service before it fails"`
	InsolvencyTime  units.Duration `toml:"insolvency_time" doc:"time equity may stay negative before the firm fails"`
	RecoveryRate    float64        `toml:"recovery_rate" min:"0" max:"1" doc:"share of receivables and loans recovered from a failed firm"`
	CascadeWindow   units.Duration `toml:"cascade_window" doc:"a failure counts as a parent of later failures it reached within this time"`
	BaselineWindows units.Duration `toml:"baseline_window" doc:"pre-shock period over which each firm's baseline revenue is averaged"`

	// The continuation-value rule (sim/liquidity.go, agents.ContinuationValue).
	ValueExit        bool           `toml:"value_exit" omitdefault:"true" doc:"a firm that cannot pay what it owes compares the value of going on with closing: when the discounted profit it expects over horizon is less than what it owes short term, its owner injects nothing more and it closes in an orderly way (cause exit-value; its assets fetch demography.orderly_recovery of their book value); false: only the grace and insolvency rules end a firm"`
	Horizon          units.Duration `toml:"horizon" min:"1w" max:"30y" omitdefault:"true" doc:"value_exit: time over which a firm values its expected profit"`
	DiscountRate     float64        `toml:"discount_rate" min:"0" max:"10" omitdefault:"true" doc:"value_exit: yearly rate at which the owner discounts expected profit"`
	ExpectedRecovery units.Duration `toml:"expected_recovery" min:"1d" max:"30y" omitdefault:"true" doc:"value_exit: half-life of the gap between the revenue the firm expects (its recent revenue, leaving out lockdown steps) and its baseline"`
}

// FinanceConfig switches finance on or off and sets credit rules.
type FinanceConfig struct {
	Enabled            bool           `toml:"enabled" doc:"false: no money, no credit, no failures (a pure ARIO input-output model)"`
	LoanMaturity       units.Duration `toml:"loan_maturity" doc:"maturity of bank loans: a 1/maturity share of principal falls due each year, rolled over while the bank lends"`
	MaxLoanToRevenue   float64        `toml:"max_loan_to_revenue" min:"0" max:"10" doc:"bank debt at most this share of yearly baseline revenue"`
	ScoreThreshold     float64        `toml:"score_threshold" min:"0" max:"1" doc:"minimum credit score for a new loan"`
	FirstLoanTakeUp    float64        `toml:"first_loan_take_up" min:"0" max:"1" doc:"probability per step that a firm without a credit line, in need of money, applies for a first bank loan; the bank opens a line (up to max_loan_to_revenue of its yearly revenue) if its score less new_borrower_penalty passes score_threshold (0: the unbanked never borrow)"`
	NewBorrowerPenalty float64        `toml:"new_borrower_penalty" min:"0" max:"1" doc:"what a bank takes off the credit score of a firm it has never lent to, for what it does not know of it"`
	ScoreMemory        units.Duration `toml:"score_memory" max:"10y" omitdefault:"true" doc:"mean age of the revenue and profit the credit score averages (an exponential average over this time, through the cycle); 0: the 4-step smoothing of the engine's recent revenue and profit"`
	LookThrough        bool           `toml:"look_through" omitdefault:"true" doc:"the credit score leaves out of its averages the steps a firm is closed by a lockdown (the bank knows the closure is temporary); with the banking system, this score or one with score_memory counts arrears only once the loan is non-performing"`

	// The banking system (docs/model.md, "Banks"). With banking = "legacy"
	// the keys below are not used: every bank lends up to capital /
	// capital_ratio and stops there, without provisions, central bank or
	// resolution.
	Banking         string         `toml:"banking" enum:"legacy,system" doc:"legacy: banks lend up to capital / capital_ratio and stop (no provisions, no central bank, no resolution); system: banks by kind and region with capital against risk-weighted assets, income, provisions, NPL recognition, rollover of performing loans, lending that tapers as capital nears car_min, a central bank and recapitalisation"`
	NPLAfter        units.Duration `toml:"npl_after" doc:"system: a loan is non-performing once its borrower has been in arrears on debt service this long (90 days: 13w)"`
	RiskWeightSME   float64        `toml:"risk_weight_sme" min:"0" max:"2" doc:"system: risk weight of performing loans to SMEs (China's capital rules: 0.75 for small and micro firms)"`
	RiskWeightCore  float64        `toml:"risk_weight_core" min:"0" max:"2" doc:"system: risk weight of performing loans to core enterprises"`
	RiskWeightNPL   float64        `toml:"risk_weight_npl" min:"0" max:"2" doc:"system: risk weight of non-performing loans"`
	PDBase          float64        `toml:"pd_base" min:"0" max:"1" doc:"system: yearly probability of default of a borrower with credit score 1; provisions on performing loans are pd × (1 - recovery_rate) × loan, with pd rising to 5 × pd_base at score 0"`
	CoverageMin     float64        `toml:"coverage_min" min:"0" max:"10" doc:"system: provisions at least this multiple of non-performing loans (the regulator's provision coverage floor)"`
	DepositRate     float64        `toml:"deposit_rate" min:"0" max:"1" doc:"system: yearly rate banks pay on their deposits (to the external sector: firms' cash earns no interest)"`
	CostToAssets    float64        `toml:"cost_to_assets" min:"0" max:"1" doc:"system: banks' yearly operating costs over their loans and reserves"`
	BankPayout      float64        `toml:"bank_payout" min:"0" max:"1" doc:"system: share of a bank's positive earnings paid out while its capital ratio is above car_start (below it, earnings are retained)"`
	LocalShareSME   float64        `toml:"local_share_sme" min:"0" max:"1" doc:"system: probability that an SME banks with a city or rural bank of its region (otherwise a national bank)"`
	LocalShareCore  float64        `toml:"local_share_core" min:"0" max:"1" doc:"system: probability that a core enterprise banks with a city or rural bank of its region"`
	CBRate          float64        `toml:"cb_rate" min:"0" max:"1" doc:"system: the central bank's yearly lending rate to banks (PBoC relending for small firms: 2.5% from February 2020); the lender of last resort charges it plus lolr_spread, relending the policy loan's own rate"`
	LOLRSpread      float64        `toml:"lolr_spread" min:"0" max:"1" doc:"system: lender of last resort: a bank whose reserves fall below 0 borrows them back from the central bank at cb_rate plus this"`
	ResolutionDelay units.Duration `toml:"resolution_delay" doc:"system: a bank below car_min (or resolution_car) for this long is recapitalised by the state to car_start"`
	ResolutionCAR   float64        `toml:"resolution_car" min:"0" max:"1" omitdefault:"true" doc:"system: the capital ratio below which the state resolves a bank (recapitalises it to car_start after resolution_delay): the regulatory minimum without the buffers that car_min includes (China's capital rules: 8%); 0: each bank's car_min"`

	// NPL workout and the outside book (sim/workout.go, sim/outsidebook.go).
	NPLWorkout         units.Duration `toml:"npl_workout" max:"10y" omitdefault:"true" doc:"system: a failed firm's bank loan stays on its bank's books as non-performing (provisioned) this long, then the bank recovers recovery_rate of it in cash and writes the rest off; 0: written off at the failure"`
	OutsideBook        float64        `toml:"outside_book" min:"0" max:"100" omitdefault:"true" doc:"system: each bank also holds loans to the economy outside the network, this multiple of its loans to the network's firms at the start: a diversified book with stationary defaults, interest, provisions and capital against it (0: none)"`
	OutsideDefaultRate float64        `toml:"outside_default_rate" min:"0" max:"1" omitdefault:"true" doc:"system, outside_book: yearly share of the outside book's performing loans that become non-performing (they stay npl_workout, then recovery_rate of them is recovered)"`
	OutsideRate        float64        `toml:"outside_rate" min:"0" max:"1" omitdefault:"true" doc:"system, outside_book: yearly interest rate the outside book's performing loans pay"`

	// Core syndication (sim/syndication.go).
	CoreSyndication bool `toml:"core_syndication" omitdefault:"true" doc:"system: each core enterprise's loan from a national bank is shared by all the national banks in proportion to their share (risk participation): its interest, provisions, non-performing status, write-offs and risk weight fall on each bank pro rata, the participants paying for their part in reserves; false: the lending bank holds it alone"`
}

// BankConfig is one bank. Firms are assigned to banks by Share (with
// finance.banking = "system", among the banks of their region or among the
// national ones).
type BankConfig struct {
	Name            string   `toml:"name" doc:"bank name"`
	Kind            string   `toml:"kind" enum:"large-state,joint-stock,city,rural" doc:"system: large-state and joint-stock banks lend nationally, city and rural banks to the firms of their regions"`
	Regions         []string `toml:"regions" doc:"system: the regions a city or rural bank serves (empty: every region)"`
	Share           float64  `toml:"share" minx:"0" max:"1e9" doc:"relative share of firms banking here"`
	CapitalRatio    float64  `toml:"capital_ratio" minx:"0" max:"1" doc:"legacy: capital required per unit of loans (the banking system uses car_min and car_start)"`
	LendingHeadroom float64  `toml:"lending_headroom" min:"0" max:"100" doc:"legacy: capital above that required by starting loans, as a share of it"`
	BaseRate        float64  `toml:"base_rate" min:"0" max:"1" doc:"base lending rate per year"`
	RiskSpread      float64  `toml:"risk_spread" min:"0" max:"1" doc:"extra rate per year for the riskiest borrower (scaled by 1 - score)"`
	CARMin          float64  `toml:"car_min" minx:"0" max:"1" doc:"system: minimum capital over risk-weighted assets (8% plus the 2.5% conservation buffer; 11.5% for systemic banks)"`
	CARStart        float64  `toml:"car_start" minx:"0" max:"1" doc:"system: capital ratio at the start, the target up to which a bank lends new money freely and to which resolution restores it"`
}

// National reports whether the bank lends nationally (large-state and
// joint-stock banks) rather than to the firms of its regions (city and
// rural banks).
func (b BankConfig) National() bool { return b.Kind != "city" && b.Kind != "rural" }

// ShockConfig is one shock. Its multiplier is 1 before Start, 1−Depth from
// Start for Duration, then returns to 1 along Shape over Recovery.
type ShockConfig struct {
	Kind     string         `toml:"kind" enum:"demand,credit,credit-supply,imports,payment-terms,lockdown,capacity" doc:"what the shock hits (credit-supply: a push of bank credit to SMEs, as China's in 2020; its depth is negative)"`
	Name     string         `toml:"name" doc:"label in outputs"`
	Start    units.Duration `toml:"start" doc:"time from step 0 to the shock"`
	Duration units.Duration `toml:"duration" doc:"time at full depth"`
	Recovery units.Duration `toml:"recovery" doc:"time to return to normal after the full-depth period"`
	Shape    string         `toml:"shape" enum:"step,linear,exponential" doc:"recovery path; when left out, linear if recovery is set, else step (a step returns to normal at once, whatever the recovery)"`
	Depth    float64        `toml:"depth" kinds:"demand,credit,credit-supply,imports,lockdown,capacity" min:"-1" max:"1" doc:"fractional drop at full depth (demand, credit capacity, import availability, share of firms locked down, share of capacity lost); a negative depth is a rise, for demand shocks (-0.2: demand 20% above normal) and credit-supply shocks, where it is required (-0.5: the pushed banks lend SMEs up to 50% more than their limits and their capital ratios allow)"`

	Market          string         `toml:"market" kinds:"demand" doc:"demand: \"domestic\", an export market's name, \"export\" (all export markets) or \"all\""`
	SpreadIncrease  float64        `toml:"spread_increase" kinds:"credit" min:"0" max:"1" doc:"credit: extra lending rate per year at full depth"`
	ScoreTightening float64        `toml:"score_tightening" kinds:"credit" min:"0" max:"1" doc:"credit: rise of the score threshold at full depth"`
	ScoreEasing     float64        `toml:"score_easing" kinds:"credit-supply" min:"0" max:"1" doc:"credit-supply: fall of the score threshold for SMEs at full depth, at every bank"`
	FirstLoanTakeUp float64        `toml:"first_loan_take_up" kinds:"credit-supply" min:"0" max:"1" doc:"credit-supply: at full depth, an unbanked SME in need applies for a first loan at least with this probability per step (finance.first_loan_take_up otherwise)"`
	BankKinds       []string       `toml:"bank_kinds" kinds:"credit-supply" enum:"large-state,joint-stock,city,rural" doc:"credit-supply: kinds of bank whose lending to SMEs depth raises (empty: every bank)"`
	TermStretch     units.Duration `toml:"term_stretch" kinds:"payment-terms" doc:"payment-terms: extra time core firms take to pay SMEs at full depth"`
	Sectors         []string       `toml:"sectors" kinds:"lockdown,imports,capacity" doc:"lockdown, imports, capacity: sectors hit (empty: all)"`
	Regions         []string       `toml:"regions" kinds:"lockdown,capacity" doc:"lockdown, capacity: regions hit (empty: all)"`
	Roles           []string       `toml:"roles" kinds:"lockdown,imports,capacity" enum:"raw-material,supplier,manufacturer,distributor,other" doc:"lockdown, imports, capacity: roles hit (empty: all)"`
	DamageFile      string         `toml:"damage_file" kinds:"capacity" doc:"capacity: a damage table, lines \"firm depth start end\" (Inoue and Todo's predefined damage table): the firm loses depth of its capacity from step start to step end, both included; replaces depth, selectors and timing (file networks only; path relative to the scenario)"`
}

// OutputConfig says what is recorded.
type OutputConfig struct {
	Record string `toml:"record" enum:"full,aggregate" doc:"full: time series, firms and events; aggregate: time series only"`
	Format string `toml:"format" enum:"csv,parquet,both" doc:"files of the time series, firms and events: csv; parquet (typed, compressed, with units in the metadata); or both"`
	// The window of firms.csv's revenue_change.
	RevenueFrom units.Duration `toml:"revenue_from" doc:"start of the window over which each firm's revenue is compared with its pre-shock baseline in firms.csv, from step 0 (with revenue_to 0: from the first shock)"`
	RevenueTo   units.Duration `toml:"revenue_to" doc:"end of that window, from step 0, excluded (0: the end of the run)"`
}

// DefaultConfig returns the default scenario's parameters, to which a
// scenario file is applied. Slices of tables ([[banks]], [[markets]],
// [[shocks]], [[interventions]]) are replaced whole when a file sets them; their elements get
// defaults from DefaultBank, DefaultMarket, DefaultShock and
// DefaultIntervention.
func DefaultConfig() Config {
	return Config{
		Name:         "default",
		Description:  "Eight industrial chains of core enterprises and satellite SMEs hit by a 40% domestic demand collapse for twelve weeks, recovering linearly over the next twelve.",
		Seed:         1,
		Replications: 1,
		Step:         units.MustDuration("1w"),
		Steps:        104,
		StartDate:    "2020-01-01",
		Currency:     "CNY",
		Network: NetworkConfig{
			Generator:             "core-satellite",
			Format:                "csv",
			Chains:                8,
			CoresPerChain:         2,
			SuppliersPerChain:     60,
			RawMaterialsPerChain:  120,
			DistributorsPerChain:  80,
			SupplierSectors:       6,
			RawMaterialSectors:    4,
			MultiSourcing:         2,
			SharedSupplierShare:   0.15,
			Firms:                 2000,
			MeanDegree:            5,
			Sectors:               10,
			CoreShare:             0.02,
			FinalDemandMean:       20e6,
			FinalDemandDispersion: 0.8,
			UpstreamFinalShare:    0.1,
		},
		Markets: []MarketConfig{{Name: "world", Weight: 1}},
		Production: ProductionConfig{
			InputShare:      RoleValues{RawMaterial: 0.15, Supplier: 0.5, Manufacturer: 0.6, Distributor: 0.75, Other: 0.5},
			ImportShare:     RoleValues{RawMaterial: 0.35, Supplier: 0.05, Manufacturer: 0.05, Distributor: 0, Other: 0.05},
			ExportShare:     RoleValues{RawMaterial: 0.1, Supplier: 0.1, Manufacturer: 0.2, Distributor: 0.15, Other: 0.1},
			InventoryDays:   15,
			RestorationTime: units.MustDuration("2w"),
			SpareCapacity:   0.2,
			Inventories:     "sector",
			Rationing:       "proportional",
			PlannedOutput:   "smoothed-demand",
			DemandSmoothing: units.MustDuration("2w"),
			RewiringDelay:   units.MustDuration("4w"),
		},
		Firms: FirmsConfig{
			SME: FirmParams{
				PaymentTerm: units.MustDuration("45d"), WageShare: 0.12, WageFlexibility: 0.5, ProfitMargin: 0.06, TaxRate: 0.2,
				JobsPerMillion: 8, CashRunwayMedian: units.MustDuration("3mo"), CashRunwayDispersion: 1.0,
				CashBuffer: units.MustDuration("2w"), DebtToAssets: 0.5, DividendPayout: 1, FixedAssetsToRevenue: 0.4, CreditAccess: 0.5,
				OwnerFundsDispersion: 1, OwnerFundsShare: 1, InformalRate: 0.13, InformalMaturity: units.MustDuration("26w"),
			},
			Core: FirmParams{
				PaymentTerm: units.MustDuration("90d"), WageShare: 0.1, WageFlexibility: 0.3, ProfitMargin: 0.08, TaxRate: 0.25,
				JobsPerMillion: 3, CashRunwayMedian: units.MustDuration("6mo"), CashRunwayDispersion: 0.4,
				CashBuffer: units.MustDuration("4w"), DebtToAssets: 0.55, DividendPayout: 1, FixedAssetsToRevenue: 0.6, CreditAccess: 1,
				OwnerFundsDispersion: 1, OwnerFundsShare: 1, InformalRate: 0.13, InformalMaturity: units.MustDuration("26w"),
			},
			Grace:            units.MustDuration("4w"),
			InsolvencyTime:   units.MustDuration("12w"),
			RecoveryRate:     0.3,
			CascadeWindow:    units.MustDuration("26w"),
			BaselineWindows:  units.MustDuration("8w"),
			Horizon:          units.MustDuration("3y"),
			DiscountRate:     0.15,
			ExpectedRecovery: units.MustDuration("13w"),
		},
		Finance: FinanceConfig{
			Enabled:            true,
			LoanMaturity:       units.MustDuration("3y"),
			MaxLoanToRevenue:   0.4,
			ScoreThreshold:     0.35,
			NewBorrowerPenalty: 0.1,
			Banking:            "legacy",
			NPLAfter:           units.MustDuration("13w"),
			RiskWeightSME:      0.75,
			RiskWeightCore:     1,
			RiskWeightNPL:      1,
			PDBase:             0.01,
			CoverageMin:        1.5,
			DepositRate:        0.015,
			CostToAssets:       0.008,
			BankPayout:         0.3,
			LocalShareSME:      0.5,
			LocalShareCore:     0.1,
			CBRate:             0.025,
			LOLRSpread:         0.01,
			ResolutionDelay:    units.MustDuration("4w"),
			OutsideDefaultRate: 0.019,
			OutsideRate:        0.0503,
		},
		Banks:      []BankConfig{DefaultBank()},
		Demography: DefaultDemography(),
		Shocks: []ShockConfig{{
			Kind: "demand", Name: "domestic demand collapse", Start: units.MustDuration("8w"),
			Duration: units.MustDuration("12w"), Recovery: units.MustDuration("12w"), Shape: "linear",
			Depth: 0.4, Market: "domestic",
		}},
		Output: OutputConfig{Record: "full", Format: "csv"},
		Sweep:  SweepConfig{Design: "grid"},
	}
}

// DefaultBank returns the defaults of a [[banks]] entry.
func DefaultBank() BankConfig {
	return BankConfig{Name: "bank", Kind: "large-state", Share: 1, CapitalRatio: 0.1, LendingHeadroom: 0.25, BaseRate: 0.0435, RiskSpread: 0.06, CARMin: 0.105, CARStart: 0.146}
}

// DefaultMarket returns the defaults of a [[markets]] entry.
func DefaultMarket() MarketConfig { return MarketConfig{Weight: 1} }

// DefaultShock returns the defaults of a [[shocks]] entry.
func DefaultShock() ShockConfig {
	return ShockConfig{Shape: "step", Market: "all"}
}
