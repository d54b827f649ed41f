package quant

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestQ8_0ByHandAndTies(t *testing.T) {
	// amax 127 → d = 1, id = 1: values are rounded half away from zero.
	x := make([]float32, 32)
	x[0], x[1], x[2], x[3], x[4] = 127, 0.5, -0.5, 1.5, -2.5
	dst := make([]byte, Q8_0Size(32))
	QuantizeQ8_0(dst, x)
	if dst[0] != 0x00 || dst[1] != 0x3c { // float16(1) = 0x3c00
		t.Fatalf("scale bytes %x %x", dst[0], dst[1])
	}
	want := []int8{127, 1, -1, 2, -3}
	for i, w := range want {
		if got := int8(dst[2+i]); got != w {
			t.Errorf("q[%d] = %d, want %d (x=%v)", i, got, w, x[i])
		}
	}
	zero := make([]byte, Q8_0Size(32))
	QuantizeQ8_0(zero, make([]float32, 32))
	for _, b := range zero {
		if b != 0 {
			t.Fatal("all-zero block not all zero")
		}
	}
}

func TestQ8_0RoundTripError(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float32, 32*100)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 0.05)
	}
	q := make([]byte, Q8_0Size(len(x)))
	QuantizeQ8_0(q, x)
	y := make([]float32, len(x))
	DequantizeQ8_0(y, q)
	for b := 0; b < len(x)/32; b++ {
		var amax float64
		for _, v := range x[b*32 : (b+1)*32] {
			amax = math.Max(amax, math.Abs(float64(v)))
		}
		for i := b * 32; i < (b+1)*32; i++ {
			// half a quantization step plus the float16 scale's rounding
			if math.Abs(float64(x[i]-y[i])) > amax/127*0.5+amax*1e-3 {
				t.Fatalf("value %d: %v → %v", i, x[i], y[i])
			}
		}
	}
}
