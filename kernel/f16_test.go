package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

func TestHalfToFloat(t *testing.T) {
	for _, c := range []struct {
		h    uint16
		want float32
	}{{0x3c00, 1}, {0xc000, -2}, {0x0001, 1.0 / (1 << 24)}, {0x7bff, 65504}, {0x3555, 0.33325195}} {
		if got := HalfToFloat(c.h); got != c.want {
			t.Errorf("HalfToFloat(%#04x) = %v, want %v", c.h, got, c.want)
		}
	}
	if !math.IsInf(float64(HalfToFloat(0x7c00)), 1) || !math.IsNaN(float64(HalfToFloat(0x7e00))) {
		t.Error("inf/nan")
	}
}

// TestMatVecF16 checks the vector path against a float64 sum of the same
// products: float order may differ, so the bound is a few ulps of Σ|w·x|.
func TestMatVecF16(t *testing.T) { eachPath(t, testMatVecF16) }

// TestMatVecF16RowsIndependent checks that a row's result does not depend
// on the other rows of the call, bit for bit on every path: the model's
// schedulers hand the head's rows to threads in ranges that vary from run
// to run, and the logits must not.
func TestMatVecF16RowsIndependent(t *testing.T) { eachPath(t, testMatVecF16RowsIndependent) }

func testMatVecF16RowsIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, k := range []int{32, 96, 2560, 30} {
		for _, rows := range []int{1, 3, 4, 5, 7, 16, 67} {
			w := make([]uint16, rows*k)
			for i := range w {
				w[i] = uint16(r.IntN(0x7800)) | uint16(r.IntN(2))<<15
			}
			x := make([]float32, k)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			all := make([]float32, rows)
			MatVecF16(all, w, x, k)
			for lo := 0; lo < rows; lo++ {
				for _, hi := range []int{lo + 1, min(rows, lo+5), rows} {
					part := make([]float32, hi-lo)
					MatVecF16(part, w[lo*k:hi*k], x, k)
					for i, v := range part {
						if math.Float32bits(v) != math.Float32bits(all[lo+i]) {
							t.Fatalf("k=%d rows=%d: row %d in rows [%d,%d) %v, with all rows %v", k, rows, lo+i, lo, hi, v, all[lo+i])
						}
					}
				}
			}
		}
	}
}

func testMatVecF16(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{32, 64, 96, 2560, 30} {
		rows := 37
		w := make([]uint16, rows*k+7)
		for i := range w {
			w[i] = uint16(r.IntN(0x7800)) | uint16(r.IntN(2))<<15 // finite halves
		}
		x := make([]float32, k)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		dst := make([]float32, rows+1)
		dst[rows] = 12345 // sentinel
		MatVecF16(dst[:rows], w, x, k)
		ref := make([]float32, rows)
		MatVecF16Ref(ref, w, x, k)
		for i := 0; i < rows; i++ {
			var exact, mag float64
			for j := 0; j < k; j++ {
				p := float64(HalfToFloat(w[i*k+j])) * float64(x[j])
				exact += p
				mag += math.Abs(p)
			}
			tol := mag * 1e-6
			if math.Abs(float64(dst[i])-exact) > tol || math.Abs(float64(ref[i])-exact) > tol {
				t.Fatalf("k=%d row %d: fast %v ref %v exact %v", k, i, dst[i], ref[i], exact)
			}
		}
		if dst[rows] != 12345 {
			t.Fatalf("k=%d: wrote past dst", k)
		}
	}
}

func BenchmarkMatVecF16LMHead(b *testing.B) {
	const rows, k = 128256, 2560
	w := unsafe.Slice((*uint16)(unsafe.Pointer(&hugeBytes(rows * k * 2)[0])), rows*k) // as the model loads it
	for i := range w {
		w[i] = 0x3c00 ^ uint16(i&0xff)
	}
	x := make([]float32, k)
	dst := make([]float32, rows)
	b.SetBytes(int64(len(w) * 2))
	for b.Loop() {
		MatVecF16(dst, w, x, k)
	}
}
