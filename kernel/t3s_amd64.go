//go:build amd64 && !purego

package kernel

// The AVX-512 T3_S kernels (t3s_amd64.s; AVX-512 BW + VNNI + VBMI): one
// VPERMB per value position turns 64 codes into their digits, one
// VPDPBUSD multiplies them by the position's 64 contiguous activations.
// One token at a time (t3sRowsAVX512) or tiles of four tokens sharing the
// decoded digits (t3sTile4AVX512), over bands of rows small enough to stay
// in L2. Without VBMI the avx512 path runs t3s_avx512bw_amd64.s (VPSHUFB
// lookups of packed digits; as fast on Zen 5).

// t3sMaxK bounds k for the assembly: an int32 lane gains at most 2·4·128
// per chunk of 384 values and Σ d·x must stay below 2³¹. Longer rows run
// the pure Go kernels, exact for every k.
const t3sMaxK = 1 << 20

// t3sBandBytes is the weight footprint of one band of rows in MatMat.
const t3sBandBytes = 256 << 10

// t3sRowsAVX512 writes dst[r] = Σ d·x − sumx for the rows T3_S rows at w of
// chunks whole chunks and a last chunk of tail groups (0–3). It streams
// the weights with the ternary stream's prefetch hint.
func t3sRowsAVX512(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int) {
	t3sRowsAVX512P(prefetchHint[StreamTernary], dst, w, x, chunks, tail, rows, sumx)
}

// t3sRowsAVX512P runs the t3sRowsAVX512 variant of hint h.
func t3sRowsAVX512P(h Prefetch, dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int) {
	switch h {
	case PrefetchNTA:
		t3sRowsAVX512NTA(dst, w, x, chunks, tail, rows, sumx)
	case PrefetchT0:
		t3sRowsAVX512T0(dst, w, x, chunks, tail, rows, sumx)
	case PrefetchT2:
		t3sRowsAVX512T2(dst, w, x, chunks, tail, rows, sumx)
	default:
		t3sRowsAVX512None(dst, w, x, chunks, tail, rows, sumx)
	}
}

//go:noescape
func t3sRowsAVX512NTA(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

//go:noescape
func t3sRowsAVX512T0(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

//go:noescape
func t3sRowsAVX512T2(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

//go:noescape
func t3sRowsAVX512None(dst *int32, w *byte, x *int8, chunks, tail, rows int, sumx int)

// t3sTile4AVX512 writes dst[t·ldd + r] = Σ d·x_t − sums[t] for r < rows
// and the four tokens at x, k values apart.
//
//go:noescape
func t3sTile4AVX512(dst *int32, ldd int, w *byte, x *int8, k int, chunks, tail, rows int, sums *int32)

func matVecT3SAVX512(dst []int32, w []byte, x []int8, k int) {
	t3sMatMatAVX512(true, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT3SAVX512(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t3sMatMatAVX512(true, dst, ldd, w, x, k, rows, tokens)
}

func matVecT3SAVX512BW(dst []int32, w []byte, x []int8, k int) {
	t3sMatMatAVX512(false, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT3SAVX512BW(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t3sMatMatAVX512(false, dst, ldd, w, x, k, rows, tokens)
}

// t3sMatMatAVX512 runs the VBMI kernels (vbmi) or the BW ones
// (t3s_avx512bw_amd64.s): one token over every row, or bands of rows, each
// passed by tiles of four tokens and then the tokens left one by one.
func t3sMatMatAVX512(vbmi bool, dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows <= 0 || tokens <= 0 {
		return
	}
	maxK := t3sMaxK
	if !vbmi {
		maxK = t3sBWMaxK
	}
	if k > maxK {
		matMatT3SGo(dst, ldd, w, x, k, rows, tokens)
		return
	}
	// Bounds the assembly relies on, whatever the caller checked.
	rb := T3SRowBytes(k)
	if k <= 0 || k%T3SGroupValues != 0 || ldd < rows || len(dst) < (tokens-1)*ldd+rows || len(w) < rows*rb || len(x) < tokens*k {
		panic("kernel: bad shape for the AVX-512 T3_S kernels")
	}
	groups := k / T3SGroupValues
	chunks, tail := groups/t3sChunkGroups, groups%t3sChunkGroups
	var buf [64]int32
	sums := buf[:]
	if tokens > len(buf) {
		sums = make([]int32, tokens)
	}
	for i := 0; i < tokens; i++ {
		sums[i] = sumInt8AVX2(&x[i*k], k)
	}
	band := rows
	if tokens > 1 {
		band = max(1, t3sBandBytes/rb)
	}
	for r0 := 0; r0 < rows; r0 += band {
		n := min(band, rows-r0)
		i := 0
		for ; tokens-i >= 4; i += 4 {
			if vbmi {
				t3sTile4AVX512(&dst[i*ldd+r0], ldd, &w[r0*rb], &x[i*k], k, chunks, tail, n, &sums[i])
			} else {
				t3sTile4AVX512BW(&dst[i*ldd+r0], ldd, &w[r0*rb], &x[i*k], k, chunks, tail, n, &sums[i])
			}
		}
		for ; i < tokens; i++ {
			if vbmi {
				t3sRowsAVX512(&dst[i*ldd+r0], &w[r0*rb], &x[i*k], chunks, tail, n, int(sums[i]))
			} else {
				t3sRowsAVX512BW(&dst[i*ldd+r0], &w[r0*rb], &x[i*k], chunks, tail, n, int(sums[i]))
			}
		}
	}
}
