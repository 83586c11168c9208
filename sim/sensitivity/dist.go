package sensitivity

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Kind is the family of a parameter's distribution.
type Kind int

// The distribution families. Their parameters are fields of Distribution.
const (
	Uniform     Kind = iota + 1 // Lo, Hi
	LogUniform                  // Lo, Hi, both > 0: log x is uniform
	Normal                      // Mean, SD
	TruncNormal                 // Mean, SD, truncated to [Lo, Hi]
	Beta                        // Alpha, Beta, scaled to [Lo, Hi] (default [0, 1])
	Discrete                    // Values, with Weights (default equal)
)

var kindNames = map[Kind]string{
	Uniform: "uniform", LogUniform: "loguniform", Normal: "normal",
	TruncNormal: "truncnormal", Beta: "beta", Discrete: "discrete",
}

// String returns the name of the family as the parameter files spell it.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// KindNames lists the names of the families, in the order of the constants.
func KindNames() []string {
	names := make([]string, 0, len(kindNames))
	for k := Uniform; k <= Discrete; k++ {
		names = append(names, k.String())
	}
	return names
}

// ParseKind returns the family named s.
func ParseKind(s string) (Kind, bool) {
	for k, name := range kindNames {
		if name == s {
			return k, true
		}
	}
	return 0, false
}

// Distribution is the probability distribution of an uncertain parameter.
// Which fields are used depends on Kind (see the Kind constants).
type Distribution struct {
	Kind         Kind
	Lo, Hi       float64
	Mean, SD     float64
	Alpha, Beta  float64
	Values       []float64
	Weights      []float64 // nil: equal weights
	cumulative   []float64 // Discrete: cumulative normalized weights
	truncLo, mid float64   // TruncNormal: Φ(lo), Φ(hi) − Φ(lo)
}

// Param is an uncertain parameter: a name (later a scenario key), its
// distribution and where the distribution comes from.
type Param struct {
	Name   string
	Dist   Distribution
	Source string
}

// KeyError is an invalid parameter of a distribution: Key names it as
// the parameter files do (lo, hi, mean, sd, alpha, beta, values, weights).
type KeyError struct {
	Key string
	Msg string
}

func (e *KeyError) Error() string { return e.Msg }

func keyErrorf(key, format string, args ...any) error {
	return &KeyError{Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Check reports whether the distribution's parameters are valid, as a
// *KeyError naming the first invalid one, and prepares its quantile
// function. It must be called before Quantile.
func (d *Distribution) Check() error {
	finite := func(key string, xs ...float64) error {
		for _, x := range xs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return keyErrorf(key, "%s must be a finite number, not %v", key, x)
			}
		}
		return nil
	}
	bounds := func() error {
		if err := finite("lo", d.Lo); err != nil {
			return err
		}
		if err := finite("hi", d.Hi); err != nil {
			return err
		}
		if !(d.Lo < d.Hi) {
			return keyErrorf("lo", "lo = %v must be less than hi = %v", d.Lo, d.Hi)
		}
		return nil
	}
	normal := func() error {
		if err := finite("mean", d.Mean); err != nil {
			return err
		}
		if err := finite("sd", d.SD); err != nil {
			return err
		}
		if !(d.SD > 0) {
			return keyErrorf("sd", "sd = %v must be positive", d.SD)
		}
		return nil
	}
	switch d.Kind {
	case Uniform:
		return bounds()
	case LogUniform:
		if err := bounds(); err != nil {
			return err
		}
		if !(d.Lo > 0) {
			return keyErrorf("lo", "lo = %v must be positive for a log-uniform distribution", d.Lo)
		}
	case Normal:
		return normal()
	case TruncNormal:
		if err := normal(); err != nil {
			return err
		}
		if err := bounds(); err != nil {
			return err
		}
		std := distuv.UnitNormal
		a, b := std.CDF((d.Lo-d.Mean)/d.SD), std.CDF((d.Hi-d.Mean)/d.SD)
		if !(b-a > 1e-12) {
			return keyErrorf("lo", "[lo, hi] = [%v, %v] holds no probability of a normal(%v, %v) distribution", d.Lo, d.Hi, d.Mean, d.SD)
		}
		d.truncLo, d.mid = a, b-a
	case Beta:
		if err := finite("alpha", d.Alpha); err != nil {
			return err
		}
		if err := finite("beta", d.Beta); err != nil {
			return err
		}
		if !(d.Alpha > 0) {
			return keyErrorf("alpha", "alpha = %v must be positive", d.Alpha)
		}
		if !(d.Beta > 0) {
			return keyErrorf("beta", "beta = %v must be positive", d.Beta)
		}
		if d.Lo == 0 && d.Hi == 0 {
			d.Hi = 1 // unscaled: [0, 1]
		}
		return bounds()
	case Discrete:
		if len(d.Values) == 0 {
			return keyErrorf("values", "values must list at least one value")
		}
		if err := finite("values", d.Values...); err != nil {
			return err
		}
		w := d.Weights
		if w == nil {
			w = make([]float64, len(d.Values))
			for i := range w {
				w[i] = 1
			}
		}
		if len(w) != len(d.Values) {
			return keyErrorf("weights", "weights has %d entries and values %d: give one weight per value", len(w), len(d.Values))
		}
		total := 0.0
		for _, x := range w {
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return keyErrorf("weights", "weights must be finite and non-negative, not %v", x)
			}
			total += x
		}
		if !(total > 0) {
			return keyErrorf("weights", "weights must not all be zero")
		}
		d.cumulative = make([]float64, len(w))
		acc := 0.0
		for i, x := range w {
			acc += x
			d.cumulative[i] = acc / total
		}
		d.cumulative[len(w)-1] = 1
	default:
		return keyErrorf("distribution", "unknown distribution %v", d.Kind)
	}
	return nil
}

// Quantile returns the value below which the fraction p (in (0,1)) of the
// distribution lies: its inverse CDF, which maps a uniform point to a draw.
// A Discrete distribution returns the first value whose cumulative weight
// exceeds p, in the order the values are listed.
func (d *Distribution) Quantile(p float64) float64 {
	switch d.Kind {
	case Uniform:
		return d.Lo + p*(d.Hi-d.Lo)
	case LogUniform:
		x := math.Exp(math.Log(d.Lo) + p*(math.Log(d.Hi)-math.Log(d.Lo)))
		return min(max(x, d.Lo), d.Hi) // exp(log(x)) may round outside
	case Normal:
		return d.Mean + d.SD*distuv.UnitNormal.Quantile(p)
	case TruncNormal:
		x := d.Mean + d.SD*distuv.UnitNormal.Quantile(d.truncLo+p*d.mid)
		return min(max(x, d.Lo), d.Hi) // rounding in the far tails
	case Beta:
		return d.Lo + (d.Hi-d.Lo)*distuv.Beta{Alpha: d.Alpha, Beta: d.Beta}.Quantile(p)
	case Discrete:
		for i, c := range d.cumulative {
			if p < c {
				return d.Values[i]
			}
		}
		return d.Values[len(d.Values)-1]
	}
	return math.NaN()
}

// unbounded reports whether the distribution has infinite support.
func (d *Distribution) unbounded() bool { return d.Kind == Normal }

// CheckParams checks every parameter's distribution and that the names are
// present and distinct. Errors name the parameter by its position (from 1)
// and name.
func CheckParams(params []Param) error {
	if len(params) == 0 {
		return errors.New("no parameters")
	}
	seen := map[string]int{}
	for i := range params {
		p := &params[i]
		if p.Name == "" {
			return fmt.Errorf("parameter %d has no name", i+1)
		}
		if j, ok := seen[p.Name]; ok {
			return fmt.Errorf("parameter %d: name %q is also parameter %d's", i+1, p.Name, j)
		}
		seen[p.Name] = i + 1
		if err := p.Dist.Check(); err != nil {
			return fmt.Errorf("parameter %d (%s): %w", i+1, p.Name, err)
		}
	}
	return nil
}
