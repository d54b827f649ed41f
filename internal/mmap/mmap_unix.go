//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package mmap

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Map maps size bytes of f read-only, shared with the page cache: nothing
// is read until a page is touched.
func Map(f *os.File, size int) ([]byte, error) {
	if size <= 0 {
		return nil, fmt.Errorf("cannot map an empty file")
	}
	b, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	return b, nil
}

// Anon maps n zeroed bytes of private anonymous memory.
func Anon(n int) ([]byte, error) {
	if n <= 0 {
		return nil, fmt.Errorf("cannot map %d bytes", n)
	}
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("mapping %d bytes of memory: %w", n, err)
	}
	return b, nil
}

// Unmap releases a mapping from Map or Anon (nil: nothing to do).
func Unmap(b []byte) error {
	if b == nil {
		return nil
	}
	return unix.Munmap(b)
}

// Release tells the kernel that the whole pages of b[begin:end] are not
// needed for now. On a read-only file mapping this is always safe: a later
// access faults the data back in from the page cache or the file.
func Release(b []byte, begin, end int) {
	ps := os.Getpagesize()
	begin = (begin + ps - 1) / ps * ps
	end = end / ps * ps
	if end <= begin {
		return
	}
	_ = unix.Madvise(b[begin:end], unix.MADV_DONTNEED)
}
