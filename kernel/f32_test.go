package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDotAndAxpyF32(t *testing.T) { eachPath(t, testDotAndAxpyF32) }

func testDotAndAxpyF32(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 31, 32, 33, 64, 100, 128} {
		a, b := make([]float32, n), make([]float32, n+3)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		var exact, mag float64
		for i := range a {
			exact += float64(a[i]) * float64(b[i])
			mag += math.Abs(float64(a[i]) * float64(b[i]))
		}
		if got := DotF32(a, b); math.Abs(float64(got)-exact) > 1e-6*mag+1e-7 {
			t.Fatalf("n=%d: dot %v, want %v", n, got, exact)
		}
		dst := make([]float32, n+1)
		want := make([]float32, n)
		for i := range want {
			dst[i] = float32(i)
			want[i] = float32(i) + float32(0.5*b[i])
		}
		dst[n] = 99
		AxpyF32(dst[:n], 0.5, b)
		for i := range want {
			if math.Abs(float64(dst[i]-want[i])) > 1e-6*math.Abs(float64(want[i]))+1e-6 {
				t.Fatalf("n=%d axpy[%d] = %v, want %v", n, i, dst[i], want[i])
			}
		}
		if dst[n] != 99 {
			t.Fatal("axpy wrote past dst")
		}
	}
}

// TestDotsAxpysMatchSingleCalls checks the batched attention helpers
// against DotF32 and AxpyF32 called position by position: bit for bit,
// for widths with and without a vector part and a tail.
func TestDotsAxpysMatchSingleCalls(t *testing.T) { eachPath(t, testDotsAxpysMatchSingleCalls) }

func testDotsAxpysMatchSingleCalls(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, width := range []int{1, 7, 32, 40, 64, 128, 100} {
		for _, count := range []int{0, 1, 3, 17} {
			stride := width + 8
			m := make([]float32, count*stride+3)
			for i := range m {
				m[i] = float32(r.NormFloat64())
			}
			q := make([]float32, width)
			for i := range q {
				q[i] = float32(r.NormFloat64())
			}
			got := make([]float32, count+1)
			got[count] = 42
			DotsF32(got[:count], q, m, stride)
			for p := 0; p < count; p++ {
				if want := DotF32(q, m[p*stride:p*stride+width]); math.Float32bits(got[p]) != math.Float32bits(want) {
					t.Fatalf("width %d: dot %d = %v, DotF32 %v", width, p, got[p], want)
				}
			}
			if got[count] != 42 {
				t.Fatalf("width %d: DotsF32 wrote past dst", width)
			}
			sum, want := make([]float32, width), make([]float32, width)
			for i := range sum {
				sum[i] = float32(r.NormFloat64())
				want[i] = sum[i]
			}
			w := got[:count]
			AxpysF32(sum, w, m, stride)
			for p, alpha := range w {
				AxpyF32(want, alpha, m[p*stride:p*stride+width])
			}
			for i := range sum {
				if math.Float32bits(sum[i]) != math.Float32bits(want[i]) {
					t.Fatalf("width %d count %d: sum[%d] = %v, AxpyF32 gives %v", width, count, i, sum[i], want[i])
				}
			}
		}
	}
}

// TestDotsAxpysHeadsMatchSingleHeads checks the four- and two-head forms
// against DotsF32 and AxpysF32 head by head, bit for bit, on every path
// and with every prefetch variant (each hint is its own instance of the
// assembly).
func TestDotsAxpysHeadsMatchSingleHeads(t *testing.T) {
	eachPath(t, func(t *testing.T) {
		eachPrefetch(t, StreamAttention, func(t *testing.T) {
			testDotsAxpysHeads(t, 4, DotsF32x4, AxpysF32x4)
			testDotsAxpysHeads(t, 2, DotsF32x2, AxpysF32x2)
		})
	})
}

func testDotsAxpysHeads(t *testing.T, heads int, dots func(dst []float32, dstStride int, q, m []float32, stride, count int),
	axpys func(dst, w []float32, wStride int, m []float32, stride, count int)) {
	r := rand.New(rand.NewPCG(17, uint64(heads)))
	for _, width := range []int{32, 64, 96, 128, 256, 40, 8} {
		for _, count := range []int{1, 2, 5, 33} {
			stride, dstStride := 2*width+16, count+3
			m := make([]float32, count*stride)
			for i := range m {
				m[i] = float32(r.NormFloat64())
			}
			q := make([]float32, heads*width)
			for i := range q {
				q[i] = float32(r.NormFloat64())
			}
			got, want := make([]float32, heads*dstStride), make([]float32, heads*dstStride)
			dots(got, dstStride, q, m, stride, count)
			for h := 0; h < heads; h++ {
				DotsF32(want[h*dstStride:h*dstStride+count], q[h*width:(h+1)*width], m, stride)
			}
			if i, ok := sameBits(got, want); !ok {
				t.Fatalf("%d heads, width %d count %d: score %d = %v, DotsF32 %v", heads, width, count, i, got[i], want[i])
			}
			sum, ref := make([]float32, heads*width+1), make([]float32, heads*width)
			for i := range ref {
				sum[i] = float32(r.NormFloat64())
				ref[i] = sum[i]
			}
			sum[heads*width] = 42
			axpys(sum[:heads*width], got, dstStride, m, stride, count)
			for h := 0; h < heads; h++ {
				AxpysF32(ref[h*width:(h+1)*width], got[h*dstStride:h*dstStride+count], m, stride)
			}
			if i, ok := sameBits(sum[:heads*width], ref); !ok {
				t.Fatalf("%d heads, width %d count %d: sum %d = %v, AxpysF32 %v", heads, width, count, i, sum[i], ref[i])
			}
			if sum[heads*width] != 42 {
				t.Fatalf("%d heads, width %d count %d: wrote past dst", heads, width, count)
			}
		}
	}
}
