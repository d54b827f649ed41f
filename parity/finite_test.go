package parity

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenNonFiniteRefused: a golden with a NaN or an infinity in its
// logits or hidden states is refused, naming the tensor and the position
// (a NaN logit made NMSE 0 and verify said ok).
func TestGoldenNonFiniteRefused(t *testing.T) {
	for _, c := range []struct {
		tensor string
		pos, i int
		v      float32
		want   []string
	}{
		{"logits", 3, 17, float32(math.NaN()), []string{"logits", "position 3", "index 17", "NaN"}},
		{"logits", 0, 0, float32(math.Inf(1)), []string{"logits", "position 0", "index 0", "+Inf"}},
		{"hidden.1", 6, 2, float32(math.Inf(-1)), []string{"hidden.1", "position 6", "index 2", "-Inf"}},
	} {
		g, err := ReadGolden("../golden/logits/tiny_b/len7_float32.safetensors")
		if err != nil {
			t.Fatal(err)
		}
		if c.tensor == "logits" {
			g.Logits[c.pos*g.Vocab+c.i] = c.v
		} else {
			h := g.Hidden[1]
			h[c.pos*(len(h)/len(g.IDs))+c.i] = c.v
		}
		out := filepath.Join(t.TempDir(), "bad.safetensors")
		if err := WriteGolden(out, g, false); err != nil {
			t.Fatal(err)
		}
		_, err = ReadGolden(out)
		if err == nil {
			t.Fatalf("%s %v at %d/%d: read without error", c.tensor, c.v, c.pos, c.i)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s %v: error %q does not mention %q", c.tensor, c.v, err, w)
			}
		}
	}
}

// TestNaNMetricFails: a NaN metric never passes, in a golden's verdict or
// in the suite's (sorting put NaN first and the median ignored it).
func TestNaNMetricFails(t *testing.T) {
	nan := math.NaN()
	tol := DefaultTolerance("float32", false)
	for _, m := range []Metrics{{NMSE: nan, Top1: 1}, {Top1: nan}, {MaxAbs: nan, Top1: 1}, {KL: nan, Top1: 1}, {RMS: nan, Top1: 1}} {
		r := &Report{Dtype: "float32", Metrics: m, DriftLayer: -1}
		judge(r, tol)
		if r.Pass {
			t.Errorf("metrics %+v pass", m)
		}
	}
	ok := func() *Report { return &Report{Dtype: "float32", Pass: true, Metrics: Metrics{Top1: 1}} }
	bad := ok()
	bad.MaxAbs = nan
	if s := Summarize([]*Report{ok(), ok(), bad}, DefaultSuiteTolerance); s.Pass {
		t.Fatalf("suite with a NaN max|Δ| passes: %+v", s)
	}
}

// TestCompareRefusesNonFinite: our logits with a NaN are an error naming
// where, not a metric.
func TestCompareRefusesNonFinite(t *testing.T) {
	ours := []float32{0, 1, 2, 3, float32(math.NaN()), 1}
	if err := checkFinite("our logits", ours, 3); err == nil || !strings.Contains(err.Error(), "position 1, index 1") {
		t.Fatalf("err = %v", err)
	}
}
