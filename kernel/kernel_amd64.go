//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

//go:generate sh -c "cd _gen && go run . -out ../kernel_amd64.s -stubs ../kernel_amd64_stubs.go -pkg kernel"

// The amd64 paths run tiles of R rows × T tokens written in assembly by
// _gen/gen.go: "avx2" (VPMADDUBSW on unsigned codes, int16 sums widened with
// VPMADDWD) and "avx512" (VPDPBUSD, AVX-512 F+BW+VL+VNNI). Both compute
// Σ c·x − Σ x with the codes c = t+1 (docs/SEMANTICS.md §4). Their float
// helpers: "avx2" the AVX2+FMA ones (F16 and Q8_0 LM heads, attention dots
// and axpys and their four-head forms; exp in Go), "avx512" adds the
// AVX-512 LM heads, exp and four-head attention forms. "avxvnni" is "avx2"
// with its one-token I2_S products through VEX VPDPBUSD (i2s_vnni_amd64.go),
// preferred to "avx2" where AVX-512 is missing.

func init() {
	avx2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512DQ &&
		cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VNNI
	register(avx2Helpers(avx2Tiles.path("avx2", avx2, 2)))

	// avxvnni: the avx2 path with the one-token I2_S products through
	// VEX VPDPBUSD (i2s_vnni_amd64.go).
	p := avx2Helpers(avx2Tiles.path("avxvnni", avx2 && cpu.X86.HasAVXVNNI, 3))
	p.matVec, p.matMat = matVecVNNI, matMatVNNI
	register(p)

	p = avx512Tiles.path("avx512", avx512, 4)
	p.quantize = quantizeAVX512
	p.matVecF16 = matVecF16AVX512Go
	p.matVecQ8_0 = matVecQ8_0AVX512Go
	p.matVecQ6K = matVecQ6KAVX512Go
	p.expShifted = expShiftedAVX512Go
	p.dot, p.axpy, p.dots, p.axpys = dotAVX2, axpyAVX2, dotsAVX2, axpysAVX2
	p.dotsN, p.axpysN = dotsNAVX512, axpysNAVX512
	p.sumF32, p.sumSquaresF64, p.scaleMulF32, p.divF32 = sumF32AVX512Go, sumSquaresF64AVX512Go, scaleMulF32AVX512Go, divF32AVX512Go
	p.matVecT5S, p.matMatT5S = matVecT5SAVX512, matMatT5SAVX512
	p.prepareT5S, p.matVecT5SActs = prepareT5SAVX512, matVecT5SActsAVX512
	p.matVecT3S, p.matMatT3S = matVecT3SAVX512BW, matMatT3SAVX512BW
	if cpu.X86.HasAVX512VBMI {
		p.matVecT3S, p.matMatT3S = matVecT3SAVX512, matMatT3SAVX512
	}
	p.dequant, p.dequantAdd, p.dequantReluSqr = dequantVecAVX512, dequantAddVecAVX512, dequantReluSqrVecAVX512
	register(p)
}

// avx2Helpers sets the AVX2 kernels of every field but the I2_S tiles on
// p (the avx2 and avxvnni paths) and returns it.
func avx2Helpers(p *path) *path {
	p.quantize = quantizeFast
	p.matVecF16 = matVecF16AVX2Go
	p.matVecQ8_0 = matVecQ8_0AVX2Go
	p.matVecQ6K = matVecQ6KAVX2Go
	p.expShifted = ExpShiftedF32Ref
	p.dot, p.axpy, p.dots, p.axpys = dotAVX2, axpyAVX2, dotsAVX2, axpysAVX2
	p.dotsN, p.axpysN = dotsNAVX2, axpysNAVX2
	p.sumF32, p.sumSquaresF64, p.scaleMulF32, p.divF32 = sumF32Go, sumSquaresF64Go, scaleMulF32Go, divF32Go
	p.matVecT5S, p.matMatT5S = matVecT5SAVX2, matMatT5SAVX2
	p.prepareT5S, p.matVecT5SActs = prepareT5SAVX2, matVecT5SActsAVX2
	p.matVecT3S, p.matMatT3S = matVecT3SAVX2, matMatT3SAVX2
	p.dequant, p.dequantAdd, p.dequantReluSqr = dequantVecAVX2, dequantAddVecAVX2, dequantReluSqrVecAVX2
	return p
}

// maxTile is the largest token tile the generator emits.
const maxTile = 6

// tileSet is one instruction set's kernels. Tiles are called directly from
// a switch, not through func values: arguments of indirect calls escape, and
// the activation sums live on the caller's stack.
type tileSet struct {
	avx512 bool
}

var (
	avx2Tiles   = &tileSet{avx512: false}
	avx512Tiles = &tileSet{avx512: true}
)

func (s *tileSet) path(name string, available bool, priority int) *path {
	return &path{
		name:      name,
		available: available,
		priority:  priority,
		matVec:    s.matVec,
		matMat:    s.matMatStride,
	}
}

func (s *tileSet) matVec(dst []int32, w []byte, x []int8, k int) {
	if len(dst) == 0 {
		return
	}
	_ = w[len(dst)*k/4-1]
	sums := [1]int32{sumInt8AVX2(&x[:k][0], k)}
	s.tile(dst, 0, w, x, sums[:], k, len(dst), 1)
}

// rowBlockBytes bounds the weights one pass over a token chunk touches, so
// that they stay in L2 while every token tile of the chunk reuses them.
const rowBlockBytes = 256 << 10

// tokenChunk is how many tokens' activation sums are kept at once.
const tokenChunk = 10 * maxTile

func (s *tileSet) matMatStride(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	if rows == 0 || tokens == 0 {
		return
	}
	rb := k / 4
	_ = w[rows*rb-1]
	_ = x[tokens*k-1]
	_ = dst[(tokens-1)*ldd+rows-1]
	block := max(4, rowBlockBytes/rb&^3)
	var sums [tokenChunk]int32
	for c0 := 0; c0 < tokens; c0 += tokenChunk {
		cn := min(tokenChunk, tokens-c0)
		for t := range cn {
			sums[t] = sumInt8AVX2(&x[(c0+t)*k], k)
		}
		for r0 := 0; r0 < rows; r0 += block {
			rn := min(block, rows-r0)
			for t0 := 0; t0 < cn; t0 += maxTile {
				tn := min(maxTile, cn-t0)
				s.tile(dst[(c0+t0)*ldd+r0:], ldd, w[r0*rb:], x[(c0+t0)*k:], sums[t0:], k, rn, tn)
			}
		}
	}
}

// tile runs rows × tokens (tokens ≤ maxTile) with the widest kernel and the
// remaining rows one at a time. The caller has checked every bound.
func (s *tileSet) tile(dst []int32, ldd int, w []byte, x []int8, sums []int32, k, rows, tokens int) {
	wide := 4 // rows per wide tile
	switch {
	case tokens == 1:
		wide = 1 // the mat-vec kernel
	case !s.avx512:
		wide = 2
	}
	n := rows - rows%wide
	if n > 0 {
		s.call(wide, tokens, &dst[0], ldd, &w[0], &x[0], &sums[0], k, n)
	}
	if n < rows {
		s.call(1, tokens, &dst[n], ldd, &w[n*k/4], &x[0], &sums[0], k, rows-n)
	}
}

// call runs the generated tile of r rows × t tokens.
func (s *tileSet) call(r, t int, dst *int32, ldd int, w *byte, x *int8, sums *int32, k, rows int) {
	if s.avx512 {
		switch r<<4 | t {
		case 0x42:
			tileAVX512R4T2(dst, ldd, w, x, sums, k, rows)
		case 0x43:
			tileAVX512R4T3(dst, ldd, w, x, sums, k, rows)
		case 0x44:
			tileAVX512R4T4(dst, ldd, w, x, sums, k, rows)
		case 0x45:
			tileAVX512R4T5(dst, ldd, w, x, sums, k, rows)
		case 0x46:
			tileAVX512R4T6(dst, ldd, w, x, sums, k, rows)
		case 0x11:
			matVecAVX512P(prefetchHint[StreamTernary], dst, ldd, w, x, sums, k, rows)
		case 0x12:
			tileAVX512R1T2(dst, ldd, w, x, sums, k, rows)
		case 0x13:
			tileAVX512R1T3(dst, ldd, w, x, sums, k, rows)
		case 0x14:
			tileAVX512R1T4(dst, ldd, w, x, sums, k, rows)
		case 0x15:
			tileAVX512R1T5(dst, ldd, w, x, sums, k, rows)
		case 0x16:
			tileAVX512R1T6(dst, ldd, w, x, sums, k, rows)
		default:
			panic("kernel: no AVX-512 tile")
		}
		return
	}
	switch r<<4 | t {
	case 0x22:
		tileAVX2R2T2(dst, ldd, w, x, sums, k, rows)
	case 0x23:
		tileAVX2R2T3(dst, ldd, w, x, sums, k, rows)
	case 0x24:
		tileAVX2R2T4(dst, ldd, w, x, sums, k, rows)
	case 0x25:
		tileAVX2R2T5(dst, ldd, w, x, sums, k, rows)
	case 0x26:
		tileAVX2R2T6(dst, ldd, w, x, sums, k, rows)
	case 0x11:
		matVecAVX2P(prefetchHint[StreamTernary], dst, ldd, w, x, sums, k, rows)
	case 0x12:
		tileAVX2R1T2(dst, ldd, w, x, sums, k, rows)
	case 0x13:
		tileAVX2R1T3(dst, ldd, w, x, sums, k, rows)
	case 0x14:
		tileAVX2R1T4(dst, ldd, w, x, sums, k, rows)
	case 0x15:
		tileAVX2R1T5(dst, ldd, w, x, sums, k, rows)
	case 0x16:
		tileAVX2R1T6(dst, ldd, w, x, sums, k, rows)
	default:
		panic("kernel: no AVX2 tile")
	}
}
