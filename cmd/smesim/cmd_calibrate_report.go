package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/smesim/smesim/plots"
	"github.com/smesim/smesim/sim/calibrate"
	"github.com/smesim/smesim/sim/facts"
	"github.com/smesim/smesim/sim/results"
)

// paramSummary is one parameter's row of posterior-summary.csv.
type paramSummary struct {
	key                               string
	mean, q05, q50, q95               float64
	priorQ05, priorQ50, priorQ95, ess float64
}

// factSummary is one fact's row of posterior-facts.csv: the fact's
// simulated mean over the posterior's particles.
type factSummary struct {
	name, arm        string
	target, tol      float64
	mean, q05, q95   float64
	share, reproduce bool
}

// write writes the posterior of the last population pop and its
// summaries into out, and prints them.
func (cal *calibration) write(ctx context.Context, e *env, out string, pop *calibrate.Population, history []*calibrate.Population, formats []string) error {
	if math.IsInf(pop.Tolerance, 1) {
		return errNoParticle
	}
	post := calibrate.NewPosterior(pop, cal.params)
	post.Scenario = cal.cfg.Name
	id, err := scenarioIdentity(cal.cfg)
	if err != nil {
		return err
	}
	post.Identity = id
	for j := range post.Keys {
		post.Units[j] = cal.cfg.Uncertain[j].Unit
	}
	ess := calibrate.ESS(post.Weights)
	params := make([]paramSummary, len(post.Keys))
	for j, key := range post.Keys {
		col := post.Column(j)
		d := &cal.params[j].Dist
		params[j] = paramSummary{key: key, mean: calibrate.WeightedMean(col, post.Weights),
			q05: calibrate.WeightedQuantile(col, post.Weights, 0.05), q50: calibrate.WeightedQuantile(col, post.Weights, 0.5),
			q95: calibrate.WeightedQuantile(col, post.Weights, 0.95), priorQ05: d.Quantile(0.05), priorQ50: d.Quantile(0.5),
			priorQ95: d.Quantile(0.95), ess: ess}
	}
	fs := cal.factSummaries(pop, post.Weights)
	if err := ctx.Err(); err != nil {
		return &interruptError{"interrupted; the finished runs are kept in " + out + ": the same command resumes from them", err}
	}
	writes := []struct {
		name  string
		write func(io.Writer) error
	}{
		{calPosteriorFile, post.Write},
		{calSummaryFile, func(w io.Writer) error { return writeParamSummaries(w, params) }},
		{calFactsFile, func(w io.Writer) error { return writeFactSummaries(w, fs) }},
		{calProgressFile, func(w io.Writer) error { return writeGenerations(w, history, cal.settings) }},
	}
	for _, f := range writes {
		if err := writeFileAtomic(filepath.Join(out, f.name), f.write); err != nil {
			return err
		}
	}
	if len(formats) > 0 {
		lo, hi := make([]float64, len(params)), make([]float64, len(params))
		for j, p := range params {
			lo[j], hi[j] = p.priorQ05, p.priorQ95
		}
		fig := plots.PosteriorFigure(post, lo, hi)
		if err := untilInterrupted(ctx, out, func() error { return saveFigures(out, []plots.Figure{fig}, formats) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d particles (effective sample size %.1f) after %d generations and %d particles run × %d arms × %d replications\n",
		out, len(post.Values), ess, pop.Generation+1, pop.Runs, len(cal.arms), max(cal.cfg.Replications, 1))
	printParamSummaries(e.stdout, params)
	printFactSummaries(e.stdout, fs)
	return nil
}

// factSummaries measures each fact under the posterior: the weighted
// mean and 5% and 95% quantiles, over the particles of pop, of the
// fact's mean over each particle's replications.
func (cal *calibration) factSummaries(pop *calibrate.Population, weights []float64) []factSummary {
	out := make([]factSummary, len(cal.cfg.Facts))
	for k, f := range cal.cfg.Facts {
		var xs, ws []float64
		for i, sim := range pop.Sims {
			if v := cal.factMeans[sim][k]; !math.IsNaN(v) {
				xs, ws = append(xs, v), append(ws, weights[i])
			}
		}
		fsum := factSummary{name: f.Name, arm: facts.DefaultArm(cal.cfg, f), target: f.Target, tol: f.Tolerance, share: facts.IsShare(f),
			mean: math.NaN(), q05: math.NaN(), q95: math.NaN()}
		if len(xs) > 0 {
			fsum.mean = calibrate.WeightedMean(xs, ws)
			fsum.q05, fsum.q95 = calibrate.WeightedQuantile(xs, ws, 0.05), calibrate.WeightedQuantile(xs, ws, 0.95)
			fsum.reproduce = math.Abs(fsum.mean-f.Target) <= f.Tolerance
		}
		out[k] = fsum
	}
	return out
}

func writeParamSummaries(w io.Writer, ps []paramSummary) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"parameter", "mean", "q05", "q50", "q95", "prior_q05", "prior_q50", "prior_q95", "effective_sample_size"})
	for _, p := range ps {
		cw.Write([]string{p.key, formatNumber(p.mean), formatNumber(p.q05), formatNumber(p.q50), formatNumber(p.q95),
			formatNumber(p.priorQ05), formatNumber(p.priorQ50), formatNumber(p.priorQ95), formatNumber(p.ess)})
	}
	cw.Flush()
	return cw.Error()
}

func writeFactSummaries(w io.Writer, fs []factSummary) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"fact", "arm", "target", "tolerance", "posterior_mean", "q05", "q95", "reproduced"})
	for _, f := range fs {
		cw.Write([]string{f.name, f.arm, formatNumber(f.target), formatNumber(f.tol), formatNumber(f.mean), formatNumber(f.q05),
			formatNumber(f.q95), strconv.FormatBool(f.reproduce)})
	}
	cw.Flush()
	return cw.Error()
}

func writeGenerations(w io.Writer, history []*calibrate.Population, s calibrate.Settings) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"generation", "particles_run", "runs_so_far", "tolerance", "acceptance", "effective_sample_size"})
	for _, p := range history {
		n := s.Particles
		if p.Generation > 0 {
			n -= s.Kept()
		}
		cw.Write([]string{strconv.Itoa(p.Generation), strconv.Itoa(n), strconv.Itoa(p.Runs), formatNumber(p.Tolerance),
			formatNumber(p.Acceptance), formatNumber(calibrate.ESS(p.Weights))})
	}
	cw.Flush()
	return cw.Error()
}

func printParamSummaries(w io.Writer, ps []paramSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "parameter\tposterior mean\tmedian\t90%% interval\tprior median\tprior 90%%\n")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%.4g\t%.4g\t[%.4g, %.4g]\t%.4g\t[%.4g, %.4g]\n", p.key, p.mean, p.q50, p.q05, p.q95, p.priorQ50, p.priorQ05, p.priorQ95)
	}
	tw.Flush()
}

func printFactSummaries(w io.Writer, fs []factSummary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "fact\tarm\ttarget\ttolerance\tunder the posterior [90%%]\tpass\n")
	pass := 0
	for _, f := range fs {
		ok := "MISS"
		if f.reproduce {
			ok = "ok"
			pass++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t±%s\t%s [%s, %s]\t%s\n", f.name, f.arm, fmtFact(f.target, f.share), fmtFact(f.tol, f.share),
			fmtFact(f.mean, f.share), fmtFact(f.q05, f.share), fmtFact(f.q95, f.share), ok)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d facts reproduced by the posterior mean of the simulated means\n", pass, len(fs))
}

// saveFigures draws figs into dir/plots, replacing what is there only
// once every figure is drawn: an interruption leaves the old folder or the
// new one, never a part.
func saveFigures(dir string, figs []plots.Figure, formats []string) (err error) {
	tmp, err := results.MkdirTemp(dir, "."+plotsDir+".tmp-*")
	if err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if _, err := plots.Save(tmp, figs, formats); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	if err := results.RenameDir(tmp, filepath.Join(dir, plotsDir), true); err != nil {
		return fmt.Errorf("figures: %w", err)
	}
	return nil
}
