package sim

import (
	"math"
	"math/rand/v2"

	"github.com/smesim/smesim/sim/streamkey"
)

// Purposes of random streams. A stream is derived from (seed, replication,
// purpose) and nothing else, so arms of one replication share every draw
// (common random numbers) and results do not depend on workers or threads.
const (
	streamNetwork uint64 = iota + 1
	streamFirms
	streamLockdown
	streamDemandNoise
	streamParticipation // supply-chain-finance: which cores take part
	streamPolicyQueue   // policy-loan: arrival order of a step's applicants
	streamPartnerSearch // production.partner_search: new partners of failed firms' buyers
	streamBanks         // finance.banking = "system": which bank each firm banks with
	streamLottery       // priority = "random": each firm's rank in a programme's lottery
	streamExit          // demography.exit_hazard: which firms exit in a step
	streamTerms         // firms.*.payment_term_dispersion: each link's payment term
	streamFirstLoan     // finance.first_loan_take_up: whether an unbanked firm in need applies this step
)

// streamOwnerFunds is the purpose of firms.*.owner_funds: each firm's owner
// funds (counter-based, by firm). It is numbered apart from the list above
// so that a stream added there, in whatever order branches merge, does not
// move the funds drawn.
const streamOwnerFunds uint64 = 1<<32 + 1

// splitmix64 and mix are streamkey's, by their short names here.
func splitmix64(x uint64) uint64 { return streamkey.SplitMix64(x) }
func mix(words ...uint64) uint64 { return streamkey.Mix(words...) }

// stream returns a ChaCha8 generator for (seed, replication, purpose).
func stream(seed uint64, rep int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewChaCha8(streamkey.ChaCha8(seed, uint64(rep), purpose)))
}

// uniformAt returns a uniform draw in (0,1) that depends only on its key and
// the indexes: a counter-based draw for per-step, per-firm noise that any
// partition of firms over threads reproduces exactly.
func uniformAt(key uint64, step, firm int) float64 {
	h := splitmix64(key ^ splitmix64(uint64(step)<<32^uint64(firm)))
	return (float64(h>>11) + 0.5) / (1 << 53)
}

// normalAt returns a standard normal draw from two counter-based uniforms
// (Box–Muller).
func normalAt(key uint64, step, firm int) float64 {
	u1 := uniformAt(key, step, 2*firm)
	u2 := uniformAt(key, step, 2*firm+1)
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}
