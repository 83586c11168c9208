// Package results writes the result directory of a run and reads it back.
//
// A result directory holds:
//
//	scenario.toml    the fully resolved scenario, as given to WriteDir
//	timeseries.csv   arm,replication,step,date,metric,value (tidy long format)
//	firms.csv        arm,replication,firm,kind,role,sector,chain,status,failure_step,cause,revenue_change,cash_runway_months,jobs
//	                 and, when the scenario has [[interventions]], support,additionality (see SupportColumns)
//	events.csv       arm,replication,step,date,firm,kind,role,sector,cause,channels,parents,generation,cascade
//	runs.csv         arm,replication and the headline metrics of each run (see RunsHeader)
//	*.parquet        with Meta.Format "parquet" or "both": timeseries, firms, events and runs
//	                 as Parquet (see parquet.go); "parquet" leaves out the first three CSVs
//	summary.json     per arm: headline metrics, effects against the baseline, interventions, final values (below)
//	meta.json        smesim and Go versions, command line, seed, SHA-256 of scenario.toml
//	network/         firms.csv and edges.csv: the network of the first result, with firm-level results
//	input/           copies of the files the scenario reads (a file network's CSVs), when the writer adds them
//
// Every file but meta.json depends only on the results and the scenario, so
// two runs of the same scenario and seed give byte-identical files. meta.json
// records the command line (and the Go version), which may differ between
// runs; it holds no timestamps and nothing else that depends on the machine.
//
// Rows are ordered by arm (in order of first appearance in the results), then
// replication, then step, firm or event order. Numbers are written with
// strconv.FormatFloat(v, 'g', 10, 64); NaN and infinities as NaN, Inf and
// -Inf. Empty cells mean "not applicable" (e.g. failure_step of an active
// firm).
//
// # summary.json
//
// summary.json is one object (see Summary):
//
//	{
//	  "confidence": 0.95,
//	  "arms": [
//	    {
//	      "arm": "baseline",
//	      "replications": 20,
//	      "headline": {"sme_failures": STAT, …, "bank_losses": STAT, "fiscal_cost": STAT},
//	      "interventions": [],
//	      "final": {"firms_active": STAT, …}
//	    },
//	    {
//	      "arm": "loans",
//	      "replications": 20,
//	      "headline": {…},
//	      "effects": {"firms_saved": STAT, "smes_saved": STAT, "cores_saved": STAT,
//	                  "jobs_saved": STAT, "output_saved": STAT, "bank_losses_avoided": STAT,
//	                  "cost_per_firm_saved": STAT, "cost_per_job_saved": STAT},
//	      "interventions": [
//	        {"name": "loans", "kind": "policy-loan", "budget": 100000000,
//	         "used": STAT, "fiscal_cost": STAT, "firms": STAT,
//	         "exhausted_share": 0.35, "mean_exhausted_step": 31.4,
//	         "additionality": {"saved": {"firms": STAT, "money": STAT}, "deadweight": {…},
//	                           "lost-anyway": {…}, "harmed": {…}, "deadweight_share": STAT}}
//	      ],
//	      "final": {…}
//	    }
//	  ]
//	}
//
// where STAT is {"mean", "lo", "hi", "sd", "n"}: the mean over the n
// replications where the metric is defined, a Student-t interval at level
// "confidence" (lo = hi = mean when n = 1) and the sample standard deviation
// (null when n < 2). Undefined numbers (NaN, infinities) are null.
//
// Arms come in order of first appearance in the results (the baseline
// first, as sim.Run returns them). "headline" holds HeadlineMetrics; "final"
// the value at the last step of every time-series metric.
//
// "effects" is present for every arm but the baseline, when the results
// hold a baseline: the arm against the baseline on the same random draws,
// paired by replication index (see EffectMetrics). The *_saved and
// bank_losses_avoided metrics are Stats of the differences baseline − arm,
// so positive values are gains. cost_per_firm_saved and cost_per_job_saved
// are ratios (see Ratio): mean is mean fiscal cost / mean firms (jobs)
// saved, null when nothing is saved on average (mean saved ≤ 0); lo and hi
// bound Fieller's interval, and are null when the mean saved is not
// significantly above 0 (the interval is then unbounded); sd is always null.
//
// "interventions" lists what each intervention of the arm did (see
// Intervention): its name, kind and budget (0 for kinds without one); the
// STATs over replications of the amount used against the budget, the
// fiscal cost and the number of firms reached; the share of replications in
// which the budget ran out, and the mean step at which it did over those
// (null when it never did); and, when the arm can be paired with the
// baseline replication by replication, the paired classification of the
// firms it reached with the money each class received (see Additionality;
// left out otherwise).
package results

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/smesim/smesim/sim/outcome"
)

// File names inside a result directory.
const (
	ScenarioFile   = "scenario.toml"
	TimeseriesFile = "timeseries.csv"
	FirmsFile      = "firms.csv"
	EventsFile     = "events.csv"
	SummaryFile    = "summary.json"
	RunsFile       = "runs.csv"
	MetaFile       = "meta.json"
)

// Meta describes how a result directory was made. It is written to
// meta.json, the one file of a result directory that may differ between two
// runs of the same scenario and seed (through the command line and the Go
// version).
type Meta struct {
	Version   string `json:"smesim_version"` // smesim version; filled from the build info when empty
	GoVersion string `json:"go_version"`     // filled with runtime.Version() when empty
	// Revision is the VCS revision smesim was built from and Modified
	// whether the work tree had changes, from the build information
	// (go build in a git checkout; absent with -buildvcs=false).
	Revision       string   `json:"vcs_revision,omitempty"`
	Modified       bool     `json:"vcs_modified,omitempty"`
	Command        []string `json:"command"`         // the command line, os.Args
	Seed           uint64   `json:"seed"`            // the scenario's base seed
	ScenarioSHA256 string   `json:"scenario_sha256"` // hex SHA-256 of scenario.toml; always set by WriteDir
	// Format is the scenario's output.format: FormatCSV (also when
	// empty), FormatParquet or FormatBoth. It is in scenario.toml, not in
	// meta.json.
	Format string `json:"-"`
	// Demography says whether firms.csv has the columns of
	// FirmsDemographyHeader (the scenario's [demography] is on). It is in
	// scenario.toml, not in meta.json.
	Demography bool `json:"-"`
}

// afterFile, if not nil, is called after each file is written into the
// temporary directory; an error from it aborts WriteDir. Tests use it to
// inject failures midway.
var afterFile func(name string) error

// Stream gives the results to write one at a time, in the order of the
// result files: arm by arm, the arms in order of first appearance, and
// within an arm by increasing replication.
type Stream interface {
	// Len returns the number of results.
	Len() int
	// Result returns result i, 0 ≤ i < Len(). The writer reads each once,
	// in order, and keeps nothing of it but a few numbers for the summary.
	// Its Network may be nil when it holds neither firm outcomes nor
	// events (output.record = "aggregate").
	Result(i int) (*outcome.Result, error)
}

// Slice is a Stream over results held in memory, in the order given.
type Slice []*outcome.Result

// Len returns len(s).
func (s Slice) Len() int { return len(s) }

// Result returns s[i].
func (s Slice) Result(i int) (*outcome.Result, error) { return s[i], nil }

// Written is what WriteDir wrote.
type Written struct {
	Summary Summary // the content of summary.json
	Firms   int     // the firms of the first result active at the start (see FirmCount)
	Pool    int     // its entry pool: dormant firms that may enter (see EntryPoolCount)
}

// WriteDir writes the result directory dir: scenario.toml (scenarioTOML as
// given), timeseries.csv, firms.csv, events.csv, summary.json and
// meta.json, from the results src gives one at a time, so that only one
// result is in memory at once: the CSV files are written together, row by
// row through buffers, as the results stream past. src must give the
// results in file order (see Stream; Ordered puts results held in memory
// in it); WriteDir returns an error otherwise, and for inconsistent
// results. Results without firm outcomes and events (output.record =
// "aggregate") add no rows to firms.csv and events.csv, which then hold
// their header only. It returns what it wrote.
//
// The files are written into a fresh temporary sibling directory
// (dir + ".tmp-<random>", see MkdirTemp), synced to disk, and extra, if
// not nil, is called on it: files it writes there (figures, a report,
// copies of input files) appear with the results, and an error from it
// leaves nothing behind. The directory is then renamed to dir (see
// RenameDir); on any error the temporary directory is removed and nothing
// is left at dir. The parent of dir is created if needed. WriteDir refuses
// a dir that exists and is not empty; an existing empty dir is replaced.
// It is the one writer of result directories.
func WriteDir(dir string, scenarioTOML []byte, src Stream, meta Meta, extra func(tmp string) error) (w Written, err error) {
	if dir == "" {
		return w, errors.New("results: empty output directory name")
	}
	dir = filepath.Clean(dir)
	if err := checkFree(dir); err != nil {
		return w, err
	}
	if src.Len() == 0 {
		return w, errors.New("results: no results to write")
	}
	sum := sha256.Sum256(scenarioTOML)
	meta.ScenarioSHA256 = hex.EncodeToString(sum[:])
	if meta.GoVersion == "" {
		meta.GoVersion = runtime.Version()
	}
	if meta.Revision == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			meta.Revision, meta.Modified = buildRevision(bi)
		}
	}
	if meta.Version == "" {
		meta.Version = BuildVersion()
	}
	if meta.Command == nil {
		meta.Command = []string{}
	}

	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return w, fmt.Errorf("results: %w", err)
	}
	tmp, err := MkdirTemp(parent, filepath.Base(dir)+".tmp-*")
	if err != nil {
		return w, fmt.Errorf("results: %w", err)
	}
	var csvs []*csvFile
	defer func() {
		for _, f := range csvs {
			f.abort()
		}
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	written := func(name string, err error) error {
		if err != nil {
			return &tmpError{fmt.Errorf("results: writing %s: %w", name, err), tmp, dir}
		}
		if afterFile != nil {
			if err := afterFile(name); err != nil {
				return fmt.Errorf("results: writing %s: %w", name, err)
			}
		}
		return nil
	}
	if err := written(ScenarioFile, writeFile(filepath.Join(tmp, ScenarioFile), func(w io.Writer) error {
		_, err := w.Write(scenarioTOML)
		return err
	})); err != nil {
		return w, err
	}

	// The per-row files, written together as the results stream past.
	writeCSVs, writeParquet, err := formats(meta.Format)
	if err != nil {
		return w, err
	}
	var (
		digests   []digest
		rows      rowBuffers
		armIndex  = map[string]int{}
		armMetric [][]string
		lastArm   = -1
		pair      = newPairing()
	)
	if hasSupport(scenarioTOML) {
		rows.pair = pair
	}
	rows.demography = meta.Demography
	firmsHeader := firmsHeaderOf(rows.pair != nil, rows.demography)
	if writeCSVs {
		for _, f := range []struct {
			name   string
			header []string
		}{{TimeseriesFile, TimeseriesHeader}, {FirmsFile, firmsHeader}, {EventsFile, EventsHeader}} {
			c, err := createCSV(filepath.Join(tmp, f.name), f.name, f.header)
			if err != nil {
				return w, written(f.name, err)
			}
			csvs = append(csvs, c)
		}
	}
	var pqs *parquetFiles
	if writeParquet {
		if pqs, err = createParquets(tmp, rows.pair != nil, meta.Demography); err != nil {
			return w, written(TimeseriesParquet, err)
		}
		defer pqs.abort()
	}
	for i := 0; i < src.Len(); i++ {
		r, err := src.Result(i)
		if err != nil {
			return w, err
		}
		if r == nil {
			return w, fmt.Errorf("results: result %d is nil", i)
		}
		if err := check(r); err != nil {
			return w, fmt.Errorf("results: arm %q replication %d: %w", r.Arm, r.Replication, err)
		}
		a, seen := armIndex[r.Arm]
		switch {
		case !seen:
			a = len(armIndex)
			armIndex[r.Arm] = a
			armMetric = append(armMetric, r.Metrics)
		case a != lastArm:
			return w, fmt.Errorf("results: arm %q replication %d comes after another arm's results: results must come arm by arm", r.Arm, r.Replication)
		case !slices.Equal(armMetric[a], r.Metrics):
			return w, fmt.Errorf("results: arm %q replication %d records other metrics than the arm's first replication", r.Arm, r.Replication)
		case r.Replication == digests[len(digests)-1].replication:
			return w, fmt.Errorf("results: arm %q replication %d appears twice", r.Arm, r.Replication)
		case r.Replication < digests[len(digests)-1].replication:
			return w, fmt.Errorf("results: arm %q replication %d comes after replication %d: replications must come in increasing order",
				r.Arm, r.Replication, digests[len(digests)-1].replication)
		}
		lastArm = a
		if i == 0 {
			w.Firms, w.Pool = FirmCount(r), EntryPoolCount(r)
			// The network simulated, for the figure of the network and
			// for readers: the directory holds everything they draw.
			if r.Network != nil && len(r.Firms.Status) > 0 {
				if err := written(NetworkDir, writeNetwork(tmp, r.Network)); err != nil {
					return w, err
				}
			}
		}
		pair.add(r)
		if writeCSVs {
			ts, firms, events := csvs[0], csvs[1], csvs[2]
			if err := timeseriesRows(ts.cw, r, &rows); err != nil {
				return w, written(ts.name, err)
			}
			if err := firmRows(firms.cw, r, &rows); err != nil {
				return w, written(firms.name, err)
			}
			if err := eventRows(events.cw, r, &rows); err != nil {
				return w, written(events.name, err)
			}
		}
		if pqs != nil {
			if name, err := pqs.add(r, pair); err != nil {
				return w, written(name, err)
			}
		}
		d := digestOf(r)
		d.additionality = pair.classify(r)
		digests = append(digests, d)
	}
	for _, c := range csvs {
		if err := written(c.name, c.close()); err != nil {
			return w, err
		}
	}
	csvs = nil
	if pqs != nil {
		if err := pqs.close(written); err != nil {
			return w, err
		}
	}
	if err := written(RunsFile, writeRuns(tmp, digests, writeParquet)); err != nil {
		return w, err
	}

	if w.Summary, err = summarize(digests); err != nil {
		return w, err
	}
	for _, f := range []struct {
		name string
		v    any
	}{{SummaryFile, w.Summary}, {MetaFile, meta}} {
		if err := written(f.name, writeFile(filepath.Join(tmp, f.name), func(out io.Writer) error { return writeJSON(out, f.v) })); err != nil {
			return w, err
		}
	}
	if extra != nil {
		if err := extra(tmp); err != nil {
			return w, &tmpError{err, tmp, dir}
		}
	}
	if err := checkFree(dir); err != nil {
		return w, err
	}
	if err := RenameDir(tmp, dir, false); err != nil {
		return w, fmt.Errorf("results: %w", err)
	}
	return w, nil
}

// FirmCount returns the number of firms of r active at the start: the
// size of its network less its entry pool (dormant firms, which
// EntryPoolCount counts) or, without a network, the "firms_active" series
// at the first step plus the "failures" of that step (0 when these are not
// recorded). Every command and the report show this count, with the pool
// beside it.
func FirmCount(r *outcome.Result) int {
	if r.Network != nil {
		return r.Network.N() - r.Network.EntryPool()
	}
	active, failed := slices.Index(r.Metrics, "firms_active"), slices.Index(r.Metrics, "failures")
	if active < 0 || failed < 0 || r.Steps() == 0 {
		return 0
	}
	return int(math.Round(r.Value(0, active) + r.Value(0, failed)))
}

// EntryPoolCount returns the number of dormant firms of r's network that
// may enter during the run (0 without a network or an entry pool).
func EntryPoolCount(r *outcome.Result) int {
	if r.Network == nil {
		return 0
	}
	return r.Network.EntryPool()
}

// PoolWords returns " (+N in the entry pool)" for a pool of N > 0 firms,
// and "" without one: what follows a count of firms active at the start.
func PoolWords(pool int) string {
	if pool <= 0 {
		return ""
	}
	return fmt.Sprintf(" (+%d in the entry pool)", pool)
}

// csvFile is a CSV file being written through a buffer.
type csvFile struct {
	name string
	f    *os.File
	bw   *bufio.Writer
	cw   *csv.Writer
}

// createCSV creates path and writes header to it.
func createCSV(path, name string, header []string) (*csvFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	c := &csvFile{name: name, f: f, bw: bufio.NewWriterSize(f, 1<<16)}
	c.cw = csv.NewWriter(c.bw)
	if err := c.cw.Write(header); err != nil {
		c.abort()
		return nil, err
	}
	return c, nil
}

// close flushes, syncs and closes the file.
func (c *csvFile) close() error {
	c.cw.Flush()
	err := c.cw.Error()
	if err == nil {
		err = c.bw.Flush()
	}
	if err == nil {
		err = c.f.Sync()
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	c.f = nil
	return err
}

// abort closes the file if it is still open.
func (c *csvFile) abort() {
	if c.f != nil {
		c.f.Close()
		c.f = nil
	}
}

// tmpError is an error met while writing into the temporary directory tmp
// of WriteDir. tmp is removed by the time the error is shown, so its
// message names the output directory dir in place of tmp: "write
// out/firms.csv: no space left on device", not "write out.tmp-123/firms.csv".
type tmpError struct {
	err      error
	tmp, dir string
}

func (e *tmpError) Error() string { return strings.ReplaceAll(e.err.Error(), e.tmp, e.dir) }
func (e *tmpError) Unwrap() error { return e.err }

// checkFree returns an error if dir exists and is not an empty directory.
func checkFree(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory", dir)
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) > 0 {
		return fmt.Errorf("output directory %s exists and is not empty: choose another or remove it", dir)
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

// CheckFree returns an error if dir exists and is not an empty directory,
// that is if WriteDir would refuse it, or if dir cannot be written because
// its file system is read-only or permission is denied. Callers use it to
// fail before a long run rather than after.
func CheckFree(dir string) error {
	dir = filepath.Clean(dir)
	if err := checkFree(dir); err != nil {
		return err
	}
	return checkWritable(dir)
}

// checkWritable creates and removes a directory where WriteDir would create
// its temporary directory (or the first missing parent of dir), and returns
// an error naming dir if that is refused for lack of permission or because
// the file system is read-only. Other errors (a full disk) are left for the
// write to meet.
func checkWritable(dir string) error {
	at := filepath.Dir(dir)
	for {
		if _, err := os.Stat(at); err == nil || !errors.Is(err, os.ErrNotExist) {
			break
		}
		up := filepath.Dir(at)
		if up == at {
			break
		}
		at = up
	}
	probe, err := os.MkdirTemp(at, "."+filepath.Base(dir)+".tmp-*")
	if err == nil {
		os.Remove(probe)
		return nil
	}
	if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("output directory %s cannot be written: %s: %w", dir, at, err)
	}
	return nil
}

// writeFile creates path, writes it through a buffer with write, and syncs
// and closes it.
func writeFile(path string, write func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// BuildVersion is the main module's version from the build information:
// a release tag, the pseudo-version that go build stamps from the VCS
// (v0.0.0-<time>-<revision>, +dirty when modified), or "(devel)" where
// none was stamped (go run, go test, -buildvcs=false).
func BuildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// buildRevision returns the VCS revision of a build and whether its work
// tree was modified, from the settings go build stamps (vcs.revision,
// vcs.modified), or "" and false.
func buildRevision(bi *debug.BuildInfo) (revision string, modified bool) {
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return revision, modified
}

// Ordered checks results held in memory and returns them as a Stream in
// file order: by arm (in order of first appearance) and then replication.
func Ordered(results []*outcome.Result) (Slice, error) {
	if len(results) == 0 {
		return nil, errors.New("results: no results to write")
	}
	armIndex := map[string]int{}
	armMetrics := map[string][]string{}
	type key struct {
		arm string
		rep int
	}
	seen := map[key]bool{}
	for i, r := range results {
		if r == nil {
			return nil, fmt.Errorf("results: result %d is nil", i)
		}
		if err := check(r); err != nil {
			return nil, fmt.Errorf("results: arm %q replication %d: %w", r.Arm, r.Replication, err)
		}
		if _, ok := armIndex[r.Arm]; !ok {
			armIndex[r.Arm] = len(armIndex)
			armMetrics[r.Arm] = r.Metrics
		} else if !slices.Equal(armMetrics[r.Arm], r.Metrics) {
			return nil, fmt.Errorf("results: arm %q replication %d records other metrics than the arm's first replication", r.Arm, r.Replication)
		}
		k := key{r.Arm, r.Replication}
		if seen[k] {
			return nil, fmt.Errorf("results: arm %q replication %d appears twice", r.Arm, r.Replication)
		}
		seen[k] = true
	}
	out := make(Slice, len(results))
	copy(out, results)
	slices.SortStableFunc(out, func(a, b *outcome.Result) int {
		if c := cmp.Compare(armIndex[a.Arm], armIndex[b.Arm]); c != 0 {
			return c
		}
		return cmp.Compare(a.Replication, b.Replication)
	})
	return out, nil
}

// check verifies that a result is consistent enough to be written.
func check(r *outcome.Result) error {
	if r.Network == nil && (len(r.Firms.Status) > 0 || len(r.Events) > 0) {
		return errors.New("no network")
	}
	n := networkSize(r)
	if len(r.Metrics) == 0 {
		if len(r.Series) != 0 {
			return fmt.Errorf("%d series values but no metrics", len(r.Series))
		}
	} else if len(r.Series)%len(r.Metrics) != 0 {
		return fmt.Errorf("%d series values is not a whole number of steps of %d metrics", len(r.Series), len(r.Metrics))
	}
	fo := r.Firms
	lens := []int{len(fo.Status), len(fo.FailStep), len(fo.Cause), len(fo.RevenueChange), len(fo.RunwayMonths), len(fo.Jobs)}
	for _, l := range lens {
		if l != lens[0] || (l != 0 && l != n) {
			return fmt.Errorf("firm outcomes have lengths %v; want all %d (or all 0)", lens, n)
		}
	}
	for k, e := range r.Events {
		if e.Firm < 0 || int(e.Firm) >= n || e.Cascade < 0 || int(e.Cascade) >= n {
			return fmt.Errorf("event %d: firm or cascade out of range [0,%d)", k, n)
		}
		for _, p := range e.Parents {
			if p < 0 || int(p) >= n {
				return fmt.Errorf("event %d: parent %d out of range [0,%d)", k, p, n)
			}
		}
	}
	return nil
}
