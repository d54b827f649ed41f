//go:build amd64 && !purego

package kernel

// The AVX2 T3_S kernels (t3s_avx2_amd64.s; AVX2 only, Y0–Y15): two
// 16-entry VPSHUFB tables, blended by each code's bit 4, turn 32 codes
// into their three packed digits; VPMADDUBSW multiplies each digit by the
// 32 contiguous activations of its value position. One token at a time
// (t3sRowsAVX2, one instance per prefetch hint) or tiles of two and four
// tokens sharing the decoded digits (t3sTileAVX2T2, T4), over bands of
// rows small enough to stay in L2.

// t3sAVX2MaxK bounds k for the assembly: the int32 lanes of t3sRowsAVX2
// hold 16·Σ d·x, at most 512·k in magnitude (t3s_avx2_amd64.s), which must
// stay below 2³¹. Longer rows run the pure Go kernels, exact for every k.
const t3sAVX2MaxK = 1 << 22

// t3sAVX2BandBytes is the weight footprint of one band of rows in MatMat.
const t3sAVX2BandBytes = 256 << 10

// t3sAVX2TailBytes is the size of one token's last-chunk activations laid
// out by t3sTailAVX2 (at most 3 units × 3 value positions × 32 bytes).
const t3sAVX2TailBytes = 3 * 3 * 32

// t3sAVX2Tokens is how many tokens' sums and last chunks are kept at once.
const t3sAVX2Tokens = 16

// t3sRowsAVX2 writes dst[r] = Σ d·x − sumx for the rows T3_S rows at w of
// full whole chunks and a last chunk of tail groups (0–3), whose
// activations xt holds as laid out by t3sTailAVX2. It streams the weights
// with the ternary stream's prefetch hint.
func t3sRowsAVX2(dst *int32, w *byte, x, xt *int8, full, tail, rows int, sumx int) {
	t3sRowsAVX2P(prefetchHint[StreamTernary], dst, w, x, xt, full, tail, rows, sumx)
}

// t3sRowsAVX2P runs the t3sRowsAVX2 variant of hint h.
func t3sRowsAVX2P(h Prefetch, dst *int32, w *byte, x, xt *int8, full, tail, rows int, sumx int) {
	switch h {
	case PrefetchNTA:
		t3sRowsAVX2NTA(dst, w, x, xt, full, tail, rows, sumx)
	case PrefetchT0:
		t3sRowsAVX2T0(dst, w, x, xt, full, tail, rows, sumx)
	case PrefetchT2:
		t3sRowsAVX2T2(dst, w, x, xt, full, tail, rows, sumx)
	default:
		t3sRowsAVX2None(dst, w, x, xt, full, tail, rows, sumx)
	}
}

//go:noescape
func t3sRowsAVX2NTA(dst *int32, w *byte, x *int8, xt *int8, full int, tail int, rows int, sumx int)

//go:noescape
func t3sRowsAVX2T0(dst *int32, w *byte, x *int8, xt *int8, full int, tail int, rows int, sumx int)

//go:noescape
func t3sRowsAVX2T2(dst *int32, w *byte, x *int8, xt *int8, full int, tail int, rows int, sumx int)

//go:noescape
func t3sRowsAVX2None(dst *int32, w *byte, x *int8, xt *int8, full int, tail int, rows int, sumx int)

// t3sTileAVX2T2 and T4 write dst[t·ldd + r] = Σ d·x_t − sums[t] for
// r < rows and the T tokens at x, k values apart, whose last chunks xt
// holds t3sAVX2TailBytes apart.
//
//go:noescape
func t3sTileAVX2T2(dst *int32, ldd int, w *byte, x *int8, xt *int8, k int, full int, tail int, rows int, sums *int32)

//go:noescape
func t3sTileAVX2T4(dst *int32, ldd int, w *byte, x *int8, xt *int8, k int, full int, tail int, rows int, sums *int32)

// t3sTailAVX2 lays out the activations of the last chunk (g < 4 groups,
// n = 32·g codes) of the row x for the unit steps of the kernels: for unit
// u < g and value position i < 3, 32 bytes at (3·u + i)·32 — the 16 of
// codes 16·u … 16·u+15 (columns base + i·n + 16·u …), then the 16 of codes
// 16·g + 16·u … (columns base + i·n + 16·g + 16·u …).
func t3sTailAVX2(dst, x []int8, g int) {
	n := 32 * g
	base := len(x) - 3*n
	for u := 0; u < g; u++ {
		for i := 0; i < 3; i++ {
			o := (3*u + i) * 32
			lo := base + i*n + 16*u
			copy(dst[o:o+16], x[lo:lo+16])
			copy(dst[o+16:o+32], x[lo+16*g:lo+16*g+16])
		}
	}
}

func matVecT3SAVX2(dst []int32, w []byte, x []int8, k int) {
	t3sMatMatAVX2(dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT3SAVX2(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t3sMatMatAVX2(dst, ldd, w, x, k, rows, tokens)
}

func t3sMatMatAVX2(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows <= 0 || tokens <= 0 {
		return
	}
	if k > t3sAVX2MaxK {
		matMatT3SGo(dst, ldd, w, x, k, rows, tokens)
		return
	}
	// Bounds the assembly relies on, whatever the caller checked.
	rb := T3SRowBytes(k)
	if k <= 0 || k%T3SGroupValues != 0 || ldd < rows || len(dst) < (tokens-1)*ldd+rows || len(w) < rows*rb || len(x) < tokens*k {
		panic("kernel: bad shape for the AVX2 T3_S kernels")
	}
	groups := k / T3SGroupValues
	full, tail := groups/t3sChunkGroups, groups%t3sChunkGroups
	var sums [t3sAVX2Tokens]int32
	var xt [t3sAVX2Tokens * t3sAVX2TailBytes]int8
	band := rows
	if tokens > 1 {
		band = max(1, t3sAVX2BandBytes/rb)
	}
	for c0 := 0; c0 < tokens; c0 += t3sAVX2Tokens {
		cn := min(t3sAVX2Tokens, tokens-c0)
		for t := 0; t < cn; t++ {
			xi := x[(c0+t)*k : (c0+t+1)*k]
			sums[t] = sumInt8AVX2(&xi[0], k)
			if tail > 0 {
				t3sTailAVX2(xt[t*t3sAVX2TailBytes:], xi, tail)
			}
		}
		for r0 := 0; r0 < rows; r0 += band {
			n := min(band, rows-r0)
			wp := &w[r0*rb]
			for t := 0; t < cn; {
				i := c0 + t
				d, xi, xti := &dst[i*ldd+r0], &x[i*k], &xt[t*t3sAVX2TailBytes]
				switch {
				case cn-t >= 4:
					t3sTileAVX2T4(d, ldd, wp, xi, xti, k, full, tail, n, &sums[t])
					t += 4
				case cn-t >= 2:
					t3sTileAVX2T2(d, ldd, wp, xi, xti, k, full, tail, n, &sums[t])
					t += 2
				default:
					t3sRowsAVX2(d, wp, xi, xti, full, tail, n, int(sums[t]))
					t++
				}
			}
		}
	}
}
