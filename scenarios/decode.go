package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

// Parse decodes a scenario from TOML and validates it. name is the file as
// the user named it, used in messages; dir is the directory against which
// relative paths in the scenario are resolved (it becomes cfg.Dir).
//
// Keys absent from the file keep the values of config.DefaultConfig. An array
// of tables ([[banks]], [[markets]], [[shocks]], [[interventions]]) present
// in the file replaces the default list whole, each element starting from
// config.DefaultBank, config.DefaultMarket, config.DefaultShock or
// config.DefaultIntervention. Unknown keys, values of the wrong
// type, durations without a unit and values out of range are errors; every
// error is an *Error naming the file, line and key.
func Parse(name string, data []byte, dir string) (*config.Config, error) {
	cfg, src, err := decode(name, data, dir)
	if err != nil {
		return nil, err
	}
	if err := validate(cfg, src); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Load reads and parses the scenario file at path. Relative paths inside it
// are resolved against the file's directory.
func Load(path string) (*config.Config, error) {
	data, err := readScenario(path)
	if errors.Is(err, errTooLarge) {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	if err != nil {
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return nil, &Error{File: path, Msg: "cannot read the scenario: " + msg}
	}
	return Parse(path, data, filepath.Dir(path))
}

// Open returns the scenario arg names: the built-in "default" when arg is
// empty, the built-in of that name if there is one, and otherwise the
// scenario file at path arg (a file named like a built-in needs a path:
// "./small"). If arg is neither, the error lists the built-ins.
func Open(arg string) (*config.Config, error) {
	if arg == "" {
		arg = "default"
	}
	if data, err := Source(arg); err == nil {
		return Parse(builtinFile(arg), data, "")
	}
	if _, err := os.Stat(arg); err != nil && errors.Is(err, fs.ErrNotExist) {
		names := builtinNames()
		msg := "no such file, and no built-in scenario of that name"
		if !strings.ContainsAny(arg, `/\.`) {
			if best, ok := closest(arg, names); ok {
				msg += fmt.Sprintf("; did you mean %q?", best)
			}
		}
		return nil, &Error{File: arg, Msg: msg + " (built-ins: " + strings.Join(names, ", ") + ")"}
	}
	return Load(arg)
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

// source is what is known about where a configuration came from.
type source struct {
	file    string
	lines   map[string]int  // key path → line; nil for configs built in code
	present map[string]bool // key paths set in the file; nil for configs built in code
	// readFiles: validation reads a file network's files to check the
	// names the scenario uses (Parse; Validate leaves files alone).
	readFiles bool
}

// line returns the line of path in the file, or 0.
func (s *source) line(path string) int {
	if s == nil || s.lines == nil {
		return 0
	}
	return s.lines[path]
}

func (s *source) errorf(path, format string, args ...any) *Error {
	return &Error{File: s.file, Line: s.line(path), Key: path, Msg: fmt.Sprintf(format, args...)}
}

// decoder applies a parsed TOML document to a configuration.
type decoder struct{ src *source }

// table applies the keys of m, in the order they appear in the file, to the
// struct rv.
func (d *decoder) table(path string, m map[string]any, rv reflect.Value) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := d.src.line(join(path, quoteKey(keys[i]))), d.src.line(join(path, quoteKey(keys[j])))
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	fields := fieldsOf(rv.Type())
	for _, k := range keys {
		p := join(path, quoteKey(k))
		var f *field
		for i := range fields {
			if fields[i].key == k {
				f = &fields[i]
				break
			}
		}
		if f == nil {
			return d.src.errorf(p, "%s", unknownKeyMsg(k, keysOf(rv.Type())))
		}
		d.src.present[p] = true
		if err := d.value(p, m[k], rv.Field(f.index)); err != nil {
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
			return d.src.errorf(path, "expected a duration such as \"90d\", got %s", tomlTypeName(v))
		}
		dur, err := units.ParseDuration(s)
		if err != nil {
			return d.src.errorf(path, "%s", err.Error())
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
			return d.src.errorf(path, "%s", msg)
		}
		rv.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return d.src.errorf(path, "expected a boolean (true or false), got %s", tomlTypeName(v))
		}
		rv.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			return d.src.errorf(path, "expected an integer, got %s", tomlTypeName(v))
		}
		rv.SetInt(n)
	case reflect.Uint, reflect.Uint64:
		n, ok := v.(int64)
		if !ok {
			return d.src.errorf(path, "expected an integer, got %s", tomlTypeName(v))
		}
		if n < 0 {
			return d.src.errorf(path, "%d is out of range: allowed ≥ 0", n)
		}
		rv.SetUint(uint64(n))
	case reflect.Float64:
		switch x := v.(type) {
		case float64:
			rv.SetFloat(x)
		case int64:
			rv.SetFloat(float64(x))
		default:
			return d.src.errorf(path, "expected a number, got %s", tomlTypeName(v))
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return d.src.errorf(path, "expected a table, got %s", tomlTypeName(v))
		}
		return d.table(path, m, rv)
	case reflect.Slice:
		elems, ok := arrayOf(v)
		if !ok {
			want := "an array"
			if isTableSlice(t) {
				want = "an array of tables ([[" + path + "]])"
			}
			return d.src.errorf(path, "expected %s, got %s", want, tomlTypeName(v))
		}
		if len(elems) == 0 {
			rv.Set(reflect.Zero(t))
			return nil
		}
		out := reflect.MakeSlice(t, len(elems), len(elems))
		for i, e := range elems {
			p := index(path, i)
			if isTableSlice(t) {
				m, ok := e.(map[string]any)
				if !ok {
					return d.src.errorf(p, "expected a table, got %s", tomlTypeName(e))
				}
				out.Index(i).Set(defaultElement(t.Elem()))
				d.src.present[p] = true
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
func defaultShapes(cfg *config.Config, src *source) {
	for i := range cfg.Shocks {
		s := &cfg.Shocks[i]
		if s.Recovery.Value > 0 && !src.present[join(index("shocks", i), "shape")] {
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
		for _, f := range fieldsOf(rv.Type()) {
			normalize(rv.Field(f.index))
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
