package scenarios

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
)

// Sweeps. A scenario's [sweep] lists [[sweep.parameters]], each a key (see
// SetKey) and the values it takes: a list (values for numbers, texts for
// durations and strings) or a range (min and max; for a grid also steps).
// SweepPoints turns them into points, each the scenario with one value per
// parameter applied.

// Designs of a sweep.
const (
	designGrid = "grid"
	designLHS  = "latin-hypercube"
)

const (
	// maxGridPoints bounds the number of points of a grid.
	maxGridPoints = 1_000_000
	// maxCheckedPoints is the most points Validate checks one by one.
	maxCheckedPoints = 10_000
)

// SweepPoint is one point of a sweep.
type SweepPoint struct {
	Index  int            // 0, 1, … in the order of SweepPoints
	Values []string       // one per parameter, in parameter order, as written in sweep.csv: numbers shortest ("0.3", "1e+06"), durations and strings as written
	Config *config.Config // the scenario with the values applied, Sweep reset to config.DefaultConfig's (no parameters) and no [[uncertain]], so Encode writes neither
}

// SweepKeys returns the keys of the sweep's parameters in order: the
// columns of sweep.csv.
func SweepKeys(cfg *config.Config) []string {
	if cfg == nil {
		return nil
	}
	var keys []string
	for _, p := range cfg.Sweep.Parameters {
		keys = append(keys, p.Key)
	}
	return keys
}

// SweepPoints returns the points of cfg's sweep. Without parameters there
// is one point, a copy of cfg. name is used as the file in messages; errors
// are *Error, as from Validate, for parameters that do not resolve or do
// not fit their key. SweepPoints does not validate the points'
// configurations: Validate (and so Parse) does, as its documentation says.
//
// A grid's points are every combination of the parameters' values, the
// first parameter varying slowest and the last fastest: with a = [1, 2]
// and b = [x, y, z] the points are (1,x) (1,y) (1,z) (2,x) (2,y) (2,z). A
// range gives steps values from min to max, both included, evenly spaced
// (scale = "log": evenly spaced logarithms), rounded to 15 significant
// digits so that 0.1 to 0.7 in 4 steps gives 0.1, 0.3, 0.5, 0.7; steps = 1
// gives min alone.
//
// A latin hypercube has sweep.points = N points. Each parameter's range is
// cut into N strata of equal width (of equal width in logarithms for
// scale = "log") and each stratum is used by exactly one point: parameter
// j of point i lies in stratum π_j(i), at min + (π_j(i) + u)/N × (max −
// min), where π_j is a random permutation of 0…N−1 and u is uniform in
// [0, 1). A list takes element ⌊(π_j(i) + u)/N × len⌋. An integer key's
// value is rounded to the nearest integer. The draws come from a ChaCha8
// stream keyed by the scenario's seed alone: parameter by parameter, the
// permutation (Fisher–Yates) and then the N uniforms; the same scenario
// always gives the same points.
func SweepPoints(cfg *config.Config, name string) ([]SweepPoint, error) {
	sw, err := NewSweep(cfg, name)
	if err != nil {
		return nil, err
	}
	out := make([]SweepPoint, sw.Len())
	for i := range out {
		out[i] = sw.Point(i)
	}
	return out, nil
}

// Sweep is the sweep of a scenario resolved, whose points are built one at
// a time when asked: a sweep of a million points holds their values, not
// a million scenarios.
type Sweep struct {
	plan *sweepPlan
}

// NewSweep resolves cfg's sweep, as SweepPoints does, without building its
// points. cfg must not change while the Sweep is used.
func NewSweep(cfg *config.Config, name string) (*Sweep, error) {
	if cfg == nil {
		return nil, &Error{File: name, Msg: "no configuration"}
	}
	v := &validator{cfg: cfg, src: &source{file: name}}
	plan, err := v.sweepPlan()
	if err != nil {
		return nil, err
	}
	if plan.design == designLHS && len(plan.params) > 0 {
		plan.drawLHS()
	}
	return &Sweep{plan: plan}, nil
}

// Len returns the number of points.
func (s *Sweep) Len() int { return s.plan.n }

// Values returns the values of point i, as SweepPoint.Values.
func (s *Sweep) Values(i int) []string {
	var out []string
	for _, x := range s.plan.values(i) {
		out = append(out, x.label)
	}
	return out
}

// Point builds point i, 0 ≤ i < Len(). It is safe to call at once from
// several goroutines.
func (s *Sweep) Point(i int) SweepPoint {
	return SweepPoint{Index: i, Values: s.Values(i), Config: s.plan.apply(s.plan.values(i), -1)}
}

// Extremes calls f with the values (as SweepPoint.Values) and the
// configuration of every combination of each parameter's lowest and
// highest value (numbers and durations; every value of a list of strings),
// at most 10,000 of them, and returns f's first error. Where a quantity
// grows with each number of the scenario (the memory a run needs, say),
// its largest value over these is its largest over all points.
func (s *Sweep) Extremes(f func(values []string, cfg *config.Config) error) error {
	if len(s.plan.params) == 0 {
		return f(nil, s.plan.apply(nil, -1))
	}
	ext := make([][]sweepValue, len(s.plan.params))
	total := 1
	for j, p := range s.plan.params {
		ext[j] = p.extremes()
		total = min(total*len(ext[j]), maxCheckedPoints)
	}
	for c := 0; c < total; c++ {
		vals := cornerValues(ext, c)
		labels := make([]string, len(vals))
		for j, x := range vals {
			labels[j] = x.label
		}
		if err := f(labels, s.plan.apply(vals, -1)); err != nil {
			return err
		}
	}
	return nil
}

// cornerValues returns corner c of the extremes ext of each parameter, the
// last parameter varying fastest.
func cornerValues(ext [][]sweepValue, c int) []sweepValue {
	vals := make([]sweepValue, len(ext))
	for j := len(ext) - 1; j >= 0; j-- {
		vals[j] = ext[j][c%len(ext[j])]
		c /= len(ext[j])
	}
	return vals
}

// sweepParam is one parameter, checked and resolved on the scenario.
type sweepParam struct {
	key     string
	path    string // "sweep.parameters[i]"
	targets []target
	leaf    leaf
	form    string       // "values", "texts" or "range"
	list    []sweepValue // a list's values, or a grid range's
	min     float64      // range
	max     float64
	log     bool
}

// sweepPlan is a sweep resolved on its scenario.
type sweepPlan struct {
	cfg    *config.Config
	design string
	params []*sweepParam
	n      int
	lhs    [][]float64        // latin hypercube: by parameter, then point, its place t in [0, 1) (see sweepParam.at)
	reset  config.SweepConfig // the points' Sweep: config.DefaultConfig's
}

// values returns the values of point i, one per parameter.
func (s *sweepPlan) values(i int) []sweepValue {
	vals := make([]sweepValue, len(s.params))
	if s.design == designLHS && len(s.params) > 0 {
		for j, p := range s.params {
			vals[j] = p.at(s.lhs[j][i])
		}
		return vals
	}
	for j := len(s.params) - 1; j >= 0; j-- {
		n := len(s.params[j].list)
		vals[j] = s.params[j].list[i%n]
		i /= n
	}
	return vals
}

// apply returns a copy of the scenario with vals applied, except that of
// parameter skip (-1: none), Sweep reset and no [[uncertain]]: a point is
// one scenario, which a sweep runs as it is.
func (s *sweepPlan) apply(vals []sweepValue, skip int) *config.Config {
	c := cloneConfig(s.cfg)
	c.Sweep, c.Uncertain = s.reset, nil
	root := reflect.ValueOf(c).Elem()
	for j, p := range s.params {
		if j == skip {
			continue
		}
		for _, t := range p.targets {
			t.set(root, vals[j])
		}
	}
	return c
}

// describe writes vals for messages: "a = 1, b = 4w".
func (s *sweepPlan) describe(vals []sweepValue) string {
	parts := make([]string, len(vals))
	for j, x := range vals {
		parts[j] = s.params[j].key + " = " + x.label
	}
	return strings.Join(parts, ", ")
}

// given reports whether key p of a sweep parameter is set: present in the
// file, or, for a configuration built in code, set (away from its default).
func (v *validator) given(p string, set bool) bool {
	if v.src.present != nil {
		return v.src.present[p]
	}
	return set
}

// sweepPlan checks cfg.Sweep and resolves it on the scenario: every check
// but the validation of the points.
func (v *validator) sweepPlan() (*sweepPlan, error) {
	sw := v.cfg.Sweep
	plan := &sweepPlan{cfg: v.cfg, design: sw.Design, n: 1, reset: config.DefaultConfig().Sweep}
	switch sw.Design {
	case designGrid:
		if sw.Points != 0 {
			return nil, v.errorf("sweep.points", "%d, but points are only for design = %q: a grid's points are every combination of the parameters' values", sw.Points, designLHS)
		}
	case designLHS:
		if sw.Points < 1 {
			if v.given("sweep.points", sw.Points != 0) {
				return nil, v.errorf("sweep.points", "%d is out of range: design = %q needs points ≥ 1, the number of points to draw", sw.Points, designLHS)
			}
			return nil, v.errorAt("sweep.points", []string{"sweep.design", "sweep"}, "missing: design = %q needs points, the number of points to draw (≥ 1)", designLHS)
		}
	default:
		return nil, v.errorAt("sweep.design", []string{"sweep"}, "%s", enumMsg(sw.Design, []string{designGrid, designLHS}))
	}
	keys := map[string]int{}
	paths := map[string]int{}
	for i := range sw.Parameters {
		sp, err := v.sweepParam(i)
		if err != nil {
			return nil, err
		}
		if j, dup := keys[sp.key]; dup {
			return nil, v.errorf(join(sp.path, "key"), "%q is already the key of sweep.parameters[%d]", sp.key, j)
		}
		keys[sp.key] = i
		for _, t := range sp.targets {
			if j, dup := paths[t.path]; dup {
				return nil, v.errorf(join(sp.path, "key"), "%q sets %s, which sweep.parameters[%d] (%q) sets too", sp.key, t.path, j, sw.Parameters[j].Key)
			}
			paths[t.path] = i
		}
		plan.params = append(plan.params, sp)
	}
	if len(plan.params) == 0 {
		return plan, nil
	}
	if plan.design == designLHS {
		// The points are drawn by SweepPoints only: validation checks the
		// corners, and up to a million points need not be drawn for that.
		plan.n = sw.Points
		return plan, nil
	}
	sizes := make([]string, len(plan.params))
	n := 1
	for j, p := range plan.params {
		sizes[j] = strconv.Itoa(len(p.list))
		if n <= maxGridPoints {
			n *= len(p.list)
		}
	}
	if n > maxGridPoints {
		return nil, v.errorAt("sweep.parameters", []string{"sweep"}, "the grid has more than %d points (%s values): use fewer values or design = %q",
			maxGridPoints, strings.Join(sizes, " × "), designLHS)
	}
	plan.n = n
	return plan, nil
}

// unsweepable are the keys a sweep may not vary, with why: a batch has one
// number of replications and one set of arms for all its points (runs are
// numbered point × arm × replication, and sweep.csv compares the points
// arm by arm), so a point cannot change them.
var unsweepable = map[string]string{
	"replications":       "every point runs the scenario's replications (set replications, or --replications; to compare counts, run one sweep per count)",
	"interventions.name": "it names the intervention's arm, which must be the same at every point (each arm is compared across points)",
	"interventions.kind": "it names an unnamed intervention's arm and sets what the arm does, which must be the same at every point (sweep another intervention's keys, or add an intervention per kind)",
}

// sweepParam checks parameter i and resolves its key.
func (v *validator) sweepParam(i int) (*sweepParam, error) {
	prm := v.cfg.Sweep.Parameters[i]
	p := index("sweep.parameters", i)
	key := func(k string) string { return join(p, k) }
	sp := &sweepParam{key: prm.Key, path: p}
	if prm.Key == "" {
		return nil, v.errorAt(key("key"), []string{p}, "missing: set the dotted path of a scenario key, e.g. \"shocks.demand.depth\"")
	}
	ts, l, err := resolveKey(v.cfg, prm.Key)
	if err != nil {
		return nil, v.errorf(key("key"), "%s", err.Error())
	}
	sp.targets, sp.leaf = ts, l
	if why, ok := unsweepable[l.name]; ok {
		return nil, v.errorf(key("key"), "%s cannot be swept: %s", prm.Key, why)
	}
	numeric := l.kind == leafNumber || l.kind == leafInteger
	what := map[leafKind]string{leafNumber: "number", leafInteger: "integer", leafDuration: "duration", leafText: "string"}[l.kind]

	// Which of values, texts and a range is given: exactly one.
	hasValues := v.given(key("values"), len(prm.Values) > 0)
	hasTexts := v.given(key("texts"), len(prm.Texts) > 0)
	hasMin := v.given(key("min"), prm.Min != 0)
	hasMax := v.given(key("max"), prm.Max != 0)
	hasRange := hasMin || hasMax
	minOrMax := "min"
	if !hasMin {
		minOrMax = "max"
	}
	for _, f := range []struct {
		on       bool
		form, at string
	}{{hasValues, "values", "values"}, {hasTexts, "texts", "texts"}, {hasRange, "range", minOrMax}} {
		if !f.on {
			continue
		}
		if sp.form != "" {
			first := sp.form
			if first == "range" {
				first = "min and max"
			}
			return nil, v.errorf(key(f.at), "%s is set too: give one of values, texts, or min and max", first)
		}
		sp.form = f.form
	}
	example := map[leafKind]string{
		leafNumber:   "values = [0.2, 0.4]",
		leafInteger:  "values = [2, 4]",
		leafDuration: `texts = ["4w", "12w"]`,
		leafText:     `texts = ["a", "b"]`,
	}[l.kind]
	switch {
	case sp.form == "":
		if numeric {
			return nil, v.errorAt(p, []string{key("key")}, "missing: list the numbers %s takes (e.g. %s) or give a range with min and max", prm.Key, example)
		}
		return nil, v.errorAt(p, []string{key("key")}, "missing: list the %ss %s takes as texts, e.g. %s", what, prm.Key, example)
	case sp.form == "values" && !numeric:
		return nil, v.errorf(key("values"), "%s is a %s: list its values as texts, e.g. %s", prm.Key, what, example)
	case sp.form == "texts" && numeric:
		return nil, v.errorf(key("texts"), "%s is a number: list its values as values, e.g. %s, or give a range with min and max", prm.Key, example)
	case sp.form == "range" && !numeric:
		return nil, v.errorf(key(minOrMax), "%s is a %s, which has no range: list its values as texts, e.g. %s", prm.Key, what, example)
	}
	if sp.form != "range" {
		if v.given(key("steps"), prm.Steps != 0) {
			return nil, v.errorf(key("steps"), "only for a range (min and max)")
		}
		if v.given(key("scale"), prm.Scale != config.DefaultSweepParameter().Scale) {
			return nil, v.errorf(key("scale"), "only for a range (min and max)")
		}
	}

	switch sp.form {
	case "values", "texts":
		n := len(prm.Values)
		if sp.form == "texts" {
			n = len(prm.Texts)
		}
		if n == 0 {
			return nil, v.errorf(key(sp.form), "empty: list at least one %s", what)
		}
		seen := map[string]int{}
		for j := 0; j < n; j++ {
			var raw any
			var written string
			if sp.form == "values" {
				raw, written = prm.Values[j], formatNumber(prm.Values[j])
			} else {
				raw, written = prm.Texts[j], prm.Texts[j]
			}
			at := index(key(sp.form), j)
			x, err := leafValue(l, raw)
			if err != nil {
				return nil, v.errorAt(at, []string{key(sp.form)}, "%s", err.Error())
			}
			if k, dup := seen[written]; dup {
				return nil, v.errorAt(at, []string{key(sp.form)}, "%s is listed twice (also %s[%d])", quoteIfText(sp.form, written), sp.form, k)
			}
			seen[written] = j
			sp.list = append(sp.list, x)
		}
		return sp, nil
	}

	// A range.
	if v.src.present != nil && hasMin != hasMax {
		if hasMin {
			return nil, v.errorAt(key("max"), []string{key("min")}, "missing: a range needs max as well as min")
		}
		return nil, v.errorAt(key("min"), []string{key("max")}, "missing: a range needs min as well as max")
	}
	sp.min, sp.max, sp.log = prm.Min, prm.Max, prm.Scale == "log"
	if prm.Min >= prm.Max {
		return nil, v.errorAt(key("min"), []string{key("max")}, "%s is not below max %s: a range needs min < max", formatNumber(prm.Min), formatNumber(prm.Max))
	}
	if sp.log && prm.Min <= 0 {
		return nil, v.errorAt(key("min"), []string{key("scale")}, "%s with scale = \"log\": a log scale needs min > 0", formatNumber(prm.Min))
	}
	if l.kind == leafInteger {
		for _, e := range []struct {
			k string
			x float64
		}{{"min", prm.Min}, {"max", prm.Max}} {
			if err := wholeNumber(l, e.x); err != nil {
				return nil, v.errorf(key(e.k), "%s", err.Error())
			}
		}
	}
	stepsGiven := v.given(key("steps"), prm.Steps != 0)
	if v.cfg.Sweep.Design == designLHS {
		if stepsGiven {
			return nil, v.errorf(key("steps"), "only for a grid: a latin hypercube draws sweep.points values in the range")
		}
		return sp, nil
	}
	if prm.Steps < 1 {
		if stepsGiven {
			return nil, v.errorf(key("steps"), "%d is out of range: a grid range needs steps ≥ 1, the number of values from min to max", prm.Steps)
		}
		return nil, v.errorAt(key("steps"), []string{key("max"), key("min"), p}, "missing: a grid range needs steps ≥ 1, the number of values from min to max")
	}
	for k := 0; k < prm.Steps; k++ {
		x := gridValue(prm.Min, prm.Max, prm.Steps, k, sp.log)
		if l.kind == leafInteger && x != math.Trunc(x) {
			return nil, v.errorf(key("steps"), "%d steps from %s to %s give %s, but %s is an integer: choose steps so that every value is whole, or list values",
				prm.Steps, formatNumber(prm.Min), formatNumber(prm.Max), formatNumber(x), prm.Key)
		}
		val, err := leafValue(l, x)
		if err != nil {
			return nil, v.errorf(key("steps"), "%s", err.Error())
		}
		sp.list = append(sp.list, val)
	}
	return sp, nil
}

func quoteIfText(form, s string) string {
	if form == "texts" {
		return quoteString(s)
	}
	return s
}

// gridValue is value k of steps evenly spaced from lo to hi (in
// logarithms with log), rounded to 15 significant digits; the ends are
// exact.
func gridValue(lo, hi float64, steps, k int, log bool) float64 {
	switch {
	case k == 0 || steps == 1:
		return lo
	case k == steps-1:
		return hi
	}
	t := float64(k) / float64(steps-1)
	var x float64
	if log {
		x = lo * math.Pow(hi/lo, t)
	} else {
		x = lo + t*(hi-lo)
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	if err != nil {
		return x
	}
	return r
}

// at returns the parameter's value at t in [0, 1) of a latin hypercube.
func (p *sweepParam) at(t float64) sweepValue {
	if p.list != nil {
		return p.list[min(int(t*float64(len(p.list))), len(p.list)-1)]
	}
	var x float64
	if p.log {
		x = math.Exp(math.Log(p.min) + t*(math.Log(p.max)-math.Log(p.min)))
	} else {
		x = p.min + t*(p.max-p.min)
	}
	x = math.Min(math.Max(x, p.min), p.max)
	if p.leaf.kind == leafInteger {
		x = math.Round(x)
	}
	return sweepValue{num: x, label: formatNumber(x)}
}

// extremes returns the positions in the parameter's list of its lowest and
// highest values (numbers and durations) or of every value (strings), or
// for a latin hypercube range its ends.
func (p *sweepParam) extremes() []sweepValue {
	if p.list == nil {
		return []sweepValue{{num: p.min, label: formatNumber(p.min)}, {num: p.max, label: formatNumber(p.max)}}
	}
	if p.leaf.kind == leafText {
		return p.list
	}
	size := func(x sweepValue) float64 {
		if p.leaf.kind == leafDuration {
			return x.dur.Days()
		}
		return x.num
	}
	lo, hi := 0, 0
	for k, x := range p.list {
		if size(x) < size(p.list[lo]) {
			lo = k
		}
		if size(x) > size(p.list[hi]) {
			hi = k
		}
	}
	if lo == hi {
		return []sweepValue{p.list[lo]}
	}
	return []sweepValue{p.list[min(lo, hi)], p.list[max(lo, hi)]}
}

// sweepIsDefault tells whether s is config.DefaultConfig's [sweep]: no
// parameters and the default design and points.
func sweepIsDefault(s config.SweepConfig) bool {
	d := config.DefaultConfig().Sweep
	return len(s.Parameters) == 0 && s.Design == d.Design && s.Points == d.Points
}
