package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/smesim/smesim/sim/config"
)

// budgetUse says what an intervention's budget bounds, by kind (and mode for
// supply-chain-finance), for the message on a missing budget.
var budgetUse = map[string]string{
	config.KindSupplyChainFinance + "/factoring": "the most receivables it may finance at once",
	config.KindSupplyChainFinance + "/guarantee": "the most supplier loans the cores may guarantee",
	config.KindPolicyLoan:                        "the most it may lend",
	config.KindLoanGuarantee:                     "the most loans it may guarantee",
	config.KindInterestSubsidy:                   "the most interest it may pay",
	config.KindTaxRelief:                         "the most tax and contributions it may waive",
}

// fromText says what an intervention's start and end count from.
func fromText(from string) string {
	if from == "run" {
		return "step 0"
	}
	return "the first shock's start"
}

// firstShock returns the index of the shock that starts first (the earliest
// start, the first listed on a tie), or -1 when there are none.
func (v *validator) firstShock() int {
	first := -1
	for i, s := range v.cfg.Shocks {
		if first < 0 || s.Start.Days() < v.cfg.Shocks[first].Start.Days() {
			first = i
		}
	}
	return first
}

// interventions checks the names of [[interventions]], their timing and
// their budgets. The names they use in the network are checked by names.
func (v *validator) interventions() error {
	c := v.cfg
	h := v.horizonDays()
	seen := map[string]int{}
	if len(c.Interventions) > 0 && !c.Finance.Enabled {
		return v.errorAt("finance.enabled", []string{index("interventions", 0)}, "false, but the scenario has [[interventions]], which act on money and credit: set enabled = true or remove them")
	}
	for i, iv := range c.Interventions {
		p := index("interventions", i)
		key := func(k string) string { return join(p, k) }

		name := c.InterventionName(i)
		switch {
		case iv.Name == "" && v.src.present[key("name")]:
			return v.errorf(key("name"), "empty: leave name out to name the intervention after its kind (%q), or write a name", iv.Kind)
		case name == config.BaselineArm || name == config.AllArm:
			return v.errorf(key("name"), "%q is reserved for arms (%s, %s): choose another name", name, config.BaselineArm, config.AllArm)
		case strings.Contains(name, "+"):
			return v.errorf(key("name"), "%q contains \"+\", which joins names in arms: choose another name", name)
		}
		if j, dup := seen[name]; dup {
			other := c.Interventions[j]
			var msg string
			switch {
			case iv.Name == "" && other.Name == "":
				msg = fmt.Sprintf("missing: interventions[%d] is also %s %s without a name: give each a name, which arms and outputs use", j, article(iv.Kind), iv.Kind)
			case iv.Name == "":
				msg = fmt.Sprintf("missing: interventions[%d] is named %q, the name this one takes from its kind: give this one a name", j, other.Name)
			case other.Name == "":
				msg = fmt.Sprintf("%q is already the name of interventions[%d], %s %s without a name", name, j, article(other.Kind), other.Kind)
			default:
				msg = fmt.Sprintf("%q is already the name of interventions[%d]", name, j)
			}
			return v.errorAt(key("name"), []string{p}, "%s", msg)
		}
		seen[name] = i

		first := v.firstShock()
		if iv.From == "shock" && first < 0 {
			return v.errorAt(key("from"), []string{p}, "%q counts start and end from the first shock's start, but the scenario has no shocks: set from = \"run\" to count from step 0", iv.From)
		}
		endMissing := iv.End.Value == 0
		if v.src.present != nil {
			endMissing = !v.src.present[key("end")]
		}
		if endMissing {
			return v.errorAt(key("end"), []string{p}, "missing: set end, the time from %s to the end of the intervention, e.g. \"26w\"", fromText(iv.From))
		}
		if iv.End.Days() <= iv.Start.Days() {
			return v.errorAt(key("end"), []string{key("start"), p}, "%s is not after start %s: allowed > start (the intervention is active from start to end, end excluded)", iv.End, iv.Start)
		}
		if iv.From == "shock" {
			s := c.Shocks[first]
			if at := s.Start.Days() + iv.Start.Days(); at >= h {
				return v.errorAt(key("start"), []string{p}, "the intervention starts on day %s (the first shock's start, day %s of shocks[%d], + start %s), after the end of the run on day %s (%d steps of %s)",
					formatDays(at), formatDays(s.Start.Days()), first, iv.Start, formatDays(h), c.Steps, c.Step)
			}
		} else if at := iv.Start.Days(); at >= h {
			return v.errorAt(key("start"), []string{p}, "the intervention starts on day %s (start %s from step 0), after the end of the run on day %s (%d steps of %s)",
				formatDays(at), iv.Start, formatDays(h), c.Steps, c.Step)
		}

		if iv.Kind == config.KindMoratorium && len(iv.Payments) == 0 {
			return v.errorAt(key("payments"), []string{p}, "empty: a moratorium defers at least one of %q, %q, %q, %q",
				config.PaymentLoans, config.PaymentTaxes, config.PaymentContributions, config.PaymentFixedCosts)
		}
		if iv.Kind == config.KindCreditPush {
			for _, k := range iv.BankKinds {
				if !slices.ContainsFunc(c.Banks, func(b config.BankConfig) bool { return b.Kind == k }) {
					return v.errorAt(key("bank_kinds"), []string{p, "banks"}, "no bank of kind %q in [[banks]]: allowed the kinds of the scenario's banks, or empty for every bank", k)
				}
			}
		}
		if iv.Kind == config.KindMoratorium && !iv.RepayOver.IsZero() && !slices.ContainsFunc(iv.Payments, func(p string) bool { return p != config.PaymentLoans }) {
			return v.errorAt(key("repay_over"), []string{p}, "%s set, but payments defers only %q, repaid with the loan: repay_over spreads deferred %q, %q or %q; add one to payments or remove repay_over",
				iv.RepayOver, config.PaymentLoans, config.PaymentTaxes, config.PaymentContributions, config.PaymentFixedCosts)
		}
		if iv.Kind == config.KindMoratorium && iv.FixedCostShare != 1 && !slices.Contains(iv.Payments, config.PaymentFixedCosts) {
			return v.errorAt(key("fixed_cost_share"), []string{p}, "%g set, but payments does not include %q: fixed_cost_share is the share of fixed costs deferred; add %q to payments or remove fixed_cost_share",
				iv.FixedCostShare, config.PaymentFixedCosts, config.PaymentFixedCosts)
		}
		if err := v.targeting(i); err != nil {
			return err
		}
		if has(config.BudgetKinds(), iv.Kind) && v.src.present != nil && !v.src.present[key("budget")] {
			use, ok := budgetUse[iv.Kind+"/"+iv.Mode]
			if !ok {
				use, ok = budgetUse[iv.Kind]
			}
			if !ok {
				use = "the most it may spend or commit"
			}
			return v.errorAt(key("budget"), []string{p}, "missing: %s %s needs budget, %s, in currency units", article(iv.Kind), iv.Kind, use)
		}
	}
	return nil
}

// arms checks that the arms resolve: the listed ones, or by default each
// intervention alone and all together.
func (v *validator) arms() error {
	_, err := v.cfg.ResolveArms(nil)
	if err == nil {
		return nil
	}
	var ae *config.ArmError
	if !errors.As(err, &ae) || len(v.cfg.Arms) == 0 || ae.Index < 0 || ae.Index >= len(v.cfg.Arms) {
		// The default arms resolve whenever the names are distinct, which
		// interventions checks; this is a safety net.
		return v.errorf("arms", "%s", err.Error())
	}
	return v.errorAt(index("arms", ae.Index), []string{"arms"}, "%s", ae.Msg)
}
