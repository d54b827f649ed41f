package quant

import (
	"encoding/binary"
	"math"

	"github.com/x448/float16"
)

// Q6_K is ggml's 6-bit k-quant (GGUF type 14, block_q6_K in ggml-common.h):
// super-blocks of 256 values in 210 bytes, laid out as
//
//	ql[128]     low 4 bits of each 6-bit code
//	qh[64]      high 2 bits of each code
//	scales[16]  int8 scale of each sub-block of 16 values
//	d           float16 super-block scale
//
// Value v = d · scales[v/16] · (q − 32), with the code q ∈ [0, 63]. Within
// each half of 128 values (ql[64h:64h+64], qh[32h:32h+32]) value l + 32m
// (l < 32, m < 4) takes its low bits from ql[l] (m = 0: low nibble, m = 2:
// high nibble) or ql[l+32] (m = 1: low nibble, m = 3: high nibble), and its
// high bits from bits 2m+1:2m of qh[l]. Used for the optional 6-bit LM head
// (the token embedding).
const (
	Q6_KBlockValues = 256
	Q6_KBlockBytes  = 128 + 64 + 16 + 2
)

// Q6_KSize is the byte size of n values (n a multiple of 256).
func Q6_KSize(n int) int { return n / Q6_KBlockValues * Q6_KBlockBytes }

// groupMaxEps is ggml's GROUP_MAX_EPS: groups whose largest magnitude is
// below it quantize to zero.
const groupMaxEps = 1e-15

// NearestInt is ggml's nearest_int (ggml-quants.c): it adds 1.5·2²³ in
// float32 and reads the integer out of the low mantissa bits. For
// |f| ≤ 4194303 (ggml asserts that range) this is f rounded to the nearest
// integer, ties to even (the float32 addition rounds half to even), not C's
// roundf; beyond it the result follows the same bit arithmetic as ggml's
// release builds. The argument must already be rounded to float32: callers
// convert explicitly so that no multiply is fused into the addition.
func NearestInt(f float32) int {
	v := f + 12582912
	return int(int32(math.Float32bits(v)&0x007fffff) - 0x00400000)
}

// makeQxQuants is ggml's make_qx_quants (ggml-quants.c) for rmse_type 1 (the
// weights w = x², no importance matrix), the case quantize_row_q6_K_ref
// uses: it writes codes L[i] = l + nmax with l ∈ [−nmax, nmax−1] and
// returns the sub-block scale. It tries the scales −(nmax + 0.1·is)/max for
// is = −9..9 and keeps the best by weighted least squares. Float32
// operations round as in the llama.cpp builds that write files (clang,
// -ffp-contract=on, FMA hardware): the running sums sumlx += w·x·l and
// suml2 += w·l·l are each one fused multiply-add of the rounded product
// w·x (or w·l) by l (fma32), every other operation rounds on its own
// (explicit conversions keep Go from fusing anything else). A compiler
// that fuses differently (GCC's -ffp-contract=fast can also fuse the
// product into nearest_int's addition) may choose a different scale in
// rare sub-blocks.
func makeQxQuants(x []float32, L []int8, nmax int) float32 {
	var mx, amax float32
	for _, v := range x {
		if ax := abs32(v); ax > amax {
			amax, mx = ax, v
		}
	}
	if amax < groupMaxEps {
		for i := range L[:len(x)] {
			L[i] = 0
		}
		return 0
	}
	fmax := float32(nmax)
	iscale := -fmax / mx
	var sumlx, suml2 float32
	for i, v := range x {
		l := clampInt(NearestInt(float32(iscale*v)), -nmax, nmax-1)
		L[i] = int8(l + nmax)
		w := float32(v * v)
		fl := float32(l)
		sumlx = fma32(float32(w*v), fl, sumlx)
		suml2 = fma32(float32(w*fl), fl, suml2)
	}
	var scale float32
	if suml2 != 0 {
		scale = sumlx / suml2
	}
	best := float32(scale * sumlx)
	for is := -9; is <= 9; is++ {
		if is == 0 {
			continue
		}
		iscale = -float32(fmax+float32(float32(0.1)*float32(is))) / mx
		sumlx, suml2 = 0, 0
		for _, v := range x {
			l := clampInt(NearestInt(float32(iscale*v)), -nmax, nmax-1)
			w := float32(v * v)
			fl := float32(l)
			sumlx = fma32(float32(w*v), fl, sumlx)
			suml2 = fma32(float32(w*fl), fl, suml2)
		}
		if suml2 > 0 && float32(sumlx*sumlx) > float32(best*suml2) {
			for i, v := range x {
				l := clampInt(NearestInt(float32(iscale*v)), -nmax, nmax-1)
				L[i] = int8(l + nmax)
			}
			scale = sumlx / suml2
			best = float32(scale * sumlx)
		}
	}
	return scale
}

// QuantizeQ6_K is the scalar reference of ggml's quantize_row_q6_K_ref
// (what llama-quantize writes for Q6_K without an importance matrix): per
// sub-block of 16 a scale from makeQxQuants (nmax 32), the super-block scale
// d = max_scale/−128 stored as float16 (max_scale the sub-block scale of
// largest magnitude, with its sign), the sub-block scales
// min(127, NearestInt(−128/max_scale · scale)) as int8, and the codes
// q = clamp(NearestInt(x / (d·scale)), −32, 31) + 32; a sub-block whose
// d·scale is 0 keeps makeQxQuants' codes. A super-block whose scales are all
// below 1e-15 in magnitude is all zero bytes. len(x) must be a multiple of
// 256 and dst must hold Q6_KSize(len(x)) bytes.
func QuantizeQ6_K(dst []byte, x []float32) {
	var L [Q6_KBlockValues]int8
	var scales [Q6_KBlockValues / 16]float32
	for b := 0; b < len(x)/Q6_KBlockValues; b++ {
		xb := x[b*Q6_KBlockValues : (b+1)*Q6_KBlockValues]
		out := dst[b*Q6_KBlockBytes : (b+1)*Q6_KBlockBytes]
		var maxScale, maxAbsScale float32
		for ib := range scales {
			s := makeQxQuants(xb[16*ib:16*ib+16], L[16*ib:16*ib+16], 32)
			scales[ib] = s
			if as := abs32(s); as > maxAbsScale {
				maxAbsScale, maxScale = as, s
			}
		}
		if maxAbsScale < groupMaxEps {
			clear(out)
			continue
		}
		iscale := -128 / maxScale
		dh := float16.Fromfloat32(1 / iscale)
		binary.LittleEndian.PutUint16(out[208:], uint16(dh))
		sc := out[192:208]
		for ib, s := range scales {
			sc[ib] = byte(int8(min(127, NearestInt(float32(iscale*s)))))
		}
		df := dh.Float32()
		for j := range scales {
			d := float32(df * float32(int8(sc[j])))
			if d == 0 {
				continue
			}
			for i := 16 * j; i < 16*j+16; i++ {
				l := clampInt(NearestInt(xb[i]/d), -32, 31)
				L[i] = int8(l + 32)
			}
		}
		ql, qh := out[:128], out[128:192]
		for h := 0; h < 2; h++ {
			Lh := L[128*h : 128*h+128]
			qlh, qhh := ql[64*h:64*h+64], qh[32*h:32*h+32]
			for l := 0; l < 32; l++ {
				q0, q1, q2, q3 := byte(Lh[l]), byte(Lh[l+32]), byte(Lh[l+64]), byte(Lh[l+96])
				qlh[l] = q0&0xF | (q2&0xF)<<4
				qlh[l+32] = q1&0xF | (q3&0xF)<<4
				qhh[l] = q0>>4 | (q1>>4)<<2 | (q2>>4)<<4 | (q3>>4)<<6
			}
		}
	}
}

// Q6_KCode returns the 6-bit code q ∈ [0, 63] of value i (< 256) of the
// block blk (Q6_KBlockBytes bytes).
func Q6_KCode(blk []byte, i int) int {
	h, r := i/128, i%128
	l, m := r%32, r/32
	lo := blk[64*h+l+32*(m&1)]
	if m >= 2 {
		lo >>= 4
	}
	hi := blk[128+32*h+l] >> (2 * m) & 3
	return int(lo&0xF | hi<<4)
}

// DequantizeQ6_K inverts QuantizeQ6_K up to its rounding, as ggml's
// dequantize_row_q6_K: dst[i] = d·scales[i/16]·(q−32), computed as
// (d·scale)·(q−32) in float32 with d·scale rounded first.
func DequantizeQ6_K(dst []float32, src []byte) {
	for b := 0; b < len(dst)/Q6_KBlockValues; b++ {
		blk := src[b*Q6_KBlockBytes : (b+1)*Q6_KBlockBytes]
		d := float16.Frombits(binary.LittleEndian.Uint16(blk[208:])).Float32()
		out := dst[b*Q6_KBlockValues : (b+1)*Q6_KBlockValues]
		for i := range out {
			ds := float32(d * float32(int8(blk[192+i/16])))
			out[i] = ds * float32(Q6_KCode(blk, i)-32)
		}
	}
}

// fma32 is a·b + c rounded once to float32 (C's fmaf). a·b is exact in
// float64; the float64 sum is rounded to odd (the neighbour of the exact
// value whose last bit is 1 when it is inexact), which float32 rounding then
// rounds correctly (53 ≥ 24 + 2 bits).
func fma32(a, b, c float32) float32 {
	p := float64(float64(a) * float64(b)) // exact; the conversion keeps it unfused
	s := p + float64(c)
	// TwoSum: e is the exact rounding error of s.
	bv := s - p
	e := (p - (s - bv)) + (float64(c) - bv)
	if e != 0 && math.Float64bits(s)&1 == 0 {
		if (e > 0) == (s > 0) {
			s = math.Float64frombits(math.Float64bits(s) + 1) // away from zero
		} else {
			s = math.Float64frombits(math.Float64bits(s) - 1) // toward zero
		}
	}
	return float32(s)
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }
