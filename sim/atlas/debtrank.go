package atlas

import "github.com/smesim/smesim/sim"

// The financial impact is DebtRank (Battiston, Puliga, Kaushik, Tasca and
// Caldarelli, "DebtRank: too central to fail?", Sci Rep 2:541, 2012) over
// the claims smesim's balance sheets hold at baseline. The nodes are the
// firms and the banks; node i's equity E_i (a bank's capital) is its
// buffer, and a claim A_ij of i on j gives the impact W_ij = min(1,
// A_ij/E_i) of j's distress on i. The claims are:
//
//   - trade credit: a supplier on its buyer, the payable of the link;
//   - under supply chain finance (factoring), the receivables of the
//     scheme's links are held by the supplier's bank instead;
//   - bank loans: the firm's bank on the firm, less the part a core
//     guarantees;
//   - core guarantees: the guarantor core on the firm, for the part of its
//     loan the core would pay (at most the guarantee's cap).
//
// The defaulting firm has h = 1 and is distressed; at each round every
// node distressed in the previous round passes W_ij h_j to its creditors
// and becomes inactive, and a creditor whose h rises above 0 becomes
// distressed: each node passes its distress once. The firm's DebtRank is
// Σ_{i≠f} h_i E_i / Σ_i E_i, the share of all equity the rest of the
// system loses. A node with no positive equity counts for nothing and is
// wiped out by any loss.

type finance struct {
	nodes     int       // firms then banks
	value     []float64 // per node: share of total equity
	credStart []int32   // per obligor firm: its creditors are credStart[j]..credStart[j+1]
	creditor  []int32
	impactOn  []float64 // W of the obligor on that creditor
	hasClaims bool
}

func newFinance(x *sim.Exposures) *finance {
	net := x.Net
	n := net.N()
	nb := len(x.BankCapital)
	fi := &finance{nodes: n + nb, value: make([]float64, n+nb), credStart: make([]int32, n+1)}
	equity := make([]float64, n+nb)
	copy(equity, x.Equity)
	copy(equity[n:], x.BankCapital)
	total := 0.0
	for _, e := range equity {
		total += max(0, e)
	}
	if total > 0 {
		for i, e := range equity {
			fi.value[i] = max(0, e) / total
		}
	}
	add := func(cred int32, amount float64) {
		if !(amount > 0) {
			return
		}
		w := 1.0
		if e := equity[cred]; e > 0 {
			w = min(1, amount/e)
		}
		fi.creditor = append(fi.creditor, cred)
		fi.impactOn = append(fi.impactOn, w)
	}
	for j := 0; j < n; j++ {
		for e := net.InStart[j]; e < net.InStart[j+1]; e++ {
			sup := net.Supplier[e]
			if x.Anchor != nil && x.Anchor[e] >= 0 {
				add(int32(n)+x.Bank[sup], x.Payable[e])
			} else {
				add(sup, x.Payable[e])
			}
		}
		if l := x.Loan[j]; l > 0 {
			g := 0.0
			if x.Guarantor != nil && x.Guarantor[j] >= 0 {
				g = min(l, x.GuaranteeCap[j])
				add(x.Guarantor[j], g)
			}
			add(int32(n)+x.Bank[j], l-g)
		}
		fi.credStart[j+1] = int32(len(fi.creditor))
	}
	fi.hasClaims = len(fi.creditor) > 0 && total > 0
	return fi
}

type finScratch struct {
	h       []float64
	state   []uint8 // undistressed, distressed, inactive
	delta   []float64
	touched []int32
	active  []int32 // distressed in the previous round
	next    []int32
	hit     []int32 // nodes given a delta this round
}

const (
	undistressed uint8 = iota
	distressed
	inactive
)

func (fi *finance) newScratch() *finScratch {
	return &finScratch{h: make([]float64, fi.nodes), state: make([]uint8, fi.nodes), delta: make([]float64, fi.nodes)}
}

// debtRank returns firm f's DebtRank.
func (fi *finance) debtRank(s *finScratch, f int) float64 {
	if !fi.hasClaims {
		return 0
	}
	h, state := s.h, s.state
	h[f], state[f] = 1, distressed
	s.touched = append(s.touched[:0], int32(f))
	s.active = append(s.active[:0], int32(f))
	for len(s.active) > 0 {
		s.hit = s.hit[:0]
		for _, j := range s.active {
			if int(j) >= len(fi.credStart)-1 {
				continue // a bank: nobody's claims on banks are modelled
			}
			for k := fi.credStart[j]; k < fi.credStart[j+1]; k++ {
				c := fi.creditor[k]
				if s.delta[c] == 0 {
					s.hit = append(s.hit, c)
				}
				s.delta[c] += fi.impactOn[k] * h[j]
			}
		}
		for _, j := range s.active {
			state[j] = inactive
		}
		s.next = s.next[:0]
		for _, c := range s.hit {
			if h[c] == 0 && state[c] == undistressed {
				s.touched = append(s.touched, c)
			}
			h[c] = min(1, h[c]+s.delta[c])
			s.delta[c] = 0
			if state[c] == undistressed {
				state[c] = distressed
				s.next = append(s.next, c)
			}
		}
		s.active, s.next = s.next, s.active
	}
	loss := 0.0
	for _, c := range s.touched {
		if int(c) != f {
			loss += fi.value[c] * h[c]
		}
		h[c], state[c] = 0, undistressed
	}
	return loss
}
