package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/sim/sensitivity"
)

// sensitivityOptions are the flags of smesim sensitivity sample and analyze.
type sensitivityOptions struct {
	params  string  // --params
	method  string  // --method: sobol or morris
	n       int     // --n: base samples (sobol) or trajectories (morris)
	levels  int     // --levels (morris)
	jump    int     // --jump (morris): levels per step; 0 means levels/2
	seed    uint64  // --seed
	out     string  // --out
	samples string  // --samples (analyze)
	outputs string  // --outputs (analyze)
	boot    int     // --bootstrap (analyze)
	level   float64 // --level (analyze)
}

func sensitivityCommand(e *env) *cli.Command {
	common := func() []cli.Flag {
		return []cli.Flag{
			&cli.StringFlag{Name: "params", Usage: "parameters `FILE`: TOML [[uncertain]] tables, or CSV (.csv) with one row per parameter: name, distribution and its parameters, source"},
			&cli.StringFlag{Name: "method", Value: "sobol", Usage: "`METHOD`: sobol (Saltelli design, Sobol indices) or morris (trajectories, elementary effects)"},
			&cli.IntFlag{Name: "levels", Value: 4, Usage: "morris: `P` levels of each parameter's grid (even)"},
			jumpFlag(),
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "`S` seeds the scrambling of the Sobol sequence, the Morris trajectories and the bootstrap"},
		}
	}
	cmd := &cli.Command{
		Name:  "sensitivity",
		Usage: "global sensitivity analysis of any model: write a design of parameter values, analyse the outputs",
		Description: "Like SALib's command line, works on a model smesim does not run: 'sample' writes a CSV\n" +
			"of parameter values (a row id and one column per parameter); evaluate your model on each\n" +
			"row; 'analyze' reads the outputs and writes Sobol indices (S1, ST) or Morris measures\n" +
			"(mu, mu_star, sigma) with bootstrap confidence intervals. See docs/sensitivity.md.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Subcommands: []*cli.Command{
			sensitivityRunCommand(e),
			{
				Name:      "sample",
				Usage:     "write a design of parameter values to evaluate",
				ArgsUsage: " ",
				Description: "Writes the design as CSV: a header \"id,NAME…\" and one row per model evaluation.\n" +
					"sobol: N base samples give N(k+2) rows (A, the k AB_i, B for each base sample) from a\n" +
					"scrambled Sobol sequence; N is a power of two. morris: N trajectories of k+1 rows each.",
				HideHelpCommand: true,
				OnUsageError:    usageError,
				Flags: append(common(),
					&cli.IntFlag{Name: "n", Usage: "sobol: `N` base samples (a power of two); morris: N trajectories", DefaultText: "none"},
					&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the design to `FILE`"},
				),
				Action: func(c *cli.Context) error {
					if err := noArgs(c); err != nil {
						return err
					}
					if err := requireFlags(c, "params", "n", "out"); err != nil {
						return err
					}
					opts, err := sensitivityFlags(c)
					if err != nil {
						return err
					}
					opts.n, opts.out = c.Int("n"), c.String("out")
					return runSensitivitySample(c.Context, e, opts)
				},
			},
			{
				Name:      "analyze",
				Aliases:   []string{"analyse"},
				Usage:     "compute sensitivity indices from a design and the model's outputs on it",
				ArgsUsage: " ",
				Description: "Reads the design (--samples, as written by 'sample' with the same --params, --method,\n" +
					"--seed and --levels, which it checks) and the outputs (--outputs: a CSV with one column\n" +
					"per output, one row per design row, and optionally an id column matching the design's).\n" +
					"Writes a tidy CSV of indices (output, parameter, index, value, lo, hi) to --out and prints\n" +
					"a table. Indices: S1 and ST (sobol), mu, mu_star and sigma (morris); lo and hi are the\n" +
					"bootstrap percentile interval at --level (empty when there is none).",
				HideHelpCommand: true,
				OnUsageError:    usageError,
				Flags: append(common(),
					&cli.StringFlag{Name: "samples", Usage: "the design `FILE` written by 'sample'"},
					&cli.StringFlag{Name: "outputs", Usage: "CSV `FILE` of the model's outputs on the design"},
					&cli.IntFlag{Name: "bootstrap", Value: 1000, Usage: "`B` bootstrap resamples for the intervals (0: none)"},
					&cli.Float64Flag{Name: "level", Value: 0.95, Usage: "confidence `LEVEL` of the intervals"},
					&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the indices to CSV `FILE`"},
				),
				Action: func(c *cli.Context) error {
					if err := noArgs(c); err != nil {
						return err
					}
					if err := requireFlags(c, "params", "samples", "outputs", "out"); err != nil {
						return err
					}
					opts, err := sensitivityFlags(c)
					if err != nil {
						return err
					}
					opts.samples, opts.outputs, opts.out = c.String("samples"), c.String("outputs"), c.String("out")
					opts.boot, opts.level = c.Int("bootstrap"), c.Float64("level")
					if opts.boot < 0 || opts.boot > 100000 {
						return badInputf("--bootstrap %d: must be from 0 to 100000", opts.boot)
					}
					if !(opts.level > 0 && opts.level < 1) {
						return badInputf("--level %v: must be between 0 and 1", opts.level)
					}
					return runSensitivityAnalyze(c.Context, e, opts)
				},
			},
		},
	}
	cmd.Action = unknownCommand(cmd.Subcommands)
	return cmd
}

// requireFlags rejects a command line missing any of the flags names.
func requireFlags(c *cli.Context, names ...string) error {
	var missing []string
	for _, n := range names {
		if !c.IsSet(n) {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) > 0 {
		return badInputf("%s needs %s (see '%s --help')", c.Command.HelpName, strings.Join(missing, ", "), c.Command.HelpName)
	}
	return nil
}

// jumpFlag is --jump of every command that draws a Morris design.
func jumpFlag() cli.Flag {
	return &cli.IntFlag{Name: "jump", Usage: "morris: each step moves a parameter by `J` levels of its grid (1 to P-1), Δ = J/(P-1)", DefaultText: "P/2"}
}

func sensitivityFlags(c *cli.Context) (sensitivityOptions, error) {
	opts := sensitivityOptions{params: c.String("params"), method: c.String("method"), levels: c.Int("levels"), seed: c.Uint64("seed")}
	if opts.method != "sobol" && opts.method != "morris" {
		return opts, badInputf("--method %q: must be sobol or morris", opts.method)
	}
	for _, name := range []string{"levels", "jump"} {
		if opts.method != "morris" && c.IsSet(name) {
			return opts, badInputf("--%s applies to --method morris, not %s", name, opts.method)
		}
	}
	if c.IsSet("jump") {
		opts.jump = c.Int("jump")
		if opts.jump < 1 || opts.jump >= opts.levels {
			return opts, badInputf("--jump %d: must be from 1 to %d levels (one less than --levels %d)", opts.jump, max(opts.levels-1, 1), opts.levels)
		}
	}
	return opts, nil
}

// morrisJump is the step of opts's Morris design in levels: --jump, or
// the standard levels/2.
func (o sensitivityOptions) morrisJump() int {
	if o.jump > 0 {
		return o.jump
	}
	return o.levels / 2
}

// design is a Saltelli or Morris design seen as blocks of rows.
type design struct {
	names     []string
	blocks    int // base samples or trajectories
	blockSize int // rows per block
	fill      func(b int, rows [][]float64)
	saltelli  *sensitivity.Saltelli
	morris    *sensitivity.Morris
}

func (d *design) rows() int { return d.blocks * d.blockSize }

// newDesign builds the design of opts with blocks blocks.
func newDesign(params []sensitivity.Param, opts sensitivityOptions, blocks int) (*design, error) {
	d := &design{blocks: blocks}
	for _, p := range params {
		d.names = append(d.names, p.Name)
	}
	k := len(params)
	switch opts.method {
	case "sobol":
		s, err := sensitivity.NewSaltelli(params, blocks, opts.seed)
		if err != nil {
			return nil, err
		}
		d.saltelli, d.blockSize, d.fill = s, k+2, s.Block
	case "morris":
		m, err := sensitivity.NewMorrisJump(params, blocks, opts.levels, opts.morrisJump(), opts.seed)
		if err != nil {
			return nil, err
		}
		d.morris, d.blockSize = m, k+1
		d.fill = func(b int, rows [][]float64) { m.Trajectory(b, rows) }
	default:
		return nil, fmt.Errorf("--method %q: must be sobol or morris", opts.method)
	}
	return d, nil
}

// loadDesignParams reads the parameters file of opts and checks its
// method, which sample and analyze both need before anything else.
func loadDesignParams(opts sensitivityOptions) ([]sensitivity.Param, error) {
	params, err := loadUncertain(opts.params)
	if err != nil {
		return nil, err
	}
	if opts.method != "sobol" && opts.method != "morris" {
		return nil, badInputf("--method %q: must be sobol or morris", opts.method)
	}
	return params, nil
}

// runSensitivitySample writes the design of opts to opts.out.
func runSensitivitySample(ctx context.Context, e *env, opts sensitivityOptions) error {
	params, err := loadDesignParams(opts)
	if err != nil {
		return err
	}
	d, err := newDesign(params, opts, opts.n)
	if err != nil {
		return badInputf("%s, --n %d: %v", opts.params, opts.n, err)
	}
	err = writeFileAtomic(opts.out, func(w io.Writer) error {
		rows := newRows(d.blockSize, len(params))
		fmt.Fprintf(w, "id,%s\n", strings.Join(csvNames(d.names), ","))
		buf := make([]byte, 0, 64)
		id := 0
		for b := range d.blocks {
			if b%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			d.fill(b, rows)
			for _, row := range rows {
				id++
				buf = strconv.AppendInt(buf[:0], int64(id), 10)
				for _, v := range row {
					buf = append(buf, ',')
					buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
				}
				buf = append(buf, '\n')
				if _, err := w.Write(buf); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d rows, %d parameters (%s)\n", opts.out, d.rows(), len(params), describeDesign(d, opts))
	return nil
}

func describeDesign(d *design, opts sensitivityOptions) string {
	if d.saltelli != nil {
		return fmt.Sprintf("sobol: %d base samples × (k+2), seed %d", d.blocks, opts.seed)
	}
	return fmt.Sprintf("morris: %d trajectories × (k+1), %d levels, jump %d, seed %d", d.blocks, opts.levels, opts.morrisJump(), opts.seed)
}

func newRows(n, k int) [][]float64 {
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = make([]float64, k)
	}
	return rows
}

// csvNames quotes names for a CSV header where needed.
func csvNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		if strings.ContainsAny(n, ",\"\n\r") {
			n = `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
		}
		out[i] = n
	}
	return out
}

// runSensitivityAnalyze checks the design file against the design of
// opts, reads the outputs and writes the indices.
func runSensitivityAnalyze(ctx context.Context, e *env, opts sensitivityOptions) error {
	params, err := loadDesignParams(opts)
	if err != nil {
		return err
	}
	rows, err := checkDesign(ctx, params, opts)
	if err != nil {
		return err
	}
	k := len(params)
	block := k + 2
	if opts.method == "morris" {
		block = k + 1
	}
	if rows == 0 || rows%block != 0 {
		return badInputf("%s: %d rows are not a %s design of %d parameters: need a positive multiple of %d", opts.samples, rows, opts.method, k, block)
	}
	d, err := newDesign(params, opts, rows/block)
	if err != nil {
		return badInputf("%s: %v", opts.samples, err)
	}
	names, values, err := readOutputs(ctx, opts, rows)
	if err != nil {
		return err
	}
	boot := sensitivity.Bootstrap{Resamples: opts.boot, Level: opts.level, Seed: opts.seed}
	var results []indexRow
	for o, name := range names {
		rows, err := analyzeOutput(ctx, d, values[o], boot)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			return badInputf("%s: output %s: %w", opts.outputs, name, err)
		}
		for i := range rows {
			rows[i].output = name
		}
		results = append(results, rows...)
	}
	if err := writeFileAtomic(opts.out, func(w io.Writer) error { return writeIndices(w, results) }); err != nil {
		return err
	}
	printIndices(e.stdout, results, opts, d)
	fmt.Fprintf(e.stdout, "wrote %s\n", opts.out)
	return nil
}

// checkDesign reads the design file row by row, checks that each row is
// the design's (a row of a Saltelli or Morris design does not depend on
// the number of rows), and returns the number of rows.
func checkDesign(ctx context.Context, params []sensitivity.Param, opts sensitivityOptions) (int, error) {
	d, err := newDesign(params, opts, 2) // any valid size: only its rows are used
	if err != nil {
		return 0, badInputf("%s: %v", opts.params, err)
	}
	rows := newRows(d.blockSize, len(d.names))
	want := append([]string{"id"}, d.names...)
	n := 0
	err = readCSV(ctx, opts.samples, func(header []string) error {
		if !slices.Equal(header, want) {
			return badInputf("%s:1: header %q does not match the parameters of %s: want %q", opts.samples, strings.Join(header, ","), opts.params, strings.Join(want, ","))
		}
		return nil
	}, func(rec []string, line int) error {
		b, r := n/d.blockSize, n%d.blockSize
		if r == 0 {
			if b >= sensitivity.MaxBaseSamples {
				return badInputf("%s:%d: more rows than any design has", opts.samples, line)
			}
			d.fill(b, rows)
		}
		n++
		if rec[0] != strconv.Itoa(n) {
			return badInputf("%s:%d: id %q, want %d: rows must be in the design's order", opts.samples, line, rec[0], n)
		}
		for c, w := range rows[r] {
			v, err := strconv.ParseFloat(rec[c+1], 64)
			if err != nil || v != w {
				return badInputf("%s:%d: %s = %q is not the value of the %s design of %s with --seed %d%s (%v): was the file written by 'smesim sensitivity sample' with the same flags?",
					opts.samples, line, d.names[c], rec[c+1], opts.method, opts.params, opts.seed, levelsNote(opts), strconv.FormatFloat(w, 'g', -1, 64))
			}
		}
		return nil
	})
	return n, err
}

func levelsNote(opts sensitivityOptions) string {
	if opts.method == "morris" {
		return fmt.Sprintf(" and --levels %d --jump %d", opts.levels, opts.morrisJump())
	}
	return ""
}

// readOutputs reads the outputs file: every column but an "id" column is
// an output, with one finite number per design row; the ids, when there
// are, must be the design's (1 to rows).
func readOutputs(ctx context.Context, opts sensitivityOptions, rows int) ([]string, [][]float64, error) {
	idCol := -1
	var names []string
	var cols []int
	var values [][]float64
	n, last := 0, 1
	err := readCSV(ctx, opts.outputs, func(header []string) error {
		idCol = slices.Index(header, "id")
		for c, h := range header {
			if c != idCol {
				names = append(names, h)
				cols = append(cols, c)
			}
		}
		if len(names) == 0 {
			return badInputf("%s:1: no output column (the header has only %q)", opts.outputs, strings.Join(header, ","))
		}
		values = make([][]float64, len(names))
		for o := range values {
			values[o] = make([]float64, 0, rows)
		}
		return nil
	}, func(rec []string, line int) error {
		n++
		last = line
		if n > rows {
			return badInputf("%s:%d: more rows of outputs than the %d rows of %s: give one row per design row", opts.outputs, line, rows, opts.samples)
		}
		if idCol >= 0 && rec[idCol] != strconv.Itoa(n) {
			return badInputf("%s:%d: id %q, but row %d of %s has id %d: rows must be in the design's order", opts.outputs, line, rec[idCol], n, opts.samples, n)
		}
		for o, c := range cols {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return badInputf("%s:%d: %s = %q: must be a finite number", opts.outputs, line, names[o], rec[c])
			}
			values[o] = append(values[o], v)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if n < rows {
		return nil, nil, badInputf("%s:%d: %d rows of outputs for the %d rows of %s: give one row per design row", opts.outputs, last, n, rows, opts.samples)
	}
	return names, values, nil
}

// indexRow is one row of the tidy indices file.
type indexRow struct {
	output, param, index string
	value, lo, hi        float64
}

func analyzeOutput(ctx context.Context, d *design, y []float64, boot sensitivity.Bootstrap) ([]indexRow, error) {
	var rows []indexRow
	if d.saltelli != nil {
		ix, err := sensitivity.AnalyzeSobol(ctx, y, len(d.names), boot)
		if err != nil {
			return nil, err
		}
		for i, name := range d.names {
			rows = append(rows,
				indexRow{param: name, index: "S1", value: ix.S1[i].Value, lo: ix.S1[i].Lo, hi: ix.S1[i].Hi},
				indexRow{param: name, index: "ST", value: ix.ST[i].Value, lo: ix.ST[i].Lo, hi: ix.ST[i].Hi})
		}
		return rows, nil
	}
	ix, err := sensitivity.AnalyzeMorris(ctx, d.morris, y, boot)
	if err != nil {
		return nil, err
	}
	for i, name := range d.names {
		rows = append(rows,
			indexRow{param: name, index: "mu", value: ix[i].Mu, lo: math.NaN(), hi: math.NaN()},
			indexRow{param: name, index: "mu_star", value: ix[i].MuStar.Value, lo: ix[i].MuStar.Lo, hi: ix[i].MuStar.Hi},
			indexRow{param: name, index: "sigma", value: ix[i].Sigma, lo: math.NaN(), hi: math.NaN()})
	}
	return rows, nil
}

// formatNumber writes a number in full precision, NaN as empty.
func formatNumber(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func writeIndices(w io.Writer, rows []indexRow) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"output", "parameter", "index", "value", "lo", "hi"}); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write([]string{r.output, r.param, r.index, formatNumber(r.value), formatNumber(r.lo), formatNumber(r.hi)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// printIndices prints per output a table of the parameters, sorted by the
// total-order index (sobol) or mu* (morris), largest first.
func printIndices(w io.Writer, rows []indexRow, opts sensitivityOptions, d *design) {
	interval := func(r indexRow) string {
		if math.IsNaN(r.lo) {
			return fmt.Sprintf("%8.4f", r.value)
		}
		return fmt.Sprintf("%8.4f [%.4f, %.4f]", r.value, r.lo, r.hi)
	}
	pct := fmt.Sprintf("%g%%", opts.level*100)
	per := 2
	if d.morris != nil {
		per = 3
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for start := 0; start < len(rows); start += per * len(d.names) {
		group := rows[start : start+per*len(d.names)]
		fmt.Fprintf(tw, "output %s (%s, %d rows)\n", group[0].output, opts.method, d.rows())
		order := make([]int, len(d.names))
		key := make([]float64, len(d.names))
		for i := range d.names {
			order[i] = i
			key[i] = group[i*per+1].value // ST or mu_star
		}
		order = sensitivity.Ranking(key)
		if d.saltelli != nil {
			fmt.Fprintf(tw, "parameter\tS1 [%[1]s interval]\tST [%[1]s interval]\n", pct)
			for _, i := range order {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", d.names[i], interval(group[2*i]), interval(group[2*i+1]))
			}
		} else {
			fmt.Fprintf(tw, "parameter\tmu* [%s interval]\tmu\tsigma\n", pct)
			for _, i := range order {
				fmt.Fprintf(tw, "%s\t%s\t%8.4f\t%8.4f\n", d.names[i], interval(group[3*i+1]), group[3*i].value, group[3*i+2].value)
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// readCSV reads the CSV file at path record by record: header gets the
// first, record every other one with its line. Every record must have the
// header's number of fields. It stops with ctx's error when ctx is done.
func readCSV(ctx context.Context, path string, header func([]string) error, record func(rec []string, line int) error) error {
	f, err := os.Open(path)
	if err != nil {
		return badInputf("%s: %v", path, errors.Unwrap(err))
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<16))
	r.ReuseRecord = true
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			if n == 0 {
				return badInputf("%s: empty: a CSV file with a header is needed", path)
			}
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return badInputf("%s:%d: %v", path, pe.Line, pe.Err)
			}
			return fmt.Errorf("reading %s: %w", path, err)
		}
		if n == 0 {
			err = header(slices.Clone(rec))
		} else {
			line, _ := r.FieldPos(0)
			err = record(rec, line)
		}
		if err != nil {
			return err
		}
	}
}
