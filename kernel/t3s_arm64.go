//go:build arm64 && !purego

package kernel

// The arm64 T3_S kernels (t3s_arm64.s): each block of 16 nibble bytes and
// its 4 bit bytes is turned into 32 whole 5-bit codes, and three two-register
// table lookups (TBL) map the codes straight to their values t_i ∈ {−1, 0, 1}
// as int8, multiplied by the activations with SDOT ("neondot") or
// SMLAL/SMLAL2 ("neon"). No correction term: the tables give t itself, and
// codes 27–31 decode as ⌊c/3^i⌋ mod 3 − 1 like every other path. Tiles of
// 1, 2 or 4 tokens share each block's decoded values, over bands of rows
// small enough to stay in L2.

// The tiles write dst[t·ldd + r] = Σ_j t[r][j]·x[t·k + j] for r < rows and
// the T tokens at x, k values apart, of T3_S rows groups·20 bytes long
// (k = 96·groups). rows and groups must be positive.
//
//go:noescape
func t3sTileNEONDot1(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)

//go:noescape
func t3sTileNEONDot2(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)

//go:noescape
func t3sTileNEONDot4(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)

//go:noescape
func t3sTileNEON1(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)

//go:noescape
func t3sTileNEON2(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)

//go:noescape
func t3sTileNEON4(dst *int32, ldd int, w *byte, x *int8, k int, groups int, rows int)

func matVecT3SNEONDot(dst []int32, w []byte, x []int8, k int) {
	t3sMatMatARM64(true, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT3SNEONDot(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t3sMatMatARM64(true, dst, ldd, w, x, k, rows, tokens)
}

func matVecT3SNEON(dst []int32, w []byte, x []int8, k int) {
	t3sMatMatARM64(false, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT3SNEON(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t3sMatMatARM64(false, dst, ldd, w, x, k, rows, tokens)
}

func t3sMatMatARM64(dot bool, dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows <= 0 || tokens <= 0 {
		return
	}
	// Bounds the assembly relies on, whatever the caller checked.
	rb := T3SRowBytes(k)
	if k <= 0 || k%T3SGroupValues != 0 || ldd < rows || len(dst) < (tokens-1)*ldd+rows || len(w) < rows*rb || len(x) < tokens*k {
		panic("kernel: bad shape for the arm64 T3_S kernels")
	}
	groups := k / T3SGroupValues
	band := rows
	if tokens > 1 {
		band = max(1, neonBandBytes/rb)
	}
	for r0 := 0; r0 < rows; r0 += band {
		n := min(band, rows-r0)
		for i := 0; i < tokens; {
			d, wp, xt := &dst[i*ldd+r0], &w[r0*rb], &x[i*k]
			switch {
			case tokens-i >= 4 && dot:
				t3sTileNEONDot4(d, ldd, wp, xt, k, groups, n)
				i += 4
			case tokens-i >= 4:
				t3sTileNEON4(d, ldd, wp, xt, k, groups, n)
				i += 4
			case tokens-i >= 2 && dot:
				t3sTileNEONDot2(d, ldd, wp, xt, k, groups, n)
				i += 2
			case tokens-i >= 2:
				t3sTileNEON2(d, ldd, wp, xt, k, groups, n)
				i += 2
			case dot:
				t3sTileNEONDot1(d, ldd, wp, xt, k, groups, n)
				i++
			default:
				t3sTileNEON1(d, ldd, wp, xt, k, groups, n)
				i++
			}
		}
	}
}
