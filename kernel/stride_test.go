package kernel

import (
	"math/rand/v2"
	"testing"
)

// TestMatMatStrideBands computes products band by band, as package model
// schedules them (bands of 16 rows with a ragged last one, single tokens
// and batches), each band writing its rows of a wider output: every band
// must equal the reference's rows and leave the other rows untouched.
func TestMatMatStrideBands(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, s := range [][3]int{{3, 128, 1}, {31, 256, 2}, {100, 2560, 1}, {129, 2560, 3}, {200, 640, 9}, {333, 6912, 7}} {
		rows, k, tokens := s[0], s[1], s[2]
		w, x := randomWeights(rng, rows, k), randomActs(rng, tokens*k)
		want := make([]int32, rows*tokens)
		MatMatRef(want, w, x, k, rows, tokens)
		eachPath(t, func(t *testing.T) {
			for _, band := range []int{16, 48, rows} {
				for lo := 0; lo < rows; lo += band {
					hi := min(lo+band, rows)
					dst := make([]int32, rows*tokens)
					for i := range dst {
						dst[i] = sentinel
					}
					MatMatStride(dst[lo:], rows, w[lo*k/4:hi*k/4], x, k, hi-lo, tokens)
					for i := 0; i < tokens; i++ {
						for r := 0; r < rows; r++ {
							got, exp := dst[i*rows+r], want[i*rows+r]
							if r < lo || r >= hi {
								exp = sentinel
							}
							if got != exp {
								t.Fatalf("rows=%d k=%d tokens=%d band [%d,%d): token %d row %d = %d, want %d", rows, k, tokens, lo, hi, i, r, got, exp)
							}
						}
					}
				}
			}
		})
	}
}

// TestMatMatStrideRejectsShortDst checks the stride's bounds.
func TestMatMatStrideRejectsShortDst(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	w := make([]byte, 4*128/4)
	x := make([]int8, 2*128)
	mustPanic("stride below rows", func() { MatMatStride(make([]int32, 8), 3, w, x, 128, 4, 2) })
	mustPanic("short dst", func() { MatMatStride(make([]int32, 9), 6, w, x, 128, 4, 2) })
	MatMatStride(make([]int32, 10), 6, w, x, 128, 4, 2)
}
