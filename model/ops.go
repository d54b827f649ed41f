package model

import (
	"math"

	"github.com/bitnet-go/bitnet/kernel"
)

// rmsNorm writes w ⊙ (x · rsqrt(mean(x²) + eps)) into dst, as HF's
// BitNetRMSNorm (docs/SEMANTICS.md §1): squares rounded to float32, their mean,
// then 1/sqrt in float32, x·r, then the weight.
// The squares are summed in float64 in kernel.SumSquaresF64's order (16
// interleaved sums, so the adds do not wait on each other): exact to far
// below float32's precision, whatever order the reference adds them in.
func rmsNorm(dst, x, w []float32, eps float32) {
	mean := float32(kernel.SumSquaresF64(x) / float64(len(x)))
	r := 1 / float32(math.Sqrt(float64(mean+eps)))
	kernel.ScaleMulF32(dst, x, w, r)
}

// ropeInvFreq returns inv_freq[i] = 1/θ^(2i/d) in float32 (docs/SEMANTICS.md §1).
func ropeInvFreq(theta float32, d int) []float32 {
	inv := make([]float32, d/2)
	for i := range inv {
		e := float32(2*i) / float32(d)
		inv[i] = 1 / float32(math.Pow(float64(theta), float64(e)))
	}
	return inv
}

// ropeTables fills cos and sin (len d/2 each) for position pos: the angle
// pos·inv_freq is a float32 product, as the reference's float32 matmul.
func ropeTables(cos, sin, inv []float32, pos int) {
	p := float32(pos)
	for i, f := range inv {
		a := float64(float32(p * f))
		cos[i] = float32(math.Cos(a))
		sin[i] = float32(math.Sin(a))
	}
}

// rope rotates one head in the rotate-half (NeoX) layout:
// x' = x·cos + rotate_half(x)·sin with rotate_half(x) = [-x2, x1].
func rope(x, cos, sin []float32) {
	h := len(x) / 2
	for i := 0; i < h; i++ {
		x1, x2 := x[i], x[i+h]
		x[i] = float32(x1*cos[i]) + float32(-x2*sin[i])
		x[i+h] = float32(x2*cos[i]) + float32(x1*sin[i])
	}
}

// softmax normalizes x in place in float32, subtracting the max first:
// e = float32(exp(float64(x − max))) (kernel.ExpShiftedF32), their float32
// sum in kernel.SumF32's order (16 interleaved sums, folded pairwise), then
// each e divided by it.
func softmax(x []float32) {
	m := [4]float32{float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1))}
	i := 0
	for ; i+4 <= len(x); i += 4 { // max is order-free (NaN wins, +0 over −0)
		v := (*[4]float32)(x[i:])
		m[0], m[1], m[2], m[3] = max(m[0], v[0]), max(m[1], v[1]), max(m[2], v[2]), max(m[3], v[3])
	}
	for ; i < len(x); i++ {
		m[0] = max(m[0], x[i])
	}
	kernel.ExpShiftedF32(x, x, max(m[0], m[1], m[2], m[3]))
	kernel.DivF32(x, kernel.SumF32(x))
}

// f16ToF32 is the table of every half-precision value widened to float32.
func f16ToF32() []float32 { return kernel.F16Table() }

// halfToFloat widens one half-precision value to float32.
func halfToFloat(h uint16) float32 { return kernel.HalfToFloat(h) }

// ropeInterleaved rotates one head stored in llama.cpp's interleaved order
// (q/k rows permuted by arch.PermuteRows: element 2i is the Hugging Face
// element i, 2i+1 is i+d/2): each pair (2i, 2i+1) by frequency i. It is
// rope on the Hugging Face order, permuted, with the same float operations.
func ropeInterleaved(x, cos, sin []float32) {
	for i := 0; i < len(x)/2; i++ {
		x1, x2 := x[2*i], x[2*i+1]
		x[2*i] = float32(x1*cos[i]) + float32(-x2*sin[i])
		x[2*i+1] = float32(x2*cos[i]) + float32(x1*sin[i])
	}
}
