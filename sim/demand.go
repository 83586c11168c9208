// Phase 2, final demand: households' and foreign buyers' demand for each
// firm's goods this step.

package sim

// finalDemand is phase 2: each firm's final demand is its baseline,
// domestic and exported, times the market multipliers (and noise).
func (e *engine) finalDemand(lo, hi, t int) {
	e.baselineDemand(lo, hi)
	if e.p.demandNoise > 0 {
		e.demandNoise(lo, hi, t)
	}
}

// baselineDemand sets the final demand of the firms lo to hi to their
// baseline, domestic and exported, times the market multipliers. (A call
// after its loop would make the loop keep its values on the stack.)
func (e *engine) baselineDemand(lo, hi int) {
	net, mult := e.net, e.shock.demand
	alive, market := e.alive[lo:hi:hi], net.ExportMarket[lo:hi:hi]
	n := len(alive)
	fdNow, domestic, export, sector := e.fdNow[lo:hi:hi][:n], e.fdDomestic[lo:hi:hi][:n], e.fdExport[lo:hi:hi][:n], net.Sector[lo:hi:hi][:n]
	market = market[:n]
	scale, mult0 := e.sectorScale, mult[0]
	for j, live := range alive {
		if !live {
			fdNow[j] = 0
			continue
		}
		exp := mult0
		if m := market[j]; m >= 0 {
			exp = mult[1+m]
		}
		d := domestic[j]*mult0 + export[j]*exp
		if scale != nil {
			d *= scale[sector[j]]
		}
		fdNow[j] = d
	}
}

// demandNoise multiplies the final demand of the live firms lo to hi by
// their noise at step t, in a loop of its own: its call per firm would
// make baselineDemand's loop keep its values on the stack.
func (e *engine) demandNoise(lo, hi, t int) {
	noise, fdNow := e.p.demandNoise, e.fdNow[lo:hi:hi]
	for j, live := range e.alive[lo:hi:hi][:len(fdNow)] {
		if live {
			fdNow[j] *= max(0, 1+noise*normalAt(e.noiseKey, t, lo+j))
		}
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
