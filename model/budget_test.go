package model

import (
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/internal/limits"
)

// mustState is NewState for tests that expect it to succeed.
func mustState(t testing.TB, m *Model, ctx int) *State {
	t.Helper()
	s, err := m.NewState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withBudget makes the memory checks see avail bytes available.
func withBudget(t *testing.T, avail uint64) {
	old := available
	available = func() (uint64, bool) { return avail, true }
	t.Cleanup(func() { available = old })
}

// TestNewStateChecksBudget: the KV cache is sized from the context asked
// for and checked against the memory available before anything is
// allocated; too much is an error naming the bytes and the flag, not a
// fatal "out of memory".
func TestNewStateChecksBudget(t *testing.T) {
	w := weightsFromHF(t, "../golden/models/tiny_a")
	w.ContextLength = limits.MaxContext // as a file may claim
	m, err := New(w, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	withBudget(t, 64<<20)
	s, err := m.NewState(0) // the file's whole context: 1 GiB of cache
	if err == nil {
		s.Close()
		t.Fatal("a context of 2^20 tokens fit in 64 MiB")
	}
	for _, want := range []string{"1048576 tokens", "bytes", "-c"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// What the run needs fits: a prompt of 5 and 16 new tokens.
	ctx := m.ContextFor(0, 5, 16)
	if ctx != 21 {
		t.Fatalf("ContextFor(0, 5, 16) = %d, want 21", ctx)
	}
	s, err = m.NewState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if got := m.ContextFor(100, 5, 16); got != 100 {
		t.Errorf("ContextFor(100, 5, 16) = %d: -c wins", got)
	}
	if got := m.ContextFor(0, 5, 0); got != w.ContextLength {
		t.Errorf("ContextFor(0, 5, 0) = %d: generating until the context is full takes it all", got)
	}
	if got := m.ContextFor(0, 5, 1<<40); got != w.ContextLength {
		t.Errorf("ContextFor(0, 5, 2^40) = %d: capped by the model's", got)
	}
}

// TestForwardChecksBudget: a prompt whose batch buffers (and logits for
// every position) do not fit is refused before they are allocated, and the
// state is left as it was.
func TestForwardChecksBudget(t *testing.T) {
	w := weightsFromHF(t, "../golden/models/tiny_a")
	w.ContextLength = 1 << 16
	m, err := New(w, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	s := mustState(t, m, 0)
	defer s.Close()
	withBudget(t, 32<<20)
	ids := make([]int, 1<<15)
	_, err = m.Forward(s, ids, true) // 2^15 × 1000 logits alone are 128 MiB
	if err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("err = %v", err)
	}
	if s.Pos() != 0 {
		t.Fatalf("refused batch moved the state to %d", s.Pos())
	}
	if _, err := m.Forward(s, ids[:8], true); err != nil {
		t.Fatal(err)
	}
}
