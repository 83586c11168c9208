package machine

import "syscall"

// addressSpaceLimit returns the soft RLIMIT_AS (ulimit -v) in bytes; ok is
// false without a limit.
func addressSpaceLimit() (int64, bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &r); err != nil || r.Cur >= 1<<62 { // RLIM_INFINITY is all ones
		return 0, false
	}
	return int64(r.Cur), true
}
