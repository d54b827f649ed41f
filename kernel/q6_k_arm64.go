//go:build arm64 && !purego

package kernel

// matVecQ6KNEON (q6_k_arm64.s) computes MatVecQ6_K for rows rows of k
// values (k a positive multiple of 256, rows > 0) on any ARMv8.0 core: the
// int32 dot product of a block in vector registers, its float32 part in
// scalar instructions in the order of MatVecQ6_KRef. It does not read
// x.BSums (the codes are made signed before the products). Both arm64
// paths use it: SDOT would need the scales applied per four lanes, which
// the by-element widening multiply-add already does for free.
//
//go:noescape
func matVecQ6KNEON(dst *float32, w *byte, q *int8, d *float32, k, rows int)

func matVecQ6KNEONGo(dst []float32, w []byte, x Q8K, k int) {
	matVecQ6KNEON(&dst[0], &w[0], &x.Q[0], &x.D[0], k, len(dst))
}
