//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		f16Fast = func(dst []float32, w []uint16, x []float32, k int) {
			matVecF16AVX2P(prefetchHint[StreamHead], &dst[0], &w[0], &x[0], k, len(dst))
		}
	}
	if cpu.X86.HasAVX512F {
		avx2 := f16Fast
		f16Fast = func(dst []float32, w []uint16, x []float32, k int) {
			if k%64 != 0 {
				avx2(dst, w, x, k)
				return
			}
			matVecF16AVX512P(prefetchHint[StreamHead], &dst[0], &w[0], &x[0], k, len(dst))
		}
	}
}

// matVecF16AVX2 (one instance per prefetch hint) converts 32 halves per
// step with VCVTPH2PS (F16C) and accumulates with FMA into four registers;
// k is a multiple of 32. matVecF16AVX512 is the same with 16-lane registers,
// k a multiple of 64.
