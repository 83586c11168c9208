package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
)

func validateCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check a scenario file without running it",
		ArgsUsage: "FILE",
		Description: "Parses and validates the scenario FILE (or a built-in name) and prints\n" +
			"\"FILE: ok (…)\" with the number of firms to expect, or the first error as\n" +
			"\"FILE:LINE: KEY: MESSAGE\" with exit status 2.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return badInputf("validate takes one scenario FILE, got %d arguments (see 'smesim validate --help')", c.NArg())
			}
			return runValidate(e, c.Args().First())
		},
	}
}

// runValidate opens the scenario arg and reports what it describes.
func runValidate(e *env, arg string) error {
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	var parts []string
	n, pool, err := expectedFirms(e, cfg)
	if err != nil {
		return badInput(err)
	}
	if n > 0 {
		parts = append(parts, fmt.Sprintf("%d firms expected", n))
	}
	if pool > 0 {
		parts = append(parts, fmt.Sprintf("+%d in the entry pool", pool))
	}
	parts = append(parts,
		fmt.Sprintf("%d steps of %s", cfg.Steps, cfg.Step),
		fmt.Sprintf("%d %s", cfg.Replications, plural(cfg.Replications, "replication")),
		fmt.Sprintf("%d %s", len(cfg.Shocks), plural(len(cfg.Shocks), "shock")))
	fmt.Fprintf(e.stdout, "%s: ok (%s)\n", arg, strings.Join(parts, ", "))
	return nil
}

// expectedFirms returns the number of firms the scenario's network will
// have active at the start, and its entry pool (dormant firms that may
// enter): from the generator's parameters, or by loading a network file.
// It returns 0 firms when that cannot be told without the engine. The
// pool needs the network, which is built only when there is one.
func expectedFirms(e *env, cfg *config.Config) (firms, pool int, err error) {
	nc := cfg.Network
	if cfg.Demography.EntryPool == 0 {
		switch nc.Generator {
		case "core-satellite":
			return nc.Chains * (nc.CoresPerChain + nc.SuppliersPerChain + nc.RawMaterialsPerChain + nc.DistributorsPerChain), 0, nil
		case "barabasi-albert", "erdos-renyi", "io-table":
			return nc.Firms, 0, nil
		}
	}
	net, err := sim.BuildNetwork(cfg, 0)
	if err != nil {
		if isNotImplemented(err) {
			return 0, 0, nil
		}
		return 0, 0, err
	}
	warnNetwork(e, net)
	pool = net.EntryPool()
	return net.N() - pool, pool, nil
}

// isNotImplemented reports whether err is the engine's "not implemented
// yet" stub error.
func isNotImplemented(err error) bool {
	return err != nil && strings.Contains(err.Error(), "not implemented")
}
