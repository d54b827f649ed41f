package kernel

import (
	"math/rand/v2"
	"testing"
)

// t5sByte encodes five codes c[0..4] ∈ {0,1,2} (c[0] most significant) the
// way quant.PackT5S does: q = ⌈v·256/243⌉.
func t5sByte(c [5]byte) byte {
	v := 0
	for _, d := range c {
		v = 3*v + int(d)
	}
	return byte((v*256 + 242) / 243)
}

// t5sWeights returns rows×k T5_S bytes at an odd offset of a larger buffer:
// rows of random valid bytes, or (kind) every byte one value. Rows use
// kinds[r%len(kinds)]: -1 random codes, -2 random bytes 0..255 (the 13
// bytes no encoder writes included), else that byte.
func t5sWeights(rng *rand.Rand, rows, k int, kinds ...int) []byte {
	if len(kinds) == 0 {
		kinds = []int{-1}
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	rb := k / 5
	buf := make([]byte, oddOffset+rows*rb+oddOffset)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	w := buf[oddOffset : oddOffset+rows*rb]
	for r := 0; r < rows; r++ {
		row := w[r*rb : (r+1)*rb]
		for i := range row {
			switch kind := kinds[r%len(kinds)]; kind {
			case -1:
				var c [5]byte
				for j := range c {
					c[j] = byte(rng.IntN(3))
				}
				row[i] = t5sByte(c)
			case -2:
				row[i] = byte(rng.Uint32())
			default:
				row[i] = byte(kind)
			}
		}
	}
	return w
}

// TestT5SReferenceDecodes pins the reference to the layout: one block whose
// byte p holds codes chosen from p, dotted with one-hot activations.
func TestT5SReferenceDecodes(t *testing.T) {
	w := make([]byte, T5SBlockBytes)
	codes := make([]byte, T5SBlockValues)
	for p := 0; p < T5SBlockBytes; p++ {
		var c [5]byte
		for i := range c {
			c[i] = byte((p + 2*i) % 3)
			codes[p+32*i] = c[i]
		}
		w[p] = t5sByte(c)
	}
	x := make([]int8, T5SBlockValues)
	for j := range x {
		clear(x)
		x[j] = 1
		var got [1]int32
		MatVecT5SRef(got[:], w, x, T5SBlockValues)
		if want := int32(codes[j]) - 1; got[0] != want {
			t.Fatalf("value %d decodes to %d, want %d", j, got[0], want)
		}
	}
}

func TestT5SMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, k := range []int{160, 320, 480, 2560, 7040} {
		for _, rows := range []int{1, 2, 3, 17, 33, 129} {
			for _, kinds := range [][]int{{-1}, {-2}, {0, 255, 128, 242, 243}} {
				w := t5sWeights(rng, rows, k, kinds...)
				const maxTok = 7
				x := randomActs(rng, maxTok*k)
				want := make([]int32, rows*maxTok)
				for i := 0; i < maxTok; i++ {
					MatVecT5SRef(want[i*rows:(i+1)*rows], w, x[i*k:], k)
				}
				eachPath(t, func(t *testing.T) {
					dst, check := guarded(t, rows)
					MatVecT5S(dst, w, x, k)
					check()
					if d := firstDiff(dst, want[:rows]); d != "" {
						t.Fatalf("MatVecT5S k=%d rows=%d kinds=%v: %s", k, rows, kinds, d)
					}
					for _, tokens := range []int{1, 2, 3, 7} {
						ldd := rows + 3
						dst, check := guarded(t, (tokens-1)*ldd+rows)
						MatMatStrideT5S(dst, ldd, w, x, k, rows, tokens)
						check()
						for i := 0; i < tokens; i++ {
							if d := firstDiff(dst[i*ldd:i*ldd+rows], want[i*rows:(i+1)*rows]); d != "" {
								t.Fatalf("MatMatStrideT5S k=%d rows=%d tokens=%d token %d: %s", k, rows, tokens, i, d)
							}
						}
					}
				})
			}
		}
	}
}

// TestT5SMatMatTiles covers every token tile, chunks of tokens, and bands
// of rows (rows·k/5 above the band size) against the reference.
func TestT5SMatMatTiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 54))
	for _, tc := range []struct{ k, rows, tokens int }{{320, 5, 61}, {480, 3, 67}, {7040, 200, 7}, {160, 9, 13}} {
		w := t5sWeights(rng, tc.rows, tc.k, -1, -2)
		x := randomActs(rng, tc.tokens*tc.k)
		want := make([]int32, tc.rows*tc.tokens)
		MatMatRefT5S(want, w, x, tc.k, tc.rows, tc.tokens)
		eachPath(t, func(t *testing.T) {
			for tokens := 1; tokens <= tc.tokens; tokens++ {
				if tokens > 8 && tokens != tc.tokens {
					continue
				}
				ldd := tc.rows + 1
				dst, check := guarded(t, (tokens-1)*ldd+tc.rows)
				MatMatStrideT5S(dst, ldd, w, x, tc.k, tc.rows, tokens)
				check()
				for i := 0; i < tokens; i++ {
					if d := firstDiff(dst[i*ldd:i*ldd+tc.rows], want[i*tc.rows:(i+1)*tc.rows]); d != "" {
						t.Fatalf("k=%d rows=%d tokens=%d token %d: %s", tc.k, tc.rows, tokens, i, d)
					}
				}
			}
		})
	}
}

// MatMatRefT5S is the reference of a T5_S product over tokens, dst rows
// apart.
func MatMatRefT5S(dst []int32, w []byte, x []int8, k, rows, tokens int) {
	matMatStrideT5SRef(dst, rows, w, x, k, rows, tokens)
}

// TestT5SAllBytes runs every byte value at every digit position against
// extreme and random activations.
func TestT5SAllBytes(t *testing.T) {
	const k = 320
	rows := 256
	w := make([]byte, rows*k/5)
	for r := 0; r < rows; r++ {
		for i := 0; i < k/5; i++ {
			w[r*k/5+i] = byte(r + 37*i)
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for _, fill := range []int{-128, 127, 0, 1000} {
		x := make([]int8, k)
		for j := range x {
			switch fill {
			case 1000:
				x[j] = int8(rng.Uint32())
			default:
				x[j] = int8(fill)
			}
		}
		want := make([]int32, rows)
		MatVecT5SRef(want, w, x, k)
		eachPath(t, func(t *testing.T) {
			got := make([]int32, rows)
			MatVecT5S(got, w, x, k)
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("fill %d: %s", fill, d)
			}
		})
	}
}

// TestT5SOverflowWorstCase: all codes equal and every activation −128 or
// 127 over long rows, including rows past the assembly's bound.
func TestT5SOverflowWorstCase(t *testing.T) {
	for _, k := range []int{7040, 1 << 18, 1<<18 + 160} {
		k = k / T5SBlockValues * T5SBlockValues
		for _, c := range []byte{0, 2} {
			for _, a := range []int8{-128, 127} {
				const rows, tokens = 3, 2
				q := t5sByte([5]byte{c, c, c, c, c})
				w := t5sWeights(nil, rows, k, int(q))
				x := make([]int8, tokens*k)
				for i := range x {
					x[i] = a
				}
				want := (int32(c) - 1) * int32(a) * int32(k)
				eachPath(t, func(t *testing.T) {
					dst := make([]int32, rows*tokens)
					MatVecT5S(dst[:rows], w, x, k)
					MatMatStrideT5S(dst, rows, w, x, k, rows, tokens)
					for i, v := range dst {
						if v != want {
							t.Fatalf("k=%d c=%d x=%d index %d: got %d, want %d", k, c, a, i, v, want)
						}
					}
				})
			}
		}
	}
}

func TestT5SShapeChecks(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"k not a multiple of 160", func() { MatVecT5S(make([]int32, 1), make([]byte, 64), make([]int8, 256), 256) }},
		{"short w", func() { MatVecT5S(make([]int32, 2), make([]byte, 63), make([]int8, 160), 160) }},
		{"short x", func() { MatVecT5S(make([]int32, 1), make([]byte, 32), make([]int8, 159), 160) }},
		{"short dst", func() { MatMatStrideT5S(make([]int32, 3), 2, make([]byte, 64), make([]int8, 320), 160, 2, 2) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
}

// FuzzMatVecT5S compares every path with the reference on fuzzer-made T5_S
// bytes (any of the 256 values: the contract defines them all) and
// activations, as MatVecT5S and as a MatMatStrideT5S of up to 7 tokens.
func FuzzMatVecT5S(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(1), []byte{0x80}, []byte{0x80})
	f.Add(uint8(4), uint8(1), uint8(4), []byte{0xff, 0x00, 0x32, 0xf3}, []byte{0x7f, 0x80, 0x01})
	f.Add(uint8(17), uint8(3), uint8(7), []byte{0x14, 0x28, 0x3c}, []byte{0x80})
	f.Fuzz(func(t *testing.T, rows8, blocks8, tokens8 uint8, wseed, xseed []byte) {
		rows := int(rows8%40) + 1
		k := T5SBlockValues * (int(blocks8%5) + 1)
		tokens := int(tokens8%7) + 1
		w := make([]byte, rows*k/5)
		for i := range w {
			if len(wseed) > 0 {
				w[i] = wseed[i%len(wseed)] ^ byte(i/len(wseed)*37)
			}
		}
		x := make([]int8, tokens*k)
		for i := range x {
			if len(xseed) > 0 {
				x[i] = int8(xseed[i%len(xseed)] + byte(i/len(xseed)))
			}
		}
		want := make([]int32, tokens*rows)
		MatMatRefT5S(want, w, x, k, rows, tokens)
		for _, name := range Paths() {
			restore, err := Use(name)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]int32, tokens*rows)
			MatVecT5S(got[:rows], w, x, k)
			if d := firstDiff(got[:rows], want[:rows]); d != "" {
				restore()
				t.Fatalf("%s MatVecT5S rows=%d k=%d: %s", name, rows, k, d)
			}
			MatMatStrideT5S(got, rows, w, x, k, rows, tokens)
			restore()
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("%s MatMatStrideT5S rows=%d k=%d tokens=%d: %s", name, rows, k, tokens, d)
			}
		}
	})
}

// TestT5SActsMatchesReference: activations prepared once serve every band
// of rows, on every path, with the reference's results; they keep the path
// that prepared them.
func TestT5SActsMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 54))
	for _, k := range []int{160, 480, 2560, 7040} {
		const rows = 67
		w := t5sWeights(rng, rows, k, -1, -2)
		x := randomActs(rng, k)
		want := make([]int32, rows)
		MatVecT5SRef(want, w, x, k)
		eachPath(t, func(t *testing.T) {
			eachPrefetch(t, StreamTernary, func(t *testing.T) {
				var a T5SActs
				a.Prepare(x, k)
				for _, band := range []int{1, 7, 16, rows} {
					dst, check := guarded(t, rows)
					for r := 0; r < rows; r += band {
						hi := min(r+band, rows)
						MatVecT5SActs(dst[r:hi], w[r*k/5:hi*k/5], &a)
					}
					check()
					if d := firstDiff(dst, want); d != "" {
						t.Fatalf("k=%d bands of %d: %s", k, band, d)
					}
				}
				// Prepared again for another token, the buffers are reused.
				y := randomActs(rng, k)
				a.Prepare(y, k)
				got, ref := make([]int32, rows), make([]int32, rows)
				MatVecT5SActs(got, w, &a)
				MatVecT5SRef(ref, w, y, k)
				if d := firstDiff(got, ref); d != "" {
					t.Fatalf("k=%d second token: %s", k, d)
				}
			})
		})
	}
	var a T5SActs
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MatVecT5SActs before Prepare did not panic")
			}
		}()
		MatVecT5SActs(make([]int32, 1), make([]byte, 32), &a)
	}()
	// Prepared on one path, used after switching to another: still exact.
	w := t5sWeights(rng, 5, 320, -1)
	x := randomActs(rng, 320)
	want := make([]int32, 5)
	MatVecT5SRef(want, w, x, 320)
	for _, p := range Paths() {
		restore, _ := Use(p)
		a.Prepare(x, 320)
		restore()
		for _, q := range Paths() {
			restore, _ := Use(q)
			got := make([]int32, 5)
			MatVecT5SActs(got, w, &a)
			restore()
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("prepared on %s, run on %s: %s", p, q, d)
			}
		}
	}
}
