//go:build unix

package gguf

import "syscall"

// allocAnon maps n bytes of private anonymous memory advised for huge
// pages, falling back to the Go heap.
func allocAnon(n int) ([]byte, func([]byte)) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n), func([]byte) {}
	}
	adviseHugePages(b)
	return b, func(b []byte) { syscall.Munmap(b) }
}
