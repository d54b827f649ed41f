package mmap

import (
	"fmt"
	"io"
	"os"

	"github.com/bitnet-go/bitnet/internal/sysmem"
)

// MapOrRead returns size bytes of the file f: a mapping (mapped true), or,
// where mapping fails, a copy read into the Go heap after checking that it
// fits in the memory available. release frees the bytes (call it once).
func MapOrRead(f *os.File, size int) (data []byte, mapped bool, release func() error, err error) {
	if size <= 0 {
		return nil, false, nil, fmt.Errorf("cannot map an empty file")
	}
	data, err = Map(f, size)
	if err == nil {
		return data, true, func() error { return Unmap(data) }, nil
	}
	mapErr := err
	if avail, ok := sysmem.Available(); ok && uint64(size) > avail {
		return nil, false, nil, fmt.Errorf("mmap failed (%v), and the file (%d bytes) is larger than the memory available to read it into (%d bytes)", mapErr, size, avail)
	}
	data = make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, false, nil, fmt.Errorf("mmap failed (%v), and reading the file into memory failed too: %w", mapErr, err)
	}
	return data, false, func() error { return nil }, nil
}
