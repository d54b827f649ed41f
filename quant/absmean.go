package quant

import (
	"fmt"
	"math"
)

// MinScale is the clamp on the absmean scale (docs/SEMANTICS.md §2): an all-zero
// matrix gets m = 1e-5 and all-zero codes.
const MinScale float32 = 1e-5

// Absmean returns m = max(mean|W|, 1e-5) in float32. The sum is taken in
// float64 so the result is the correctly rounded mean, which is what
// PyTorch's float32 reduction approximates to within an ulp.
func Absmean(w []float32) float32 {
	if len(w) == 0 {
		return MinScale
	}
	var sum float64
	for _, v := range w {
		sum += math.Abs(float64(v))
	}
	return max(float32(sum/float64(len(w))), MinScale)
}

// Ternarize writes the ternary codes of w into dst (len(dst) ≥ len(w)) and
// returns the absmean scale m, so the dequantized weight is t·m
// (docs/SEMANTICS.md §2). It is the scalar reference of weight quantization:
// s = 1/m, then t = clamp(roundHalfEven(W·s), -1, 1), each step in float32.
// Non-finite weights are an error naming the first bad index.
func Ternarize(dst []int8, w []float32) (float32, error) {
	for i, v := range w {
		if math.Float32bits(v)&0x7f800000 == 0x7f800000 { // NaN or ±Inf
			return 0, fmt.Errorf("weight %d is %v: cannot ternarize a non-finite value", i, v)
		}
	}
	m := Absmean(w)
	s := 1 / m
	parallel(len(w), func(lo, hi int) { ternarizeRange(dst[lo:hi], w[lo:hi], s) })
	return m, nil
}

// ternarizeRange is ternary over a slice, without rounding calls: for a
// finite x = v·s, clamp(roundHalfEven(x), -1, 1) is 1 when x > 0.5, -1
// when x < -0.5 and 0 otherwise (±0.5 round to even, 0). Tested against
// ternary, the spec, ties included.
func ternarizeRange(dst []int8, w []float32, s float32) {
	dst = dst[:len(w)]
	for i, v := range w {
		x := float32(v * s)
		var t int8
		if x > 0.5 {
			t = 1
		}
		if x < -0.5 {
			t = -1
		}
		dst[i] = t
	}
}

// parallel splits [0, n) in two halves run concurrently when n is large.
func parallel(n int, fn func(lo, hi int)) {
	if n < 1<<20 {
		fn(0, n)
		return
	}
	done := make(chan struct{})
	go func() { fn(0, n/2); close(done) }()
	fn(n/2, n)
	<-done
}

// ternary rounds v·s half to even and clamps it to [-1, 1].
func ternary(v, s float32) int8 {
	x := float32(v * s)
	r := math.RoundToEven(float64(x))
	switch {
	case r >= 1:
		return 1
	case r <= -1:
		return -1
	default:
		return 0
	}
}
