package batch

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// LockFile is the file of a batch directory that its writer holds locked:
// two processes never write into one batch directory at once. It holds
// the writer's process id and is removed when the writer closes the store.
const LockFile = ".lock"

// ErrLocked is returned by Create when another process holds the batch
// directory.
var ErrLocked = errors.New("in use by another process")

// lockedError is ErrLocked with a message naming the directory and its
// holder.
type lockedError struct{ msg string }

func (e *lockedError) Error() string        { return e.msg }
func (e *lockedError) Is(target error) bool { return target == ErrLocked }

// dirLock is a held lock on a batch directory.
type dirLock struct {
	f    *os.File
	path string
}

// lockDir locks dir, which must exist, for this process: it takes an
// exclusive, non-blocking lock on dir/LockFile, which the kernel releases
// when the process dies (so kill -9 leaves no stale lock), and writes the
// process id into it. If another process holds it, the error wraps
// ErrLocked and names that process's id when known.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockFile)
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("batch: locking %s: %w", dir, err)
		}
		if err := flockExclusive(f); err != nil {
			f.Close()
			if errors.Is(err, errWouldBlock) {
				who := "another process"
				if data, rerr := os.ReadFile(path); rerr == nil {
					if pid, perr := strconv.Atoi(string(bytes.TrimSpace(data))); perr == nil && pid > 0 {
						who = "process " + strconv.Itoa(pid)
					}
				}
				return nil, &lockedError{fmt.Sprintf("%s is in use by %s (another smesim writing into it): wait for it to finish or stop it, or choose another --out",
					dir, who)}
			}
			return nil, fmt.Errorf("batch: locking %s: %w", dir, err)
		}
		// The holder before us may have removed the file between our open
		// and our lock: then the lock is on a file no one else will see.
		fi, ferr := f.Stat()
		pi, perr := os.Stat(path)
		if ferr != nil || perr != nil || !os.SameFile(fi, pi) {
			f.Close()
			continue
		}
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
		return &dirLock{f: f, path: path}, nil
	}
	return nil, fmt.Errorf("batch: locking %s: its lock file keeps being replaced", dir)
}

// Lock is a held lock on a directory (see LockDir).
type Lock struct{ l *dirLock }

// LockDir creates dir if needed and locks it as Create locks a batch
// directory, for writers of other directories (a run's result directory,
// say) to exclude each other; the error wraps ErrLocked if another process
// holds it.
func LockDir(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	l, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	return &Lock{l}, nil
}

// Release removes the lock file and drops the lock.
func (l *Lock) Release() { l.l.release() }

// release removes the lock file, then drops the lock.
func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path)
	l.f.Close()
	l.f = nil
}
