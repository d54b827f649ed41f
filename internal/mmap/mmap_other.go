//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package mmap

import (
	"errors"
	"fmt"
	"os"
)

// Map is not implemented on this platform.
func Map(f *os.File, size int) ([]byte, error) {
	return nil, fmt.Errorf("mmap is not implemented on this platform: %w", errors.ErrUnsupported)
}

// Anon is not implemented on this platform.
func Anon(n int) ([]byte, error) {
	return nil, fmt.Errorf("anonymous mappings are not implemented on this platform: %w", errors.ErrUnsupported)
}

// Unmap does nothing here.
func Unmap(b []byte) error { return nil }

// Release does nothing here.
func Release(b []byte, begin, end int) {}
