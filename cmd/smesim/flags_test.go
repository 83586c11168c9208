package main

import (
	"os"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestFlagErrors is issue 13 defects 10 and 12: a missing required flag
// exited 1, a --progress value outside its list was accepted, a command's
// flag before the command suggested --version and a value that does not
// parse said only "parse error". Every such error is one line, exit 2,
// naming the flag and what it allows, and nothing is written.
func TestFlagErrors(t *testing.T) {
	dir := inTempDir(t)
	cases := []struct {
		args []string
		want []string
	}{
		// Required flags.
		{[]string{"compare", "a", "b"}, []string{"smesim compare needs --out DIR"}},
		{[]string{"merge", "a"}, []string{"smesim merge needs --out DIR"}},
		// Every flag with a list of allowed values, each command.
		{[]string{"run", "small", "--progress", "xml"}, []string{`--progress "xml"`, "auto, json, none"}},
		{[]string{"sweep", "small", "--progress", "xml"}, []string{`--progress "xml"`, "auto, json, none"}},
		{[]string{"run", "small", "--record", "some"}, []string{`--record "some"`, "full, aggregate"}},
		{[]string{"sweep", "small", "--record", "some"}, []string{`--record "some"`, "full, aggregate"}},
		{[]string{"run", "small", "--plots", "gif"}, []string{"--plots", `"gif"`, "png, svg, pdf"}},
		{[]string{"sweep", "small", "--plots", "gif"}, []string{"--plots", `"gif"`, "png, svg, pdf"}},
		{[]string{"merge", "a", "--out", "m", "--plots", "gif"}, []string{"--plots", `"gif"`}},
		{[]string{"plot", "a", "--plots", "gif"}, []string{"--plots", `"gif"`}},
		{[]string{"compare", "a", "b", "--out", "c", "--plots", "gif"}, []string{"--plots", `"gif"`}},
		{[]string{"run", "small", "--shard", "2/2", "--out", "s"}, []string{"--shard", `"2/2"`, "0 ≤ I < N"}},
		{[]string{"network", "export", "--out", "n", "--format", "svg"}, []string{`"svg"`, "csv, dot, gexf"}},
		// A command's flag before the command.
		{[]string{"-r", "2", "run", "small"}, []string{"-r is a flag of smesim run", "put it after the command", "smesim run -r"}},
		{[]string{"--out", "x", "network", "export"}, []string{"--out is a flag of smesim run, sweep", ", network export, ", "'smesim run --out …'"}},
		// Values that do not parse: the flag and what it allows.
		{[]string{"run", "small", "--steps", "10w"}, []string{`--steps "10w": must be a whole number, 1 to 100000`}},
		{[]string{"run", "small", "--seed", "-1"}, []string{`--seed "-1": must be a whole number, 0 to 9223372036854775807`}},
		{[]string{"sweep", "small", "--workers", "1.5"}, []string{`--workers "1.5": must be a whole number, at least 1`}},
		{[]string{"check-facts", "small", "-r", "x"}, []string{`--replications "x": must be a whole number, 1 to 100000`}},
		{[]string{"bench", "--steps", "1e3"}, []string{`--steps "1e3": must be a whole number, 1 to 100000`}},
		{[]string{"network", "export", "--replication", "one"}, []string{`--replication "one": must be a whole number`}},
		{[]string{"run", "--steps", strings.Repeat("9", 5000)}, []string{`--steps "9999`, "(5000 bytes)"}},
		// Long arguments are clipped: a message is one short line.
		{[]string{strings.Repeat("x", 100000)}, []string{`unknown command "xxxx`, "(100000 bytes)"}},
		{[]string{"run", "--" + strings.Repeat("y", 100000)}, []string{`unknown flag "-yyyy`, "(100001 bytes)"}},
		{[]string{"run", "a.toml", strings.Repeat("z", 100000)}, []string{"at most one", "bytes)"}},
		{[]string{"scenarios", strings.Repeat("z", 100000)}, []string{"no arguments", "(100000 bytes)"}},
	}
	for _, c := range cases {
		name := strings.Join(c.args, " ")
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			errs := badInputOneLine(t, c.args, c.want...)
			if len(errs) > 300 {
				t.Errorf("message of %d bytes", len(errs))
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("left %v", entries)
			}
		})
	}
}

// TestNoRequiredFlags: urfave/cli's Required flags print the help and
// exit 1; commands check their required flags themselves (requireFlag).
func TestNoRequiredFlags(t *testing.T) {
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			for _, f := range c.Flags {
				if rf, ok := f.(cli.RequiredFlag); ok && rf.IsRequired() {
					t.Errorf("%s%s --%s is Required: check it with requireFlag", prefix, c.Name, f.Names()[0])
				}
			}
			walk(prefix+c.Name+" ", c.Subcommands)
		}
	}
	walk("smesim ", app(os.Stdout, os.Stderr).Commands)
}
