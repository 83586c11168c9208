package batch

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smesim/smesim/sim/outcome"
	"github.com/smesim/smesim/sim/results"
)

// Files of a batch directory.
const (
	ScenarioFile = "scenario.toml"
	UnitsDir     = "units"
	UnitsLog     = "units.log"
)

// ManifestOf returns the manifest of plan.
func ManifestOf(plan *Plan) results.Manifest {
	sum := sha256.Sum256(plan.Scenario)
	m := results.Manifest{Format: results.ManifestFormat, Kind: plan.Kind, ScenarioSHA256: hex.EncodeToString(sum[:]),
		Points: len(plan.Points), Replications: plan.Reps, Runs: plan.Runs(), Inputs: plan.Inputs}
	for _, a := range plan.Arms {
		m.Arms = append(m.Arms, a.Name)
	}
	return m
}

// Store is a batch directory.
type Store struct {
	dir      string
	manifest results.Manifest
	mu       sync.Mutex // serialises appends to the log
	log      *os.File
	lock     *dirLock        // held by a store open for writing
	stop     context.Context // see StopOn; nil: never
}

// StopOn makes reading and writing runs fail with ctx's error once ctx is
// done, so that a long assembly of result files (one run at a time)
// stops at the next run when the command is interrupted.
func (s *Store) StopOn(ctx context.Context) { s.stop = ctx }

// stopped returns the error of the context given to StopOn, if it is done.
func (s *Store) stopped() error {
	if s.stop == nil {
		return nil
	}
	return s.stop.Err()
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Manifest returns what the store holds.
func (s *Store) Manifest() results.Manifest { return s.manifest }

// Create opens dir as the store of plan, for writing: it creates dir with
// its manifest and scenario if dir does not exist or is empty, and
// otherwise checks that dir holds this very batch (to resume it). The
// store holds dir locked (see LockFile) until Close: if another process
// holds it, the error wraps ErrLocked. Holding the lock, it removes the
// temporary files an interrupted writer (killed, say) left.
func Create(dir string, plan *Plan) (*Store, error) {
	dir = filepath.Clean(dir)
	// A directory that is not a batch directory is refused before a lock
	// file is made in it. One that holds a lock file may be a batch
	// another process is creating (locked, its manifest not yet written):
	// it is judged under the lock, by create.
	if _, err := results.ReadManifest(dir); errors.Is(err, os.ErrNotExist) {
		if entries, derr := os.ReadDir(dir); derr == nil && !onlyLock(entries) && !hasLock(entries) {
			return nil, fmt.Errorf("%s exists and is not a smesim batch directory (no %s): choose another --out", dir, results.ManifestFile)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s, err := create(dir, plan)
	if err != nil {
		lock.release()
		return nil, err
	}
	s.lock = lock
	return s, nil
}

// hasLock reports whether entries hold a lock file.
func hasLock(entries []os.DirEntry) bool {
	return slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == LockFile })
}

// onlyLock reports whether entries hold nothing but a lock file.
func onlyLock(entries []os.DirEntry) bool {
	return len(entries) == 0 || len(entries) == 1 && entries[0].Name() == LockFile
}

// create is Create once dir is locked.
func create(dir string, plan *Plan) (*Store, error) {
	want := ManifestOf(plan)
	m, err := results.ReadManifest(dir)
	switch {
	case err == nil:
		if change := m.InputsChanged(want); change != "" {
			return nil, fmt.Errorf("%s holds runs of the same scenario with other input files: %s since they were run; restore the files to resume, or choose another --out",
				dir, change)
		}
		if !m.Equal(want) {
			return nil, fmt.Errorf("%s holds another batch (%s of %d runs, scenario sha256 %.12s…), not this %s of %d runs (scenario sha256 %.12s…): choose another --out",
				dir, m.Kind, m.Runs, m.ScenarioSHA256, want.Kind, want.Runs, want.ScenarioSHA256)
		}
	case errors.Is(err, os.ErrNotExist):
		entries, derr := os.ReadDir(dir)
		if derr == nil && !onlyLock(entries) {
			return nil, fmt.Errorf("%s exists and is not a smesim batch directory (no %s): choose another --out", dir, results.ManifestFile)
		}
		if err := initDir(dir, plan, want); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	s := &Store{dir: dir, manifest: want}
	if err := s.clean(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, UnitsLog), os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	if err := endLine(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("batch: %w", err)
	}
	s.log = f
	return s, nil
}

// endLine ends the log f with a newline if its last line is torn (a crash
// or a full disk cut an append short), so that the next run's line is not
// glued to it and lost: only the torn line is then ignored.
func endLine(f *os.File) error {
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	if _, err := f.Write([]byte{'\n'}); err != nil {
		return err
	}
	return f.Sync()
}

// Open opens an existing batch directory for reading.
func Open(dir string) (*Store, error) {
	dir = filepath.Clean(dir)
	m, err := results.ReadManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s is not a smesim batch directory (no %s)", dir, results.ManifestFile)
	}
	if err != nil {
		return nil, err
	}
	return &Store{dir: dir, manifest: m}, nil
}

// Scenario returns the resolved scenario stored in the batch directory.
func (s *Store) Scenario() ([]byte, error) {
	return os.ReadFile(filepath.Join(s.dir, ScenarioFile))
}

// Close closes the log and releases the directory's lock.
func (s *Store) Close() error {
	defer func() {
		s.lock.release()
		s.lock = nil
	}()
	if s.log == nil {
		return nil
	}
	err := s.log.Close()
	s.log = nil
	return err
}

// initDir creates a batch directory: units/, the copies of its input
// files, scenario.toml, and the manifest last, each written atomically, so
// that a directory with a manifest is complete.
func initDir(dir string, plan *Plan, m results.Manifest) error {
	if err := os.MkdirAll(filepath.Join(dir, UnitsDir), 0o755); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	for _, c := range plan.Copies {
		if err := copyAtomic(filepath.Join(dir, filepath.FromSlash(c.To)), c.From); err != nil {
			return err
		}
	}
	if err := writeAtomic(filepath.Join(dir, ScenarioFile), plan.Scenario); err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, results.ManifestFile), append(data, '\n'))
}

// writeAtomic writes data to path atomically (see results.AtomicFile).
func writeAtomic(path string, data []byte) error {
	err := results.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	return nil
}

// copyAtomic copies the file from to path atomically.
func copyAtomic(path, from string) error {
	in, err := os.Open(from)
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	err = results.WriteFileAtomic(path, func(w io.Writer) error {
		if _, err := io.Copy(w, in); err != nil {
			return fmt.Errorf("copying %s: %w", from, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	return nil
}

// clean removes temporary files and directories left by an interrupted
// write (the writer killed, say): in dir and units/ those of writeAtomic
// and of the figures (".NAME.tmp-*"), in points/ those of a point's result
// directory ("K.tmp-*"). The caller holds the lock, so no live process is
// writing them.
func (s *Store) clean() error {
	for _, d := range []string{s.dir, filepath.Join(s.dir, UnitsDir), filepath.Join(s.dir, PointsDir)} {
		entries, err := os.ReadDir(d)
		if errors.Is(err, os.ErrNotExist) && d != s.dir {
			continue
		}
		if err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp-") && (strings.HasPrefix(e.Name(), ".") || d == filepath.Join(s.dir, PointsDir)) {
				if err := os.RemoveAll(filepath.Join(d, e.Name())); err != nil {
					return fmt.Errorf("batch: %w", err)
				}
			}
		}
	}
	return nil
}

func (s *Store) unitPath(u int) string {
	return filepath.Join(s.dir, UnitsDir, fmt.Sprintf("%08d.gob", u))
}

// Finished returns the runs whose files are on disk with the hash the log
// records for them.
func (s *Store) Finished() (map[int]bool, error) {
	logged, err := s.logged()
	if err != nil {
		return nil, err
	}
	done := make(map[int]bool, len(logged))
	for u, want := range logged {
		data, err := os.ReadFile(s.unitPath(u))
		if err != nil {
			continue
		}
		if hashOf(data) == want {
			done[u] = true
		}
	}
	return done, nil
}

// logged reads the log: the last hash recorded per run. A torn last line
// (a crash mid-append) is ignored.
func (s *Store) logged() (map[int]string, error) {
	f, err := os.Open(filepath.Join(s.dir, UnitsLog))
	if errors.Is(err, os.ErrNotExist) {
		return map[int]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), " ")
		u, err := strconv.Atoi(a)
		if !ok || err != nil || u < 0 || u >= s.manifest.Runs || len(b) != 64 {
			continue
		}
		out[u] = b
	}
	return out, sc.Err()
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// unit is a run as stored: a outcome.Result without its network, which is
// rebuilt from the scenario when the result is read.
type unit struct {
	Arm           string
	Replication   int
	StepDays      float64
	StartDate     time.Time
	ShockStep     int
	Metrics       []string
	Series        []float64
	Firms         outcome.FirmOutcomes
	Events        []outcome.Event
	Interventions []outcome.InterventionOutcome
}

// Put stores the result of run u: its file is written and renamed into
// place, then logged with its hash.
func (s *Store) Put(u int, r *outcome.Result) error {
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(unit{Arm: r.Arm, Replication: r.Replication, StepDays: r.StepDays,
		StartDate: r.StartDate, ShockStep: r.ShockStep, Metrics: r.Metrics, Series: r.Series, Firms: r.Firms,
		Events: r.Events, Interventions: r.Interventions})
	if err != nil {
		return fmt.Errorf("batch: encoding run %d: %w", u, err)
	}
	return s.PutRaw(u, buf.Bytes())
}

// PutRaw stores the encoded run u (as read by Raw from another store).
func (s *Store) PutRaw(u int, data []byte) error {
	if err := s.stopped(); err != nil {
		return err
	}
	if err := writeAtomic(s.unitPath(u), data); err != nil {
		return err
	}
	line := strconv.Itoa(u) + " " + hashOf(data) + "\n"
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.WriteString(s.log, line); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	return s.log.Sync()
}

// Raw returns the stored bytes of run u, checked against the log's hash.
func (s *Store) Raw(u int, wantHash string) ([]byte, error) {
	if err := s.stopped(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(s.unitPath(u))
	if err != nil {
		return nil, fmt.Errorf("batch: run %d: %w", u, err)
	}
	if wantHash != "" && hashOf(data) != wantHash {
		return nil, fmt.Errorf("batch: %s does not match its hash in %s", s.unitPath(u), UnitsLog)
	}
	return data, nil
}

// Get reads run u. Its Network is nil.
func (s *Store) Get(u int) (*outcome.Result, error) {
	data, err := s.Raw(u, "")
	if err != nil {
		return nil, err
	}
	var x unit
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&x); err != nil {
		return nil, fmt.Errorf("batch: reading %s: %w", s.unitPath(u), err)
	}
	return &outcome.Result{Arm: x.Arm, Replication: x.Replication, StepDays: x.StepDays, StartDate: x.StartDate,
		ShockStep: x.ShockStep, Metrics: x.Metrics, Series: x.Series, Firms: x.Firms, Events: x.Events,
		Interventions: x.Interventions}, nil
}

// SortLog rewrites the log in run order, one line per finished run, so
// that a completed batch directory does not depend on the order in which
// runs finished.
func (s *Store) SortLog(done map[int]string) error {
	var b strings.Builder
	runs := make([]int, 0, len(done))
	for u := range done {
		runs = append(runs, u)
	}
	slices.Sort(runs)
	for _, u := range runs {
		b.WriteString(strconv.Itoa(u) + " " + done[u] + "\n")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log != nil {
		s.log.Close()
	}
	if err := writeAtomic(filepath.Join(s.dir, UnitsLog), []byte(b.String())); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, UnitsLog), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	s.log = f
	return nil
}
