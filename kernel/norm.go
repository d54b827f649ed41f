package kernel

// The float glue between the kernels: the reductions and scalings of
// rmsNorm and softmax. Each fixes its order of operations, so that every
// path gives the same bits (docs/SEMANTICS.md §1):
//
//   - SumF32 and SumSquaresF64 keep 16 partial sums, value i going into
//     sum i mod 16 in index order, then fold them pairwise: s[j] += s[j+8]
//     for j < 8, then s[j] += s[j+4], s[j+2], s[j+1]; the result is s[0].
//     SumSquaresF64's partial sums are float64, of the float32 squares
//     float32(x·x).
//   - ScaleMulF32 and DivF32 are elementwise, one rounding per operation
//     (no fused multiply-add).

// SumF32 returns the sum of x in the order above.
func SumF32(x []float32) float32 { return active.sumF32(x) }

// SumSquaresF64 returns the sum of the float32 squares of x, in float64,
// in the order above.
func SumSquaresF64(x []float32) float64 { return active.sumSquaresF64(x) }

// ScaleMulF32 sets dst[i] = w[i]·float32(x[i]·r) for i < len(x) (rmsNorm's
// last step).
func ScaleMulF32(dst, x, w []float32, r float32) {
	active.scaleMulF32(dst[:len(x)], x, w[:len(x)], r)
}

// DivF32 sets x[i] = x[i]/s for every i (softmax's last step).
func DivF32(x []float32, s float32) { active.divF32(x, s) }

func sumF32Go(x []float32) float32 {
	var s [16]float32
	i := 0
	for ; i+16 <= len(x); i += 16 {
		v := (*[16]float32)(x[i:])
		for j := range s {
			s[j] += v[j]
		}
	}
	for j := 0; i < len(x); i, j = i+1, j+1 {
		s[j] += x[i]
	}
	for w := 8; w >= 1; w /= 2 {
		for j := 0; j < w; j++ {
			s[j] += s[j+w]
		}
	}
	return s[0]
}

func sumSquaresF64Go(x []float32) float64 {
	var s [16]float64
	i := 0
	for ; i+16 <= len(x); i += 16 {
		v := (*[16]float32)(x[i:])
		for j := range s {
			s[j] += float64(float32(v[j] * v[j]))
		}
	}
	for j := 0; i < len(x); i, j = i+1, j+1 {
		s[j] += float64(float32(x[i] * x[i]))
	}
	for w := 8; w >= 1; w /= 2 {
		for j := 0; j < w; j++ {
			s[j] += s[j+w]
		}
	}
	return s[0]
}

func scaleMulF32Go(dst, x, w []float32, r float32) {
	dst, w = dst[:len(x)], w[:len(x)]
	for i, v := range x {
		dst[i] = w[i] * float32(v*r)
	}
}

func divF32Go(x []float32, s float32) {
	for i := range x {
		x[i] /= s
	}
}
