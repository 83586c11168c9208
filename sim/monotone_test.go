package sim_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/units"
)

var monotoneLong = flag.Bool("monotone-long", false, "TestMonotoneResponse: the full grid (depth 0.1 to 0.9) on the built-ins' own economies, 40 replications")

// monotoneCase deepens one shock of a built-in scenario over a grid of
// depths, all other shocks as the scenario has them.
type monotoneCase struct {
	name    string
	builtin string
	kind    string    // the first shock of this kind is deepened
	noTerms bool      // drop the scenario's payment-terms shocks
	stretch float64   // > 0: the payment-terms stretch deepens with it, stretch × depth days
	depths  []float64 // the short grid
}

// TestMonotoneResponse: for every built-in shock kind, expected failures
// do not fall as the shock deepens. Adjacent depths run on the same seeds,
// so their difference is paired replication by replication; a fall is an
// error when the mean difference is below −2 standard errors of it. The
// response over the whole grid must itself be significant (mean rise
// above 2 standard errors), so that the grid is not too flat or too noisy
// for a fall to show. Supply-shortage combines an import shortage with a
// payment-terms stretch, and a deeper shortage alone eases the stretch
// (less output, fewer receivables held up: see the scenario's header), so
// it is tested as imports alone and as the whole scenario deepening, the
// stretch with it.
func TestMonotoneResponse(t *testing.T) {
	cases := []monotoneCase{
		{name: "demand", builtin: "default", kind: "demand", depths: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}},
		{name: "lockdown", builtin: "lockdown", kind: "lockdown", depths: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}},
		{name: "credit", builtin: "credit-crunch", kind: "credit", depths: []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7}},
		{name: "export", builtin: "export-barrier", kind: "demand", depths: []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8}},
		{name: "imports", builtin: "supply-shortage", kind: "imports", noTerms: true, depths: []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8}},
		{name: "supply-shortage", builtin: "supply-shortage", kind: "imports", stretch: 75, depths: []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8}},
	}
	reps, chains := 12, 2
	if *monotoneLong {
		reps, chains = 40, 0
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			depths := c.depths
			if *monotoneLong {
				depths = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
			}
			fails := make([][]float64, len(depths)) // [depth][replication]
			for i, d := range depths {
				cfg := monotoneScenario(t, c, d, chains)
				fails[i] = make([]float64, reps)
				var wg sync.WaitGroup
				errs := make([]error, reps)
				for r := range reps {
					wg.Add(1)
					go func() {
						defer wg.Done()
						res, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, r, sim.Options{})
						if err != nil {
							errs[r] = err
							return
						}
						fails[i][r] = float64(len(res.Events))
					}()
				}
				wg.Wait()
				for _, err := range errs {
					if err != nil {
						t.Fatalf("depth %g: %v", d, err)
					}
				}
			}
			for i := 1; i < len(depths); i++ {
				mean, se := pairedDiff(fails[i-1], fails[i])
				t.Logf("depth %.2f → %.2f: failures %.1f → %.1f, difference %+.1f ± %.1f (SE)", depths[i-1], depths[i], meanOf(fails[i-1]), meanOf(fails[i]), mean, se)
				if mean < -2*se {
					t.Errorf("depth %.2f → %.2f: expected failures fall by %.1f (SE %.1f) as the shock deepens", depths[i-1], depths[i], -mean, se)
				}
			}
			if mean, se := pairedDiff(fails[0], fails[len(depths)-1]); mean <= 2*se {
				t.Errorf("depth %.2f → %.2f: failures rise by %.1f (SE %.1f), not significantly: the grid cannot show a fall", depths[0], depths[len(depths)-1], mean, se)
			}
		})
	}
}

// monotoneScenario is c's built-in, baseline only, with its shock at depth d
// and, when chains > 0, that many chains.
func monotoneScenario(t *testing.T, c monotoneCase, d float64, chains int) *config.Config {
	t.Helper()
	cfg, err := scenarios.Open(c.builtin)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Interventions = nil
	if chains > 0 {
		cfg.Network.Chains = chains
	}
	var shocks []config.ShockConfig
	deepened := false
	for _, s := range cfg.Shocks {
		switch {
		case s.Kind == c.kind && !deepened:
			s.Depth = d
			deepened = true
		case s.Kind == "payment-terms" && c.noTerms:
			continue
		case s.Kind == "payment-terms" && c.stretch > 0:
			s.TermStretch = units.MustDuration(fmt.Sprintf("%dd", int(math.Round(c.stretch*d))))
		}
		shocks = append(shocks, s)
	}
	if !deepened {
		t.Fatalf("%s has no %s shock", c.builtin, c.kind)
	}
	cfg.Shocks = shocks
	return cfg
}

// pairedDiff is the mean of b − a over paired replications and its
// standard error.
func pairedDiff(a, b []float64) (mean, se float64) {
	n := float64(len(a))
	for i := range a {
		mean += b[i] - a[i]
	}
	mean /= n
	ss := 0.0
	for i := range a {
		x := b[i] - a[i] - mean
		ss += x * x
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

func meanOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// TestImportShortageOutputRecovers: once an import shortage has ended and
// imports are back, output returns to its baseline. Firms plan on the
// demand they face, so a supplier short of inputs still orders for the
// orders it received and restarts when the inputs come back. (Planning on
// last production made the shortage a lasting fall in orders upstream:
// past a depth of 0.46, output kept contracting tier by tier for a year
// after the shock and the economy collapsed.)
func TestImportShortageOutputRecovers(t *testing.T) {
	for _, depth := range []float64{0.5, 0.7, 0.9} {
		cfg := monotoneScenario(t, monotoneCase{builtin: "supply-shortage", kind: "imports", noTerms: true}, depth, 2)
		res, err := sim.Run(context.Background(), cfg, config.Arm{Name: config.BaselineArm}, 0, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := slices.Index(res.Metrics, "output")
		// Week 52: 28 weeks after imports are fully back (week 24).
		t.Logf("depth %g: output in week 52 %.3f of week 0, %d failures", depth, res.Value(52, m)/res.Value(0, m), len(res.Events))
		if got := res.Value(52, m) / res.Value(0, m); got < 0.95 {
			t.Errorf("depth %g: output in week 52 is %.3f of week 0, want ≥ 0.95", depth, got)
		}
		if got := len(res.Events); got > 30 {
			t.Errorf("depth %g: %d of %d firms failed, want ≤ 30", depth, got, res.Network.N())
		}
	}
}
