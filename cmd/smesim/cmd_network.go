package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/sim"
	"github.com/smesim/smesim/sim/network"
	"github.com/smesim/smesim/sim/results"
)

// exportOptions are the flags of smesim network export.
type exportOptions struct {
	format      string // csv, dot or gexf; "" to infer from out
	out         string
	replication int
}

var exportFormats = []string{"csv", "dot", "gexf"}

func networkCommand(e *env) *cli.Command {
	export := &cli.Command{
		Name:      "export",
		Usage:     "write a scenario's network as CSV, DOT (Graphviz) or GEXF (Gephi)",
		ArgsUsage: "[FILE|BUILTIN]",
		Description: "Builds the network of the scenario in FILE, or of the built-in BUILTIN (default:\n" +
			"\"default\"), exactly as a run of replication R builds it, and writes it to --out:\n" +
			"  csv   PATH is a directory (created if needed) receiving edges.csv (supplier,buyer,weight)\n" +
			"        and firms.csv (the firm attributes); the pair can be loaded back with\n" +
			"        generator = \"file\"\n" +
			"  dot   PATH is a Graphviz file\n" +
			"  gexf  PATH is a GEXF 1.2 file for Gephi\n" +
			"Each file is written to a temporary file and renamed into place.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "`PATH` to write: a directory for csv, a file for dot and gexf (required)"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "`FORMAT` to write: csv, dot or gexf", DefaultText: "from the extension of --out: .dot or .gv is dot, .gexf is gexf, otherwise csv"},
			&cli.IntFlag{Name: "replication", Usage: "0-based replication `R` whose network to export (networks are random per replication)", Value: 0},
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			return runNetworkExport(c.Context, e, exportOptions{format: c.String("format"), out: c.String("out"), replication: c.Int("replication")}, arg)
		},
	}
	cmd := &cli.Command{
		Name:            "network",
		Usage:           "work with a scenario's production network",
		Subcommands:     []*cli.Command{export},
		HideHelpCommand: true,
		OnUsageError:    usageError,
	}
	cmd.Action = unknownCommand(cmd.Subcommands)
	return cmd
}

// runNetworkExport builds the network of replication opts.replication and
// writes it in opts.format.
func runNetworkExport(ctx context.Context, e *env, opts exportOptions, arg string) error {
	if opts.out == "" {
		return badInputf("network export: --out PATH is required (see 'smesim network export --help')")
	}
	format := opts.format
	if format == "" {
		switch strings.ToLower(filepath.Ext(opts.out)) {
		case ".dot", ".gv":
			format = "dot"
		case ".gexf":
			format = "gexf"
		default:
			format = "csv"
		}
	}
	known := false
	for _, f := range exportFormats {
		known = known || f == format
	}
	if !known {
		return badInputf("--format %q: allowed values are %s", format, strings.Join(exportFormats, ", "))
	}
	if opts.replication < 0 {
		return badInputf("--replication %d: must be 0 or more", opts.replication)
	}
	cfg, err := openScenario(arg)
	if err != nil {
		return err
	}
	if err := checkMemory(cfg, 1, 0); err != nil {
		return err
	}
	// Building a large network takes seconds and cannot be stopped
	// midway; it writes nothing, so a signal returns at once.
	type built struct {
		net *network.Network
		err error
	}
	ch := make(chan built, 1)
	go func() {
		net, err := sim.BuildNetwork(cfg, opts.replication)
		ch <- built{net, err}
	}()
	var b built
	select {
	case b = <-ch:
	case <-ctx.Done():
		return &interruptError{"interrupted; nothing was written", ctx.Err()}
	}
	net, err := b.net, b.err
	if err != nil {
		return err
	}
	switch format {
	case "csv":
		if fi, err := os.Stat(opts.out); err == nil && !fi.IsDir() {
			return badInputf("--out %s: exists and is not a directory (csv writes edges.csv and firms.csv into a directory)", opts.out)
		}
		if err := os.MkdirAll(opts.out, 0o755); err != nil {
			return err
		}
		// Both files are rendered in memory first so that a failure leaves
		// neither behind.
		var edges, firms strings.Builder
		if err := net.WriteCSV(&edges, &firms); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(opts.out, "edges.csv"), func(w io.Writer) error {
			_, err := io.WriteString(w, edges.String())
			return err
		}); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(opts.out, "firms.csv"), func(w io.Writer) error {
			_, err := io.WriteString(w, firms.String())
			return err
		}); err != nil {
			return err
		}
	case "dot":
		if err := writeFileAtomic(opts.out, net.WriteDOT); err != nil {
			return err
		}
	case "gexf":
		if err := writeFileAtomic(opts.out, net.WriteGEXF); err != nil {
			return err
		}
	}
	pool := net.EntryPool()
	fmt.Fprintf(e.stdout, "wrote %s (%s: %d firms%s, %d edges)\n", opts.out, format, net.N()-pool, results.PoolWords(pool), net.E())
	return nil
}

// writeFileAtomic writes path through write atomically (see
// results.AtomicFile): on error nothing is left behind, and an existing
// file at path is untouched.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return badInputf("%s is a directory", path)
	}
	return results.WriteFileAtomic(path, write)
}
