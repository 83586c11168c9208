//go:build !linux

package sim

// arena is the Go heap outside Linux.
type arena struct{}

func newArena(size uintptr) *arena { return nil }

func mapArena(size uintptr) *arena { return nil }

func alloc[T ~int32 | ~float64 | ~bool | ~uint32 | ~uint8](a *arena, n int) []T { return make([]T, n) }

func (a *arena) free() {}

func clone[T ~int32 | ~float64 | ~bool | ~uint32 | ~uint8](a *arena, v []T) []T {
	return append([]T(nil), v...)
}
