package model

import (
	"math"
	"testing"
)

// TestAttendByHand checks grouped-query causal attention on a case small
// enough to compute by hand: head_dim 2, two query heads sharing one kv
// head, two positions.
func TestAttendByHand(t *testing.T) {
	w := &Weights{Config: Config{Hidden: 4, Heads: 2, KVHeads: 1, HeadDim: 2, Layers: 1, ContextLength: 8}}
	m := &Model{W: w, pool: newTestPool()}
	// The cache holds each position's key then its value: keys (1,0), (0,1);
	// values (1,2), (3,4).
	s := &State{ctx: 8, cache: [][]float32{{1, 0, 1, 2, 0, 1, 3, 4}}, scores: make([]float32, 2*8)}
	s.bands.attnHeads = func(lo, hi int) { m.attendHeads(s, lo, hi) }
	// One new token at position 1 (T=1 after one cached): set pos so the
	// token sees both cached positions.
	s.pos = 1
	s.q = []float32{2, 0, 0, 0} // head 0: q=(2,0); head 1: q=(0,0)
	s.attn = make([]float32, 4)
	m.attend(s, 0, 1)
	scale := 1 / math.Sqrt(2)
	// head 0: scores (2·1, 0)·scale → softmax → weights a, 1-a over v (1,2),(3,4)
	a := 1 / (1 + math.Exp(-2*scale))
	want0 := []float64{a*1 + (1-a)*3, a*2 + (1-a)*4}
	// head 1: q = 0, uniform weights: the mean of the values.
	want1 := []float64{2, 3}
	got := s.attn
	for i, want := range append(want0, want1...) {
		if math.Abs(float64(got[i])-want) > 1e-6 {
			t.Fatalf("attn = %v, want %v %v", got, want0, want1)
		}
	}
	// Causality: the first position (pos 0) attends to itself only.
	s.pos = 0
	m.attend(s, 0, 1)
	if got[0] != 1 || got[1] != 2 || got[2] != 1 || got[3] != 2 {
		t.Fatalf("position 0 attends beyond itself: %v", got)
	}
}
