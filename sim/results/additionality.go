package results

import (
	"bytes"
	"encoding/json"
	"math"

	"github.com/BurntSushi/toml"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// SupportColumns are the columns firms.csv adds after FirmsHeader when the
// scenario has interventions: what the firm received from the arm's
// interventions (counted as their "used" is; empty if nothing) and its
// paired class against the baseline of the same replication (saved,
// deadweight, lost-anyway, harmed; empty if it received nothing, in the
// baseline, or when the results hold no baseline of that replication).
var SupportColumns = []string{"support", "additionality"}

// FirmsHeaderWithSupport is the header of firms.csv for a scenario with
// interventions.
var FirmsHeaderWithSupport = append(append([]string{}, FirmsHeader...), SupportColumns...)

// hasSupport reports whether firms.csv of a resolved scenario has the
// SupportColumns: when it declares [[interventions]] and records firm
// outcomes, so that a scenario without interventions keeps the columns
// it always had, and an aggregate record (no firm rows) its bare header.
func hasSupport(scenarioTOML []byte) bool {
	var s struct {
		Interventions []map[string]any `toml:"interventions"`
		Output        struct {
			Record string `toml:"record"`
		} `toml:"output"`
	}
	if _, err := toml.Decode(string(scenarioTOML), &s); err != nil {
		return false
	}
	return len(s.Interventions) > 0 && s.Output.Record != "aggregate"
}

// pairing holds which firms failed in each replication of the baseline,
// so that the firms an arm's interventions reached can be classified
// against it as the results stream past (the baseline comes first): one
// bit per firm and replication.
type pairing struct {
	failed map[int][]uint64
}

func newPairing() *pairing { return &pairing{failed: map[int][]uint64{}} }

// add records the failures of r if it is a baseline run with firm
// outcomes.
func (p *pairing) add(r *outcome.Result) {
	if r.Arm != config.BaselineArm || len(r.Firms.Status) == 0 {
		return
	}
	bits := make([]uint64, (len(r.Firms.Status)+63)/64)
	for i, s := range r.Firms.Status {
		if s == outcome.Failed {
			bits[i/64] |= 1 << (i % 64)
		}
	}
	p.failed[r.Replication] = bits
}

// baseline returns whether firm i failed in replication rep of the
// baseline, and false if the baseline of rep is not known or has another
// size than n.
func (p *pairing) baseline(rep, n int) (func(i int) bool, bool) {
	bits, ok := p.failed[rep]
	if !ok || len(bits) != (n+63)/64 {
		return nil, false
	}
	return func(i int) bool { return bits[i/64]&(1<<(i%64)) != 0 }, true
}

// classify returns the additionality of each of r's interventions (nil if
// r is the baseline or cannot be paired).
func (p *pairing) classify(r *outcome.Result) []*Paired {
	if r.Arm == config.BaselineArm || len(r.Interventions) == 0 {
		return nil
	}
	failed, ok := p.baseline(r.Replication, len(r.Firms.Status))
	if !ok {
		return nil
	}
	adds, classified := Classify(r, failed)
	out := make([]*Paired, len(adds))
	for k := range adds {
		if classified[k] {
			out[k] = &adds[k]
		}
	}
	return out
}

// supportCells fills the SupportColumns of firm i of r.
func (p *pairing) supportCells(r *outcome.Result, i int, cells []string) {
	cells[0], cells[1] = "", ""
	money, class := p.support(r, i)
	if money == 0 {
		return
	}
	cells[0], cells[1] = FormatFloat(money), class
}

// support returns the money firm i of r received from r's interventions
// (0 for the baseline) and its paired class, "" when r cannot be paired
// with its baseline.
func (p *pairing) support(r *outcome.Result, i int) (money float64, class string) {
	if r.Arm == config.BaselineArm {
		return 0, ""
	}
	failed, ok := p.baseline(r.Replication, len(r.Firms.Status))
	money, c := FirmSupport(r, i, ok && failed(i))
	if !ok {
		return money, ""
	}
	return money, c.String()
}

// Additionality summarises over replications the paired classification
// of the firms one intervention reached: for each class, the Stats of the
// number of firms and of the money they received, and the share of the
// money that went to firms that survived in the baseline too.
type Additionality struct {
	// Classes holds saved, deadweight, lost-anyway and harmed, in that
	// order (ClassNames).
	Classes []ClassStats
	// DeadweightShare is Ratio(deadweight money, money), over the
	// replications: mean deadweight money / mean money, with Fieller's
	// interval.
	DeadweightShare Stat
}

// ClassStats is one class of Additionality.
type ClassStats struct {
	Class        string
	Firms, Money Stat
}

// summarizeAdditionality returns the Additionality of one intervention
// from its classification in each paired replication (nil entries are
// replications that could not be paired); nil if none could.
func summarizeAdditionality(runs []*Paired) *Additionality {
	var firms, money [NumClasses][]float64
	var dead, total []float64
	for _, a := range runs {
		if a == nil {
			continue
		}
		for c := Saved; c < NumClasses; c++ {
			firms[c] = append(firms[c], float64(a.Firms[c]))
			money[c] = append(money[c], a.Money[c])
		}
		dead = append(dead, a.Money[Deadweight])
		total = append(total, a.Spent())
	}
	if len(total) == 0 {
		return nil
	}
	// A share lies in [0, 1]: Fieller's interval, exact for normal
	// numerator and denominator, may reach past those bounds with few
	// replications, where it says nothing.
	share := Ratio("deadweight_share", dead, total)
	if isFinite(share.Lo) && isFinite(share.Hi) {
		share.Lo, share.Hi = max(share.Lo, 0), min(share.Hi, 1)
	}
	out := &Additionality{DeadweightShare: share}
	for c := Saved; c < NumClasses; c++ {
		out.Classes = append(out.Classes, ClassStats{Class: c.String(), Firms: Describe("firms", firms[c]), Money: Describe("money", money[c])})
	}
	return out
}

// Class returns the ClassStats of class name (saved, deadweight,
// lost-anyway, harmed).
func (a *Additionality) Class(name string) (ClassStats, bool) {
	for _, c := range a.Classes {
		if c.Class == name {
			return c, true
		}
	}
	return ClassStats{}, false
}

// MarshalJSON writes {"saved": {"firms": STAT, "money": STAT}, …,
// "deadweight_share": STAT}, the classes in order.
func (a Additionality) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for _, c := range a.Classes {
		k, _ := json.Marshal(c.Class)
		v, err := json.Marshal(struct {
			Firms Stat `json:"firms"`
			Money Stat `json:"money"`
		}{c.Firms, c.Money})
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
		buf.WriteByte(',')
	}
	v, err := json.Marshal(a.DeadweightShare)
	if err != nil {
		return nil, err
	}
	buf.WriteString(`"deadweight_share":`)
	buf.Write(v)
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Additionality) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*a = Additionality{DeadweightShare: Stat{Metric: "deadweight_share", Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN()}}
	for _, name := range ClassNames() {
		var c struct {
			Firms Stat `json:"firms"`
			Money Stat `json:"money"`
		}
		if m, ok := raw[name]; ok {
			if err := json.Unmarshal(m, &c); err != nil {
				return err
			}
		}
		c.Firms.Metric, c.Money.Metric = "firms", "money"
		a.Classes = append(a.Classes, ClassStats{Class: name, Firms: c.Firms, Money: c.Money})
	}
	if m, ok := raw["deadweight_share"]; ok {
		if err := json.Unmarshal(m, &a.DeadweightShare); err != nil {
			return err
		}
		a.DeadweightShare.Metric = "deadweight_share"
	}
	return nil
}
