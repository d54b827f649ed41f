package quant

import (
	"math/rand/v2"
	"testing"
)

func TestT3SBytesByHand(t *testing.T) {
	// One group (k = 96, one chunk of g = 1: 32 codes, value i of code j at
	// column 32·i + j).
	vals := make([]int8, T3SGroupValues)
	// Code 0: -1, 0, 1 → d = 0, 1, 2 → c = 0 + 3 + 18 = 21 = 0b1_0101.
	vals[0], vals[32], vals[64] = -1, 0, 1
	// Code 1: all +1 → 26 = 0b1_1010. Code 16: all -1 → 0. The rest: 13 = 0b0_1101.
	vals[1], vals[33], vals[65] = 1, 1, 1
	vals[16], vals[48], vals[80] = -1, -1, -1
	dst := make([]byte, T3SGroupBytes)
	PackT3S(dst, vals, 1, T3SGroupValues)
	want := []byte{0x05, 0xda} // byte b: code b low, code b+16 high
	for i := 2; i < 16; i++ {
		want = append(want, 0xdd)
	}
	want = append(want, 0x03, 0, 0, 0) // bit 4 of codes 0 and 1
	for i, w := range want {
		if dst[i] != w {
			t.Errorf("byte %d = %#02x, want %#02x", i, dst[i], w)
		}
	}
	for j, w := range map[int]byte{0: 21, 1: 26, 16: 0, 2: 13, 31: 13} {
		if c := T3SCode(dst, 1, j); c != w {
			t.Errorf("code %d = %d, want %d", j, c, w)
		}
	}
	for i, w := range []int8{-1, 0, 1} {
		if v := T3SValue(21, i); v != w {
			t.Errorf("value %d of code 21 = %d, want %d", i, v, w)
		}
	}
}

func TestT3SChunks(t *testing.T) {
	// 2560 values: 27 groups, six chunks of four and one of three (the last
	// holds columns 2304… with value i of code j at 2304 + 96·i + j).
	k := T3SPaddedCols(2560)
	if k != 2592 || T3SRowBytes(k) != 540 {
		t.Fatalf("2560 columns: padded %d (%d bytes), want 2592 (540)", k, T3SRowBytes(k))
	}
	for _, c := range []struct{ col, off, g, j, i int }{
		{0, 0, 4, 0, 0}, {127, 0, 4, 127, 0}, {128, 0, 4, 0, 1}, {383, 0, 4, 127, 2},
		{384, 80, 4, 0, 0}, {2304, 480, 3, 0, 0}, {2304 + 96 + 5, 480, 3, 5, 1}, {2591, 480, 3, 95, 2},
	} {
		off, g, j, i := t3sChunk(c.col, k)
		if off != c.off || g != c.g || j != c.j || i != c.i {
			t.Errorf("column %d: chunk at %d of %d groups, code %d value %d; want %d, %d, %d, %d", c.col, off, g, j, i, c.off, c.g, c.j, c.i)
		}
	}
	// A value set in the packed row comes back at its column only.
	vals := make([]int8, 2560)
	vals[2304+96+5] = 1
	packed := make([]byte, 540)
	PackT3S(packed, vals, 1, 2560)
	if c := T3SCode(packed[480:540], 3, 5); c != 13+3 {
		t.Errorf("code 5 of the last chunk = %d, want 16", c)
	}
}

func TestT3SRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, cols := range []int{1, 95, 96, 97, 191, 192, 288, 383, 384, 385, 480, 2560, 6912} {
		for _, rows := range []int{1, 3, 8} {
			vals := randomTernary(r, rows*cols)
			k := T3SPaddedCols(cols)
			if k%T3SGroupValues != 0 || k < cols || k-cols >= T3SGroupValues {
				t.Fatalf("cols %d: padded to %d", cols, k)
			}
			packed := make([]byte, rows*T3SRowBytes(k))
			for i := range packed {
				packed[i] = 0xff // PackT3S must write every byte
			}
			PackT3S(packed, vals, rows, cols)
			got := make([]int8, rows*cols)
			if err := UnpackT3S(got, packed, rows, cols); err != nil {
				t.Fatalf("%d×%d: %v", rows, cols, err)
			}
			for i := range vals {
				if got[i] != vals[i] {
					t.Fatalf("%d×%d: value %d = %d, want %d", rows, cols, i, got[i], vals[i])
				}
			}
			// Padding decodes to zero weights.
			for r := 0; r < rows; r++ {
				row := packed[r*T3SRowBytes(k) : (r+1)*T3SRowBytes(k)]
				for col := cols; col < k; col++ {
					off, g, j, i := t3sChunk(col, k)
					if v := T3SValue(T3SCode(row[off:off+20*g], g, j), i); v != 0 {
						t.Fatalf("%d×%d: padding column %d of row %d decodes to %d", rows, cols, col, r, v)
					}
				}
			}
		}
	}
}

func TestT3SUnpackRejectsBadCode(t *testing.T) {
	packed := make([]byte, T3SGroupBytes)
	PackT3S(packed, make([]int8, 96), 1, 96)
	packed[16] |= 1 // code 0 becomes 13 + 16 = 29
	if err := UnpackT3S(make([]int8, 96), packed, 1, 96); err == nil {
		t.Fatal("code 29 accepted")
	}
	if err := UnpackT3S(make([]int8, 96), packed[:10], 1, 96); err == nil {
		t.Fatal("short data accepted")
	}
}

// FuzzUnpackT3S: UnpackT3S of any bytes errors exactly when a code of the
// row is above 26, and otherwise PackT3S of its result gives back every
// code of a real column.
func FuzzUnpackT3S(f *testing.F) {
	f.Add(uint8(1), uint8(96), []byte{0xdd})
	f.Add(uint8(2), uint8(200), []byte{0, 255, 1, 50})
	f.Fuzz(func(t *testing.T, rows8, cols8 uint8, data []byte) {
		rows, cols := int(rows8%4)+1, int(cols8)*3+1
		k := T3SPaddedCols(cols)
		rb := T3SRowBytes(k)
		packed := make([]byte, rows*rb)
		for i := range packed {
			if len(data) > 0 {
				packed[i] = data[i%len(data)]
			}
		}
		valid := true
		for r := 0; r < rows; r++ {
			for col := 0; col < k; col++ {
				off, g, j, _ := t3sChunk(col, k)
				valid = valid && T3SCode(packed[r*rb+off:], g, j) <= 26
			}
		}
		vals := make([]int8, rows*cols)
		err := UnpackT3S(vals, packed, rows, cols)
		if (err == nil) != valid {
			t.Fatalf("err %v, but valid = %v", err, valid)
		}
		if err != nil {
			return
		}
		again := make([]byte, len(packed))
		PackT3S(again, vals, rows, cols)
		for r := 0; r < rows; r++ {
			for col := 0; col < cols; col++ {
				off, g, j, i := t3sChunk(col, k)
				a, b := T3SCode(again[r*rb+off:], g, j), T3SCode(packed[r*rb+off:], g, j)
				if T3SValue(a, i) != T3SValue(b, i) {
					t.Fatalf("row %d column %d: value changed by the round trip", r, col)
				}
			}
		}
	})
}
