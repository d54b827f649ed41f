package quant

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/x448/float16"
)

// putCode writes code q of value i into a Q6_K block, from the layout as
// block_q6_K documents it: value l + 32m of half h has its low nibble in
// ql[64h + l + 32(m&1)] (bits 3:0 for m < 2, 7:4 otherwise) and its high
// bits in bits 2m+1:2m of qh[32h + l].
func putCode(blk []byte, i, q int) {
	h, l, m := i/128, i%32, i%128/32
	p := 64*h + l + 32*(m&1)
	sh := 4 * (m / 2)
	blk[p] = blk[p]&^(0xF<<sh) | byte(q&0xF)<<sh
	hp := 128 + 32*h + l
	blk[hp] = blk[hp]&^(3<<(2*m)) | byte(q>>4)<<(2*m)
}

func TestNearestIntRoundsHalfToEven(t *testing.T) {
	for _, c := range []struct {
		f    float32
		want int
	}{{0.5, 0}, {1.5, 2}, {2.5, 2}, {3.5, 4}, {-0.5, 0}, {-1.5, -2}, {-2.5, -2}, {0.49999997, 0}, {-0.50000006, -1}, {7.25, 7}, {-4194303, -4194303}} {
		if got := NearestInt(c.f); got != c.want {
			t.Errorf("NearestInt(%v) = %d, want %d", c.f, got, c.want)
		}
	}
}

// A block written by hand: d = 0.5, scale of sub-block j = j − 8, code of
// value i = i mod 64. Value 0: 0.5·(−8)·(0−32) = 128; value 17: sub-block 1,
// 0.5·(−7)·(17−32) = 52.5; value 255: 0.5·7·(63−32) = 108.5; value 160:
// sub-block 10, code 32: 0.
func TestDequantizeQ6_KHand(t *testing.T) {
	blk := make([]byte, Q6_KBlockBytes)
	for i := 0; i < 256; i++ {
		putCode(blk, i, i%64)
	}
	for j := 0; j < 16; j++ {
		blk[192+j] = byte(int8(j - 8))
	}
	binary.LittleEndian.PutUint16(blk[208:], uint16(float16.Fromfloat32(0.5)))
	out := make([]float32, 256)
	DequantizeQ6_K(out, blk)
	for i, want := range map[int]float32{0: 128, 17: 52.5, 255: 108.5, 160: 0} {
		if out[i] != want {
			t.Errorf("value %d = %v, want %v", i, out[i], want)
		}
	}
	for i, v := range out {
		if want := 0.5 * float32(i/16-8) * float32(i%64-32); v != want || Q6_KCode(blk, i) != i%64 {
			t.Fatalf("value %d = %v (code %d), want %v (code %d)", i, v, Q6_KCode(blk, i), want, i%64)
		}
	}
}

// A block that can be followed by hand: sub-block j holds
// 2^−j·(l − 8), l = 0..15. makeQxQuants finds max −8·2^−j, iscale
// −32/max = 4·2^j, codes l' = 4(l−8) (an exact fit, which no other trial
// scale beats) and scale 2^−j/4. So max_scale = 1/4, iscale = −128/(1/4) =
// −512, d = −1/512 (a float16 exactly), int8 scales −128·2^−j: −128, −64,
// …, −1 for j ≤ 7, then NearestInt(−0.5) = 0 (half to even) and 0 below:
// sub-blocks 8..15 keep makeQxQuants' codes and dequantize to 0. Sub-blocks
// 0..7 round-trip exactly.
func TestQuantizeQ6_KHand(t *testing.T) {
	x := make([]float32, 256)
	for i := range x {
		x[i] = float32(math.Ldexp(float64(i%16-8), -(i / 16)))
	}
	blk := make([]byte, Q6_KBlockBytes)
	QuantizeQ6_K(blk, x)
	if d := binary.LittleEndian.Uint16(blk[208:]); d != uint16(float16.Fromfloat32(-1.0/512)) {
		t.Errorf("d = %#04x, want float16(−1/512) = %#04x", d, uint16(float16.Fromfloat32(-1.0/512)))
	}
	for j := 0; j < 16; j++ {
		want := 0
		if j <= 7 {
			want = -128 >> j
		}
		if got := int(int8(blk[192+j])); got != want {
			t.Errorf("scale %d = %d, want %d", j, got, want)
		}
	}
	for i := range x {
		if got, want := Q6_KCode(blk, i), 4*(i%16-8)+32; got != want {
			t.Fatalf("code %d = %d, want %d", i, got, want)
		}
	}
	out := make([]float32, 256)
	DequantizeQ6_K(out, blk)
	for i, v := range out {
		want := x[i]
		if i >= 128 {
			want = 0
		}
		if v != want {
			t.Fatalf("value %d = %v, want %v", i, v, want)
		}
	}
	// All zero: an all-zero block.
	clear(x)
	QuantizeQ6_K(blk, x)
	for i, b := range blk {
		if b != 0 {
			t.Fatalf("zero input: byte %d = %#x", i, b)
		}
	}
}

// Round trip of Gaussian rows: every value within one quantization step
// d·scale of its sub-block (half a step plus the scale's own rounding), and
// the whole within NMSE 1e-3 (6 bits: about 2e-4).
func TestQ6_KRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 256 * 64
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64() * math.Pow(10, float64(i/256%5-2)))
	}
	blk := make([]byte, Q6_KSize(n))
	QuantizeQ6_K(blk, x)
	out := make([]float32, n)
	DequantizeQ6_K(out, blk)
	var se, ss float64
	for i, v := range x {
		b := blk[i/256*Q6_KBlockBytes:]
		step := math.Abs(float64(float16.Frombits(binary.LittleEndian.Uint16(b[208:])).Float32()) * float64(int8(b[192+i%256/16])))
		if e := math.Abs(float64(v - out[i])); e > step {
			t.Fatalf("value %d: %v → %v, step %v", i, v, out[i], step)
		}
		se += float64(v-out[i]) * float64(v-out[i])
		ss += float64(v) * float64(v)
	}
	if nmse := se / ss; nmse > 1e-3 {
		t.Errorf("NMSE %v", nmse)
	}
}

// fma32 rounds a·b + c once, like C's fmaf, also where rounding the sum to
// float64 first would land on a float32 midpoint (checked against
// math/big, and such cases are among those tested).
func TestFMA32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	exact := func(a, b, c float32) float32 {
		p := new(big.Float).SetPrec(200).Mul(big.NewFloat(float64(a)), big.NewFloat(float64(b)))
		p.Add(p, big.NewFloat(float64(c)))
		f, _ := p.Float32()
		return f
	}
	doubled := 0
	for i := 0; i < 200000; i++ {
		// a·b = 2⁻²⁴(1 − m²·2⁻⁴⁶): c + a·b is within 2⁻⁵³ of the float32
		// midpoint c + 2⁻²⁴, so the float64 sum is that midpoint.
		m := float64(1 + r.IntN(300))
		c := float32(1 + float64(r.IntN(1<<23))/(1<<23))
		a := float32(1 + m/(1<<23))
		b := float32((1 - m/(1<<23)) / (1 << 24))
		if r.IntN(2) == 0 {
			a, c = -a, -c
		}
		if i%2 == 0 {
			a, b, c = float32(r.NormFloat64()), float32(r.NormFloat64()), float32(r.NormFloat64())
		}
		want := exact(a, b, c)
		if got := fma32(a, b, c); got != want {
			t.Fatalf("fma32(%v, %v, %v) = %v, want %v", a, b, c, got, want)
		}
		if float32(float64(a)*float64(b)+float64(c)) != want {
			doubled++
		}
	}
	if doubled == 0 {
		t.Error("no case where rounding through float64 differs: the test does not exercise fma32's rounding to odd")
	}
	t.Logf("%d cases where rounding through float64 would differ", doubled)
}
