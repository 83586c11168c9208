package scenarios

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// SetKey sets the scenario key named by key to value. key is a dotted path
// of TOML keys, "network.chains" or "production.input_share.supplier"; in
// an array of tables ([[shocks]], [[interventions]], [[banks]],
// [[markets]]) the segment after the array's key selects one element: the
// one named so (an intervention without a name goes by its kind),
// otherwise, in [[shocks]] and [[interventions]], the one of that kind,
// otherwise the element of that decimal index; "shocks[2]" selects by index
// alone. A selector that matches several elements (two demand shocks for
// "shocks.demand") is an error listing them, since setting them all at
// once is rarely what was meant: each is then addressed by its name or
// index. So "shocks[0].depth" sets the depth of the first shock,
// "interventions.loans.budget" the budget of the intervention named
// "loans" and "banks.0.capital_ratio" the first bank's capital ratio. A
// segment holding dots is written in double quotes:
// shocks."phase 1.5".depth. [sweep] cannot be set.
//
// value is a float64 (or an int) for a number — an integer key takes only
// whole numbers — or a string: a duration with its unit ("4w") for a
// duration key, the text itself for a string key. Booleans and lists cannot
// be set. A key of a shock or intervention that does not apply to the
// element's kind (or mode) is an error. SetKey does not validate the
// result: call Validate. Errors are *Error with Key set to key.
func SetKey(cfg *config.Config, key string, value any) error {
	if cfg == nil {
		return &Error{Key: key, Msg: "no configuration"}
	}
	ts, leaf, err := resolveKey(cfg, key)
	if err != nil {
		return err
	}
	val, err := leafValue(leaf, value)
	if err != nil {
		return &Error{Key: key, Msg: err.Error()}
	}
	root := reflect.ValueOf(cfg).Elem()
	for _, t := range ts {
		t.set(root, val)
	}
	return nil
}

// leafKind is the type of a key SetKey can set.
type leafKind int

const (
	leafNumber   leafKind = iota // float64
	leafInteger                  // int, int64, uint64
	leafDuration                 // units.Duration
	leafText                     // string
)

// leaf describes the key a path resolves to.
type leaf struct {
	kind leafKind
	typ  reflect.Type
	name string // the key's path without indices, for messages: "network.chains"
	f    field  // the schema's key, for KeyInfo
}

// noun names the type of the key for messages: "a number", "a duration".
func (l leaf) noun() string {
	switch l.kind {
	case leafInteger:
		return "an integer"
	case leafDuration:
		return "a duration"
	case leafText:
		return "a string"
	}
	return "a number"
}

// target is one field a key path resolves to, reached from the root
// configuration by steps.
type target struct {
	path  string // as in messages, with indices: "shocks[0].depth"
	steps []step
}

// step is one move down the configuration: into a struct field, or into a
// slice element when elem ≥ 0.
type step struct{ field, elem int }

// value returns the field t names in root.
func (t target) value(root reflect.Value) reflect.Value {
	rv := root
	for _, s := range t.steps {
		if s.elem >= 0 {
			rv = rv.Index(s.elem)
		} else {
			rv = rv.Field(s.field)
		}
	}
	return rv
}

// set stores val in the field t names in root.
func (t target) set(root reflect.Value, val sweepValue) {
	rv := t.value(root)
	switch {
	case rv.Type() == durationType:
		rv.Set(reflect.ValueOf(val.dur))
	case rv.Kind() == reflect.Float64:
		rv.SetFloat(val.num)
	case rv.Kind() == reflect.Int || rv.Kind() == reflect.Int64:
		rv.SetInt(int64(val.num))
	case rv.Kind() == reflect.Uint || rv.Kind() == reflect.Uint64:
		rv.SetUint(uint64(val.num))
	case rv.Kind() == reflect.String:
		rv.SetString(val.text)
	default:
		panic(fmt.Sprintf("scenarios: cannot set %s at %s", rv.Type(), t.path))
	}
}

// sweepValue is one value a key takes, converted for its leaf.
type sweepValue struct {
	num   float64        // numbers
	text  string         // strings
	dur   units.Duration // durations (canonical: zero is units.Duration{})
	label string         // as written in sweep.csv
}

// leafValue converts value (float64, int or string) for a key of type l.
func leafValue(l leaf, value any) (sweepValue, error) {
	var num float64
	var text string
	isNum := false
	switch x := value.(type) {
	case float64:
		num, isNum = x, true
	case int:
		num, isNum = float64(x), true
	case int64:
		num, isNum = float64(x), true
	case string:
		text = x
	default:
		return sweepValue{}, fmt.Errorf("cannot take a %T: give a number or a string", value)
	}
	switch l.kind {
	case leafNumber, leafInteger:
		if !isNum {
			return sweepValue{}, fmt.Errorf("expected %s, got a string (%s)", l.noun(), quoteString(text))
		}
		if math.IsNaN(num) || math.IsInf(num, 0) {
			return sweepValue{}, fmt.Errorf("%s is not a finite number", formatNumber(num))
		}
		if l.kind == leafInteger {
			if err := wholeNumber(l, num); err != nil {
				return sweepValue{}, err
			}
		}
		return sweepValue{num: num, label: formatNumber(num)}, nil
	case leafDuration:
		if isNum {
			return sweepValue{}, fmt.Errorf("expected a duration such as \"4w\", got a number (%s)", formatNumber(num))
		}
		d, err := units.ParseDuration(text)
		if err != nil {
			return sweepValue{}, err
		}
		if d.Value == 0 {
			d = units.Duration{}
		}
		return sweepValue{dur: d, text: text, label: text}, nil
	default:
		if isNum {
			return sweepValue{}, fmt.Errorf("expected a string, got a number (%s)", formatNumber(num))
		}
		return sweepValue{text: text, label: text}, nil
	}
}

// wholeNumber checks that num fits the integer key l.
func wholeNumber(l leaf, num float64) error {
	if num != math.Trunc(num) {
		return fmt.Errorf("%s is not a whole number: %s is an integer", formatNumber(num), l.name)
	}
	unsigned := l.typ.Kind() == reflect.Uint || l.typ.Kind() == reflect.Uint64
	if unsigned && num < 0 {
		return fmt.Errorf("%s is out of range: allowed ≥ 0", formatNumber(num))
	}
	if math.Abs(num) >= 1<<63 {
		return fmt.Errorf("%s is too large for an integer", formatNumber(num))
	}
	return nil
}

// resolveKey finds the fields key names in cfg: one, or several when a
// kind selects several elements.
func resolveKey(cfg *config.Config, key string) ([]target, leaf, error) {
	segs, err := splitKey(key)
	if err != nil {
		return nil, leaf{}, &Error{Key: key, Msg: err.Error()}
	}
	r := &resolver{key: key, segs: segs}
	ts, err := r.walk(reflect.ValueOf(cfg).Elem(), "", nil, segs)
	if err != nil {
		return nil, leaf{}, &Error{Key: key, Msg: err.Error()}
	}
	return ts, r.leaf, nil
}

// splitKey splits a dotted key into its segments. A segment in double
// quotes may hold dots; it is read as a Go (and TOML basic) string.
func splitKey(key string) ([]string, error) {
	if key == "" {
		return nil, fmt.Errorf("empty key")
	}
	var segs []string
	s := key
	for {
		var seg string
		if strings.HasPrefix(s, `"`) {
			end := -1
			for i := 1; i < len(s); i++ {
				if s[i] == '\\' {
					i++
					continue
				}
				if s[i] == '"' {
					end = i
					break
				}
			}
			if end < 0 {
				return nil, fmt.Errorf("a quoted segment has no closing quote")
			}
			q, err := strconv.Unquote(s[:end+1])
			if err != nil {
				return nil, fmt.Errorf("bad quoted segment %s", s[:end+1])
			}
			seg, s = q, s[end+1:]
			if s != "" && s[0] != '.' {
				return nil, fmt.Errorf("a quoted segment must be followed by a dot or end the key")
			}
		} else if i := strings.IndexByte(s, '.'); i >= 0 {
			seg, s = s[:i], s[i:]
		} else {
			seg, s = s, ""
		}
		if seg == "" {
			return nil, fmt.Errorf("empty segment: write keys separated by single dots, e.g. \"shocks[0].depth\"")
		}
		if name, idx, ok := indexedSegment(seg); ok {
			segs = append(segs, name, idx)
		} else {
			segs = append(segs, seg)
		}
		if s == "" {
			return segs, nil
		}
		s = s[1:] // the dot
		if s == "" {
			return nil, fmt.Errorf("ends with a dot")
		}
	}
}

// indexedSegment splits an unquoted segment "shocks[2]", as paths are
// written in messages, into the array's key and the index selector "[2]".
func indexedSegment(seg string) (name, idx string, ok bool) {
	open := strings.IndexByte(seg, '[')
	if open <= 0 || !strings.HasSuffix(seg, "]") {
		return "", "", false
	}
	digits := seg[open+1 : len(seg)-1]
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", "", false
	}
	return seg[:open], "[" + digits + "]", true
}

// isIndexSelector tells a selector written "[N]" from a name.
func isIndexSelector(sel string) bool {
	return len(sel) > 2 && sel[0] == '[' && sel[len(sel)-1] == ']' && strings.Trim(sel[1:len(sel)-1], "0123456789") == ""
}

// resolver walks a key path down a configuration.
type resolver struct {
	key  string
	segs []string // key's segments; an index selector is "[N]"
	leaf leaf
}

// where names the table at path for messages.
func where(path string) string {
	switch {
	case path == "":
		return "at the top level"
	case strings.HasSuffix(path, "]"):
		return "in [[" + stripIndices(path) + "]]"
	}
	return "in [" + path + "]"
}

// walk resolves segs in struct rv at path, reached by steps.
func (r *resolver) walk(rv reflect.Value, path string, steps []step, segs []string) ([]target, error) {
	seg := segs[0]
	var f *field
	fields := fieldsOf(rv.Type())
	for i := range fields {
		if fields[i].key == seg {
			f = &fields[i]
			break
		}
	}
	if f == nil && isIndexSelector(seg) {
		return nil, fmt.Errorf("%q is not an array of tables: an index such as %s selects an element of shocks, interventions, banks or markets", stripIndices(path), seg)
	}
	if f == nil {
		keys := keysOf(rv.Type())
		if best, ok := closest(seg, keys); ok {
			return nil, fmt.Errorf("unknown key %q %s; did you mean %q?", seg, where(path), best)
		}
		return nil, fmt.Errorf("unknown key %q %s; allowed keys here: %s", seg, where(path), strings.Join(keys, ", "))
	}
	p := join(path, f.key)
	if path == "" && f.typ == sweepType {
		return nil, fmt.Errorf("[%s] cannot be swept", f.key)
	}
	st := append(append([]step{}, steps...), step{field: f.index, elem: -1})
	fv := rv.Field(f.index)
	rest := segs[1:]
	switch {
	case isTableSlice(f.typ):
		noun := elementNoun(f.key, f.typ.Elem())
		if len(rest) == 0 {
			return nil, fmt.Errorf("%q is an array of tables: select an element by name%s or index and add one of its keys, e.g. %q",
				f.key, kindOr(f.typ.Elem()), r.key+"[0]."+firstSweepable(f.typ.Elem()))
		}
		if fv.Len() == 0 {
			return nil, fmt.Errorf("the scenario has no %s", stripIndices(p))
		}
		idx, err := selectElements(fv, stripIndices(p), noun, rest[0])
		if err != nil {
			return nil, err
		}
		if len(rest) == 1 {
			return nil, fmt.Errorf("%q selects %s but names no key: add one of %s", rest[0], stripIndices(p), strings.Join(keysOf(f.typ.Elem()), ", "))
		}
		var out []target
		for _, i := range idx {
			ts, err := r.walk(fv.Index(i), index(p, i), append(append([]step{}, st...), step{elem: i}), rest[1:])
			if err != nil {
				return nil, err
			}
			out = append(out, ts...)
		}
		// The key is resolved on every element selected first, so that a
		// mistake in it is reported before the ambiguity.
		if len(idx) > 1 {
			return nil, r.ambiguous(fv, len(r.segs)-len(rest), noun, idx)
		}
		return out, nil
	case f.typ.Kind() == reflect.Struct && f.typ != durationType:
		if len(rest) == 0 {
			return nil, fmt.Errorf("%q is a table: add one of its keys: %s", f.key, strings.Join(keysOf(f.typ), ", "))
		}
		return r.walk(fv, p, st, rest)
	}
	l := leaf{typ: f.typ, name: stripIndices(p), f: *f}
	switch {
	case f.typ == durationType:
		l.kind = leafDuration
	case f.typ.Kind() == reflect.Float64:
		l.kind = leafNumber
	case f.typ.Kind() == reflect.Int, f.typ.Kind() == reflect.Int64, f.typ.Kind() == reflect.Uint, f.typ.Kind() == reflect.Uint64:
		l.kind = leafInteger
	case f.typ.Kind() == reflect.String:
		l.kind = leafText
	case f.typ.Kind() == reflect.Bool:
		return nil, fmt.Errorf("%q is true or false, which cannot be swept: only numbers, durations and strings can", f.key)
	default:
		return nil, fmt.Errorf("%q is a list, which cannot be swept: only numbers, durations and strings can", f.key)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%q is %s and has no keys below it", f.key, l.noun())
	}
	if msg, _ := notApplicable(p, *f, rv); msg != "" {
		return nil, fmt.Errorf("%s %s", p, msg)
	}
	r.leaf = l
	return []target{{path: p, steps: st}}, nil
}

// elementNoun names one element of the array of tables at key: "shock".
func elementNoun(key string, t reflect.Type) string {
	if n, ok := kindedTables[t]; ok {
		return n
	}
	return strings.TrimSuffix(key, "s")
}

func kindOr(t reflect.Type) string {
	if _, ok := kindedTables[t]; ok {
		return ", kind"
	}
	return ""
}

// firstSweepable returns the first number key of struct type t, for examples.
func firstSweepable(t reflect.Type) string {
	for _, f := range fieldsOf(t) {
		if f.typ.Kind() == reflect.Float64 {
			return f.key
		}
	}
	return fieldsOf(t)[0].key
}

// elementName is the name an element of an array of tables goes by: its
// name key, or for an intervention without one, its kind.
func elementName(ev reflect.Value) string {
	name := stringKey(ev, "name")
	if name == "" && ev.Type() == interventionType {
		name = stringKey(ev, kindKey)
	}
	return name
}

// selectElements returns the indices of the elements of slice fv that sel
// selects: by index for "[N]", else by name, else by kind (kinded tables),
// else by index. Several indices mean sel is ambiguous.
func selectElements(fv reflect.Value, arr, noun, sel string) ([]int, error) {
	if isIndexSelector(sel) {
		n, err := strconv.Atoi(sel[1 : len(sel)-1])
		if err != nil || n >= fv.Len() {
			return nil, fmt.Errorf("no %s %s: the scenario has %d (%s: %s)", noun, sel, fv.Len(), arr, listElements(fv))
		}
		return []int{n}, nil
	}
	var byName, byKind []int
	_, kinded := kindedTables[fv.Type().Elem()]
	for i := 0; i < fv.Len(); i++ {
		ev := fv.Index(i)
		if elementName(ev) == sel {
			byName = append(byName, i)
		}
		if kinded && stringKey(ev, kindKey) == sel {
			byKind = append(byKind, i)
		}
	}
	switch {
	case len(byName) > 0:
		return byName, nil
	case len(byKind) > 0:
		return byKind, nil
	}
	if n, err := strconv.Atoi(sel); err == nil && n >= 0 && strconv.Itoa(n) == sel {
		if n < fv.Len() {
			return []int{n}, nil
		}
		return nil, fmt.Errorf("no %s %d: the scenario has %d (%s: %s)", noun, n, fv.Len(), arr, listElements(fv))
	}
	how := "named"
	if kinded {
		how = "named or of kind"
	}
	return nil, fmt.Errorf("no %s %s %q (%s: %s)", noun, how, sel, arr, listElements(fv))
}

// ambiguous is the error of a selector, segment at of the key, that
// selects the elements idx of fv: it lists them and shows how to address
// one by index or by name.
func (r *resolver) ambiguous(fv reflect.Value, at int, noun string, idx []int) error {
	arr, rest := r.segs[:at], r.segs[at+1:]
	const most = 10
	var list []string
	for _, i := range idx[:min(len(idx), most)] {
		list = append(list, describeElement(fv, i))
	}
	if len(idx) > most {
		list = append(list, fmt.Sprintf("… %d more", len(idx)-most))
	}
	first := idx[0]
	byIndex := joinKey(arr) + "[" + strconv.Itoa(first) + "]." + joinKey(rest)
	msg := fmt.Sprintf("%q selects %d %ss (%s), but a key must select one: address it by index, e.g. %q",
		r.segs[at], len(idx), noun, strings.Join(list, ", "), byIndex)
	if name := elementName(fv.Index(first)); name != "" && uniqueName(fv, name) {
		msg += fmt.Sprintf(", or by name, e.g. %q", joinKey(append(append(append([]string{}, arr...), name), rest...)))
	}
	return errors.New(msg)
}

// uniqueName tells whether exactly one element of fv goes by name, so that
// name selects it.
func uniqueName(fv reflect.Value, name string) bool {
	n := 0
	for i := 0; i < fv.Len(); i++ {
		if elementName(fv.Index(i)) == name {
			n++
		}
	}
	return n == 1
}

// joinKey writes segments as a dotted key, quoting those that need it.
func joinKey(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if isIndexSelector(s) {
			b.WriteString(s)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		if s == "" || strings.ContainsAny(s, ".\"[]") {
			b.WriteString(strconv.Quote(s))
		} else {
			b.WriteString(s)
		}
	}
	return b.String()
}

// listElements lists the elements of an array of tables for messages:
// `0 "domestic demand collapse" demand, 1 credit`.
func listElements(fv reflect.Value) string {
	const most = 10
	var parts []string
	for i := 0; i < fv.Len() && i < most; i++ {
		parts = append(parts, describeElement(fv, i))
	}
	if fv.Len() > most {
		parts = append(parts, fmt.Sprintf("… %d more", fv.Len()-most))
	}
	return strings.Join(parts, ", ")
}

// describeElement writes element i of an array of tables for messages:
// its index, name and kind, `2 "retail collapse" demand`.
func describeElement(fv reflect.Value, i int) string {
	_, kinded := kindedTables[fv.Type().Elem()]
	ev := fv.Index(i)
	s := strconv.Itoa(i)
	if name := elementName(ev); name != "" {
		s += " " + quoteString(name)
	}
	if kinded {
		s += " " + stringKey(ev, kindKey)
	}
	return s
}

// cloneConfig returns a deep copy of cfg: no slice is shared.
func cloneConfig(cfg *config.Config) *config.Config {
	out := new(config.Config)
	deepCopy(reflect.ValueOf(out).Elem(), reflect.ValueOf(cfg).Elem())
	return out
}

func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Struct:
		dst.Set(src)
		for i := 0; i < src.NumField(); i++ {
			if dst.Field(i).CanSet() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			dst.Set(reflect.Zero(src.Type()))
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			dst.Set(reflect.Zero(src.Type()))
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		dst.Set(m)
	case reflect.Pointer:
		if src.IsNil() {
			dst.Set(reflect.Zero(src.Type()))
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	default:
		dst.Set(src)
	}
}
