//go:build !unix

package batch

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("would block")

// flockExclusive does nothing where flock is not available: batch
// directories are then not locked.
func flockExclusive(*os.File) error { return nil }
