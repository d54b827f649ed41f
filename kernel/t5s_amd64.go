//go:build amd64 && !purego

package kernel

import "sync"

// The amd64 T5_S kernels (t5s_amd64.s): "avx512" with VPDPBUSD on the
// tripled bytes for one token (no digit is ever materialized) and tiles of
// one row × 2–16 tokens that decode the digits once for many tokens; "avx2"
// with two compares per digit and VPMADDUBSW, one token at a time or in
// tiles of 2 or 4 tokens sharing the digits. MatMat runs over bands of rows
// small enough to stay in L2.

// t5sRowsAVX512 and t5sRowsAVX2 write dst[r] = Σ c·x − sumx for r < rows
// of T5_S rows blocks·32 bytes long. blocks·160 must not exceed t5sMaxK.
// They stream the weights with the ternary stream's prefetch hint (one
// instance per hint, prefetch_amd64.go).
func t5sRowsAVX512(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int) {
	t5sRowsAVX512P(prefetchHint[StreamTernary], dst, w, x, blocks, rows, sumx)
}

func t5sRowsAVX2(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int) {
	t5sRowsAVX2P(prefetchHint[StreamTernary], dst, w, x, blocks, rows, sumx)
}

// t5sPermuteX lays the blocks·160 activations at x out for the AVX-512
// kernels in dst: (blocks+1)/2 pairs of 320 bytes, stride bytes apart.
//
//go:noescape
func t5sPermuteX(dst *int8, x *int8, blocks int, stride int)

// t5sTileAVX512T2 … T16 write dst[t·ldd + r] = Σ c·x_t − sums[t] for
// r < rows and the T tokens of x, laid out by t5sPermuteX with stride
// T·320.
//
//go:noescape
func t5sTileAVX512T2(dst *int32, ldd int, w *byte, x *int8, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileAVX512T4(dst *int32, ldd int, w *byte, x *int8, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileAVX512T8(dst *int32, ldd int, w *byte, x *int8, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileAVX512T12(dst *int32, ldd int, w *byte, x *int8, blocks int, rows int, sums *int32)

//go:noescape
func t5sTileAVX512T16(dst *int32, ldd int, w *byte, x *int8, blocks int, rows int, sums *int32)

// t5sTileAVX2T2 and T4 write dst[t·ldd + r] = Σ c·x_t − sums[t] for
// r < rows and the T tokens at x, k values apart.
//
//go:noescape
func t5sTileAVX2T2(dst *int32, ldd int, w *byte, x *int8, k int, rows int, sums *int32)

//go:noescape
func t5sTileAVX2T4(dst *int32, ldd int, w *byte, x *int8, k int, rows int, sums *int32)

// t5sMaxK bounds k for the assembly: the AVX-512 kernel recovers each
// int32 lane's Σ c·x from 256 times it modulo 2³², exact while it stays
// below 2²³ (k < 2¹⁹). Longer rows run the pure Go kernels, exact for
// every k.
const t5sMaxK = 1 << 18

// t5sBandBytes is the weight footprint of one band of rows in MatMat.
const t5sBandBytes = 256 << 10

func matVecT5SAVX512(dst []int32, w []byte, x []int8, k int) {
	t5sMatMatAMD64(true, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT5SAVX512(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t5sMatMatAMD64(true, dst, ldd, w, x, k, rows, tokens)
}

func matVecT5SAVX2(dst []int32, w []byte, x []int8, k int) {
	t5sMatMatAMD64(false, dst, len(dst), w, x, k, len(dst), 1)
}

func matMatT5SAVX2(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	t5sMatMatAMD64(false, dst, ldd, w, x, k, rows, tokens)
}

func t5sMatMatAMD64(avx512 bool, dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows <= 0 || tokens <= 0 {
		return
	}
	if k > t5sMaxK {
		matMatT5SGo(dst, ldd, w, x, k, rows, tokens)
		return
	}
	// Bounds the assembly relies on, whatever the caller checked.
	rb := k / 5
	if k <= 0 || k%T5SBlockValues != 0 || ldd < rows || len(dst) < (tokens-1)*ldd+rows || len(w) < rows*rb || len(x) < tokens*k {
		panic("kernel: bad shape for the amd64 T5_S kernels")
	}
	blocks := k / T5SBlockValues
	if avx512 {
		t5sAVX512(dst, ldd, w, x, k, rows, tokens)
		return
	}
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
		band = max(1, t5sBandBytes/rb)
	}
	for r0 := 0; r0 < rows; r0 += band {
		n := min(band, rows-r0)
		for i := 0; i < tokens; {
			d, wp, xt := &dst[i*ldd+r0], &w[r0*rb], &x[i*k]
			switch {
			case tokens-i >= 4:
				t5sTileAVX2T4(d, ldd, wp, xt, k, n, &sums[i])
				i += 4
			case tokens-i >= 2:
				t5sTileAVX2T2(d, ldd, wp, xt, k, n, &sums[i])
				i += 2
			default:
				t5sRowsAVX2(d, wp, xt, blocks, n, int(sums[i]))
				i++
			}
		}
	}
}

// prepareT5SAVX512 lays a's activations out for t5sRowsAVX512 and sums
// them; prepareT5SAVX2 sums them.
func prepareT5SAVX512(a *T5SActs) {
	if a.k > t5sMaxK {
		prepareT5SNone(a)
		return
	}
	blocks := a.k / T5SBlockValues
	need := (blocks + 1) / 2 * 320
	if cap(a.xp) < need {
		a.xp = make([]int8, need)
	}
	a.xp = a.xp[:need]
	t5sPermuteX(&a.xp[0], &a.x[0], blocks, 320)
	a.sum = sumInt8AVX2(&a.x[0], a.k)
}

func prepareT5SAVX2(a *T5SActs) {
	a.xp = a.xp[:0]
	if a.k <= t5sMaxK {
		a.sum = sumInt8AVX2(&a.x[0], a.k)
	}
}

// matVecT5SActsAVX512 and matVecT5SActsAVX2 run the one-token kernels on
// what Prepare computed (the generic kernels above k > t5sMaxK).
func matVecT5SActsAVX512(dst []int32, w []byte, a *T5SActs) {
	if a.k > t5sMaxK {
		matVecT5SGo(dst, w, a.x, a.k)
		return
	}
	t5sRowsAVX512(&dst[0], &w[0], &a.xp[0], a.k/T5SBlockValues, len(dst), int(a.sum))
}

func matVecT5SActsAVX2(dst []int32, w []byte, a *T5SActs) {
	if a.k > t5sMaxK {
		matVecT5SGo(dst, w, a.x, a.k)
		return
	}
	t5sRowsAVX2(&dst[0], &w[0], &a.x[0], a.k/T5SBlockValues, len(dst), int(a.sum))
}

// t5sTile is the most tokens of one AVX-512 tile.
const t5sTile = 16

// t5sChunk is how many tokens' activations are laid out at once.
const t5sChunk = 10 * t5sTile

// t5sXPool keeps the laid-out activations of a chunk of tokens between
// calls; it holds memory, not work.
var t5sXPool = sync.Pool{New: func() any { return new([]int8) }}

// t5sAVX512 runs the AVX-512 kernels: one token with t5sRowsAVX512 over
// every row, more in chunks of t5sChunk tokens, each laid out once in
// tiles of up to t5sTile tokens, over L2-sized bands of rows.
func t5sAVX512(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	rb := k / 5
	blocks := k / T5SBlockValues
	pairBytes := (blocks + 1) / 2 * 320 // one token laid out
	buf := t5sXPool.Get().(*[]int8)
	if need := min(tokens, t5sChunk) * pairBytes; cap(*buf) < need {
		*buf = make([]int8, need)
	}
	xp := (*buf)[:cap(*buf)]
	if tokens == 1 {
		t5sPermuteX(&xp[0], &x[0], blocks, 320)
		t5sRowsAVX512(&dst[0], &w[0], &xp[0], blocks, rows, int(sumInt8AVX2(&x[0], k)))
		t5sXPool.Put(buf)
		return
	}
	var sums [t5sChunk]int32
	band := max(1, t5sBandBytes/rb)
	for c0 := 0; c0 < tokens; c0 += t5sChunk {
		cn := min(t5sChunk, tokens-c0)
		for t0 := 0; t0 < cn; {
			tn := t5sTileOf(cn - t0)
			for t := 0; t < tn; t++ {
				i := c0 + t0 + t
				sums[t0+t] = sumInt8AVX2(&x[i*k], k)
				t5sPermuteX(&xp[t0*pairBytes+t*320], &x[i*k], blocks, tn*320)
			}
			t0 += tn
		}
		for r0 := 0; r0 < rows; r0 += band {
			n := min(band, rows-r0)
			for t0 := 0; t0 < cn; {
				tn := t5sTileOf(cn - t0)
				d, wp, xt, s := &dst[(c0+t0)*ldd+r0], &w[r0*rb], &xp[t0*pairBytes], &sums[t0]
				t5sTileAVX512(d, ldd, wp, xt, blocks, n, s, tn)
				t0 += tn
			}
		}
	}
	t5sXPool.Put(buf)
}

// t5sTileOf is the widest tile for n remaining tokens.
func t5sTileOf(n int) int {
	for _, t := range [...]int{16, 12, 8, 4, 2} {
		if n >= t {
			return t
		}
	}
	return 1
}

// t5sTileAVX512 runs the tile of tn tokens (t5sTileOf's sizes).
func t5sTileAVX512(d *int32, ldd int, w *byte, x *int8, blocks, rows int, sums *int32, tn int) {
	switch tn {
	case 1:
		t5sRowsAVX512(d, w, x, blocks, rows, int(*sums))
	case 2:
		t5sTileAVX512T2(d, ldd, w, x, blocks, rows, sums)
	case 4:
		t5sTileAVX512T4(d, ldd, w, x, blocks, rows, sums)
	case 8:
		t5sTileAVX512T8(d, ldd, w, x, blocks, rows, sums)
	case 12:
		t5sTileAVX512T12(d, ldd, w, x, blocks, rows, sums)
	default:
		t5sTileAVX512T16(d, ldd, w, x, blocks, rows, sums)
	}
}
