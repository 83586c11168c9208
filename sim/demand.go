// Phase 2, final demand: households' and foreign buyers' demand for each
// firm's goods this step.

package sim

// finalDemand is phase 2: each firm's final demand is its baseline,
// domestic and exported, times the market multipliers (and noise).
func (e *engine) finalDemand(lo, hi, t int) {
	net, mult := e.net, e.shock.demand
	for i := lo; i < hi; i++ {
		if !e.alive[i] {
			e.fdNow[i] = 0
			continue
		}
		exp := mult[0]
		if m := net.ExportMarket[i]; m >= 0 {
			exp = mult[1+m]
		}
		d := e.fdDomestic[i]*mult[0] + e.fdExport[i]*exp
		if e.sectorScale != nil {
			d *= e.sectorScale[net.Sector[i]]
		}
		if e.p.demandNoise > 0 {
			d *= max(0, 1+e.p.demandNoise*normalAt(e.noiseKey, t, i))
		}
		e.fdNow[i] = d
	}
}

// switchDemand adds delta to the baseline final demand of the firms alive
// in sector s (a firm failing, exiting or entering) and rescales their
// final demand so that, with demand_switching, they share the sector's
// whole baseline final demand.
func (e *engine) switchDemand(s int32, delta float64) {
	if e.sectorScale == nil {
		return
	}
	e.sectorAliveFD[s] += delta
	e.sectorScale[s] = 0
	if e.sectorAliveFD[s] > 1e-9*e.sectorFD[s] {
		e.sectorScale[s] = e.sectorFD[s] / e.sectorAliveFD[s]
	}
}
