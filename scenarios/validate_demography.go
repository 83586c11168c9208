package scenarios

import "math"

// demography checks the rules tying [demography] to the rest: exits need
// size classes (their hazards are per class), exits and entry need
// finance (they are wound up and funded), size classes need a positive
// share, and the largest class must not draw final demands beyond the
// networks' bound.
func (v *validator) demography() error {
	d := &v.cfg.Demography
	h := d.ExitHazard
	hazard := ""
	for _, c := range []struct {
		key string
		v   float64
	}{{"micro", h.Micro}, {"small", h.Small}, {"medium", h.Medium}, {"large", h.Large}} {
		if c.v > 0 && hazard == "" {
			hazard = "demography.exit_hazard." + c.key
			if !d.SizeClasses {
				return v.errorAt(hazard, []string{"demography.exit_hazard"},
					"%s needs demography.size_classes = true: exit hazards are per size class (or set it to 0)", formatNumber(c.v))
			}
		}
	}
	if !v.cfg.Finance.Enabled {
		if hazard != "" {
			return v.errorAt(hazard, []string{"demography.exit_hazard", "finance.enabled"},
				"a background exit needs finance.enabled = true: exiting firms are wound up (or set it to 0)")
		}
		if d.EntryPool > 0 {
			return v.errorAt("demography.entry_pool", []string{"finance.enabled"},
				"%s needs finance.enabled = true: entrants are funded by their owners (or set it to 0)", formatNumber(d.EntryPool))
		}
	}
	if d.CreditByClass && !d.SizeClasses {
		return v.errorAt("demography.credit_by_class", []string{"demography"},
			"true needs demography.size_classes = true: credit access is per size class (or set it to false)")
	}
	if rs := d.RunwayScale; !rs.Neutral() && !d.SizeClasses {
		for _, c := range []struct {
			key string
			v   float64
		}{{"micro", rs.Micro}, {"small", rs.Small}, {"medium", rs.Medium}} {
			if c.v != 1 {
				return v.errorAt("demography.runway_scale."+c.key, []string{"demography.runway_scale", "demography"},
					"%s needs demography.size_classes = true: runways are scaled per size class (or set it to 1)", formatNumber(c.v))
			}
		}
	}
	if !d.SizeClasses {
		return nil
	}
	cs := d.ClassShares
	total := cs.Micro + cs.Small + cs.Medium
	if !(total > 0) {
		return v.errorAt("demography.class_shares", []string{"demography.class_shares.micro", "demography.size_classes"}, "the shares of micro, small and medium SMEs sum to 0: give one a positive share")
	}
	sc := d.ClassScale
	mean := (cs.Micro*sc.Micro + cs.Small*sc.Small + cs.Medium*sc.Medium) / total
	top := 0.0
	for _, c := range [][2]float64{{cs.Micro, sc.Micro}, {cs.Small, sc.Small}, {cs.Medium, sc.Medium}} {
		if c[0] > 0 {
			top = max(top, c[1]/mean)
		}
	}
	n := v.cfg.Network
	sigma := n.FinalDemandDispersion
	if x := top * n.FinalDemandMean * math.Exp(finalDemandTailZ*sigma-sigma*sigma/2); x > maxFinalDemand {
		return v.errorAt("demography.class_scale", []string{"demography.class_scale.medium", "demography.size_classes"},
			"the largest SME class is %.3g times the mean, which with network.final_demand_mean %s draws final demands up to about %.2g, above %g: narrow the class scales or lower final_demand_mean",
			top, formatNumber(n.FinalDemandMean), x, maxFinalDemand)
	}
	return nil
}
