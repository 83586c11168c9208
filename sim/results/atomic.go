package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// createTemp is os.CreateTemp (the last "*" of pattern is replaced by a
// random string) but for the mode: 0644 less the umask, as the files of a
// run, where os.CreateTemp makes 0600 files.
func createTemp(dir, pattern string) (*os.File, error) {
	prefix, suffix := pattern, ""
	if i := strings.LastIndex(pattern, "*"); i >= 0 {
		prefix, suffix = pattern[:i], pattern[i+1:]
	}
	for range 1000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, os.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("creating a temporary file in %s: too many attempts", dir)
}

// AtomicFile is a file written through a buffer into a temporary file in
// its directory (".NAME.tmp-*", mode 0644 less the umask) and renamed into
// place by Commit, so that it appears complete or not at all: the one way
// smesim writes a file that may be read while it is written or after a
// crash.
type AtomicFile struct {
	path string
	tmp  *os.File
	w    *bufio.Writer
}

// CreateAtomic starts the atomic write of the file at path.
func CreateAtomic(path string) (*AtomicFile, error) {
	tmp, err := createTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &AtomicFile{path: path, tmp: tmp, w: bufio.NewWriterSize(tmp, 1<<16)}, nil
}

// Write writes p into the temporary file.
func (f *AtomicFile) Write(p []byte) (int, error) { return f.w.Write(p) }

// Commit flushes and syncs the file and renames it into place, replacing
// any file at its path.
func (f *AtomicFile) Commit() error {
	err := f.w.Flush()
	if err == nil {
		err = f.tmp.Sync()
	}
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.tmp.Name())
		f.tmp = nil
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	f.tmp = nil
	return syncDir(filepath.Dir(f.path))
}

// Abandon removes the temporary file unless Commit was called: deferred
// after CreateAtomic, it cleans up after an error.
func (f *AtomicFile) Abandon() {
	if f.tmp != nil {
		f.tmp.Close()
		os.Remove(f.tmp.Name())
		f.tmp = nil
	}
}

// WriteFileAtomic writes the file at path with write, atomically (see
// AtomicFile).
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	defer f.Abandon()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

// MkdirTemp creates a temporary directory in parent named after pattern as
// os.MkdirTemp does, but with mode 0755 (less the umask), as the directory
// it becomes: the one way smesim makes a directory to be renamed into
// place when complete (see RenameDir).
func MkdirTemp(parent, pattern string) (string, error) {
	tmp, err := os.MkdirTemp(parent, pattern)
	if err != nil {
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}

// RenameDir moves the complete temporary directory tmp (see MkdirTemp) to
// dir and syncs dir's parent. An empty directory at dir is replaced; one
// with files is replaced only when replace is true, and is otherwise an
// error.
func RenameDir(tmp, dir string, replace bool) error {
	if err := syncDir(tmp); err != nil {
		return err
	}
	remove := os.Remove
	if replace {
		remove = os.RemoveAll
	}
	if err := remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	// The rename is done: from here the directory is in place, and a
	// failed sync of the parent is not worth undoing it.
	_ = syncDir(filepath.Dir(dir))
	return nil
}

// syncDir syncs the directory dir, where the file system allows it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
