package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestScalarPathsUseScalarFloats checks that Use switches the float
// helpers with the ternary kernels: on "ref" and "purego" every float
// helper gives its scalar definition's result bit for bit (vector paths
// add in another order, so a helper left on a vector path differs).
func TestScalarPathsUseScalarFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const k, rows = 256, 9
	x := make([]float32, k)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	w16 := make([]uint16, rows*k)
	for i := range w16 {
		w16[i] = uint16(r.IntN(0x7800)) | uint16(r.IntN(2))<<15
	}
	w8 := make([]byte, rows*k/32*34)
	for i := range w8 {
		w8[i] = byte(r.IntN(256))
	}
	for b := 0; b < rows*k/32; b++ {
		w8[b*34+1] = byte(r.IntN(0x70))
	}
	m := make([]float32, rows*k)
	for i := range m {
		m[i] = float32(r.NormFloat64())
	}
	for _, name := range []string{"ref", "purego"} {
		t.Run(name, func(t *testing.T) {
			restore, err := Use(name)
			if err != nil {
				t.Fatal(err)
			}
			defer restore()
			same := func(what string, got, want []float32) {
				t.Helper()
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s[%d] = %v, scalar definition %v", what, i, got[i], want[i])
					}
				}
			}
			got, want := make([]float32, rows), make([]float32, rows)
			MatVecF16(got, w16, x, k)
			MatVecF16Ref(want, w16, x, k)
			same("MatVecF16", got, want)
			MatVecQ8_0(got, w8, x, k)
			MatVecQ8_0Ref(want, w8, x, k)
			same("MatVecQ8_0", got, want)
			e, ew := make([]float32, k), make([]float32, k)
			ExpShiftedF32(e, x, 0.5)
			ExpShiftedF32Ref(ew, x, 0.5)
			same("ExpShiftedF32", e, ew)
			var s float32
			for i := range x {
				s += float32(x[i] * m[i])
			}
			same("DotF32", []float32{DotF32(x, m)}, []float32{s})
			DotsF32(got, x, m, k)
			for p := range want {
				var s float32
				for i := range x {
					s += float32(x[i] * m[p*k+i])
				}
				want[p] = s
			}
			same("DotsF32", got, want)
			a, aw := slices.Clone(x), slices.Clone(x)
			AxpyF32(a, 0.25, m)
			for i := range aw {
				aw[i] += float32(0.25 * m[i])
			}
			same("AxpyF32", a, aw)
		})
	}
}

// TestMatMatStride checks every path's strided MatMat against MatMatRef:
// token i's rows land at dst[i·ldd:], and nothing between them is written.
func TestMatMatStride(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, p := range paths {
		if !p.available {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			for _, c := range []struct{ k, rows, tokens, ldd int }{{128, 1, 1, 1}, {256, 17, 3, 40}, {384, 33, 7, 33}, {128, 64, 9, 100}} {
				w := make([]byte, c.rows*c.k/4)
				for i := range w {
					w[i] = byte(r.IntN(256))
				}
				for i := range w { // only codes 0, 1, 2
					b := w[i]
					for s := 0; s < 8; s += 2 {
						if b>>s&3 == 3 {
							b &^= 1 << s
						}
					}
					w[i] = b
				}
				x := make([]int8, c.tokens*c.k)
				for i := range x {
					x[i] = int8(r.IntN(256) - 128)
				}
				want := make([]int32, c.rows*c.tokens)
				MatMatRef(want, w, x, c.k, c.rows, c.tokens)
				dst := make([]int32, (c.tokens-1)*c.ldd+c.rows+guardLen)
				for i := range dst {
					dst[i] = sentinel
				}
				p.matMat(dst, c.ldd, w, x, c.k, c.rows, c.tokens)
				for i := range dst {
					tok, row := i/c.ldd, i%c.ldd
					inside := tok < c.tokens && row < c.rows
					switch {
					case inside && dst[i] != want[tok*c.rows+row]:
						t.Fatalf("%+v: token %d row %d = %d, want %d", c, tok, row, dst[i], want[tok*c.rows+row])
					case !inside && dst[i] != sentinel:
						t.Fatalf("%+v: wrote dst[%d] outside the rows", c, i)
					}
				}
			}
		})
	}
}
