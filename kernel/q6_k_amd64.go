//go:build amd64 && !purego

package kernel

// matVecQ6KAVX2 and matVecQ6KAVX512 (q6_k_amd64.s) compute MatVecQ6_K for
// rows rows of k values (k a positive multiple of 256, rows > 0): one row at
// a time, one block at a time, the block's int32 dot product in vector
// registers and the float32 part in scalar SSE operations in the order of
// MatVecQ6_KRef. They read x.BSums: x must come from QuantizeQ8_K. Each
// exists once per prefetch hint of the head stream (prefetch_amd64.go),
// prefetching 4 KiB ahead of the block it reads.

func matVecQ6KAVX2Go(dst []float32, w []byte, x Q8K, k int) {
	matVecQ6KAVX2P(prefetchHint[StreamHead], &dst[0], &w[0], &x.Q[0], &x.D[0], &x.BSums[0], k, len(dst))
}

func matVecQ6KAVX512Go(dst []float32, w []byte, x Q8K, k int) {
	matVecQ6KAVX512P(prefetchHint[StreamHead], &dst[0], &w[0], &x.Q[0], &x.D[0], &x.BSums[0], k, len(dst))
}
