package config

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/smesim/smesim/sim/units"
)

// Decode decodes a scenario from TOML without validating it: for readers
// of a result directory, whose scenario.toml is a record of what was run,
// not input (package scenarios parses and validates input). Its values may
// break the rules validation checks today (a network file not found from
// dir, a rule added since the run): a reader checks what it uses. Syntax
// errors, unknown keys and values of the wrong type are errors naming the
// file, line and key. dir becomes cfg.Dir.
//
// Keys absent from the file keep the values of DefaultConfig. An array of
// tables present in the file replaces the default list whole, each element
// starting from its default (DefaultElement). The input limits apply
// (checkShape), and a shock's shape left out follows its recovery
// (defaultShapes).
func Decode(name string, data []byte, dir string) (*Config, error) {
	cfg, _, err := DecodeKeys(name, data, dir)
	return cfg, err
}

// DecodeKeys is Decode that also says where the keys are, for messages
// that name a key's line.
func DecodeKeys(name string, data []byte, dir string) (*Config, *Keys, error) {
	if err := checkShape(name, data); err != nil {
		return nil, nil, err
	}
	var doc map[string]any
	if _, err := toml.Decode(string(data), &doc); err != nil {
		return nil, nil, syntaxError(name, data, err)
	}
	keys := &Keys{File: name, Lines: locate(data), Present: map[string]bool{}}
	cfg := DefaultConfig()
	d := decoder{keys: keys}
	if err := d.table("", doc, reflect.ValueOf(&cfg).Elem()); err != nil {
		return nil, nil, err
	}
	normalize(reflect.ValueOf(&cfg).Elem())
	defaultShapes(&cfg, keys)
	cfg.Dir = dir
	return &cfg, keys, nil
}

// syntaxError turns a TOML parse error into an *Error at its line.
func syntaxError(name string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: name, Msg: "syntax error: " + strings.TrimPrefix(err.Error(), "toml: ")}
	}
	// The line is counted from the offset: the decoder's own line is one
	// too far when the offending character is a line break (an unclosed
	// "[network").
	line := pe.Position.Line
	start := pe.Position.Start
	if start >= 0 && start <= len(data) {
		line = 1 + bytes.Count(data[:start], []byte("\n"))
	}
	col := start - lineStart(data, start) + 1
	msg := "syntax error"
	if col > 0 && start <= len(data) {
		msg += " at column " + strconv.Itoa(col)
	}
	detail := strings.ReplaceAll(pe.Message, `'\n'`, "the end of the line")
	return &Error{File: name, Line: line, Msg: msg + ": " + detail}
}

// lineStart returns the offset of the start of the line holding offset off.
func lineStart(data []byte, off int) int {
	off = min(off, len(data))
	for off > 0 && data[off-1] != '\n' {
		off--
	}
	return off
}

// Keys says where the keys of a decoded scenario are.
type Keys struct {
	File    string          // the file as the user named it
	Lines   map[string]int  // key path → line
	Present map[string]bool // key paths set in the file
}

// line returns the line of path in the file, or 0.
func (k *Keys) line(path string) int { return k.Lines[path] }

func (k *Keys) errorf(path, format string, args ...any) *Error {
	return &Error{File: k.File, Line: k.line(path), Key: path, Msg: fmt.Sprintf(format, args...)}
}

// decoder applies a parsed TOML document to a configuration.
type decoder struct{ keys *Keys }

// table applies the keys of m, in the order they appear in the file, to the
// struct rv.
func (d *decoder) table(path string, m map[string]any, rv reflect.Value) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := d.keys.line(Join(path, QuoteKey(keys[i]))), d.keys.line(Join(path, QuoteKey(keys[j])))
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	fields := Fields(rv.Type())
	for _, k := range keys {
		p := Join(path, QuoteKey(k))
		var f *Field
		for i := range fields {
			if fields[i].Key == k {
				f = &fields[i]
				break
			}
		}
		if f == nil {
			return d.keys.errorf(p, "%s", unknownKeyMsg(k, KeysOf(rv.Type())))
		}
		d.keys.Present[p] = true
		if err := d.value(p, m[k], rv.Field(f.Index)); err != nil {
			return err
		}
	}
	return nil
}

// value decodes one TOML value v into rv.
func (d *decoder) value(path string, v any, rv reflect.Value) error {
	t := rv.Type()
	if t == durationType {
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int64:
			s = strconv.FormatInt(x, 10)
		case float64:
			s = strconv.FormatFloat(x, 'g', -1, 64)
		default:
			return d.keys.errorf(path, "expected a duration such as \"90d\", got %s", tomlTypeName(v))
		}
		dur, err := units.ParseDuration(s)
		if err != nil {
			return d.keys.errorf(path, "%s", err.Error())
		}
		rv.Set(reflect.ValueOf(dur))
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			msg := "expected a string, got " + tomlTypeName(v)
			if _, isTime := v.(time.Time); isTime {
				msg += ": write it in quotes"
			}
			return d.keys.errorf(path, "%s", msg)
		}
		rv.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return d.keys.errorf(path, "expected a boolean (true or false), got %s", tomlTypeName(v))
		}
		rv.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			return d.keys.errorf(path, "expected an integer, got %s", tomlTypeName(v))
		}
		rv.SetInt(n)
	case reflect.Uint, reflect.Uint64:
		n, ok := v.(int64)
		if !ok {
			return d.keys.errorf(path, "expected an integer, got %s", tomlTypeName(v))
		}
		if n < 0 {
			return d.keys.errorf(path, "%d is out of range: allowed ≥ 0", n)
		}
		rv.SetUint(uint64(n))
	case reflect.Float64:
		switch x := v.(type) {
		case float64:
			rv.SetFloat(x)
		case int64:
			rv.SetFloat(float64(x))
		default:
			return d.keys.errorf(path, "expected a number, got %s", tomlTypeName(v))
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return d.keys.errorf(path, "expected a table, got %s", tomlTypeName(v))
		}
		return d.table(path, m, rv)
	case reflect.Slice:
		elems, ok := arrayOf(v)
		if !ok {
			want := "an array"
			if IsTableSlice(t) {
				want = "an array of tables ([[" + path + "]])"
			}
			return d.keys.errorf(path, "expected %s, got %s", want, tomlTypeName(v))
		}
		if len(elems) == 0 {
			rv.Set(reflect.Zero(t))
			return nil
		}
		out := reflect.MakeSlice(t, len(elems), len(elems))
		for i, e := range elems {
			p := Index(path, i)
			if IsTableSlice(t) {
				m, ok := e.(map[string]any)
				if !ok {
					return d.keys.errorf(p, "expected a table, got %s", tomlTypeName(e))
				}
				out.Index(i).Set(DefaultElement(t.Elem()))
				d.keys.Present[p] = true
				if err := d.table(p, m, out.Index(i)); err != nil {
					return err
				}
				continue
			}
			if err := d.value(p, e, out.Index(i)); err != nil {
				return err
			}
		}
		rv.Set(out)
	default:
		panic(fmt.Sprintf("scenarios: unsupported field type %s at %s", t, path))
	}
	return nil
}

// defaultShapes gives a shock that sets a recovery but no shape the shape
// "linear": the default, "step", returns to normal at once and would
// ignore the recovery.
func defaultShapes(cfg *Config, src *Keys) {
	for i := range cfg.Shocks {
		s := &cfg.Shocks[i]
		if s.Recovery.Value > 0 && !src.Present[Join(Index("shocks", i), "shape")] {
			s.Shape = "linear"
		}
	}
}

// arrayOf returns the elements of a TOML array (of values or of tables).
func arrayOf(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []map[string]any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = x[i]
		}
		return out, true
	}
	return nil, false
}

// tomlTypeName names the TOML type of a decoded value, with an article.
func tomlTypeName(v any) string {
	switch x := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return "a date"
		}
		return "a date-time"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v)
}

// normalize gives a decoded configuration its canonical form, so that equal
// scenarios compare equal: a zero duration is units.Duration{} whatever its
// unit, and an empty list is nil.
func normalize(rv reflect.Value) {
	switch {
	case rv.Type() == durationType:
		if rv.Interface().(units.Duration).Value == 0 {
			rv.Set(reflect.Zero(durationType))
		}
	case rv.Kind() == reflect.Struct:
		for _, f := range Fields(rv.Type()) {
			normalize(rv.Field(f.Index))
		}
	case rv.Kind() == reflect.Slice:
		if rv.Len() == 0 {
			rv.Set(reflect.Zero(rv.Type()))
			return
		}
		for i := 0; i < rv.Len(); i++ {
			normalize(rv.Index(i))
		}
	}
}
