package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/smesim/smesim/sim/units"
)

// The schema is Config itself: its struct tree, toml keys and tags. This
// file reads its keys by reflection, for the decoder and for validation.

var durationType = reflect.TypeOf(units.Duration{})

// Field is one key of the schema: its toml key and the struct field that
// holds it.
type Field struct {
	Key   string // toml key
	Index int    // struct field index
	Type  reflect.Type
	Tag   reflect.StructTag
}

var fieldCache sync.Map // reflect.Type → []Field

// Fields lists the keys of struct type t in declaration order, leaving out
// fields without a toml tag or tagged "-".
func Fields(t reflect.Type) []Field {
	if v, ok := fieldCache.Load(t); ok {
		return v.([]Field)
	}
	var fs []Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		fs = append(fs, Field{Key: name, Index: i, Type: sf.Type, Tag: sf.Tag})
	}
	fieldCache.Store(t, fs)
	return fs
}

// KeysOf lists the allowed keys of struct type t.
func KeysOf(t reflect.Type) []string {
	var ks []string
	for _, f := range Fields(t) {
		ks = append(ks, f.Key)
	}
	return ks
}

// IsTableSlice reports whether t is a slice of structs: an array of tables.
func IsTableSlice(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != durationType
}

// elementDefaults gives the starting value of each element of an array of
// tables, before the element's keys are applied.
var elementDefaults = map[reflect.Type]func() reflect.Value{
	reflect.TypeOf(BankConfig{}):         func() reflect.Value { return reflect.ValueOf(DefaultBank()) },
	reflect.TypeOf(MarketConfig{}):       func() reflect.Value { return reflect.ValueOf(DefaultMarket()) },
	reflect.TypeOf(ShockConfig{}):        func() reflect.Value { return reflect.ValueOf(DefaultShock()) },
	reflect.TypeOf(InterventionConfig{}): func() reflect.Value { return reflect.ValueOf(DefaultIntervention()) },
	reflect.TypeOf(SweepParameter{}):     func() reflect.Value { return reflect.ValueOf(DefaultSweepParameter()) },
	reflect.TypeOf(FactConfig{}):         func() reflect.Value { return reflect.ValueOf(DefaultFact()) },
}

// DefaultElement returns the default of one element of type t.
func DefaultElement(t reflect.Type) reflect.Value {
	if f, ok := elementDefaults[t]; ok {
		return f()
	}
	return reflect.Zero(t)
}

// Join appends a key to a dotted path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index appends an array index to a path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// isBareKey reports whether s can be written as a bare TOML key.
func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBareChar(s[i]) {
			return false
		}
	}
	return true
}

func isBareChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// QuoteKey writes one key segment as TOML does: bare if possible, else quoted.
func QuoteKey(s string) string {
	if isBareKey(s) {
		return s
	}
	return QuoteString(s)
}

// QuoteString writes s as a TOML basic string.
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
