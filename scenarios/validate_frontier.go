package scenarios

import (
	"errors"
	"strings"

	"github.com/smesim/smesim/sim/config"
)

// frontierIsDefault reports whether f is the empty [frontier], which a
// resolved scenario leaves out.
func frontierIsDefault(f config.FrontierConfig) bool { return len(f.Budgets) == 0 && len(f.Mixes) == 0 }

// frontier checks that the [frontier] mixes resolve as arms (the budgets'
// range is checked by their tags).
func (v *validator) frontier() error {
	for i, name := range v.cfg.Frontier.Mixes {
		if _, err := v.cfg.ResolveArms([]string{name}); err != nil {
			var ae *config.ArmError
			if errors.As(err, &ae) {
				return v.errorf(index("frontier.mixes", i), "%s", ae.Msg)
			}
			return v.errorf(index("frontier.mixes", i), "%s", err.Error())
		}
	}
	return nil
}

// targeting checks the targeting keys of interventions[i] that the tags
// cannot: chains ≥ 0, and a priority the kind can use.
func (v *validator) targeting(i int) error {
	iv := v.cfg.Interventions[i]
	p := index("interventions", i)
	key := func(k string) string { return join(p, k) }
	for j, ch := range iv.Chains {
		if ch < 0 {
			return v.errorAt(index(key("chains"), j), []string{key("chains"), p}, "%d: allowed ≥ 0, a chain's number as in firms.csv", ch)
		}
	}
	switch {
	case iv.Priority == "":
	case !has(config.Priorities(), iv.Priority):
		return v.errorAt(key("priority"), []string{p}, "%q is not allowed: allowed %s", iv.Priority, strings.Join(config.Priorities(), ", "))
	case iv.Kind != config.KindPolicyLoan:
		return v.errorAt(key("priority"), []string{p}, "%q: %s %s scales every eligible request down pro rata when its budget runs short, so it has no order of service: only policy-loan takes a priority; leave priority out, or narrow who is eligible (sectors, roles, regions, chains, runway_below, bank_credit, suppliers_of, revenue_drop, viable_before)",
			iv.Priority, article(iv.Kind), iv.Kind)
	case v.src.present[key("allocation")] && iv.Allocation != iv.Priority:
		return v.errorAt(key("priority"), []string{p}, "%q, but allocation is %q: priority replaces allocation; set one of them", iv.Priority, iv.Allocation)
	}
	return nil
}
