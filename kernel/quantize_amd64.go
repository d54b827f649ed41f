//go:build amd64 && !purego

package kernel

// quantizeAVX512 is quantizeFast with the two passes over whole 64-value
// blocks in AVX-512: the max of |x| as integer bits (VPMAXUD), then the
// multiply, the conversion rounding half to even (VCVTPS2DQ) and the
// narrowing (VPMOVSDB, which never saturates here). Bit-identical to
// QuantizeRef, as the tests check.
func quantizeAVX512(dst []int8, x []float32) (scale float32, sum int32) {
	dst = dst[:len(x)]
	n := len(x) &^ 63
	var bits uint32
	if n > 0 {
		bits = maxAbsBitsAVX512(&x[0], n)
	}
	bits = max(bits, maxAbsBits(x[n:]))
	a, ok := quantizeScale(bits)
	if !ok {
		return QuantizeRef(dst, x)
	}
	if n > 0 {
		sum = quantizeScaledAVX512(&dst[0], &x[0], n, a)
	}
	return a, sum + quantizeScaled(dst[n:], x[n:], a)
}

//go:noescape
func maxAbsBitsAVX512(x *float32, n int) uint32

//go:noescape
func quantizeScaledAVX512(dst *int8, x *float32, n int, a float32) int32
