package kernel

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The Q6_K block (ggml's block_q6_K, quant.Q6_K*; a test checks they agree):
// 256 values in 128 bytes ql, 64 bytes qh, 16 int8 sub-block scales and a
// float16 d.
const (
	q6kBlockValues = 256
	q6kBlockBytes  = 210
	q6kScales      = 192 // offset of the scales in a block
	q6kD           = 208 // offset of d
)

// Q8K is a vector quantized to ggml's Q8_K (block_q8_K in ggml-common.h,
// quantize_row_q8_K_ref in ggml-quants.c): per block of 256 values a
// float32 scale D[b], the int8 values Q[256b:256b+256] and BSums[16b+j], the
// sum of the 16 values Q[256b+16j:256b+16j+16]. It is the activation side of
// the Q6_K LM head. Fill it with QuantizeQ8_K: the kernels rely on BSums
// agreeing with Q.
type Q8K struct {
	Q     []int8
	D     []float32
	BSums []int16
}

// NewQ8K allocates a Q8K for k values (k a positive multiple of 256).
func NewQ8K(k int) Q8K {
	if k <= 0 || k%q6kBlockValues != 0 {
		panic(fmt.Sprintf("kernel: Q8_K length %d is not a positive multiple of %d", k, q6kBlockValues))
	}
	return Q8K{Q: make([]int8, k), D: make([]float32, k/q6kBlockValues), BSums: make([]int16, k/16)}
}

// nearestInt is ggml's nearest_int: f + 1.5·2²³ in float32, integer read
// from the mantissa. For |f| ≤ 4194303 it rounds half to even (the float32
// addition does); quant.NearestInt states the same and is tested against it.
func nearestInt(f float32) int {
	v := f + 12582912
	return int(int32(math.Float32bits(v)&0x007fffff) - 0x00400000)
}

// QuantizeQ8_K quantizes x (len(x) = len(dst.Q), a multiple of 256) into dst
// exactly as ggml's quantize_row_q8_K_ref: per block, max is the value of
// largest magnitude (the first one on ties), iscale = −127/max in float32,
// q = min(127, nearestInt(iscale·x)) (iscale·x rounded to float32 first,
// then half to even), BSums the sums of 16, and D = 1/iscale. An all-zero
// block has D = 0, Q = 0 and BSums = 0 (ggml leaves its bsums unset). The
// scalar code is the only implementation: it runs once per token over
// hidden values.
func QuantizeQ8_K(dst Q8K, x []float32) {
	k := len(x)
	if k%q6kBlockValues != 0 || len(dst.Q) < k || len(dst.D) < k/q6kBlockValues || len(dst.BSums) < k/16 {
		panic(fmt.Sprintf("kernel: QuantizeQ8_K of %d values into %d/%d/%d", k, len(dst.Q), len(dst.D), len(dst.BSums)))
	}
	for b := 0; b < k/q6kBlockValues; b++ {
		xb := x[b*q6kBlockValues : (b+1)*q6kBlockValues]
		q := dst.Q[b*q6kBlockValues : (b+1)*q6kBlockValues]
		var mx, amax float32
		for _, v := range xb {
			if ax := float32(math.Abs(float64(v))); ax > amax {
				amax, mx = ax, v
			}
		}
		bs := dst.BSums[16*b : 16*b+16]
		if amax == 0 {
			dst.D[b] = 0
			clear(q)
			clear(bs)
			continue
		}
		iscale := -127 / mx
		for j, v := range xb {
			q[j] = int8(min(127, nearestInt(float32(iscale*v))))
		}
		for j := range bs {
			var s int16
			for _, v := range q[16*j : 16*j+16] {
				s += int16(v)
			}
			bs[j] = s
		}
		dst.D[b] = 1 / iscale
	}
}

// MatVecQ6_K computes, for the rows of k values of w in ggml's Q6_K layout
// (row r at bytes [r·k/256·210, (r+1)·k/256·210)) and x from QuantizeQ8_K,
//
//	dst[r] = Σ_b float32(float32(d6_b·D_b) · float32(isum_b))
//
// summed over the blocks b in order in float32, where d6_b is the block's
// float16 scale and isum_b = Σ_j scale_j · Σ_i (q_i − 32)·Q_i the exact int32
// dot product of the block (j over its 16 sub-blocks). Every path computes
// this same sequence of float32 operations: results are bit-identical to
// MatVecQ6_KRef. This is ggml's ggml_vec_dot_q6_K_q8_K with one fixed float
// order.
func MatVecQ6_K(dst []float32, w []byte, x Q8K, k int) {
	if k <= 0 || k%q6kBlockValues != 0 || len(w) < len(dst)*(k/q6kBlockValues*q6kBlockBytes) ||
		len(x.Q) < k || len(x.D) < k/q6kBlockValues || len(x.BSums) < k/16 {
		panic(fmt.Sprintf("kernel: MatVecQ6_K shape mismatch (k=%d, %d rows, %d weight bytes, %d values)", k, len(dst), len(w), len(x.Q)))
	}
	if len(dst) == 0 {
		return
	}
	active.matVecQ6K(dst, w, x, k)
}

// MatVecQ6_KRef is the scalar MatVecQ6_K, the spec.
func MatVecQ6_KRef(dst []float32, w []byte, x Q8K, k int) {
	table := F16Table()
	nb := k / q6kBlockValues
	rowBytes := nb * q6kBlockBytes
	for r := range dst {
		row := w[r*rowBytes : (r+1)*rowBytes]
		var s float32
		for b := 0; b < nb; b++ {
			blk := row[b*q6kBlockBytes : (b+1)*q6kBlockBytes]
			isum := q6kBlockDot(blk, x.Q[b*q6kBlockValues:(b+1)*q6kBlockValues])
			d6 := table[binary.LittleEndian.Uint16(blk[q6kD:])]
			s = float32(s + float32(float32(d6*x.D[b])*float32(isum)))
		}
		dst[r] = s
	}
}

// q6kBlockDot is the exact Σ_j scale_j · Σ_i (q_i − 32)·x_i of one block
// (|result| < 2³¹: 256 · 128 · 32 · 128 = 2²⁸).
func q6kBlockDot(blk []byte, x []int8) int32 {
	ql, qh, sc := blk[:128], blk[128:192], blk[q6kScales:q6kD]
	var isum int32
	for h := 0; h < 2; h++ {
		for m := 0; m < 4; m++ {
			for half := 0; half < 2; half++ {
				var s int32
				for l := 16 * half; l < 16*half+16; l++ {
					lo := ql[64*h+l+32*(m&1)]
					if m >= 2 {
						lo >>= 4
					}
					q := int32(lo&0xF | (qh[32*h+l]>>(2*m)&3)<<4)
					s += (q - 32) * int32(x[128*h+32*m+l])
				}
				isum += int32(int8(sc[8*h+2*m+half])) * s
			}
		}
	}
	return isum
}

// matVecQ6KGo is MatVecQ6_KRef with the block's codes decoded four at a
// time (the Go form of the paths without vector code for this kernel): the
// same integers, the same float32 operations in the same order.
func matVecQ6KGo(dst []float32, w []byte, x Q8K, k int) {
	table := F16Table()
	nb := k / q6kBlockValues
	rowBytes := nb * q6kBlockBytes
	xq, xd := x.Q[:k], x.D[:nb]
	for r := range dst {
		row := w[r*rowBytes : (r+1)*rowBytes]
		var s float32
		for b := range xd {
			blk := row[b*q6kBlockBytes : (b+1)*q6kBlockBytes]
			isum := q6kBlockDotGo((*[q6kBlockBytes]byte)(blk), (*[q6kBlockValues]int8)(xq[b*q6kBlockValues:]))
			d6 := table[binary.LittleEndian.Uint16(blk[q6kD:])]
			s = float32(s + float32(float32(d6*xd[b])*float32(isum)))
		}
		dst[r] = s
	}
}

// q6kBlockDotGo is q6kBlockDot: per half of 128 values, byte l of ql and qh
// gives the codes of values l, l+32, l+64 and l+96 (sub-blocks 2m + l/16).
func q6kBlockDotGo(blk *[q6kBlockBytes]byte, x *[q6kBlockValues]int8) int32 {
	var isum int32
	for h := 0; h < 2; h++ {
		ql := (*[64]byte)(blk[64*h:])
		qh := (*[32]byte)(blk[128+32*h:])
		xh := (*[128]int8)(x[128*h:])
		sc := (*[8]byte)(blk[q6kScales+8*h:])
		for half := 0; half < 2; half++ {
			var s0, s1, s2, s3 int32
			for l := 16 * half; l < 16*half+16; l++ {
				a, b, c := ql[l], ql[l+32], qh[l]
				s0 += (int32(a&0xF|c&3<<4) - 32) * int32(xh[l])
				s1 += (int32(b&0xF|c>>2&3<<4) - 32) * int32(xh[l+32])
				s2 += (int32(a>>4|c>>4&3<<4) - 32) * int32(xh[l+64])
				s3 += (int32(b>>4|c>>6<<4) - 32) * int32(xh[l+96])
			}
			isum += int32(int8(sc[half]))*s0 + int32(int8(sc[2+half]))*s1 +
				int32(int8(sc[4+half]))*s2 + int32(int8(sc[6+half]))*s3
		}
	}
	return isum
}
