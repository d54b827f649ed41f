package kernel

import "math"

// ExpShiftedF32 sets dst[i] = float32(exp(float64(x[i] − m))) for every i:
// the exponentials of softmax after subtracting the maximum m, with x[i]−m
// rounded to float32 first. ExpShiftedF32Ref is the definition; vector
// paths compute exp in float64 to within a few units in its last place and
// round once to float32, so they agree with it except, rarely, on a value
// within ~1e-15 of a float32 rounding boundary (one float32 ulp apart).
func ExpShiftedF32(dst, x []float32, m float32) {
	active.expShifted(dst[:len(x)], x, m)
}

// ExpShiftedF32Ref is the scalar ExpShiftedF32, through math.Exp.
func ExpShiftedF32Ref(dst, x []float32, m float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = float32(math.Exp(float64(v - m)))
	}
}
