//go:build amd64 && !purego

package kernel

func matVecQ8_0AVX2Go(dst []float32, w []byte, x []float32, k int) {
	matVecQ8_0AVX2P(prefetchHint[StreamHead], &dst[0], &w[0], &x[0], k, len(dst))
}

func matVecQ8_0AVX512Go(dst []float32, w []byte, x []float32, k int) {
	if k%64 != 0 {
		matVecQ8_0AVX2Go(dst, w, x, k)
		return
	}
	matVecQ8_0AVX512P(prefetchHint[StreamHead], &dst[0], &w[0], &x[0], k, len(dst))
}

// matVecQ8_0AVX2 (one instance per prefetch hint, prefetch_amd64.go)
// widens each block's 32 int8 values to float32 (VPMOVSXBD + VCVTDQ2PS),
// multiplies by x with FMA, and adds the block sum times its float16 scale
// (VCVTPH2PS) to the row accumulator, for four rows a quarter of the rows
// apart at once (one activation load for the four); the same values as one
// row at a time, bit for bit. matVecQ8_0AVX512 does two blocks per step in
// 16-lane registers; k is a multiple of 64.
