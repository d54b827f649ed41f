//go:build linux

package kernel

import (
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"unsafe"
)

// pageGuarded returns n bytes that end where an inaccessible page starts
// (atEnd) or begin where one ends, so that any read past the slice faults.
func pageGuarded(t *testing.T, n int, atEnd bool) []byte {
	t.Helper()
	page := os.Getpagesize()
	data := (n + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, data+2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	for _, g := range [][]byte{mem[:page], mem[page+data:]} {
		if err := syscall.Mprotect(g, syscall.PROT_NONE); err != nil {
			t.Skip("mprotect:", err)
		}
	}
	if atEnd {
		return mem[page+data-n : page+data]
	}
	return mem[page : page+n]
}

// TestNoOverread runs every path on weights and activations bordered by
// inaccessible pages: reading one byte too far crashes the test.
func TestNoOverread(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, s := range [][3]int{{1, 128, 1}, {3, 256, 1}, {5, 384, 7}, {17, 2560, 1}, {6, 640, 13}, {9, 6912, 2}} {
		rows, k, tokens := s[0], s[1], s[2]
		src := randomWeights(rng, rows, k)
		acts := randomActs(rng, tokens*k)
		want := make([]int32, rows*tokens)
		MatMatRef(want, src, acts, k, rows, tokens)
		for _, atEnd := range []bool{true, false} {
			w := pageGuarded(t, len(src), atEnd)
			copy(w, src)
			xb := pageGuarded(t, len(acts), atEnd)
			x := unsafe.Slice((*int8)(unsafe.Pointer(&xb[0])), len(xb))
			copy(x, acts)
			eachPath(t, func(t *testing.T) {
				got := make([]int32, rows*tokens)
				MatMat(got, w, x, k, rows, tokens)
				if d := firstDiff(got, want); d != "" {
					t.Fatalf("rows=%d k=%d tokens=%d: %s", rows, k, tokens, d)
				}
				MatVec(got[:rows], w, x[(tokens-1)*k:], k)
				if d := firstDiff(got[:rows], want[(tokens-1)*rows:]); d != "" {
					t.Fatalf("MatVec rows=%d k=%d: %s", rows, k, d)
				}
			})
		}
	}
}

// TestNoOverreadT3S: the T3_S kernels read no byte past the matrix or the
// activations (masked loads of a last chunk of 1–3 groups included), with
// both placed at the end or the start of a page next to an unmapped one.
func TestNoOverreadT3S(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, s := range [][3]int{{1, 96, 1}, {3, 192, 5}, {2, 288, 1}, {5, 384, 4}, {17, 2592, 1}, {4, 2592, 9}, {9, 6912, 2}} {
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
			eachPath(t, func(t *testing.T) {
				got := make([]int32, rows*tokens)
				MatMatStrideT3S(got, rows, w, x, k, rows, tokens)
				if d := firstDiff(got, want); d != "" {
					t.Fatalf("rows=%d k=%d tokens=%d: %s", rows, k, tokens, d)
				}
				MatVecT3S(got[:rows], w, x[(tokens-1)*k:], k)
				if d := firstDiff(got[:rows], want[(tokens-1)*rows:]); d != "" {
					t.Fatalf("MatVecT3S rows=%d k=%d: %s", rows, k, d)
				}
			})
		}
	}
}
