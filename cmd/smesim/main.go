// Command smesim runs agent-based simulations of SME supply chains: it reads
// a TOML scenario (or a built-in one), runs its Monte Carlo replications and
// writes a result directory of tidy CSV and JSON files.
//
// Usage:
//
//	smesim run [FILE|BUILTIN] [--out DIR] [--seed N] [--steps N] [--replications N] [--workers N] [--arms LIST] [--record full|aggregate]
//	smesim validate FILE
//	smesim scenarios
//	smesim init [BUILTIN]
//	smesim network export [FILE|BUILTIN] --out PATH [--format csv|dot|gexf] [--replication R]
//	smesim bench [--firms LIST] [--threads LIST] [--steps N]
//
// Flags may come before or after the scenario argument. Exit status: 0 on
// success, 2 for bad input (a scenario error, a bad flag or argument, an
// unknown command or built-in, a missing file), 130 when interrupted, 1 for
// any other failure. Errors are one line on stderr, "smesim: MESSAGE".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
)

// version is the smesim version; release builds set it with
// -ldflags "-X main.version=v1.2.3". When empty, the module version from
// the build info is used.
var version = ""

func smesimVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// env is what every command's logic gets besides its options: where to
// write, and the command line (recorded in meta.json).
type env struct {
	stdout, stderr io.Writer
	args           []string
}

// app builds the command-line application writing to stdout and stderr. Its
// ExitErrHandler does nothing: run maps errors to messages and exit codes.
func app(stdout, stderr io.Writer) *cli.App {
	return appFor(&env{stdout: stdout, stderr: stderr})
}

func appFor(e *env) *cli.App {
	a := &cli.App{
		Name:    "smesim",
		Usage:   "agent-based simulation of SME supply chains: shocks, failure cascades and interventions",
		Version: smesimVersion(),
		Description: "smesim reads a scenario (a TOML file or a built-in name), simulates its production\n" +
			"network of core enterprises and SMEs under shocks, and writes tidy CSV and JSON results.\n" +
			"Flags may be given before or after the scenario argument.\n\n" +
			"Exit status: 0 ok, 2 bad input (scenario error, bad flag or argument, unknown command,\n" +
			"missing file), 130 interrupted, 1 any other failure.",
		Writer:                 e.stdout,
		ErrWriter:              e.stderr,
		Suggest:                true,
		UseShortOptionHandling: false,
		ExitErrHandler:         func(*cli.Context, error) {},
		OnUsageError:           usageError,
		Commands: []*cli.Command{
			runCommand(e),
			sweepCommand(e),
			mergeCommand(e),
			plotCommand(e),
			compareCommand(e),
			checkFactsCommand(e),
			validateCommand(e),
			scenariosCommand(e),
			initCommand(e),
			networkCommand(e),
			benchCommand(e),
			sensitivityCommand(e),
		},
	}
	a.Action = unknownCommand(a.Commands)
	return a
}

// run runs the application on args (args[0] is the program name) and
// returns the exit status. Errors are printed as one line on stderr.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: stdout, stderr: stderr, args: args}
	a := appFor(e)
	err := a.RunContext(ctx, reorderArgs(a, args))
	if err == nil {
		return 0
	}
	code := exitCode(err)
	fmt.Fprintf(stderr, "smesim: %s\n", oneLine(err.Error()))
	return code
}

// inputError marks an error caused by the user's input: exit status 2.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// badInput marks err as bad input.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &inputError{err}
}

// badInputf is badInput(fmt.Errorf(format, args...)).
func badInputf(format string, args ...any) error { return badInput(fmt.Errorf(format, args...)) }

// exitCode maps an error to the exit status.
func exitCode(err error) int {
	var ie *inputError
	var se *scenarios.Error
	var ne *sim.ScenarioError
	var ec cli.ExitCoder
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ie), errors.As(err, &se), errors.As(err, &ne), errors.Is(err, os.ErrNotExist):
		return 2
	case errors.Is(err, context.Canceled):
		return 130
	case errors.As(err, &ec):
		if c := ec.ExitCode(); c == 3 || c == 2 { // cli uses 3 for "No help topic"
			return 2
		}
		return 1
	}
	return 1
}

// usageError turns a flag-parsing error into one line of bad input.
func usageError(c *cli.Context, err error, isSubcommand bool) error {
	name, flags := "smesim", c.App.Flags
	if c.Command != nil && c.Command.Name != "" {
		name, flags = c.Command.HelpName, c.Command.Flags
	}
	msg := err.Error()
	if bad, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		msg = "unknown flag " + bad
		if s := cli.SuggestFlag(flags, strings.TrimLeft(bad, "-"), false); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
	}
	return badInputf("%s (see '%s --help')", msg, name)
}

// unknownCommand is the action of a command that only holds subcommands: it
// shows help when called alone and rejects anything else, suggesting the
// nearest command.
func unknownCommand(cmds []*cli.Command) cli.ActionFunc {
	return func(c *cli.Context) error {
		if !c.Args().Present() {
			if c.Command != nil && c.Command.Name != "" {
				return cli.ShowSubcommandHelp(c)
			}
			return cli.ShowAppHelp(c)
		}
		name := c.Args().First()
		where := "smesim"
		if c.Command != nil && c.Command.Name != "" {
			where = c.Command.HelpName
		}
		var visible []*cli.Command
		for _, cmd := range cmds {
			if !cmd.Hidden {
				visible = append(visible, cmd)
			}
		}
		msg := fmt.Sprintf("unknown command %q for %s", name, where)
		if s := cli.SuggestCommand(visible, name); s != "" {
			msg += ". " + s
		}
		return badInputf("%s (see '%s --help')", msg, where)
	}
}

// noArgs rejects positional arguments.
func noArgs(c *cli.Context) error {
	if c.Args().Present() {
		return badInputf("%s takes no arguments, got %q", c.Command.HelpName, c.Args().Slice())
	}
	return nil
}

// atMostOneArg returns the single optional positional argument.
func atMostOneArg(c *cli.Context, what string) (string, error) {
	switch c.NArg() {
	case 0:
		return "", nil
	case 1:
		return c.Args().First(), nil
	}
	return "", badInputf("%s takes at most one %s, got %d arguments: %s", c.Command.HelpName, what, c.NArg(), strings.Join(c.Args().Slice(), " "))
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// reorderArgs moves the flags of the command being invoked (with their
// values) before its positional arguments, so that "smesim run base.toml
// --seed 9" works although urfave/cli v2 stops parsing flags at the first
// positional argument. It follows the command path (skipping the app's own
// flags), and for the leaf command puts every flag token first, keeping the
// relative order of flags and of positionals. A flag that takes a value
// (any flag but a bool) carries the next token along unless written
// --flag=value. Everything after "--" stays positional. Unknown flags are
// moved as single tokens and rejected by the parser. A help flag on the
// leaf command drops the other arguments: help is all that is asked for.
func reorderArgs(a *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	cmds := a.Commands
	i := 1
	var leaf *cli.Command
	for i < len(args) {
		t := args[i]
		if t == "--" {
			return append(out, args[i:]...)
		}
		if strings.HasPrefix(t, "-") && t != "-" {
			out = append(out, t) // a flag of the app or of a parent command: all are bools
			i++
			continue
		}
		if t == "help" || t == "h" {
			return append(out, args[i:]...) // the help command takes command names
		}
		var found *cli.Command
		for _, c := range cmds {
			if c.HasName(t) {
				found = c
			}
		}
		if found == nil {
			return append(out, args[i:]...) // unknown command or argument: leave it to cli
		}
		out = append(out, t)
		i++
		if len(found.Subcommands) == 0 {
			leaf = found
			break
		}
		cmds = found.Subcommands
	}
	if leaf == nil {
		return out
	}
	var flags, pos, rest []string
	for ; i < len(args); i++ {
		t := args[i]
		if t == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if !strings.HasPrefix(t, "-") || t == "-" {
			pos = append(pos, t)
			continue
		}
		name := strings.TrimLeft(t, "-")
		if name == "help" || name == "h" {
			// cli reads "cmd --help ARG" as help on a subcommand ARG:
			// help on the command itself is meant.
			return append(out, "--help")
		}
		flags = append(flags, t)
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue(leaf, name) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	out = append(out, flags...)
	if len(rest) > 0 {
		// "--" ends the flags: put it before all positionals.
		out = append(out, "--")
		out = append(out, pos...)
		return append(out, rest[1:]...)
	}
	return append(out, pos...)
}

// takesValue reports whether the flag name of cmd takes a value.
func takesValue(cmd *cli.Command, name string) bool {
	for _, f := range cmd.Flags {
		for _, n := range f.Names() {
			if n == name {
				if df, ok := f.(cli.DocGenerationFlag); ok {
					return df.TakesValue()
				}
				return true
			}
		}
	}
	return false
}

// builtinNames lists the built-in scenarios' names.
func builtinNames() []string {
	var names []string
	for _, b := range scenarios.Builtins() {
		names = append(names, b.Name)
	}
	return names
}

func isBuiltin(name string) bool {
	for _, n := range builtinNames() {
		if n == name {
			return true
		}
	}
	return false
}

// openScenario opens a scenario file or built-in ("" is the default
// built-in). Every failure is bad input.
func openScenario(arg string) (*sim.Config, error) {
	cfg, err := scenarios.Open(arg)
	if err != nil {
		return nil, badInput(err)
	}
	// A network read from files is checked now, once, rather than by
	// every run (where the error would name a replication).
	if cfg.Network.Generator == "file" {
		if _, err := sim.BuildNetwork(cfg, 0); err != nil {
			return nil, badInputf("%s: %w", scenarioLabel(arg), err)
		}
	}
	return cfg, nil
}

// scenarioLabel names the scenario arg in messages.
func scenarioLabel(arg string) string {
	if arg == "" {
		return "default"
	}
	return arg
}
