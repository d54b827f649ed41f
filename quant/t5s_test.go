package quant

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestT5SBytesByHand(t *testing.T) {
	vals := make([]int8, T5SBlockValues)
	// Byte 0 holds values 0, 32, 64, 96, 128: -1, 0, 1, -1, 1 → codes
	// 0, 1, 2, 0, 2 → v = 0·81 + 1·27 + 2·9 + 0·3 + 2 = 47 →
	// q = ⌈47·256/243⌉ = ⌈49.51⌉ = 50.
	vals[0], vals[32], vals[64], vals[96], vals[128] = -1, 0, 1, -1, 1
	// Byte 1: all +1 → v = 242 → q = ⌈254.95⌉ = 255. Byte 2: all -1 → 0.
	for i := 0; i < 5; i++ {
		vals[1+32*i], vals[2+32*i] = 1, -1
	}
	// Byte 3 and the rest: zeros → v = 121 → q = ⌈127.47⌉ = 128.
	dst := make([]byte, T5SBlockBytes)
	PackT5S(dst, vals, 1, T5SBlockValues)
	want := []byte{50, 255, 0, 128}
	for i, w := range want {
		if dst[i] != w {
			t.Errorf("byte %d = %d, want %d", i, dst[i], w)
		}
	}
	for i := 4; i < len(dst); i++ {
		if dst[i] != 128 {
			t.Errorf("byte %d = %d, want 128 (five zeros)", i, dst[i])
		}
	}
	// Digits of 50 by the multiply-shift: 150>>8=0; u=150: 450>>8=1;
	// u=194: 582>>8=2; u=70: 210>>8=0; u=210: 630>>8=2.
	for i, w := range []byte{0, 1, 2, 0, 2} {
		if d := T5SDigit(50, i); d != w {
			t.Errorf("digit %d of 50 = %d, want %d", i, d, w)
		}
	}
}

func TestT5SAllCodesRoundTrip(t *testing.T) {
	seen := map[byte]bool{}
	for v := 0; v < 243; v++ {
		var c [5]byte
		for i, x := 4, v; i >= 0; i, x = i-1, x/3 {
			c[i] = byte(x % 3)
		}
		q := T5SEncode(c)
		if seen[q] {
			t.Fatalf("code %d encodes to byte %d twice", v, q)
		}
		seen[q] = true
		if !T5SValid(q) {
			t.Errorf("byte %d of code %d is not valid", q, v)
		}
		for i := range c {
			if d := T5SDigit(q, i); d != c[i] {
				t.Errorf("code %d (byte %d) digit %d = %d, want %d", v, q, i, d, c[i])
			}
		}
	}
	n := 0
	for q := 0; q < 256; q++ {
		if T5SValid(byte(q)) {
			n++
		}
	}
	if n != 243 {
		t.Errorf("%d valid bytes, want 243", n)
	}
}

func TestT5SRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, cols := range []int{1, 31, 32, 33, 159, 160, 161, 256, 320, 2560, 6912} {
		for _, rows := range []int{1, 3, 8} {
			vals := randomTernary(r, rows*cols)
			pc := T5SPaddedCols(cols)
			if pc%T5SBlockValues != 0 || pc < cols || pc-cols >= T5SBlockValues {
				t.Fatalf("padded %d → %d", cols, pc)
			}
			packed := make([]byte, rows*pc/5)
			for i := range packed {
				packed[i] = 0xAA // Pack must write every byte
			}
			PackT5S(packed, vals, rows, cols)
			got := make([]int8, rows*cols)
			if err := UnpackT5S(got, packed, rows, cols); err != nil {
				t.Fatal(err)
			}
			for i := range vals {
				if got[i] != vals[i] {
					t.Fatalf("%d×%d: value %d = %d, want %d", rows, cols, i, got[i], vals[i])
				}
			}
			// The padding decodes to zeros.
			for row := 0; row < rows; row++ {
				rb := packed[row*pc/5 : (row+1)*pc/5]
				for j := cols; j < pc; j++ {
					blk, i := j/T5SBlockValues, j%T5SBlockValues
					if d := T5SDigit(rb[blk*T5SBlockBytes+i%32], i/32); d != 1 {
						t.Fatalf("%d×%d: row %d padding value %d has code %d, want 1", rows, cols, row, j, d)
					}
				}
			}
		}
	}
}

func TestUnpackT5SErrors(t *testing.T) {
	vals := make([]int8, T5SBlockValues)
	packed := make([]byte, T5SBlockBytes)
	PackT5S(packed, vals, 1, T5SBlockValues)
	bad := 0
	for q := 0; q < 256; q++ {
		if T5SValid(byte(q)) {
			continue
		}
		bad++
		packed[7] = byte(q)
		err := UnpackT5S(vals, packed, 1, T5SBlockValues)
		if err == nil || !strings.Contains(err.Error(), "byte 7") {
			t.Errorf("byte %d: err %v, want an error naming byte 7", q, err)
		}
	}
	if bad != 13 {
		t.Errorf("%d invalid bytes, want 13", bad)
	}
	if err := UnpackT5S(vals, packed[:31], 1, T5SBlockValues); err == nil {
		t.Error("short data: no error")
	}
}

// FuzzUnpackT5S: UnpackT5S of any bytes errors exactly when a byte is one
// PackT5S never writes, and otherwise PackT5S of its result gives the bytes
// back (padding values excepted: they are dropped).
func FuzzUnpackT5S(f *testing.F) {
	f.Add(uint8(1), uint8(160), []byte{128})
	f.Add(uint8(2), uint8(33), []byte{0, 255, 1, 50})
	f.Fuzz(func(t *testing.T, rows8, cols8 uint8, data []byte) {
		rows, cols := int(rows8%4)+1, int(cols8)+1
		rb := T5SPaddedCols(cols) / 5
		packed := make([]byte, rows*rb)
		for i := range packed {
			packed[i] = 128 // five zeros
			if len(data) > 0 {
				packed[i] = data[i%len(data)]
			}
		}
		// Only the bytes holding real values (not pure padding) matter for
		// the round trip; UnpackT5S checks every byte of the row.
		valid := true
		for _, q := range packed {
			valid = valid && T5SValid(q)
		}
		vals := make([]int8, rows*cols)
		err := UnpackT5S(vals, packed, rows, cols)
		if (err == nil) != valid {
			t.Fatalf("err %v, but valid = %v", err, valid)
		}
		if err != nil {
			return
		}
		again := make([]byte, len(packed))
		PackT5S(again, vals, rows, cols)
		for r := 0; r < rows; r++ {
			for j := 0; j < cols; j++ {
				blk, i := j/T5SBlockValues, j%T5SBlockValues
				p := r*rb + blk*T5SBlockBytes + i%32
				if T5SDigit(again[p], i/32) != T5SDigit(packed[p], i/32) {
					t.Fatalf("row %d value %d: digit changed by the round trip", r, j)
				}
			}
		}
	})
}
