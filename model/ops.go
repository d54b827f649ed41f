package model

import (
	"math"

	"github.com/bitnet-go/bitnet/kernel"
)

// rmsNorm writes w ⊙ (x · rsqrt(mean(x²) + eps)) into dst, as HF's
// BitNetRMSNorm (docs/SEMANTICS.md §1): squares rounded to float32, their mean,
// then 1/sqrt in float32, x·r, then the weight.
// The squares are summed in float64 (four interleaved sums, so the adds do
// not wait on each other): exact to far below float32's precision, whatever
// order the reference adds them in.
func rmsNorm(dst, x, w []float32, eps float32) {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		s0 += float64(float32(v[0] * v[0]))
		s1 += float64(float32(v[1] * v[1]))
		s2 += float64(float32(v[2] * v[2]))
		s3 += float64(float32(v[3] * v[3]))
	}
	for ; i < len(x); i++ {
		s0 += float64(float32(x[i] * x[i]))
	}
	ss := (s0 + s1) + (s2 + s3)
	mean := float32(ss / float64(len(x)))
	r := 1 / float32(math.Sqrt(float64(mean+eps)))
	dst, w = dst[:len(x)], w[:len(x)]
	for i, v := range x {
		dst[i] = w[i] * float32(v*r)
	}
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
// e = float32(exp(float64(x − max))) (kernel.ExpShiftedF32), their sum in
// order, then each e divided by it.
func softmax(x []float32) {
	m := float32(math.Inf(-1))
	for _, v := range x {
		m = max(m, v)
	}
	kernel.ExpShiftedF32(x, x, m)
	var sum float32
	for _, e := range x {
		sum += e
	}
	for i := range x {
		x[i] /= sum
	}
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
