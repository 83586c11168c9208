package sensitivity

import (
	"errors"
	"math"
	"testing"
)

func TestQuantile(t *testing.T) {
	cases := []struct {
		name string
		d    Distribution
		p    float64
		want float64
	}{
		{"uniform", Distribution{Kind: Uniform, Lo: 2, Hi: 6}, 0.25, 3},
		{"loguniform", Distribution{Kind: LogUniform, Lo: 1, Hi: 100}, 0.5, 10},
		// exp(log(0.01)) and exp(log(100)) round outside [lo, hi].
		{"loguniform at 0", Distribution{Kind: LogUniform, Lo: 0.01, Hi: 100}, 0, 0.01},
		{"loguniform at 1", Distribution{Kind: LogUniform, Lo: 0.01, Hi: 100}, 1, 100},
		{"normal median", Distribution{Kind: Normal, Mean: 3, SD: 2}, 0.5, 3},
		{"normal 97.5%", Distribution{Kind: Normal, Mean: 0, SD: 1}, 0.975, 1.959963984540054},
		{"truncnormal symmetric median", Distribution{Kind: TruncNormal, Mean: 0, SD: 1, Lo: -1, Hi: 1}, 0.5, 0},
		// Half of the standard normal above 0: its median is Φ⁻¹(0.75).
		{"truncnormal half", Distribution{Kind: TruncNormal, Mean: 0, SD: 1, Lo: 0, Hi: 50}, 0.5, 0.6744897501960817},
		{"beta(1,1) is uniform", Distribution{Kind: Beta, Alpha: 1, Beta: 1}, 0.3, 0.3},
		// Beta(2,1) has CDF x², so its quantile is √p; scaled to [10, 20].
		{"beta(2,1) scaled", Distribution{Kind: Beta, Alpha: 2, Beta: 1, Lo: 10, Hi: 20}, 0.25, 15},
		{"discrete equal first", Distribution{Kind: Discrete, Values: []float64{5, 7, 9}}, 0.2, 5},
		{"discrete equal middle", Distribution{Kind: Discrete, Values: []float64{5, 7, 9}}, 0.5, 7},
		{"discrete equal last", Distribution{Kind: Discrete, Values: []float64{5, 7, 9}}, 0.99, 9},
		{"discrete weighted", Distribution{Kind: Discrete, Values: []float64{1, 2}, Weights: []float64{3, 1}}, 0.7, 1},
		{"discrete weighted above", Distribution{Kind: Discrete, Values: []float64{1, 2}, Weights: []float64{3, 1}}, 0.8, 2},
	}
	for _, c := range cases {
		d := c.d
		if err := d.Check(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := d.Quantile(c.p); math.Abs(got-c.want) > 1e-9 || c.p == 0 && got < c.want || c.p == 1 && got > c.want {
			t.Errorf("%s: Quantile(%v) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	cases := []struct {
		name string
		d    Distribution
		key  string // the parameter the error names
	}{
		{"uniform lo > hi", Distribution{Kind: Uniform, Lo: 2, Hi: 1}, "lo"},
		{"uniform lo = hi", Distribution{Kind: Uniform, Lo: 1, Hi: 1}, "lo"},
		{"uniform infinite", Distribution{Kind: Uniform, Lo: 0, Hi: math.Inf(1)}, "hi"},
		{"loguniform lo = 0", Distribution{Kind: LogUniform, Lo: 0, Hi: 1}, "lo"},
		{"normal sd = 0", Distribution{Kind: Normal, Mean: 0, SD: 0}, "sd"},
		{"normal NaN mean", Distribution{Kind: Normal, Mean: math.NaN(), SD: 1}, "mean"},
		{"truncnormal lo > hi", Distribution{Kind: TruncNormal, Mean: 0, SD: 1, Lo: 1, Hi: 0}, "lo"},
		{"truncnormal no mass", Distribution{Kind: TruncNormal, Mean: 0, SD: 1, Lo: 40, Hi: 41}, "lo"},
		{"beta alpha = 0", Distribution{Kind: Beta, Alpha: 0, Beta: 1}, "alpha"},
		{"discrete empty", Distribution{Kind: Discrete}, "values"},
		{"discrete weights count", Distribution{Kind: Discrete, Values: []float64{1, 2}, Weights: []float64{1}}, "weights"},
		{"discrete negative weight", Distribution{Kind: Discrete, Values: []float64{1, 2}, Weights: []float64{1, -1}}, "weights"},
		{"discrete zero weights", Distribution{Kind: Discrete, Values: []float64{1, 2}, Weights: []float64{0, 0}}, "weights"},
		{"unknown kind", Distribution{Kind: 99}, "distribution"},
	}
	for _, c := range cases {
		d := c.d
		err := d.Check()
		var ke *KeyError
		if !errors.As(err, &ke) || ke.Key != c.key {
			t.Errorf("%s: error %v, want a *KeyError for %s", c.name, err, c.key)
		}
	}
}

func TestCheckParams(t *testing.T) {
	u := Distribution{Kind: Uniform, Lo: 0, Hi: 1}
	cases := []struct {
		name   string
		params []Param
	}{
		{"none", nil},
		{"no name", []Param{{Dist: u}}},
		{"same name", []Param{{Name: "a", Dist: u}, {Name: "a", Dist: u}}},
		{"bad distribution", []Param{{Name: "a", Dist: Distribution{Kind: Uniform, Lo: 1, Hi: 0}}}},
	}
	for _, c := range cases {
		if err := CheckParams(c.params); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestKindNames(t *testing.T) {
	for _, name := range KindNames() {
		k, ok := ParseKind(name)
		if !ok || k.String() != name {
			t.Errorf("ParseKind(%q) = %v, %v", name, k, ok)
		}
	}
	if _, ok := ParseKind("gamma"); ok {
		t.Error("ParseKind(\"gamma\") succeeds")
	}
}
