package agents

import (
	"math"
	"testing"
)

func TestGuaranteeTakeUp(t *testing.T) {
	for _, c := range []struct {
		coverage, pd, lgd, years, fee float64
		want                          bool
	}{
		{0.8, 0.02, 0.7, 3, 0.01, true},   // 0.0336 transferred ≥ 0.01
		{0.8, 0.01, 0.7, 1, 0.01, false},  // 0.0056 < 0.01
		{0, 0.5, 0.7, 3, 0, false},        // nothing covered, nothing taken
		{0, 0.5, 0.7, 3, 0.01, false},     // idem with a fee
		{0.5, 0.25, 0.5, 1, 0.0625, true}, // exactly the fee
		{0.8, 0, 0.7, 3, 0, false},        // no risk to transfer
		{1, 0.05, 0.6, 0.5, 0.01, true},   // 0.015
		{0.8, 0.05, 0.7, 3, 0.1, false},   // 0.084 < 0.1
		{1, 0.5, 0.5, 4, 0.5, true},       // pd over the life capped at 1: 0.5
		{1, 0.5, 0.5, 4, 0.6, false},      // idem, below the fee
	} {
		if got := GuaranteeTakeUp(c.coverage, c.pd, c.lgd, c.years, c.fee); got != c.want {
			t.Errorf("GuaranteeTakeUp(%v, %v, %v, %v, %v) = %v, want %v", c.coverage, c.pd, c.lgd, c.years, c.fee, got, c.want)
		}
	}
}

func TestRetainedRiskScore(t *testing.T) {
	for _, c := range []struct{ score, coverage, want float64 }{
		{0.3, 0, 0.3},     // no cover: the borrower's own score
		{1.2, 0, 1},       // clamped
		{-0.5, 0, 0},      // clamped
		{0.3, 0.8, 1},     // pd 3.8 base → 0.76 base, below score 1's: capped at 1
		{0, 0.5, 0.625},   // pd 5 base → 2.5 base: score 1 − 1.5/4
		{0.5, 0.5, 0.875}, // pd 3 base → 1.5 base: score 1 − 0.5/4
		{0.2, 1, 1},       // all covered
	} {
		if got := RetainedRiskScore(c.score, c.coverage); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("RetainedRiskScore(%v, %v) = %v, want %v", c.score, c.coverage, got, c.want)
		}
	}
}

func TestNewBorrowerScore(t *testing.T) {
	for _, c := range []struct{ score, penalty, want float64 }{
		{0.5, 0.1, 0.4},
		{0.5, 0, 0.5},
		{0.05, 0.1, 0}, // never below 0
		{1, 0.25, 0.75},
	} {
		if got := NewBorrowerScore(c.score, c.penalty); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("NewBorrowerScore(%v, %v) = %v, want %v", c.score, c.penalty, got, c.want)
		}
	}
}

func TestLifetimeLoss(t *testing.T) {
	for _, c := range []struct {
		pd, lgd, years float64
		npl            bool
		want           float64
	}{
		{0.02, 0.5, 3, false, 0.03},
		{0.02, 0.5, 3, true, 0.5}, // non-performing: the whole lgd
		{0.5, 0.5, 3, false, 0.5}, // pd over the life capped at 1
		{0.02, 0.5, 0.5, false, 0.005},
		{0, 0.7, 3, false, 0},
	} {
		if got := LifetimeLoss(c.pd, c.lgd, c.years, c.npl); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("LifetimeLoss(%v, %v, %v, %v) = %v, want %v", c.pd, c.lgd, c.years, c.npl, got, c.want)
		}
	}
}
