//go:build amd64 && !purego

package kernel

// The AVX-512 BW T3_S kernels (t3s_avx512bw_amd64.s; AVX-512 F + BW +
// VNNI, no VBMI instruction), for the CPUs of the avx512 path without
// VBMI (Cascade Lake, Cooper Lake): per 64 codes, two in-lane VPSHUFB
// lookups of packed digits d_0 + 4·d_1 + 16·d_2 (the second merge-masked
// by the codes' bit 4), three VPANDD that take d_0, 4·d_1 and 16·d_2
// apart, and three VPDPBUSD with the positions' 64 contiguous activations
// into accumulators folded exactly at the end. One token at a time
// (t3sRowsAVX512BW, two rows from the two halves of the rows, one
// instance per prefetch hint) or tiles of four tokens sharing the decoded
// digits (t3sTile4AVX512BW), over bands of rows small enough to stay in
// L2; t3sMatMatAVX512 (t3s_amd64.go) runs them.

// t3sBWMaxK bounds k for the assembly: an int32 lane of the 16·d_2
// accumulators gains at most 2·4·32·128 = 32768 per chunk (whole or last)
// and must stay below 2³¹, so ⌈k/384⌉·32768 < 2³¹: for k ≤ 2²⁴ at most
// 43691 chunks, 1.44·10⁹ (t3s_avx512bw_amd64.s). Longer rows run the pure
// Go kernels, exact for every k.
const t3sBWMaxK = 1 << 24

// t3sRowsAVX512BW writes dst[r] = Σ d·x − sumx for the rows T3_S rows at w
// of chunks whole chunks and a last chunk of tail groups (0–3). It streams
// the weights with the ternary stream's prefetch hint.
func t3sRowsAVX512BW(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int) {
	t3sRowsAVX512BWP(prefetchHint[StreamTernary], dst, w, x, chunks, tail, rows, sumx)
}

// t3sRowsAVX512BWP runs the t3sRowsAVX512BW variant of hint h.
func t3sRowsAVX512BWP(h Prefetch, dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int) {
	switch h {
	case PrefetchNTA:
		t3sRowsAVX512BWNTA(dst, w, x, chunks, tail, rows, sumx)
	case PrefetchT0:
		t3sRowsAVX512BWT0(dst, w, x, chunks, tail, rows, sumx)
	case PrefetchT2:
		t3sRowsAVX512BWT2(dst, w, x, chunks, tail, rows, sumx)
	default:
		t3sRowsAVX512BWNone(dst, w, x, chunks, tail, rows, sumx)
	}
}

//go:noescape
func t3sRowsAVX512BWNTA(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

//go:noescape
func t3sRowsAVX512BWT0(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

//go:noescape
func t3sRowsAVX512BWT2(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

//go:noescape
func t3sRowsAVX512BWNone(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

// t3sTile4AVX512BW writes dst[t·ldd + r] = Σ d·x_t − sums[t] for r < rows
// (at least one) and the four tokens at x, k values apart.
//
//go:noescape
func t3sTile4AVX512BW(dst *int32, ldd int, w *byte, x *int8, k int, chunks, tail, rows int, sums *int32)
