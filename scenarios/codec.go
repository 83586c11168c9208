package scenarios

import (
	"reflect"
	"sync"

	"github.com/smesim/smesim/sim/config"
)

// The scenario file's codec (decoding, key paths, the errors that name a
// file, line and key) lives with the schema in package config, so that
// readers of a result directory decode its scenario.toml without this
// package's validation. The names below are this package's for it.

// Error is a problem in a scenario: where it is and what is wrong. Every
// error returned by Parse, Load, Open and Validate is an *Error (use
// errors.As).
type Error = config.Error

// maxEchoed is how many characters of a name a message repeats.
const maxEchoed = config.MaxEchoed

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf lists the keys of struct type t in declaration order (see
// config.Fields), with what their tags say for validation read once.
func fieldsOf(t reflect.Type) []field {
	if v, ok := fieldCache.Load(t); ok {
		return v.([]field)
	}
	var fs []field
	for _, cf := range config.Fields(t) {
		f := field{key: cf.Key, index: cf.Index, typ: cf.Type, tag: cf.Tag, enum: enumOf(cf.Tag), kinds: kindsOf(cf.Tag)}
		switch cf.Type.Kind() {
		case reflect.Float64, reflect.Int, reflect.Int64, reflect.Slice:
			f.rng = rangeOf(cf.Tag)
		}
		if cf.Type == durationType {
			f.durRng, f.hasDur = durationRange(cf.Tag)
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs
}

func keysOf(t reflect.Type) []string                       { return config.KeysOf(t) }
func isTableSlice(t reflect.Type) bool                     { return config.IsTableSlice(t) }
func defaultElement(t reflect.Type) reflect.Value          { return config.DefaultElement(t) }
func join(path, key string) string                         { return config.Join(path, key) }
func index(path string, i int) string                      { return config.Index(path, i) }
func quoteKey(s string) string                             { return config.QuoteKey(s) }
func quoteString(s string) string                          { return config.QuoteString(s) }
func closest(s string, candidates []string) (string, bool) { return config.Closest(s, candidates) }
func article(w string) string                              { return config.Article(w) }
