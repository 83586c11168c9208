package sim

import (
	"math"
	"testing"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/units"
)

// bankBookConfig is quietConfig with bank debt and the banking system
// (one bank), the supplier and the raw-material firm borrowing.
func bankBookConfig() *config.Config {
	cfg := quietConfig()
	cfg.Firms.SME.DebtToAssets, cfg.Firms.SME.CreditAccess = 0.5, 1
	cfg.Firms.SME.CashRunwayMedian = units.MustDuration("6mo")
	cfg.Finance.Banking = "system"
	cfg.Banks = []config.BankConfig{config.DefaultBank()}
	cfg.Steps = 20
	return cfg
}

// TestNPLWorkout: a failed firm's bank loan is non-performing for
// npl_workout, then recovery_rate of it is recovered and the rest written
// off; with npl_workout 0 it is written off at the failure. The engine
// checks the identities every step (money, the bank's balance sheet, its
// books by status, the coverage floor), so a clean run is part of the
// assertion.
func TestNPLWorkout(t *testing.T) {
	const sup, knock = 1, 3
	for _, tc := range []struct {
		workout string
		steps   int // weeks
	}{{"0w", 0}, {"1w", 1}, {"6w", 6}} {
		t.Run(tc.workout, func(t *testing.T) {
			cfg := bankBookConfig()
			cfg.Finance.NPLWorkout = units.MustDuration(tc.workout)
			e, err := newEngineOn(cfg, chainNetwork(t), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			e.knock = knockout{firm: sup, step: knock}
			bk := &e.banks[e.bank[sup]]
			var entered float64 // the loan at the failure
			for step := 0; step < cfg.Steps; step++ {
				if err := e.step(step); err != nil {
					t.Fatal(err)
				}
				row := e.metrics.series[step*e.metrics.width:]
				due := knock + tc.steps
				if step == knock {
					if e.alive[sup] || e.loan[sup] != 0 {
						t.Fatalf("step %d: the knocked firm is alive (%v) or holds a loan (%v)", step, e.alive[sup], e.loan[sup])
					}
					entered = bk.workout
					if tc.steps == 0 {
						entered = row[outcome.WriteOffs] / (1 - cfg.Firms.RecoveryRate)
					}
					if !(entered > 0) {
						t.Fatalf("step %d: the failed firm's loan is %v, want > 0", step, entered)
					}
				}
				wantWorkout, wantWriteOff := 0.0, 0.0
				switch {
				case step >= knock && step < due:
					wantWorkout = entered
				case step == due:
					wantWriteOff = (1 - cfg.Firms.RecoveryRate) * entered
				}
				if math.Abs(bk.workout-wantWorkout) > 1e-9*entered {
					t.Errorf("step %d: %v in workout, want %v", step, bk.workout, wantWorkout)
				}
				if math.Abs(row[outcome.WriteOffs]-wantWriteOff) > 1e-9*entered {
					t.Errorf("step %d: %v written off, want %v", step, row[outcome.WriteOffs], wantWriteOff)
				}
				wantNPL := 0.0
				if wantWorkout > 0 {
					wantNPL = wantWorkout / e.bs.total
				}
				if math.Abs(row[outcome.NPLRatio]-wantNPL) > 1e-9 {
					t.Errorf("step %d: NPL ratio %v, want %v", step, row[outcome.NPLRatio], wantNPL)
				}
				if wantWorkout > 0 && bk.provisions < cfg.Finance.CoverageMin*wantWorkout*(1-1e-9) {
					t.Errorf("step %d: provisions %v below the coverage floor on %v in workout", step, bk.provisions, wantWorkout)
				}
			}
		})
	}
}

// TestOutsideBook: with no failures, the outside book stays in its
// stationary state — outside_book times the network's loans at the
// start, of which outside_default_rate × npl_workout / (1 +
// outside_default_rate × npl_workout) non-performing — so the NPL ratio of
// the system is that share weighted by the book, the network's is 0, and
// the banks start at car_start of the risk-weighted assets of both books.
func TestOutsideBook(t *testing.T) {
	for _, tc := range []struct {
		workout string
		steps   float64
	}{{"0w", 0}, {"52w", 52}} {
		t.Run(tc.workout, func(t *testing.T) {
			cfg := bankBookConfig()
			cfg.Finance.NPLWorkout = units.MustDuration(tc.workout)
			cfg.Finance.OutsideBook = 3
			cfg.Finance.OutsideDefaultRate = 0.02
			e, err := newEngineOn(cfg, chainNetwork(t), 0)
			if err != nil {
				t.Fatal(err)
			}
			defer e.close()
			bk := &e.banks[0]
			network := bk.loans
			h := units.ProbabilityPerStep(0.02, 7)
			share := h * tc.steps / (1 + h*tc.steps) // non-performing share of the outside book
			if got := bk.outside + bk.outsideNPL; math.Abs(got-3*network) > 1e-12*network {
				t.Fatalf("outside book %v at the start, want 3 × %v", got, network)
			}
			rwa := cfg.Finance.RiskWeightSME*(network+bk.outside) + cfg.Finance.RiskWeightNPL*bk.outsideNPL
			if math.Abs(bk.capital-cfg.Banks[0].CARStart*rwa) > 1e-9*bk.capital {
				t.Errorf("capital %v at the start, want car_start × %v", bk.capital, rwa)
			}
			for step := 0; step < cfg.Steps; step++ {
				if err := e.step(step); err != nil {
					t.Fatal(err)
				}
				row := e.metrics.series[step*e.metrics.width:]
				if row[outcome.Failures] != 0 {
					t.Fatalf("step %d: %v failures in a quiet economy", step, row[outcome.Failures])
				}
				if got := bk.outsideNPL / (bk.outside + bk.outsideNPL); math.Abs(got-share) > 1e-12 {
					t.Errorf("step %d: the outside book is %v non-performing, want %v", step, got, share)
				}
				want := share * 3 * network / (e.bs.network + 3*network)
				if math.Abs(row[outcome.NPLRatio]-want) > 1e-9 {
					t.Errorf("step %d: NPL ratio %v, want %v", step, row[outcome.NPLRatio], want)
				}
				if v := row[e.metrics.width-outcome.NumOutsideBookMetrics+outcome.NPLRatioNetwork]; v != 0 {
					t.Errorf("step %d: network NPL ratio %v without failures, want 0", step, v)
				}
				if bk.car < cfg.Banks[0].CARMin {
					t.Errorf("step %d: capital ratio %v below car_min", step, bk.car)
				}
			}
		})
	}
}

// TestOrderlyExitSkipsWorkout: a background exit is an orderly wind-up,
// not a default: even with a workout, its bank is repaid (or writes off)
// at once, and nothing enters the workout book.
func TestOrderlyExitSkipsWorkout(t *testing.T) {
	net := sizedChain(t)
	cfg := bankBookConfig()
	cfg.Steps = 60
	cfg.Finance.NPLWorkout = units.MustDuration("13w")
	cfg.Demography.SizeClasses = true
	cfg.Demography.ExitHazard.Small = 0.99 // only the supplier may exit
	e, err := newEngineOn(cfg, net, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	const sup = 1
	if e.loan[sup] <= 0 {
		t.Fatalf("the supplier must owe its bank (%v)", e.loan[sup])
	}
	for step := 0; step < cfg.Steps; step++ {
		if err := e.step(step); err != nil {
			t.Fatal(err)
		}
		if e.alive[sup] {
			continue
		}
		if e.cause[sup] != outcome.Exit {
			t.Fatalf("step %d: the supplier failed (%s) instead of exiting", step, e.cause[sup])
		}
		if w := e.banks[e.bank[sup]].workout; w != 0 || e.loan[sup] != 0 {
			t.Errorf("step %d: an orderly exit left %v in workout and %v on the firm", step, w, e.loan[sup])
		}
		return
	}
	t.Fatal("the supplier never exited: pick another hazard")
}
