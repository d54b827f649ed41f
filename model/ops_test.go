package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/internal/sched"
)

func TestRMSNormByHand(t *testing.T) {
	// x = [3, 4]: mean(x²) = 12.5, r = 1/sqrt(12.5 + eps).
	x := []float32{3, 4}
	w := []float32{1, 2}
	dst := make([]float32, 2)
	rmsNorm(dst, x, w, 0)
	r := 1 / math.Sqrt(12.5)
	if math.Abs(float64(dst[0])-3*r) > 1e-6 || math.Abs(float64(dst[1])-8*r) > 1e-6 {
		t.Fatalf("rmsNorm = %v, want [%v %v]", dst, 3*r, 8*r)
	}
	// eps matters for tiny inputs: all zeros stay zero, no NaN.
	rmsNorm(dst, []float32{0, 0}, w, 1e-5)
	if dst[0] != 0 || dst[1] != 0 {
		t.Fatalf("rmsNorm(0) = %v", dst)
	}
}

func TestRopeByHand(t *testing.T) {
	// head_dim 4, θ = 10000: inv_freq = [1, 1/100]. At position 1 the first
	// pair rotates by 1 rad, the second by 0.01 rad; rotate-half pairs
	// element i with i+2.
	inv := ropeInvFreq(10000, 4)
	if inv[0] != 1 || math.Abs(float64(inv[1])-0.01) > 1e-9 {
		t.Fatalf("inv_freq = %v", inv)
	}
	cos, sin := make([]float32, 2), make([]float32, 2)
	ropeTables(cos, sin, inv, 1)
	x := []float32{1, 2, 3, 4}
	rope(x, cos, sin)
	want := []float64{
		1*math.Cos(1) - 3*math.Sin(1),
		2*math.Cos(0.01) - 4*math.Sin(0.01),
		3*math.Cos(1) + 1*math.Sin(1),
		4*math.Cos(0.01) + 2*math.Sin(0.01),
	}
	for i := range x {
		if math.Abs(float64(x[i])-want[i]) > 1e-6 {
			t.Errorf("x[%d] = %v, want %v", i, x[i], want[i])
		}
	}
	// Position 0 is the identity.
	ropeTables(cos, sin, inv, 0)
	y := []float32{1, 2, 3, 4}
	rope(y, cos, sin)
	for i, v := range []float32{1, 2, 3, 4} {
		if y[i] != v {
			t.Fatalf("rope at position 0 changed x: %v", y)
		}
	}
}

func TestSoftmaxByHand(t *testing.T) {
	x := []float32{0, float32(math.Log(3)), float32(math.Inf(-1))}
	softmax(x)
	if math.Abs(float64(x[0])-0.25) > 1e-7 || math.Abs(float64(x[1])-0.75) > 1e-7 || x[2] != 0 {
		t.Fatalf("softmax = %v, want [0.25 0.75 0]", x)
	}
}

func TestHalfToFloat(t *testing.T) {
	for _, c := range []struct {
		h    uint16
		want float32
	}{{0x3c00, 1}, {0xc000, -2}, {0x0001, 1.0 / (1 << 24)}, {0x7bff, 65504}, {0x8000, float32(math.Copysign(0, -1))}, {0x3555, 0.33325195}} {
		if got := halfToFloat(c.h); got != c.want {
			t.Errorf("halfToFloat(%#04x) = %v, want %v", c.h, got, c.want)
		}
	}
	if !math.IsInf(float64(halfToFloat(0x7c00)), 1) || !math.IsNaN(float64(halfToFloat(0x7e00))) {
		t.Error("inf/nan")
	}
}

// TestKVCacheMatchesRecompute runs prefill + token-by-token decode and
// compares every position's logits with one full recompute.
func TestKVCacheMatchesRecompute(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_b"} {
		w := weightsFromHF(t, "../golden/models/"+name)
		m, err := New(w, 2)
		if err != nil {
			t.Fatal(err)
		}
		g := readGolden(t, "../golden/logits/"+name+"/len32_float32.safetensors")
		full, err := m.Forward(mustState(t, m, 0), g.ids, true)
		if err != nil {
			t.Fatal(err)
		}
		full = append([]float32(nil), full...)
		s := mustState(t, m, 0)
		prefill := 5
		got, err := m.Forward(s, g.ids[:prefill], true)
		if err != nil {
			t.Fatal(err)
		}
		V := w.Vocab
		worst := maxAbsDiff(got, full[:prefill*V])
		for i := prefill; i < len(g.ids); i++ {
			got, err := m.Forward(s, g.ids[i:i+1], false)
			if err != nil {
				t.Fatal(err)
			}
			worst = max(worst, maxAbsDiff(got, full[i*V:(i+1)*V]))
		}
		if worst > 1e-4 {
			t.Errorf("%s: cached decode differs from recompute by %.2e", name, worst)
		}
		t.Logf("%s: max |Δ| cached vs recompute %.2e", name, worst)
	}
}

func TestForwardRejectsBadTokensAndOverflow(t *testing.T) {
	w := weightsFromHF(t, "../golden/models/tiny_b")
	m, _ := New(w, 1)
	s := mustState(t, m, 4)
	if _, err := m.Forward(s, []int{w.Vocab}, false); err == nil {
		t.Error("token id = vocab accepted")
	}
	if _, err := m.Forward(s, []int{1, 2, 3, 4, 5}, false); err == nil {
		t.Error("5 tokens in a context of 4 accepted")
	}
}

func newTestPool() *sched.Pool { return sched.NewPool(1) }

// TestDecodeIsExactAcrossThreads decodes token by token on 1, 2 and 3
// threads and compares every logit bit for bit with one prefill of the
// whole sequence: decode and prefill run the same BitLinear (bitLinear),
// whatever the band split.
func TestDecodeIsExactAcrossThreads(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_b"} {
		w := weightsFromHF(t, "../golden/models/"+name)
		g := readGolden(t, "../golden/logits/"+name+"/len32_float32.safetensors")
		ref, err := New(w, 1)
		if err != nil {
			t.Fatal(err)
		}
		full, err := ref.Forward(mustState(t, ref, 0), g.ids, true)
		if err != nil {
			t.Fatal(err)
		}
		full = append([]float32(nil), full...)
		ref.Close()
		V := w.Vocab
		for _, threads := range []int{1, 2, 3} {
			m, err := New(w, threads)
			if err != nil {
				t.Fatal(err)
			}
			s := mustState(t, m, 0)
			for i, id := range g.ids {
				got, err := m.Forward(s, []int{id}, false)
				if err != nil {
					t.Fatal(err)
				}
				for v, x := range got {
					if want := full[i*V+v]; math.Float32bits(x) != math.Float32bits(want) {
						t.Fatalf("%s, %d threads: token %d logit %d = %v, prefill gives %v", name, threads, i, v, x, want)
					}
				}
			}
			m.Close()
		}
	}
}

// TestClosedStateRefuses checks that a closed State gives an error, not a
// crash, and that Close is idempotent.
func TestClosedStateRefuses(t *testing.T) {
	w := weightsFromHF(t, "../golden/models/tiny_a")
	m, err := New(w, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	s := mustState(t, m, 16)
	if _, err := m.Forward(s, []int{1, 2}, false); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	if _, err := m.Forward(s, []int{3}, false); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Forward on a closed state: %v", err)
	}
}

// TestRopeInterleavedIsPermutedRope: rotating a head in llama.cpp's
// interleaved order gives, bit for bit, the permuted result of rotate-half
// RoPE on the Hugging Face order.
func TestRopeInterleavedIsPermutedRope(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	for _, d := range []int{2, 8, 64, 256} {
		inv := ropeInvFreq(1000042, d)
		cos, sin := make([]float32, d/2), make([]float32, d/2)
		ropeTables(cos, sin, inv, 37)
		x := make([]float32, d)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		perm := arch.PermuteRows(d, 1)
		p := make([]float32, d)
		for dst, src := range perm {
			p[dst] = x[src]
		}
		rope(x, cos, sin)
		ropeInterleaved(p, cos, sin)
		for dst, src := range perm {
			if math.Float32bits(p[dst]) != math.Float32bits(x[src]) {
				t.Fatalf("d=%d: element %d = %v, want %v", d, dst, p[dst], x[src])
			}
		}
	}
}
