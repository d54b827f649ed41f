//go:build unix

package membw

import (
	"syscall"
	"unsafe"
)

// alloc maps n words outside the Go heap, advised for huge pages like the
// model loader's memory (so the roofline is measured on the same kind of
// memory the weights live in), so the buffer is returned to the
// OS at once and never left for the garbage collector to sweep while the
// caller benchmarks something else.
func alloc(n int) ([]uint64, func()) {
	b, err := syscall.Mmap(-1, 0, n*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]uint64, n), func() {}
	}
	adviseHugePages(b)
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n), func() { syscall.Munmap(b) }
}
