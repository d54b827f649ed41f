//go:build amd64 && !purego

package kernel

func matVecF16AVX2Go(dst []float32, w []uint16, x []float32, k int) {
	if k <= 0 || k%32 != 0 {
		MatVecF16Ref(dst, w, x, k)
		return
	}
	matVecF16AVX2P(prefetchHint[StreamHead], &dst[0], &w[0], &x[0], k, len(dst))
}

func matVecF16AVX512Go(dst []float32, w []uint16, x []float32, k int) {
	if k <= 0 || k%64 != 0 {
		matVecF16AVX2Go(dst, w, x, k)
		return
	}
	matVecF16AVX512P(prefetchHint[StreamHead], &dst[0], &w[0], &x[0], k, len(dst))
}

// matVecF16AVX2 (one instance per prefetch hint, prefetch_amd64.go)
// converts 32 halves per step with VCVTPH2PS (F16C) and accumulates with
// FMA into four registers; k is a multiple of 32. matVecF16AVX512 is the
// same with 16-lane registers, k a multiple of 64.
