package model

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Sampler picks the next token from logits: greedy (argmax) when Temp is 0,
// else softmax(logits/Temp) restricted to the TopK most likely tokens and
// then to the smallest set whose probability reaches TopP, as llama.cpp's
// default sampler chain does.
type Sampler struct {
	Temp float32
	TopK int     // ≤ 0: no limit
	TopP float32 // ≥ 1 or ≤ 0: no limit
	rng  *rand.Rand
	idx  []int
	prob []float64
}

// NewSampler returns a sampler seeded with seed.
func NewSampler(temp float32, topK int, topP float32, seed uint64) *Sampler {
	return &Sampler{Temp: temp, TopK: topK, TopP: topP, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Argmax returns the index of the largest logit (the first on ties).
func Argmax(logits []float32) int {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	return best
}

// Sample returns the next token id.
func (s *Sampler) Sample(logits []float32) int {
	if s.Temp <= 0 {
		return Argmax(logits)
	}
	s.idx = s.idx[:0]
	for i := range logits {
		s.idx = append(s.idx, i)
	}
	sort.Slice(s.idx, func(a, b int) bool { return logits[s.idx[a]] > logits[s.idx[b]] })
	n := len(s.idx)
	if s.TopK > 0 && s.TopK < n {
		n = s.TopK
	}
	cand := s.idx[:n]
	s.prob = s.prob[:0]
	top := float64(logits[cand[0]])
	var sum float64
	for _, id := range cand {
		p := math.Exp((float64(logits[id]) - top) / float64(s.Temp))
		s.prob = append(s.prob, p)
		sum += p
	}
	if s.TopP > 0 && s.TopP < 1 {
		var acc float64
		for i, p := range s.prob {
			acc += p / sum
			if acc >= float64(s.TopP) {
				cand, s.prob = cand[:i+1], s.prob[:i+1]
				break
			}
		}
		sum = 0
		for _, p := range s.prob {
			sum += p
		}
	}
	r := s.rng.Float64() * sum
	for i, p := range s.prob {
		r -= p
		if r < 0 {
			return cand[i]
		}
	}
	return cand[len(cand)-1]
}
