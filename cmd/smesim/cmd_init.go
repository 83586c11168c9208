package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
)

func initCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "print a commented scenario to start from",
		ArgsUsage: "[BUILTIN]",
		Description: "Prints the built-in scenario BUILTIN (default: \"default\") as a commented TOML\n" +
			"file on stdout, every key with its meaning and unit: smesim init > my.toml",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "BUILTIN")
			if err != nil {
				return err
			}
			return runInit(e, arg)
		},
	}
}

// runInit writes the template of built-in name ("" for the default).
func runInit(e *env, name string) error {
	if name == "" {
		name = "default"
	}
	if !isBuiltin(name) {
		return badInputf("no built-in scenario named %q (built-ins: %s)", name, strings.Join(builtinNames(), ", "))
	}
	b, err := scenarios.Template(name)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(b)
	return err
}
