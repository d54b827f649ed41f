//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		dotF32Fast = dotF32AVX2
		axpyF32Fast = axpyF32AVX2
	}
}

// dotF32AVX2 and axpyF32AVX2 process n values, n a multiple of 32.
//
//go:noescape
func dotF32AVX2(a, b *float32, n int) float32

//go:noescape
func axpyF32AVX2(dst, x *float32, alpha float32, n int)
