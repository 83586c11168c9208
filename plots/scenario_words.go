package plots

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/units"
)

// expectedNetworkWords describes the network the scenario's generator
// builds, from its parameters.
func expectedNetworkWords(cfg *config.Config) string {
	n := cfg.Network
	switch n.Generator {
	case "core-satellite":
		firms := n.Chains * (n.CoresPerChain + n.SuppliersPerChain + n.RawMaterialsPerChain + n.DistributorsPerChain)
		cores := n.Chains * n.CoresPerChain
		return fmt.Sprintf("Network: %d firms — %d core %s and %d SMEs — %s.",
			firms, cores, pick(cores == 1, "enterprise", "enterprises"), firms-cores, generatorWords(cfg))
	case "barabasi-albert", "erdos-renyi":
		return fmt.Sprintf("Network: %d firms, %s.", n.Firms, generatorWords(cfg))
	}
	return "Network: " + generatorWords(cfg) + "."
}

func generatorWords(cfg *config.Config) string {
	n := cfg.Network
	switch n.Generator {
	case "core-satellite":
		return fmt.Sprintf("%s of core enterprises with their tier-1 suppliers, tier-2 raw-material suppliers and distributors (core-satellite generator)",
			plural(n.Chains, "industrial chain"))
	case "barabasi-albert":
		return fmt.Sprintf("a scale-free network with %g suppliers per firm on average (Barabási–Albert generator)", n.MeanDegree)
	case "erdos-renyi":
		return fmt.Sprintf("a random network with %g suppliers per firm on average (Erdős–Rényi generator)", n.MeanDegree)
	case "file":
		if n.Format == "inoue-todo" {
			return "read from " + n.EdgesFile + ", " + n.FirmsFile + " and " + n.FinalDemandFile + " (Inoue–Todo format)"
		}
		return "read from " + n.EdgesFile + " and " + n.FirmsFile
	case "io-table":
		return fmt.Sprintf("%d firms built from the input–output table %s", n.Firms, n.IOTableFile)
	}
	return n.Generator + " generator"
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// timeWords: "24 steps of 1w (24 weeks) from 2020-01-01".
func timeWords(cfg *config.Config) string {
	s := fmt.Sprintf("Time: %s of %s", plural(cfg.Steps, "step"), cfg.Step)
	total := units.Duration{Value: cfg.Step.Value * float64(cfg.Steps), Unit: cfg.Step.Unit}
	if cfg.Steps > 1 {
		s += " (" + durationWords(total) + ")"
	}
	if cfg.StartDate != "" {
		s += " from " + cfg.StartDate
	}
	return s
}

// durationWords writes a duration in words: "24 weeks", "3 months".
func durationWords(d units.Duration) string {
	word := map[string]string{"d": "day", "w": "week", "mo": "month", "y": "year"}[d.Unit]
	if word == "" {
		return d.String()
	}
	v := strconv.FormatFloat(d.Value, 'g', -1, 64)
	if d.Value == 1 {
		return v + " " + word
	}
	return v + " " + word + "s"
}

func armsWords(arms []string) string {
	switch len(arms) {
	case 0:
		return ""
	case 1:
		return "Arm: " + arms[0] + "."
	}
	s := "Arms: " + strings.Join(arms, ", ") + "."
	if slices.Contains(arms, "baseline") {
		s += " Replication r of every arm shares the network, the firms and every shock draw with the baseline's, so the effects are paired."
	}
	return s
}

// shockItems describes each shock in a sentence.
func shockItems(cfg *config.Config) []string {
	if len(cfg.Shocks) == 0 {
		return []string{"No shock."}
	}
	var out []string
	for _, sc := range cfg.Shocks {
		out = append(out, shockSentence(sc))
	}
	return out
}

func pct(x float64) string { return strconv.FormatFloat(math.Round(x*1000)/10, 'g', -1, 64) + "%" }

func shockSentence(sc config.ShockConfig) string {
	name := ""
	if sc.Name != "" {
		name = " “" + sc.Name + "”"
	}
	var what string
	switch sc.Kind {
	case "demand":
		market := map[string]string{
			"domestic": "on the domestic market", "export": "on every export market", "all": "on every market",
		}[sc.Market]
		if market == "" {
			market = "on the " + sc.Market + " export market"
		}
		if sc.Depth < 0 {
			what = fmt.Sprintf("Demand rise%s: final demand %s rises by %s", name, market, pct(-sc.Depth))
		} else {
			what = fmt.Sprintf("Demand shock%s: final demand %s falls by %s", name, market, pct(sc.Depth))
		}
	case "credit":
		what = fmt.Sprintf("Credit shock%s: banks' lending capacity falls by %s", name, pct(sc.Depth))
		if sc.SpreadIncrease > 0 {
			what += fmt.Sprintf(", lending rates rise by up to %s a year", pct(sc.SpreadIncrease))
		}
		if sc.ScoreTightening > 0 {
			what += fmt.Sprintf(", the credit-score threshold rises by %g", sc.ScoreTightening)
		}
	case "imports":
		what = fmt.Sprintf("Import shock%s: imported inputs available to %s fall by %s", name, targetWords(sc), pct(sc.Depth))
	case "payment-terms":
		what = fmt.Sprintf("Payment-terms shock%s: core firms take up to %s longer to pay their SME suppliers", name, sc.TermStretch)
	case "lockdown":
		what = fmt.Sprintf("Lockdown%s: %s of %s cannot produce", name, pct(sc.Depth), targetWords(sc))
	case "capacity":
		if sc.DamageFile != "" {
			return fmt.Sprintf("Capacity shock%s: firms lose the shares of capacity %s gives, over the steps it gives.", name, sc.DamageFile)
		}
		what = fmt.Sprintf("Capacity shock%s: %s lose %s of their capacity", name, targetWords(sc), pct(sc.Depth))
	default:
		what = fmt.Sprintf("%s shock%s of depth %s", sc.Kind, name, pct(sc.Depth))
	}
	what += fmt.Sprintf(" from %s after the start, for %s at full depth", sc.Start, sc.Duration)
	switch {
	case sc.Recovery.IsZero() || sc.Shape == "step":
		what += ", then back to normal at once."
	case sc.Shape == "linear":
		what += fmt.Sprintf(", then back to normal linearly over %s.", sc.Recovery)
	case sc.Shape == "exponential":
		what += fmt.Sprintf(", then back to normal exponentially (95%% of the way within %s).", sc.Recovery)
	default:
		what += fmt.Sprintf(", then back to normal over %s (%s).", sc.Recovery, sc.Shape)
	}
	return what
}

// targetWords names the firms a lockdown or import shock hits.
func targetWords(sc config.ShockConfig) string {
	var parts []string
	if len(sc.Roles) > 0 {
		parts = append(parts, "roles "+strings.Join(sc.Roles, ", "))
	}
	if len(sc.Sectors) > 0 {
		parts = append(parts, "sectors "+strings.Join(sc.Sectors, ", "))
	}
	if len(sc.Regions) > 0 {
		parts = append(parts, "regions "+strings.Join(sc.Regions, ", "))
	}
	if len(parts) == 0 {
		return "all firms"
	}
	return "the firms of " + strings.Join(parts, " in ")
}

// interventionItems describes each intervention in a sentence.
func interventionItems(cfg *config.Config) []string {
	var out []string
	for _, iv := range cfg.Interventions {
		out = append(out, interventionSentence(iv, cfg.Currency))
	}
	return out
}

func interventionSentence(iv config.InterventionConfig, currency string) string {
	name := cmpOr(iv.Name, iv.Kind)
	var what string
	switch iv.Kind {
	case config.KindSupplyChainFinance:
		if iv.Mode == "guarantee" {
			what = "core firms guarantee their suppliers' bank loans"
		} else {
			what = fmt.Sprintf("banks buy %s of suppliers' receivables on core firms (reverse factoring)", pct(iv.AdvanceRate))
		}
	case config.KindPolicyLoan:
		what = fmt.Sprintf("the state lends to eligible firms at %s a year (%s channel, %s)", pct(iv.Rate), iv.Channel, iv.Allocation)
	case config.KindLoanGuarantee:
		what = fmt.Sprintf("the state bears %s of banks' losses on guaranteed loans, for a %s fee", pct(iv.Coverage), pct(iv.Fee))
	case config.KindInterestSubsidy:
		what = fmt.Sprintf("the state pays %s of the interest on eligible firms' %s bank loans", pct(iv.Share), map[string]string{"new": "new", "all": ""}[iv.Loans])
		what = strings.ReplaceAll(what, "  ", " ")
	case config.KindMoratorium:
		deferred := map[string]string{"principal": "principal repayments", "interest": "interest payments", "both": "principal and interest payments"}[iv.Deferral]
		what = fmt.Sprintf("%s on eligible firms' bank loans are deferred", cmpOr(deferred, iv.Deferral))
	case config.KindTaxRelief:
		what = fmt.Sprintf("%s of the profit tax and %s of employers' social contributions are waived", pct(iv.TaxCut), pct(iv.ContributionCut))
	case config.KindPaymentTermCap:
		what = fmt.Sprintf("core firms must pay SME suppliers within %s", iv.MaxTerm)
	case config.KindCreditPush:
		what = fmt.Sprintf("banks are pushed to lend SMEs (limits up %s, first loans at least %s a step) and the central bank funds %s of the new money", pct(iv.SupplyRise), pct(iv.FirstLoanTakeUp), pct(iv.FundedShare))
	default:
		what = iv.Kind
	}
	var window string
	switch {
	case iv.From == "run" && iv.Start.IsZero():
		window = fmt.Sprintf("from the start of the run until %s into it", iv.End)
	case iv.From == "run":
		window = fmt.Sprintf("from %s to %s into the run", iv.Start, iv.End)
	case iv.Start.IsZero():
		window = fmt.Sprintf("from the first shock's start until %s after it", iv.End)
	default:
		window = fmt.Sprintf("from %s to %s after the first shock's start", iv.Start, iv.End)
	}
	s := fmt.Sprintf("Intervention “%s” (%s): %s, %s", name, iv.Kind, what, window)
	if slices.Contains(config.BudgetKinds(), iv.Kind) {
		s += fmt.Sprintf("; budget %s %s", results.Compact(iv.Budget), currency)
	}
	return s + "."
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
