package atlas

import (
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
)

// The production impact follows Diem, Borsos, Reisch, Kertész and Thurner,
// "Quantifying firm-level economic systemic risk from nation-wide supply
// networks", Sci Rep 12:7719 (2022). Each firm j has a production level
// h_j in [0,1], 1 at baseline; the failing firm is held at 0 and the
// others are updated together, from the previous levels, until nothing
// moves:
//
//	downstream  h_j = min( min over essential input sectors k of a_jk,
//	                       1 − Σ over non-essential k of s_jk (1 − a_jk) )
//	upstream    h_j = 1 − Σ over buyers b of F_jb (1 − h_b) / X_j
//	both        h_j = min(downstream, upstream)
//
// where a_jk = min(1, Σ_i w_ijk h_i + σ Σ_{i: h_i=1} w_ijk) is the share
// of its sector-k input that j still gets: what its suppliers in the
// sector deliver (w the buyer's weights) plus what those untouched by the
// shock add from their spare capacity σ (a supplier already held back has
// none to offer; with σ = 0 there is no substitution, as in the paper); s_jk the sector's share of j's bought
// inputs, F_jb the baseline flow from j to b and X_j j's gross output. The
// paper divides lost sales by sales to firms; here X_j includes final
// demand, which a supplier keeps when a customer firm stops. The index is
// the output-weighted loss Σ_j X_j (1 − h_j) / Σ_j X_j, the failing firm
// included.

// tolerance is the change in a production level below which a firm stops
// passing the shock on.
const tolerance = 1e-12

// maxUpdates bounds the updates of a propagation, per firm of the
// network; levels only fall, by more than tolerance at each update that
// passes on, so the bound is reached only when a cycle shrinks slowly.
const maxUpdates = 10000

// production is the network with the quantities of the propagation.
type production struct {
	net       *network.Network
	output    []float64 // per firm, per year
	outShare  []float64 // per firm: output / total output
	jobShare  []float64 // per firm: jobs / total jobs
	flowShare []float64 // per edge: flow / supplier's output
	slotShare []float64 // per slot: its share of the buyer's bought inputs
	essential []bool    // per slot
	spare     float64   // σ: spare capacity a full-level supplier offers, per unit of its deliveries
}

func newProduction(x *sim.Exposures, opts Options) *production {
	net := x.Net
	n := net.N()
	p := &production{net: net, output: x.Output, outShare: make([]float64, n), jobShare: make([]float64, n),
		flowShare: make([]float64, net.E()), slotShare: make([]float64, net.Slots()), essential: make([]bool, net.Slots()),
		spare: opts.Substitution}
	totalX, totalJ := 0.0, 0.0
	for i := 0; i < n; i++ {
		totalX += x.Output[i]
		totalJ += x.Jobs[i]
	}
	for i := 0; i < n; i++ {
		p.outShare[i] = x.Output[i] / totalX
		if totalJ > 0 {
			p.jobShare[i] = x.Jobs[i] / totalJ
		}
	}
	for e := range p.flowShare {
		p.flowShare[e] = x.Flow[e] / x.Output[net.Supplier[e]]
	}
	for b := 0; b < n; b++ {
		bought := 0.0
		for e := net.InStart[b]; e < net.InStart[b+1]; e++ {
			bought += x.Flow[e]
		}
		for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
			v := 0.0
			for e := net.SlotEdgeStart[s]; e < net.SlotEdgeStart[s+1]; e++ {
				v += x.Flow[e]
			}
			if bought > 0 {
				p.slotShare[s] = v / bought
			}
			p.essential[s] = opts.Essential.Is(int(net.SlotSector[s]), int(net.Sector[b]))
		}
	}
	return p
}

// prodScratch is one worker's state: the levels (1 outside a
// propagation), the queue of firms to update and who is in it.
type prodScratch struct {
	h       []float64
	queued  []bool
	queue   []int32         // a ring of at most N firms
	touched []int32         // firms whose level fell below 1
	done    <-chan struct{} // closed when the caller gives up: the propagation stops early
}

func (p *production) newScratch() *prodScratch {
	n := p.net.N()
	s := &prodScratch{h: make([]float64, n), queued: make([]bool, n), queue: make([]int32, n)}
	for i := range s.h {
		s.h[i] = 1
	}
	return s
}

// impact returns the shares of output and jobs lost when firm f stops,
// propagating downstream (to buyers), upstream (to suppliers) or both,
// and whether the propagation converged within maxUpdates.
//
// It updates one firm at a time from a first-in first-out queue of the
// firms whose inputs or sales changed (Gauss–Seidel rather than the
// paper's rounds): levels only fall, and both orders fall to the same
// fixed point, the largest below the start, but this one gets there in
// fewer updates.
func (p *production) impact(s *prodScratch, f int, down, up bool) (output, jobs float64, converged bool) {
	net, h := p.net, s.h
	n := len(h)
	h[f] = 0
	s.touched = append(s.touched[:0], int32(f))
	head, size := 0, 0
	push := func(c int32) {
		if int(c) == f || s.queued[c] {
			return
		}
		s.queued[c] = true
		s.queue[(head+size)%n] = c
		size++
	}
	pushNeighbours := func(j int32) {
		if down {
			for k := net.OutStart[j]; k < net.OutStart[j+1]; k++ {
				push(net.Buyer[net.OutEdge[k]])
			}
		}
		if up {
			for e := net.InStart[j]; e < net.InStart[j+1]; e++ {
				push(net.Supplier[e])
			}
		}
	}
	pushNeighbours(int32(f))
	for updates := 0; size > 0 && updates < maxUpdates*n; updates++ {
		if updates&0xffff == 0xffff && s.done != nil {
			select {
			case <-s.done:
				updates = maxUpdates * n // the result is discarded
				continue
			default:
			}
		}
		c := s.queue[head]
		head, size = (head+1)%n, size-1
		s.queued[c] = false
		v := h[c]
		if down {
			v = min(v, p.downstream(h, int(c)))
		}
		if up {
			v = min(v, p.upstream(h, int(c)))
		}
		v = max(0, v)
		if h[c]-v <= tolerance {
			continue
		}
		if h[c] == 1 {
			s.touched = append(s.touched, c)
		}
		h[c] = v
		pushNeighbours(c)
	}
	converged = size == 0
	for ; size > 0; size-- { // only when maxUpdates cut the propagation short
		s.queued[s.queue[head]] = false
		head = (head + 1) % n
	}
	for _, c := range s.touched {
		output += p.outShare[c] * (1 - h[c])
		jobs += p.jobShare[c] * (1 - h[c])
		h[c] = 1
	}
	return output, jobs, converged
}

// downstream returns the level buyer b's inputs allow.
func (p *production) downstream(h []float64, b int) float64 {
	net := p.net
	level, loss := 1.0, 0.0
	for s := net.SlotStart[b]; s < net.SlotStart[b+1]; s++ {
		avail, spare := 0.0, 0.0
		for e := net.SlotEdgeStart[s]; e < net.SlotEdgeStart[s+1]; e++ {
			hs := h[net.Supplier[e]]
			avail += net.Weight[e] * hs
			if hs == 1 {
				spare += net.Weight[e]
			}
		}
		avail = min(1, avail+p.spare*spare)
		if p.essential[s] {
			level = min(level, avail)
		} else {
			loss += p.slotShare[s] * (1 - avail)
		}
	}
	return min(level, 1-loss)
}

// upstream returns the level supplier j's remaining sales allow.
func (p *production) upstream(h []float64, j int) float64 {
	net := p.net
	lost := 0.0
	for k := net.OutStart[j]; k < net.OutStart[j+1]; k++ {
		e := net.OutEdge[k]
		lost += p.flowShare[e] * (1 - h[net.Buyer[e]])
	}
	return 1 - lost
}
