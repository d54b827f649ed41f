package gguf

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/bitnet-go/bitnet/internal/hugemem"
)

// OpenInMemory reads the whole file into private anonymous memory (on Linux
// backed by transparent huge pages where the system allows) and parses it.
// It costs a read of the file at start-up but streams weights faster than a
// file mapping of 4 KiB pages: the memory holding ~1 GB of weights is
// covered by a few hundred TLB entries instead of a quarter million. Peak
// memory is the same as a fully touched mapping: the file's size.
func OpenInMemory(path string) (*File, error) {
	fd, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	return readInMemory(path, fd, size)
}

// readInMemory is OpenInMemory on the open file fd of size bytes.
func readInMemory(path string, fd *os.File, size int64) (*File, error) {
	if size == 0 {
		return nil, fmt.Errorf("gguf: %s is empty", path)
	}
	data, free, err := hugemem.Alloc(int(size))
	if err != nil {
		return nil, fmt.Errorf("gguf: reading %s into memory: %w (--mmap maps it instead)", path, err)
	}
	if err := readParallel(fd, data); err != nil {
		free()
		return nil, fmt.Errorf("gguf: reading %s: %w", path, err)
	}
	return parseFile(path, data, func([]byte) error { free(); return nil })
}

// readParallel fills data from f with one reader per CPU: page faults and
// copies out of the page cache, not the disk, bound a warm load.
func readParallel(f *os.File, data []byte) error {
	const chunk = 64 << 20
	n := min(runtime.GOMAXPROCS(0), (len(data)+chunk-1)/chunk)
	var wg sync.WaitGroup
	errs := make([]error, n)
	var next sync.Mutex
	off := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				next.Lock()
				lo := off
				off += chunk
				next.Unlock()
				if lo >= len(data) {
					return
				}
				hi := min(lo+chunk, len(data))
				if _, err := f.ReadAt(data[lo:hi], int64(lo)); err != nil && err != io.EOF {
					errs[i] = err
					return
				}
			}
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
