package machine

import (
	"syscall"
	"unsafe"
)

// hugeFloats returns n float64s mapped outside the Go heap and backed by
// huge pages where the kernel allows, as the engine's arrays are (see
// sim's arena), so that the copy measures memory on the same footing; free
// unmaps them. It falls back to the Go heap.
func hugeFloats(n int) (v []float64, free func()) {
	mem, err := syscall.Mmap(-1, 0, n*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]float64, n), func() {}
	}
	_ = syscall.Madvise(mem, 14) // MADV_HUGEPAGE: only advice
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(mem))), n), func() { _ = syscall.Munmap(mem) }
}
