package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// dequantCases are products that exercise the conversion's rounding (above
// 2^24), the extremes, zeros and signs.
func dequantCases(rng *rand.Rand, n int) []int32 {
	special := []int32{0, 1, -1, 1 << 24, 1<<24 + 1, -(1<<24 + 3), math.MaxInt32, math.MinInt32, 12345678, -87654321}
	acc := make([]int32, n)
	for i := range acc {
		switch {
		case i < len(special):
			acc[i] = special[i]
		case i%3 == 0:
			acc[i] = int32(rng.Uint32())
		default:
			acc[i] = int32(rng.IntN(2_000_001) - 1_000_000)
		}
	}
	rng.Shuffle(len(acc), func(i, j int) { acc[i], acc[j] = acc[j], acc[i] })
	return acc
}

// TestDequantMatchesScalar: every path's epilogues equal the scalar
// definitions bit for bit, for every length (vector bodies and tails),
// scales of every magnitude and sign, and a NaN scale (NaN stays NaN).
func TestDequantMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	nan := float32(math.NaN())
	scales := [][3]float32{
		{1, 1, 1}, {37.25, 0.013, 2.5}, {1e-30, 3e7, -1e-9}, {3e38, -0.5, 1e-38},
		{127.0 / 3.1, -1.75, -0.0}, {0.7, nan, 1}, {0.7, 1, nan}, {float32(math.Inf(1)), 1, 1},
	}
	lengths := []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 64, 2560 + 5, 6912}
	eachPath(t, func(t *testing.T) {
		for _, n := range lengths {
			acc, up := dequantCases(rng, n), dequantCases(rng, n)
			for _, s := range scales {
				a, m, mu := s[0], s[1], s[2]
				base := make([]float32, n)
				for i := range base {
					base[i] = float32(rng.NormFloat64())
				}
				got := make([]float32, n+1)
				got[n] = 42
				want := make([]float32, n)
				check := func(what string) {
					t.Helper()
					if got[n] != 42 {
						t.Fatalf("%s n=%d: wrote past the end", what, n)
					}
					if i, ok := sameBits(got[:n], want); !ok {
						t.Fatalf("%s n=%d a=%v m=%v mu=%v: [%d] = %v (%#x), scalar %v (%#x) from %d, %d",
							what, n, a, m, mu, i, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]), acc[i], up[i])
					}
				}
				Dequant(got[:n], acc, a, m)
				dequantGo(want, acc, a, m)
				check("Dequant")

				copy(got, base)
				copy(want, base)
				DequantAdd(got[:n], acc, a, m)
				dequantAddGo(want, acc, a, m)
				check("DequantAdd")

				DequantReluSqrMul(got[:n], acc, up, a, m, mu)
				for i := range want {
					r := max(DequantRef(acc[i], a, m), 0)
					want[i] = float32(r*r) * DequantRef(up[i], a, mu)
				}
				check("DequantReluSqrMul")
			}
		}
	})
}

// TestDequantNaNGate: a NaN gate gives NaN on every path (Go's max keeps
// NaN; a vector max must take the gate as the operand it returns).
func TestDequantNaNGate(t *testing.T) {
	eachPath(t, func(t *testing.T) {
		for _, n := range []int{1, 8, 16, 40} {
			acc := make([]int32, n)
			up := make([]int32, n)
			for i := range acc {
				acc[i], up[i] = int32(i+1), int32(i+3)
			}
			dst := make([]float32, n)
			DequantReluSqrMul(dst, acc, up, 1, float32(math.NaN()), 1)
			for i, v := range dst {
				if !math.IsNaN(float64(v)) {
					t.Fatalf("n=%d: [%d] = %v, want NaN", n, i, v)
				}
			}
		}
	})
}

func TestDequantShapeChecks(t *testing.T) {
	for name, f := range map[string]func(){
		"short dst": func() { Dequant(make([]float32, 3), make([]int32, 4), 1, 1) },
		"short add": func() { DequantAdd(make([]float32, 3), make([]int32, 4), 1, 1) },
		"short up":  func() { DequantReluSqrMul(make([]float32, 4), make([]int32, 4), make([]int32, 3), 1, 1, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// FuzzDequant compares every path's epilogues with the scalar definitions,
// bit for bit, on fuzzer-made products and scales (any float32 bits,
// NaN and infinities included).
func FuzzDequant(f *testing.F) {
	f.Add(uint32(0x3f800000), uint32(0x3f800000), uint32(0x3f800000), []byte{1, 2, 3, 4})
	f.Add(uint32(0x42fe0000), uint32(0xbc23d70a), uint32(0x80000000), []byte{0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0x80})
	f.Add(uint32(0x00000001), uint32(0x7f7fffff), uint32(0x7fc00000), []byte{9})
	f.Fuzz(func(t *testing.T, ab, mb, mub uint32, seed []byte) {
		a, m, mu := math.Float32frombits(ab), math.Float32frombits(mb), math.Float32frombits(mub)
		n := len(seed)/4*2 + len(seed)%37
		acc, up := make([]int32, n), make([]int32, n)
		for i := range acc {
			if len(seed) >= 4 {
				j := i * 4 % (len(seed) - 3)
				acc[i] = int32(uint32(seed[j]) | uint32(seed[j+1])<<8 | uint32(seed[j+2])<<16 | uint32(seed[j+3])<<24)
				up[i] = acc[i]*7 + int32(i)
			} else {
				acc[i], up[i] = int32(i)-3, int32(i)
			}
		}
		base := make([]float32, n)
		for i := range base {
			base[i] = float32(i) - 0.5
		}
		want := [3][]float32{make([]float32, n), slices.Clone(base), make([]float32, n)}
		dequantGo(want[0], acc, a, m)
		dequantAddGo(want[1], acc, a, m)
		dequantReluSqrGo(want[2], acc, up, a, m, mu)
		for _, name := range Paths() {
			restore, _ := Use(name)
			got := [3][]float32{make([]float32, n), slices.Clone(base), make([]float32, n)}
			Dequant(got[0], acc, a, m)
			DequantAdd(got[1], acc, a, m)
			DequantReluSqrMul(got[2], acc, up, a, m, mu)
			restore()
			for k := range got {
				for i := range got[k] {
					g, w := math.Float32bits(got[k][i]), math.Float32bits(want[k][i])
					// NaN payloads may differ between scalar and vector
					// operations; NaN-ness may not.
					if g != w && !(math.IsNaN(float64(got[k][i])) && math.IsNaN(float64(want[k][i]))) {
						t.Fatalf("%s epilogue %d [%d]: %#x, scalar %#x (a=%v m=%v mu=%v d=%d u=%d)", name, k, i, g, w, a, m, mu, acc[i], up[i])
					}
				}
			}
		}
	})
}

// TestDequantSiluMul checks silu·up by hand (a = m = 1, so the gate is the
// product itself) and, on every path, bit for bit against its definition
// with e taken from ExpShiftedF32 (whose own agreement with math.Exp, one
// ulp at most and rarely, TestExpShiftedMatchesReference checks), for
// every length and scales of every magnitude.
func TestDequantSiluMul(t *testing.T) {
	gate := []int32{0, 1, -1, 20, -100, -200, 100}
	want := []float32{0, 0.7310586, -0.26894143, 20, -3.7200760e-42, 0, 100}
	up := []int32{1, 1, 1, 1, 1, 1, 1}
	rng := rand.New(rand.NewPCG(63, 64))
	eachPath(t, func(t *testing.T) {
		got := make([]float32, len(gate))
		DequantSiluMul(got, gate, up, 1, 1, 1)
		for i, w := range want {
			if math.Abs(float64(got[i]-w)) > 1e-6*math.Max(1, math.Abs(float64(w))) {
				t.Errorf("silu(%d) = %v, want %v", gate[i], got[i], w)
			}
		}
		if !math.Signbit(float64(got[5])) {
			t.Errorf("silu(-200) = %v, want -0", got[5])
		}
		for _, n := range []int{0, 1, 7, 8, 9, 255, 256, 257, 2560 + 5, 8192} {
			acc, u := dequantCases(rng, n), dequantCases(rng, n)
			for _, s := range [][3]float32{{1, 1, 1}, {37.25, 0.013, 2.5}, {127.0 / 3.1, -1.75, 0.002}, {3e4, 1e-3, -4}} {
				a, mg, mu := s[0], s[1], s[2]
				got := make([]float32, n+1)
				got[n] = 42
				DequantSiluMul(got[:n], acc, u, a, mg, mu)
				if got[n] != 42 {
					t.Fatalf("n=%d: wrote past the end", n)
				}
				x, e := make([]float32, n), make([]float32, n)
				for i, d := range acc {
					x[i] = DequantRef(d, a, mg)
					e[i] = -x[i]
				}
				ExpShiftedF32(e, e, 0)
				for i := range x {
					w := x[i] / (1 + e[i]) * DequantRef(u[i], a, mu)
					if math.Float32bits(got[i]) != math.Float32bits(w) && !(got[i] != got[i] && w != w) {
						t.Fatalf("n=%d a=%v mg=%v mu=%v: [%d] = %v, want %v", n, a, mg, mu, i, got[i], w)
					}
				}
				ref := make([]float32, n)
				DequantSiluMulRef(ref, acc, u, a, mg, mu)
				for i := range ref {
					if d := int64(math.Float32bits(got[i])) - int64(math.Float32bits(ref[i])); d != 0 && !(got[i] != got[i] && ref[i] != ref[i]) {
						// Only through e, one ulp apart: the results stay within a few ulps.
						if math.Abs(float64(got[i]-ref[i])) > 4e-7*math.Abs(float64(ref[i])) {
							t.Fatalf("n=%d: [%d] = %v, reference %v", n, i, got[i], ref[i])
						}
					}
				}
			}
		}
	})
}
