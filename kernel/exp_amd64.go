//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ {
		expShiftedFast = expShiftedAVX512
	}
}

//go:noescape
func expShiftedAVX512(dst, x *float32, m float32, n int)
