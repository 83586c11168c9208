package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// Encode writes the fully resolved scenario: every key of the schema with
// its value (defaults filled in), durations as strings with their unit, in
// the schema's order. The bytes depend only on cfg, and Parse gives cfg back
// (apart from Dir) for any configuration Parse produced. A [[shocks]] or
// [[interventions]] key that does not apply to the element's kind (or, for
// supply-chain-finance, its mode) is left out when it has its default value,
// and so is an intervention's name when it is empty (named after its kind).
// [sweep] is left out when it is config.DefaultConfig's (no parameters),
// [frontier] when it has no budgets and no mixes, and
// in a [[sweep.parameters]] entry the keys of the forms it does not use
// (values, texts, or min, max, steps and scale) when they hold their
// defaults. [demography] is left out when it is config.DefaultDemography
// (no classes, exits or entry). An empty [[uncertain]] is left out, and in
// an entry the keys its distribution does not take. While finance.banking
// is "legacy", the keys of the banking system holding their defaults are
// left out (bankingSystemKeys). cfg.Dir is not written.
func Encode(cfg *config.Config) ([]byte, error) {
	if cfg == nil {
		return nil, &Error{Msg: "no configuration to encode"}
	}
	if cfg.Seed > 1<<63-1 {
		return nil, &Error{Key: "seed", Msg: fmt.Sprintf("%d is too large: TOML integers go up to %d", cfg.Seed, int64(1<<63-1))}
	}
	w := &writer{cfg: cfg}
	w.printf("# Scenario %s, fully resolved: every key is written and every default filled in.\n", quoteString(cfg.Name))
	w.printf("# Durations carry a unit (d, w, mo, y); rates are per year.\n\n")
	w.body("", reflect.ValueOf(cfg).Elem())
	return w.buf.Bytes(), nil
}

// Template returns a fully commented scenario for `smesim init`: the header
// of built-in name ("" means "default"), then every key of the schema with
// the built-in's value, each preceded by a comment with its meaning and
// allowed values. Keys that do not apply to a shock's or an intervention's
// kind (or mode) and the keys of empty arrays of tables are shown commented
// out. It parses back to the
// built-in's configuration.
func Template(name string) ([]byte, error) {
	if name == "" {
		name = "default"
	}
	src, err := Source(name)
	if err != nil {
		return nil, err
	}
	cfg, err := Parse(builtinFile(name), src, "")
	if err != nil {
		return nil, err
	}
	return documented(headerLines(src), cfg, true), nil
}

// documented writes cfg with a doc comment before every key, after the
// header lines; with note, a paragraph on how to read the file follows the
// header.
func documented(header []string, cfg *config.Config, note bool) []byte {
	w := &writer{docs: true, cfg: cfg}
	for _, l := range header {
		w.printf("%s\n", l)
	}
	if note {
		w.printf("#\n")
		w.printf("# Every key of the schema is listed below with its meaning and allowed values.\n")
		w.printf("# Keys you delete take their defaults (`smesim init default` shows them).\n")
		w.printf("# Durations carry a unit: d (days), w (weeks), mo (months), y (years); rates are per year.\n")
	}
	w.printf("\n")
	w.body("", reflect.ValueOf(cfg).Elem())
	return w.buf.Bytes()
}

// sectionDocs describe tables and arrays of tables; they replace a doc tag.
var sectionDocs = map[string]string{
	"network":    "How the production network is built.",
	"production": "The physical side: inputs, inventories, capacity and planning (ARIO-style).",
	"firms":      "Firm finances and the failure rules.",
	"firms.sme":  "Parameters of SMEs.",
	"firms.core": "Parameters of core enterprises.",
	"finance":    "Money and credit.",
	"demography": "Firm demography: size classes of SMEs, background exits and the entry of new firms (docs/model.md). " +
		"The defaults change nothing: no classes, no exits, no entry pool.",
	"output": "What a run records.",
	"banks":  "Banks. Firms are assigned to banks in proportion to share (with finance.banking = \"system\", among the city and rural banks of their region with probability local_share, otherwise among the national banks).",
	"shocks": "Shocks. A shock's multiplier is 1 before start, 1 - depth from start for duration, then returns to 1 along shape over recovery.",
	"sweep": "Sweep: keys of this scenario varied across the points of smesim sweep (smesim run ignores it). " +
		"A grid runs every combination of the parameters' values, the first parameter varying slowest; " +
		"a latin hypercube draws points points, each parameter's range cut into that many strata of equal width, each used by one point. " +
		"Every point runs every arm and replication with the scenario's seed.",
	"sweep.parameters": "The parameters varied, each a key and the values it takes: values (numbers) or texts (durations, names), " +
		"or a range from min to max (numbers; for a grid, steps values evenly spaced, both ends included).",
	"uncertain": "Uncertain parameters: keys whose values are not known, each with the distribution of its plausible values and its source. " +
		"smesim sensitivity runs the scenario on a design of draws from them (smesim run and smesim sweep ignore them). " +
		"An integer key takes the draw rounded; a duration key the draw in unit.",
	"interventions": "Interventions: policies and programmes, each compared with the baseline on the same random draws (see arms). " +
		"One is active from start to end, end excluded, counted from the first shock's start (from = \"shock\") or from step 0 (from = \"run\"); " +
		"a key applies only to the kinds it lists, and budget is required for those that spend or commit money.",
}

// writer writes a configuration as TOML, with doc comments if docs is set.
type writer struct {
	buf  bytes.Buffer
	docs bool
	cfg  *config.Config // the configuration written, for examples that refer to it
}

func (w *writer) printf(format string, args ...any) { fmt.Fprintf(&w.buf, format, args...) }

// body writes the keys of struct rv (at path) and then its tables.
func (w *writer) body(path string, rv reflect.Value) {
	t := rv.Type()
	fields := fieldsOf(t)
	def := defaultElement(t)
	isSection := func(f field, fv reflect.Value) bool {
		return f.typ.Kind() == reflect.Struct && f.typ != durationType && !isInlineStruct(f.typ) ||
			isTableSlice(f.typ) && fv.Len() > 0
	}
	for _, f := range fields {
		fv := rv.Field(f.index)
		if isSection(f, fv) {
			continue
		}
		if t == sweepParamType && sweepKeyOmitted(f, rv) {
			continue
		}
		if t == uncertainType && uncertainKeyOmitted(f, rv) {
			continue
		}
		if t == factType && f.key == "cohort" && !w.docs && fv.String() == config.DefaultFact().Cohort {
			continue // the scenarios written before cohorts existed keep their bytes
		}
		if f.typ.Kind() == reflect.Slice && f.typ.Elem() == uncertainType && fv.Len() == 0 && !w.docs {
			continue // the scenarios written before [[uncertain]] existed keep their bytes
		}
		if !w.docs && f.tag.Get("omitdefault") != "" && holdsDefault(path, f, fv, def) {
			continue // the scenarios resolved before the key existed keep their bytes
		}
		if !w.docs && legacyBankingDefault(w.cfg, stripIndices(join(path, f.key)), f, rv) {
			continue
		}
		if note, ok := omitEmpty[stripIndices(join(path, f.key))]; ok && fv.IsZero() {
			if w.docs { // shown with the value it takes: the kind
				w.doc(join(path, f.key), f)
				w.printf("# %s = %s    # %s\n", quoteKey(f.key), literal(reflect.ValueOf(stringKey(rv, kindKey))), note)
			}
			continue
		}
		if _, note := notApplicable(join(path, f.key), f, rv); note != "" && sameValue(fv, def.Field(f.index)) {
			if w.docs {
				w.doc(join(path, f.key), f)
				w.printf("# %s = %s    # %s\n", quoteKey(f.key), literal(fv), note)
			}
			continue
		}
		if isTableSlice(f.typ) && w.docs {
			w.emptyTables(join(path, f.key), f)
		} else if w.docs {
			w.doc(join(path, f.key), f)
		}
		w.printf("%s = %s\n", quoteKey(f.key), literal(fv))
	}
	for _, f := range fields {
		fv := rv.Field(f.index)
		if !isSection(f, fv) {
			continue
		}
		p := join(path, f.key)
		if f.typ == sweepType && !w.docs && sweepIsDefault(fv.Interface().(config.SweepConfig)) {
			continue
		}
		if f.typ == demographyType && !w.docs && fv.Interface().(config.DemographyConfig) == config.DefaultDemography() {
			continue // as before demography existed: a neutral run's scenario.toml is unchanged
		}
		if f.typ == frontierType && !w.docs && frontierIsDefault(fv.Interface().(config.FrontierConfig)) {
			continue
		}
		if f.typ.Kind() == reflect.Struct {
			w.printf("\n")
			if w.docs {
				w.doc(p, f)
			}
			w.printf("[%s]\n", p)
			w.body(p, fv)
			continue
		}
		for i := 0; i < fv.Len(); i++ {
			w.printf("\n")
			if w.docs && i == 0 {
				w.doc(p, f)
			}
			w.printf("[[%s]]\n", p)
			w.body(index(p, i), fv.Index(i))
		}
	}
}

// emptyTables documents an empty array of tables with a commented example.
func (w *writer) emptyTables(p string, f field) {
	w.doc(p, f)
	w.printf("# None here. To add some, replace the line below with [[%s]] tables with these keys:\n", p)
	if f.typ.Elem() == uncertainType {
		w.uncertainExample()
		return
	}
	def := defaultElement(f.typ.Elem())
	for _, ef := range fieldsOf(f.typ.Elem()) {
		if d := docLine(join(stripIndices(p), ef.key), ef); d != "" {
			w.printf("#   %s = %s    # %s\n", quoteKey(ef.key), literal(def.Field(ef.index)), d)
		} else {
			w.printf("#   %s = %s\n", quoteKey(ef.key), literal(def.Field(ef.index)))
		}
	}
	if stripIndices(p) == "sweep.parameters" && w.cfg != nil {
		for _, l := range sweepExample(w.cfg) {
			w.printf("%s\n", strings.TrimRight("# "+l, " "))
		}
	}
}

// sweepExample is the commented example written after the keys of an
// empty [[sweep.parameters]]: a grid over the depth and duration of the
// first shock of cfg that has both, addressed by its name (by its index
// when the name cannot select it alone), so that the example sets that
// shock only, whatever the other shocks; a grid over network.chains when
// no shock has a depth.
func sweepExample(cfg *config.Config) []string {
	for i, sh := range cfg.Shocks {
		depth, duration := shockKeyExample(cfg, i, sh.Name, "depth"), shockKeyExample(cfg, i, sh.Name, "duration")
		if depth == "" || duration == "" {
			continue
		}
		what := fmt.Sprintf("shock %d", i)
		if sh.Name != "" {
			what = "shock " + quoteString(sh.Name)
		}
		return []string{
			"",
			"For example, a grid of 4 × 3 = 12 points: the depth of " + what + " from 0.1 to 0.7",
			"in 4 steps (0.1, 0.3, 0.5, 0.7), each with 3 durations of that shock (uncomment it",
			"and delete the line parameters = [] below). A key selects one shock, by its name",
			"or by its index (shocks[" + strconv.Itoa(i) + "].depth); a kind (shocks." + sh.Kind + ".depth) only when one",
			"shock is of that kind.",
			"",
			"[[sweep.parameters]]",
			"key = " + depth,
			"min = 0.1",
			"max = 0.7",
			"steps = 4",
			"",
			"[[sweep.parameters]]",
			"key = " + duration,
			"texts = [\"4w\", \"12w\", \"26w\"]",
			"",
			"With design = \"latin-hypercube\" and points = 20 in [sweep] and no steps, 20 points",
			"would sample the depth's range and the durations instead.",
		}
	}
	return []string{
		"",
		"For example, a grid of 3 points over the number of supply chains (uncomment it and",
		"delete the line parameters = [] below):",
		"",
		"[[sweep.parameters]]",
		"key = \"network.chains\"",
		"values = [2, 4, 8]",
	}
}

// shockKeyExample returns key of shock i, named name, as a TOML string
// that selects that shock alone: by name where it can, else by index; ""
// if the shock has no such key.
func shockKeyExample(cfg *config.Config, i int, name, key string) string {
	byIndex := "shocks[" + strconv.Itoa(i) + "]." + key
	if _, _, err := resolveKey(cfg, byIndex); err != nil {
		return ""
	}
	if name != "" && !strings.ContainsAny(name, "'\n\r") {
		k := joinKey([]string{"shocks", name, key})
		if ts, _, err := resolveKey(cfg, k); err == nil && len(ts) == 1 && ts[0].path == index("shocks", i)+"."+key {
			if strings.Contains(k, `"`) {
				return "'" + k + "'"
			}
			return quoteString(k)
		}
	}
	return quoteString(byIndex)
}

// doc writes the comment line of a key or table, in template mode.
func (w *writer) doc(path string, f field) {
	if !w.docs {
		return
	}
	if d := docLine(stripIndices(path), f); d != "" {
		w.printf("# %s\n", d)
	}
}

// docLine is the doc tag of a key followed by what is allowed.
func docLine(path string, f field) string {
	d := f.tag.Get("doc")
	if s, ok := sectionDocs[path]; ok {
		d = s
	}
	var allowed []string
	switch {
	case f.typ == durationType:
		a := "a duration"
		if r, ok := durationRange(f.tag); ok {
			a += ", " + r.String()
		}
		if r, ok := durationRules[path]; ok {
			a += ", " + r.text
		}
		allowed = append(allowed, a)
	case f.typ.Kind() == reflect.String || f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.String:
		if e := enumOf(f.tag); e != nil {
			s := strings.Join(e, ", ")
			if f.typ.Kind() == reflect.Slice {
				s = "each of " + s
			}
			allowed = append(allowed, s)
		}
	case f.typ.Kind() == reflect.Float64 || f.typ.Kind() == reflect.Int:
		allowed = append(allowed, rangeOf(f.tag).String())
	case f.typ.Kind() == reflect.Uint64:
		allowed = append(allowed, "≥ 0")
	case f.typ.Kind() == reflect.Bool:
		allowed = append(allowed, "true or false")
	case isInlineStruct(f.typ):
		var keys []string
		rs := ""
		for _, ef := range fieldsOf(f.typ) {
			keys = append(keys, ef.key)
			rs = rangeOf(ef.tag).String()
		}
		allowed = append(allowed, "each of "+strings.Join(keys, ", ")+": "+rs)
	}
	var parts []string
	if len(allowed) > 0 {
		parts = append(parts, "allowed: "+strings.Join(allowed, "; "))
	}
	if k := kindsOf(f.tag); k != nil {
		a := "applies to: " + strings.Join(k, ", ")
		if c, ok := keyConditions[path]; ok {
			a += " with " + c.String()
		}
		parts = append(parts, a)
	}
	if len(parts) == 0 {
		return d
	}
	a := "(" + strings.Join(parts, "; ") + ")"
	if d == "" {
		return a
	}
	return d + " " + a
}

// literal writes a value as TOML.
func literal(v reflect.Value) string {
	t := v.Type()
	if t == durationType {
		return quoteString(v.Interface().(units.Duration).String())
	}
	switch t.Kind() {
	case reflect.String:
		return quoteString(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float64:
		return formatFloat(v.Float())
	case reflect.Slice:
		if v.Len() == 0 {
			return "[]"
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = literal(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Struct:
		var parts []string
		for _, f := range fieldsOf(t) {
			parts = append(parts, quoteKey(f.key)+" = "+literal(v.Field(f.index)))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	panic(fmt.Sprintf("scenarios: cannot encode %s", t))
}

// holdsDefault tells whether key f of the struct at path holds its default:
// the default element's for an element of an array of tables, otherwise
// the value at the same path in config.DefaultConfig.
func holdsDefault(path string, f field, fv, def reflect.Value) bool {
	if strings.HasSuffix(path, "]") { // an element of an array of tables
		return sameValue(fv, def.Field(f.index))
	}
	v := reflect.ValueOf(config.DefaultConfig())
	for _, k := range strings.Split(join(path, f.key), ".") {
		if v.Kind() != reflect.Struct {
			return false
		}
		found := false
		for _, g := range fieldsOf(v.Type()) {
			if g.key == k {
				v, found = v.Field(g.index), true
				break
			}
		}
		if !found {
			return false
		}
	}
	return sameValue(fv, v)
}
