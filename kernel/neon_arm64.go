//go:build arm64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// The arm64 paths read the x86 I2_S layout of the package contract
// (docs/SEMANTICS.md §4), not bitnet.cpp's 64-value ARM layout: one layout on every
// architecture, so a file packed anywhere runs everywhere.
//
// Both use the unsigned-code identity of docs/SEMANTICS.md §4,
// Σ t·q = Σ c·q − Σ q, with c = t+1 ∈ {0,1,2} taken straight from the bit
// fields, and Σ q computed once per token (neonSumInt8):
//
//   - "neondot" (FEAT_DotProd, priority 3): SDOT multiplies 16 codes by 16
//     activations and adds groups of four into int32 lanes. Three of the four
//     bit fields are only masked, not shifted, so they arrive scaled by 16 and
//     4 and are summed in their own accumulators (neondot_arm64.s).
//   - "neon" (any ARMv8.0 core, priority 2): SMULL/SMLAL into int16 lanes, at
//     most eight products per lane, widened into int32 with SADALP once per
//     block (neon_arm64.s).
//
// MatMat runs tiles of up to four tokens, so each 32-byte block is decoded
// once per tile, over bands of rows small enough to stay in cache while every
// tile passes over them.
func init() {
	p := withGoFloats(&path{name: "neondot", available: cpu.ARM64.HasASIMDDP, priority: 3,
		matVec: matVecNEONDot, matMat: matMatNEONDot, quantize: quantizeFast,
		matVecT5S: matVecT5SNEONDot, matMatT5S: matMatT5SNEONDot,
		matVecT3S: matVecT3SNEONDot, matMatT3S: matMatT3SNEONDot})
	p.matVecQ6K = matVecQ6KNEONGo
	register(p)
	// Advanced SIMD is part of every arm64 Go target (the runtime's own
	// memmove uses it), and x/sys/cpu does not report it on every OS.
	p = withGoFloats(&path{name: "neon", available: true, priority: 2,
		matVec: matVecNEON, matMat: matMatNEON, quantize: quantizeFast,
		matVecT5S: matVecT5SNEON, matMatT5S: matMatT5SNEON,
		matVecT3S: matVecT3SNEON, matMatT3S: matMatT3SNEON})
	p.matVecQ6K = matVecQ6KNEONGo
	register(p)
}

// neonMaxDotK bounds k for neondot: its scale-16 accumulators hold 16·Σc·q,
// which stays below 2³¹ for k < 2²¹. Longer rows go to "neon", exact for every
// k.
const neonMaxDotK = 1 << 20

// neonBandBytes is the weight footprint of one band of rows in MatMat: every
// tile of tokens passes over the band while it is still in L2. A variable so
// that tests can shrink it to exercise bands.
var neonBandBytes = 128 << 10

// The tile kernels compute, for the n tokens of their tile and r < rows,
// dst[i·stride + r] = Σ_j c[r][j]·x[i·k + j] − sumq[i], reading rows·k/4
// bytes of w and n·k bytes of x. k must be a positive multiple of 128 and
// rows positive. They are called directly, never through func values, so
// that //go:noescape keeps the caller's Σq buffer on the stack.

//go:noescape
func sdotTile1(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func sdotTile2(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func sdotTile3(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func sdotTile4(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func smullTile1(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func smullTile2(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func smullTile3(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

//go:noescape
func smullTile4(dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int)

// neonSumInt8 returns Σ x[0:n] for n a multiple of 64.
//
//go:noescape
func neonSumInt8(x *int8, n int) int32

func matVecNEONDot(dst []int32, w []byte, x []int8, k int) {
	if k > neonMaxDotK {
		matVecNEON(dst, w, x, k)
		return
	}
	neonMatVec(true, dst, w, x, k)
}

func matMatNEONDot(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if k > neonMaxDotK {
		matMatNEON(dst, ldd, w, x, k, rows, tokens)
		return
	}
	neonMatMat(true, dst, ldd, w, x, k, rows, tokens)
}

func matVecNEON(dst []int32, w []byte, x []int8, k int) {
	neonMatVec(false, dst, w, x, k)
}

func matMatNEON(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	neonMatMat(false, dst, ldd, w, x, k, rows, tokens)
}

// neonCheckShape guards the assembly against reading or writing outside the
// slices, whatever the caller checked already: token i's rows are written
// at dst[i·ldd:].
func neonCheckShape(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if k <= 0 || k%BlockValues != 0 || ldd < rows || len(dst) < (tokens-1)*ldd+rows || len(w) < rows*(k/4) || len(x) < tokens*k {
		panic("kernel: bad shape for the arm64 kernels")
	}
}

func neonMatVec(dot bool, dst []int32, w []byte, x []int8, k int) {
	rows := len(dst)
	if rows == 0 {
		return
	}
	neonCheckShape(dst, rows, w, x, k, rows, 1)
	sq := neonSumInt8(&x[0], k)
	neonTile(dot, 1, &dst[0], &w[0], &x[0], &sq, k, rows, rows)
}

func neonMatMat(dot bool, dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows <= 0 || tokens <= 0 {
		return
	}
	neonCheckShape(dst, ldd, w, x, k, rows, tokens)
	var buf [32]int32
	sq := buf[:]
	if tokens > len(buf) {
		sq = make([]int32, tokens)
	}
	for i := 0; i < tokens; i++ {
		sq[i] = neonSumInt8(&x[i*k], k)
	}
	band := max(1, neonBandBytes/(k/4))
	if tokens <= 4 {
		band = rows // one tile: a single pass, no reuse to gain
	}
	for r0 := 0; r0 < rows; r0 += band {
		n := min(band, rows-r0)
		wb := &w[r0*(k/4)]
		for i := 0; i < tokens; i += 4 {
			t := min(4, tokens-i)
			neonTile(dot, t, &dst[i*ldd+r0], wb, &x[i*k], &sq[i], k, n, ldd)
		}
	}
}

// neonTile runs the n-token tile kernel of the neondot (dot) or neon path.
func neonTile(dot bool, n int, dst *int32, w *byte, x *int8, sumq *int32, k, rows, stride int) {
	switch {
	case dot && n == 1:
		sdotTile1(dst, w, x, sumq, k, rows, stride)
	case dot && n == 2:
		sdotTile2(dst, w, x, sumq, k, rows, stride)
	case dot && n == 3:
		sdotTile3(dst, w, x, sumq, k, rows, stride)
	case dot:
		sdotTile4(dst, w, x, sumq, k, rows, stride)
	case n == 1:
		smullTile1(dst, w, x, sumq, k, rows, stride)
	case n == 2:
		smullTile2(dst, w, x, sumq, k, rows, stride)
	case n == 3:
		smullTile3(dst, w, x, sumq, k, rows, stride)
	default:
		smullTile4(dst, w, x, sumq, k, rows, stride)
	}
}
