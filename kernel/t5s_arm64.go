//go:build arm64 && !purego

package kernel

// The arm64 T5_S kernels (t5s_arm64.s): two unsigned compares per digit
// give −c, multiplied by the activations with SDOT ("neondot") or
// SMLAL/SMLAL2 ("neon"), for one token or for tiles of 2 or 4 tokens that
// share each block's digits, over bands of rows small enough to stay in L2.

// t5sRowsNEONDot and t5sRowsNEON write dst[r] = Σ c·x − sumx for r < rows
// of T5_S rows blocks·32 bytes long, exact for every k.
//
//go:noescape
func t5sRowsNEONDot(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

//go:noescape
func t5sRowsNEON(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

// The tiles write dst[t·ldd + r] = Σ c·x_t − sums[t] for r < rows and the
// T tokens at x, k values apart.
//
//go:noescape
func t5sTileNEONDotT2(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileNEONDotT4(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileNEONT2(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileNEONT4(dst *int32, ldd int, w *byte, x *int8, k int, blocks int, rows int, sums *int32)

func matVecT5SNEONDot(dst []int32, w []byte, x []int8, k int) {
	t5sMatMatARM64(true, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT5SNEONDot(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t5sMatMatARM64(true, dst, ldd, w, x, k, rows, tokens)
}

func matVecT5SNEON(dst []int32, w []byte, x []int8, k int) {
	t5sMatMatARM64(false, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT5SNEON(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t5sMatMatARM64(false, dst, ldd, w, x, k, rows, tokens)
}

func t5sMatMatARM64(dot bool, dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows <= 0 || tokens <= 0 {
		return
	}
	// Bounds the assembly relies on, whatever the caller checked.
	rb := k / 5
	if k <= 0 || k%T5SBlockValues != 0 || ldd < rows || len(dst) < (tokens-1)*ldd+rows || len(w) < rows*rb || len(x) < tokens*k {
		panic("kernel: bad shape for the arm64 T5_S kernels")
	}
	blocks := k / T5SBlockValues
	band := rows
	if tokens > 1 {
		band = max(1, neonBandBytes/rb)
	}
	var buf [64]int32
	sums := buf[:]
	if tokens > len(buf) {
		sums = make([]int32, tokens)
	}
	for i := 0; i < tokens; i++ {
		xt := x[i*k : (i+1)*k]
		n := k &^ 63
		if n > 0 {
			sums[i] = neonSumInt8(&xt[0], n)
		}
		for _, v := range xt[n:] {
			sums[i] += int32(v)
		}
	}
	for r0 := 0; r0 < rows; r0 += band {
		n := min(band, rows-r0)
		for i := 0; i < tokens; {
			d, wp, xt, s := &dst[i*ldd+r0], &w[r0*rb], &x[i*k], &sums[i]
			switch {
			case tokens-i >= 4 && dot:
				t5sTileNEONDotT4(d, ldd, wp, xt, k, blocks, n, s)
				i += 4
			case tokens-i >= 4:
				t5sTileNEONT4(d, ldd, wp, xt, k, blocks, n, s)
				i += 4
			case tokens-i >= 2 && dot:
				t5sTileNEONDotT2(d, ldd, wp, xt, k, blocks, n, s)
				i += 2
			case tokens-i >= 2:
				t5sTileNEONT2(d, ldd, wp, xt, k, blocks, n, s)
				i += 2
			case dot:
				t5sRowsNEONDot(d, wp, xt, blocks, n, int(*s))
				i++
			default:
				t5sRowsNEON(d, wp, xt, blocks, n, int(*s))
				i++
			}
		}
	}
}
