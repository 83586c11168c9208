package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/smesim/smesim/sim/batch"
)

// A stage is one batch of a search made of batches that each depend on
// the last (the rungs of smesim optimise): its runs are kept in a batch
// directory per shard, DIR/NAME for the whole and DIR/NAME-shard-I-of-N
// for shard I/N, all in one directory DIR that the shards share (a
// cluster's shared file system). A stage is complete when its stores
// together hold every run: the next stage is then a function of its runs,
// whichever processes made them.

// stageDir returns the batch directory of shard s of stage name in dir.
func stageDir(dir, name string, s batch.Shard) string {
	if s == batch.Whole {
		return filepath.Join(dir, name)
	}
	return filepath.Join(dir, fmt.Sprintf("%s-shard-%d-of-%d", name, s.I, s.N))
}

// stageStores opens for reading the existing stores of stage name in dir
// but skip, checking that each holds runs of plan.
func stageStores(dir, name, skip string, plan *batch.Plan) ([]*batch.Store, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	want := batch.ManifestOf(plan)
	var out []*batch.Store
	for _, en := range entries {
		path := filepath.Join(dir, en.Name())
		if !en.IsDir() || path == skip || en.Name() != name && !strings.HasPrefix(en.Name(), name+"-shard-") {
			continue
		}
		s, err := batch.Open(path)
		if err != nil {
			continue // a shard's directory under creation: it holds no run yet
		}
		if m := s.Manifest(); !m.Equal(want) {
			return nil, badInputf("%s holds other runs (scenario sha256 %.12s…, %d runs) than this stage of %d runs (%.12s…): were the shards run with other flags or files?",
				path, m.ScenarioSHA256, m.Runs, want.Runs, want.ScenarioSHA256)
		}
		out = append(out, s)
	}
	return out, nil
}

// finishedIn returns the runs the stores hold.
func finishedIn(stores []*batch.Store) (map[int]bool, error) {
	done := map[int]bool{}
	for _, s := range stores {
		d, err := s.Finished()
		if err != nil {
			return nil, err
		}
		for u := range d {
			done[u] = true
		}
	}
	return done, nil
}

// stageRun is what runStage did.
type stageRun struct {
	src     *batch.Sources // every run, when the stage is complete; nil otherwise
	ran     int            // runs done now
	missing int            // runs no store holds yet
	close   func()         // closes the stores src reads
}

// runStage does the runs of shard opts.shard of stage name of a search in
// dir that no store of the stage holds yet, into the shard's own batch
// directory, and returns the sources of every run if the stage is then
// complete. A shard's runs finished by the other shards (or a whole run)
// are not done again, so a whole run after shards does only what they
// left. ctx done: the finished runs are kept, and ctx's error returned.
func runStage(ctx context.Context, e *env, dir, name string, plan *batch.Plan, opts batchOptions, workers int) (*stageRun, error) {
	own := stageDir(dir, name, opts.shard)
	stores, err := stageStores(dir, name, own, plan)
	if err != nil {
		return nil, err
	}
	st := &stageRun{close: func() {
		for _, s := range stores {
			s.Close()
		}
	}}
	elsewhere, err := finishedIn(stores)
	if err != nil {
		st.close()
		return nil, err
	}
	todo := false
	for u := 0; u < plan.Runs() && !todo; u++ {
		todo = opts.shard.Has(u) && !elsewhere[u]
	}
	if _, err := os.Stat(own); todo || err == nil {
		s, _, err := openBatch(own, "", plan)
		if err != nil {
			st.close()
			return nil, err
		}
		stores = append([]*batch.Store{s}, stores...)
		report, finish := batchProgress(e.stderr, opts.progress)
		st.ran, err = batch.Execute(ctx, plan, s, batch.Options{Workers: workers, Threads: opts.threads, Shard: opts.shard,
			Elsewhere: elsewhere, Progress: report})
		finish(err == nil)
		if err != nil {
			st.close()
			return nil, err
		}
	}
	done, err := finishedIn(stores)
	if err != nil {
		st.close()
		return nil, err
	}
	st.missing = plan.Runs() - len(done)
	if st.missing > 0 {
		return st, nil
	}
	if st.src, err = batch.Collect(plan, stores); err != nil {
		st.close()
		return nil, err
	}
	for _, s := range stores {
		s.StopOn(ctx)
	}
	return st, nil
}
