package kernel

import (
	"math/rand/v2"
	"testing"
)

// t3sPackRow packs one row of codes (code j of chunk ch at codes[ch·128+j],
// k/3 of them) the way quant.PackT3S lays them out.
func t3sPackRow(row []byte, codes []byte, k int) {
	clear(row)
	p := 0
	t3sChunks(k, func(off, n, _ int) {
		h := n / 2
		for j := 0; j < n; j++ {
			c := codes[p+j]
			row[off+j%h] |= (c & 15) << (4 * (j / h))
			row[off+h+j/8] |= c >> 4 & 1 << (j % 8)
		}
		p += n
	})
}

// t3sWeights returns rows×k T3_S bytes at an odd offset of a larger buffer:
// rows of random valid codes (kind -1), random bytes (kind -2: codes 27–31
// included), or every code kind.
func t3sWeights(rng *rand.Rand, rows, k int, kinds ...int) []byte {
	if len(kinds) == 0 {
		kinds = []int{-1}
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	rb := T3SRowBytes(k)
	buf := make([]byte, oddOffset+rows*rb+oddOffset)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	w := buf[oddOffset : oddOffset+rows*rb]
	codes := make([]byte, k/3)
	for r := 0; r < rows; r++ {
		kind := kinds[r%len(kinds)]
		if kind == -2 {
			continue // the random bytes stay
		}
		for i := range codes {
			codes[i] = byte(kind)
			if kind == -1 {
				codes[i] = byte(rng.IntN(27))
			}
		}
		t3sPackRow(w[r*rb:(r+1)*rb], codes, k)
	}
	return w
}

// TestT3SReferenceDecodes pins the reference to the layout: rows whose codes
// are chosen from their position, dotted with one-hot activations, for a
// row of two chunks (four groups, then one).
func TestT3SReferenceDecodes(t *testing.T) {
	const k = 5 * T3SGroupValues
	codes := make([]byte, k/3)
	for j := range codes {
		codes[j] = byte((7*j + 3) % 32)
	}
	w := make([]byte, T3SRowBytes(k))
	t3sPackRow(w, codes, k)
	// Column of value i of code j: chunk 0 (128 codes) at 128·i + j,
	// chunk 1 (32 codes) at 384 + 32·i + j.
	want := make([]int32, k)
	for j, c := range codes {
		base, n, jj := 0, 128, j
		if j >= 128 {
			base, n, jj = 384, 32, j-128
		}
		for i, v := 0, int(c); i < 3; i, v = i+1, v/3 {
			want[base+i*n+jj] = int32(v%3) - 1
		}
	}
	x := make([]int8, k)
	for j := range x {
		clear(x)
		x[j] = 1
		var got [1]int32
		MatVecT3SRef(got[:], w, x, k)
		if got[0] != want[j] {
			t.Fatalf("column %d decodes to %d, want %d", j, got[0], want[j])
		}
	}
}

func TestT3SMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, k := range []int{96, 192, 288, 384, 480, 672, 2592, 6912} {
		for _, rows := range []int{1, 2, 3, 17, 33, 129} {
			for _, kinds := range [][]int{{-1}, {-2}, {0, 26, 13, 31, 27}} {
				w := t3sWeights(rng, rows, k, kinds...)
				const maxTok = 7
				x := randomActs(rng, maxTok*k)
				want := make([]int32, rows*maxTok)
				for i := 0; i < maxTok; i++ {
					MatVecT3SRef(want[i*rows:(i+1)*rows], w, x[i*k:], k)
				}
				eachPath(t, func(t *testing.T) {
					dst, check := guarded(t, rows)
					MatVecT3S(dst, w, x, k)
					check()
					if d := firstDiff(dst, want[:rows]); d != "" {
						t.Fatalf("MatVecT3S k=%d rows=%d kinds=%v: %s", k, rows, kinds, d)
					}
					for _, tokens := range []int{1, 2, 3, 4, 7} {
						ldd := rows + 3
						dst, check := guarded(t, (tokens-1)*ldd+rows)
						MatMatStrideT3S(dst, ldd, w, x, k, rows, tokens)
						check()
						for i := 0; i < tokens; i++ {
							if d := firstDiff(dst[i*ldd:i*ldd+rows], want[i*rows:(i+1)*rows]); d != "" {
								t.Fatalf("MatMatStrideT3S k=%d rows=%d kinds=%v tokens=%d token %d: %s", k, rows, kinds, tokens, i, d)
							}
						}
					}
				})
			}
		}
	}
}

// TestT3SAllCodes runs every 5-bit code at every code position against
// extreme and random activations.
func TestT3SAllCodes(t *testing.T) {
	const k = 2592
	rows := 64
	w := make([]byte, rows*T3SRowBytes(k))
	codes := make([]byte, k/3)
	for r := 0; r < rows; r++ {
		for i := range codes {
			codes[i] = byte(r+5*i) % 32
		}
		t3sPackRow(w[r*T3SRowBytes(k):], codes, k)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for _, fill := range []int{-128, 127, 0, 1000} {
		x := make([]int8, k)
		for j := range x {
			x[j] = int8(fill)
			if fill == 1000 {
				x[j] = int8(rng.Uint32())
			}
		}
		want := make([]int32, rows)
		MatVecT3SRef(want, w, x, k)
		eachPath(t, func(t *testing.T) {
			got := make([]int32, rows)
			MatVecT3S(got, w, x, k)
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("fill %d: %s", fill, d)
			}
		})
	}
}

// TestT3SOverflowWorstCase: all codes +1 or −1 and every activation −128
// or 127 over long rows.
func TestT3SOverflowWorstCase(t *testing.T) {
	for _, k := range []int{6912, 1 << 18, 1<<20 + 96} {
		k = k / T3SGroupValues * T3SGroupValues
		for _, c := range []byte{0, 26} {
			for _, a := range []int8{-128, 127} {
				const rows, tokens = 3, 2
				w := t3sWeights(nil, rows, k, int(c))
				x := make([]int8, tokens*k)
				for i := range x {
					x[i] = a
				}
				want := (int32(c)/13 - 1) * int32(a) * int32(k)
				eachPath(t, func(t *testing.T) {
					dst := make([]int32, rows*tokens)
					MatMatStrideT3S(dst, rows, w, x, k, rows, tokens)
					for i, v := range dst {
						if v != want {
							t.Fatalf("k=%d code %d x=%d: dst[%d] = %d, want %d", k, c, a, i, v, want)
						}
					}
				})
			}
		}
	}
}

// TestT3SMatMatTiles covers every token tile (4, the rest one by one)
// and bands of rows (rows·row bytes above the band size) against the
// reference.
func TestT3SMatMatTiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	for _, tc := range []struct{ k, rows, tokens int }{{288, 5, 19}, {2592, 3, 13}, {6912, 200, 9}, {96, 9, 17}} {
		w := t3sWeights(rng, tc.rows, tc.k, -1, -2)
		x := randomActs(rng, tc.tokens*tc.k)
		want := make([]int32, tc.rows*tc.tokens)
		matMatStrideT3SRef(want, tc.rows, w, x, tc.k, tc.rows, tc.tokens)
		eachPath(t, func(t *testing.T) {
			for tokens := 1; tokens <= tc.tokens; tokens++ {
				ldd := tc.rows + 1
				dst, check := guarded(t, (tokens-1)*ldd+tc.rows)
				MatMatStrideT3S(dst, ldd, w, x, tc.k, tc.rows, tokens)
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

// FuzzMatVecT3S compares every path with the reference on fuzzer-made T3_S
// bytes (any byte: codes 27–31 are defined too) and activations, as
// MatVecT3S and as a MatMatStrideT3S of up to 9 tokens, for rows of one to
// six groups (last chunks of one to three groups).
func FuzzMatVecT3S(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(1), []byte{0xdd}, []byte{0x80})
	f.Add(uint8(4), uint8(2), uint8(4), []byte{0xff, 0x00, 0x35, 0xf3}, []byte{0x7f, 0x80, 0x01})
	f.Add(uint8(17), uint8(5), uint8(9), []byte{0x14, 0x28, 0x3c}, []byte{0x80})
	f.Fuzz(func(t *testing.T, rows8, groups8, tokens8 uint8, wseed, xseed []byte) {
		rows := int(rows8%40) + 1
		k := T3SGroupValues * (int(groups8%6) + 1)
		tokens := int(tokens8%9) + 1
		w := make([]byte, rows*T3SRowBytes(k))
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
		matMatStrideT3SRef(want, rows, w, x, k, rows, tokens)
		for _, name := range Paths() {
			restore, err := Use(name)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]int32, tokens*rows)
			MatVecT3S(got[:rows], w, x, k)
			if d := firstDiff(got[:rows], want[:rows]); d != "" {
				restore()
				t.Fatalf("%s MatVecT3S rows=%d k=%d: %s", name, rows, k, d)
			}
			MatMatStrideT3S(got, rows, w, x, k, rows, tokens)
			restore()
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("%s MatMatStrideT3S rows=%d k=%d tokens=%d: %s", name, rows, k, tokens, d)
			}
		}
	})
}
