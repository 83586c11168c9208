package sim

import (
	"reflect"
	"testing"

	"github.com/smesim/smesim/sim/network"
)

// TestFloorArraysAreEngineArrays checks that each array of the floor is a
// slice field of engine or network.Network of the element size it is
// counted with, and counted once.
func TestFloorArraysAreEngineArrays(t *testing.T) {
	types := []reflect.Type{reflect.TypeFor[engine](), reflect.TypeFor[network.Network]()}
	seen := map[string]bool{}
	for _, a := range defaultStepArrays {
		if seen[a.field] {
			t.Errorf("%s counted twice", a.field)
		}
		seen[a.field] = true
		found := false
		for _, ty := range types {
			f, ok := ty.FieldByName(a.field)
			if !ok || f.Type.Kind() != reflect.Slice {
				continue
			}
			found = true
			if got := int64(f.Type.Elem().Size()); got != a.size {
				t.Errorf("%s: element of %d bytes, counted as %d", a.field, got, a.size)
			}
		}
		if !found {
			t.Errorf("%s is not a slice of engine or network.Network", a.field)
		}
		if !a.read && !a.written {
			t.Errorf("%s neither read nor written", a.field)
		}
	}
}

// TestFloorBytes checks the floor per firm, slot and edge against a count
// by hand of defaultStepArrays: per firm, 18 bytes of the network, 82 of
// parameters (those a kind or role of firm shares are read through its
// kind or role byte, engine.kinds and engine.importCoeff), 210 of state
// read and written, 184 written afresh; per slot 4 + 8 + 2×8; per edge 16
// of the network, 2×8 of payable and 4×8 written afresh.
func TestFloorBytes(t *testing.T) {
	cases := []struct {
		n, s, m, want int64
	}{
		{1, 0, 0, 494},
		{0, 1, 0, 28},
		{0, 0, 1, 64},
		{1000, 1500, 2500, 1000*494 + 1500*28 + 2500*64},
	}
	for _, c := range cases {
		if got := floorBytes(c.n, c.s, c.m); got != c.want {
			t.Errorf("floorBytes(%d, %d, %d) = %d, want %d", c.n, c.s, c.m, got, c.want)
		}
	}
}
