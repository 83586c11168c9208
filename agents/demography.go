package agents

import "math"

// SizeClassOf returns the index of the size class drawn at uniform u in
// [0,1) from cumulative shares cum (non-decreasing, last = 1): the first
// class whose cumulative share exceeds u, skipping classes of share 0;
// past the end (rounding), the last class with a positive share.
func SizeClassOf(cum []float64, u float64) int {
	prev, last := 0.0, 0
	for k, c := range cum {
		if c > prev {
			last = k
			if u < c {
				return k
			}
		}
		prev = c
	}
	return last
}

// ClassFactors returns, for each size class k, the factor by which its
// members' mean size is scaled so that the mean over all classes is
// unchanged:
//
//	scale[k] / Σ_j share[j]·scale[j]   (shares normalised to sum to 1)
func ClassFactors(share, scale []float64) []float64 {
	total, mean := 0.0, 0.0
	for _, s := range share {
		total += s
	}
	for k, s := range share {
		mean += s / total * scale[k]
	}
	out := make([]float64, len(scale))
	for k := range scale {
		out[k] = scale[k] / mean
	}
	return out
}

// LogMeanFactors returns, for each size class k, the factor by which its
// members' draw is scaled so that the share-weighted mean of the log of
// the factors is 0 (the log-mean, and so roughly the median, of a
// log-normal draw over all classes is unchanged):
//
//	scale[k] / exp(Σ_j share[j]·log scale[j])   (shares normalised to sum to 1)
//
// With every scale 1 every factor is exactly 1.
func LogMeanFactors(share, scale []float64) []float64 {
	total, logMean := 0.0, 0.0
	for _, s := range share {
		total += s
	}
	for k, s := range share {
		if s > 0 {
			logMean += s / total * math.Log(scale[k])
		}
	}
	out := make([]float64, len(scale))
	for k := range scale {
		out[k] = scale[k] / math.Exp(logMean)
	}
	return out
}

// StepHazard converts a yearly exit probability into the probability of
// exiting in one step, the hazard being constant within the year:
//
//	1 − (1 − yearly)^(1/stepsPerYear)
func StepHazard(yearly, stepsPerYear float64) float64 {
	if yearly <= 0 {
		return 0
	}
	return -math.Expm1(math.Log1p(-yearly) / stepsPerYear)
}

// OrderlyRecovery returns the share of their claims an exiting firm's
// creditors recover when its assets fetch realisation of their book value
// in an orderly wind-up: all of them if the proceeds cover the
// liabilities, otherwise the proceeds pro rata:
//
//	min(1, realisation × assets / liabilities)   (1 without liabilities)
func OrderlyRecovery(assets, liabilities, realisation float64) float64 {
	if liabilities <= 0 {
		return 1
	}
	return clamp(realisation*max(0, assets)/liabilities, 0, 1)
}

// Entrants returns how many firms enter a sector this step and the carry
// to the next step. The flow of entry is the background rate times the
// sector's expected background exits this step, plus response (per step)
// times the firms it has lost and not replaced, scaled by the share open
// of the sector's firms (not locked down: registrations fall in a
// lockdown):
//
//	A = open × (rate × expectedExits + response × max(0, gap))
//	entrants = ⌊A + carry⌋, carry ← A + carry − entrants
//
// The carry makes the count deterministic: over many steps the entrants
// add up to the flow, without a random draw.
func Entrants(expectedExits, rate, gap, response, open, carry float64) (int, float64) {
	a := open*(rate*expectedExits+response*max(0, gap)) + carry
	n := math.Floor(a)
	return int(n), a - n
}
