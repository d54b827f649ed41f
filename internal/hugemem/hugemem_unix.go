//go:build unix

package hugemem

import "syscall"

// Alloc maps n bytes of private anonymous memory advised for huge pages.
func Alloc(n int) ([]byte, func()) {
	if n <= 0 {
		return nil, func() {}
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n), func() {}
	}
	Advise(b)
	return b, func() { _ = syscall.Munmap(b) }
}
