package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// quantizeCase is an input with hand-computed expectations.
type quantizeCase struct {
	name  string
	x     []float32
	scale float32
	q     []int8
}

var quantizeCases = []quantizeCase{
	{
		// max|x| = 127 gives a = 1 exactly: ties round to even.
		name:  "ties a=1",
		x:     []float32{127, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 126.5, -126.5, -127},
		scale: 1,
		q:     []int8{127, 0, 2, 2, 0, -2, -2, 4, 126, -126, -127},
	},
	{
		// max|x| = 254 gives a = 0.5: odd integers land on ties.
		name:  "ties a=0.5",
		x:     []float32{-254, 1, 3, 5, -1, -3, -5, 7, 253, -253},
		scale: 0.5,
		q:     []int8{-127, 0, 2, 2, 0, -2, -2, 4, 126, -126},
	},
	{
		// All zero: max|x| is clamped to 1e-5, a = (1/1e-5)·127.
		name:  "zeros",
		x:     make([]float32, 300),
		scale: 12700000,
		q:     make([]int8, 300),
	},
	{
		// Below the clamp: 1e-6·1.27e7 = 12.7 → 13, −4e-7·1.27e7 = −5.08 → −5.
		name:  "below clamp",
		x:     []float32{1e-6, -4e-7, 0},
		scale: 12700000,
		q:     []int8{13, -5, 0},
	},
	{
		// The largest finite inputs: 1/max is subnormal, a = 3.732194564e-37
		// and max·a = 126.99999 rounds to 127. Finite inputs never reach the
		// −128 clamp: |x·a| ≤ 127·(1+2⁻²⁰).
		name:  "max float",
		x:     []float32{-math.MaxFloat32, math.MaxFloat32, 1e30, -math.MaxFloat32 / 2},
		scale: float32(1/float32(math.MaxFloat32)) * 127,
		q:     []int8{-127, 127, 0, -63},
	},
}

func TestQuantizeKnown(t *testing.T) {
	eachPath(t, func(t *testing.T) {
		for _, c := range quantizeCases {
			dst := make([]int8, len(c.x)+1)
			dst[len(c.x)] = 99
			scale, sum := Quantize(dst, c.x)
			if scale != c.scale {
				t.Errorf("%s: scale %.10g, want %.10g", c.name, scale, c.scale)
			}
			if !slices.Equal(dst[:len(c.x)], c.q) {
				t.Errorf("%s: q = %v, want %v", c.name, dst[:len(c.x)], c.q)
			}
			var want int32
			for _, v := range c.q {
				want += int32(v)
			}
			if sum != want {
				t.Errorf("%s: sum %d, want %d", c.name, sum, want)
			}
			if dst[len(c.x)] != 99 {
				t.Errorf("%s: wrote past len(x)", c.name)
			}
		}
	})
}

// TestQuantizeMatchesReference compares every path bit for bit with
// QuantizeRef on random vectors of many magnitudes, including exact ties,
// subnormals, infinities and NaNs.
func TestQuantizeMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var inputs [][]float32
	for _, n := range []int{1, 2, 3, 31, 64, 100, 128, 2560, 6912} {
		for _, mag := range []float64{1e-38, 1e-7, 1e-3, 1, 127, 1e6, 1e30} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * mag)
			}
			inputs = append(inputs, x)
			// Half-integers on the scale a = 1.
			y := make([]float32, n)
			for i := range y {
				y[i] = float32(rng.IntN(255)-127) + 0.5
			}
			y[0] = 127
			inputs = append(inputs, y)
		}
	}
	special := []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.SmallestNonzeroFloat32, -0}
	for _, s := range special {
		inputs = append(inputs, []float32{1, s, -3, 0.25}, []float32{s})
		// Inside the vector blocks and in the tail after them.
		for _, at := range []int{5, 150, 199} {
			long := make([]float32, 200)
			for i := range long {
				long[i] = float32(rng.NormFloat64())
			}
			long[at] = s
			inputs = append(inputs, long)
		}
	}
	// The known cases repeated past one 64-value vector block, so the
	// vector paths see their ties too.
	for _, c := range quantizeCases {
		var long []float32
		for len(long) < 200 {
			long = append(long, c.x...)
		}
		inputs = append(inputs, long)
	}
	inputs = append(inputs, []float32{})
	eachPath(t, func(t *testing.T) {
		for i, x := range inputs {
			want := make([]int8, len(x))
			wantScale, wantSum := QuantizeRef(want, x)
			got := make([]int8, len(x))
			scale, sum := Quantize(got, x)
			sameScale := scale == wantScale || (scale != scale && wantScale != wantScale)
			if !sameScale || sum != wantSum || !slices.Equal(got, want) {
				t.Fatalf("input %d (len %d): got scale %g sum %d, want %g %d (q equal: %v)",
					i, len(x), scale, sum, wantScale, wantSum, slices.Equal(got, want))
			}
		}
	})
}

// TestQuantizeRoundsLikeRoundToEven checks the magic-number rounding on
// every float32 tie and its neighbours in the range it is used for.
func TestQuantizeRoundsLikeRoundToEven(t *testing.T) {
	for i := -260; i <= 260; i++ {
		for _, y := range []float32{float32(i) / 2, math.Nextafter32(float32(i)/2, 200), math.Nextafter32(float32(i)/2, -200)} {
			got := float32(y+roundMagic) - roundMagic
			if want := float32(math.RoundToEven(float64(y))); got != want {
				t.Fatalf("round(%g) = %g, want %g", y, got, want)
			}
		}
	}
}

func TestQuantizeShortDst(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a short dst")
		}
	}()
	Quantize(make([]int8, 2), make([]float32, 3))
}
