package sim

import (
	"math"
	"testing"
)

// TestResolutionCAR: the state recapitalises a bank to car_start once it
// has been resolution_delay steps below resolution_car, or below its
// car_min when resolution_car is 0; a bank in its buffers (between the
// two) is left alone.
func TestResolutionCAR(t *testing.T) {
	for _, tc := range []struct {
		resolutionCAR, car float64
		recapitalised      bool
	}{
		{0, 0.10, true},     // below car_min 0.105
		{0, 0.11, false},    // above it
		{0.08, 0.10, false}, // in its buffers
		{0.08, 0.079, true}, // below the minimum without buffers
		{0.105, 0.10, true}, // resolution_car = car_min
	} {
		cfg := bankBookConfig()
		cfg.Finance.ResolutionCAR = tc.resolutionCAR
		e, err := newEngineOn(cfg, chainNetwork(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		bk := &e.banks[0]
		if bk.carMin != 0.105 {
			t.Fatalf("car_min %v, want the default 0.105", bk.carMin)
		}
		bk.capital = tc.car * bk.rwa
		bk.car = tc.car
		for range e.bs.resolutionDelay {
			e.resolve()
		}
		if got := e.bs.recapTotal > 0; got != tc.recapitalised {
			t.Errorf("resolution_car %v, capital ratio %v: recapitalised %v (%v), want %v", tc.resolutionCAR, tc.car, got, e.bs.recapTotal, tc.recapitalised)
		}
		if tc.recapitalised && math.Abs(bk.car-bk.carStart) > 1e-12 {
			t.Errorf("resolution_car %v: capital ratio %v after the recapitalisation, want car_start %v", tc.resolutionCAR, bk.car, bk.carStart)
		}
		e.close()
	}
}
