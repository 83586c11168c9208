// Command smesim runs agent-based simulations of SME supply chains: it reads
// a TOML scenario (or a built-in one), runs its Monte Carlo replications and
// writes a result directory of tidy CSV and JSON files.
//
// Usage:
//
//	smesim run [FILE|BUILTIN] [--out DIR] [--seed N] [--steps N] [--replications N] [--workers N] [--arms LIST] [--record full|aggregate]
//	smesim decompose [FILE|BUILTIN] [--metric EFFECT] [--replications N] [--workers N] [--out DIR]
//	smesim validate FILE
//	smesim scenarios
//	smesim init [BUILTIN]
//	smesim network export [FILE|BUILTIN] --out PATH [--format csv|dot|gexf] [--replication R]
//	smesim bench [--firms LIST] [--threads LIST] [--steps N]
//	smesim serve [--addr HOST:PORT]
//
// Flags may come before or after the scenario argument. Exit status: 0 on
// success, 2 for bad input (a scenario error, a bad flag or argument, an
// unknown command or built-in, a missing file), 130 when interrupted (by
// SIGINT or SIGTERM, within a second), 1 for any other failure; a crash (a
// bug) dies of SIGABRT with a stack trace. Errors are one line on stderr,
// "smesim: MESSAGE".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/results"
)

// version is the smesim version; release builds set it with
// -ldflags "-X main.version=v1.2.3". When empty, the module version from
// the build info is used.
var version = ""

func smesimVersion() string {
	if version != "" {
		return version
	}
	return results.BuildVersion()
}

func main() {
	crashBySignal()
	// SIGINT last: a process started with SIGINT ignored catches it from
	// here on, after SIGTERM, which tells an observer (signal_test.go)
	// that both signals now stop the command.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	// The command and the signal's deadline may both end the process:
	// whichever comes first prints its message and exits, alone.
	var once sync.Once
	exit := func(code int, msg string) {
		once.Do(func() {
			fmt.Fprint(os.Stderr, msg)
			os.Exit(code)
		})
	}
	go stopAfterSignal(ctx, stop, exit)
	exit(execute(ctx, os.Args, os.Stdout, os.Stderr))
}

// interruptGrace is how long a command may take to stop after SIGINT or
// SIGTERM: every command checks its context often enough to stop well
// within it, removing what it was writing.
const interruptGrace = 900 * time.Millisecond

// stopAfterSignal waits for ctx to be cancelled by a signal, then restores
// the signals' default action (so that a second Ctrl-C kills at once) and,
// should the command not have returned within interruptGrace, exits 130:
// a command must never outlive a signal by more than a second. What such a
// command was writing is a temporary file or directory (*.tmp-*), which
// the next command writing there removes.
func stopAfterSignal(ctx context.Context, stop context.CancelFunc, exit func(code int, msg string)) {
	<-ctx.Done()
	stop()
	time.Sleep(interruptGrace)
	exit(130, "smesim: interrupted\n")
}

// crashBySignal makes a crash (an unrecovered panic in any goroutine, or a
// fatal error of the runtime such as running out of memory) die of SIGABRT
// with every goroutine's stack, rather than exit with status 2, the status
// of bad input. The soft limit on core files is set to 0 so that the crash
// leaves no core file in the user's directory (GOTRACEBACK=crash asks for
// one).
func crashBySignal() {
	debug.SetTraceback("crash")
	noCoreFiles()
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
			frontierCommand(e),
			optimiseCommand(e),
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
			decomposeCommand(e),
			calibrateCommand(e),
			atlasCommand(e),
			serveCommand(e),
		},
	}
	a.Action = unknownCommand(a.Commands)
	return a
}

// run runs the application on args (args[0] is the program name) and
// returns the exit status. Errors are printed as one line on stderr.
func run(args []string, stdout, stderr io.Writer) int {
	code, msg := execute(context.Background(), args, stdout, stderr)
	fmt.Fprint(stderr, msg)
	return code
}

// execute runs the application on args under ctx, whose cancellation (by
// a signal) interrupts the command, and returns the exit status and the
// message to print on stderr ("" on success; otherwise one line
// "smesim: …\n"). A panic in the command's goroutine is a bug: its
// message holds the stack, and the status is 1.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) (code int, msg string) {
	defer func() {
		if p := recover(); p != nil {
			code, msg = 1, fmt.Sprintf("smesim: internal error (a bug; please report it with this message): panic: %v\n%s", p, debug.Stack())
		}
	}()
	e := &env{stdout: stdout, stderr: stderr, args: args}
	a := appFor(e)
	err := a.RunContext(ctx, reorderArgs(a, args))
	if err == nil {
		return 0, ""
	}
	return exitCode(err), fmt.Sprintf("smesim: %s\n", oneLine(err.Error()))
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

// usageError turns a flag-parsing error into one line of bad input: an
// unknown flag with the nearest known one (or, for a command's flag given
// before the command, where to put it), a value that does not parse with
// the flag's name and what it allows.
func usageError(c *cli.Context, err error, isSubcommand bool) error {
	name, flags := "smesim", c.App.Flags
	if c.Command != nil && c.Command.Name != "" {
		name, flags = c.Command.HelpName, c.Command.Flags
	}
	msg := err.Error()
	if bad, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		if len(bad) > 40 {
			bad = clip(bad)
		}
		msg = "unknown flag " + bad
		var owners []string
		if name == "smesim" {
			owners = commandsWithFlag(c.App.Commands, strings.TrimLeft(bad, "-"))
		}
		if len(owners) > 0 {
			flag := "-" + strings.TrimLeft(bad, "-")
			if len(flag) > 2 {
				flag = "-" + flag
			}
			// Each command is named once after "smesim", so that the
			// line stays short as commands gain the flag.
			msg = fmt.Sprintf("%s is a flag of smesim %s: put it after the command, as in 'smesim %s %s …'",
				flag, strings.Join(owners, ", "), owners[0], flag)
		} else if s := cli.SuggestFlag(flags, strings.TrimLeft(bad, "-"), false); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
	} else if m := invalidValue.FindStringSubmatch(msg); m != nil {
		msg = badValue(flags, m[2], m[1])
	}
	return badInputf("%s (see '%s --help')", msg, name)
}

// invalidValue matches the flag package's error for a value that does not
// parse: the value and the flag's name.
var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([^:]+): `)

// badValue says that value does not parse as the flag name of flags, and
// what the flag allows: the kind of number and, when its usage ends with
// one in parentheses, its range ("1 to 100000", "at least 1").
func badValue(flags []cli.Flag, name, value string) string {
	what := "a valid value"
	var usage string
	for _, f := range flags {
		if !slices.Contains(f.Names(), name) {
			continue
		}
		name = f.Names()[0]
		switch f.(type) {
		case *cli.IntFlag, *cli.Int64Flag, *cli.UintFlag, *cli.Uint64Flag:
			what = "a whole number"
		case *cli.Float64Flag:
			what = "a number"
		case *cli.DurationFlag:
			what = "a duration such as 90s or 2h"
		case *cli.BoolFlag:
			what = "true or false"
			continue // no range to quote
		default:
			continue
		}
		if d, ok := f.(cli.DocGenerationFlag); ok {
			usage = d.GetUsage() // it may say the range, e.g. "(1 to 100000)"
		}
	}
	if m := usageRange.FindStringSubmatch(usage); m != nil {
		what += ", " + m[1]
	}
	return fmt.Sprintf("--%s %s: must be %s", name, clip(value), what)
}

// clip quotes s for a message, cut to 40 bytes: a message is one line
// however long the input.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("… (%d bytes)", len(s))
}

// usageRange matches a range in parentheses at the end of a flag's usage.
var usageRange = regexp.MustCompile(`\(((?:-?\d+ to -?\d+)|(?:at least -?\d+)|(?:at most -?\d+))\)`)

// commandsWithFlag returns the full names of the commands (and
// subcommands) among cmds that have a flag called name.
func commandsWithFlag(cmds []*cli.Command, name string) []string {
	var out []string
	for _, c := range cmds {
		if c.Name == "help" {
			continue // its subcommands are the other commands
		}
		for _, f := range c.Flags {
			if slices.Contains(f.Names(), name) {
				out = append(out, c.Name)
				break
			}
		}
		for _, sub := range commandsWithFlag(c.Subcommands, name) {
			out = append(out, c.Name+" "+sub)
		}
	}
	return out
}

// requireFlag returns bad input unless the flag name (which takes a value
// written meta in the help) is given: the command cannot do without it.
func requireFlag(c *cli.Context, name, meta string) error {
	if c.String(name) != "" {
		return nil
	}
	return badInputf("%s needs --%s %s (see '%s --help')", c.Command.HelpName, name, meta, c.Command.HelpName)
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
		msg := fmt.Sprintf("unknown command %s for %s", clip(name), where)
		// The fewest edits first: cli's Jaro-Winkler ranks "frontier"
		// above "run" for "rn".
		var names []string
		for _, cmd := range visible {
			names = append(names, cmd.Names()...)
		}
		if best, ok := config.Closest(name, names); ok {
			msg += fmt.Sprintf(". Did you mean %q?", best)
		} else if s := cli.SuggestCommand(visible, name); s != "" {
			msg += ". " + s
		}
		return badInputf("%s (see '%s --help')", msg, where)
	}
}

// noArgs rejects positional arguments.
func noArgs(c *cli.Context) error {
	if c.Args().Present() {
		return badInputf("%s takes no arguments, got %s", c.Command.HelpName, clip(strings.Join(c.Args().Slice(), " ")))
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
	return "", badInputf("%s takes at most one %s, got %d arguments: %s", c.Command.HelpName, what, c.NArg(), clip(strings.Join(c.Args().Slice(), " ")))
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
//
// What reading a network file changed (network.normalise) is not an
// error: warnNetwork prints it.
func openScenario(arg string) (*config.Config, error) {
	cfg, err := scenarios.Open(arg)
	if err != nil {
		return nil, badInput(err)
	}
	// A network read from files is checked now, once, rather than by
	// every run (where the error would name a replication).
	if cfg.Network.Generator == "io-table" {
		if _, err := sim.Names(cfg); err != nil {
			return nil, badInputf("%s: %w", scenarioLabel(arg), err)
		}
	}
	if cfg.Network.Generator == "file" {
		net, err := sim.BuildNetwork(cfg, 0)
		if err == nil {
			err = sim.CheckDamageTables(cfg, net)
		}
		if err != nil {
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

// warnNormalised prints what normalising changed in cfg's network files
// (network.normalise): openScenario read them, and reads them again here
// for that, which only normalising needs.
func warnNormalised(e *env, cfg *config.Config) {
	if !cfg.Network.Normalise {
		return
	}
	if net, err := sim.BuildNetwork(cfg, 0); err == nil {
		warnNetwork(e, net)
	}
}

// warnNetwork prints, one line each on stderr, what reading net's files
// changed in them (weights normalised with network.normalise).
func warnNetwork(e *env, net *network.Network) {
	for _, w := range net.Warnings {
		fmt.Fprintf(e.stderr, "smesim: warning: %s\n", w)
	}
}
