package sim

import (
	"syscall"
	"unsafe"
)

// arena hands out the engine's large arrays from memory mapped outside the
// Go heap and backed by huge pages where the kernel allows (transparent
// huge pages in "madvise" mode, the common default): at a million firms a
// step reads arrays of tens of megabytes at scattered places (a supplier's
// customers), and with 4 KiB pages nearly every such read also misses the
// TLB. The arrays hold no pointers, so the garbage collector need not see
// them; free returns the memory.
type arena struct {
	mem  []byte
	used uintptr
}

// newArena maps size bytes, or returns nil (use the Go heap) when size
// is small or the mapping fails.
func newArena(size uintptr) *arena {
	if size < 64<<20 {
		return nil
	}
	return mapArena(size)
}

// mapArena maps size bytes, whatever the size, or returns nil when the
// mapping fails.
func mapArena(size uintptr) *arena {
	const huge = 2 << 20
	size = (size + huge - 1) / huge * huge
	mem, err := syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil
	}
	_ = syscall.Madvise(mem, 14) // MADV_HUGEPAGE: only advice
	return &arena{mem: mem}
}

// alloc returns n zeroed values of T from a, or from the Go heap when a is
// nil or full.
func alloc[T ~int32 | ~float64 | ~bool | ~uint32 | ~uint8](a *arena, n int) []T {
	var zero T
	size := uintptr(n) * unsafe.Sizeof(zero)
	if a == nil || n == 0 || a.used+size > uintptr(len(a.mem)) {
		return make([]T, n)
	}
	p := unsafe.Pointer(&a.mem[a.used])
	a.used += (size + 63) &^ 63
	return unsafe.Slice((*T)(p), n)
}

// free unmaps the arena; no array from it may be used afterwards.
func (a *arena) free() {
	if a != nil && a.mem != nil {
		_ = syscall.Munmap(a.mem)
		a.mem = nil
	}
}

// clone returns a copy of v in a (or on the Go heap).
func clone[T ~int32 | ~float64 | ~bool | ~uint32 | ~uint8](a *arena, v []T) []T {
	c := alloc[T](a, len(v))
	copy(c, v)
	return c
}
