//go:build !unix

package gguf

import (
	"errors"
	"os"
)

// mmapFile is not implemented here: Open reads the file into memory.
func mmapFile(f *os.File, size int) ([]byte, error) {
	return nil, errors.New("mmap is not implemented on this platform")
}

func munmapFile(b []byte) error { return nil }
