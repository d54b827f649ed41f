package parity

import (
	"math"
	"testing"
)

func TestCompareByHand(t *testing.T) {
	golden := []float32{0, 1, 2, 3, 2, 1}
	ours := []float32{0, 1, 2.5, 3, 2, 1}
	m := Compare(ours, golden, 3)
	if m.Positions != 2 || m.MaxAbs != 0.5 {
		t.Fatalf("positions %d max %v", m.Positions, m.MaxAbs)
	}
	if want := math.Sqrt(0.25 / 6); math.Abs(m.RMS-want) > 1e-12 {
		t.Errorf("RMS %v, want %v", m.RMS, want)
	}
	if want := 0.25 / 19.0; math.Abs(m.NMSE-want) > 1e-12 {
		t.Errorf("NMSE %v, want %v", m.NMSE, want)
	}
	if m.Top1 != 1 {
		t.Errorf("top1 %v, want 1", m.Top1)
	}
	if m.KL <= 0 {
		t.Errorf("KL %v, want > 0", m.KL)
	}
	same := Compare(golden, golden, 3)
	if same.MaxAbs != 0 || same.KL != 0 || same.Top1 != 1 {
		t.Errorf("self comparison %+v", same)
	}
	flipped := Compare([]float32{3, 0, 0}, []float32{0, 0, 3}, 3)
	if flipped.Top1 != 0 {
		t.Errorf("top1 %v, want 0", flipped.Top1)
	}
	// KL of [0, ln 3] vs uniform: P = (1/4, 3/4), Q = (1/2, 1/2).
	k := Compare([]float32{0, 0}, []float32{0, float32(math.Log(3))}, 2).KL
	want := 0.25*math.Log(0.5) + 0.75*math.Log(1.5)
	if math.Abs(k-want) > 1e-6 {
		t.Errorf("KL %v, want %v", k, want)
	}
}
