package model

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/hugemem"
	"github.com/bitnet-go/bitnet/internal/mmap"
	"github.com/bitnet-go/bitnet/internal/regfile"
	"github.com/bitnet-go/bitnet/internal/sysmem"
)

// LoadMode says how OpenWith brings the weights into memory.
type LoadMode int

const (
	// LoadAuto maps the file when the kernel backs the mapping with huge
	// pages (files convert wrote, files not cached yet) and reads it into
	// huge-page memory otherwise, if it fits in the memory available (else
	// it keeps the mapping, with a note): full decoding speed where
	// possible, never a load that cannot fit.
	LoadAuto LoadMode = iota
	// LoadMap always maps the file: nothing is read at load and the page
	// cache is shared between processes, but a file cached in 4 KiB pages
	// decodes slower (see the README's performance notes).
	LoadMap
	// LoadMemory always reads the file into huge-page memory; a file larger
	// than the memory available is an error.
	LoadMemory
)

// minAutoMapBytes is the size under which LoadAuto maps without probing.
// A variable so that tests can probe small files.
var minAutoMapBytes = 8 << 20

// The placement's view of the system, variables so that tests can
// simulate a machine short of memory or without huge pages.
var (
	availableMemory = sysmem.Available
	isHugeMapped    = hugeMapped
)

// openFile opens the GGUF file at path with its bytes placed as mode says.
// note, when not empty, says why the placement differs from what mode
// prefers (a mapping kept because a copy would not fit, or mmap failing).
func openFile(path string, mode LoadMode) (f *gguf.File, note string, err error) {
	fd, size, err := regfile.OpenSized(path)
	if err != nil {
		return nil, "", err
	}
	defer fd.Close()
	if size == 0 {
		f, err = gguf.FromBytes(path, nil, func() error { return nil })
		return f, "", err
	}
	if mode == LoadMemory {
		f, err = readInMemory(path, fd, size)
		return f, "", err
	}
	data, mapErr := mmap.Map(fd, size)
	if mapErr != nil {
		f, err := readInMemory(path, fd, size)
		if err != nil {
			return nil, "", fmt.Errorf("%s: mmap failed (%v), and %w", path, mapErr, err)
		}
		return f, fmt.Sprintf("%s: mmap failed (%v): read into memory", path, mapErr), nil
	}
	hugemem.Advise(data)
	unmap := func() error { return mmap.Unmap(data) }
	if mode == LoadAuto && size >= minAutoMapBytes && !isHugeMapped(data) {
		f, err := readInMemory(path, fd, size)
		if err == nil {
			_ = unmap()
			return f, "", nil
		}
		note = fmt.Sprintf("%s sits in the page cache in 4 KiB pages, but it was not read into huge-page memory (%v): it stays mapped, and decodes slower", path, err)
	}
	f, err = gguf.FromMapping(path, data, unmap)
	return f, note, err
}

// readInMemory reads the open file fd of size bytes into private anonymous
// memory advised for huge pages (the Go heap where there is no mmap) and
// parses it. It checks first that the file fits in the memory available:
// a file that does not, or an allocation the system refuses, is an error
// naming the sizes, not a crash.
func readInMemory(path string, fd *os.File, size int) (*gguf.File, error) {
	if avail, ok := availableMemory(); ok && uint64(size) > avail {
		return nil, fmt.Errorf("reading %s into memory needs %d bytes, and %d are available", path, size, avail)
	}
	data, err := mmap.Anon(size)
	release := func() error { return mmap.Unmap(data) }
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		data, release = make([]byte, size), func() error { return nil }
	case err != nil:
		return nil, fmt.Errorf("reading %s into memory: %w", path, err)
	default:
		hugemem.Advise(data)
	}
	if err := readParallel(fd, data); err != nil {
		_ = release()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return gguf.FromBytes(path, data, release)
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
	return errors.Join(errs...)
}
