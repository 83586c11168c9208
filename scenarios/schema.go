package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// The schema is config.Config itself: its struct tree, toml keys and the tags
// doc, min, max, minx, maxx, enum and kinds. This file reads it by reflection.

var (
	configType       = reflect.TypeOf(config.Config{})
	durationType     = reflect.TypeOf(units.Duration{})
	shockType        = reflect.TypeOf(config.ShockConfig{})
	interventionType = reflect.TypeOf(config.InterventionConfig{})
	sweepType        = reflect.TypeOf(config.SweepConfig{})
	demographyType   = reflect.TypeOf(config.DemographyConfig{})
	frontierType     = reflect.TypeOf(config.FrontierConfig{})
	sweepParamType   = reflect.TypeOf(config.SweepParameter{})
	factType         = reflect.TypeOf(config.FactConfig{})
	uncertainType    = reflect.TypeOf(config.UncertainConfig{})
)

// field is one key of the schema, with what its tags say read once.
type field struct {
	key   string // toml key
	index int    // struct field index
	typ   reflect.Type
	tag   reflect.StructTag

	rng    numRange // rangeOf(tag), for numbers
	enum   []string // enumOf(tag)
	kinds  []string // kindsOf(tag)
	durRng numRange // durationRange(tag), for durations, when hasDur
	hasDur bool
}

// isInlineStruct reports whether struct type t is written as an inline table:
// a small struct of plain numbers without docs of its own (RoleValues).
func isInlineStruct(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || t == durationType {
		return false
	}
	for _, f := range fieldsOf(t) {
		switch f.typ.Kind() {
		case reflect.Float64, reflect.Int, reflect.Bool, reflect.String:
		default:
			return false
		}
		if f.tag.Get("doc") != "" {
			return false
		}
	}
	return true
}

// stripIndices removes array indices from a path: "shocks[2].depth" → "shocks.depth".
func stripIndices(path string) string {
	if !strings.Contains(path, "[") {
		return path
	}
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tomlSpecial spells NaN and the infinities as TOML does.
func tomlSpecial(v float64) (string, bool) {
	switch {
	case math.IsNaN(v):
		return "nan", true
	case math.IsInf(v, 1):
		return "inf", true
	case math.IsInf(v, -1):
		return "-inf", true
	}
	return "", false
}

// formatFloat writes a float64 as a TOML float that reads back exactly.
func formatFloat(v float64) string {
	if t, ok := tomlSpecial(v); ok {
		return t
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-5 || a >= 1e16) {
		return strconv.FormatFloat(v, 'e', -1, 64)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// formatNumber writes a number for messages, as short as possible.
// NaN and infinities are written as in TOML: nan, inf, -inf.
func formatNumber(v float64) string {
	if t, ok := tomlSpecial(v); ok {
		return t
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// numRange is the allowed range of a number from the tags min, max, minx, maxx.
// A number without tags must be ≥ 0: no value of the schema may be negative.
type numRange struct {
	lo, hi       float64
	loText       string
	hiText       string
	loExcl       bool
	hiExcl       bool
	hasLo, hasHi bool
}

func rangeOf(tag reflect.StructTag) numRange {
	var r numRange
	if s := tag.Get("min"); s != "" {
		r.lo, r.loText, r.hasLo = mustFloat(s), s, true
	} else if s := tag.Get("minx"); s != "" {
		r.lo, r.loText, r.hasLo, r.loExcl = mustFloat(s), s, true, true
	} else {
		r.lo, r.loText, r.hasLo = 0, "0", true
	}
	if s := tag.Get("max"); s != "" {
		r.hi, r.hiText, r.hasHi = mustFloat(s), s, true
	} else if s := tag.Get("maxx"); s != "" {
		r.hi, r.hiText, r.hasHi, r.hiExcl = mustFloat(s), s, true, true
	}
	return r
}

func mustFloat(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(fmt.Sprintf("scenarios: bad numeric tag %q in config.Config: %v", s, err))
	}
	return v
}

// contains reports whether v is in r. NaN and ±Inf never are.
func (r numRange) contains(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	if r.hasLo && (v < r.lo || r.loExcl && v == r.lo) {
		return false
	}
	if r.hasHi && (v > r.hi || r.hiExcl && v == r.hi) {
		return false
	}
	return true
}

// String describes the range: "0 to 1", "> 0 and ≤ 1e15", "≥ 0".
func (r numRange) String() string {
	if r.hasLo && r.hasHi && !r.loExcl && !r.hiExcl {
		return r.loText + " to " + r.hiText
	}
	var parts []string
	if r.hasLo {
		op := "≥ "
		if r.loExcl {
			op = "> "
		}
		parts = append(parts, op+r.loText)
	}
	if r.hasHi {
		op := "≤ "
		if r.hiExcl {
			op = "< "
		}
		parts = append(parts, op+r.hiText)
	}
	return strings.Join(parts, " and ")
}

// enumOf returns the allowed strings of an enum tag, or nil.
func enumOf(tag reflect.StructTag) []string {
	s := tag.Get("enum")
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// kindsOf returns the kinds of element a key of an array of tables applies
// to ([[shocks]], [[interventions]]), or nil for all.
func kindsOf(tag reflect.StructTag) []string {
	s := tag.Get("kinds")
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// kindedTables are the element types of the arrays of tables whose keys may
// apply to some kinds of element only (tag kinds), with the noun that names
// an element in messages: "a demand shock", "a moratorium intervention".
// The kind of an element is its key kindKey.
var kindedTables = map[reflect.Type]string{
	shockType:        "shock",
	interventionType: "intervention",
}

// kindKey is the key holding the kind of an element of a kinded table.
const kindKey = "kind"

// keyCondition narrows a key of a kinded table beyond its kinds tag: it
// applies only while the element's key key holds one of values.
type keyCondition struct {
	key    string
	values []string
}

// keyConditions holds the narrowed keys, by path without indices: the
// supply-chain-finance keys of one mode only.
var keyConditions = map[string]keyCondition{
	"interventions.advance_rate":    {"mode", []string{"factoring"}},
	"interventions.discount_spread": {"mode", []string{"factoring"}},
	"interventions.recourse":        {"mode", []string{"factoring"}},
	"interventions.guarantee_limit": {"mode", []string{"guarantee"}},
}

// conditionKeys holds the last segments of the keys of keyConditions.
var conditionKeys = func() map[string]bool {
	m := map[string]bool{}
	for k := range keyConditions {
		m[k[strings.LastIndex(k, ".")+1:]] = true
	}
	return m
}()

// omitEmpty lists the keys, by path without indices, that a file may not
// set empty because leaving them out means something else: an intervention
// without a name is named after its kind. Encode leaves them out when empty.
var omitEmpty = map[string]string{
	"interventions.name": "left out: named after its kind",
}

// instrumentKeys lists the keys, by path without indices, of the
// instruments' modes of issue 15 (slice 7) and the per-link payment terms. Encode leaves them out when
// they hold their defaults, whatever the banking, so that the resolved
// scenarios written before them keep their bytes; Parse gives the same
// configuration back either way.
var instrumentKeys = map[string]bool{
	"interventions.rule": true, "interventions.payments": true, "interventions.wage_contributions": true,
	"firms.sme.payment_term_dispersion": true, "firms.core.payment_term_dispersion": true,
	"firms.sme.loan_maturity": true, "firms.core.loan_maturity": true,
	"finance.first_loan_take_up": true, "finance.new_borrower_penalty": true,
}

// bankingSystemKeys lists the keys, by path without indices, that only
// finance.banking = "system" uses (and banking itself). While banking is
// "legacy", Encode leaves them out when they hold their defaults, so that
// the resolved scenarios written before the banking system keep their
// bytes; Parse gives the same configuration back either way.
var bankingSystemKeys = map[string]bool{
	"finance.banking": true, "finance.npl_after": true, "finance.risk_weight_sme": true,
	"finance.risk_weight_core": true, "finance.risk_weight_npl": true, "finance.pd_base": true,
	"finance.coverage_min": true, "finance.deposit_rate": true, "finance.cost_to_assets": true,
	"finance.bank_payout": true, "finance.local_share_sme": true, "finance.local_share_core": true,
	"finance.cb_rate": true, "finance.lolr_spread": true, "finance.resolution_delay": true,
	"banks.kind": true, "banks.regions": true, "banks.car_min": true, "banks.car_start": true,
}

// legacyBankingDefault reports whether key f of struct rv, at path p
// (without indices), is a banking-system key holding its default while
// cfg's banking is "legacy", or an instrument key (instrumentKeys) holding
// its default.
func legacyBankingDefault(cfg *config.Config, p string, f field, rv reflect.Value) bool {
	if !instrumentKeys[p] && (cfg == nil || cfg.Finance.Banking != "legacy" || !bankingSystemKeys[p]) {
		return false
	}
	def := defaultElement(rv.Type())
	if rv.Type() == reflect.TypeOf(config.FinanceConfig{}) {
		def = reflect.ValueOf(config.DefaultConfig().Finance)
	}
	return sameValue(rv.Field(f.index), def.Field(f.index))
}

// stringKey returns the string held by key of struct rv, or "".
func stringKey(rv reflect.Value, key string) string {
	for _, f := range fieldsOf(rv.Type()) {
		if f.key == key && f.typ.Kind() == reflect.String {
			return rv.Field(f.index).String()
		}
	}
	return ""
}

// notApplicable tells whether key f (at path p) of element ev does not
// apply to the element, because of its kind (tag kinds) or of another of
// its keys (keyConditions), or for a [[facts]] entry because of its
// quantity (factQuantities). msg says why, for errors; note says it
// briefly, for templates. Both are "" when the key applies, and for
// elements of other tables that are not kinded.
func notApplicable(p string, f field, ev reflect.Value) (msg, note string) {
	if ev.Type() == factType {
		return factNotApplicable(f, ev)
	}
	noun, ok := kindedTables[ev.Type()]
	if !ok {
		return "", ""
	}
	kind := stringKey(ev, kindKey)
	if kinds := f.kinds; kinds != nil && !has(kinds, kind) {
		return fmt.Sprintf("does not apply to %s %s %s (applies to: %s)", article(kind), kind, noun, strings.Join(kinds, ", ")),
			fmt.Sprintf("not for %s %s %s", article(kind), kind, noun)
	}
	if !conditionKeys[f.key] {
		return "", ""
	}
	if c, ok := keyConditions[stripIndices(p)]; ok {
		if val := stringKey(ev, c.key); !has(c.values, val) {
			return fmt.Sprintf("applies only to %s (this %s %s has %s = %s)", c, kind, noun, c.key, quoteString(val)),
				fmt.Sprintf("not with %s = %s", c.key, quoteString(val))
		}
	}
	return "", ""
}

// factQuantityKey is the key of a [[facts]] entry that says what is
// measured, and so which of its other keys apply.
const factQuantityKey = "quantity"

// factQuantities lists, by key, the quantities of [[facts]] a key applies
// to (as the kinds tag does for [[shocks]]); keys not listed apply to every
// quantity.
var factQuantities = map[string][]string{
	"firms":  {"firm-share", "failure-share", "exit-rate", "closed-size-ratio"},
	"cohort": {"firm-share", "failure-share", "exit-rate", "closed-size-ratio"},
	"column": {"firm-share"},
	"min":    {"firm-share"},
	"max":    {"firm-share"},
	"metric": {"series-mean", "series-change"},
	"from":   {"series-mean", "exit-rate"},
	"to":     {"series-mean", "exit-rate"},
	"change": {"series-mean"},
	"date":   {"reopened-share", "failure-share", "closed-size-ratio", "series-change"},
}

// factNotApplicable is notApplicable for a [[facts]] entry ev: key f does
// not apply when the entry's quantity is not among factQuantities[f.key].
func factNotApplicable(f field, ev reflect.Value) (msg, note string) {
	qs, ok := factQuantities[f.key]
	if !ok {
		return "", ""
	}
	q := stringKey(ev, factQuantityKey)
	if has(qs, q) {
		return "", ""
	}
	return fmt.Sprintf("does not apply to %s %s fact (applies to: %s)", article(q), q, strings.Join(qs, ", ")),
		fmt.Sprintf("not for %s %s fact", article(q), q)
}

// String writes the condition as in a scenario: mode = "factoring".
func (c keyCondition) String() string {
	vs := make([]string, len(c.values))
	for i, v := range c.values {
		vs[i] = quoteString(v)
	}
	return c.key + " = " + strings.Join(vs, " or ")
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// durationRule bounds a duration field. The schema has no tags for
// durations, so the rules live here, keyed by path without indices.
type durationRule struct {
	minDays  float64 // ≥ minDays (or > 0 when positive)
	maxDays  float64 // 0: no upper bound
	positive bool    // must be > 0
	text     string  // the rule as written in messages and templates
}

var durationRules = map[string]durationRule{
	"step":                          {minDays: 1, maxDays: 31, text: "1d to 31d"},
	"production.restoration_time":   {positive: true, text: "> 0"},
	"production.demand_smoothing":   {positive: true, text: "> 0 when planned_output is smoothed-demand"},
	"firms.sme.payment_term":        {minDays: 1, text: "≥ 1d"},
	"firms.core.payment_term":       {minDays: 1, text: "≥ 1d"},
	"firms.sme.cash_runway_median":  {positive: true, text: "> 0"},
	"firms.core.cash_runway_median": {positive: true, text: "> 0"},
	"firms.grace":                   {positive: true, text: "> 0"},
	"firms.insolvency_time":         {positive: true, text: "> 0"},
	"firms.cascade_window":          {positive: true, text: "> 0"},
	"firms.baseline_window":         {positive: true, text: "> 0"},
	"finance.loan_maturity":         {positive: true, text: "> 0"},
	"finance.npl_after":             {positive: true, text: "> 0"},
	"finance.resolution_delay":      {positive: true, text: "> 0"},
	"shocks.start":                  {text: "≥ 0, before the end of the run"},
	"shocks.duration":               {text: "≥ 0; duration + recovery > 0; the shock must end within the run"},
	"shocks.recovery":               {text: "≥ 0"},
	"shocks.term_stretch":           {text: "> 0 for a payment-terms shock"},
	"interventions.start":           {text: "≥ 0, before the end of the run"},
	"interventions.end":             {text: "> start; required"},
	"interventions.term":            {positive: true, text: "> 0"},
	"interventions.max_term":        {minDays: 1, text: "≥ 1d"},
}

// durationRange reads min, max, minx and maxx tags written as durations
// ("1d") on a Duration field; the range is in days, its text as written.
func durationRange(tag reflect.StructTag) (numRange, bool) {
	var r numRange
	found := false
	for _, name := range []string{"min", "minx", "max", "maxx"} {
		s := tag.Get(name)
		if s == "" {
			continue
		}
		d, err := units.ParseDuration(s)
		if err != nil {
			panic(fmt.Sprintf("scenarios: bad duration tag %s:%q in config.Config: %v", name, s, err))
		}
		found = true
		switch name {
		case "min", "minx":
			r.lo, r.loText, r.hasLo, r.loExcl = d.Days(), s, true, name == "minx"
		default:
			r.hi, r.hiText, r.hasHi, r.hiExcl = d.Days(), s, true, name == "maxx"
		}
	}
	return r, found
}
