package kernel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bitnet-go/bitnet/quant"
)

func TestQ8_0BlockMatchesQuant(t *testing.T) {
	if q8BlockValues != quant.Q8_0BlockValues || q8BlockBytes != quant.Q8_0BlockBytes {
		t.Fatalf("kernel's Q8_0 block %d values/%d bytes, quant's %d/%d", q8BlockValues, q8BlockBytes, quant.Q8_0BlockValues, quant.Q8_0BlockBytes)
	}
}

func TestMatVecQ8_0(t *testing.T) { eachPath(t, testMatVecQ8_0) }

func testMatVecQ8_0(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{32, 64, 96, 2560} {
		rows := 19
		w := make([]byte, rows*k/32*34+5)
		for i := range w {
			w[i] = byte(r.IntN(256))
		}
		for b := 0; b < rows*k/32; b++ { // finite float16 scales
			w[b*34+1] = byte(r.IntN(0x70))
		}
		x := make([]float32, k)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		dst := make([]float32, rows+1)
		dst[rows] = -7
		MatVecQ8_0(dst[:rows], w, x, k)
		table := F16Table()
		for i := 0; i < rows; i++ {
			var exact, mag float64
			for b := 0; b < k/32; b++ {
				blk := w[(i*k/32+b)*34:]
				d := float64(table[uint16(blk[0])|uint16(blk[1])<<8])
				for j := 0; j < 32; j++ {
					p := d * float64(int8(blk[2+j])) * float64(x[b*32+j])
					exact += p
					mag += math.Abs(p)
				}
			}
			if math.Abs(float64(dst[i])-exact) > mag*1e-6 {
				t.Fatalf("k=%d row %d: %v, want %v", k, i, dst[i], exact)
			}
		}
		if dst[rows] != -7 {
			t.Fatal("wrote past dst")
		}
		ref := make([]float32, rows)
		MatVecQ8_0Ref(ref, w, x, k)
		for i := range ref {
			if math.Abs(float64(ref[i]-dst[i])) > 1e-3*math.Abs(float64(ref[i]))+1e-3 {
				t.Fatalf("ref %v fast %v", ref[i], dst[i])
			}
		}
	}
}

func BenchmarkMatVecQ8_0LMHead(b *testing.B) {
	const rows, k = 128256, 2560
	w := hugeBytes(rows * k / 32 * 34) // as the model loads it
	for i := range w {
		w[i] = byte(i * 7)
	}
	x := make([]float32, k)
	dst := make([]float32, rows)
	b.SetBytes(int64(len(w)))
	for b.Loop() {
		MatVecQ8_0(dst, w, x, k)
	}
}

// TestMatVecQ8_0RowsIndependent checks that a row's result does not depend
// on the other rows of the call (kernels that interleave rows must sum each
// row in the same order as alone): bit for bit, on every path.
func TestMatVecQ8_0RowsIndependent(t *testing.T) { eachPath(t, testMatVecQ8_0RowsIndependent) }

func testMatVecQ8_0RowsIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, k := range []int{32, 96, 2560} {
		for _, rows := range []int{1, 3, 4, 7, 67} {
			rb := k / 32 * 34
			w := make([]byte, rows*rb)
			for i := range w {
				w[i] = byte(r.Uint32())
				if i%34 == 1 {
					w[i] &= 0x3b
				}
			}
			x := make([]float32, k)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			all := make([]float32, rows)
			MatVecQ8_0(all, w, x, k)
			one := make([]float32, 1)
			for i := range all {
				MatVecQ8_0(one, w[i*rb:(i+1)*rb], x, k)
				if math.Float32bits(one[0]) != math.Float32bits(all[i]) {
					t.Fatalf("k=%d rows=%d: row %d alone %v, with the others %v", k, rows, i, one[0], all[i])
				}
			}
		}
	}
}
