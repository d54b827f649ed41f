package parity

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// fakeModel is a chunkModel whose logits are a function of the chunk's
// ids and positions (rows), so that every figure can be computed by hand.
// It records the chunks it was given.
type fakeModel struct {
	V, ctx int
	rows   func(ids []int, j int, row []float32) // fills row j of a chunk
	chunks [][]int
}

func (f *fakeModel) vocab() int         { return f.V }
func (f *fakeModel) contextLength() int { return f.ctx }
func (f *fakeModel) close()             {}

func (f *fakeModel) eval(ids []int) ([]float32, error) {
	f.chunks = append(f.chunks, slices.Clone(ids))
	out := make([]float32, len(ids)*f.V)
	for j := range ids {
		f.rows(ids, j, out[j*f.V:(j+1)*f.V])
	}
	return out, nil
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want)) }

// TestPerplexityUniform: every logit equal gives p = 1/V for every token,
// so NLL = ln V everywhere and PPL = V with zero uncertainty.
func TestPerplexityUniform(t *testing.T) {
	const V = 37
	m := &fakeModel{V: V, ctx: 64, rows: func([]int, int, []float32) {}}
	tokens := make([]int, 40)
	for i := range tokens {
		tokens[i] = (i * 7) % V
	}
	r, err := perplexity(context.Background(), m, tokens, PerplexityOptions{Ctx: 16, BOS: 1})
	if err != nil {
		t.Fatal(err)
	}
	// 40 tokens / 16 = 2 chunks, scoring positions 8..14 of each: 7 tokens.
	if r.Chunks != 2 || len(r.NLL) != 14 {
		t.Fatalf("%d chunks, %d scored tokens; want 2, 14", r.Chunks, len(r.NLL))
	}
	for i, nll := range r.NLL {
		if !near(nll, math.Log(V), 1e-12) {
			t.Errorf("NLL[%d] = %v, want ln %d = %v", i, nll, V, math.Log(V))
		}
	}
	ppl, unc := r.PPL()
	if !near(ppl, V, 1e-12) || math.Abs(unc) > 1e-9 {
		t.Errorf("PPL %v ± %v, want %d ± 0", ppl, unc, V)
	}
}

// TestPerplexityChunks uses a "successor" model: row j gives logit 2 to
// token (ids[j]+1) mod V and 0 to the others, so a scored token costs
// ln(e²+V−1) − 2 when it is its predecessor's successor and ln(e²+V−1)
// when not. It checks which positions are scored (the second half of each
// chunk, predicting the next token of the text), that each chunk starts
// with BOS and otherwise holds the text, and --chunks.
func TestPerplexityChunks(t *testing.T) {
	const V, Ctx, BOS = 5, 8, 4
	m := &fakeModel{V: V, ctx: 256, rows: func(ids []int, j int, row []float32) { row[(ids[j]+1)%V] = 2 }}
	tokens := []int{
		0, 1, 2, 3, 0, 2, 3, 4, // chunk 0: scored: 0→2 miss, 2→3 hit, 3→4 hit
		3, 3, 3, 3, 1, 2, 0, 0, // chunk 1: scored: 1→2 hit, 2→0 miss, 0→0 miss
		1, 2, 3, // left over: less than a chunk, not evaluated
	}
	lse := math.Log(math.Exp(2) + V - 1)
	hit, miss := lse-2, lse
	want := []float64{miss, hit, hit, hit, miss, miss}
	r, err := perplexity(context.Background(), m, tokens, PerplexityOptions{Ctx: Ctx, BOS: BOS})
	if err != nil {
		t.Fatal(err)
	}
	if r.Chunks != 2 || len(r.NLL) != len(want) {
		t.Fatalf("%d chunks, NLL %v; want 2 chunks, %d tokens", r.Chunks, r.NLL, len(want))
	}
	for i := range want {
		if !near(r.NLL[i], want[i], 1e-12) {
			t.Errorf("NLL[%d] = %v, want %v", i, r.NLL[i], want[i])
		}
	}
	for c, got := range m.chunks {
		wantIDs := append([]int{BOS}, tokens[c*Ctx+1:(c+1)*Ctx]...)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("chunk %d evaluated as %v, want %v (BOS first, then the text)", c, got, wantIDs)
		}
	}
	mean := (3*hit + 3*miss) / 6
	if ppl, _ := r.PPL(); !near(ppl, math.Exp(mean), 1e-12) {
		t.Errorf("PPL %v, want exp(%v) = %v", ppl, mean, math.Exp(mean))
	}

	// BOS < 0 keeps each chunk's first token; --chunks 1 stops after one.
	m.chunks = nil
	r, err = perplexity(context.Background(), m, tokens, PerplexityOptions{Ctx: Ctx, BOS: -1, Chunks: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Chunks != 1 || len(r.NLL) != 3 || len(m.chunks) != 1 || !slices.Equal(m.chunks[0], tokens[:Ctx]) {
		t.Errorf("--chunks 1, no BOS: %d chunks, %d NLL, evaluated %v", r.Chunks, len(r.NLL), m.chunks)
	}
	if n := PerplexityChunks(len(tokens), PerplexityOptions{Ctx: Ctx}); n != 2 {
		t.Errorf("PerplexityChunks = %d, want 2", n)
	}
}

// TestPerplexityError checks PPL's uncertainty against llama-perplexity's
// formula, written out: with m = mean NLL and m2 = mean NLL², the error is
// PPL · sqrt((m2 − m²) / (N − 1)).
func TestPerplexityError(t *testing.T) {
	r := &PerplexityResult{NLL: []float64{1, 2, 3, 4}}
	ppl, unc := r.PPL()
	// m = 2.5, m2 = 7.5, m2 − m² = 1.25, N − 1 = 3.
	wantPPL := math.Exp(2.5)
	wantUnc := wantPPL * math.Sqrt(1.25/3)
	if !near(ppl, wantPPL, 1e-12) || !near(unc, wantUnc, 1e-12) {
		t.Errorf("PPL %v ± %v, want %v ± %v", ppl, unc, wantPPL, wantUnc)
	}
	r = &PerplexityResult{NLL: []float64{0.5, 0.5, 2}}
	m, m2 := 1.0, (0.25+0.25+4)/3
	wantPPL, wantUnc = math.Exp(m), math.Exp(m)*math.Sqrt((m2-m*m)/2)
	if ppl, unc = r.PPL(); !near(ppl, wantPPL, 1e-12) || !near(unc, wantUnc, 1e-12) {
		t.Errorf("PPL %v ± %v, want %v ± %v", ppl, unc, wantPPL, wantUnc)
	}
	if ppl, unc = (&PerplexityResult{NLL: []float64{math.Log(3)}}).PPL(); !near(ppl, 3, 1e-12) || !math.IsNaN(unc) {
		t.Errorf("one token: PPL %v ± %v, want 3 ± NaN", ppl, unc)
	}
	if ppl, _ = (&PerplexityResult{}).PPL(); !math.IsNaN(ppl) {
		t.Errorf("no tokens: PPL %v, want NaN", ppl)
	}
}

// TestPerplexityRefuses: too short a text, too small or too large a
// context are errors naming the numbers, and nothing is evaluated.
func TestPerplexityRefuses(t *testing.T) {
	m := &fakeModel{V: 4, ctx: 32, rows: func([]int, int, []float32) {}}
	cases := []struct {
		tokens, ctx int
		want        string
	}{
		{31, 16, "the text has 31 tokens; a context of 16 needs at least 32"},
		{100, 3, "a context of 3 tokens is too small"},
		{100, 33, "-c 33 is above the model's context of 32"},
	}
	for _, c := range cases {
		_, err := perplexity(context.Background(), m, make([]int, c.tokens), PerplexityOptions{Ctx: c.ctx})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d tokens, -c %d: err = %v, want %q", c.tokens, c.ctx, err, c.want)
		}
	}
	if len(m.chunks) != 0 {
		t.Errorf("refused runs evaluated %d chunks", len(m.chunks))
	}
	if _, err := perplexity(context.Background(), m, make([]int, 32), PerplexityOptions{Ctx: 16}); err != nil {
		t.Errorf("exactly 2·c tokens: %v", err)
	}
}

// positional gives every row logits that depend on the token and on its
// position in the chunk, so a base evaluated with other chunk boundaries
// would differ.
func positional(ids []int, j int, row []float32) {
	for i := range row {
		row[i] = float32((ids[j]*3+i*5+j*7)%11) / 4
	}
}

// TestCompareBaseSelf: a base saved from the same model, chunk by chunk
// (n_ctx), gives KL 0, top-1 100% and max |Δ| 0, and CompareBase
// evaluates it with the base's chunks.
func TestCompareBaseSelf(t *testing.T) {
	const V, chunk = 6, 4
	ids := []int{5, 1, 4, 2, 0, 3, 3, 1}
	m := &fakeModel{V: V, ctx: 16, rows: positional}
	var logits []float32
	for c := 0; c < len(ids)/chunk; c++ {
		l, _ := m.eval(ids[c*chunk : (c+1)*chunk])
		logits = append(logits, l...)
	}
	m.chunks = nil
	base := &Golden{Path: "base", IDs: ids, Vocab: V, Logits: logits, Meta: map[string]string{"n_ctx": "4"}}
	var seen []int
	res, err := compareBase(context.Background(), m, base, func(c int, _ KLResult) { seen = append(seen, c) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Positions != 8 || res.MeanKL != 0 || res.Top1 != 1 || res.MaxAbs != 0 {
		t.Errorf("self comparison: %+v, want 8 positions, KL 0, top-1 1, max 0", res)
	}
	if !slices.Equal(seen, []int{0, 1}) || len(m.chunks) != 2 || !slices.Equal(m.chunks[1], ids[4:]) {
		t.Errorf("chunks reported %v, evaluated %v; want the base's two chunks of 4", seen, m.chunks)
	}
	// Without n_ctx the base is one sequence: evaluated whole, it differs
	// from the chunked logits (the positions restart in the chunked run).
	base.Meta = nil
	if res, err = compareBase(context.Background(), m, base, nil); err != nil || res.MaxAbs == 0 {
		t.Errorf("base without n_ctx: %+v, %v; want one sequence that differs", res, err)
	}
}

// TestCompareBaseByHand: a vocabulary of two tokens. At position 0 the base
// has logits (0, ln 3), P = (1/4, 3/4), and ours (0, 0), Q = (1/2, 1/2):
// KL(P‖Q) = 1/4·ln(1/2) + 3/4·ln(3/2), argmaxes differ (1 vs 0). At
// position 1 both are (2, 0): KL 0, same argmax. Mean KL is half the
// first, top-1 50%, max |Δ| ln 3.
func TestCompareBaseByHand(t *testing.T) {
	ln3 := float32(math.Log(3))
	m := &fakeModel{V: 2, ctx: 8, rows: func(_ []int, j int, row []float32) {
		if j == 1 {
			row[0] = 2
		}
	}}
	base := &Golden{Path: "base", IDs: []int{0, 1}, Vocab: 2, Logits: []float32{0, ln3, 2, 0}}
	res, err := compareBase(context.Background(), m, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	kl0 := 0.25*math.Log(0.5) + 0.75*math.Log(1.5)
	if res.Positions != 2 || !near(res.MeanKL, kl0/2, 1e-7) || res.Top1 != 0.5 || !near(res.MaxAbs, float64(ln3), 1e-12) {
		t.Errorf("got %+v, want 2 positions, KL %v, top-1 0.5, max %v", res, kl0/2, ln3)
	}

	// Bases that cannot be compared are refused by name.
	for _, c := range []struct {
		g    *Golden
		want string
	}{
		{&Golden{Path: "b", IDs: []int{0}, Vocab: 3, Logits: make([]float32, 3)}, "base vocabulary 3, model 2"},
		{&Golden{Path: "b", IDs: []int{0, 1, 0}, Vocab: 2, Logits: make([]float32, 6), Meta: map[string]string{"n_ctx": "2"}}, `n_ctx "2" does not divide its 3 tokens`},
		{&Golden{Path: "b", IDs: make([]int, 9), Vocab: 2, Logits: make([]float32, 18)}, "chunks of 9 tokens exceed the model's context of 8"},
	} {
		if _, err := compareBase(context.Background(), m, c.g, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
}
