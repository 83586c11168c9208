package atlas

import (
	"os"
	"strconv"
	"testing"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
)

// BenchmarkMeasures times each measure per firm on the default scenario's
// network grown to ATLAS_BENCH_CHAINS chains (default 8: 2,096 firms; 38
// chains make 9,956 firms, 382 make 100,084). Firm k of an iteration is
// firm k·7919 mod N, spreading the firms over kinds and roles.
//
//	ATLAS_BENCH_CHAINS=382 go test ./sim/atlas -run - -bench Measures -benchtime 100x
func BenchmarkMeasures(b *testing.B) {
	cfg := config.DefaultConfig()
	if v := os.Getenv("ATLAS_BENCH_CHAINS"); v != "" {
		c, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		cfg.Network.Chains = c
	}
	x, err := sim.BaselineExposures(&cfg, config.Arm{Name: config.BaselineArm}, 0)
	if err != nil {
		b.Fatal(err)
	}
	n := x.Net.N()
	prod, fin := newProduction(x, Options{}), newFinance(x)
	ps, fs := prod.newScratch(), fin.newScratch()
	firm := func(k int) int { return k * 7919 % n }
	b.Run("downstream", func(b *testing.B) {
		for k := 0; k < b.N; k++ {
			prod.impact(ps, firm(k), true, false)
		}
	})
	b.Run("upstream", func(b *testing.B) {
		for k := 0; k < b.N; k++ {
			prod.impact(ps, firm(k), false, true)
		}
	})
	b.Run("both", func(b *testing.B) {
		for k := 0; k < b.N; k++ {
			prod.impact(ps, firm(k), true, true)
		}
	})
	b.Run("debtrank", func(b *testing.B) {
		for k := 0; k < b.N; k++ {
			fin.debtRank(fs, firm(k))
		}
	})
}
