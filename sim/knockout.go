// Knock-out: a firm made to fail at the shock's start, to measure the
// damage its failure does (the simulated column of the criticality atlas,
// package atlas). The knocked firm is wound up like any failure, in the
// failure phase, so its creditors, bank, buyers and suppliers feel it
// through the engine's own channels and the cascade attribution records
// where it travelled.

package sim

import (
	"fmt"

	"github.com/smesim/smesim/sim/outcome"
)

// Knockout names the firm a run makes fail.
type Knockout struct {
	Firm int // index into the network
}

// knockout is a Knockout compiled for the engine: firm -1 knocks out
// nothing.
type knockout struct {
	firm int32
	step int
}

// setKnockout arms a knock-out of k.Firm at the first step of the earliest
// shock (step 0 in a scenario without shocks).
func (e *engine) setKnockout(k *Knockout) error {
	e.knock = knockout{firm: -1}
	if k == nil {
		return nil
	}
	if k.Firm < 0 || k.Firm >= e.net.N() {
		return fmt.Errorf("knockout: firm %d out of range [0,%d)", k.Firm, e.net.N())
	}
	if !e.p.finance {
		return fmt.Errorf("knockout: the scenario models no money (finance off), so no firm can fail")
	}
	step := e.p.shockStep
	if step >= e.p.steps {
		step = 0
	}
	e.knock = knockout{firm: int32(k.Firm), step: step}
	return nil
}

// knockOut adds the knocked firm to the firms failing at step t, in firm
// order, unless it is already failing or failed. It is the root of its own
// cascade: what reached it earlier did not make it fail.
func (e *engine) knockOut(t int) {
	f := e.knock.firm
	if f < 0 || t != e.knock.step || !e.alive[f] {
		return
	}
	k := 0
	for k < len(e.failing) && e.failing[k] < f {
		k++
	}
	if k < len(e.failing) && e.failing[k] == f {
		return
	}
	e.cause[f] = outcome.KnockedOut
	e.hits.clear(int(f))
	e.failing = append(e.failing, 0)
	copy(e.failing[k+1:], e.failing[k:])
	e.failing[k] = f
}
