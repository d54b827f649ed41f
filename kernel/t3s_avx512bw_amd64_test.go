//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// hasT3SAVX512BW reports whether the CPU runs the AVX-512 BW T3_S kernels
// (F + BW + VL + VNNI; no VBMI needed).
func hasT3SAVX512BW() bool {
	return cpu.X86.HasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VNNI
}

// TestT3SAVX512BWMatchesReference runs the AVX-512 BW T3_S kernels directly
// (every prefetch hint, one token and tiles of four) against
// MatVecT3SRef: random valid codes, random bytes (codes 27–31 included)
// and rows of every extreme code, whole chunks and last chunks of one to
// three groups, odd and even row counts, bands of rows and more tokens
// than the stack's sums.
func TestT3SAVX512BWMatchesReference(t *testing.T) {
	if !hasT3SAVX512BW() {
		t.Skip("no AVX-512 BW + VNNI")
	}
	rng := rand.New(rand.NewPCG(35, 36))
	type tc struct {
		k, rows, tokens int
		kinds           []int
		w               []byte
		x               []int8
		want            []int32 // rows per token
	}
	var cases []tc
	add := func(k, rows, maxTok int, kinds []int) {
		c := tc{k: k, rows: rows, tokens: maxTok, kinds: kinds, w: t3sWeights(rng, rows, k, kinds...), x: randomActs(rng, maxTok*k)}
		c.want = make([]int32, rows*maxTok)
		for i := 0; i < maxTok; i++ {
			MatVecT3SRef(c.want[i*rows:(i+1)*rows], c.w, c.x[i*k:(i+1)*k], k)
		}
		cases = append(cases, c)
	}
	for _, k := range []int{96, 192, 288, 384, 480, 672, 2592, 6912} {
		for _, rows := range []int{1, 2, 3, 17, 33, 129} {
			for _, kinds := range [][]int{{-1}, {-2}, {0, 26, 13, 31, 27}} {
				add(k, rows, 7, kinds)
			}
		}
	}
	// Two bands of rows (t3sBandBytes), tiles and a remainder; more tokens
	// than the stack's 64 sums.
	add(6912, 200, 19, []int{-2, -1})
	add(2592+192, 3, 19, []int{-2})
	add(288, 5, 70, []int{-1, -2})
	eachPrefetch(t, StreamTernary, func(t *testing.T) {
		for _, c := range cases {
			k, rows := c.k, c.rows
			dst, check := guarded(t, rows)
			matVecT3SAVX512BW(dst, c.w, c.x[:k], k)
			check()
			if d := firstDiff(dst, c.want[:rows]); d != "" {
				t.Fatalf("matVecT3SAVX512BW k=%d rows=%d kinds=%v: %s", k, rows, c.kinds, d)
			}
			toks := []int{1, 2, 3, 7}
			if c.tokens > 7 {
				toks = []int{c.tokens}
			}
			for _, tokens := range toks {
				ldd := rows + 3
				dst, check := guarded(t, (tokens-1)*ldd+rows)
				matMatT3SAVX512BW(dst, ldd, c.w, c.x[:tokens*k], k, rows, tokens)
				check()
				for i := 0; i < tokens; i++ {
					if d := firstDiff(dst[i*ldd:i*ldd+rows], c.want[i*rows:(i+1)*rows]); d != "" {
						t.Fatalf("matMatT3SAVX512BW k=%d rows=%d kinds=%v tokens=%d token %d: %s", k, rows, c.kinds, tokens, i, d)
					}
				}
			}
		}
	})
}

// TestT3SAVX512BWExtremes: every code 0 (all −1) or 26 (all +1) against
// every activation −128 or 127, up to the longest rows the assembly takes
// (t3sBWMaxK, where the 16·d_2 lanes come closest to 2³¹) and one group
// past it (the Go fallback); and every 5-bit code at every code position
// of a row against extreme and random activations.
func TestT3SAVX512BWExtremes(t *testing.T) {
	if !hasT3SAVX512BW() {
		t.Skip("no AVX-512 BW + VNNI")
	}
	longest := t3sBWMaxK / T3SGroupValues * T3SGroupValues
	for _, k := range []int{6912, 2592 + 6912, longest, longest + T3SGroupValues} {
		if testing.Short() && k > 1<<20 {
			continue
		}
		const rows = 3
		tokens := 5
		if k > t3sBWMaxK {
			tokens = 1 // the Go fallback: one row's worth is enough
		}
		x := make([]int8, tokens*k)
		for _, c := range []byte{0, 26} {
			w := t3sWeights(nil, rows, k, int(c))
			for _, a := range []int8{-128, 127} {
				for i := range x {
					x[i] = a
				}
				want := (int32(c)/13 - 1) * int32(a) * int32(k)
				t.Run(fmt.Sprintf("k=%d/code=%d/x=%d", k, c, a), func(t *testing.T) {
					eachPrefetch(t, StreamTernary, func(t *testing.T) {
						got := make([]int32, rows)
						matVecT3SAVX512BW(got, w, x[:k], k)
						dst := make([]int32, rows*tokens)
						matMatT3SAVX512BW(dst, rows, w, x, k, rows, tokens)
						for i, v := range append(got, dst...) {
							if v != want {
								t.Fatalf("result %d = %d, want %d", i, v, want)
							}
						}
					})
				})
				if k > t3sBWMaxK {
					break
				}
			}
		}
	}
	for _, k := range []int{2592 + 288, 384 + 192, 96} { // last chunks of 3, 2 and 1 groups
		rows := 64
		rb := T3SRowBytes(k)
		w := make([]byte, rows*rb)
		codes := make([]byte, k/3)
		for r := 0; r < rows; r++ {
			for i := range codes {
				codes[i] = byte(r+7*i) % 32
			}
			t3sPackRow(w[r*rb:], codes, k)
		}
		rng := rand.New(rand.NewPCG(7, uint64(k)))
		for _, fill := range []int{-128, 127, 1, 1000} {
			const tokens = 5
			x := make([]int8, tokens*k)
			for j := range x {
				x[j] = int8(fill)
				if fill == 1000 {
					x[j] = int8(rng.Uint32())
				}
			}
			want := make([]int32, rows*tokens)
			matMatStrideT3SRef(want, rows, w, x, k, rows, tokens)
			t.Run(fmt.Sprintf("k=%d/fill=%d", k, fill), func(t *testing.T) {
				got := make([]int32, rows*tokens)
				matMatT3SAVX512BW(got, rows, w, x, k, rows, tokens)
				if d := firstDiff(got, want); d != "" {
					t.Fatalf("matMat: %s", d)
				}
				matVecT3SAVX512BW(got[:rows], w, x[:k], k)
				if d := firstDiff(got[:rows], want[:rows]); d != "" {
					t.Fatalf("matVec: %s", d)
				}
			})
		}
	}
}

// BenchmarkT3SAVX512BW runs the AVX-512 BW T3_S mat-vec (and the
// four-token tile) on one thread beside the VBMI kernels (and the AVX2
// ones, which the avx512 path runs without VBMI) on the same data:
// "hot" on one matrix that stays in L2 (256×2592: 135 KiB, 64×6912:
// 90 KiB), "cold" rotating over matrices filling t5sSetBytes (128 MiB) so
// that every call streams its weights from memory. GB/s counts the packed
// weight bytes of one call (which serves four tokens for tokens=4).
func BenchmarkT3SAVX512BW(b *testing.B) {
	if !hasT3SAVX512BW() {
		b.Skip("no AVX-512 BW + VNNI")
	}
	type kern struct {
		name   string
		matVec func(dst []int32, w []byte, x []int8, k int)
		matMat func(dst []int32, ldd int, w []byte, x []int8, k, rows, tokens int)
	}
	kerns := []kern{{"bw", matVecT3SAVX512BW, matMatT3SAVX512BW}}
	if cpu.X86.HasAVX512VBMI {
		kerns = append(kerns, kern{"vbmi", matVecT3SAVX512, matMatT3SAVX512})
	}
	kerns = append(kerns, kern{"avx2", matVecT3SAVX2, matMatT3SAVX2}) // what CPUs without VBMI run today
	for _, shape := range [][2]int{{256, 2592}, {64, 6912}} {
		rows, k := shape[0], shape[1]
		size := rows * T3SRowBytes(k)
		var set [][]byte // built on first use: 128 MiB per shape
		const tokens = 4
		x := benchActs(tokens * k)
		dst := make([]int32, tokens*rows)
		for _, mode := range []string{"hot", "cold"} {
			weights := func() [][]byte {
				if set == nil {
					set = t3sWeightSet(rows, k, t5sSetBytes)
				}
				if mode == "hot" {
					return set[:1]
				}
				return set
			}
			for _, h := range PrefetchVariants() {
				for _, kn := range kerns {
					b.Run(fmt.Sprintf("%dx%d/%s/matvec/pf=%s/%s", rows, k, mode, h, kn.name), func(b *testing.B) {
						ws := weights()
						defer SetPrefetch(StreamTernary, h)()
						b.SetBytes(int64(size))
						i := 0
						for b.Loop() {
							kn.matVec(dst[:rows], ws[i], x[:k], k)
							if i++; i == len(ws) {
								i = 0
							}
						}
					})
				}
			}
			for _, kn := range kerns {
				b.Run(fmt.Sprintf("%dx%d/%s/tokens=%d/%s", rows, k, mode, tokens, kn.name), func(b *testing.B) {
					ws := weights()
					b.SetBytes(int64(size))
					i := 0
					for b.Loop() {
						kn.matMat(dst, rows, ws[i], x, k, rows, tokens)
						if i++; i == len(ws) {
							i = 0
						}
					}
				})
			}
		}
	}
}
