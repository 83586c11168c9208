package sim

import (
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
)

// Exposures is the baseline state of one replication that measures of
// systemic importance read: the network, each firm's gross output, jobs
// and equity, and the balance-sheet claims between firms and banks. It is
// built by the engine's own constructors, so it is the state every run of
// the replication starts from.
type Exposures struct {
	Net *network.Network

	// Per firm.
	Output []float64 // baseline gross output per year
	Jobs   []float64
	Equity []float64 // assets less payables and loans; 0 everywhere without finance
	Loan   []float64 // bank loan outstanding
	Bank   []int32   // the firm's bank

	// Per edge, in the network's (buyer-major) order.
	Flow    []float64 // baseline deliveries per year, in currency units
	Payable []float64 // trade credit: what the buyer owes the supplier
	// Anchor is, under a supply-chain-finance scheme of the arm in factoring
	// mode, the core whose risk prices the edge's receivable, -1 if none; nil
	// without such a scheme.
	Anchor []int32

	// Guarantor is, under a core-guarantee scheme of the arm, the core that
	// guarantees the firm's bank loans, -1 if none; GuaranteeCap the most
	// it guarantees. Both nil without such a scheme.
	Guarantor    []int32
	GuaranteeCap []float64

	BankCapital []float64 // per bank
	BankNames   []string
	Finance     bool // whether the scenario models money at all
}

// BaselineExposures builds replication rep of cfg with the interventions
// of arm compiled, and returns its state before the first step.
func BaselineExposures(cfg *config.Config, arm config.Arm, rep int) (*Exposures, error) {
	net, err := BuildNetwork(cfg, rep)
	if err != nil {
		return nil, err
	}
	return BaselineExposuresOn(cfg, net, arm, rep)
}

// BaselineExposuresOn is BaselineExposures on net instead of the
// replication's own network: a changed copy of it, for a what-if.
func BaselineExposuresOn(cfg *config.Config, net *network.Network, arm config.Arm, rep int) (*Exposures, error) {
	e, err := newEngineOn(cfg, net, rep)
	if err != nil {
		return nil, err
	}
	defer e.close()
	if err := e.applyArm(arm); err != nil {
		return nil, err
	}
	n := e.net.N()
	net = e.built
	perYear := e.p.stepsPerYear
	x := &Exposures{
		Net:         net,
		Output:      scaled(e.baseOutput, perYear),
		Jobs:        make([]float64, n),
		Equity:      append([]float64(nil), e.equity...),
		Loan:        append([]float64(nil), e.loan...),
		Bank:        append([]int32(nil), e.bank...),
		Flow:        scaled(e.baseFlows(), perYear),
		Payable:     append([]float64(nil), e.payable...),
		BankCapital: make([]float64, len(e.banks)),
		BankNames:   make([]string, len(e.banks)),
		Finance:     e.p.finance,
	}
	for i := 0; i < n; i++ {
		// Jobs as initFinance counts them, also when finance is off.
		kp := &cfg.Firms.SME
		if net.Kind[i] == network.Core {
			kp = &cfg.Firms.Core
		}
		x.Jobs[i] = kp.JobsPerMillion * x.Output[i] / 1e6
	}
	for b := range e.banks {
		x.BankCapital[b] = e.banks[b].capital
		x.BankNames[b] = e.bankName(b)
	}
	if e.iv.anchor != nil {
		x.Anchor = append([]int32(nil), e.iv.anchor...)
	}
	if e.iv.guarantor != nil {
		x.Guarantor = append([]int32(nil), e.iv.guarantor...)
		x.GuaranteeCap = append([]float64(nil), e.iv.guaranteeCap...)
	}
	return x, nil
}

// NetworkImpact returns, per firm, the priority network-impact of
// interventions (sim/targeting.go) ranks by: the baseline flows from its
// suppliers and to its customers, per year.
func (x *Exposures) NetworkImpact() []float64 { return flowImpact(x.Net, x.Flow) }

func scaled(v []float64, f float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x * f
	}
	return out
}
