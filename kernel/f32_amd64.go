//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		dotsF32Fast = dotsF32AVX2
		axpysF32Fast = axpysF32AVX2
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasFMA {
		dotsF32x4Fast = dotsF32x4AVX512
		axpysF32x4Fast = axpysF32x4AVX512
	}
}

// dotsF32AVX2 and axpysF32AVX2 are DotsF32 and AxpysF32 over the first n
// values of each row (n a multiple of 32), rows stride floats apart.
//
//go:noescape
func dotsF32AVX2(dst, q, m *float32, n, stride, count int)

//go:noescape
func axpysF32AVX2(dst, w, m *float32, n, stride, count int)

// dotsF32x4AVX512 and axpysF32x4AVX512 are the four-head forms of
// dotsF32AVX2 and axpysF32AVX2 (see DotsF32x4), n a multiple of 32.
//
//go:noescape
func dotsF32x4AVX512(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX512(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)
