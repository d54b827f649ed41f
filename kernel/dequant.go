package kernel

import (
	"fmt"
	"math"
)

// A BitLinear output is y = float32(float32(float32(d)/a)·m): the exact
// int32 product d of a weight row with a token's int8 activations, divided
// by the token's activation scale a, times the matrix's weight scale m,
// rounded to float32 after each operation (docs/SEMANTICS.md §2). The
// functions below apply it to a band of products; every path computes
// those operations lane by lane in IEEE float32 with round-half-even (the
// vector paths with VCVTDQ2PS, VDIVPS, VMULPS, VADDPS), so every path is
// bit-identical to the scalar forms in this file (where two NaNs meet, the
// payload of the NaN that results may differ; it is NaN on every path).

// DequantRef is the scalar y of one product.
func DequantRef(d int32, a, m float32) float32 { return float32(float32(float32(d)/a) * m) }

// Dequant sets dst[i] = DequantRef(acc[i], a, m) for i < len(acc).
func Dequant(dst []float32, acc []int32, a, m float32) {
	checkDequant(len(dst), len(acc), len(acc))
	active.dequant(dst[:len(acc)], acc, a, m)
}

// DequantAdd adds DequantRef(acc[i], a, m) to dst[i] for i < len(acc): the
// residual stream after o_proj and down_proj.
func DequantAdd(dst []float32, acc []int32, a, m float32) {
	checkDequant(len(dst), len(acc), len(acc))
	active.dequantAdd(dst[:len(acc)], acc, a, m)
}

// DequantReluSqrMul sets dst[i] = float32(r·r)·DequantRef(up[i], a, mu) with
// r = max(DequantRef(gate[i], a, mg), 0), for i < len(gate): BitNet b1.58's
// gated feed-forward, relu(gate)²·up (a NaN gate stays NaN, as Go's max
// keeps it).
func DequantReluSqrMul(dst []float32, gate, up []int32, a, mg, mu float32) {
	checkDequant(len(dst), len(gate), len(up))
	active.dequantReluSqr(dst[:len(gate)], gate, up[:len(gate)], a, mg, mu)
}

func checkDequant(dst, n, m int) {
	if dst < n || m < n {
		panic(fmt.Sprintf("kernel: dequantizing %d products into %d outputs with %d up products", n, dst, m))
	}
}

func dequantGo(dst []float32, acc []int32, a, m float32) {
	dst = dst[:len(acc)]
	for i, d := range acc {
		dst[i] = DequantRef(d, a, m)
	}
}

func dequantAddGo(dst []float32, acc []int32, a, m float32) {
	dst = dst[:len(acc)]
	for i, d := range acc {
		dst[i] += DequantRef(d, a, m)
	}
}

func dequantReluSqrGo(dst []float32, gate, up []int32, a, mg, mu float32) {
	dst, up = dst[:len(gate)], up[:len(gate)]
	for i, d := range gate {
		r := max(DequantRef(d, a, mg), 0)
		dst[i] = float32(r*r) * DequantRef(up[i], a, mu)
	}
}

// DequantSiluMul sets dst[i] = float32(x/(1+e))·DequantRef(up[i], a, mu)
// with x = DequantRef(gate[i], a, mg) and e = e^−x as ExpShiftedF32(·, −x,
// 0) computes it, for i < len(gate): the SiLU gated feed-forward,
// silu(gate)·up, in float32 as PyTorch computes it. DequantSiluMulRef is
// the definition with e = float32(math.Exp(float64(−x))); a path with a
// vector exp is bit-identical to it except where its e is one float32 ulp
// from math.Exp's (rare, see ExpShiftedF32).
func DequantSiluMul(dst []float32, gate, up []int32, a, mg, mu float32) {
	checkDequant(len(dst), len(gate), len(up))
	var xb, eb [256]float32
	for i := 0; i < len(gate); i += len(xb) {
		n := min(len(xb), len(gate)-i)
		x, e, y := xb[:n], eb[:n], dst[i:i+n]
		Dequant(x, gate[i:i+n], a, mg)
		for j, v := range x {
			e[j] = -v
		}
		ExpShiftedF32(e, e, 0)
		Dequant(y, up[i:i+n], a, mu)
		for j, v := range x {
			y[j] = v / (1 + e[j]) * y[j]
		}
	}
}

// DequantSiluMulRef is DequantSiluMul's definition, one value at a time
// through math.Exp.
func DequantSiluMulRef(dst []float32, gate, up []int32, a, mg, mu float32) {
	checkDequant(len(dst), len(gate), len(up))
	for i, d := range gate {
		x := DequantRef(d, a, mg)
		e := float32(math.Exp(float64(-x)))
		dst[i] = x / (1 + e) * DequantRef(up[i], a, mu)
	}
}
