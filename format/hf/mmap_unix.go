//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package hf

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps size bytes of f read-only. The mapping is shared with the page
// cache: nothing is read until a page is touched.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size <= 0 {
		return nil, fmt.Errorf("cannot map an empty file")
	}
	if int64(int(size)) != size {
		return nil, fmt.Errorf("file of %d bytes is too large to map on this platform", size)
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	return b, nil
}

func unmapFile(b []byte) error {
	if b == nil {
		return nil
	}
	return unix.Munmap(b)
}

// releasePages tells the kernel that the whole pages of b[begin:end] are not
// needed for now. b is a read-only file mapping, so this is always safe: a
// later access faults the data back in from the page cache or the file. It
// keeps the resident set of a streaming converter at about one tensor.
func releasePages(b []byte, begin, end int) {
	ps := os.Getpagesize()
	begin = (begin + ps - 1) / ps * ps
	end = end / ps * ps
	if end <= begin {
		return
	}
	_ = unix.Madvise(b[begin:end], unix.MADV_DONTNEED)
}
