//go:build unix

package main

import "syscall"

// noCoreFiles sets the soft limit on core files to 0.
func noCoreFiles() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_CORE, &lim) == nil {
		lim.Cur = 0
		_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &lim) // best effort: a crash still dies of SIGABRT
	}
}
