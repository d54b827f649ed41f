//go:build amd64 && !purego

package kernel

// The float helpers of the "avx2" and "avx512" paths: the vector part of
// each row (a multiple of 32 values) in assembly, the rest in Go, in the
// order of the scalar forms of f32.go. The shapes are checked by the
// exported functions.

func dotAVX2(a, b []float32) float32 {
	n := len(a) &^ 31
	var s float32
	if n > 0 {
		dotsF32AVX2P(prefetchHint[StreamAttention], &s, &a[0], &b[0], n, 0, 1)
	}
	return dotTail(s, a, b, n)
}

func axpyAVX2(dst []float32, alpha float32, x []float32) {
	n := len(dst) &^ 31
	if n > 0 {
		axpysF32AVX2P(prefetchHint[StreamAttention], &dst[0], &alpha, &x[0], n, 0, 1)
	}
	axpyTail(dst, alpha, x, n)
}

func dotsAVX2(dst, q, m []float32, stride int) {
	v := len(q) &^ 31
	if v > 0 && len(dst) > 0 {
		dotsF32AVX2P(prefetchHint[StreamAttention], &dst[0], &q[0], &m[0], v, stride, len(dst))
	}
	if v == len(q) {
		return
	}
	for p := range dst {
		var s float32
		if v > 0 {
			s = dst[p]
		}
		dst[p] = dotTail(s, q, m[p*stride:p*stride+len(q)], v)
	}
}

func axpysAVX2(dst, w, m []float32, stride int) {
	n := len(dst) &^ 31
	if n > 0 && len(w) > 0 {
		axpysF32AVX2P(prefetchHint[StreamAttention], &dst[0], &w[0], &m[0], n, stride, len(w))
	}
	if n == len(dst) {
		return
	}
	for p, alpha := range w {
		axpyTail(dst, alpha, m[p*stride:p*stride+len(dst)], n)
	}
}

// dotsNAVX2 and dotsNAVX512 run their path's multi-head assembly for
// heads (2 or 4) when a head's width is a multiple of 32, else one
// dotsAVX2 call per head (dotsNAsm); axpysN likewise.
func dotsNAVX2(heads int, dst []float32, dstStride int, q, m []float32, stride, count int) {
	dotsNAsm(false, heads, dst, dstStride, q, m, stride, count)
}

func dotsNAVX512(heads int, dst []float32, dstStride int, q, m []float32, stride, count int) {
	dotsNAsm(true, heads, dst, dstStride, q, m, stride, count)
}

func dotsNAsm(avx512 bool, heads int, dst []float32, dstStride int, q, m []float32, stride, count int) {
	width, h := len(q)/heads, prefetchHint[StreamAttention]
	switch {
	case width == 0 || width%32 != 0:
		dotsNHeads(heads, dst, dstStride, q, m, stride, count)
	case avx512 && heads == 4:
		dotsF32x4AVX512P(h, &dst[0], dstStride, &q[0], width, &m[0], width, stride, count)
	case avx512:
		dotsF32x2AVX512P(h, &dst[0], dstStride, &q[0], width, &m[0], width, stride, count)
	case heads == 4:
		dotsF32x4AVX2P(h, &dst[0], dstStride, &q[0], width, &m[0], width, stride, count)
	default:
		dotsF32x2AVX2P(h, &dst[0], dstStride, &q[0], width, &m[0], width, stride, count)
	}
}

// dotsNHeads is one dotsAVX2 call per head.
func dotsNHeads(heads int, dst []float32, dstStride int, q, m []float32, stride, count int) {
	width := len(q) / heads
	for h := 0; h < heads; h++ {
		dotsAVX2(dst[h*dstStride:h*dstStride+count], q[h*width:(h+1)*width], m, stride)
	}
}

func axpysNAVX2(heads int, dst, w []float32, wStride int, m []float32, stride, count int) {
	axpysNAsm(false, heads, dst, w, wStride, m, stride, count)
}

func axpysNAVX512(heads int, dst, w []float32, wStride int, m []float32, stride, count int) {
	axpysNAsm(true, heads, dst, w, wStride, m, stride, count)
}

func axpysNAsm(avx512 bool, heads int, dst, w []float32, wStride int, m []float32, stride, count int) {
	width, h := len(dst)/heads, prefetchHint[StreamAttention]
	switch {
	case width == 0 || width%32 != 0:
		axpysNHeads(heads, dst, w, wStride, m, stride, count)
	case avx512 && heads == 4:
		axpysF32x4AVX512P(h, &dst[0], width, &w[0], wStride, &m[0], width, stride, count)
	case avx512:
		axpysF32x2AVX512P(h, &dst[0], width, &w[0], wStride, &m[0], width, stride, count)
	case heads == 4:
		axpysF32x4AVX2P(h, &dst[0], width, &w[0], wStride, &m[0], width, stride, count)
	default:
		axpysF32x2AVX2P(h, &dst[0], width, &w[0], wStride, &m[0], width, stride, count)
	}
}

// axpysNHeads is one axpysAVX2 call per head.
func axpysNHeads(heads int, dst, w []float32, wStride int, m []float32, stride, count int) {
	width := len(dst) / heads
	for h := 0; h < heads; h++ {
		axpysAVX2(dst[h*width:(h+1)*width], w[h*wStride:h*wStride+count], m, stride)
	}
}

// dotsF32AVX2 and axpysF32AVX2 (one instance per prefetch hint,
// prefetch_amd64.go, each prefetching cache rows 16 positions ahead) are
// DotsF32 and AxpysF32 over the first n values of each row (n a multiple of
// 32), rows stride floats apart; dotsF32x4AVX2, axpysF32x4AVX2,
// dotsF32x4AVX512 and axpysF32x4AVX512 are their four-head forms (see
// DotsF32x4), used when a head's width is a multiple of 32; the x2 forms
// (f32x2_amd64.s) are the same bodies for two heads.
