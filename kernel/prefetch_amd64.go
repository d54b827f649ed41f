//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// Each streaming kernel exists once per prefetch hint: the hand-written
// bodies are macros instantiated per hint (prefetch_amd64.h), the I2_S
// mat-vec kernels are generated per hint (_gen/gen.go). The functions below
// pick the instance of a hint; all instances compute the same values.

func hasPrefetchVariants() bool { return cpu.X86.HasAVX2 }

// matVecF16AVX2P runs the matVecF16AVX2 variant of hint h.
func matVecF16AVX2P(h Prefetch, dst *float32, w *uint16, x *float32, k, rows int) {
	switch h {
	case PrefetchNTA:
		matVecF16AVX2NTA(dst, w, x, k, rows)
	case PrefetchT0:
		matVecF16AVX2T0(dst, w, x, k, rows)
	case PrefetchT2:
		matVecF16AVX2T2(dst, w, x, k, rows)
	default:
		matVecF16AVX2None(dst, w, x, k, rows)
	}
}

//go:noescape
func matVecF16AVX2NTA(dst *float32, w *uint16, x *float32, k, rows int)

//go:noescape
func matVecF16AVX2T0(dst *float32, w *uint16, x *float32, k, rows int)

//go:noescape
func matVecF16AVX2T2(dst *float32, w *uint16, x *float32, k, rows int)

//go:noescape
func matVecF16AVX2None(dst *float32, w *uint16, x *float32, k, rows int)

// matVecF16AVX512P runs the matVecF16AVX512 variant of hint h.
func matVecF16AVX512P(h Prefetch, dst *float32, w *uint16, x *float32, k, rows int) {
	switch h {
	case PrefetchNTA:
		matVecF16AVX512NTA(dst, w, x, k, rows)
	case PrefetchT0:
		matVecF16AVX512T0(dst, w, x, k, rows)
	case PrefetchT2:
		matVecF16AVX512T2(dst, w, x, k, rows)
	default:
		matVecF16AVX512None(dst, w, x, k, rows)
	}
}

//go:noescape
func matVecF16AVX512NTA(dst *float32, w *uint16, x *float32, k, rows int)

//go:noescape
func matVecF16AVX512T0(dst *float32, w *uint16, x *float32, k, rows int)

//go:noescape
func matVecF16AVX512T2(dst *float32, w *uint16, x *float32, k, rows int)

//go:noescape
func matVecF16AVX512None(dst *float32, w *uint16, x *float32, k, rows int)

// matVecQ8_0AVX2P runs the matVecQ8_0AVX2 variant of hint h.
func matVecQ8_0AVX2P(h Prefetch, dst *float32, w *byte, x *float32, k, rows int) {
	switch h {
	case PrefetchNTA:
		matVecQ8_0AVX2NTA(dst, w, x, k, rows)
	case PrefetchT0:
		matVecQ8_0AVX2T0(dst, w, x, k, rows)
	case PrefetchT2:
		matVecQ8_0AVX2T2(dst, w, x, k, rows)
	default:
		matVecQ8_0AVX2None(dst, w, x, k, rows)
	}
}

//go:noescape
func matVecQ8_0AVX2NTA(dst *float32, w *byte, x *float32, k, rows int)

//go:noescape
func matVecQ8_0AVX2T0(dst *float32, w *byte, x *float32, k, rows int)

//go:noescape
func matVecQ8_0AVX2T2(dst *float32, w *byte, x *float32, k, rows int)

//go:noescape
func matVecQ8_0AVX2None(dst *float32, w *byte, x *float32, k, rows int)

// matVecQ8_0AVX512P runs the matVecQ8_0AVX512 variant of hint h.
func matVecQ8_0AVX512P(h Prefetch, dst *float32, w *byte, x *float32, k, rows int) {
	switch h {
	case PrefetchNTA:
		matVecQ8_0AVX512NTA(dst, w, x, k, rows)
	case PrefetchT0:
		matVecQ8_0AVX512T0(dst, w, x, k, rows)
	case PrefetchT2:
		matVecQ8_0AVX512T2(dst, w, x, k, rows)
	default:
		matVecQ8_0AVX512None(dst, w, x, k, rows)
	}
}

//go:noescape
func matVecQ8_0AVX512NTA(dst *float32, w *byte, x *float32, k, rows int)

//go:noescape
func matVecQ8_0AVX512T0(dst *float32, w *byte, x *float32, k, rows int)

//go:noescape
func matVecQ8_0AVX512T2(dst *float32, w *byte, x *float32, k, rows int)

//go:noescape
func matVecQ8_0AVX512None(dst *float32, w *byte, x *float32, k, rows int)

// dotsF32AVX2P runs the dotsF32AVX2 variant of hint h.
func dotsF32AVX2P(h Prefetch, dst, q, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		dotsF32AVX2NTA(dst, q, m, n, stride, count)
	case PrefetchT0:
		dotsF32AVX2T0(dst, q, m, n, stride, count)
	case PrefetchT2:
		dotsF32AVX2T2(dst, q, m, n, stride, count)
	default:
		dotsF32AVX2None(dst, q, m, n, stride, count)
	}
}

//go:noescape
func dotsF32AVX2NTA(dst, q, m *float32, n, stride, count int)

//go:noescape
func dotsF32AVX2T0(dst, q, m *float32, n, stride, count int)

//go:noescape
func dotsF32AVX2T2(dst, q, m *float32, n, stride, count int)

//go:noescape
func dotsF32AVX2None(dst, q, m *float32, n, stride, count int)

// axpysF32AVX2P runs the axpysF32AVX2 variant of hint h.
func axpysF32AVX2P(h Prefetch, dst, w, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		axpysF32AVX2NTA(dst, w, m, n, stride, count)
	case PrefetchT0:
		axpysF32AVX2T0(dst, w, m, n, stride, count)
	case PrefetchT2:
		axpysF32AVX2T2(dst, w, m, n, stride, count)
	default:
		axpysF32AVX2None(dst, w, m, n, stride, count)
	}
}

//go:noescape
func axpysF32AVX2NTA(dst, w, m *float32, n, stride, count int)

//go:noescape
func axpysF32AVX2T0(dst, w, m *float32, n, stride, count int)

//go:noescape
func axpysF32AVX2T2(dst, w, m *float32, n, stride, count int)

//go:noescape
func axpysF32AVX2None(dst, w, m *float32, n, stride, count int)

// dotsF32x4AVX512P runs the dotsF32x4AVX512 variant of hint h.
func dotsF32x4AVX512P(h Prefetch, dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		dotsF32x4AVX512NTA(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT0:
		dotsF32x4AVX512T0(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT2:
		dotsF32x4AVX512T2(dst, dstStride, q, qStride, m, n, stride, count)
	default:
		dotsF32x4AVX512None(dst, dstStride, q, qStride, m, n, stride, count)
	}
}

//go:noescape
func dotsF32x4AVX512NTA(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x4AVX512T0(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x4AVX512T2(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x4AVX512None(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

// axpysF32x4AVX512P runs the axpysF32x4AVX512 variant of hint h.
func axpysF32x4AVX512P(h Prefetch, dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		axpysF32x4AVX512NTA(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT0:
		axpysF32x4AVX512T0(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT2:
		axpysF32x4AVX512T2(dst, dstStride, w, wStride, m, n, stride, count)
	default:
		axpysF32x4AVX512None(dst, dstStride, w, wStride, m, n, stride, count)
	}
}

//go:noescape
func axpysF32x4AVX512NTA(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX512T0(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX512T2(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX512None(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

// matVecAVX512P runs the matVecAVX512 variant of hint h.
func matVecAVX512P(h Prefetch, dst *int32, ldd int, w *byte, x *int8, sums *int32, k int, rows int) {
	switch h {
	case PrefetchNTA:
		matVecAVX512NTA(dst, ldd, w, x, sums, k, rows)
	case PrefetchT0:
		matVecAVX512T0(dst, ldd, w, x, sums, k, rows)
	case PrefetchT2:
		matVecAVX512T2(dst, ldd, w, x, sums, k, rows)
	default:
		matVecAVX512None(dst, ldd, w, x, sums, k, rows)
	}
}

// matVecAVX2P runs the matVecAVX2 variant of hint h.
func matVecAVX2P(h Prefetch, dst *int32, ldd int, w *byte, x *int8, sums *int32, k int, rows int) {
	switch h {
	case PrefetchNTA:
		matVecAVX2NTA(dst, ldd, w, x, sums, k, rows)
	case PrefetchT0:
		matVecAVX2T0(dst, ldd, w, x, sums, k, rows)
	case PrefetchT2:
		matVecAVX2T2(dst, ldd, w, x, sums, k, rows)
	default:
		matVecAVX2None(dst, ldd, w, x, sums, k, rows)
	}
}

// dotsF32x4AVX2P runs the dotsF32x4AVX2 variant of hint h.
func dotsF32x4AVX2P(h Prefetch, dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		dotsF32x4AVX2NTA(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT0:
		dotsF32x4AVX2T0(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT2:
		dotsF32x4AVX2T2(dst, dstStride, q, qStride, m, n, stride, count)
	default:
		dotsF32x4AVX2None(dst, dstStride, q, qStride, m, n, stride, count)
	}
}

//go:noescape
func dotsF32x4AVX2NTA(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x4AVX2T0(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x4AVX2T2(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x4AVX2None(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

// axpysF32x4AVX2P runs the axpysF32x4AVX2 variant of hint h.
func axpysF32x4AVX2P(h Prefetch, dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		axpysF32x4AVX2NTA(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT0:
		axpysF32x4AVX2T0(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT2:
		axpysF32x4AVX2T2(dst, dstStride, w, wStride, m, n, stride, count)
	default:
		axpysF32x4AVX2None(dst, dstStride, w, wStride, m, n, stride, count)
	}
}

//go:noescape
func axpysF32x4AVX2NTA(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX2T0(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX2T2(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x4AVX2None(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

// t5sRowsAVX512P runs the t5sRowsAVX512 variant of hint h.
func t5sRowsAVX512P(h Prefetch, dst *int32, w *byte, x *int8, blocks int, rows int, sumx int) {
	switch h {
	case PrefetchNTA:
		t5sRowsAVX512NTA(dst, w, x, blocks, rows, sumx)
	case PrefetchT0:
		t5sRowsAVX512T0(dst, w, x, blocks, rows, sumx)
	case PrefetchT2:
		t5sRowsAVX512T2(dst, w, x, blocks, rows, sumx)
	default:
		t5sRowsAVX512None(dst, w, x, blocks, rows, sumx)
	}
}

//go:noescape
func t5sRowsAVX512NTA(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsAVX512T0(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsAVX512T2(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsAVX512None(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

// t5sRowsAVX2P runs the t5sRowsAVX2 variant of hint h.
func t5sRowsAVX2P(h Prefetch, dst *int32, w *byte, x *int8, blocks int, rows int, sumx int) {
	switch h {
	case PrefetchNTA:
		t5sRowsAVX2NTA(dst, w, x, blocks, rows, sumx)
	case PrefetchT0:
		t5sRowsAVX2T0(dst, w, x, blocks, rows, sumx)
	case PrefetchT2:
		t5sRowsAVX2T2(dst, w, x, blocks, rows, sumx)
	default:
		t5sRowsAVX2None(dst, w, x, blocks, rows, sumx)
	}
}

//go:noescape
func t5sRowsAVX2NTA(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsAVX2T0(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsAVX2T2(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsAVX2None(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

// matVecQ6KAVX2P runs the matVecQ6KAVX2 variant of hint h.
func matVecQ6KAVX2P(h Prefetch, dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int) {
	switch h {
	case PrefetchNTA:
		matVecQ6KAVX2NTA(dst, w, q, d, bsums, k, rows)
	case PrefetchT0:
		matVecQ6KAVX2T0(dst, w, q, d, bsums, k, rows)
	case PrefetchT2:
		matVecQ6KAVX2T2(dst, w, q, d, bsums, k, rows)
	default:
		matVecQ6KAVX2None(dst, w, q, d, bsums, k, rows)
	}
}

//go:noescape
func matVecQ6KAVX2NTA(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

//go:noescape
func matVecQ6KAVX2T0(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

//go:noescape
func matVecQ6KAVX2T2(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

//go:noescape
func matVecQ6KAVX2None(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

// matVecQ6KAVX512P runs the matVecQ6KAVX512 variant of hint h.
func matVecQ6KAVX512P(h Prefetch, dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int) {
	switch h {
	case PrefetchNTA:
		matVecQ6KAVX512NTA(dst, w, q, d, bsums, k, rows)
	case PrefetchT0:
		matVecQ6KAVX512T0(dst, w, q, d, bsums, k, rows)
	case PrefetchT2:
		matVecQ6KAVX512T2(dst, w, q, d, bsums, k, rows)
	default:
		matVecQ6KAVX512None(dst, w, q, d, bsums, k, rows)
	}
}

//go:noescape
func matVecQ6KAVX512NTA(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

//go:noescape
func matVecQ6KAVX512T0(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

//go:noescape
func matVecQ6KAVX512T2(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

//go:noescape
func matVecQ6KAVX512None(dst *float32, w *byte, q *int8, d *float32, bsums *int16, k, rows int)

// dotsF32x2AVX512P runs the dotsF32x2AVX512 variant of hint h.
func dotsF32x2AVX512P(h Prefetch, dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		dotsF32x2AVX512NTA(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT0:
		dotsF32x2AVX512T0(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT2:
		dotsF32x2AVX512T2(dst, dstStride, q, qStride, m, n, stride, count)
	default:
		dotsF32x2AVX512None(dst, dstStride, q, qStride, m, n, stride, count)
	}
}

//go:noescape
func dotsF32x2AVX512NTA(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x2AVX512T0(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x2AVX512T2(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x2AVX512None(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

// axpysF32x2AVX512P runs the axpysF32x2AVX512 variant of hint h.
func axpysF32x2AVX512P(h Prefetch, dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		axpysF32x2AVX512NTA(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT0:
		axpysF32x2AVX512T0(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT2:
		axpysF32x2AVX512T2(dst, dstStride, w, wStride, m, n, stride, count)
	default:
		axpysF32x2AVX512None(dst, dstStride, w, wStride, m, n, stride, count)
	}
}

//go:noescape
func axpysF32x2AVX512NTA(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x2AVX512T0(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x2AVX512T2(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x2AVX512None(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

// dotsF32x2AVX2P runs the dotsF32x2AVX2 variant of hint h.
func dotsF32x2AVX2P(h Prefetch, dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		dotsF32x2AVX2NTA(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT0:
		dotsF32x2AVX2T0(dst, dstStride, q, qStride, m, n, stride, count)
	case PrefetchT2:
		dotsF32x2AVX2T2(dst, dstStride, q, qStride, m, n, stride, count)
	default:
		dotsF32x2AVX2None(dst, dstStride, q, qStride, m, n, stride, count)
	}
}

//go:noescape
func dotsF32x2AVX2NTA(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x2AVX2T0(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x2AVX2T2(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

//go:noescape
func dotsF32x2AVX2None(dst *float32, dstStride int, q *float32, qStride int, m *float32, n, stride, count int)

// axpysF32x2AVX2P runs the axpysF32x2AVX2 variant of hint h.
func axpysF32x2AVX2P(h Prefetch, dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int) {
	switch h {
	case PrefetchNTA:
		axpysF32x2AVX2NTA(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT0:
		axpysF32x2AVX2T0(dst, dstStride, w, wStride, m, n, stride, count)
	case PrefetchT2:
		axpysF32x2AVX2T2(dst, dstStride, w, wStride, m, n, stride, count)
	default:
		axpysF32x2AVX2None(dst, dstStride, w, wStride, m, n, stride, count)
	}
}

//go:noescape
func axpysF32x2AVX2NTA(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x2AVX2T0(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x2AVX2T2(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)

//go:noescape
func axpysF32x2AVX2None(dst *float32, dstStride int, w *float32, wStride int, m *float32, n, stride, count int)
