package results

import (
	"math"
	"strings"
)

// This file writes cost-effectiveness as words a ministry reads: a net
// gain to the state as "saves X net" rather than a negative cost, shares
// of spending as percentages.

// NetCostText writes a fiscal cost v: Compact(v), or "saves X net" when v
// is negative (the state gained X).
func NetCostText(v float64) string {
	if v < 0 {
		return "saves " + Compact(-v) + " net"
	}
	return Compact(v)
}

// CostRatioText writes a cost per unit saved (a Ratio) as RatioText does,
// but a negative cost — the state gains while firms are saved — as "saves
// X net [lo, hi]" with the gains' bounds, and an interval that crosses 0
// with its ends in words: "1.2k [saves 3k – costs 5k]".
func (s Stat) CostRatioText() string {
	switch {
	case math.IsNaN(s.Mean) || math.IsNaN(s.Lo) || math.IsNaN(s.Hi):
		return s.RatioText()
	case s.N < 2:
		return NetCostText(s.Mean)
	case s.Hi < 0:
		return NetCostText(s.Mean) + " [" + Compact(-s.Hi) + ", " + Compact(-s.Lo) + "]"
	case s.Lo < 0:
		return NetCostText(s.Mean) + " [saves " + Compact(-s.Lo) + " – costs " + Compact(s.Hi) + "]"
	}
	return s.RatioText()
}

// ShareText writes a share s (a Ratio between 0 and 1) as a percentage
// with its interval: "17% [12%, 23%]"; the mean alone without an interval,
// "n/a" when undefined.
func (s Stat) ShareText() string {
	pct := func(v float64) string { return Compact(100*v) + "%" }
	switch {
	case math.IsNaN(s.Mean):
		return "n/a"
	case s.N < 2 || math.IsNaN(s.Lo) || math.IsNaN(s.Hi):
		return pct(s.Mean)
	}
	return pct(s.Mean) + " [" + pct(s.Lo) + ", " + pct(s.Hi) + "]"
}

// DeadweightText writes the share of an arm's spending that went to firms
// that would have survived anyway: the share of its one intervention,
// "by instrument" when it has several (see DeadweightLines), "" when none
// can be classified.
func (a *Arm) DeadweightText() string {
	var classified []Intervention
	for _, iv := range a.Interventions {
		if iv.Additionality != nil {
			classified = append(classified, iv)
		}
	}
	switch len(classified) {
	case 0:
		return ""
	case 1:
		return classified[0].Additionality.DeadweightShare.ShareText()
	}
	return "by instrument"
}

// DeadweightLine writes, for an arm of several classified interventions,
// "ARM: deadweight share of spending — NAME SHARE, …", and "" otherwise.
func (a *Arm) DeadweightLine() string {
	if a.DeadweightText() != "by instrument" {
		return ""
	}
	var parts []string
	for _, iv := range a.Interventions {
		if iv.Additionality != nil {
			parts = append(parts, iv.Name+" "+iv.Additionality.DeadweightShare.ShareText())
		}
	}
	return a.Arm + ": deadweight share of spending — " + strings.Join(parts, ", ")
}
