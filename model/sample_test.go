package model

import "testing"

func TestSamplerGreedyAndLimits(t *testing.T) {
	logits := []float32{0.1, 3, 2.9, -1}
	if got := NewSampler(0, 0, 1, 1).Sample(logits); got != 1 {
		t.Fatalf("greedy = %d, want 1", got)
	}
	// top-k 1 is greedy at any temperature.
	s := NewSampler(5, 1, 1, 7)
	for range 50 {
		if got := s.Sample(logits); got != 1 {
			t.Fatalf("top-k 1 sampled %d", got)
		}
	}
	// top-p small keeps only the most likely token.
	s = NewSampler(1, 0, 0.1, 7)
	for range 50 {
		if got := s.Sample(logits); got != 1 {
			t.Fatalf("top-p 0.1 sampled %d", got)
		}
	}
	// top-k 2 never samples outside {1, 2}, and samples both.
	s = NewSampler(1, 2, 1, 7)
	seen := map[int]int{}
	for range 400 {
		seen[s.Sample(logits)]++
	}
	if len(seen) != 2 || seen[1] == 0 || seen[2] == 0 {
		t.Fatalf("top-k 2 distribution %v", seen)
	}
	// Same seed, same sequence.
	a, b := NewSampler(0.8, 40, 0.95, 3), NewSampler(0.8, 40, 0.95, 3)
	for range 20 {
		if a.Sample(logits) != b.Sample(logits) {
			t.Fatal("same seed, different samples")
		}
	}
}
