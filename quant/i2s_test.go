package quant

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/kernel"
)

func randomTernary(r *rand.Rand, n int) []int8 {
	t := make([]int8, n)
	for i := range t {
		t[i] = int8(r.IntN(3)) - 1
	}
	return t
}

func TestPackByteLayoutByHand(t *testing.T) {
	for _, tc := range []struct {
		l      Layout
		stride int
	}{{LayoutX86, 32}, {LayoutARM, 16}} {
		n := tc.l.BlockValues()
		vals := make([]int8, n)
		// Values p, p+stride, p+2·stride, p+3·stride of byte 0: -1, 0, 1, -1
		// → codes 0, 1, 2, 0 → bits 00 01 10 00.
		vals[0], vals[tc.stride], vals[2*tc.stride], vals[3*tc.stride] = -1, 0, 1, -1
		// Byte 1 keeps all zeros (code 1 in every field = 0b01010101) except value 1.
		vals[1] = 1
		dst := make([]byte, n/4)
		Pack(dst, vals, 1, n, tc.l)
		if dst[0] != 0b00011000 {
			t.Errorf("%s byte 0 = %08b, want 00011000", tc.l, dst[0])
		}
		if dst[1] != 0b10010101 {
			t.Errorf("%s byte 1 = %08b, want 10010101", tc.l, dst[1])
		}
	}
}

func TestPackUnpackRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, l := range []Layout{LayoutX86, LayoutARM} {
		for _, shape := range [][2]int{{1, 64}, {3, 128}, {5, 192}, {7, 520}, {2, 2560}, {4, 1}} {
			rows, cols := shape[0], shape[1]
			vals := randomTernary(r, rows*cols)
			packed := make([]byte, rows*l.PaddedCols(cols)/4)
			Pack(packed, vals, rows, cols, l)
			got := make([]int8, rows*cols)
			if err := Unpack(got, packed, rows, cols, l); err != nil {
				t.Fatal(err)
			}
			for i := range vals {
				if got[i] != vals[i] {
					t.Fatalf("%s %dx%d: value %d = %d, want %d", l, rows, cols, i, got[i], vals[i])
				}
			}
		}
	}
}

func TestUnpackRejectsCode3AndShortData(t *testing.T) {
	if err := Unpack(make([]int8, 128), make([]byte, 10), 1, 128, LayoutX86); err == nil {
		t.Error("short data accepted")
	}
	bad := make([]byte, 32)
	bad[5] = 0xff
	if err := Unpack(make([]int8, 128), bad, 1, 128, LayoutX86); err == nil {
		t.Error("code 3 accepted")
	}
}

// TestPackFeedsKernel checks the x86 layout against the kernel reference's
// decoder, padded rows included: the dot product of the packed matrix with
// activations (zero in the padding) equals the plain integer sum.
func TestPackFeedsKernel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, cols := range []int{128, 192, 520, 640} {
		rows := 9
		vals := randomTernary(r, rows*cols)
		pc := LayoutX86.PaddedCols(cols)
		packed := make([]byte, rows*pc/4)
		Pack(packed, vals, rows, cols, LayoutX86)
		x := make([]int8, pc)
		for j := 0; j < cols; j++ {
			x[j] = int8(r.IntN(256) - 128)
		}
		got := make([]int32, rows)
		kernel.MatVecRef(got, packed, x, pc)
		for i := 0; i < rows; i++ {
			var want int32
			for j := 0; j < cols; j++ {
				want += int32(vals[i*cols+j]) * int32(x[j])
			}
			if got[i] != want {
				t.Fatalf("cols %d row %d: kernel %d, want %d", cols, i, got[i], want)
			}
		}
	}
}

func TestRepackARMToX86(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	rows, cols := 6, 192
	vals := randomTernary(r, rows*cols)
	arm := make([]byte, rows*LayoutARM.PaddedCols(cols)/4)
	Pack(arm, vals, rows, cols, LayoutARM)
	x86, err := Repack(arm, rows, cols, LayoutARM, LayoutX86)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, rows*LayoutX86.PaddedCols(cols)/4)
	Pack(want, vals, rows, cols, LayoutX86)
	if string(x86) != string(want) {
		t.Fatal("Repack(arm→x86) differs from packing x86 directly")
	}
}

func TestHFPackedRoundTripAndRowOrder(t *testing.T) {
	// out=8, in=3: row k·2+r lives in bits 2k of packed row r.
	out, in := 8, 3
	vals := make([]int8, out*in)
	vals[2*in+1] = 1  // row 2 = k 1, r 0 → packed row 0, bits 2..3
	vals[7*in+2] = -1 // row 7 = k 3, r 1 → packed row 1, bits 6..7
	packed := PackHF(vals, out, in)
	if got := packed[0*in+1] >> 2 & 3; got != 2 {
		t.Errorf("row 2 col 1 code = %d, want 2", got)
	}
	if got := packed[1*in+2] >> 6 & 3; got != 0 {
		t.Errorf("row 7 col 2 code = %d, want 0", got)
	}
	got := make([]int8, out*in)
	if err := UnpackHF(got, packed, out, in); err != nil {
		t.Fatal(err)
	}
	for i := range vals {
		if got[i] != vals[i] {
			t.Fatalf("value %d = %d, want %d", i, got[i], vals[i])
		}
	}
	if err := UnpackHF(got, packed[:5], out, in); err == nil {
		t.Error("short packed data accepted")
	}
}

// FuzzUnpack unpacks fuzzer-made I2_S data and checks that repacking gives
// the same codes. Seeds: the first rows of the bundled models' expected
// ternary codes (golden/expected), packed in both layouts. rows and cols
// are capped (8, 1024), so no input drives a large allocation.
func FuzzUnpack(f *testing.F) {
	f.Add([]byte{0x55, 0x1b, 0xff}, uint8(1), uint16(128), false)
	for _, model := range []string{"tiny_a", "tiny_b"} {
		st := readST(f, filepath.Join("..", "golden", "expected", model+".ternary.safetensors"))
		for _, name := range st.Names() {
			if !strings.HasSuffix(name, "q_proj.ternary") && !strings.HasSuffix(name, "down_proj.ternary") {
				continue
			}
			v, _ := st.Tensor(name)
			rows, cols := min(int(v.Shape()[0]), 3), int(v.Shape()[1])
			codes := make([]int8, rows*cols)
			for i := range codes {
				codes[i] = int8(v.Data()[i])
			}
			for _, l := range []Layout{LayoutX86, LayoutARM} {
				packed := make([]byte, rows*l.PaddedCols(cols)/4)
				Pack(packed, codes, rows, cols, l)
				f.Add(packed, uint8(rows), uint16(cols), l == LayoutARM)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, rows uint8, cols uint16, arm bool) {
		l := LayoutX86
		if arm {
			l = LayoutARM
		}
		r, c := int(rows%8), int(cols%1024)
		dst := make([]int8, r*c)
		if err := Unpack(dst, data, r, c, l); err != nil {
			return
		}
		repacked := make([]byte, r*l.PaddedCols(c)/4)
		Pack(repacked, dst, r, c, l)
		again := make([]int8, r*c)
		if err := Unpack(again, repacked, r, c, l); err != nil {
			t.Fatal(err)
		}
		if string(any8(again)) != string(any8(dst)) {
			t.Fatal("round trip differs")
		}
	})
}

func any8(v []int8) []byte {
	b := make([]byte, len(v))
	for i, x := range v {
		b[i] = byte(x)
	}
	return b
}

// TestPackParallelMatchesRows covers the two-goroutine path of Pack (large
// matrices) against packing each row alone, padded rows included.
func TestPackParallelMatchesRows(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, shape := range [][2]int{{2049, 520}, {700, 2560}} {
		rows, cols := shape[0], shape[1]
		vals := randomTernary(r, rows*cols)
		for _, l := range []Layout{LayoutX86, LayoutARM} {
			pc := l.PaddedCols(cols)
			got := make([]byte, rows*pc/4)
			Pack(got, vals, rows, cols, l)
			for i := 0; i < rows; i++ {
				want := make([]byte, pc/4)
				packRow(want, vals[i*cols:(i+1)*cols], l)
				if string(got[i*pc/4:(i+1)*pc/4]) != string(want) {
					t.Fatalf("%s %dx%d: row %d differs", l, rows, cols, i)
				}
			}
			back := make([]int8, rows*cols)
			if err := Unpack(back, got, rows, cols, l); err != nil {
				t.Fatal(err)
			}
			for i := range vals {
				if back[i] != vals[i] {
					t.Fatalf("%s: value %d round-trips to %d, want %d", l, i, back[i], vals[i])
				}
			}
		}
	}
}
