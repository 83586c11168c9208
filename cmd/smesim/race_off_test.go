//go:build !race

package main

// raceEnabled tells whether the race detector is on: it reserves terabytes
// of address space, so tests under ulimit -v cannot run.
const raceEnabled = false
