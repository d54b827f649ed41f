package model

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

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

// refSampler is the sampler before partial selection (a full sort of the
// vocabulary per token), kept as the reference the fast one must match.
type refSampler struct {
	Temp float32
	TopK int
	TopP float32
	rng  *rand.Rand
}

func newRefSampler(temp float32, topK int, topP float32, seed uint64) *refSampler {
	return &refSampler{Temp: temp, TopK: topK, TopP: topP, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (s *refSampler) Sample(logits []float32) int {
	if s.Temp <= 0 {
		return Argmax(logits)
	}
	idx := make([]int, len(logits))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return logits[idx[a]] > logits[idx[b]] })
	n := len(idx)
	if s.TopK > 0 && s.TopK < n {
		n = s.TopK
	}
	cand := idx[:n]
	var prob []float64
	top := float64(logits[cand[0]])
	var sum float64
	for _, id := range cand {
		p := math.Exp((float64(logits[id]) - top) / float64(s.Temp))
		prob = append(prob, p)
		sum += p
	}
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
			return cand[i]
		}
	}
	return cand[len(cand)-1]
}

// randomLogits draws n distinct-valued logits (ties are ordered by id in
// the fast sampler and arbitrarily in the reference) with a spread like a
// language model's: most tokens far below a few likely ones.
func randomLogits(rng *rand.Rand, n int, scale float64) []float32 {
	l := make([]float32, n)
	seen := make(map[float32]bool, n)
	for i := range l {
		for {
			v := float32(rng.NormFloat64() * scale)
			if !seen[v] {
				seen[v] = true
				l[i] = v
				break
			}
		}
	}
	return l
}

// TestSamplerMatchesFullSort draws sequences with the fast sampler and the
// full-sort reference from the same seeds and requires the same token at
// every step, for each parameter set, on a small and a LLaMA 3-sized
// vocabulary (peaked and flat logits).
func TestSamplerMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		temp float32
		k    int
		p    float32
	}{
		{0.8, 40, 0.95}, {0.8, 40, 1}, {1, 1, 1}, {1.5, 200, 0.5}, {0.7, 0, 0.9}, {1, 0, 1}, {0.3, 5, 0.99}, {1, 1000, 0.95},
	}
	for _, vocab := range []int{37, 1000, 128256} {
		for _, scale := range []float64{1, 4} {
			if vocab > 10000 && scale == 1 {
				continue // flat 128K logits: the reference's full sort makes this slow; covered at 1000
			}
			logits := randomLogits(rng, vocab, scale)
			for _, c := range cases {
				steps, seeds := 200, uint64(3)
				if vocab > 10000 {
					steps, seeds = 4, 1 // the reference sorts 128K logits per draw
				}
				for seed := uint64(1); seed <= seeds; seed++ {
					fast, ref := NewSampler(c.temp, c.k, c.p, seed), newRefSampler(c.temp, c.k, c.p, seed)
					for i := range steps {
						if a, b := fast.Sample(logits), ref.Sample(logits); a != b {
							t.Fatalf("vocab %d scale %g temp %g k %d p %g seed %d step %d: fast %d, reference %d",
								vocab, scale, c.temp, c.k, c.p, seed, i, a, b)
						}
					}
				}
			}
		}
	}
}

// TestSamplerTiesLowerIDFirst: equal logits are ordered by id, so top-k
// cuts through a tie keep the lower ids.
func TestSamplerTiesLowerIDFirst(t *testing.T) {
	logits := []float32{0, 2, 1, 2, 2, -1}
	for _, c := range []struct {
		k    int
		p    float32
		want map[int]bool
	}{{1, 1, map[int]bool{1: true}}, {2, 1, map[int]bool{1: true, 3: true}}, {0, 0.3, map[int]bool{1: true}}, {0, 0.6, map[int]bool{1: true, 3: true}}} {
		s := NewSampler(1e-3, c.k, c.p, 9)
		for range 50 {
			if got := s.Sample(logits); !c.want[got] {
				t.Fatalf("k %d p %g: sampled %d over a tie of {1,3,4} at near-zero temperature, want one of %v", c.k, c.p, got, c.want)
			}
		}
	}
}

// TestSampleDoesNotAllocate: after the first draw sized the buffers, a
// sampled token allocates nothing, with and without a top-k limit.
func TestSampleDoesNotAllocate(t *testing.T) {
	logits := randomLogits(rand.New(rand.NewPCG(3, 4)), 128256, 3)
	for _, c := range []struct {
		k int
		p float32
	}{{40, 0.95}, {0, 0.95}, {0, 1}, {1, 1}} {
		s := NewSampler(0.8, c.k, c.p, 1)
		s.Sample(logits)
		if a := testing.AllocsPerRun(20, func() { s.Sample(logits) }); a != 0 {
			t.Errorf("top-k %d top-p %g: %.1f allocations per sampled token, want 0", c.k, c.p, a)
		}
	}
}

// BenchmarkSample is one sampled token over LLaMA 3's 128256 logits with
// infer's defaults (temp 0.8, top-k 40, top-p 0.95) and without top-k.
func BenchmarkSample(b *testing.B) {
	logits := randomLogits(rand.New(rand.NewPCG(5, 6)), 128256, 3)
	for _, c := range []struct {
		name string
		k    int
		p    float32
	}{{"defaults", 40, 0.95}, {"top-p-only", 0, 0.95}} {
		b.Run(c.name, func(b *testing.B) {
			s := NewSampler(0.8, c.k, c.p, 1)
			b.ReportAllocs()
			for b.Loop() {
				s.Sample(logits)
			}
		})
	}
}
