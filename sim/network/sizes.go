package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Sizes sets firms' final demand and export orientation. The generators and
// ReadCSV (for columns a file leaves out) use it the same way:
//
//   - Final demand is log-normal with a mean-preserving spread: ln X is
//     normal with sigma = FinalDemandDispersion and mu = ln(mean) − sigma²/2.
//     The mean is FinalDemandMean for distributors and
//     UpstreamFinalShare×FinalDemandMean for raw-material firms, suppliers
//     and manufacturers. A firm of RoleOther (Barabási–Albert, Erdős–Rényi,
//     files without roles) is treated as a distributor if it has no buyers
//     in the network (it sells only to final markets) and as an upstream
//     firm otherwise.
//   - With Classes set, each SME without a class draws one (Micro, Small
//     or Medium, by Classes.Shares) before its final demand, whose mean is
//     then scaled by the class (see SizeClasses); cores are Large.
//   - ExportShare is ExportShare[role], with no randomness; a firm with a
//     positive share draws one ExportMarket from MarketWeights. Without
//     MarketNames, every firm has ExportShare 0 and ExportMarket −1.
//
// Each firm draws, in firm order, one uniform variate for its class (SMEs
// with Classes set), one normal variate for its final demand and then, if
// it exports, one uniform variate for its market. Without Classes the
// draws are those of a network without size classes.
type Sizes struct {
	FinalDemandMean       float64           // mean yearly final demand of a distributor (currency units), > 0
	FinalDemandDispersion float64           // sigma of the log-normal spread, ≥ 0
	UpstreamFinalShare    float64           // an upstream firm's mean final demand relative to FinalDemandMean, in (0,1]
	ExportShare           [NumRoles]float64 // share of final sales exported, by role (index = Role), in [0,1]
	MarketNames           []string          // export markets (may be empty)
	MarketWeights         []float64         // relative weights for drawing each firm's market; empty means equal weights
	Classes               *SizeClasses      // size classes of SMEs; nil: none (every firm Unclassified)
}

// Validate reports the first invalid field of s.
func (s *Sizes) Validate() error {
	if !(s.FinalDemandMean > 0) || math.IsInf(s.FinalDemandMean, 0) {
		return fmt.Errorf("sizes: final demand mean %v must be finite and > 0", s.FinalDemandMean)
	}
	if !(s.FinalDemandDispersion >= 0) || math.IsInf(s.FinalDemandDispersion, 0) {
		return fmt.Errorf("sizes: final demand dispersion %v must be finite and ≥ 0", s.FinalDemandDispersion)
	}
	if !(s.UpstreamFinalShare > 0 && s.UpstreamFinalShare <= 1) {
		return fmt.Errorf("sizes: upstream final share %v must be in (0,1] (every firm needs positive final demand)", s.UpstreamFinalShare)
	}
	for r, x := range s.ExportShare {
		if !(x >= 0 && x <= 1) {
			return fmt.Errorf("sizes: export share of role %s is %v, must be in [0,1]", Role(r), x)
		}
	}
	seen := make(map[string]bool, len(s.MarketNames))
	for _, m := range s.MarketNames {
		if m == "" {
			return fmt.Errorf("sizes: empty export market name")
		}
		if seen[m] {
			return fmt.Errorf("sizes: duplicate export market %q", m)
		}
		seen[m] = true
	}
	if len(s.MarketWeights) != 0 && len(s.MarketWeights) != len(s.MarketNames) {
		return fmt.Errorf("sizes: %d market weights for %d markets", len(s.MarketWeights), len(s.MarketNames))
	}
	sum := 0.0
	for i, w := range s.MarketWeights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("sizes: weight %v of market %q must be finite and ≥ 0", w, s.MarketNames[i])
		}
		sum += w
	}
	if len(s.MarketWeights) > 0 && !(sum > 0) {
		return fmt.Errorf("sizes: market weights sum to 0")
	}
	if s.Classes != nil {
		return s.Classes.Validate()
	}
	return nil
}

// sizer draws final demands and export markets from validated Sizes.
type sizer struct {
	s       *Sizes
	cum     []float64  // cumulative market weights
	lastPos int        // last market with a positive weight
	classes *classDraw // nil without size classes
}

func newSizer(s *Sizes) (*sizer, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	z := &sizer{s: s, cum: make([]float64, len(s.MarketNames))}
	if s.Classes != nil {
		d := newClassDraw(s.Classes)
		z.classes = &d
	}
	acc := 0.0
	for i := range s.MarketNames {
		if len(s.MarketWeights) == 0 {
			acc++
		} else {
			acc += s.MarketWeights[i]
		}
		if acc > 0 && (i == 0 || acc > z.cum[i-1]) {
			z.lastPos = i
		}
		z.cum[i] = acc
	}
	return z, nil
}

// downstream reports whether a firm's final demand has the distributor mean.
func downstream(role Role, hasBuyers bool) bool {
	return role == RoleDistributor || (role == RoleOther && !hasBuyers)
}

// finalDemand draws firm f's final demand and, with size classes, sets
// its class first (a core is Large; an SME without one draws it).
func (z *sizer) finalDemand(f *Firm, hasBuyers bool, rng *rand.Rand) (float64, error) {
	mean := z.s.FinalDemandMean
	if !downstream(f.Role, hasBuyers) {
		mean *= z.s.UpstreamFinalShare
	}
	if z.classes != nil {
		switch {
		case f.Kind == Core:
			f.SizeClass = Large
		case f.SizeClass == Unclassified:
			f.SizeClass = z.classes.class(rng.Float64())
		}
		if fc := z.classes.factor[f.SizeClass]; fc > 0 {
			mean *= fc
		}
	}
	sigma := z.s.FinalDemandDispersion
	x := math.Exp(math.Log(mean) - sigma*sigma/2 + sigma*rng.NormFloat64())
	if !(x > 0) || x > 1e18 {
		return 0, fmt.Errorf("sizes: drew final demand %g (mean %g, dispersion %g): outside (0, 1e18]", x, mean, sigma)
	}
	return x, nil
}

// exportShare returns the Sizes export share of a role (0 without markets).
func (z *sizer) exportShare(role Role) float64 {
	if len(z.s.MarketNames) == 0 {
		return 0
	}
	return z.s.ExportShare[role]
}

// market draws an index into Sizes.MarketNames (−1 without markets).
func (z *sizer) market(rng *rand.Rand) int32 {
	if len(z.cum) == 0 {
		return -1
	}
	u := rng.Float64() * z.cum[len(z.cum)-1]
	// First market whose cumulative weight exceeds u: never a zero-weight one.
	i, _ := slices.BinarySearch(z.cum, u)
	for i < z.lastPos && z.cum[i] <= u {
		i++
	}
	return int32(min(i, z.lastPos))
}

// size sets f's FinalDemand, ExportShare and ExportMarket (an index into
// Sizes.MarketNames) from Sizes.
func (z *sizer) size(f *Firm, hasBuyers bool, rng *rand.Rand) error {
	x, err := z.finalDemand(f, hasBuyers, rng)
	if err != nil {
		return err
	}
	f.FinalDemand = x
	f.ExportShare = z.exportShare(f.Role)
	f.ExportMarket = -1
	if f.ExportShare > 0 {
		f.ExportMarket = z.market(rng)
	}
	return nil
}

// firstAppearance renumbers the names indexed by *field(f) in the order in
// which firms first use them, followed by the unused names in their given
// order, and returns the reordered names. This is the order in which
// ReadCSV collects names, so a written and re-read network has identical
// arrays. Indices < 0 are left alone.
func firstAppearance(firms []Firm, names []string, field func(*Firm) *int32) []string {
	newIndex := make([]int32, len(names))
	for i := range newIndex {
		newIndex[i] = -1
	}
	out := make([]string, 0, len(names))
	for i := range firms {
		p := field(&firms[i])
		if *p < 0 {
			continue
		}
		if newIndex[*p] < 0 {
			newIndex[*p] = int32(len(out))
			out = append(out, names[*p])
		}
		*p = newIndex[*p]
	}
	for i, name := range names {
		if newIndex[i] < 0 {
			out = append(out, name)
		}
	}
	return out
}

func sectorOf(f *Firm) *int32 { return &f.Sector }
func regionOf(f *Firm) *int32 { return &f.Region }
func marketOf(f *Firm) *int32 { return &f.ExportMarket }
