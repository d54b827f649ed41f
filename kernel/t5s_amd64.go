//go:build amd64 && !purego

package kernel

// The amd64 T5_S kernels (t5s_amd64.s): "avx512" with VPDPBUSD on the
// tripled bytes (no digit is ever materialized), "avx2" with two compares
// per digit and VPMADDUBSW. They run one token over a band of rows; MatMat
// repeats them per token over bands of rows small enough to stay in L2.

// t5sRowsAVX512 and t5sRowsAVX2 write dst[r] = Σ c·x − sumx for r < rows
// of T5_S rows blocks·32 bytes long. blocks·160 must not exceed t5sMaxK.
//
//go:noescape
func t5sRowsAVX512(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

// t5sPermuteX lays the blocks·160 activations at x out for t5sRowsAVX512
// in dst, which holds (blocks+1)/2·320 bytes.
//
//go:noescape
func t5sPermuteX(dst *int8, x *int8, blocks int)

//go:noescape
func t5sRowsAVX2(dst *int32, w *byte, x *int8, blocks int, rows int, sumx int)

// t5sMaxK bounds k for the assembly: the AVX-512 kernel recovers each
// int32 lane's Σ c·x from 256 times it modulo 2³², exact while it stays
// below 2²³ (k < 2¹⁹). Longer rows run the pure Go kernels, exact for
// every k.
const t5sMaxK = 1 << 18

// t5sStackX is the most permuted activations kept on the stack.
const t5sStackX = 8 << 10

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
	var stack [t5sStackX]int8
	xp := stack[:]
	if avx512 {
		// The activations laid out for the AVX-512 kernel, one token after
		// another.
		n := (blocks + 1) / 2 * 2 * T5SBlockValues
		if tokens*n > len(stack) {
			xp = make([]int8, tokens*n)
		}
		for i := 0; i < tokens; i++ {
			t5sPermuteX(&xp[i*n], &x[i*k], blocks)
		}
		x, k = xp, n
	}
	for r0 := 0; r0 < rows; r0 += band {
		n := min(band, rows-r0)
		for i := 0; i < tokens; i++ {
			if avx512 {
				t5sRowsAVX512(&dst[i*ldd+r0], &w[r0*rb], &x[i*k], blocks, n, int(sums[i]))
			} else {
				t5sRowsAVX2(&dst[i*ldd+r0], &w[r0*rb], &x[i*k], blocks, n, int(sums[i]))
			}
		}
	}
}
