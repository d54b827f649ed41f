//go:build !amd64 || purego

package kernel

import "encoding/binary"

// readBytes reads every byte of b (a multiple of 32 long), for
// BenchmarkMemRead.
func readBytes(b []byte) uint64 {
	var s0, s1, s2, s3 uint64
	for ; len(b) >= 32; b = b[32:] {
		s0 += binary.LittleEndian.Uint64(b)
		s1 += binary.LittleEndian.Uint64(b[8:])
		s2 += binary.LittleEndian.Uint64(b[16:])
		s3 += binary.LittleEndian.Uint64(b[24:])
	}
	return s0 + s1 + s2 + s3
}
