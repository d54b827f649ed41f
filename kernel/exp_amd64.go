//go:build amd64 && !purego

package kernel

// expShiftedAVX512Go runs whole groups of 8 values in AVX-512 and the rest
// through ExpShiftedF32Ref.
func expShiftedAVX512Go(dst, x []float32, m float32) {
	n := len(x) &^ 7
	if n > 0 {
		expShiftedAVX512(&dst[0], &x[0], m, n)
	}
	ExpShiftedF32Ref(dst[n:], x[n:], m)
}

//go:noescape
func expShiftedAVX512(dst, x *float32, m float32, n int)
