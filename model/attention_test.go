package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bitnet-go/bitnet/internal/sched"
)

// TestAttendByHand checks grouped-query causal attention on a case small
// enough to compute by hand: head_dim 2, two query heads sharing one kv
// head, two positions.
func TestAttendByHand(t *testing.T) {
	w := &Weights{Config: Config{Hidden: 4, Heads: 2, KVHeads: 1, HeadDim: 2, Layers: 1, ContextLength: 8}}
	m := &Model{W: w, pool: newTestPool()}
	// The cache holds each position's key then its value: keys (1,0), (0,1);
	// values (1,2), (3,4).
	s := &State{ctx: 8, cache: [][]float32{{1, 0, 1, 2, 0, 1, 3, 4}}, scores: make([]float32, 4*8), pad: make([]float32, 8*2)}
	s.bands.attnGroups = func(lo, hi int) { m.attendGroups(s, lo, hi) } // two heads per kv head: one padded pass
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

// TestAttendGroupsMatchesHeads checks that grouped attention (up to four
// query heads per pass over the cache: four, two, three padded to four, or
// one alone) gives attendHeads' results bit for bit, for groups of 2, 3,
// 4, 5 and 8 query heads per kv head, one and several new tokens, on one
// to three threads.
func TestAttendGroupsMatchesHeads(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, G := range []int{2, 3, 4, 5, 8} {
		for _, threads := range []int{1, 2, 3} {
			for _, T := range []int{1, 3} {
				const kvHeads, hd, ctx, pos = 2, 8, 16, 5
				w := &Weights{Config: Config{Hidden: G * kvHeads * hd, Heads: G * kvHeads, KVHeads: kvHeads, HeadDim: hd, Layers: 1, ContextLength: ctx}}
				m := &Model{W: w, pool: sched.NewPool(threads)}
				kvDim, qDim := kvHeads*hd, G*kvHeads*hd
				cache := make([]float32, (pos+T)*2*kvDim)
				for i := range cache {
					cache[i] = float32(r.NormFloat64())
				}
				q := make([]float32, T*qDim)
				for i := range q {
					q[i] = float32(r.NormFloat64())
				}
				run := func(grouped bool) []float32 {
					s := &State{ctx: ctx, pos: pos, cache: [][]float32{cache}, q: q, attn: make([]float32, T*qDim),
						scores: make([]float32, max(w.Heads, 4*threads)*ctx), pad: make([]float32, threads*8*hd)}
					if grouped {
						s.bands.attnGroups = func(lo, hi int) { m.attendGroups(s, lo, hi) }
					} else {
						s.bands.attnHeads = func(lo, hi int) { m.attendHeads(s, lo, hi) }
					}
					s.attnLayer, s.attnT = 0, T
					if grouped {
						m.pool.Run(threads, s.bands.attnGroups)
					} else {
						m.pool.Run(w.Heads, s.bands.attnHeads)
					}
					return s.attn
				}
				got, want := run(true), run(false)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("G=%d threads=%d T=%d: attn[%d] grouped %v, by head %v", G, threads, T, i, got[i], want[i])
					}
				}
				m.pool.Close()
			}
		}
	}
}
