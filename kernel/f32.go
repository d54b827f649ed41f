package kernel

// DotF32 returns Σ a[i]·b[i] over len(a) values in float32 (the attention
// scores). Vector paths sum in a different order than the scalar loop.
func DotF32(a, b []float32) float32 {
	b = b[:len(a)]
	n := 0
	var s float32
	if dotF32Fast != nil && len(a) >= 32 {
		n = len(a) &^ 31
		s = dotF32Fast(&a[0], &b[0], n)
	}
	for i := n; i < len(a); i++ {
		s += float32(a[i] * b[i])
	}
	return s
}

// AxpyF32 adds alpha·x to dst elementwise (the attention-weighted sum of
// values).
func AxpyF32(dst []float32, alpha float32, x []float32) {
	x = x[:len(dst)]
	n := 0
	if axpyF32Fast != nil && len(dst) >= 32 {
		n = len(dst) &^ 31
		axpyF32Fast(&dst[0], &x[0], alpha, n)
	}
	for i := n; i < len(dst); i++ {
		dst[i] += float32(alpha * x[i])
	}
}

var (
	dotF32Fast  func(a, b *float32, n int) float32
	axpyF32Fast func(dst, x *float32, alpha float32, n int)
)
