package hf

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/x448/float16"
)

func TestFloat32FromF16Exhaustive(t *testing.T) {
	for u := 0; u < 1<<16; u++ {
		got := Float32FromF16(uint16(u))
		want := float16.Frombits(uint16(u)).Float32()
		if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
			t.Fatalf("%#04x: %v (%#x), want %v (%#x)", u, got, math.Float32bits(got), want, math.Float32bits(want))
		}
		if got != got && math.Float32bits(got)>>13&0x3ff != uint32(u&0x3ff) {
			t.Fatalf("%#04x: NaN payload lost", u)
		}
	}
}

func TestBF16RoundTrip(t *testing.T) {
	for u := 0; u < 1<<16; u++ {
		f := Float32FromBF16(uint16(u))
		got := BF16FromFloat32(f)
		if f != f {
			if Float32FromBF16(got) == Float32FromBF16(got) {
				t.Fatalf("%#04x: NaN not kept", u)
			}
			continue
		}
		if got != uint16(u) {
			t.Fatalf("%#04x → %v → %#04x", u, f, got)
		}
	}
}

func TestBF16Rounding(t *testing.T) {
	for _, tc := range []struct {
		in   uint32
		want uint16
	}{
		{0x3f808000, 0x3f80}, // exact tie, even below
		{0x3f818000, 0x3f82}, // exact tie, even above
		{0x3f808001, 0x3f81}, // just above the tie
		{0x3f807fff, 0x3f80}, // just below the tie
		{0xbf818000, 0xbf82}, // negative tie
		{0x7f7fffff, 0x7f80}, // max float32 rounds to +Inf
		{0x7f7f0000, 0x7f7f}, // max bfloat16 stays
		{0x00000001, 0x0000}, // smallest subnormal rounds to 0
		{0x00008000, 0x0000}, // subnormal tie to even (0)
		{0x00018000, 0x0002}, // subnormal tie to even (2)
		{0x7f800000, 0x7f80}, // +Inf
		{0xff800000, 0xff80}, // -Inf
	} {
		if got := BF16FromFloat32(math.Float32frombits(tc.in)); got != tc.want {
			t.Errorf("%#08x → %#04x, want %#04x", tc.in, got, tc.want)
		}
	}
	// A NaN whose payload sits only in the low half must stay NaN.
	if got := BF16FromFloat32(math.Float32frombits(0x7f800001)); got&0x7f80 != 0x7f80 || got&0x7f == 0 {
		t.Errorf("signalling NaN → %#04x", got)
	}
	if got := BF16FromFloat32(math.Float32frombits(0xff800001)); got&0x8000 == 0 {
		t.Errorf("negative NaN lost its sign: %#04x", got)
	}
}

// TestDecodeBF16 checks the 4-wide BF16 path against the scalar widening on
// every finite bit pattern, and that a non-finite value is reported at its
// exact index wherever it sits.
func TestDecodeBF16(t *testing.T) {
	var raw []byte
	var want []float32
	for u := 0; u < 1<<16; u++ {
		if u&0x7f80 == 0x7f80 {
			continue
		}
		raw = binary.LittleEndian.AppendUint16(raw, uint16(u))
		want = append(want, Float32FromBF16(uint16(u)))
	}
	for _, n := range []int{len(want), len(want) - 1, len(want) - 3, 5, 3, 1, 0} {
		got := make([]float32, n)
		if err := decodeFloat32("x", "BF16", []int{n}, raw[:2*n], got); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d [%d] = %v, want %v", n, i, got[i], want[i])
			}
		}
	}
	for _, bad := range []uint16{0x7fc0, 0x7f80, 0xff80, 0xffff, 0x7f81} {
		for p := range 13 {
			buf := AppendBF16(nil, make([]float32, 13))
			binary.LittleEndian.PutUint16(buf[2*p:], bad)
			if p+1 < 13 {
				binary.LittleEndian.PutUint16(buf[2*p+2:], 0x7fc0) // a later NaN must not be reported first
			}
			err := decodeFloat32("x", "BF16", []int{13}, buf, make([]float32, 13))
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("element %d ", p)) {
				t.Errorf("bits %#04x at %d: %v", bad, p, err)
			}
		}
	}
}
