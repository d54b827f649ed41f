//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package hf

import (
	"fmt"
	"io"
	"os"
)

// mapFile reads the whole file: this platform has no mmap support here, so
// the checkpoint is held in memory.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size <= 0 {
		return nil, fmt.Errorf("cannot map an empty file")
	}
	if int64(int(size)) != size {
		return nil, fmt.Errorf("file of %d bytes is too large for this platform", size)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, err
	}
	return b, nil
}

func unmapFile(b []byte) error { return nil }

func releasePages(b []byte, begin, end int) {}
