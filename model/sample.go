package model

import (
	"math"
	"math/rand/v2"
)

// Sampler picks the next token from logits: greedy (argmax) when Temp is 0,
// else softmax(logits/Temp) restricted to the TopK most likely tokens and
// then to the smallest set whose probability reaches TopP, as llama.cpp's
// default sampler chain does. Candidates are taken in decreasing logit
// order (ties: lower id first) and only as far as needed: the TopK best
// are selected with a k-element heap in one pass over the vocabulary, never
// by sorting it, so a sampled token costs O(V + k log k) and allocates
// nothing once the sampler has seen a vocabulary of that size.
type Sampler struct {
	Temp float32
	TopK int     // ≤ 0: no limit
	TopP float32 // ≥ 1 or ≤ 0: no limit
	rng  *rand.Rand
	idx  []int32   // candidate ids; idx[:sorted] in decreasing order
	prob []float64 // prob[i]: exp((logit - max) / Temp) of idx[i]
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
	n := len(logits)
	if s.TopK > 0 && s.TopK < n {
		return s.sampleTopK(logits, s.TopK)
	}
	return s.sampleAll(logits)
}

// before orders candidates: larger logit first, lower id on ties.
func before(logits []float32, a, b int32) bool {
	la, lb := logits[a], logits[b]
	return la > lb || la == lb && a < b
}

// sampleTopK keeps the k best in a heap whose root is the worst kept, one
// pass over logits, then heap-sorts them into decreasing order.
func (s *Sampler) sampleTopK(logits []float32, k int) int {
	if cap(s.idx) < k {
		s.idx = make([]int32, k)
		s.prob = make([]float64, k)
	}
	h := s.idx[:k]
	for i := range h {
		h[i] = int32(i)
	}
	for i := k/2 - 1; i >= 0; i-- {
		siftWorst(h, logits, i)
	}
	worst := logits[h[0]]
	for i := k; i < len(logits); i++ {
		// Ids arrive in increasing order, so a candidate equal to the
		// worst kept loses the tie: only strictly larger ones enter.
		if logits[i] > worst {
			h[0] = int32(i)
			siftWorst(h, logits, 0)
			worst = logits[h[0]]
		}
	}
	// Heap sort: the worst goes to the end each time, leaving h best-first.
	for end := k - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		siftWorst(h[:end], logits, 0)
	}
	prob := s.prob[:k]
	top := float64(logits[h[0]])
	var sum float64
	for i, id := range h {
		p := math.Exp((float64(logits[id]) - top) / float64(s.Temp))
		prob[i] = p
		sum += p
	}
	return s.pick(h, prob, sum)
}

// siftWorst restores the heap property below i: every parent is worse
// (ordered after) than its children, so h[0] is the worst candidate.
func siftWorst(h []int32, logits []float32, i int) {
	for {
		w := i
		l, r := 2*i+1, 2*i+2
		if l < len(h) && before(logits, h[w], h[l]) {
			w = l
		}
		if r < len(h) && before(logits, h[w], h[r]) {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// pick applies top-p to the sorted candidates and draws one.
func (s *Sampler) pick(cand []int32, prob []float64, sum float64) int {
	if s.TopP > 0 && s.TopP < 1 {
		var acc float64
		for i, p := range prob {
			acc += p / sum
			if acc >= float64(s.TopP) {
				cand, prob = cand[:i+1], prob[:i+1]
				break
			}
		}
		sum = 0
		for _, p := range prob {
			sum += p
		}
	}
	r := s.rng.Float64() * sum
	for i, p := range prob {
		r -= p
		if r < 0 {
			return int(cand[i])
		}
	}
	return int(cand[len(cand)-1])
}

// sampleAll is the path without a top-k limit: the whole vocabulary is a
// candidate, but it is put in order only as far as top-p and the draw
// read it, a block at a time by partial selection (quickselect), so a
// peaked distribution costs a few blocks rather than a full sort.
func (s *Sampler) sampleAll(logits []float32) int {
	n := len(logits)
	if cap(s.idx) < n {
		s.idx = make([]int32, n)
		s.prob = make([]float64, n)
	}
	idx, prob := s.idx[:n], s.prob[:n]
	top := float32(math.Inf(-1))
	for i, v := range logits {
		idx[i] = int32(i)
		top = max(top, v)
	}
	var sum float64
	for _, v := range logits {
		sum += math.Exp((float64(v) - float64(top)) / float64(s.Temp))
	}
	// Walk candidates in decreasing order: first the top-p cut, then the
	// draw, extending the sorted prefix on demand.
	sorted := 0
	ensure := func(i int) {
		if i < sorted {
			return
		}
		block := max(64, sorted)
		end := min(n, sorted+block)
		selectBest(idx[sorted:], logits, end-sorted)
		heapSortBest(idx[sorted:end], logits)
		for j := sorted; j < end; j++ {
			prob[j] = math.Exp((float64(logits[idx[j]]) - float64(top)) / float64(s.Temp))
		}
		sorted = end
	}
	cut := n
	if s.TopP > 0 && s.TopP < 1 {
		var acc float64
		for i := 0; i < n; i++ {
			ensure(i)
			acc += prob[i] / sum
			if acc >= float64(s.TopP) {
				cut = i + 1
				break
			}
		}
		sum = 0
		for _, p := range prob[:cut] {
			sum += p
		}
	}
	r := s.rng.Float64() * sum
	for i := 0; i < cut; i++ {
		ensure(i)
		r -= prob[i]
		if r < 0 {
			return int(idx[i])
		}
	}
	ensure(cut - 1)
	return int(idx[cut-1])
}

// selectBest partially orders idx so its first m entries are the m best
// (in any order), by quickselect with a median-of-three pivot.
func selectBest(idx []int32, logits []float32, m int) {
	lo, hi := 0, len(idx)
	for hi-lo > 1 && m > lo && m < hi {
		mid := lo + (hi-lo)/2
		a, b, c := idx[lo], idx[mid], idx[hi-1]
		pivot := b
		if before(logits, a, b) != before(logits, a, c) {
			pivot = a
		} else if before(logits, b, c) != before(logits, a, c) {
			pivot = c
		}
		// Three-way partition: better than pivot | pivot | worse.
		i, lt, gt := lo, lo, hi
		for i < gt {
			switch x := idx[i]; {
			case before(logits, x, pivot):
				idx[lt], idx[i] = idx[i], idx[lt]
				lt++
				i++
			case x == pivot:
				i++
			default:
				gt--
				idx[gt], idx[i] = idx[i], idx[gt]
			}
		}
		switch {
		case m <= lt:
			hi = lt
		case m >= gt:
			lo = gt
		default:
			return
		}
	}
}

// heapSortBest sorts idx best-first in place.
func heapSortBest(h []int32, logits []float32) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftWorst(h, logits, i)
	}
	for end := len(h) - 1; end > 0; end-- {
		h[0], h[end] = h[end], h[0]
		siftWorst(h[:end], logits, 0)
	}
}
