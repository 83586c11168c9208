package units

import (
	"math"
	"strings"
	"testing"
)

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Duration
		days float64
	}{
		{"90d", Duration{90, "d"}, 90},
		{"2w", Duration{2, "w"}, 14},
		{"3mo", Duration{3, "mo"}, 3 * 365.0 / 12},
		{"1y", Duration{1, "y"}, 365},
		{"12mo", Duration{12, "mo"}, 365},
		{"1.5y", Duration{1.5, "y"}, 547.5},
		{"0.5w", Duration{0.5, "w"}, 3.5},
		{"0d", Duration{0, "d"}, 0},
		{" 2w ", Duration{2, "w"}, 14},
		{"5 d", Duration{5, "d"}, 5},
		{"1e2d", Duration{100, "d"}, 100},
		{".5y", Duration{0.5, "y"}, 182.5},
	} {
		got, err := ParseDuration(c.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseDuration(%q) = %+v, want %+v", c.in, got, c.want)
		}
		if d := got.Days(); math.Abs(d-c.days) > 1e-9 {
			t.Errorf("ParseDuration(%q).Days() = %g, want %g", c.in, d, c.days)
		}
	}
}

func TestParseDurationErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"30", `duration "30" has no unit: write a number followed by d (days), w (weeks), mo (months) or y (years), e.g. "90d", "2w", "3mo", "1y"`},
		{"1.5", `duration "1.5" has no unit`},
		{"", `duration "" is not valid`},
		{"d", `duration "d" is not valid`},
		{"mo", `duration "mo" is not valid`},
		{"3m", `duration "3m" is not valid`},
		{"3h", `duration "3h" is not valid`},
		{"2 weeks", `duration "2 weeks" is not valid`},
		{"1dd", `duration "1dd" is not valid`},
		{"w2", `duration "w2" is not valid`},
		{"-1d", `duration "-1d" must be a finite number ≥ 0 with a unit`},
		{"NaNd", `duration "NaNd" must be a finite number ≥ 0 with a unit`},
		{"infw", `duration "infw" must be a finite number ≥ 0 with a unit`},
		{"-0.5y", `duration "-0.5y" must be a finite number ≥ 0 with a unit`},
	} {
		_, err := ParseDuration(c.in)
		if err == nil {
			t.Errorf("ParseDuration(%q) succeeded", c.in)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseDuration(%q) error %q, want prefix %q", c.in, err, c.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseDuration(%q) error is not one line", c.in)
		}
	}
}

func TestSteps(t *testing.T) {
	week, day, month := 7.0, 1.0, DaysPerMonth
	for _, c := range []struct {
		d     string
		step  float64
		steps float64
		whole int
	}{
		{"2w", week, 2, 2},
		{"90d", week, 90.0 / 7, 13},
		{"1y", week, 365.0 / 7, 52},
		{"3mo", week, 3 * month / 7, 13},
		{"10d", week, 10.0 / 7, 1},
		{"11d", week, 11.0 / 7, 2},
		{"3d", week, 3.0 / 7, 0},
		{"4d", week, 4.0 / 7, 1},
		{"1y", month, 12, 12},
		{"1w", day, 7, 7},
		{"0d", week, 0, 0},
	} {
		d := MustDuration(c.d)
		if got := d.Steps(c.step); math.Abs(got-c.steps) > 1e-9 {
			t.Errorf("%s.Steps(%g) = %g, want %g", c.d, c.step, got, c.steps)
		}
		if got := d.WholeSteps(c.step); got != c.whole {
			t.Errorf("%s.WholeSteps(%g) = %d, want %d", c.d, c.step, got, c.whole)
		}
	}
	var zero Duration
	if zero.Steps(7) != 0 || zero.WholeSteps(7) != 0 || !zero.IsZero() || zero.Days() != 0 {
		t.Errorf("zero duration is not zero steps")
	}
}

func TestDurationText(t *testing.T) {
	for _, s := range []string{"90d", "2w", "3mo", "1.5y", "0.25w"} {
		d := MustDuration(s)
		if d.String() != s {
			t.Errorf("MustDuration(%q).String() = %q", s, d.String())
		}
		b, err := d.MarshalText()
		if err != nil || string(b) != s {
			t.Errorf("MarshalText(%q) = %q, %v", s, b, err)
		}
		var back Duration
		if err := back.UnmarshalText(b); err != nil || back != d {
			t.Errorf("UnmarshalText(%q) = %+v, %v", b, back, err)
		}
	}
	var zero Duration
	if zero.String() != "0d" {
		t.Errorf("zero duration prints %q", zero.String())
	}
	var d Duration
	if err := d.UnmarshalText([]byte("30")); err == nil {
		t.Error("UnmarshalText(\"30\") succeeded")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustDuration(\"x\") did not panic")
		}
	}()
	MustDuration("x")
}

func TestRates(t *testing.T) {
	// Compounding a weekly rate over a year gives back the yearly rate.
	r := PerStep(0.05, 7)
	if got := math.Pow(1+r, 365.0/7) - 1; math.Abs(got-0.05) > 1e-12 {
		t.Errorf("PerStep(0.05, 7) compounds to %g", got)
	}
	if math.Abs(PerStep(0.05, 365)-0.05) > 1e-15 || PerStep(0, 7) != 0 {
		t.Error("PerStep at one year or zero rate")
	}
	if p := ProbabilityPerStep(1, 365); math.Abs(p-(1-math.Exp(-1))) > 1e-12 {
		t.Errorf("ProbabilityPerStep(1, 365) = %g", p)
	}
	if ProbabilityPerStep(0, 7) != 0 {
		t.Error("ProbabilityPerStep(0, 7) != 0")
	}
}
