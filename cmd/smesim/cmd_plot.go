package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/plots"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/facts"
	"github.com/smesim/smesim/sim/results"
)

// Figures of a result directory.
const (
	plotsDir   = "plots"
	reportFile = "report.html"
)

// defaultPlots is the default of --plots.
const defaultPlots = "png,svg"

func plotsFlag() cli.Flag {
	return &cli.StringFlag{Name: "plots", Value: defaultPlots,
		Usage: "figure `FORMATS` written under DIR/plots, with DIR/report.html: none, all (png, svg, pdf), or a comma-separated list of png, svg, pdf"}
}

func plotFormats(c *cli.Context) ([]string, error) {
	f, err := plots.ParseFormats(c.String("plots"))
	if err != nil {
		return nil, badInputf("--plots: %w", err)
	}
	return f, nil
}

// writeRunFigures draws the figures of the run result directory dir into
// dir/plots and writes dir/report.html, from the result files alone. An
// error reading them is returned as it is: for a directory just written,
// an internal error (see plotRunDir). drawn, if not nil, is called with
// the directory of the figures once they are drawn, before the report
// (whose figures take longest), so that a page can show them early.
func writeRunFigures(dir string, formats []string, drawn func(plotsDir string)) error {
	if len(formats) == 0 {
		return nil
	}
	r, figs, err := loadRunFigures(dir)
	if err != nil {
		return err
	}
	return saveRunFigures(dir, r, figs, formats, drawn)
}

// loadRunFigures reads the result directory dir and computes its figures.
func loadRunFigures(dir string) (*plots.Run, []plots.Figure, error) {
	r, err := plots.LoadRun(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("figures: %w", err)
	}
	figs, err := plots.RunFigures(r)
	if err != nil {
		return nil, nil, fmt.Errorf("figures: %w", err)
	}
	return r, figs, nil
}

// saveRunFigures writes the figures of r and its report into dir, calling
// drawn (if not nil) between the two.
func saveRunFigures(dir string, r *plots.Run, figs []plots.Figure, formats []string, drawn func(plotsDir string)) error {
	return replaceFigures(dir, func(tmpPlots, tmpReport string) error {
		if _, err := plots.Save(tmpPlots, figs, formats); err != nil {
			return err
		}
		if drawn != nil {
			drawn(tmpPlots)
		}
		return plots.WriteReportWith(tmpReport, r, figs, reportFactsOf(dir, r))
	})
}

// reportFactsOf checks the [[facts]] of r's scenario on the result
// directory dir, as smesim check-facts DIR does, for the report's facts
// check; a check that cannot be made is said in the report, not an error.
func reportFactsOf(dir string, r *plots.Run) plots.ReportOptions {
	if len(r.Config.Facts) == 0 {
		return plots.ReportOptions{}
	}
	outcomes, err := facts.CheckFiles(r.Config, dir, facts.Options{})
	if err != nil {
		// The files are named as in the directory: run checks them in
		// a temporary one, and the report must not depend on it.
		return plots.ReportOptions{FactsError: strings.ReplaceAll(oneLine(err.Error()), dir+string(filepath.Separator), "")}
	}
	var opts plots.ReportOptions
	for _, o := range outcomes {
		opts.Facts = append(opts.Facts, plots.ReportFact{Name: o.Fact.Name, Source: o.Fact.Source, Arm: o.Arm,
			Target: o.Fact.Target, Tolerance: o.Fact.Tolerance, Mean: o.Stat.Mean, Lo: o.Stat.Lo, Hi: o.Stat.Hi,
			Share: facts.IsShare(o.Fact), Pass: o.Pass})
	}
	return opts
}

// plotRunDir redraws the figures of the run result directory dir, given
// by the user: files that cannot be read or hold what no run writes are
// bad input.
func plotRunDir(dir string, formats []string) error {
	r, figs, err := loadRunFigures(dir)
	if err != nil {
		return badInput(err)
	}
	return saveRunFigures(dir, r, figs, formats, nil)
}

// writeSweepFigures draws the figures of the sweep directory dir.
func writeSweepFigures(dir string, formats []string) error {
	if len(formats) == 0 {
		return nil
	}
	figs, err := plots.SweepFigures(dir)
	if err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return saveSweepFigures(dir, figs, formats)
}

func saveSweepFigures(dir string, figs []plots.Figure, formats []string) error {
	return replaceFigures(dir, func(tmpPlots, tmpReport string) error {
		if _, err := plots.Save(tmpPlots, figs, formats); err != nil {
			return err
		}
		return plots.WriteSweepReport(tmpReport, dir, figs)
	})
}

// plotSweepDir redraws the figures of the sweep directory dir, given by
// the user: files that cannot be read are bad input.
func plotSweepDir(dir string, formats []string) error {
	figs, err := plots.SweepFigures(dir)
	if err != nil {
		return badInput(fmt.Errorf("figures: %w", err))
	}
	return saveSweepFigures(dir, figs, formats)
}

// replaceFigures has write draw into a temporary plots directory and
// report file inside dir, then moves them into place, replacing earlier
// ones: an error leaves the earlier figures as they were.
func replaceFigures(dir string, write func(tmpPlots, tmpReport string) error) (err error) {
	tmpPlots, err := results.MkdirTemp(dir, "."+plotsDir+".tmp-*")
	if err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	tmpReport := filepath.Join(tmpPlots, reportFile)
	defer func() {
		if err != nil {
			os.RemoveAll(tmpPlots)
		}
	}()
	if err := write(tmpPlots, tmpReport); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	if err := os.Rename(tmpReport, filepath.Join(dir, reportFile)); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	if err := results.RenameDir(tmpPlots, filepath.Join(dir, plotsDir), true); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return nil
}

func plotCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "redraw the figures and report.html of a result directory from its files, without running the model",
		ArgsUsage: "DIR",
		Description: "DIR is the output of smesim run (timeseries.csv, firms.csv, events.csv, summary.json,\n" +
			"scenario.toml) or of smesim sweep (sweep.csv). The figures replace DIR/plots and DIR/report.html.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags:           []cli.Flag{plotsFlag()},
		Action: func(c *cli.Context) error {
			dir, err := atMostOneArg(c, "result directory")
			if err != nil {
				return err
			}
			if dir == "" {
				return badInputf("plot needs a result directory (the --out of smesim run or sweep)")
			}
			if err := c.Context.Err(); err != nil {
				return &interruptError{"interrupted; nothing was written", err}
			}
			formats, err := plotFormats(c)
			if err != nil {
				return err
			}
			if len(formats) == 0 {
				return badInputf("--plots none: nothing to draw")
			}
			isSweep, isRun := exists(filepath.Join(dir, batch.SweepFile)), exists(filepath.Join(dir, results.TimeseriesFile))
			if isSweep || isRun {
				// Another smesim writing figures or results into dir
				// (a sweep) is excluded; holding the lock, what a killed
				// one left half-drawn is stale.
				release, err := lockPlots(dir)
				if err != nil {
					return err
				}
				defer release()
			}
			switch {
			case isSweep:
				err = untilInterrupted(c.Context, dir, func() error { return plotSweepDir(dir, formats) })
			case isRun:
				err = untilInterrupted(c.Context, dir, func() error { return plotRunDir(dir, formats) })
			default:
				return badInputf("%s holds neither %s (smesim sweep) nor %s (smesim run)", dir, batch.SweepFile, results.TimeseriesFile)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %s and %s\n", filepath.Join(dir, plotsDir), filepath.Join(dir, reportFile))
			return nil
		},
	}
}

func compareCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "overlay the results of separate runs (e.g. two scenario files) on the same axes",
		ArgsUsage: "DIR...",
		Description: "Each DIR is the output of smesim run. The figures are written into --out, one file per\n" +
			"figure and format, with report.html: a summary in words of how each run differs from the\n" +
			"first, a table of differences (every headline metric of the arms the runs share, with 95%\n" +
			"Welch intervals: separate runs are not paired) and the figures, in one self-contained page.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "directory `DIR` to create for the figures; it must not exist or be empty (required)"},
			&cli.StringFlag{Name: "labels", Usage: "comma-separated `LIST` naming the runs in legends, in order", DefaultText: "each run's scenario name"},
			&cli.StringFlag{Name: "plots", Value: defaultPlots, Usage: "figure `FORMATS`: all (png, svg, pdf) or a comma-separated list of png, svg, pdf"},
		},
		Action: func(c *cli.Context) error {
			if err := requireFlag(c, "out", "DIR"); err != nil {
				return err
			}
			dirs := c.Args().Slice()
			if len(dirs) < 2 {
				return badInputf("compare needs at least two result directories, got %d", len(dirs))
			}
			formats, err := plotFormats(c)
			if err != nil {
				return err
			}
			if len(formats) == 0 {
				return badInputf("--plots none: nothing to draw")
			}
			var labels []string
			if c.IsSet("labels") {
				labels = strings.Split(c.String("labels"), ",")
				if len(labels) != len(dirs) {
					return badInputf("--labels has %d names for %d result directories", len(labels), len(dirs))
				}
			}
			return compareRuns(c.Context, e, dirs, labels, c.String("out"), formats)
		},
	}
}

// compareRuns draws the compare figures of the result directories dirs,
// named by labels (nil: their scenarios' names), in formats, and the
// compare report, into the new directory outFlag: smesim compare, and
// the page of smesim serve when it overlays two runs.
func compareRuns(ctx context.Context, e *env, dirs, labels []string, outFlag string, formats []string) error {
	out, err := resolveOut(outFlag)
	if err != nil {
		return err
	}
	if err := results.CheckFree(out); err != nil {
		return badInput(err)
	}
	release, err := lockOut(out)
	if err != nil {
		return err
	}
	defer release()
	runs, figs, err := loadCompare(ctx, dirs, labels)
	if err != nil {
		return err
	}
	// Draw into a temporary sibling renamed into place: an error
	// or a signal (checked between figures) leaves no partial
	// directory.
	out = filepath.Clean(out)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp, err := results.MkdirTemp(filepath.Dir(out), filepath.Base(out)+".tmp-*")
	if err != nil {
		return err
	}
	var files []string
	for _, f := range figs {
		if err = ctx.Err(); err != nil {
			break
		}
		var names []string
		if names, err = plots.Save(tmp, []plots.Figure{f}, formats); err != nil {
			break
		}
		files = append(files, names...)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = plots.WriteCompareReport(filepath.Join(tmp, "report.html"), runs, labels, figs)
	}
	if err == nil {
		err = results.RenameDir(tmp, out, false)
	}
	if err != nil {
		os.RemoveAll(tmp)
		if ctx.Err() != nil {
			return &interruptError{"interrupted; nothing was written", ctx.Err()}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d figures and report.html into %s\n", len(files), out)
	return nil
}

// loadCompare reads the result directories dirs and builds the compare
// figures. Neither step can stop part-way, and on large results or a
// loaded machine they take seconds: they run in their own goroutine,
// which compareRuns leaves behind on a signal (it writes nothing), so that
// compare returns, and releases its output's lock, at once.
func loadCompare(ctx context.Context, dirs, labels []string) ([]*plots.Run, []plots.Figure, error) {
	type loaded struct {
		runs []*plots.Run
		figs []plots.Figure
		err  error
	}
	done := make(chan loaded, 1)
	go func() {
		var l loaded
		for _, d := range dirs {
			if ctx.Err() != nil {
				return // compareRuns has returned
			}
			r, err := plots.LoadRun(d)
			if err != nil {
				done <- loaded{err: badInput(err)}
				return
			}
			l.runs = append(l.runs, r)
		}
		l.figs, l.err = plots.CompareFigures(l.runs, labels)
		done <- l
	}()
	select {
	case l := <-done:
		return l.runs, l.figs, l.err
	case <-ctx.Done():
		return nil, nil, &interruptError{"interrupted; nothing was written", ctx.Err()}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// untilInterrupted runs work, which writes temporaries named
// ".plots.tmp-*" into dir (see replaceFigures) and cannot itself be
// stopped, in its own goroutine. If ctx is done first it removes the
// temporaries that work made (those not in dir when it started) and
// returns an interruptError: the process then exits, ending work. Removal
// is retried because work may still add a file while it runs.
func untilInterrupted(ctx context.Context, dir string, work func() error) error {
	before := tempsIn(dir)
	done := make(chan error, 1)
	go func() { done <- work() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	for range 10 {
		left := false
		for name := range tempsIn(dir) {
			if !before[name] {
				left = os.RemoveAll(filepath.Join(dir, name)) != nil || left
			}
		}
		if !left {
			break
		}
	}
	return &interruptError{"interrupted; the figures were left as they were", ctx.Err()}
}

// lockPlots locks the result directory dir for redrawing its figures and
// removes the figures' temporary directories a killed smesim left in it.
func lockPlots(dir string) (release func(), err error) {
	l, err := batch.LockDir(dir)
	if err != nil {
		if errors.Is(err, batch.ErrLocked) {
			return nil, badInput(err)
		}
		return nil, err
	}
	for name := range tempsIn(dir) {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			l.Release()
			return nil, fmt.Errorf("removing a temporary directory left in %s: %w", dir, err)
		}
	}
	return l.Release, nil
}

// tempsIn returns the names of the figures' temporary directories in dir.
func tempsIn(dir string) map[string]bool {
	names := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+plotsDir+".tmp-") {
			names[e.Name()] = true
		}
	}
	return names
}
