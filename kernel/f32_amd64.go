//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// The float helpers call their assembly directly, not through function
// variables: a pointer passed through a function variable escapes, and
// DotF32 and AxpyF32 pass the address of a local (a decode step would
// allocate).
var (
	f32AVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	f32AVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasFMA
)

// dotsVec, axpysVec, dotsX4Vec and axpysX4Vec run the vector part of the
// helpers of f32.go (n a multiple of 32) and report whether they could.
func dotsVec(dst, q, m *float32, n, stride, count int) bool {
	if f32AVX2 {
		dotsF32AVX2P(prefetchHint[StreamAttention], dst, q, m, n, stride, count)
	}
	return f32AVX2
}

func axpysVec(dst, w, m *float32, n, stride, count int) bool {
	if f32AVX2 {
		axpysF32AVX2P(prefetchHint[StreamAttention], dst, w, m, n, stride, count)
	}
	return f32AVX2
}

func dotsX4Vec(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int) bool {
	if f32AVX512 {
		dotsF32x4AVX512P(prefetchHint[StreamAttention], dst, dstStride, q, qStride, m, n, stride, count)
	}
	return f32AVX512
}

func axpysX4Vec(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int) bool {
	if f32AVX512 {
		axpysF32x4AVX512P(prefetchHint[StreamAttention], dst, dstStride, w, wStride, m, n, stride, count)
	}
	return f32AVX512
}

// dotsF32AVX2 and axpysF32AVX2 (one instance per prefetch hint, each
// prefetching the cache row four positions ahead) are DotsF32 and AxpysF32
// over the first n values of each row (n a multiple of 32), rows stride
// floats apart; dotsF32x4AVX512 and axpysF32x4AVX512 are their four-head
// forms (see DotsF32x4).
