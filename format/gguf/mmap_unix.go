//go:build unix

package gguf

import (
	"os"
	"syscall"

	"github.com/bitnet-go/bitnet/internal/hugemem"
)

// mmapFile maps size bytes of f read-only. On Linux it asks for transparent
// huge pages (fewer TLB misses when kernels stream weights: ~10% more read
// bandwidth here) where the kernel supports them for files; the advice is
// only a hint and its failure is ignored.
func mmapFile(f *os.File, size int) ([]byte, error) {
	b, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err == nil {
		hugemem.Advise(b)
	}
	return b, err
}

func munmapFile(b []byte) error { return syscall.Munmap(b) }
