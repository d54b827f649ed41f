//go:build amd64 && !purego

package membw

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

func init() {
	if cpu.X86.HasAVX2 {
		fastRead = func(p unsafe.Pointer, n int) uint64 { return readAVX2(p, n) }
	}
}

//go:noescape
func readAVX2(p unsafe.Pointer, n int) uint64
