package parity

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/model"
)

// TestBeyondContext feeds a model more tokens than its context length
// (tiny_a: 256) every way a caller can: a golden, one Forward, two
// Forwards, a state asked for more, and a generation that runs into the
// end. Each is an error naming the context, or a clean stop; none panics.
func TestBeyondContext(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tiny_a.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/tiny_a", OutFile: out}); err != nil {
		t.Fatal(err)
	}
	m, err := model.Open(out, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctxLen := m.W.ContextLength
	if ctxLen != 256 {
		t.Fatalf("context length %d, want 256", ctxLen)
	}
	ids := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = (i * 37) % m.W.Vocab
		}
		return out
	}

	g := &Golden{Path: "long.safetensors", IDs: ids(ctxLen + 1), Vocab: m.W.Vocab, Logits: make([]float32, (ctxLen+1)*m.W.Vocab)}
	if _, _, err := Run(m, g, DefaultTolerance("float32", true)); err == nil || !strings.Contains(err.Error(), "context length 256") {
		t.Errorf("golden beyond the context: err = %v", err)
	}

	if _, err := m.Forward(newState(t, m, 0), ids(ctxLen+1), false); err == nil || !strings.Contains(err.Error(), "context of 256") {
		t.Errorf("one Forward beyond the context: err = %v", err)
	}
	s := newState(t, m, 10*ctxLen) // clamped to the model's
	if _, err := m.Forward(s, ids(ctxLen-10), false); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Forward(s, ids(11), false); err == nil || !strings.Contains(err.Error(), "context of 256") {
		t.Errorf("second Forward beyond the context: err = %v", err)
	}
	if _, err := m.Forward(s, ids(10), false); err != nil {
		t.Errorf("filling the context exactly after a refused Forward: %v", err)
	}

	st, err := m.Generate(context.Background(), newState(t, m, 0), ids(ctxLen-3), model.GenerateOptions{MaxTokens: 100})
	if err != nil {
		t.Errorf("generation into the end of the context: %v", err)
	}
	if st.Generated < 1 || st.Generated > 4 {
		t.Errorf("generated %d tokens with 3 positions left", st.Generated)
	}
	if _, err := m.Generate(context.Background(), newState(t, m, 0), ids(ctxLen+1), model.GenerateOptions{MaxTokens: 1}); err == nil {
		t.Error("a prompt beyond the context was accepted")
	}
}

func newState(t *testing.T, m *model.Model, ctx int) *model.State {
	t.Helper()
	s, err := m.NewState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
