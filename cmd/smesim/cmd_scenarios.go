package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
)

func scenariosCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:            "scenarios",
		Usage:           "list the built-in scenarios",
		Description:     "Prints one line per built-in scenario: its name, then what it represents.\nRun one with 'smesim run NAME'; copy one with 'smesim init NAME > my.toml'.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Action: func(c *cli.Context) error {
			if err := noArgs(c); err != nil {
				return err
			}
			return runScenarios(e)
		},
	}
}

// runScenarios lists the built-ins, names aligned in one column.
func runScenarios(e *env) error {
	bs := scenarios.Builtins()
	width := 0
	for _, b := range bs {
		width = max(width, len(b.Name))
	}
	for _, b := range bs {
		fmt.Fprintf(e.stdout, "%-*s  %s\n", width, b.Name, oneLine(b.Summary))
	}
	return nil
}
