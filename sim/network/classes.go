package network

import (
	"fmt"
	"math"
	"strconv"

	"github.com/smesim/smesim/agents"
)

// SizeClass is a firm's size class in the NBS classification of
// enterprises (micro, small, medium, large), or Unclassified when the
// network was made without size classes.
type SizeClass uint8

// Size classes. Cores are Large; SMEs are Micro, Small or Medium.
const (
	Unclassified SizeClass = iota
	Micro
	Small
	Medium
	Large
	NumSizeClasses = 5
)

var sizeClassNames = [...]string{"", "micro", "small", "medium", "large"}

func (c SizeClass) String() string {
	if int(c) < len(sizeClassNames) {
		return sizeClassNames[c]
	}
	return "size-class(" + strconv.Itoa(int(c)) + ")"
}

// ParseSizeClass reads "micro", "small", "medium", "large" or "" (unclassified).
func ParseSizeClass(s string) (SizeClass, error) {
	for i, n := range sizeClassNames {
		if n == s {
			return SizeClass(i), nil
		}
	}
	return 0, fmt.Errorf("size class %q: allowed values are micro, small, medium, large or empty", s)
}

// SizeClasses draws the size class of each SME and scales its final
// demand by it. Shares and Scale are indexed by SizeClass; only Micro,
// Small and Medium are used (cores are Large and keep their draw).
//
// An SME of class c has mean final demand
//
//	mean × Scale[c] / Σ_k Shares[k]·Scale[k] (k over Micro, Small, Medium, Shares normalised)
//
// so that the mean over SMEs is the unclassified mean: classes change who
// is large, not the size of the economy.
type SizeClasses struct {
	Shares [NumSizeClasses]float64 // by number among SMEs, ≥ 0, summing to > 0
	Scale  [NumSizeClasses]float64 // relative mean final demand, > 0
}

// Validate reports the first invalid field of c.
func (c *SizeClasses) Validate() error {
	sum := 0.0
	for k := Micro; k <= Medium; k++ {
		if !(c.Shares[k] >= 0) || math.IsInf(c.Shares[k], 0) {
			return fmt.Errorf("size classes: share of %s is %v, must be finite and ≥ 0", k, c.Shares[k])
		}
		if !(c.Scale[k] > 0) || math.IsInf(c.Scale[k], 0) {
			return fmt.Errorf("size classes: scale of %s is %v, must be finite and > 0", k, c.Scale[k])
		}
		sum += c.Shares[k]
	}
	if !(sum > 0) {
		return fmt.Errorf("size classes: shares sum to 0")
	}
	return nil
}

// classDraw holds the cumulative shares and the mean-preserving factors
// of validated SizeClasses (agents.SizeClassOf, agents.ClassFactors).
type classDraw struct {
	cum    []float64               // Micro, Small, Medium: cumulative normalised share
	factor [NumSizeClasses]float64 // by class: Scale / mean scale; 0 for Unclassified and Large
}

func newClassDraw(c *SizeClasses) classDraw {
	share, scale := c.Shares[Micro:Medium+1], c.Scale[Micro:Medium+1]
	d := classDraw{cum: make([]float64, len(share))}
	total := 0.0
	for _, s := range share {
		total += s
	}
	acc := 0.0
	for k, s := range share {
		acc += s / total
		d.cum[k] = acc
	}
	for k, f := range agents.ClassFactors(share, scale) {
		d.factor[Micro+SizeClass(k)] = f
	}
	return d
}

// class returns the SME class drawn at uniform u in [0,1).
func (d *classDraw) class(u float64) SizeClass {
	return Micro + SizeClass(agents.SizeClassOf(d.cum, u))
}
