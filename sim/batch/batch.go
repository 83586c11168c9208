// Package batch runs the runs of a scenario — every (point, arm,
// replication) of a sweep, or every (arm, replication) of a plain run — in
// parallel; keeps each finished run on disk, so that an interrupted batch
// resumes where it stopped and a batch split into shards (on the machines
// of a cluster) can be merged; and assembles the result files, which are
// the same bytes however the runs were spread over workers, shards and
// restarts.
//
// A batch directory holds:
//
//	manifest.json   what the batch is: kind, scenario hash, hashes of the files it names, numbers of points, arms and replications
//	scenario.toml   the resolved scenario
//	units/NNNNNNNN.gob  one finished run each, written to a temporary file and renamed
//	units.log       "<run> <sha256>" per finished run, appended after the rename
//
// A run counts as finished only when its file's hash matches its log line,
// so a crash at any moment leaves nothing that resuming would trust but
// should not.
package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smesim/smesim/sim/config"
	"github.com/smesim/smesim/sim/results"
)

// Kinds of batch.
const (
	KindRun         = "run"
	KindSweep       = "sweep"
	KindSensitivity = "sensitivity" // the rows of a sensitivity design are its points
	KindCalibration = "calibration" // the particles of a calibration's generation are its points
)

// Point is one point of a sweep: the values of its parameters and the
// scenario they give.
type Point struct {
	Index    int
	Values   []string // one per Plan.Keys, as written in sweep.csv
	Config   *config.Config
	Scenario []byte // Config as TOML: the point's scenario.toml
}

// Plan is the list of runs of a batch. Runs are numbered point-major, then
// arm, then replication: run u is point u / (arms × reps), arm
// (u / reps) mod arms, replication FirstRep + u mod reps.
type Plan struct {
	Kind string
	Keys []string // sweep parameters, in column order
	// Points are the points, in order. With Build set they hold only
	// their Index, and Build makes the rest of a point when it is needed,
	// so that the memory of a sweep is that of the points under way, not
	// of all its scenarios; Point returns a whole point either way.
	Points []Point
	// Build, if not nil, builds point i's Config, Encode its Scenario
	// from it, and Values its Values. They must be safe to call from
	// several goroutines at once.
	Build    func(i int) *config.Config
	Encode   func(*config.Config) ([]byte, error)
	Values   func(i int) []string
	Arms     []config.Arm
	Reps     int
	Scenario []byte // the resolved scenario (TOML), whose hash identifies the batch
	// Inputs are the files the scenario and its points name (a file
	// network's firms and edges), by content: they identify the batch
	// with Scenario, so that a batch whose files changed is not resumed
	// or merged with runs of the old files.
	Inputs []results.Input
	// Copies are files copied into the batch directory when it is made:
	// the input files, which Scenario then names by their copies under
	// results.InputDir, so that the directory's runs can be assembled (merged)
	// wherever the directory is.
	Copies []FileCopy
	// FirstRep is the number of the first replication: a batch that
	// continues the replications of another (a rung of successive
	// halving) starts where that one stopped. The manifest does not
	// record it: a plan that sets it says so in Scenario.
	FirstRep int
}

// FileCopy is a file copied into a batch directory: From, the path read,
// to To, slash-separated and relative to the directory.
type FileCopy struct{ From, To string }

// HashCopies returns the inputs of copies, each named by its copy (To)
// with the SHA-256 of the file it copies (From): the identity of files
// that does not depend on where they are.
func HashCopies(copies []FileCopy) ([]results.Input, error) {
	var out []results.Input
	for _, c := range copies {
		sum, err := hashFile(c.From)
		if err != nil {
			return nil, fmt.Errorf("hashing input %s: %w", c.From, err)
		}
		out = append(out, results.Input{File: c.To, SHA256: sum})
	}
	return out, nil
}

// HashInputs returns the inputs of files, named as a scenario names them
// (relative to dir unless absolute), sorted by name without duplicates.
func HashInputs(dir string, files []string) ([]results.Input, error) {
	files = slices.Clone(files)
	slices.Sort(files)
	files = slices.Compact(files)
	var out []results.Input
	for _, name := range files {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, name)
		}
		sum, err := hashFile(path)
		if err != nil {
			return nil, fmt.Errorf("hashing input %s: %w", name, err)
		}
		out = append(out, results.Input{File: name, SHA256: sum})
	}
	return out, nil
}

// hashFile returns the SHA-256 of the file at path, in hex, reading it as
// a stream.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Point returns point i with its Config and Scenario.
func (p *Plan) Point(i int) (Point, error) {
	pt := p.Points[i]
	if p.Build == nil || pt.Config != nil {
		return pt, nil
	}
	pt.Config = p.Build(i)
	data, err := p.Encode(pt.Config)
	if err != nil {
		return Point{}, fmt.Errorf("encoding the scenario of point %d: %w", i, err)
	}
	pt.Scenario = data
	if pt.Values == nil && p.Values != nil {
		pt.Values = p.Values(i)
	}
	return pt, nil
}

// PointConfig returns the configuration of point i.
func (p *Plan) PointConfig(i int) *config.Config {
	if p.Build == nil || p.Points[i].Config != nil {
		return p.Points[i].Config
	}
	return p.Build(i)
}

// Runs returns the number of runs.
func (p *Plan) Runs() int { return len(p.Points) * len(p.Arms) * p.Reps }

// Run returns the point, arm and replication of run u.
func (p *Plan) Run(u int) (point, arm, rep int) {
	return u / (len(p.Arms) * p.Reps), (u / p.Reps) % len(p.Arms), p.FirstRep + u%p.Reps
}

// Shard is a share of a batch's runs: run u belongs to shard I of N when
// u mod N = I. Shard{0, 1} is the whole batch.
type Shard struct{ I, N int }

// Whole is the shard of every run.
var Whole = Shard{0, 1}

// Has reports whether run u belongs to the shard.
func (s Shard) Has(u int) bool { return u%s.N == s.I }

func (s Shard) String() string { return strconv.Itoa(s.I) + "/" + strconv.Itoa(s.N) }

// ParseShard reads "I/N" with 0 ≤ I < N.
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(text, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want I/N with 0 ≤ I < N, e.g. 0/4", text)
	}
	return Shard{i, n}, nil
}
