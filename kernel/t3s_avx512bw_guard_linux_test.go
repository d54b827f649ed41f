//go:build linux && amd64 && !purego

package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestNoOverreadT3SAVX512BW: the AVX-512 BW T3_S kernels (every prefetch
// hint, one token, pairs of rows and an odd row, tiles of four) read no
// byte past the matrix or the activations — masked loads of a last chunk
// of 1–3 groups included — with both placed at the end or the start of a
// page next to an unmapped one.
func TestNoOverreadT3SAVX512BW(t *testing.T) {
	if !hasT3SAVX512BW() {
		t.Skip("no AVX-512 BW + VNNI")
	}
	rng := rand.New(rand.NewPCG(37, 38))
	for _, s := range [][3]int{{1, 96, 1}, {3, 192, 5}, {2, 288, 1}, {5, 384, 4}, {4, 480, 6}, {17, 2592, 1}, {4, 2592, 9}, {9, 6912, 2}, {2, 672, 8}} {
		rows, k, tokens := s[0], s[1], s[2]
		src := t3sWeights(rng, rows, k, -1, -2)
		acts := randomActs(rng, tokens*k)
		want := make([]int32, rows*tokens)
		matMatStrideT3SRef(want, rows, src, acts, k, rows, tokens)
		for _, atEnd := range []bool{true, false} {
			w := pageGuarded(t, len(src), atEnd)
			copy(w, src)
			xb := pageGuarded(t, len(acts), atEnd)
			x := unsafe.Slice((*int8)(unsafe.Pointer(&xb[0])), len(xb))
			copy(x, acts)
			t.Run(fmt.Sprintf("rows=%d/k=%d/tokens=%d/atEnd=%v", rows, k, tokens, atEnd), func(t *testing.T) {
				eachPrefetch(t, StreamTernary, func(t *testing.T) {
					got := make([]int32, rows*tokens)
					matMatT3SAVX512BW(got, rows, w, x, k, rows, tokens)
					if d := firstDiff(got, want); d != "" {
						t.Fatalf("matMat: %s", d)
					}
					matVecT3SAVX512BW(got[:rows], w, x[(tokens-1)*k:], k)
					if d := firstDiff(got[:rows], want[(tokens-1)*rows:]); d != "" {
						t.Fatalf("matVec: %s", d)
					}
				})
			})
		}
	}
}
