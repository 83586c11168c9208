//go:build !linux

package machine

// hugeFloats returns n float64s from the Go heap.
func hugeFloats(n int) (v []float64, free func()) { return make([]float64, n), func() {} }

// addressSpaceLimit reports no address-space limit.
func addressSpaceLimit() (int64, bool) { return 0, false }
