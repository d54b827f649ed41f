package kernel

import "math"

// roundMagic is 1.5·2^23. For |y| < 2^22, float32(y+roundMagic) − roundMagic
// is y rounded to the nearest integer, ties to even (the float32 add rounds
// at the units bit), which is math.RoundToEven(y) exactly.
const roundMagic = 0x1.8p23

// quantizeFast is QuantizeRef (docs/SEMANTICS.md §2) without the float64 round
// trip: the same float32 operations in the same order, so the results are
// bit-identical. Inputs holding an infinity or a NaN go to QuantizeRef,
// which defines what they give.
func quantizeFast(dst []int8, x []float32) (scale float32, sum int32) {
	dst = dst[:len(x)]
	a, ok := quantizeScale(maxAbsBits(x))
	if !ok {
		return QuantizeRef(dst, x)
	}
	return a, quantizeScaled(dst, x, a)
}

// maxAbsBits returns the largest |x[i]| as float32 bits: for finite
// values, and infinities, the integer order is the float order, and a NaN
// compares above all of them.
func maxAbsBits(x []float32) uint32 {
	var bits uint32
	for _, v := range x {
		bits = max(bits, math.Float32bits(v)&0x7fffffff)
	}
	return bits
}

// quantizeScale returns the scale a = 127·(1/max(amax, 1e-5)) for the
// max |x| given as bits, or false if that is an infinity or a NaN.
func quantizeScale(bits uint32) (float32, bool) {
	if bits >= 0x7f800000 {
		return 0, false
	}
	amax := max(math.Float32frombits(bits), 1e-5)
	inv := 1 / amax
	return inv * 127, true
}

// quantizeScaled writes dst[i] = roundHalfEven(x[i]·a) and returns Σ dst.
// |x·a| ≤ 127·(1 + 2⁻²⁰), so the magic-number round applies and the clamp
// only mirrors the reference.
func quantizeScaled(dst []int8, x []float32, a float32) (sum int32) {
	dst = dst[:len(x)]
	for i, v := range x {
		y := float32(v * a)
		r := float32(y+roundMagic) - roundMagic
		q := min(max(int32(r), -128), 127)
		dst[i] = int8(q)
		sum += q
	}
	return sum
}
