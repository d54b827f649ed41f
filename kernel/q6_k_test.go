package kernel

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bitnet-go/bitnet/quant"
	"github.com/x448/float16"
)

func TestQ6_KBlockMatchesQuant(t *testing.T) {
	if q6kBlockValues != quant.Q6_KBlockValues || q6kBlockBytes != quant.Q6_KBlockBytes {
		t.Fatalf("kernel's Q6_K block %d values/%d bytes, quant's %d/%d", q6kBlockValues, q6kBlockBytes, quant.Q6_KBlockValues, quant.Q6_KBlockBytes)
	}
}

// nearestInt rounds half to even in ggml's range, and agrees with
// quant.NearestInt everywhere (both are ggml's nearest_int).
func TestNearestInt(t *testing.T) {
	for _, c := range []struct {
		f    float32
		want int
	}{{0.5, 0}, {1.5, 2}, {2.5, 2}, {-0.5, 0}, {-1.5, -2}, {-2.5, -2}, {0.49999997, 0}, {126.5, 126}, {127.5, 128}, {-127.49, -127}, {4194303, 4194303}, {-4194303, -4194303}} {
		if got := nearestInt(c.f); got != c.want {
			t.Errorf("nearestInt(%v) = %d, want %d", c.f, got, c.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		f := float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(7))))
		if math.Abs(float64(f)) > 4194303 {
			continue
		}
		if got, want := nearestInt(f), int(math.RoundToEven(float64(f))); got != want || quant.NearestInt(f) != want {
			t.Fatalf("nearestInt(%v) = %d (quant %d), want %d", f, got, quant.NearestInt(f), want)
		}
	}
}

// A block whose values are known: max −2 (the value of largest magnitude,
// with its sign) gives iscale = −127/−2 = 63.5, so 1 → 64 (63.5 rounds half
// to even), −2 → −127, 0.5 → 32 (31.75), −0.5 → −32, D = 1/63.5.
func TestQuantizeQ8_KHand(t *testing.T) {
	x := make([]float32, 512) // block 1 stays zero
	x[0], x[1], x[2], x[17] = 1, -2, 0.5, -0.5
	q := NewQ8K(512)
	for i := range q.BSums {
		q.BSums[i] = 99 // must be overwritten, also in the zero block
	}
	QuantizeQ8_K(q, x)
	want := map[int]int8{0: 64, 1: -127, 2: 32, 17: -32}
	for i, v := range q.Q {
		if v != want[i] {
			t.Errorf("q[%d] = %d, want %d", i, v, want[i])
		}
	}
	if q.D[0] != float32(1/float32(63.5)) || q.D[1] != 0 {
		t.Errorf("D = %v, want [%v 0]", q.D, float32(1/float32(63.5)))
	}
	wantSums := make([]int16, 32)
	wantSums[0], wantSums[1] = 64-127+32, -32
	for i, s := range q.BSums {
		if s != wantSums[i] {
			t.Errorf("bsums[%d] = %d, want %d", i, s, wantSums[i])
		}
	}
}

// QuantizeQ8_K's values stay in [−127, 127] and dequantize within half a
// step of x.
func TestQuantizeQ8_KBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, 2560)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 3)
	}
	q := NewQ8K(len(x))
	QuantizeQ8_K(q, x)
	for i, v := range x {
		d := q.D[i/256]
		if q.Q[i] < -127 || math.Abs(float64(v-d*float32(q.Q[i]))) > 0.5001*math.Abs(float64(d)) {
			t.Fatalf("x[%d] = %v: q %d, d %v", i, v, q.Q[i], d)
		}
	}
}

// A block built by hand: every code 33 (q − 32 = 1), scales 1..16, d = 1;
// x = 1 everywhere with D = 0.5: isum = 16·(1+…+16) = 2176, result 1088.
// Then code 0 (q − 32 = −32) at value 17 of sub-block 1 (scale 2) with x = 3
// there: isum changes by 2·(−32·3 − 1·1) = −194.
func TestMatVecQ6_KHand(t *testing.T) { eachPath(t, testMatVecQ6_KHand) }

func testMatVecQ6_KHand(t *testing.T) {
	blk := make([]byte, q6kBlockBytes)
	for i := 0; i < 256; i++ {
		setQ6K(blk, i, 33)
	}
	for j := 0; j < 16; j++ {
		blk[q6kScales+j] = byte(j + 1)
	}
	binary.LittleEndian.PutUint16(blk[q6kD:], uint16(float16.Fromfloat32(1)))
	x := NewQ8K(256)
	for i := range x.Q {
		x.Q[i] = 1
	}
	for j := range x.BSums[:16] {
		x.BSums[j] = 16
	}
	x.D[0] = 0.5
	dst := make([]float32, 1)
	MatVecQ6_K(dst, blk, x, 256)
	if dst[0] != 1088 {
		t.Fatalf("all-ones block: %v, want 1088", dst[0])
	}
	setQ6K(blk, 17, 0)
	x.Q[17] = 3
	x.BSums[1] = 18
	MatVecQ6_K(dst, blk, x, 256)
	if want := float32(0.5 * (2176 - 194)); dst[0] != want {
		t.Fatalf("with one code 0: %v, want %v", dst[0], want)
	}
	// The layout, as quant reads it.
	if quant.Q6_KCode(blk, 17) != 0 || quant.Q6_KCode(blk, 16) != 33 {
		t.Fatal("setQ6K and quant.Q6_KCode disagree")
	}
}

// setQ6K writes code q of value i of a block in the Q6_K layout.
func setQ6K(blk []byte, i, q int) {
	h, r := i/128, i%128
	l, m := r%32, r/32
	p := 64*h + l + 32*(m&1)
	sh := 4 * (m >> 1)
	blk[p] = blk[p]&^(0xF<<sh) | byte(q&0xF)<<sh
	hp := 128 + 32*h + l
	blk[hp] = blk[hp]&^(3<<(2*m)) | byte(q>>4)<<(2*m)
}

// Every path, with every prefetch variant, is bit-identical to
// MatVecQ6_KRef, and the reference is the exact dot product up to float32
// rounding.
func TestMatVecQ6_K(t *testing.T) {
	eachPath(t, func(t *testing.T) { eachPrefetch(t, StreamHead, testMatVecQ6_K) })
}

func testMatVecQ6_K(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, k := range []int{256, 512, 1024, 2560, 3072} {
		for _, rows := range []int{1, 2, 7, 33} {
			w := make([]byte, rows*k/256*q6kBlockBytes+5)
			for i := range w {
				w[i] = byte(r.IntN(256))
			}
			for b := 0; b < rows*k/256; b++ { // finite float16 d
				w[b*q6kBlockBytes+q6kD+1] = byte(r.IntN(0x78))
			}
			x := make([]float32, k)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			x[r.IntN(k)] = 0
			if k >= 512 {
				clear(x[256:512]) // a zero block: D = 0
			}
			xq := NewQ8K(k)
			QuantizeQ8_K(xq, x)
			checkQ6K(t, w, xq, k, rows)
			// Extreme activations: all −128 or 127 (consistent BSums).
			for i := range xq.Q {
				xq.Q[i] = int8(-128 + 255*(i/7%2))
			}
			for j := range xq.BSums {
				var s int16
				for _, v := range xq.Q[16*j : 16*j+16] {
					s += int16(v)
				}
				xq.BSums[j] = s
			}
			checkQ6K(t, w, xq, k, rows)
		}
	}
}

func checkQ6K(t *testing.T, w []byte, x Q8K, k, rows int) {
	t.Helper()
	dst := make([]float32, rows+1)
	dst[rows] = -7
	MatVecQ6_K(dst[:rows], w, x, k)
	if dst[rows] != -7 {
		t.Fatal("wrote past dst")
	}
	ref := make([]float32, rows)
	MatVecQ6_KRef(ref, w, x, k)
	table := F16Table()
	for i := range ref {
		if math.Float32bits(ref[i]) != math.Float32bits(dst[i]) {
			t.Fatalf("k=%d rows=%d row %d: %v, reference %v", k, rows, i, dst[i], ref[i])
		}
		var exact, mag float64
		for b := 0; b < k/256; b++ {
			blk := w[(i*k/256+b)*q6kBlockBytes:]
			d := float64(table[binary.LittleEndian.Uint16(blk[q6kD:])]) * float64(x.D[b])
			for v := 0; v < 256; v++ {
				p := d * float64(int8(blk[q6kScales+v/16])) * float64(quant.Q6_KCode(blk, v)-32) * float64(x.Q[b*256+v])
				exact += p
				mag += math.Abs(p)
			}
		}
		if math.Abs(float64(ref[i])-exact) > mag*1e-6 {
			t.Fatalf("k=%d row %d: reference %v, exact %v", k, i, ref[i], exact)
		}
	}
}

// BenchmarkMatVecQ6_KLMHead streams a 2B4T-sized Q6_K head (128256 × 2560)
// on one thread: compare its GB/s with BenchmarkMemRead's.
func BenchmarkMatVecQ6_KLMHead(b *testing.B) {
	const rows, k = 128256, 2560
	w := hugeBytes(rows * k / 256 * q6kBlockBytes)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range w {
		w[i] = byte(r.Uint32())
	}
	for i := 0; i < rows*k/256; i++ {
		w[i*q6kBlockBytes+q6kD+1] = 0x20
	}
	x := make([]float32, k)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	xq := NewQ8K(k)
	QuantizeQ8_K(xq, x)
	dst := make([]float32, rows)
	eachBenchPath(b, func(b *testing.B) {
		b.SetBytes(int64(len(w)))
		for b.Loop() {
			MatVecQ6_K(dst, w, xq, k)
		}
	})
}

// FuzzMatVecQ6_K compares every path with MatVecQ6_KRef, bit for bit, on
// fuzzer-made Q6_K rows (any quant, scale and high-bit bytes; the float16
// d kept finite, as a quantizer writes it) and activations.
func FuzzMatVecQ6_K(f *testing.F) {
	f.Add(uint8(0), uint8(0), []byte{0x00}, []byte{0x00})
	f.Add(uint8(5), uint8(1), []byte{0xff, 0x80, 0x7f, 0x01}, []byte{0x3f, 0xc0, 0x00, 0x41})
	f.Add(uint8(33), uint8(2), []byte{0x12, 0x34, 0x56}, []byte{0x80, 0x7f})
	f.Fuzz(func(t *testing.T, rows8, blocks8 uint8, wseed, xseed []byte) {
		rows := int(rows8%40) + 1
		k := q6kBlockValues * (int(blocks8%11) + 1) // up to 11 blocks: the AVX-512 kernel's groups of four and the rest
		w := make([]byte, rows*k/q6kBlockValues*q6kBlockBytes)
		for i := range w {
			if len(wseed) > 0 {
				w[i] = wseed[i%len(wseed)] ^ byte(i/len(wseed)*29)
			}
		}
		for b := q6kBlockBytes - 2; b < len(w); b += q6kBlockBytes {
			w[b+1] &^= 0x40 // exponent below 31: d finite, |d| < 2
		}
		x := make([]float32, k)
		for i := range x {
			if len(xseed) > 0 {
				x[i] = float32(int8(xseed[i%len(xseed)]+byte(i/len(xseed)))) / 16
			}
		}
		xq := NewQ8K(k)
		QuantizeQ8_K(xq, x)
		want := make([]float32, rows)
		MatVecQ6_KRef(want, w, xq, k)
		for _, name := range Paths() {
			restore, err := Use(name)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float32, rows)
			MatVecQ6_K(got, w, xq, k)
			restore()
			for r := range got {
				if math.Float32bits(got[r]) != math.Float32bits(want[r]) {
					t.Fatalf("%s rows=%d k=%d: row %d is %v, reference %v", name, rows, k, r, got[r], want[r])
				}
			}
		}
	})
}
