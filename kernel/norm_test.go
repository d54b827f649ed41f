package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNormOrderByHand pins the order of SumF32: value i goes into partial
// sum i mod 16, so 1e8 and −1e8 sixteen apart cancel before the 1 is
// added (a left-to-right float32 sum would lose the 1).
func TestNormOrderByHand(t *testing.T) {
	x := make([]float32, 32)
	x[0], x[16], x[1] = 1e8, -1e8, 1
	eachPath(t, func(t *testing.T) {
		if s := SumF32(x); s != 1 {
			t.Errorf("SumF32 = %v, want 1", s)
		}
		if s := SumSquaresF64([]float32{3, 4}); s != 25 {
			t.Errorf("SumSquaresF64(3, 4) = %v, want 25", s)
		}
	})
}

// TestNormMatchesGo: every path gives the Go definitions' bits, for every
// length around the vector widths and the model's.
func TestNormMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	lengths := []int{0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 47, 64, 100, 255, 2560, 6912}
	for _, n := range lengths {
		x, w := make([]float32, n), make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4)))
			w[i] = float32(rng.NormFloat64())
		}
		r, d := float32(rng.Float64()+0.1), float32(rng.Float64()+0.5)
		wantSum, wantSq := sumF32Go(x), sumSquaresF64Go(x)
		wantScaled := make([]float32, n)
		scaleMulF32Go(wantScaled, x, w, r)
		wantDiv := append([]float32(nil), x...)
		divF32Go(wantDiv, d)
		eachPath(t, func(t *testing.T) {
			if s := SumF32(x); math.Float32bits(s) != math.Float32bits(wantSum) {
				t.Errorf("n=%d: SumF32 = %v, want %v", n, s, wantSum)
			}
			if s := SumSquaresF64(x); math.Float64bits(s) != math.Float64bits(wantSq) {
				t.Errorf("n=%d: SumSquaresF64 = %v, want %v", n, s, wantSq)
			}
			got := make([]float32, n+1)
			got[n] = 42 // untouched past len(x)
			ScaleMulF32(got, x, w, r)
			for i := range wantScaled {
				if math.Float32bits(got[i]) != math.Float32bits(wantScaled[i]) {
					t.Fatalf("n=%d: ScaleMulF32[%d] = %v, want %v", n, i, got[i], wantScaled[i])
				}
			}
			if got[n] != 42 {
				t.Fatalf("n=%d: ScaleMulF32 wrote past its length", n)
			}
			y := append(append([]float32(nil), x...), 42)
			DivF32(y[:n], d)
			for i := range wantDiv {
				if math.Float32bits(y[i]) != math.Float32bits(wantDiv[i]) {
					t.Fatalf("n=%d: DivF32[%d] = %v, want %v", n, i, y[i], wantDiv[i])
				}
			}
			if y[n] != 42 {
				t.Fatalf("n=%d: DivF32 wrote past its length", n)
			}
		})
	}
}
