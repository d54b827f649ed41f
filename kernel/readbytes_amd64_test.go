//go:build amd64 && !purego

package kernel

import "unsafe"

// readBytes reads every byte of b (a multiple of 32 long) as fast as the
// vector units allow, for BenchmarkMemRead.
func readBytes(b []byte) uint64 {
	if len(b) == 0 {
		return 0
	}
	return uint64(sumInt8AVX2((*int8)(unsafe.Pointer(&b[0])), len(b)))
}
