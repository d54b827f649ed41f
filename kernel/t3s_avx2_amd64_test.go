//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestT3SAVX2Extremes: every code 0 (all −1) or 26 (all +1) against every
// activation −128 or 127, the kernels' int16 and int32 bounds, up to the
// longest rows the assembly takes; and every 5-bit code at every code
// position of a row against extreme and random activations.
func TestT3SAVX2Extremes(t *testing.T) {
	if !cpu.X86.HasAVX2 {
		t.Skip("no AVX2")
	}
	for _, k := range []int{6912, 2592 + 6912, 1 << 20 / T3SGroupValues * T3SGroupValues} {
		for _, c := range []byte{0, 26} {
			for _, a := range []int8{-128, 127} {
				const rows, tokens = 3, 5
				w := t3sWeights(nil, rows, k, int(c))
				x := make([]int8, tokens*k)
				for i := range x {
					x[i] = a
				}
				want := (int32(c)/13 - 1) * int32(a) * int32(k)
				eachPrefetch(t, StreamTernary, func(t *testing.T) {
					got := make([]int32, rows)
					matVecT3SAVX2(got, w, x[:k], k)
					dst := make([]int32, rows*tokens)
					matMatT3SAVX2(dst, rows, w, x, k, rows, tokens)
					for i, v := range append(got, dst...) {
						if v != want {
							t.Fatalf("k=%d code %d x=%d: result %d = %d, want %d", k, c, a, i, v, want)
						}
					}
				})
			}
		}
	}
	const k = 2592 + 288 // a last chunk of three groups
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
	rng := rand.New(rand.NewPCG(5, 6))
	for _, fill := range []int{-128, 127, 1, 1000} {
		const tokens = 4
		x := make([]int8, tokens*k)
		for j := range x {
			x[j] = int8(fill)
			if fill == 1000 {
				x[j] = int8(rng.Uint32())
			}
		}
		want := make([]int32, rows*tokens)
		matMatStrideT3SRef(want, rows, w, x, k, rows, tokens)
		t.Run(fmt.Sprint("fill=", fill), func(t *testing.T) {
			got := make([]int32, rows*tokens)
			matMatT3SAVX2(got, rows, w, x, k, rows, tokens)
			if d := firstDiff(got, want); d != "" {
				t.Fatalf("matMat: %s", d)
			}
			matVecT3SAVX2(got[:rows], w, x[:k], k)
			if d := firstDiff(got[:rows], want[:rows]); d != "" {
				t.Fatalf("matVec: %s", d)
			}
		})
	}
}

// BenchmarkT3SAVX2 runs the AVX2 T3_S mat-vec (and the four-token tile) on
// one thread: "hot" on one matrix, which stays in L2 at 256 rows (in L3
// at 2560), "cold" rotating over matrices filling t5sSetBytes so that
// every call streams its weights from memory. GB/s counts the packed
// weight bytes of one call (which serves four tokens for tokens=4).
func BenchmarkT3SAVX2(b *testing.B) {
	if !cpu.X86.HasAVX2 {
		b.Skip("no AVX2")
	}
	var mem []byte // one set's memory, shared by the shapes
	for _, k := range []int{2592, 6912} {
		for _, rows := range []int{256, 2560} {
			rb := T3SRowBytes(k)
			size := rows * rb
			one := t3sWeights(rand.New(rand.NewPCG(uint64(rows), uint64(k))), rows, k)
			n := max(1, t5sSetBytes/size)
			if mem == nil {
				mem = hugeBytes(t5sSetBytes + 4<<20)
			}
			set := make([][]byte, n)
			for i := range set {
				set[i] = mem[i*size : (i+1)*size]
				copy(set[i], one)
			}
			const tokens = 4
			x := benchActs(tokens * k)
			dst := make([]int32, tokens*rows)
			for _, mode := range []string{"hot", "cold"} {
				ws := set[:1]
				if mode == "cold" {
					ws = set
				}
				b.Run(fmt.Sprintf("%dx%d/%s/matvec", rows, k, mode), func(b *testing.B) {
					eachPrefetchBench(b, func(b *testing.B) {
						b.SetBytes(int64(size))
						i := 0
						for b.Loop() {
							matVecT3SAVX2(dst[:rows], ws[i], x[:k], k)
							if i++; i == len(ws) {
								i = 0
							}
						}
					})
				})
				b.Run(fmt.Sprintf("%dx%d/%s/tokens=%d", rows, k, mode, tokens), func(b *testing.B) {
					b.SetBytes(int64(size))
					i := 0
					for b.Loop() {
						matMatT3SAVX2(dst, rows, ws[i], x, k, rows, tokens)
						if i++; i == len(ws) {
							i = 0
						}
					}
				})
			}
		}
	}
}

// eachPrefetchBench runs f once per prefetch hint of the ternary stream.
func eachPrefetchBench(b *testing.B, f func(b *testing.B)) {
	for _, h := range PrefetchVariants() {
		b.Run("pf="+h.String(), func(b *testing.B) {
			defer SetPrefetch(StreamTernary, h)()
			f(b)
		})
	}
}
