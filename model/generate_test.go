package model

import (
	"context"
	"testing"
)

// TestGreedyGenerationIsArgmaxOfVerifyLogits generates greedily and checks
// every token is the argmax of the logits a full (verify-style) forward
// pass computes for the same prefix, and that runs are deterministic.
func TestGreedyGenerationIsArgmaxOfVerifyLogits(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_b"} {
		w := weightsFromHF(t, "../golden/models/"+name)
		m, err := New(w, 2)
		if err != nil {
			t.Fatal(err)
		}
		prompt := []int{w.BOS, 5, 17, 42}
		var gen []int
		run := func() []int {
			var out []int
			_, err := m.Generate(context.Background(), mustState(t, m, 0), prompt, GenerateOptions{MaxTokens: 12, OnToken: func(id int) bool {
				out = append(out, id)
				return true
			}})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		gen = run()
		if len(gen) != 12 {
			t.Fatalf("%s: generated %d tokens, want 12", name, len(gen))
		}
		if again := run(); !equal(again, gen) {
			t.Fatalf("%s: greedy runs differ: %v vs %v", name, gen, again)
		}
		seq := append(append([]int(nil), prompt...), gen...)
		logits, err := m.Forward(mustState(t, m, 0), seq, true)
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range gen {
			pos := len(prompt) - 1 + i
			if want := Argmax(logits[pos*w.Vocab : (pos+1)*w.Vocab]); want != id {
				t.Fatalf("%s: token %d = %d, full-pass argmax %d", name, i, id, want)
			}
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDecodeDoesNotAllocate checks a steady-state decode step allocates
// nothing (the KV cache is reserved, scratch buffers are reused), on the
// grouped attention path (tiny_a: four query heads per kv head) and the
// per-head one (tiny_b: three).
func TestDecodeDoesNotAllocate(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_b"} {
		w := weightsFromHF(t, "../golden/models/"+name)
		m, err := New(w, 2)
		if err != nil {
			t.Fatal(err)
		}
		s := mustState(t, m, 200)
		if _, err := m.Forward(s, []int{w.BOS, 3, 4}, false); err != nil {
			t.Fatal(err)
		}
		m.Forward(s, []int{5}, false) // warm-up
		allocs := testing.AllocsPerRun(50, func() {
			if _, err := m.Forward(s, []int{7}, false); err != nil {
				t.Fatal(err)
			}
		})
		m.Close()
		if allocs != 0 {
			t.Fatalf("%s: a decode step allocates %v times", name, allocs)
		}
	}
}

// BenchmarkDecodeStep times one decode step of the bundled tiny_a model on
// two threads (go test -bench DecodeStep -benchmem: 0 allocs/op).
func BenchmarkDecodeStep(b *testing.B) {
	w := weightsFromHF(b, "../golden/models/tiny_a")
	m, err := New(w, 2)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	s := mustState(b, m, 0)
	b.ReportAllocs()
	for b.Loop() {
		if s.Pos() == s.ctx {
			s.Reset()
		}
		if _, err := m.Forward(s, []int{7}, false); err != nil {
			b.Fatal(err)
		}
	}
}
