//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package hf

import (
	"fmt"
	"io"
	"os"

	"github.com/bitnet-go/bitnet/internal/sysmem"
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
	if avail, ok := sysmem.Available(); ok && uint64(size) > avail {
		return nil, fmt.Errorf("this platform has no mmap support here, and the file (%d bytes) is larger than the memory available to read it into (%d bytes)", size, avail)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, err
	}
	return b, nil
}

func unmapFile(b []byte) error { return nil }

func releasePages(b []byte, begin, end int) {}
