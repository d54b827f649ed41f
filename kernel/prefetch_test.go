package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// eachPrefetch runs f once per prefetch hint of stream s (just once, with
// the default, on builds without variants).
func eachPrefetch(t *testing.T, s Stream, f func(t *testing.T)) {
	t.Helper()
	hints := PrefetchVariants()
	if len(hints) == 0 {
		hints = []Prefetch{PrefetchOf(s)}
	}
	for _, h := range hints {
		t.Run(s.String()+"="+h.String(), func(t *testing.T) {
			defer SetPrefetch(s, h)()
			f(t)
		})
	}
}

func TestParsePrefetch(t *testing.T) {
	for i := range numPrefetch {
		p, err := ParsePrefetch(Prefetch(i).String())
		if err != nil || p != Prefetch(i) {
			t.Errorf("ParsePrefetch(%q) = %v, %v", Prefetch(i).String(), p, err)
		}
	}
	if _, err := ParsePrefetch("t1x"); err == nil {
		t.Error("ParsePrefetch accepted t1x")
	}
}

func TestSetPrefetchRestores(t *testing.T) {
	before := PrefetchOf(StreamHead)
	restore := SetPrefetch(StreamHead, PrefetchNone)
	if PrefetchOf(StreamHead) != PrefetchNone {
		t.Fatal("SetPrefetch did not set")
	}
	restore()
	if PrefetchOf(StreamHead) != before {
		t.Fatal("restore did not restore")
	}
}

// TestMatVecPrefetchVariants checks every prefetch variant of the I2_S,
// T5_S and T3_S mat-vecs on every path against the scalar reference, exactly, over
// matrices long enough that the prefetch pointer runs past their end.
func TestMatVecPrefetchVariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	type tc struct {
		layout  string
		rows, k int
		w       []byte
		x       []int8
		want    []int32
	}
	var cases []tc
	for _, shape := range [][2]int{{1, 128}, {3, 256}, {17, 640}, {129, 2560}, {40, 6912}} {
		rows, k := shape[0], shape[1]
		c := tc{layout: "i2_s", rows: rows, k: k, w: randomWeights(rng, rows, k, rowRandom, rowAllZero, rowAllTwo), x: randomActs(rng, k)}
		c.want = make([]int32, rows)
		MatVecRef(c.want, c.w, c.x, k)
		cases = append(cases, c)
	}
	for _, shape := range [][2]int{{1, 160}, {2, 320}, {3, 480}, {17, 640}, {129, 2560}, {40, 7040}} {
		rows, k := shape[0], shape[1]
		c := tc{layout: "t5_s", rows: rows, k: k, w: t5sWeights(rng, rows, k, -1, -2), x: randomActs(rng, k)}
		c.want = make([]int32, rows)
		MatVecT5SRef(c.want, c.w, c.x, k)
		cases = append(cases, c)
	}
	for _, shape := range [][2]int{{1, 96}, {2, 288}, {3, 480}, {17, 672}, {129, 2592}, {40, 6912}} {
		rows, k := shape[0], shape[1]
		c := tc{layout: "t3_s", rows: rows, k: k, w: t3sWeights(rng, rows, k, -1, -2), x: randomActs(rng, k)}
		c.want = make([]int32, rows)
		MatVecT3SRef(c.want, c.w, c.x, k)
		cases = append(cases, c)
	}
	eachPath(t, func(t *testing.T) {
		eachPrefetch(t, StreamTernary, func(t *testing.T) {
			for _, c := range cases {
				dst, check := guarded(t, c.rows)
				switch c.layout {
				case "t5_s":
					MatVecT5S(dst, c.w, c.x, c.k)
				case "t3_s":
					MatVecT3S(dst, c.w, c.x, c.k)
				default:
					MatVec(dst, c.w, c.x, c.k)
				}
				check()
				if d := firstDiff(dst, c.want); d != "" {
					t.Fatalf("%s rows=%d k=%d: %s", c.layout, c.rows, c.k, d)
				}
			}
		})
	})
}

// sameBits reports the first index where got and want differ in any bit.
func sameBits(got, want []float32) (int, bool) {
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			return i, false
		}
	}
	return 0, true
}

// TestHeadPrefetchVariants checks that every prefetch variant of the F16
// and Q8_0 LM-head kernels gives the bits of the no-prefetch variant (the
// same arithmetic; TestMatVecF16 and TestMatVecQ8_0 bound that one against
// the scalar reference) and of the scalar emulation of its summation order.
func TestHeadPrefetchVariants(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	const rows = 67
	for _, k := range []int{32, 64, 128, 2560} {
		w16 := make([]uint16, rows*k)
		for i := range w16 {
			w16[i] = uint16(r.IntN(0x7800)) | uint16(r.IntN(2))<<15
		}
		q8 := make([]byte, rows*k/32*34)
		for i := range q8 {
			q8[i] = byte(r.Uint32())
			if i%34 == 1 {
				q8[i] &= 0x3b // a finite, moderate scale
			}
		}
		x := make([]float32, k)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		want16, want8 := make([]float32, rows), make([]float32, rows)
		func() {
			defer SetPrefetch(StreamHead, PrefetchNone)()
			MatVecF16(want16, w16, x, k)
			MatVecQ8_0(want8, q8, x, k)
		}()
		if emu := matVecF16Emulated(w16, x, k, rows); emu != nil {
			if i, ok := sameBits(want16, emu); !ok {
				t.Fatalf("k=%d: MatVecF16 row %d = %v, emulation of its order %v", k, i, want16[i], emu[i])
			}
		}
		eachPrefetch(t, StreamHead, func(t *testing.T) {
			got := make([]float32, rows+1)
			got[rows] = 42
			MatVecF16(got[:rows], w16, x, k)
			if i, ok := sameBits(got, want16); !ok || got[rows] != 42 {
				t.Fatalf("k=%d: MatVecF16 row %d = %v, no-prefetch variant %v", k, i, got[i], want16[i])
			}
			MatVecQ8_0(got[:rows], q8, x, k)
			if i, ok := sameBits(got, want8); !ok || got[rows] != 42 {
				t.Fatalf("k=%d: MatVecQ8_0 row %d = %v, no-prefetch variant %v", k, i, got[i], want8[i])
			}
		})
	}
}

// TestAttentionPrefetchVariants checks every prefetch variant of the
// attention kernels (one-head and four-head forms) against the
// no-prefetch variant, bit for bit, and the one-head form against the
// scalar emulation of its summation order, on every path.
func TestAttentionPrefetchVariants(t *testing.T) { eachPath(t, testAttentionPrefetchVariants) }

func testAttentionPrefetchVariants(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for _, width := range []int{32, 64, 128} {
		for _, count := range []int{1, 5, 40} {
			stride, dstStride := 2*width+16, count+3
			m := make([]float32, count*stride)
			for i := range m {
				m[i] = float32(r.NormFloat64())
			}
			q := make([]float32, 4*width)
			for i := range q {
				q[i] = float32(r.NormFloat64())
			}
			acc := make([]float32, 4*width)
			for i := range acc {
				acc[i] = float32(r.NormFloat64())
			}
			run := func() (dots, x4 []float32, sum, sum4 []float32) {
				dots = make([]float32, count)
				DotsF32(dots, q[:width], m, stride)
				x4 = make([]float32, 4*dstStride)
				DotsF32x4(x4, dstStride, q, m, stride, count)
				sum = append([]float32(nil), acc[:width]...)
				AxpysF32(sum, dots, m, stride)
				sum4 = append([]float32(nil), acc...)
				AxpysF32x4(sum4, x4, dstStride, m, stride, count)
				return
			}
			var want [4][]float32
			func() {
				defer SetPrefetch(StreamAttention, PrefetchNone)()
				want[0], want[1], want[2], want[3] = run()
			}()
			if emu := dotsF32Emulated(q[:width], m, stride, count); emu != nil && (Active() == "avx2" || Active() == "avxvnni" || Active() == "avx512") {
				if i, ok := sameBits(want[0], emu); !ok {
					t.Fatalf("width %d: DotsF32 %d = %v, emulation of its order %v", width, i, want[0][i], emu[i])
				}
			}
			eachPrefetch(t, StreamAttention, func(t *testing.T) {
				var got [4][]float32
				got[0], got[1], got[2], got[3] = run()
				for j := range got {
					if i, ok := sameBits(got[j], want[j]); !ok {
						t.Fatalf("width %d count %d: result %d[%d] = %v, no-prefetch variant %v", width, count, j, i, got[j][i], want[j][i])
					}
				}
			})
		}
	}
}

// TestCalibratePicksValidVariant runs Calibrate on a real mat-vec over
// rotating matrices: whichever hint it picks (timing decides, the test does
// not) must be one of the variants, be left set, and give the reference's
// results; without variants it must run nothing.
func TestCalibratePicksValidVariant(t *testing.T) {
	defer SetPrefetch(StreamTernary, PrefetchOf(StreamTernary))()
	rng := rand.New(rand.NewPCG(27, 28))
	const rows, k = 256, 2560
	ws := make([][]byte, 4)
	for i := range ws {
		ws[i] = randomWeights(rng, rows, k, rowRandom)
	}
	x := randomActs(rng, k)
	dst := make([]int32, rows)
	runs := 0
	c := Calibrate(StreamTernary, 2, rows*k/4, func(i int) {
		MatVec(dst, ws[i%len(ws)], x, k)
		runs++
	})
	hints := PrefetchVariants()
	if len(hints) == 0 {
		if runs != 0 {
			t.Fatalf("Calibrate ran %d times without variants", runs)
		}
		return
	}
	if runs != 2*len(hints) {
		t.Fatalf("Calibrate ran %d times, want %d", runs, 2*len(hints))
	}
	if !slices.Contains(hints, c.Chosen) || PrefetchOf(StreamTernary) != c.Chosen {
		t.Fatalf("Calibrate chose %v, set %v; variants %v", c.Chosen, PrefetchOf(StreamTernary), hints)
	}
	for _, h := range hints {
		if c.Best[h] <= 0 {
			t.Fatalf("hint %v not timed: %v", h, c)
		}
	}
	want := make([]int32, rows)
	for i, w := range ws {
		MatVecRef(want, w, x, k)
		MatVec(dst, w, x, k)
		if d := firstDiff(dst, want); d != "" {
			t.Fatalf("matrix %d after calibration: %s", i, d)
		}
	}
	t.Log(c)
}
