package scenarios

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/sensitivity"
	"github.com/smesim/smesim/sim/units"
)

// Uncertain parameters. A scenario's [[uncertain]] tables each name a key
// (as [[sweep.parameters]] do, see SetKey) and the distribution of its
// plausible values, in the vocabulary of package sim/sensitivity. The key
// must be a number or a duration: an integer key takes the draw rounded
// to the nearest whole number, a duration key the draw in the entry's
// unit ("w": weeks).

// normalTail is the probability below the lowest (and above the highest)
// value of a normal distribution that validation checks the key takes: a
// normal draw is unbounded, and its draws lie within about six standard
// deviations of the mean.
const normalTail = 1e-9

// Uncertain is a scenario's [[uncertain]] resolved on the scenario: the
// parameters of a sensitivity design, and how to apply a row of values.
type Uncertain struct {
	cfg    *config.Config
	params []*uncertainParam
	reset  config.SweepConfig
}

// uncertainParam is one [[uncertain]] entry, checked and resolved.
type uncertainParam struct {
	key     string
	path    string // "uncertain[i]"
	targets []target
	leaf    leaf
	dist    sensitivity.Distribution
	unit    string // durations
	source  string
}

// NewUncertain resolves cfg's [[uncertain]] tables, with the checks of
// Validate but the validation of the scenarios their extreme values give
// (Validate, and so Parse, does that). name is used as the file in
// messages. cfg must not change while the Uncertain is used.
func NewUncertain(cfg *config.Config, name string) (*Uncertain, error) {
	if cfg == nil {
		return nil, &Error{File: name, Msg: "no configuration"}
	}
	v := &validator{cfg: cfg, src: &source{file: name}}
	return v.uncertainPlan()
}

// Len returns the number of uncertain parameters.
func (u *Uncertain) Len() int { return len(u.params) }

// Params returns the parameters, named by their keys, for a design.
func (u *Uncertain) Params() []sensitivity.Param {
	out := make([]sensitivity.Param, len(u.params))
	for j, p := range u.params {
		out[j] = sensitivity.Param{Name: p.key, Dist: p.dist, Source: p.source}
	}
	return out
}

// Keys returns the keys of the parameters, in order.
func (u *Uncertain) Keys() []string {
	out := make([]string, len(u.params))
	for j, p := range u.params {
		out[j] = p.key
	}
	return out
}

// Apply returns a copy of the scenario with parameter j set to row[j] for
// every j (as the key takes it: see Value), and with neither
// [[uncertain]] nor [sweep], so that Encode writes the point's scenario
// alone. row has one value per parameter. It is safe to call at once from
// several goroutines.
func (u *Uncertain) Apply(row []float64) *config.Config {
	c := cloneConfig(u.cfg)
	c.Uncertain, c.Sweep = nil, u.reset
	root := reflect.ValueOf(c).Elem()
	for j, p := range u.params {
		val := p.value(row[j])
		for _, t := range p.targets {
			t.set(root, val)
		}
	}
	return c
}

// Extremes returns, per parameter, the lowest and highest value its
// distribution draws (for a normal distribution, its quantiles at 1e-9
// and 1 − 1e-9). Where a quantity grows with each number of the scenario
// (the memory a run needs), Apply(lo) and Apply(hi) bound it.
func (u *Uncertain) Extremes() (lo, hi []float64) {
	lo, hi = make([]float64, len(u.params)), make([]float64, len(u.params))
	for j, p := range u.params {
		lo[j], hi[j], _, _ = p.extremes()
	}
	return lo, hi
}

// Value returns the value parameter j's key takes for the draw x, as
// written in a design: an integer key's rounded, a duration's with its
// unit.
func (u *Uncertain) Value(j int, x float64) string { return u.params[j].value(x).label }

// value converts the draw x for the key.
func (p *uncertainParam) value(x float64) sweepValue {
	switch p.leaf.kind {
	case leafInteger:
		x = math.Round(x)
	case leafDuration:
		d := units.Duration{Value: x, Unit: p.unit}
		if x == 0 {
			d = units.Duration{}
		}
		return sweepValue{dur: d, label: formatNumber(x) + p.unit}
	}
	return sweepValue{num: x, label: formatNumber(x)}
}

// extremes returns the lowest and highest value the distribution draws
// (for a normal distribution, its quantiles at normalTail and 1 −
// normalTail), with the key of the entry each comes from.
func (p *uncertainParam) extremes() (lo, hi float64, loKey, hiKey string) {
	d := &p.dist
	switch d.Kind {
	case sensitivity.Normal:
		return d.Quantile(normalTail), d.Quantile(1 - normalTail), "mean", "mean"
	case sensitivity.Discrete:
		return slices.Min(d.Values), slices.Max(d.Values), "values", "values"
	case sensitivity.Beta:
		if d.Lo == 0 && d.Hi == 1 {
			return 0, 1, "distribution", "distribution"
		}
	}
	return d.Lo, d.Hi, "lo", "hi"
}

// unsettable are the keys an uncertain parameter may not name, with why:
// those a sweep may not vary (see unsweepable), for the same reasons.
func unsettable(name string) (string, bool) {
	why, ok := unsweepable[name]
	return why, ok
}

// uncertainPlan checks cfg.Uncertain and resolves it on the scenario.
func (v *validator) uncertainPlan() (*Uncertain, error) {
	u := &Uncertain{cfg: v.cfg, reset: config.DefaultConfig().Sweep}
	keys := map[string]int{}
	paths := map[string]int{}
	for i := range v.cfg.Uncertain {
		p, err := v.uncertainParam(i)
		if err != nil {
			return nil, err
		}
		if j, dup := keys[p.key]; dup {
			return nil, v.errorf(join(p.path, "key"), "%q is already the key of uncertain[%d]", p.key, j)
		}
		keys[p.key] = i
		for _, t := range p.targets {
			if j, dup := paths[t.path]; dup {
				return nil, v.errorf(join(p.path, "key"), "%q sets %s, which uncertain[%d] (%q) sets too", p.key, t.path, j, v.cfg.Uncertain[j].Key)
			}
			paths[t.path] = i
		}
		u.params = append(u.params, p)
	}
	return u, nil
}

// uncertainParam checks entry i and resolves its key and distribution.
func (v *validator) uncertainParam(i int) (*uncertainParam, error) {
	e := v.cfg.Uncertain[i]
	path := index("uncertain", i)
	key := func(k string) string { return join(path, k) }
	p := &uncertainParam{key: e.Key, path: path, unit: e.Unit, source: e.Source}
	if e.Key == "" {
		return nil, v.errorAt(key("key"), []string{path}, "missing: set the dotted path of a scenario key, e.g. \"shocks.demand.depth\"")
	}
	ts, l, err := resolveKey(v.cfg, e.Key)
	if err != nil {
		return nil, v.errorf(key("key"), "%s", err.Error())
	}
	p.targets, p.leaf = ts, l
	if why, ok := unsettable(l.name); ok {
		return nil, v.errorf(key("key"), "%s cannot be uncertain: %s", e.Key, why)
	}
	switch l.kind {
	case leafText:
		return nil, v.errorf(key("key"), "%s is a string, and a distribution draws numbers: to compare a few texts, list them in a [[sweep.parameters]] entry's texts", e.Key)
	case leafDuration:
		if !v.given(key("unit"), e.Unit != "") {
			return nil, v.errorAt(key("unit"), []string{key("key"), path}, "missing: %s is a duration: set the unit of the numbers drawn: d (days), w (weeks), mo (months) or y (years)", e.Key)
		}
		if !has([]string{"d", "w", "mo", "y"}, e.Unit) {
			return nil, v.errorf(key("unit"), "%s", enumMsg(e.Unit, []string{"d", "w", "mo", "y"}))
		}
	default:
		if v.given(key("unit"), e.Unit != "") {
			return nil, v.errorf(key("unit"), "only for a duration key: %s is %s", e.Key, l.noun())
		}
	}
	kind, ok := sensitivity.ParseKind(e.Distribution)
	if !ok {
		if e.Distribution == "" {
			return nil, v.errorAt(key("distribution"), []string{path}, "missing: set one of %s", strings.Join(sensitivity.KindNames(), ", "))
		}
		return nil, v.errorf(key("distribution"), "%s", enumMsg(e.Distribution, sensitivity.KindNames()))
	}
	// The keys of the distribution: those it takes, and no others.
	ev := reflect.ValueOf(e)
	var takes []string
	for _, dk := range sensitivity.Keys(kind) {
		takes = append(takes, dk.Name)
	}
	for _, f := range fieldsOf(ev.Type()) {
		if !slices.Contains(sensitivity.DistKeyNames, f.key) {
			continue
		}
		set := v.given(key(f.key), !ev.Field(f.index).IsZero())
		if set && !sensitivity.Takes(kind, f.key) {
			return nil, v.errorf(key(f.key), "not a key of a %s distribution, which takes %s", kind, strings.Join(takes, ", "))
		}
	}
	for _, dk := range sensitivity.Keys(kind) {
		if dk.Optional || v.src.present == nil {
			continue
		}
		if !v.src.present[key(dk.Name)] {
			return nil, v.errorAt(key(dk.Name), []string{key("distribution"), path}, "missing: a %s distribution needs %s", kind, strings.Join(takes, ", "))
		}
	}
	p.dist = sensitivity.Distribution{Kind: kind, Lo: e.Lo, Hi: e.Hi, Mean: e.Mean, SD: e.SD, Alpha: e.Alpha, Beta: e.Beta, Values: e.Values}
	if v.given(key("weights"), len(e.Weights) > 0) {
		p.dist.Weights = e.Weights
	}
	if kind == sensitivity.Beta && v.given(key("lo"), e.Lo != 0) != v.given(key("hi"), e.Hi != 0) {
		return nil, v.errorAt(key("hi"), []string{key("lo"), path}, "a beta distribution takes both lo and hi (its range), or neither (then 0 to 1)")
	}
	if err := p.dist.Check(); err != nil {
		at := "distribution"
		var ke *sensitivity.KeyError
		if errors.As(err, &ke) {
			at = ke.Key
		}
		return nil, v.errorAt(key(at), []string{path}, "%s", err.Error())
	}
	return p, nil
}

// uncertain checks [[uncertain]]: each entry against its key and
// distribution, and that the key takes every value the distribution
// draws — the scenario with each parameter alone at its lowest and its
// highest value must be valid, which stands for every draw since the
// rules are monotone in each number.
func (v *validator) uncertain() error {
	u, err := v.uncertainPlan()
	if err != nil {
		return err
	}
	for j, p := range u.params {
		lo, hi, loKey, hiKey := p.extremes()
		for _, end := range []struct {
			x        float64
			what, at string
		}{{lo, "lowest", loKey}, {hi, "highest", hiKey}} {
			c := cloneConfig(u.cfg)
			c.Uncertain, c.Sweep = nil, u.reset
			val := p.value(end.x)
			root := reflect.ValueOf(c).Elem()
			for _, t := range p.targets {
				t.set(root, val)
			}
			err := validate(c, &source{file: v.src.file})
			if err == nil {
				continue
			}
			var e *Error
			if !errors.As(err, &e) {
				return err
			}
			inner := e.Msg
			if e.Key != "" {
				inner = e.Key + ": " + e.Msg
			}
			hint := ""
			if p.dist.Kind == sensitivity.Normal {
				hint = " (a normal distribution draws any number: bound it with truncnormal)"
			}
			return v.errorAt(join(p.path, end.at), []string{p.path}, "%s cannot take the %s value uncertain[%d] draws, %s%s: %s",
				p.key, end.what, j, val.label, hint, inner)
		}
	}
	return nil
}

// uncertainKeyOmitted tells whether key f of [[uncertain]] entry ev is
// left out when written: a key of a distribution that the entry's does
// not take, an optional one (weights; a beta's lo and hi) and unit, when
// they hold their zero value.
func uncertainKeyOmitted(f field, ev reflect.Value) bool {
	if !ev.Field(f.index).IsZero() && !(f.typ.Kind() == reflect.Slice && ev.Field(f.index).Len() == 0) {
		return false
	}
	if f.key == "unit" {
		return true
	}
	if !slices.Contains(sensitivity.DistKeyNames, f.key) {
		return false
	}
	kind, ok := sensitivity.ParseKind(ev.Interface().(config.UncertainConfig).Distribution)
	if !ok {
		return false
	}
	for _, dk := range sensitivity.Keys(kind) {
		if dk.Name == f.key {
			return dk.Optional
		}
	}
	return true
}

// uncertainExample documents the keys of an empty [[uncertain]] with an
// example entry, then the keys of the other distributions with example
// values: a distribution takes only its own keys, so the zero values of
// every key would not parse.
func (w *writer) uncertainExample() {
	example := map[string]string{
		"key": `"shocks[0].depth"`, "distribution": `"uniform"`, "lo": "0.2", "hi": "0.6",
		"source": `"expert judgement, workshop of 2020-05"`,
		"mean":   "0.4", "sd": "0.1", "alpha": "2.0", "beta": "5.0", "values": "[0.2, 0.4, 0.6]", "weights": "[1.0, 2.0, 1.0]", "unit": `"w"`,
	}
	var others []field
	for _, f := range fieldsOf(uncertainType) {
		switch f.key {
		case "key", "distribution", "lo", "hi", "source":
			w.printf("#   %s = %s    # %s\n", f.key, example[f.key], docLine(join("uncertain", f.key), f))
		default:
			others = append(others, f)
		}
	}
	w.printf("#   and, for other distributions and for duration keys:\n")
	for _, f := range others {
		w.printf("#   %s = %s    # %s\n", f.key, example[f.key], docLine(join("uncertain", f.key), f))
	}
}
