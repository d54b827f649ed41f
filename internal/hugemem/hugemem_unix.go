//go:build unix

package hugemem

import (
	"fmt"
	"syscall"
)

// Alloc maps n bytes of private anonymous memory advised for huge pages.
func Alloc(n int) ([]byte, func(), error) {
	switch {
	case n == 0:
		return nil, func() {}, nil
	case n < 0:
		return nil, func() {}, fmt.Errorf("hugemem: cannot allocate %d bytes", n)
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, func() {}, fmt.Errorf("hugemem: mapping %d bytes: %w", n, err)
	}
	Advise(b)
	return b, func() { _ = syscall.Munmap(b) }, nil
}
