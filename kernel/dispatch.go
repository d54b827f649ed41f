package kernel

import (
	"fmt"
	"strings"
)

// path is one implementation of every kernel of the package: the ternary
// kernels of the exact contract, the activation quantizer and the float
// helpers. Architecture files register theirs from init functions with
// register; Use switches all of them at once. No field is nil.
//
// The exported functions check shapes and call the active path's fields
// with slices and values only: a pointer passed through a function value
// escapes, so an address of a caller's local would be moved to the heap.
// Implementations call their assembly directly (//go:noescape).
type path struct {
	name      string // "ref", "purego", "avx2", "avx512", "neon", "neondot"
	available bool   // the CPU can run it
	priority  int    // higher is preferred by auto dispatch

	// Exact kernels (bit-identical on every path).
	matVec func(dst []int32, w []byte, x []int8, k int)
	// matMat writes dst[i·ldd + r] = Σ_j t[r][j]·x[i·k+j] for r < rows,
	// i < tokens (MatMatStride).
	matMat   func(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int)
	quantize func(dst []int8, x []float32) (scale float32, sum int32)
	// matVecT5S and matMatT5S are matVec and matMat for T5_S rows (t5s.go).
	matVecT5S func(dst []int32, w []byte, x []int8, k int)
	matMatT5S func(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int)
	// prepareT5S and matVecT5SActs are T5SActs' forms (t5s.go); nil:
	// prepareT5SNone and matVecT5SActsPlain.
	prepareT5S    func(a *T5SActs)
	matVecT5SActs func(dst []int32, w []byte, a *T5SActs)
	// matVecT3S and matMatT3S are matVec and matMat for T3_S rows (t3s.go);
	// nil: the pure Go kernels.
	matVecT3S func(dst []int32, w []byte, x []int8, k int)
	matMatT3S func(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int)

	// Float helpers (each tested against its scalar definition).
	matVecF16  func(dst []float32, w []uint16, x []float32, k int)
	matVecQ8_0 func(dst []float32, w []byte, x []float32, k int)
	matVecQ6K  func(dst []float32, w []byte, x Q8K, k int) // bit-identical on every path
	expShifted func(dst, x []float32, m float32)
	dot        func(a, b []float32) float32
	axpy       func(dst []float32, alpha float32, x []float32)
	dots       func(dst, q, m []float32, stride int)
	axpys      func(dst, w, m []float32, stride int)
	// Glue (norm.go; bit-identical on every path).
	sumF32        func(x []float32) float32
	sumSquaresF64 func(x []float32) float64
	scaleMulF32   func(dst, x, w []float32, r float32)
	divF32        func(x []float32, s float32)
	dotsN         func(heads int, dst []float32, dstStride int, q, m []float32, stride, count int) // heads 2 or 4
	axpysN        func(heads int, dst, w []float32, wStride int, m []float32, stride, count int)

	// BitLinear epilogues (dequant.go; bit-identical on every path).
	dequant        func(dst []float32, acc []int32, a, m float32)
	dequantAdd     func(dst []float32, acc []int32, a, m float32)
	dequantReluSqr func(dst []float32, gate, up []int32, a, mg, mu float32)
}

// withGoFloats sets p's float helpers to their scalar Go forms and returns
// p: the helpers of every path without vector float code.
func withGoFloats(p *path) *path {
	p.matVecF16 = MatVecF16Ref
	p.matVecQ8_0 = MatVecQ8_0Ref
	p.matVecQ6K = matVecQ6KGo
	p.expShifted = ExpShiftedF32Ref
	p.dot = dotGo
	p.axpy = axpyGo
	p.dots = dotsGo
	p.axpys = axpysGo
	p.dotsN = dotsNGo
	p.sumF32, p.sumSquaresF64, p.scaleMulF32, p.divF32 = sumF32Go, sumSquaresF64Go, scaleMulF32Go, divF32Go
	p.axpysN = axpysNGo
	p.dequant, p.dequantAdd, p.dequantReluSqr = dequantGo, dequantAddGo, dequantReluSqrGo
	return p
}

var (
	paths  []*path
	active *path
)

func register(p *path) {
	if p.prepareT5S == nil {
		p.prepareT5S, p.matVecT5SActs = prepareT5SNone, matVecT5SActsPlain
	}
	if p.matVecT3S == nil {
		p.matVecT3S, p.matMatT3S = matVecT3SGo, matMatT3SGo
	}
	if p.matVec == nil || p.matMat == nil || p.quantize == nil || p.matVecT5S == nil || p.matMatT5S == nil || p.matMatT3S == nil ||
		p.matVecF16 == nil || p.matVecQ8_0 == nil || p.matVecQ6K == nil || p.expShifted == nil || p.dot == nil ||
		p.axpy == nil || p.dots == nil || p.axpys == nil || p.dotsN == nil || p.axpysN == nil ||
		p.sumF32 == nil || p.sumSquaresF64 == nil || p.scaleMulF32 == nil || p.divF32 == nil ||
		p.dequant == nil || p.dequantAdd == nil || p.dequantReluSqr == nil {
		panic("kernel: path " + p.name + " lacks a kernel")
	}
	paths = append(paths, p)
	if p.available && (active == nil || p.priority > active.priority) {
		active = p
	}
}

func init() {
	ref := withGoFloats(&path{name: "ref", available: true, priority: 0,
		matVec: MatVecRef, matMat: matMatStrideRef, quantize: QuantizeRef,
		matVecT5S: MatVecT5SRef, matMatT5S: matMatStrideT5SRef,
		matVecT3S: MatVecT3SRef, matMatT3S: matMatStrideT3SRef})
	ref.matVecQ6K = MatVecQ6_KRef
	register(ref)
}

// Paths lists the names of the paths this machine can run.
func Paths() []string {
	var names []string
	for _, p := range paths {
		if p.available {
			names = append(names, p.name)
		}
	}
	return names
}

// Active names the path every kernel uses now.
func Active() string { return active.name }

// Use selects the path of every kernel by name ("auto" picks the best
// available) and returns a function restoring the previous choice. Tests
// use it to run every path. It must not be called while kernels run.
func Use(name string) (restore func(), err error) {
	prev := active
	restore = func() { active = prev }
	if name == "auto" {
		var best *path
		for _, p := range paths {
			if p.available && (best == nil || p.priority > best.priority) {
				best = p
			}
		}
		active = best
		return restore, nil
	}
	for _, p := range paths {
		if p.name == name {
			if !p.available {
				return nil, fmt.Errorf("kernel %q is not supported by this CPU (available: %s)", name, strings.Join(Paths(), ", "))
			}
			active = p
			return restore, nil
		}
	}
	var all []string
	for _, p := range paths {
		all = append(all, p.name)
	}
	return nil, fmt.Errorf("unknown kernel %q (known: auto, %s)", name, strings.Join(all, ", "))
}

// MatVec computes dst[r] = Σ_j t[r][j]·x[j] exactly for every row r < len(dst)
// of the I2_S matrix w with k columns (see the package contract).
func MatVec(dst []int32, w []byte, x []int8, k int) {
	checkShape(len(dst), w, x, k, 1)
	active.matVec(dst, w, x, k)
}

// MatMat computes MatVec for tokens activation rows at once:
// dst[i·rows+r] = Σ_j t[r][j]·x[i·k+j].
func MatMat(dst []int32, w []byte, x []int8, k, rows, tokens int) {
	checkShape(rows, w, x, k, tokens)
	if len(dst) < rows*tokens {
		panic(fmt.Sprintf("kernel: dst holds %d values, need %d", len(dst), rows*tokens))
	}
	active.matMat(dst, rows, w, x, k, rows, tokens)
}

// MatMatStride is MatMat writing dst[i·ldd+r] (ldd ≥ rows): w holds a band
// of rows of a matrix whose outputs are ldd wide, so that a caller can
// split a product into bands of rows and compute them independently.
func MatMatStride(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int) {
	checkShape(rows, w, x, k, tokens)
	if rows <= 0 || tokens <= 0 {
		return
	}
	if ldd < rows || len(dst) < (tokens-1)*ldd+rows {
		panic(fmt.Sprintf("kernel: dst holds %d values, need %d rows at stride %d for %d tokens", len(dst), rows, ldd, tokens))
	}
	if tokens == 1 {
		active.matVec(dst[:rows], w, x, k)
		return
	}
	active.matMat(dst, ldd, w, x, k, rows, tokens)
}

// Quantize quantizes x to int8 in dst exactly as QuantizeRef does
// (docs/SEMANTICS.md §2, half-to-even rounding) and returns the scale a and Σq.
// dst must hold len(x) values.
func Quantize(dst []int8, x []float32) (scale float32, sum int32) {
	if len(dst) < len(x) {
		panic(fmt.Sprintf("kernel: dst holds %d values, need %d", len(dst), len(x)))
	}
	return active.quantize(dst[:len(x)], x)
}

func checkShape(rows int, w []byte, x []int8, k, tokens int) {
	if k <= 0 || k%BlockValues != 0 {
		panic(fmt.Sprintf("kernel: k=%d is not a positive multiple of %d", k, BlockValues))
	}
	if len(w) < rows*k/4 {
		panic(fmt.Sprintf("kernel: w holds %d bytes, need %d for %d rows of %d", len(w), rows*k/4, rows, k))
	}
	if len(x) < tokens*k {
		panic(fmt.Sprintf("kernel: x holds %d values, need %d", len(x), tokens*k))
	}
}
