package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDotAndAxpyF32(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 31, 32, 33, 64, 100, 128} {
		a, b := make([]float32, n), make([]float32, n+3)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		var exact, mag float64
		for i := range a {
			exact += float64(a[i]) * float64(b[i])
			mag += math.Abs(float64(a[i]) * float64(b[i]))
		}
		if got := DotF32(a, b); math.Abs(float64(got)-exact) > 1e-6*mag+1e-7 {
			t.Fatalf("n=%d: dot %v, want %v", n, got, exact)
		}
		dst := make([]float32, n+1)
		want := make([]float32, n)
		for i := range want {
			dst[i] = float32(i)
			want[i] = float32(i) + float32(0.5*b[i])
		}
		dst[n] = 99
		AxpyF32(dst[:n], 0.5, b)
		for i := range want {
			if math.Abs(float64(dst[i]-want[i])) > 1e-6*math.Abs(float64(want[i]))+1e-6 {
				t.Fatalf("n=%d axpy[%d] = %v, want %v", n, i, dst[i], want[i])
			}
		}
		if dst[n] != 99 {
			t.Fatal("axpy wrote past dst")
		}
	}
}
