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

// dotVec and axpyVec are DotF32's and AxpyF32's vector part (n a multiple
// of 32): direct calls, so that the local they write through does not
// escape to the heap as it would through a function variable.
func dotVec(a, b *float32, n int) (float32, bool) {
	if dotsF32Fast == nil {
		return 0, false
	}
	var s float32
	dotsF32AVX2(&s, a, b, n, n, 1)
	return s, true
}

func axpyVec(dst, x *float32, alpha float32, n int) bool {
	if axpysF32Fast == nil {
		return false
	}
	axpysF32AVX2(dst, &alpha, x, n, n, 1)
	return true
}
