package scenarios

import (
	"reflect"

	"github.com/smesim/smesim/sim/config"
)

// KeyInfo is what the schema says about one settable key: its
// documentation (as in the template, with what is allowed) and, for a
// number or a duration, its allowed range (durations in days).
type KeyInfo struct {
	Doc      string
	Min, Max float64 // valid when HasMin, HasMax
	HasMin   bool
	HasMax   bool
	Duration bool // the key is a duration; Min and Max are days
	Integer  bool // the key takes whole numbers only
}

// DescribeKey returns what the schema says about the key SetKey would set
// in cfg (see SetKey for how keys are written), so that an interface can
// offer it with its meaning and range.
func DescribeKey(cfg *config.Config, key string) (KeyInfo, error) {
	if cfg == nil {
		return KeyInfo{}, &Error{Key: key, Msg: "no configuration"}
	}
	_, l, err := resolveKey(cfg, key)
	if err != nil {
		return KeyInfo{}, err
	}
	info := KeyInfo{Doc: docLine(l.name, l.f), Duration: l.kind == leafDuration, Integer: l.kind == leafInteger}
	var r numRange
	switch l.kind {
	case leafDuration:
		r, _ = durationRange(l.f.tag)
	case leafNumber, leafInteger:
		if l.f.typ.Kind() != reflect.Uint64 {
			r = rangeOf(l.f.tag)
		} else {
			r = numRange{lo: 0, loText: "0", hasLo: true}
		}
	}
	info.Min, info.HasMin = r.lo, r.hasLo
	info.Max, info.HasMax = r.hi, r.hasHi
	return info, nil
}
