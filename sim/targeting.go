// Targeting: which firms a programme that spends money may reach (the
// filters fixed before the run) and, for a policy loan, who is served
// first while the budget lasts.

package sim

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/units"
)

// targets returns the static eligibility of an intervention: kind of firm,
// sectors, roles, regions, chains, cash runway, bank credit and the cores
// supplied; nil when every firm is eligible.
func (e *engine) targets(ic *config.InterventionConfig) ([]bool, error) {
	sel, err := selectFirms(e.net, ic.SMEOnly, ic.Sectors, ic.Regions, ic.Roles)
	if err != nil {
		return nil, err
	}
	net, n := e.net, e.net.N()
	var supplies []bool // per firm: supplies one of suppliers_of
	if len(ic.SuppliersOf) > 0 {
		byName := make(map[string]int, n)
		for i := 0; i < n; i++ {
			byName[net.Name(i)] = i
		}
		supplies = make([]bool, n)
		for _, id := range ic.SuppliersOf {
			c, ok := byName[id]
			if !ok {
				return nil, fmt.Errorf("suppliers_of: no firm %q in the network", id)
			}
			for k := net.InStart[c]; k < net.InStart[c+1]; k++ {
				supplies[net.Supplier[k]] = true
			}
		}
	}
	runway := ic.RunwayBelow.Days() / units.DaysPerMonth
	if len(ic.Chains) == 0 && runway <= 0 && (ic.BankCredit == "" || ic.BankCredit == "any") && supplies == nil {
		return sel, nil
	}
	if sel == nil {
		sel = make([]bool, n)
		for i := range sel {
			sel[i] = true
		}
	}
	for i := range sel {
		switch {
		case len(ic.Chains) > 0 && !slices.Contains(ic.Chains, int(net.Chain[i])):
		case runway > 0 && !(e.runway[i] < runway):
		case ic.BankCredit == "with" && !e.hasCredit[i], ic.BankCredit == "without" && e.hasCredit[i]:
		case supplies != nil && !supplies[i]:
		default:
			continue
		}
		sel[i] = false
	}
	return sel, nil
}

// admits reports whether the static targeting of iv admits firm i (for
// supply-chain-finance, which covers suppliers chosen before the run).
func (iv *intervention) admits(i int) bool { return iv.eligible == nil || iv.eligible[i] }

// prioritise orders the step's applicants of a policy loan by its
// priority, when one is set (the allocation key orders them otherwise):
// first-come and most-in-need as allocation does, network-impact by the
// output that depends on the firm (networkImpact), random by a lottery
// rank drawn once per firm for the run. Ties go to the lower firm index.
func (e *engine) prioritise(iv *intervention, t int) {
	s := &e.iv
	need := s.need
	var rank func(i int32) float64 // larger first
	switch iv.cfg.Priority {
	case "":
		return
	case "first-come":
		key := mix(e.cfg.Seed, uint64(e.rep), streamPolicyQueue, uint64(iv.index))
		rank = func(i int32) float64 { return -uniformAt(key, t, int(i)) }
	case "most-in-need":
		rank = func(i int32) float64 { return need[i] / e.baseOutput[i] }
	case "network-impact":
		if s.impact == nil {
			s.impact = e.networkImpact()
		}
		rank = func(i int32) float64 { return s.impact[i] }
	case "random":
		key := mix(e.cfg.Seed, uint64(e.rep), streamLottery, uint64(iv.index))
		rank = func(i int32) float64 { return -uniformAt(key, 0, int(i)) }
	}
	slices.SortFunc(s.applicants, func(a, b int32) int {
		if c := cmp.Compare(rank(b), rank(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// networkImpact returns, per firm, the output of others that depends on it
// in the baseline: what its customers buy from it (their production needs
// it as an input) and what its suppliers sell to it (their sales need it
// as a customer), per step.
func (e *engine) networkImpact() []float64 { return flowImpact(e.net, e.baseFlows()) }

// baseFlows returns the baseline flow per step of every edge.
func (e *engine) baseFlows() []float64 {
	flow := make([]float64, e.net.E())
	for k := range flow {
		flow[k] = e.baseFlowOf(e.net.Buyer[k], int32(k))
	}
	return flow
}

// flowImpact sums each firm's flows in and out: networkImpact, and
// Exposures.NetworkImpact for the atlas.
func flowImpact(net *network.Network, flow []float64) []float64 {
	out := make([]float64, net.N())
	for k, f := range flow {
		out[net.Supplier[k]] += f
		out[net.Buyer[k]] += f
	}
	return out
}
