package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
)

// t975 is the 0.975 quantile of Student's t distribution with 3 degrees of
// freedom (n = 4 pairs), from tables: 3.182446305.
const t975df3 = 3.182446305284263

func TestFieller(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name                     string
		mx, my, vxx, vxy, vyy, t float64
		lo, hi                   float64
		ok                       bool
	}{
		// a = 9 − 4·1 = 5, b = 18, c = 36: b² − ac = 324 − 180 = 144, roots
		// (18 ∓ 12)/5. With no variance in x the bounds are mx/(my ± t√vyy):
		// 6/5 and 6/1.
		{"exact numerator", 6, 3, 0, 0, 1, 2, 1.2, 6, true},
		// a = 16 − 4 = 12, b = 40 − 4·1 = 36, c = 100 − 4·4 = 84:
		// b² − ac = 1296 − 1008 = 288 = (12√2)², roots 3 ∓ √2.
		{"covariance", 10, 4, 4, 1, 1, 2, 3 - math.Sqrt2, 3 + math.Sqrt2, true},
		// x − 2y has variance 1 − 2·2·0.5 + 4·0.25 = 0: the interval is the
		// point 2 (a = 3, b = 6, c = 12, b² − ac = 0).
		{"degenerate", 4, 2, 1, 0.5, 0.25, 2, 2, 2, true},
		// A negative ratio: a = 9 − 1 = 8, b = −6, c = 4 − 1 = 3:
		// b² − ac = 36 − 24 = 12, roots (−6 ∓ 2√3)/8.
		{"negative numerator", -2, 3, 1, 0, 1, 1, (-6 - 2*math.Sqrt(3)) / 8, (-6 + 2*math.Sqrt(3)) / 8, true},
		// my/√vyy = 1 < t: the denominator may be 0, the set is unbounded.
		{"unbounded", 6, 1, 1, 0, 1, 2, nan, nan, false},
		{"denominator on the edge", 6, 2, 1, 0, 1, 2, nan, nan, false}, // a = 0
		{"zero denominator", 6, 0, 1, 0, 0, 2, nan, nan, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lo, hi, ok := Fieller(c.mx, c.my, c.vxx, c.vxy, c.vyy, c.t)
			near := func(a, b float64) bool { return sameFloat(a, b) || math.Abs(a-b) < 1e-12 }
			if ok != c.ok || !near(lo, c.lo) || !near(hi, c.hi) {
				t.Errorf("Fieller = [%v, %v] %v, want [%v, %v] %v", lo, hi, ok, c.lo, c.hi, c.ok)
			}
			if ok && !(lo <= c.mx/c.my && c.mx/c.my <= hi) {
				t.Errorf("[%v, %v] does not hold the ratio %v", lo, hi, c.mx/c.my)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	nan := math.NaN()
	// k for the linear case below: |10 − θ| ≤ k·|θ − 5|.
	k := t975df3 * math.Sqrt(2.0/3) / 10
	cases := []struct {
		name         string
		x, y         []float64
		mean, lo, hi float64
		n            int
	}{
		// Constant cost 100, y mean 5, sd √(4/3), se √(1/3): the interval
		// is 100 divided by the ends of y's t interval, 5 ± t·√(1/3)
		// = [3.1626, 6.8374]: [14.6254, 31.6196].
		{"constant cost", []float64{100, 100, 100, 100}, []float64{4, 6, 4, 6},
			20, 100 / (5 + t975df3/math.Sqrt(3)), 100 / (5 - t975df3/math.Sqrt(3)), 4},
		// x = 5y + 50 with y = 10, 12, 8, 10: means 100 and 10, variances
		// of the means vxx = 50/3, vxy = 10/3, vyy = 2/3, so that
		// Var(x̄ − θȳ) = (2/3)(θ − 5)². Fieller's condition
		// (100 − 10θ)² ≤ t²·(2/3)(θ − 5)² reads |10 − θ| ≤ k|θ − 5| with
		// k = t·√(2/3)/10 = 0.25985: θ in [(10 + 5k)/(1 + k), (10 − 5k)/(1 − k)]
		// = [8.9687, 11.7554], around 10 and not symmetric.
		{"linear cost", []float64{100, 110, 90, 100}, []float64{10, 12, 8, 10},
			10, (10 + 5*k) / (1 + k), (10 - 5*k) / (1 - k), 4},
		// Pure noise in the denominator: mean 0.2, sd 1.92, se 0.86; the
		// ratio of means is given, its interval is unbounded.
		{"noise denominator", []float64{100, 90, 110, 100, 100}, []float64{3, -2, 1, -1, 0},
			500, nan, nan, 5},
		{"nothing saved", []float64{100, 100}, []float64{1, -1}, nan, nan, nan, 2},
		{"firms lost", []float64{100, 100, 100}, []float64{-2, -3, -2}, nan, nan, nan, 3},
		{"one pair", []float64{100}, []float64{4}, 25, 25, 25, 1},
		{"no pair", nil, nil, nan, nan, nan, 0},
		// Pairs with an undefined side are left out: the constant case.
		{"undefined pairs", []float64{100, nan, 100, 100, 100, 7}, []float64{4, 1, 6, 4, 6, nan},
			20, 100 / (5 + t975df3/math.Sqrt(3)), 100 / (5 - t975df3/math.Sqrt(3)), 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := Ratio("r", c.x, c.y)
			near := func(a, b float64) bool { return sameFloat(a, b) || math.Abs(a-b) < 1e-9 }
			if st.Metric != "r" || st.N != c.n || !near(st.Mean, c.mean) || !near(st.Lo, c.lo) || !near(st.Hi, c.hi) || !math.IsNaN(st.SD) {
				t.Errorf("Ratio = %+v, want mean %v lo %v hi %v sd NaN n %d", st, c.mean, c.lo, c.hi, c.n)
			}
		})
	}
}

// TestRatioNoiseIsUnbounded draws denominators of pure noise (mean 0): when
// their sample mean is positive the ratio is given, never its bounds, unless
// the noise happens to look significant.
func TestRatioNoiseIsUnbounded(t *testing.T) {
	// A fixed pseudo-random sequence (a linear congruential generator) of
	// values uniform on [−1, 1).
	state := uint64(12345)
	next := func() float64 {
		state = state*6364136223846793005 + 1442695040888963407
		return float64(state>>11)/float64(1<<53)*2 - 1
	}
	bounded := 0
	for trial := range 200 {
		n := 5 + trial%20
		x, y := make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], y[i] = 1e6*(1+0.1*next()), next()
		}
		st := Ratio("r", x, y)
		var my, ss float64
		for _, v := range y {
			my += v
		}
		my /= float64(n)
		for _, v := range y {
			ss += (v - my) * (v - my)
		}
		se := math.Sqrt(ss / float64(n-1) / float64(n))
		tq := Describe("y", y)
		significant := tq.Lo > 0
		switch {
		case my <= 0:
			if !math.IsNaN(st.Mean) || !math.IsNaN(st.Lo) || !math.IsNaN(st.Hi) {
				t.Errorf("trial %d: mean saved %v ≤ 0 but ratio %+v", trial, my, st)
			}
		case significant:
			bounded++
			if math.IsNaN(st.Lo) || math.IsNaN(st.Hi) {
				t.Errorf("trial %d: significant denominator (%v, se %v) but unbounded %+v", trial, my, se, st)
			}
		default:
			if st.Mean != st.Mean || !math.IsNaN(st.Lo) || !math.IsNaN(st.Hi) {
				t.Errorf("trial %d: noise denominator %v (se %v) gives %+v, want a mean and null bounds", trial, my, se, st)
			}
		}
	}
	// At level 0.95 about 2.5% of pure-noise samples look significantly
	// positive.
	if bounded > 20 {
		t.Errorf("%d of 200 pure-noise denominators gave bounded intervals", bounded)
	}
}

func TestSummarizeEffects(t *testing.T) {
	s, err := Summarize(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Arms) != 2 || s.Arms[0].Arm != "baseline" || s.Arms[1].Arm != "scf" {
		t.Fatalf("arms %+v", s.Arms)
	}
	base, scf := s.Arms[0], s.Arms[1]
	if base.Effects != nil || len(base.Interventions) != 0 {
		t.Errorf("baseline has effects %v or interventions %v", base.Effects, base.Interventions)
	}
	nan := math.NaN()
	t1 := 12.706204736174696 // t quantile, 1 degree of freedom
	// Baseline failures 3 and 1 (SMEs 2 and 1, jobs 70 and 50, bank losses
	// 30 and 40); scf failures 1 and 0 (SMEs 1 and 0, jobs 20 and 0, bank
	// losses 10 and 10), fiscal cost 1000 and 1200; same output.
	want := []struct {
		name             string
		mean, lo, hi, sd float64
	}{
		{FirmsSaved, 1.5, 1.5 - t1*0.5, 1.5 + t1*0.5, math.Sqrt(0.5)},
		{SMEsSaved, 1, 1, 1, 0},
		{CoresSaved, 0.5, 0.5 - t1*0.5, 0.5 + t1*0.5, math.Sqrt(0.5)},
		{JobsSaved, 50, 50, 50, 0},
		{OutputSaved, 0, 0, 0, 0},
		{BankLossesAvoided, 25, 25 - t1*5, 25 + t1*5, math.Sqrt(50)},
		// 1100/1.5; firms saved 1.5 ± 6.35 is not significant.
		{CostPerFirmSaved, 1100 / 1.5, nan, nan, nan},
		// Jobs saved are 50 in both: the interval is the cost's, 1100 ± t·100, over 50.
		{CostPerJobSaved, 22, 22 - 2*t1, 22 + 2*t1, nan},
	}
	if len(scf.Effects) != len(EffectMetrics) {
		t.Fatalf("effects %v", scf.Effects)
	}
	for i, w := range want {
		st := scf.Effects[i]
		if st.Metric != w.name || st.N != 2 || !nearFloat(st.Mean, w.mean) || !nearFloat(st.Lo, w.lo) || !nearFloat(st.Hi, w.hi) || !nearFloat(st.SD, w.sd) {
			t.Errorf("%s = %+v, want mean %v lo %v hi %v sd %v n 2", w.name, st, w.mean, w.lo, w.hi, w.sd)
		}
	}
	for _, c := range []struct {
		name      string
		base, scf float64
	}{{BankLosses, 35, 10}, {FiscalCost, 0, 1100}} {
		b, _ := base.Headline.Get(c.name)
		a, _ := scf.Headline.Get(c.name)
		if b.Mean != c.base || a.Mean != c.scf {
			t.Errorf("headline %s: baseline %v, scf %v; want %v, %v", c.name, b.Mean, a.Mean, c.base, c.scf)
		}
	}
	if len(scf.Interventions) != 1 {
		t.Fatalf("interventions %+v", scf.Interventions)
	}
	iv := scf.Interventions[0]
	if iv.Name != "scf" || iv.Kind != config.KindSupplyChainFinance || iv.Budget != 5000 || iv.Used.Mean != 4500 ||
		iv.FiscalCost.Mean != 1100 || iv.Firms.Mean != 2.5 || iv.Firms.N != 2 || iv.ExhaustedShare != 0.5 || iv.ExhaustedStep != 3 {
		t.Errorf("intervention %+v", iv)
	}
}

func TestSummarizePairing(t *testing.T) {
	t.Run("order does not matter", func(t *testing.T) {
		a, err := Summarize(fixture(t))
		if err != nil {
			t.Fatal(err)
		}
		rs := fixture(t)
		rs[1], rs[3] = rs[3], rs[1] // scf replications 0 then 1
		b, err := Summarize(rs)
		if err != nil {
			t.Fatal(err)
		}
		if !sameSummary(a, b) {
			t.Errorf("summaries differ with the order of replications")
		}
	})
	t.Run("arm replication missing from the baseline", func(t *testing.T) {
		rs := fixture(t)
		rs[1].Replication = 7 // scf 7 and 0; baseline 0 and 1
		_, err := Summarize(rs)
		if err == nil || !strings.Contains(err.Error(), `"scf"`) || !strings.Contains(err.Error(), "replication 7") {
			t.Errorf("err = %v, want one naming arm scf and replication 7", err)
		}
	})
	t.Run("duplicate replication", func(t *testing.T) {
		rs := fixture(t)
		rs[3].Replication = 1 // scf 1 twice
		if _, err := Summarize(rs); err == nil {
			t.Error("no error")
		}
	})
	t.Run("baseline holds more replications", func(t *testing.T) {
		rs := fixture(t)
		s, err := Summarize([]*outcome.Result{rs[0], rs[2], rs[3]}) // scf replication 0 only
		if err != nil {
			t.Fatal(err)
		}
		st, _ := s.Arms[1].Effects.Get(FirmsSaved)
		if st.N != 1 || st.Mean != 2 {
			t.Errorf("firms saved %+v, want 2 over 1 replication", st)
		}
	})
	t.Run("no baseline", func(t *testing.T) {
		rs := fixture(t)
		s, err := Summarize([]*outcome.Result{rs[1], rs[3]})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Arms) != 1 || s.Arms[0].Effects != nil {
			t.Errorf("arms %+v, want scf alone without effects", s.Arms)
		}
	})
}

func TestSummaryJSONLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := writeDir(dir, fixtureTOML, fixture(t), fixtureMeta); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	// The baseline has no effects key; scf's come after its headline and
	// before its interventions and final values.
	base, scf, ok := bytes.Cut(b, []byte(`"arm": "scf"`))
	if !ok {
		t.Fatalf("no scf arm:\n%s", b)
	}
	if bytes.Contains(base, []byte(`"effects"`)) || !bytes.Contains(base, []byte(`"interventions": []`)) {
		t.Errorf("baseline arm has effects or no empty interventions:\n%s", base)
	}
	var at []int
	for _, key := range []string{`"headline"`, `"effects"`, `"cost_per_firm_saved"`, `"interventions"`, `"mean_exhausted_step": 3`, `"final"`} {
		at = append(at, bytes.Index(scf, []byte(key)))
	}
	for i := range at {
		if at[i] < 0 || (i > 0 && at[i] < at[i-1]) {
			t.Errorf("scf arm keys out of order or missing (positions %v):\n%s", at, scf)
			break
		}
	}
	s, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.Get("scf").Effects.Get(CostPerFirmSaved)
	if st.N != 2 || !math.IsNaN(st.Lo) || !math.IsNaN(st.Hi) || !math.IsNaN(st.SD) || math.IsNaN(st.Mean) {
		t.Errorf("cost per firm saved read back as %+v, want a mean and null bounds", st)
	}
}
