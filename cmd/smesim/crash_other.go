//go:build !unix

package main

// noCoreFiles does nothing where there are no core files to limit.
func noCoreFiles() {}
