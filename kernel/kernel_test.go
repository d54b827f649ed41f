package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var (
	testRows   = []int{1, 2, 3, 15, 16, 17, 31, 33, 127, 128, 129}
	testK      = []int{128, 256, 384, 640, 2560, 6912}
	testTokens = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33}
)

const (
	guardLen  = 37          // sentinel values on each side of dst
	sentinel  = -0x5a5a5a5b // an int32 no dot product here produces
	oddOffset = 5           // w and x start this far into their buffers
)

// eachPath runs f once per available path, with that path active.
func eachPath(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, name := range Paths() {
		t.Run(name, func(t *testing.T) {
			restore, err := Use(name)
			if err != nil {
				t.Fatal(err)
			}
			defer restore()
			f(t)
		})
	}
}

// rowKind picks the codes of a test row.
type rowKind int

const (
	rowRandom  rowKind = iota
	rowAllZero         // every code 0: t = −1
	rowAllOne          // every code 1: t = 0
	rowAllTwo          // every code 2: t = +1
)

// packRow writes the codes of one row in the x86 I2_S layout.
func packRow(dst []byte, codes []byte) {
	for j, c := range codes {
		block, i := j/BlockValues, j%BlockValues
		shift := 6 - 2*uint(i/32)
		dst[block*BlockBytes+i%32] |= c << shift
	}
}

// randomWeights returns rows×k packed codes 0..2, sliced at an odd offset
// from a larger buffer. Row r uses kinds[r%len(kinds)].
func randomWeights(rng *rand.Rand, rows, k int, kinds ...rowKind) []byte {
	if len(kinds) == 0 {
		kinds = []rowKind{rowRandom}
	}
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	buf := make([]byte, oddOffset+rows*k/4+oddOffset)
	for i := range buf {
		buf[i] = byte(rng.Uint32()) // junk outside the matrix
	}
	w := buf[oddOffset : oddOffset+rows*k/4]
	clear(w)
	codes := make([]byte, k)
	for r := 0; r < rows; r++ {
		for j := range codes {
			switch kinds[r%len(kinds)] {
			case rowRandom:
				codes[j] = byte(rng.IntN(3))
			case rowAllZero:
				codes[j] = 0
			case rowAllOne:
				codes[j] = 1
			case rowAllTwo:
				codes[j] = 2
			}
		}
		packRow(w[r*k/4:(r+1)*k/4], codes)
	}
	return w
}

// randomActs returns n int8 values at an odd offset of a larger buffer.
func randomActs(rng *rand.Rand, n int) []int8 {
	buf := make([]int8, oddOffset+n+oddOffset)
	for i := range buf {
		buf[i] = int8(rng.Uint32())
	}
	return buf[oddOffset : oddOffset+n]
}

// guarded returns a zeroed dst of n values with sentinels on both sides,
// and a check that the sentinels are intact.
func guarded(t *testing.T, n int) (dst []int32, check func()) {
	buf := make([]int32, guardLen+n+guardLen)
	for i := range buf {
		buf[i] = sentinel
	}
	dst = buf[guardLen : guardLen+n]
	clear(dst)
	return dst, func() {
		t.Helper()
		for i, v := range buf {
			if (i < guardLen || i >= guardLen+n) && v != sentinel {
				t.Fatalf("write outside dst at index %d (dst is [%d,%d))", i-guardLen, 0, n)
			}
		}
	}
}

func firstDiff(got, want []int32) string {
	for i := range want {
		if got[i] != want[i] {
			return fmt.Sprintf("index %d: got %d, want %d", i, got[i], want[i])
		}
	}
	return ""
}

func TestMatVecMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type tc struct {
		rows, k int
		w       []byte
		x       []int8
		want    []int32
	}
	var cases []tc
	kinds := []rowKind{rowRandom, rowAllZero, rowRandom, rowAllTwo, rowAllOne}
	for _, k := range testK {
		for _, rows := range testRows {
			if testing.Short() && k > 640 && rows > 33 {
				continue
			}
			c := tc{rows: rows, k: k, w: randomWeights(rng, rows, k, kinds...), x: randomActs(rng, k)}
			c.want = make([]int32, rows)
			MatVecRef(c.want, c.w, c.x, k)
			cases = append(cases, c)
		}
	}
	eachPath(t, func(t *testing.T) {
		for _, c := range cases {
			dst, check := guarded(t, c.rows)
			MatVec(dst, c.w, c.x, c.k)
			check()
			if d := firstDiff(dst, c.want); d != "" {
				t.Fatalf("rows=%d k=%d: %s", c.rows, c.k, d)
			}
		}
	})
}

func TestMatMatMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	type tc struct {
		rows, k, tokens int
		w               []byte
		x               []int8
		want            []int32
	}
	var cases []tc
	add := func(rows, k, tokens int) {
		c := tc{rows: rows, k: k, tokens: tokens,
			w: randomWeights(rng, rows, k, rowRandom, rowAllTwo, rowRandom, rowAllZero),
			x: randomActs(rng, tokens*k)}
		c.want = make([]int32, rows*tokens)
		MatMatRef(c.want, c.w, c.x, k, rows, tokens)
		cases = append(cases, c)
	}
	for _, rows := range testRows {
		for _, tokens := range testTokens {
			add(rows, 128, tokens)
			if !testing.Short() {
				add(rows, 640, tokens)
			}
		}
	}
	for _, k := range []int{2560, 6912} {
		for _, rows := range []int{1, 17, 33} {
			for _, tokens := range []int{1, 6, 7, 13} {
				add(rows, k, tokens)
			}
		}
	}
	eachPath(t, func(t *testing.T) {
		for _, c := range cases {
			dst, check := guarded(t, c.rows*c.tokens)
			MatMat(dst, c.w, c.x, c.k, c.rows, c.tokens)
			check()
			if d := firstDiff(dst, c.want); d != "" {
				t.Fatalf("rows=%d k=%d tokens=%d: %s", c.rows, c.k, c.tokens, d)
			}
		}
	})
}

// TestMatMatLarge crosses the row blocking and token chunking of the tiled
// paths: more rows than one L2-sized row block, more tokens than one chunk.
func TestMatMatLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const rows, k, tokens = 421, 2560, 67
	w := randomWeights(rng, rows, k)
	x := randomActs(rng, tokens*k)
	want := make([]int32, rows*tokens)
	MatMatRef(want, w, x, k, rows, tokens)
	eachPath(t, func(t *testing.T) {
		dst, check := guarded(t, rows*tokens)
		MatMat(dst, w, x, k, rows, tokens)
		check()
		if d := firstDiff(dst, want); d != "" {
			t.Fatal(d)
		}
	})
}

// TestOverflowWorstCase drives every accumulator to its extreme: all codes
// equal and every activation −128 (or 127) over the longest rows, where an
// int16 sum kept too long would wrap.
func TestOverflowWorstCase(t *testing.T) {
	for _, k := range []int{6912, 13824} {
		for _, kind := range []rowKind{rowAllTwo, rowAllZero} {
			for _, a := range []int8{-128, 127} {
				const rows, tokens = 9, 7
				w := randomWeights(nil, rows, k, kind)
				x := make([]int8, tokens*k)
				for i := range x {
					x[i] = a
				}
				tv := int32(1)
				if kind == rowAllZero {
					tv = -1
				}
				want := tv * int32(a) * int32(k)
				eachPath(t, func(t *testing.T) {
					dst := make([]int32, rows*tokens)
					MatVec(dst[:rows], w, x, k)
					for r, v := range dst[:rows] {
						if v != want {
							t.Fatalf("MatVec k=%d t=%d x=%d row %d: got %d, want %d", k, tv, a, r, v, want)
						}
					}
					MatMat(dst, w, x, k, rows, tokens)
					for i, v := range dst {
						if v != want {
							t.Fatalf("MatMat k=%d t=%d x=%d index %d: got %d, want %d", k, tv, a, i, v, want)
						}
					}
				})
			}
		}
	}
}

// TestKnownDot checks a hand-computed dot product on every path, so that
// the reference itself is pinned down: one block, value j has code j%3
// (t = j%3 − 1) and x[j] = j − 64.
func TestKnownDot(t *testing.T) {
	codes := make([]byte, 128)
	x := make([]int8, 128)
	var want int32
	for j := range codes {
		codes[j] = byte(j % 3)
		x[j] = int8(j - 64)
		want += int32(j%3-1) * int32(j-64)
	}
	w := make([]byte, 32)
	packRow(w, codes)
	// Byte p holds values p, p+32, p+64, p+96 in bits 7:6 .. 1:0.
	if got, wantByte := w[1], byte(1<<6|0<<4|2<<2|1); got != wantByte {
		t.Fatalf("packed byte 1 = %08b, want %08b", got, wantByte)
	}
	eachPath(t, func(t *testing.T) {
		dst := make([]int32, 1)
		MatVec(dst, w, x, 128)
		if dst[0] != want {
			t.Fatalf("got %d, want %d", dst[0], want)
		}
	})
}

func TestUse(t *testing.T) {
	if _, err := Use("nonexistent"); err == nil || !strings.Contains(err.Error(), "unknown kernel") {
		t.Fatalf("Use(nonexistent) error = %v", err)
	}
	paths = append(paths, &path{name: "unavailable-test", available: false, priority: 99})
	defer func() { paths = paths[:len(paths)-1] }()
	if _, err := Use("unavailable-test"); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("Use of an unavailable path: error = %v", err)
	}
	if slices.Contains(Paths(), "unavailable-test") {
		t.Fatal("Paths lists an unavailable path")
	}
	before := Active()
	restore, err := Use("ref")
	if err != nil {
		t.Fatal(err)
	}
	if Active() != "ref" {
		t.Fatalf("Active() = %q after Use(ref)", Active())
	}
	restore()
	if Active() != before {
		t.Fatalf("restore left %q, want %q", Active(), before)
	}
	restore, err = Use("auto")
	if err != nil {
		t.Fatal(err)
	}
	defer restore()
	if Active() == "unavailable-test" || Active() != before {
		t.Fatalf("auto picked %q, want %q", Active(), before)
	}
}

func TestPathsIncludePureGo(t *testing.T) {
	for _, name := range []string{"ref", "purego"} {
		if !slices.Contains(Paths(), name) {
			t.Fatalf("Paths() = %v lacks %q", Paths(), name)
		}
	}
}

func TestShapeChecks(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	w := make([]byte, 4*32)
	x := make([]int8, 2*128)
	mustPanic("k not a multiple of 128", func() { MatVec(make([]int32, 1), w, x, 64) })
	mustPanic("short w", func() { MatVec(make([]int32, 5), w, x, 128) })
	mustPanic("short x", func() { MatMat(make([]int32, 12), w, x, 128, 4, 3) })
	mustPanic("short dst", func() { MatMat(make([]int32, 7), w, x, 128, 4, 2) })
}

// TestCodeThree pins down what the unused code 3 gives on the paths that
// define it (t = 2, as in the reference); the contract leaves it open, so
// other paths are not checked. Every code 3 and every activation −128 over
// the longest rows is also the int16 worst case of the AVX2 kernels.
func TestCodeThree(t *testing.T) {
	defined := []string{"ref", "purego", "avx2", "avxvnni", "avx512"}
	rng := rand.New(rand.NewPCG(23, 24))
	for _, k := range []int{256, 6912, 13824} {
		const rows, tokens = 5, 7
		w := make([]byte, rows*k/4)
		for i := range w {
			w[i] = 0xff
		}
		copy(w[:k/4], randomWeights(rng, 1, k)) // one ordinary row
		for i := range w[k/4 : 2*k/4] {
			w[k/4+i] = byte(rng.Uint32()) // one row of any codes
		}
		x := make([]int8, tokens*k)
		for i := range x {
			x[i] = -128
		}
		copy(x[k:], randomActs(rng, k))
		want := make([]int32, rows*tokens)
		MatMatRef(want, w, x, k, rows, tokens)
		if got, wantAll3 := want[2], 2*-128*int32(k); got != wantAll3 {
			t.Fatalf("reference: all code 3 gives %d, want %d", got, wantAll3)
		}
		eachPath(t, func(t *testing.T) {
			if !slices.Contains(defined, Active()) {
				t.Skip("code 3 is unspecified on this path")
			}
			got := make([]int32, rows*tokens)
			MatMat(got, w, x, k, rows, tokens)
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("k=%d MatMat: %s", k, d)
			}
			MatVec(got[:rows], w, x, k)
			if d := firstDiff(got[:rows], want[:rows]); d != "" {
				t.Fatalf("k=%d MatVec: %s", k, d)
			}
		})
	}
}
