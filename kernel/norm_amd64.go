//go:build amd64 && !purego

package kernel

// The AVX-512 forms of norm.go's glue: 16 lanes, the partial sums of the
// contract in the lanes of one register (two for float64), the last
// partial vector loaded under a mask (zeros, which leave every sum as it
// is: no partial sum is ever −0).

func sumF32AVX512Go(x []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	return sumF32AVX512(&x[0], len(x))
}

func sumSquaresF64AVX512Go(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	return sumSquaresF64AVX512(&x[0], len(x))
}

func scaleMulF32AVX512Go(dst, x, w []float32, r float32) {
	if len(x) == 0 {
		return
	}
	_, _ = dst[len(x)-1], w[len(x)-1]
	scaleMulF32AVX512(&dst[0], &x[0], &w[0], r, len(x))
}

func divF32AVX512Go(x []float32, s float32) {
	if len(x) == 0 {
		return
	}
	divF32AVX512(&x[0], s, len(x))
}

//go:noescape
func sumF32AVX512(x *float32, n int) float32

//go:noescape
func sumSquaresF64AVX512(x *float32, n int) float64

//go:noescape
func scaleMulF32AVX512(dst, x, w *float32, r float32, n int)

//go:noescape
func divF32AVX512(x *float32, s float32, n int)
