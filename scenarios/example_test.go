package scenarios_test

import (
	"fmt"

	"github.com/smesim/smesim/scenarios"
)

func ExampleParse() {
	src := []byte(`
name = "two-markets"
steps = 52

[[markets]]
name = "us"

[[markets]]
name = "eu"

[[shocks]]
kind = "demand"
market = "us"
start = "8w"
duration = "3mo"
depth = 0.5
`)
	cfg, err := scenarios.Parse("two-markets.toml", src, ".")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := cfg.Shocks[0]
	fmt.Println(cfg.Name, cfg.Steps, "steps of", cfg.Step)
	fmt.Println(len(cfg.Markets), "markets, weight", cfg.Markets[1].Weight)
	fmt.Printf("%s shock on %q: depth %g for %s (%.1f steps), shape %s\n",
		s.Kind, s.Market, s.Depth, s.Duration, s.Duration.Steps(cfg.Step.Days()), s.Shape)

	// Mistakes are reported with file, line and key.
	_, err = scenarios.Parse("typo.toml", []byte("[network]\nchains = 4\nmulti_sorcing = 3\n"), ".")
	fmt.Println(err)
	// Output:
	// two-markets 52 steps of 1w
	// 2 markets, weight 1
	// demand shock on "us": depth 0.5 for 3mo (13.0 steps), shape step
	// typo.toml:3: network.multi_sorcing: unknown key; did you mean "multi_sourcing"?
}

func ExampleOpen() {
	cfg, err := scenarios.Open("small")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Name, cfg.Network.Generator, cfg.Network.Chains, "chains", cfg.Steps, "steps")

	_, err = scenarios.Open("lockdwn")
	fmt.Println(err)
	// Output:
	// small core-satellite 2 chains 52 steps
	// lockdwn: no such file, and no built-in scenario of that name; did you mean "lockdown"? (built-ins: bri-expansion, china-2020, china-2020-no-policy, core-failure, core-guarantee, credit-crunch, default, export-barrier, lockdown, policy-mix, small, supply-chain-finance, supply-shortage)
}

func ExampleBuiltins() {
	for _, b := range scenarios.Builtins() {
		fmt.Printf("%-21s %s\n", b.Name, b.Summary)
	}
	// Output:
	// bri-expansion         after an anti-dumping shock in one market, SMEs' exports shift to Belt and Road markets
	// china-2020            China's SMEs in the 2020 shock, with the policy mix of 2020 (calibrated; see docs/calibration.md)
	// china-2020-no-policy  China's SMEs in the 2020 shock without the 2020 policy mix: the counterfactual of china-2020
	// core-failure          the core enterprises of two industrial chains collapse, and their satellite SMEs follow
	// core-guarantee        core firms guarantee their suppliers' bank loans in a deep collapse; calls travel upstream to the cores
	// credit-crunch         banks cut lending capacity by 40% and tighten credit for a year
	// default               eight industrial chains hit by a 40% domestic demand collapse for twelve weeks
	// export-barrier        a 60% collapse of demand in the "us" export market for a year
	// lockdown              operating restrictions on 30% of firms in two regions for four weeks
	// policy-mix            which government measure saves the most SMEs and jobs per yuan in a demand collapse?
	// small                 two small chains for a year: quick runs for tests and teaching
	// supply-chain-finance  core firms pay SMEs late in a demand collapse; reverse factoring on the cores' credit keeps suppliers alive
	// supply-shortage       imported inputs of raw-material firms cut by 40% for eight weeks, and core firms pay later
}
