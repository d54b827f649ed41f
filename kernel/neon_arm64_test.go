//go:build arm64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// The arm64 paths against the scalar reference (MatVecRef, MatMatRef): exact
// equality over awkward shapes, with guard values around dst and inputs at odd
// offsets. Run on an x86 machine with scripts/test-arm64.sh (QEMU, with and
// without FEAT_DotProd).

// neonPathNames are the paths this file tests, best first.
var neonPathNames = []string{"neondot", "neon"}

// neonExpected returns the arm64 paths BITNET_EXPECT_PATHS says this CPU must
// offer (comma separated, e.g. "neondot,neon"), and whether it is set.
func neonExpected() ([]string, bool) {
	v, ok := os.LookupEnv("BITNET_EXPECT_PATHS")
	if !ok {
		return nil, false
	}
	var names []string
	for _, n := range strings.Split(v, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names, true
}

// neonRunnable lists the arm64 paths to test here. A path the CPU lacks is
// skipped with a log line, or fails the test when BITNET_EXPECT_PATHS names
// it, so a QEMU run cannot silently test less than it should.
func neonRunnable(t *testing.T) []string {
	t.Helper()
	avail := Paths()
	want, _ := neonExpected()
	var run []string
	for _, name := range neonPathNames {
		switch {
		case slices.Contains(avail, name):
			run = append(run, name)
		case slices.Contains(want, name):
			t.Fatalf("path %q expected by BITNET_EXPECT_PATHS is not available (Paths() = %v)", name, avail)
		default:
			t.Logf("path %q not available on this CPU, skipped", name)
		}
	}
	if len(run) == 0 {
		t.Skip("no arm64 path available")
	}
	return run
}

// neonUse selects path name for the rest of the test.
func neonUse(t *testing.T, name string) {
	t.Helper()
	restore, err := Use(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)
	if got := Active(); got != name {
		t.Fatalf("Use(%q): Active() = %q", name, got)
	}
}

// neonPack packs codes (values c = t+1, rows × k, row-major) in the x86 I2_S
// layout of the package contract, written out independently of refDecode.
func neonPack(codes []uint8, rows, k int) []byte {
	w := make([]byte, rows*k/4)
	for r := 0; r < rows; r++ {
		for j := 0; j < k; j++ {
			block, i := j/128, j%128
			w[r*k/4+block*32+i%32] |= codes[r*k+j] << (6 - 2*(i/32))
		}
	}
	return w
}

func neonRandCodes(rng *rand.Rand, n int) []uint8 {
	c := make([]uint8, n)
	for i := range c {
		c[i] = uint8(rng.IntN(3))
	}
	return c
}

func neonRandX(rng *rand.Rand, n int) []int8 {
	x := make([]int8, n)
	for i := range x {
		x[i] = int8(rng.IntN(256) - 128)
	}
	// The extremes, always.
	x[0] = -128
	x[n-1] = 127
	return x
}

// neonAt copies b into a fresh buffer at offset off, with junk after it, and
// returns the copy: inputs that start at odd addresses.
func neonAt[T any](b []T, off int, junk T) []T {
	buf := make([]T, off+len(b)+off+1)
	for i := range buf {
		buf[i] = junk
	}
	copy(buf[off:], b)
	return buf[off : off+len(b) : off+len(b)]
}

const (
	neonGuard    = 7 // odd, so dst starts at an odd int32 index
	neonSentinel = int32(0x5a5aa5a5)
)

// neonDst returns a dst of n values surrounded by sentinels, and a check of
// the sentinels.
func neonDst(n int) (dst []int32, check func(t *testing.T, what string)) {
	buf := make([]int32, neonGuard+n+neonGuard)
	for i := range buf {
		buf[i] = neonSentinel
	}
	dst = buf[neonGuard : neonGuard+n]
	return dst, func(t *testing.T, what string) {
		t.Helper()
		for i, v := range buf {
			if (i < neonGuard || i >= neonGuard+n) && v != neonSentinel {
				t.Fatalf("%s: wrote outside dst: guard index %d = %#x", what, i-neonGuard, v)
			}
		}
	}
}

func neonCompare(t *testing.T, what string, got, want []int32) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: dst[%d] = %d, want %d", what, i, got[i], want[i])
		}
	}
}

var (
	neonRows   = []int{1, 2, 3, 15, 16, 17, 31, 33, 127, 128, 129}
	neonKs     = []int{128, 256, 384, 640, 2560}
	neonTokens = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 16}
)

// neonVerify runs MatVec (tokens == 1) and MatMat on every runnable path and
// compares with the reference.
func neonVerify(t *testing.T, paths []string, w []byte, x []int8, k, rows, tokens int, what string) {
	t.Helper()
	want := make([]int32, rows*tokens)
	MatMatRef(want, w, x, k, rows, tokens)
	wOdd := neonAt(w, 1+rows%3, 0xff)
	xOdd := neonAt(x, 3, int8(-128))
	for _, name := range paths {
		restore, err := Use(name)
		if err != nil {
			t.Fatal(err)
		}
		if tokens == 1 {
			dst, guard := neonDst(rows)
			MatVec(dst, wOdd, xOdd, k)
			guard(t, fmt.Sprintf("%s MatVec %s", name, what))
			neonCompare(t, fmt.Sprintf("%s MatVec %s", name, what), dst, want)
		}
		dst, guard := neonDst(rows * tokens)
		MatMat(dst, wOdd, xOdd, k, rows, tokens)
		guard(t, fmt.Sprintf("%s MatMat %s", name, what))
		neonCompare(t, fmt.Sprintf("%s MatMat %s", name, what), dst, want)
		restore()
	}
}

func TestNEONRandom(t *testing.T) {
	paths := neonRunnable(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range neonKs {
		for _, rows := range neonRows {
			w := neonPack(neonRandCodes(rng, rows*k), rows, k)
			x := neonRandX(rng, 16*k)
			for _, tokens := range neonTokens {
				neonVerify(t, paths, w, x[:tokens*k], k, rows, tokens,
					fmt.Sprintf("rows=%d k=%d tokens=%d", rows, k, tokens))
			}
		}
	}
	t.Logf("tested %v", paths)
}

// TestNEONBands shrinks the MatMat row bands to 1000 bytes of weights (31
// rows at k=128 down to 1 row at k=2560), so that bands end unevenly.
func TestNEONBands(t *testing.T) {
	paths := neonRunnable(t)
	defer func(b int) { neonBandBytes = b }(neonBandBytes)
	neonBandBytes = 1000
	rng := rand.New(rand.NewPCG(9, 10))
	for _, k := range neonKs {
		for _, rows := range []int{1, 17, 33, 129} {
			w := neonPack(neonRandCodes(rng, rows*k), rows, k)
			x := neonRandX(rng, 16*k)
			for _, tokens := range []int{5, 7, 9, 16} {
				neonVerify(t, paths, w, x[:tokens*k], k, rows, tokens,
					fmt.Sprintf("band=%d rows=%d k=%d tokens=%d", max(1, neonBandBytes/(k/4)), rows, k, tokens))
			}
		}
	}
}

// TestNEONUniformCodes: every code 0 (t = −1) and every code 2 (t = +1),
// where the result is ∓Σx and the Σq correction carries everything.
func TestNEONUniformCodes(t *testing.T) {
	paths := neonRunnable(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, fill := range []byte{0x00, 0xaa, 0x55} { // codes 0, 2, 1
		for _, k := range []int{128, 640, 2560} {
			for _, rows := range []int{1, 17, 33} {
				w := make([]byte, rows*k/4)
				for i := range w {
					w[i] = fill
				}
				x := neonRandX(rng, 9*k)
				for _, tokens := range []int{1, 4, 5, 9} {
					neonVerify(t, paths, w, x[:tokens*k], k, rows, tokens,
						fmt.Sprintf("fill=%#x rows=%d k=%d tokens=%d", fill, rows, k, tokens))
				}
			}
		}
	}
}

// TestNEONWorstCase: every activation −128 and every code 2 over k = 13824
// (the largest BitNet in-dimension of the family), the case that overflows
// int16 accumulation; also code 0 and activation 127.
func TestNEONWorstCase(t *testing.T) {
	paths := neonRunnable(t)
	const k, rows = 13824, 5
	for _, tc := range []struct {
		fill byte
		x    int8
		want int32
	}{
		{0xaa, -128, -128 * k},
		{0x00, -128, 128 * k},
		{0xaa, 127, 127 * k},
		{0x00, 127, -127 * k},
	} {
		w := make([]byte, rows*k/4)
		for i := range w {
			w[i] = tc.fill
		}
		x := make([]int8, 9*k)
		for i := range x {
			x[i] = tc.x
		}
		for _, tokens := range []int{1, 2, 3, 4, 9} {
			want := make([]int32, rows*tokens)
			for i := range want {
				want[i] = tc.want
			}
			ref := make([]int32, rows*tokens)
			MatMatRef(ref, w, x, k, rows, tokens)
			neonCompare(t, "reference", ref, want)
			neonVerify(t, paths, w, x[:tokens*k], k, rows, tokens,
				fmt.Sprintf("fill=%#x x=%d tokens=%d", tc.fill, tc.x, tokens))
		}
	}
}

// TestNEONLongRows: neondot at its k limit (its scale-16 accumulators reach
// −2³⁰) and just past it, where it hands over to the neon kernels.
func TestNEONLongRows(t *testing.T) {
	paths := neonRunnable(t)
	for _, k := range []int{neonMaxDotK, neonMaxDotK + 128} {
		for _, fill := range []byte{0xaa, 0x00} {
			w := make([]byte, 2*k/4)
			for i := range w {
				w[i] = fill
			}
			x := make([]int8, 2*k)
			for i := range x {
				x[i] = -128
			}
			neonVerify(t, paths, w, x[:k], k, 2, 1, fmt.Sprintf("k=%d fill=%#x", k, fill))
			neonVerify(t, paths, w, x, k, 2, 2, fmt.Sprintf("k=%d fill=%#x", k, fill))
		}
	}
}

func TestNEONSumInt8(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 64, 128, 192, 2560, 13824} {
		for _, mode := range []string{"random", "min", "max"} {
			x := neonRandX(rng, max(n, 1))[:n]
			for i := range x {
				switch mode {
				case "min":
					x[i] = -128
				case "max":
					x[i] = 127
				}
			}
			var want int32
			for _, v := range x {
				want += int32(v)
			}
			x = neonAt(x, 5, int8(99))
			var p *int8
			if n > 0 {
				p = &x[0]
			}
			if got := neonSumInt8(p, n); got != want {
				t.Errorf("neonSumInt8 n=%d %s = %d, want %d", n, mode, got, want)
			}
		}
	}
}

// TestNEONPaths logs the paths and, when BITNET_EXPECT_PATHS is set, checks
// that exactly those arm64 paths are available and that auto picks the first.
func TestNEONPaths(t *testing.T) {
	avail := Paths()
	t.Logf("Paths() = %v, Active() = %q", avail, Active())
	want, ok := neonExpected()
	if !ok {
		return
	}
	var got []string
	for _, name := range neonPathNames {
		if slices.Contains(avail, name) {
			got = append(got, name)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("arm64 paths available = %v, BITNET_EXPECT_PATHS = %v", got, want)
	}
	if len(want) > 0 {
		restore, err := Use("auto")
		if err != nil {
			t.Fatal(err)
		}
		defer restore()
		if Active() != want[0] {
			t.Fatalf("auto dispatch chose %q, want %q", Active(), want[0])
		}
	}
	for _, name := range want {
		neonUse(t, name)
	}
}

func BenchmarkNEON(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, name := range neonPathNames {
		if !slices.Contains(Paths(), name) {
			continue
		}
		for _, shape := range []struct{ rows, k, tokens int }{
			{2560, 2560, 1}, {6912, 2560, 1}, {2560, 6912, 1}, {6912, 2560, 8},
		} {
			w := neonPack(neonRandCodes(rng, shape.rows*shape.k), shape.rows, shape.k)
			x := neonRandX(rng, shape.tokens*shape.k)
			dst := make([]int32, shape.rows*shape.tokens)
			b.Run(fmt.Sprintf("%s/%dx%d/t%d", name, shape.rows, shape.k, shape.tokens), func(b *testing.B) {
				restore, err := Use(name)
				if err != nil {
					b.Fatal(err)
				}
				defer restore()
				b.SetBytes(int64(len(w)))
				for b.Loop() {
					MatMat(dst, w, x, shape.k, shape.rows, shape.tokens)
				}
			})
		}
	}
}
