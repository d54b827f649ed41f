package quant

import (
	"fmt"
	"math"
)

// MinScale is the clamp on the absmean scale (REFERENCE.md §2): an all-zero
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
// (REFERENCE.md §2). It is the scalar reference of weight quantization:
// s = 1/m, then t = clamp(roundHalfEven(W·s), -1, 1), each step in float32.
// Non-finite weights are an error naming the first bad index.
func Ternarize(dst []int8, w []float32) (float32, error) {
	for i, v := range w {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, fmt.Errorf("weight %d is %v: cannot ternarize a non-finite value", i, v)
		}
	}
	m := Absmean(w)
	s := 1 / m
	for i, v := range w {
		dst[i] = ternary(v, s)
	}
	return m, nil
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
