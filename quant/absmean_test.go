package quant

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlpodyssey/safetensors"

	"github.com/bitnet-go/bitnet/format/hf"
)

func TestTernarizeTiesRoundHalfToEven(t *testing.T) {
	// mean|W| = (0.5+1.5+2.5+0+4+3.5)/6 = 2, so s = 0.5 exactly and W·s hits
	// 0.25, 0.75, 1.25, 0, 2, 1.75; then ±0.5 ties: add values at exactly m/2.
	w := []float32{1, -1, 3, -3, 0, 4}
	// mean = 12/6 = 2, s = 0.5: 0.5 → 0 (tie to even), -0.5 → 0, 1.5 → 2 → 1, -1.5 → -1, 0, 2 → 1.
	want := []int8{0, 0, 1, -1, 0, 1}
	got := make([]int8, len(w))
	m, err := Ternarize(got, w)
	if err != nil {
		t.Fatal(err)
	}
	if m != 2 {
		t.Fatalf("m = %v, want 2", m)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("t[%d] = %d, want %d (w=%v)", i, got[i], want[i], w[i])
		}
	}
}

// TestTernarizeReciprocalThenMultiply checks hand-built cases where the
// reference's s = 1/m then W·s and a true division W/m give different
// codes. Each matrix is [v, −v, 2m, 2m−2v] with m, v and 2m−2v exact in
// float32, so mean|W| = 4m/4 = m exactly; v is one ulp above m/2. Then
// v/m = 0.50000006 (division gives t = 1), but float32(1/m) is rounded
// down and v·s rounds to exactly 0.5, a tie that rounds to even: t = 0.
// The expected codes were derived by hand from that, not by the formula.
func TestTernarizeReciprocalThenMultiply(t *testing.T) {
	for _, c := range []struct{ m, v uint32 }{
		{0x3c23d729, 0x3ba3d72a},
		{0x3c2f4f36, 0x3baf4f37},
		{0x3c3b94c3, 0x3bbb94c4},
		{0x3c48b63b, 0x3bc8b63c},
	} {
		m, v := math.Float32frombits(c.m), math.Float32frombits(c.v)
		w := []float32{v, -v, 2 * m, 2*m - 2*v}
		if float32(v/m) <= 0.5 || float64(2*m-2*v)+2*float64(v) != 2*float64(m) {
			t.Fatalf("m=%#x: not a discriminating case", c.m)
		}
		want := []int8{0, 0, 1, 1} // division would give 1, -1, 1, 1
		got := make([]int8, len(w))
		gotM, err := Ternarize(got, w)
		if err != nil {
			t.Fatal(err)
		}
		if gotM != m {
			t.Fatalf("m=%#x: scale %v, want %v", c.m, gotM, m)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("m=%#x: t[%d] = %d, want %d (w=%v)", c.m, i, got[i], want[i], w[i])
			}
		}
	}
}

func TestTernarizeAllZeroClamp(t *testing.T) {
	w := make([]float32, 300)
	got := make([]int8, len(w))
	m, err := Ternarize(got, w)
	if err != nil {
		t.Fatal(err)
	}
	if m != MinScale {
		t.Fatalf("m = %v, want %v", m, MinScale)
	}
	for i, c := range got {
		if c != 0 {
			t.Fatalf("t[%d] = %d, want 0", i, c)
		}
	}
	// Tiny weights below the clamp still ternarize against 1e-5.
	w[0], w[1] = 1e-6, -2e-5
	m, _ = Ternarize(got, w)
	if m != MinScale || got[0] != 0 || got[1] != -1 {
		t.Fatalf("m=%v t0=%d t1=%d, want 1e-5, 0, -1", m, got[0], got[1])
	}
}

func TestTernarizeRejectsNonFinite(t *testing.T) {
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		_, err := Ternarize(make([]int8, 3), []float32{1, bad, 2})
		if err == nil || !strings.Contains(err.Error(), "weight 1") {
			t.Errorf("Ternarize with %v: err = %v, want one naming weight 1", bad, err)
		}
	}
}

// TestTernarizeMatchesGolden checks every code and scale against the
// reference's expected ternarization of the bundled models.
func TestTernarizeMatchesGolden(t *testing.T) {
	for _, model := range []string{"tiny_a", "tiny_b"} {
		t.Run(model, func(t *testing.T) {
			root := filepath.Join("..", "golden")
			expected := readST(t, filepath.Join(root, "expected", model+".ternary.safetensors"))
			files, _ := filepath.Glob(filepath.Join(root, "models", model, "*.safetensors"))
			weights := map[string]safetensors.TensorView{}
			for _, f := range files {
				st := readST(t, f)
				for _, n := range st.Names() {
					v, _ := st.Tensor(n)
					weights[n] = v
				}
			}
			checked := 0
			for _, name := range expected.Names() {
				base, ok := strings.CutSuffix(name, ".ternary")
				if !ok {
					continue
				}
				wantT, _ := expected.Tensor(name)
				wantS, _ := expected.Tensor(base + ".scale")
				src, ok := weights[base+".weight"]
				if !ok {
					t.Fatalf("%s.weight missing from model", base)
				}
				w := bf16ToF32(src.Data())
				got := make([]int8, len(w))
				m, err := Ternarize(got, w)
				if err != nil {
					t.Fatal(err)
				}
				wantM := math.Float32frombits(le32(wantS.Data()))
				if d := ulpDiff(m, wantM); d > 1 {
					t.Errorf("%s: scale %v, want %v (%d ulp)", base, m, wantM, d)
				}
				for i, c := range wantT.Data() {
					if got[i] != int8(c) {
						t.Fatalf("%s: code %d = %d, want %d", base, i, got[i], int8(c))
					}
				}
				checked++
			}
			if checked == 0 {
				t.Fatal("no projections checked")
			}
		})
	}
}

func readST(t testing.TB, path string) safetensors.SafeTensors {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := safetensors.Deserialize(data)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func bf16ToF32(b []byte) []float32 {
	out := make([]float32, len(b)/2)
	for i := range out {
		out[i] = hf.Float32FromBF16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
	}
	return out
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func ulpDiff(a, b float32) int64 {
	d := int64(math.Float32bits(a)) - int64(math.Float32bits(b))
	if d < 0 {
		d = -d
	}
	return d
}

// TestTernarizeRangeMatchesSpec compares the fast loop with ternary on
// random values and on the boundaries where rounding decides.
func TestTernarizeRangeMatchesSpec(t *testing.T) {
	s := float32(1)
	vals := []float32{0, -0, 0.5, -0.5, math.Nextafter32(0.5, 1), math.Nextafter32(0.5, 0), -math.Nextafter32(0.5, 1),
		1, -1, 1.5, -1.5, 2.5, -2.5, 1e30, -1e30, 1e-40, -1e-40}
	r := rand.New(rand.NewPCG(9, 9))
	for range 100000 {
		vals = append(vals, float32(r.NormFloat64()))
	}
	for _, scale := range []float32{s, 3.3, 1 / 0.0213} {
		got := make([]int8, len(vals))
		ternarizeRange(got, vals, scale)
		for i, v := range vals {
			if want := ternary(v, scale); got[i] != want {
				t.Fatalf("ternarizeRange(%v·%v) = %d, spec %d", v, scale, got[i], want)
			}
		}
	}
}
