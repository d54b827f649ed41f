package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpShiftedMatchesReference compares every lane of the vector path
// with math.Exp over ~2M random shifted scores and the special values: at
// most one float32 ulp apart, and so rarely apart that softmax results
// are the reference's in practice (the doc's claim: off only within ~1e-15
// of a rounding boundary).
func TestExpShiftedMatchesReference(t *testing.T) { eachPath(t, testExpShiftedMatchesReference) }

func testExpShiftedMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	const n = 1 << 21
	x := make([]float32, n)
	for i := range x {
		switch i % 4 {
		case 0:
			x[i] = float32(-r.Float64() * 120) // the whole underflow range
		case 1:
			x[i] = float32(-r.Float64() * 10)
		case 2:
			x[i] = float32(r.NormFloat64() * 30)
		default:
			x[i] = -float32(r.ExpFloat64()) / 1000
		}
	}
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(-1)), float32(math.Inf(1)), float32(math.NaN()),
		-87.33655, -88.72284, -103.27893, -103.97208, -104.5, 88.72283, 88.7229, 1e-30, -1e-30, math.SmallestNonzeroFloat32}
	copy(x, special)
	for _, m := range []float32{0, 3.5, -2} {
		got, want := make([]float32, n), make([]float32, n)
		ExpShiftedF32(got, x, m)
		ExpShiftedF32Ref(want, x, m)
		apart := 0
		for i := range got {
			g, w := math.Float32bits(got[i]), math.Float32bits(want[i])
			if g == w || (got[i] != got[i] && want[i] != want[i]) {
				continue
			}
			d := int64(g) - int64(w)
			if d != 1 && d != -1 {
				t.Fatalf("m=%v: exp(%v − m) = %v (%#x), math.Exp gives %v (%#x)", m, x[i], got[i], g, want[i], w)
			}
			apart++
		}
		if apart > 2 {
			t.Errorf("m=%v: %d of %d values one ulp from math.Exp", m, apart, n)
		}
		t.Logf("m=%v: %d of %d values one ulp apart", m, apart, n)
	}
}

func BenchmarkExpShifted(b *testing.B) {
	x := make([]float32, 1024)
	for i := range x {
		x[i] = -float32(i) / 50
	}
	dst := make([]float32, len(x))
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			ExpShiftedF32(dst, x, 0)
		}
	})
	b.Run("ref", func(b *testing.B) {
		for b.Loop() {
			ExpShiftedF32Ref(dst, x, 0)
		}
	})
}
