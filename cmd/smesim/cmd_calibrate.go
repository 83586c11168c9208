package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/smesim/smesim/scenarios"
	"github.com/smesim/smesim/sim/batch"
	"github.com/smesim/smesim/sim/calibrate"
	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/facts"
	"github.com/smesim/smesim/sim/results"
	"github.com/smesim/smesim/sim/sensitivity"
)

// The files of a calibration directory.
const (
	calSettingsFile  = "calibration.json"
	calPosteriorFile = "posterior.csv"
	calSummaryFile   = "posterior-summary.csv"
	calFactsFile     = "posterior-facts.csv"
	calProgressFile  = "generations.csv"
	// calGenerationLine starts the comment line that ends the scenario.toml
	// of a generation's batch: with the scenario, it identifies the batch.
	calGenerationLine = "# smesim calibration: "
)

// calibrateOptions are the flags of smesim calibrate.
type calibrateOptions struct {
	settings     calibrate.Settings
	out          string
	replications *int
	workers      int
	threads      int
	progress     string
	plots        []string // figure formats
	now          time.Time
}

func calibrateCommand(e *env) *cli.Command {
	def := calibrate.DefaultSettings()
	return &cli.Command{
		Name:      "calibrate",
		Usage:     "estimate a scenario's [[uncertain]] parameters from its [[facts]] (approximate Bayesian computation)",
		ArgsUsage: "FILE|BUILTIN",
		Description: "Draws the scenario's [[uncertain]] parameters from their distributions (the prior), runs each\n" +
			"draw (a particle: the arms the facts measure, --replications each, on a seed of its own) and\n" +
			"measures its [[facts]] as check-facts does. A particle's distance is the root mean square of\n" +
			"its facts' deviations in tolerances, (simulated mean - target) / tolerance. Adaptive population\n" +
			"Monte Carlo ABC (Lenormand et al. 2013) keeps the --alpha share closest, draws the next\n" +
			"generation around them, and stops when the share of new particles within the last tolerance\n" +
			"falls to --min-acceptance (or after --generations). Each generation is a batch in\n" +
			"DIR/generation-NN: the same command resumes an interrupted calibration, with the same\n" +
			"result whatever --workers; with a later stop (more --generations) it carries a finished\n" +
			"one further. Writes DIR/" + calPosteriorFile + " (the kept particles and their weights,\n" +
			"for smesim run --posterior), DIR/" + calSummaryFile + " (mean, 5/50/95% quantiles per\n" +
			"parameter, with the prior's 5 and 95%), DIR/" + calFactsFile + " (each fact under the posterior)\n" +
			"and DIR/" + calProgressFile + ", draws the posterior pairwise in DIR/plots, and prints the summaries.",
		HideHelpCommand: true,
		OnUsageError:    usageError,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "particles", Aliases: []string{"n"}, Value: def.Particles, Usage: "`N` particles of generation 0; each later generation simulates N - ceil(alpha N)"},
			&cli.Float64Flag{Name: "alpha", Value: def.Alpha, Usage: "share `A` of the particles kept each generation (between 0 and 1)"},
			&cli.Float64Flag{Name: "min-acceptance", Value: def.MinAcceptance, Usage: "stop when the share `P` of a generation's particles within the last tolerance falls to it"},
			&cli.IntFlag{Name: "generations", Value: def.Generations, Usage: "stop after `G` generations at most (1 to 1000)"},
			&cli.Uint64Flag{Name: "seed", Usage: "`N` seeding the draws and the particles' runs", DefaultText: "the scenario's seed"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "calibration directory `DIR`: new or empty, or the directory of the same calibration, which is resumed",
				DefaultText: defaultOutRoot + "/<scenario name>-calibration-<YYYYMMDD-HHMMSS>"},
			replicationsFlag("`N` replications per particle (1 to 100000)"),
			workersFlag("runs"),
			threadsFlag(),
			progressFlag(),
			&cli.StringFlag{Name: "plots", Value: defaultPlots, Usage: "`FORMATS` of the pairwise figure of the posterior, DIR/plots/posterior-pairs.*: none, all (png, svg, pdf), or a comma-separated list of png, svg, pdf"},
		},
		Action: func(c *cli.Context) error {
			arg, err := atMostOneArg(c, "scenario (FILE or BUILTIN)")
			if err != nil {
				return err
			}
			if arg == "" {
				return badInputf("calibrate needs a scenario FILE or BUILTIN with [[uncertain]] and [[facts]]")
			}
			opts := calibrateOptions{out: c.String("out"), workers: c.Int("workers"), now: time.Now()}
			opts.settings = calibrate.Settings{Particles: c.Int("particles"), Alpha: c.Float64("alpha"),
				MinAcceptance: c.Float64("min-acceptance"), Generations: c.Int("generations")}
			if err := opts.settings.Check(); err != nil {
				return badInputf("--%v", err)
			}
			if c.IsSet("replications") {
				v := c.Int("replications")
				opts.replications = &v
			}
			if c.IsSet("workers") && opts.workers < 1 {
				return badInputf("--workers %d: must be at least 1", opts.workers)
			}
			if opts.threads, err = threadsOf(c); err != nil {
				return err
			}
			if opts.progress, err = progressOf(c); err != nil {
				return err
			}
			if opts.plots, err = plotFormats(c); err != nil {
				return err
			}
			cfg, err := openScenarioReplications(arg, opts.replications)
			if err != nil {
				return err
			}
			opts.settings.Seed = cfg.Seed
			if c.IsSet("seed") {
				opts.settings.Seed = c.Uint64("seed")
			}
			var src []byte // the file, for the lines of messages; nil for a built-in
			if !isBuiltin(arg) {
				src, _ = os.ReadFile(arg)
			}
			return runCalibrate(c.Context, e, cfg, scenarioLabel(arg), src, opts)
		},
	}
}

// calibration is a calibration under way: the scenario, its parameters
// and facts, and the directory of its generations.
type calibration struct {
	cfg      *config.Config
	uncert   *scenarios.Uncertain
	params   []sensitivity.Param
	settings calibrate.Settings
	arms     []config.Arm
	identity []byte // the scenario.toml of the generations' batches, before their line
	copies   []batch.FileCopy
	inputs   []results.Input
	dir      string
	// factMeans holds, per particle simulated (by its number), the
	// simulated mean of each fact.
	factMeans map[int][]float64
}

// calSettings are what calibration.json records: with the scenario, what
// identifies a calibration, so that a directory is resumed only by the
// same one. The stopping rules (--generations, --min-acceptance) are not
// part of it: they do not change a generation, so a finished calibration
// is carried further by the same command with a later stop.
type calSettings struct {
	ScenarioSHA256 string  `json:"scenario_sha256"`
	Particles      int     `json:"particles"`
	Alpha          float64 `json:"alpha"`
	Seed           uint64  `json:"seed"`
}

// newCalibration checks that cfg can be calibrated: [[uncertain]]
// parameters, and facts with tolerances above 0.
func newCalibration(cfg *config.Config, label string, src []byte, s calibrate.Settings) (*calibration, error) {
	u, err := scenarios.NewUncertain(cfg, label)
	if err != nil {
		return nil, badInput(err)
	}
	if u.Len() == 0 {
		return nil, badInputf("%s: no [[uncertain]] table: list the keys to calibrate with their prior distributions (see docs/calibration.md)", label)
	}
	if len(cfg.Facts) == 0 {
		return nil, badInputf("%s: no [[facts]]: calibration fits the parameters to the scenario's facts", label)
	}
	for i, f := range cfg.Facts {
		if !(f.Tolerance > 0) {
			return nil, badInput(config.ErrorAt(label, src, fmt.Sprintf("facts[%d].tolerance", i),
				fmt.Sprintf("%v: calibration measures the deviation from each fact in tolerances, which must be above 0 (fact %q)", f.Tolerance, f.Name)))
		}
	}
	var names []string
	for _, f := range cfg.Facts {
		if a := facts.DefaultArm(cfg, f); !slices.Contains(names, a) && a != config.BaselineArm {
			names = append(names, a)
		}
	}
	if names == nil {
		names = []string{config.BaselineArm}
	}
	resolved, err := cfg.ResolveArms(names)
	if err != nil {
		return nil, badInput(err)
	}
	// Only the arms the facts measure run: the baseline, which every
	// resolution includes, only when a fact measures it.
	var arms []config.Arm
	for _, a := range resolved {
		if a.Name != config.BaselineArm || slices.Contains(names, config.BaselineArm) {
			arms = append(arms, a)
		}
	}
	id, copies := batchScenario(cfg)
	toml, err := scenarios.Encode(id)
	if err != nil {
		return nil, fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	inputs, err := inputsOf(cfg)
	if err != nil {
		return nil, err
	}
	return &calibration{cfg: cfg, uncert: u, params: u.Params(), settings: s, arms: arms, identity: toml, copies: copies,
		inputs: inputs, factMeans: map[int][]float64{}}, nil
}

// scenarioIdentity is the SHA-256, in hex, of what a posterior belongs
// to: the resolved scenario without what does not change the model — its
// [[uncertain]] (the posterior replaces it), seed, replications, arms,
// output, sweep and description.
func scenarioIdentity(cfg *config.Config) (string, error) {
	c := *cfg
	c.Uncertain, c.Seed, c.Replications, c.Arms, c.Description = nil, 0, 0, nil, ""
	c.Output, c.Sweep = config.OutputConfig{}, config.SweepConfig{}
	data, err := scenarios.Encode(&c)
	if err != nil {
		return "", fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// particleSeed is the seed of particle i of generation gen: each particle
// runs on random draws of its own, as ABC's simulations are independent.
func particleSeed(seed uint64, gen, i int) uint64 {
	return sensitivity.Stream(seed, 0x5345454453, uint64(gen), uint64(i)).Uint64() >> 1 // seeds are at most 2^63 - 1
}

// runCalibrate runs (or resumes) the calibration of cfg into its
// directory and writes the posterior and its summaries.
func runCalibrate(ctx context.Context, e *env, cfg *config.Config, label string, src []byte, opts calibrateOptions) error {
	cal, err := newCalibration(cfg, label, src, opts.settings)
	if err != nil {
		return err
	}
	workers := workersOrCPUs(opts.workers)
	if err := checkCalMemory(cal, workers); err != nil {
		return err
	}
	full, err := scenarios.Encode(cfg)
	if err != nil {
		return fmt.Errorf("encoding the resolved scenario: %w", err)
	}
	sum := sha256.Sum256(full)
	s := opts.settings
	want := calSettings{ScenarioSHA256: hex.EncodeToString(sum[:]), Particles: s.Particles, Alpha: s.Alpha, Seed: s.Seed}
	out, release, err := openCalibrationDir(opts, cfg.Name, want)
	if err != nil {
		return err
	}
	defer release()
	cal.dir = out
	interrupted := func() error {
		return &interruptError{fmt.Sprintf("interrupted; the finished runs are kept in %s: the same command (with --out %s) resumes from them", out, out), ctx.Err()}
	}
	var pop *calibrate.Population
	var history []*calibrate.Population
	for {
		u, w := calibrate.Proposals(s, len(cal.params), pop)
		gen := 0
		if pop != nil {
			gen = pop.Generation + 1
		}
		d, err := cal.generation(ctx, e, gen, u, opts, workers)
		if err != nil {
			if ctx.Err() != nil {
				return interrupted()
			}
			return err
		}
		if pop, err = calibrate.Select(s, pop, u, w, d); err != nil {
			return err
		}
		history = append(history, pop)
		fmt.Fprintf(e.stdout, "generation %d: %d particles run, tolerance %.4g, acceptance %.0f%%, effective sample size %.1f\n",
			gen, len(u), pop.Tolerance, 100*pop.Acceptance, calibrate.ESS(pop.Weights))
		if s.Done(pop) {
			break
		}
	}
	return cal.write(ctx, e, out, pop, history, opts.plots)
}

// openCalibrationDir makes or reopens the calibration directory and locks
// it: a new or empty directory gets calibration.json; one that holds
// calibration.json must hold want's, to be resumed.
func openCalibrationDir(opts calibrateOptions, name string, want calSettings) (string, func(), error) {
	out, err := resolveOut(opts.out)
	if err != nil {
		return "", nil, err
	}
	if out == "" {
		if out, err = defaultOutDir(defaultOutRoot, name+"-calibration", opts.now); err != nil {
			return "", nil, err
		}
	}
	path := filepath.Join(out, calSettingsFile)
	data, _ := json.MarshalIndent(want, "", "  ")
	data = append(data, '\n')
	if old, err := os.ReadFile(path); err == nil {
		if string(old) != string(data) {
			return "", nil, badInputf("%s holds another calibration (%s differs: another scenario, seed or settings): choose another --out", out, path)
		}
	} else if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return "", nil, badInputf("%s exists and is not a calibration directory (no %s): choose another --out", out, calSettingsFile)
	}
	lock, err := batch.LockDir(out)
	if err != nil {
		return "", nil, badInput(err)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		lock.Release()
		return "", nil, err
	}
	return out, lock.Release, nil
}

// checkCalMemory refuses a calibration whose largest particle does not
// fit, as sensitivity run does for its largest row.
func checkCalMemory(cal *calibration, workers int) error {
	runs := len(cal.arms) * max(cal.cfg.Replications, 1)
	return checkEstimate(fmt.Sprintf("the largest particle of scenario %q", cal.cfg.Name), largestEstimate(cal.uncert, min(workers, runs), runs))
}

// generation runs the particles u of generation gen as a batch in its
// directory (resuming what it holds) and returns their distances.
func (cal *calibration) generation(ctx context.Context, e *env, gen int, u [][]float64, opts calibrateOptions, workers int) ([]float64, error) {
	rows := make([][]float64, len(u))
	h := sha256.New()
	for i, x := range u {
		rows[i] = make([]float64, len(x))
		for j, p := range cal.params {
			rows[i][j] = p.Dist.Quantile(x[j])
			fmt.Fprintf(h, "%x ", math.Float64bits(rows[i][j]))
		}
	}
	s := cal.settings
	line := fmt.Sprintf("%sgeneration = %d, particles = %d, alpha = %v, seed = %d, rows sha256 = %x\n",
		calGenerationLine, gen, s.Particles, s.Alpha, s.Seed, h.Sum(nil))
	plan := &batch.Plan{Kind: batch.KindCalibration, Keys: cal.uncert.Keys(), Arms: cal.arms, Reps: max(cal.cfg.Replications, 1),
		Scenario: append(slices.Clone(cal.identity), "\n"+line...), Copies: cal.copies, Inputs: cal.inputs}
	plan.Points = make([]batch.Point, len(u))
	for i := range plan.Points {
		plan.Points[i].Index = i
	}
	plan.Build = func(i int) *config.Config {
		c := cal.uncert.Apply(rows[i])
		c.Seed = particleSeed(s.Seed, gen, i)
		return c
	}
	plan.Encode = scenarios.Encode
	plan.Values = func(i int) []string {
		out := make([]string, len(rows[i]))
		for j, x := range rows[i] {
			out[j] = cal.uncert.Value(j, x)
		}
		return out
	}
	store, _, err := openBatch(filepath.Join(cal.dir, fmt.Sprintf("generation-%02d", gen)), "", plan)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	report, finish := batchProgress(e.stderr, opts.progress)
	_, err = batch.Execute(ctx, plan, store, batch.Options{Workers: workers, Threads: opts.threads, Progress: report})
	finish(err == nil)
	if err != nil {
		return nil, err
	}
	src, err := batch.Collect(plan, []*batch.Store{store})
	if err != nil {
		return nil, err
	}
	store.StopOn(ctx)
	first := 0
	if gen > 0 {
		first = s.Particles + (gen-1)*(s.Particles-s.Kept())
	}
	d := make([]float64, len(u))
	for p := range plan.Points {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rs, err := src.Results(p)
		if err != nil {
			return nil, err
		}
		outcomes, err := facts.Check(plan.PointConfig(p), rs, facts.Options{})
		if err != nil {
			return nil, badInputf("%s: particle %d of generation %d: %w", cal.cfg.Name, p, gen, err)
		}
		dev := make([]float64, len(outcomes))
		means := make([]float64, len(outcomes))
		for k, o := range outcomes {
			means[k] = o.Stat.Mean
			dev[k] = (o.Stat.Mean - o.Fact.Target) / o.Fact.Tolerance
		}
		cal.factMeans[first+p] = means
		d[p] = calibrate.Distance(dev)
	}
	return d, nil
}

// errNoParticle is returned when no particle's facts could be measured.
var errNoParticle = errors.New("calibrate: no particle has a finite distance")
