package parity

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"

	"github.com/bitnet-go/bitnet/model"
)

// PerplexityOptions configures Perplexity, llama-perplexity's protocol:
// the tokens are cut into chunks of Ctx, each evaluated on its own from an
// empty cache with its first token replaced by BOS, and only the second
// half of each chunk is scored (every scored token then sees at least
// Ctx/2 tokens of context).
type PerplexityOptions struct {
	Ctx    int // tokens per chunk (llama-perplexity's -c)
	Chunks int // at most this many chunks (≤ 0: all that fit)
	BOS    int // replaces each chunk's first token (< 0: keep it)
	// OnChunk, if set, is called after each chunk with the running result.
	OnChunk func(r *PerplexityResult)
	// OnLogits, if set, receives each chunk's tokens (BOS applied) and
	// logits for every position, [Ctx][Vocab], valid during the call.
	OnLogits func(chunk int, tokens []int, logits []float32) error
}

// PerplexityResult holds the negative log-likelihood of every scored token.
type PerplexityResult struct {
	Chunks int       // chunks evaluated
	NLL    []float64 // -log p(token | context), in order
}

// PPL returns exp(mean NLL) and its uncertainty as llama-perplexity
// reports it: PPL times the standard error of the mean NLL.
func (r *PerplexityResult) PPL() (ppl, uncertainty float64) {
	if len(r.NLL) == 0 {
		return math.NaN(), math.NaN()
	}
	mean, std := stat.MeanStdDev(r.NLL, nil)
	ppl = math.Exp(mean)
	if len(r.NLL) < 2 {
		return ppl, math.NaN()
	}
	return ppl, ppl * stat.StdErr(std, float64(len(r.NLL)))
}

// PerplexityChunks is the number of chunks Perplexity evaluates.
func PerplexityChunks(tokens int, o PerplexityOptions) int {
	n := tokens / o.Ctx
	if o.Chunks > 0 {
		n = min(n, o.Chunks)
	}
	return n
}

// chunkModel is what Perplexity and CompareBase need of a model: its
// vocabulary and context length, and the logits of every position of a
// chunk evaluated from an empty cache ([len(ids)][vocab], valid until the
// next eval).
type chunkModel interface {
	vocab() int
	contextLength() int
	eval(ids []int) ([]float32, error)
	close()
}

// modelChunks is a chunkModel over a model, with one state sized by the
// first chunk and reset before each.
type modelChunks struct {
	m  *model.Model
	st *model.State
}

func (c *modelChunks) vocab() int         { return c.m.W.Vocab }
func (c *modelChunks) contextLength() int { return c.m.W.ContextLength }

func (c *modelChunks) eval(ids []int) ([]float32, error) {
	if c.st == nil {
		st, err := c.m.NewState(len(ids))
		if err != nil {
			return nil, err
		}
		c.st = st
	}
	c.st.Reset()
	return c.m.Forward(c.st, ids, true)
}

func (c *modelChunks) close() {
	if c.st != nil {
		c.st.Close()
	}
}

// Perplexity evaluates tokens as PerplexityOptions describes. Like
// llama-perplexity it needs at least 2·Ctx tokens.
func Perplexity(ctx context.Context, m *model.Model, tokens []int, o PerplexityOptions) (*PerplexityResult, error) {
	cm := &modelChunks{m: m}
	defer cm.close()
	return perplexity(ctx, cm, tokens, o)
}

func perplexity(ctx context.Context, m chunkModel, tokens []int, o PerplexityOptions) (*PerplexityResult, error) {
	if o.Ctx < 4 {
		return nil, fmt.Errorf("perplexity: a context of %d tokens is too small (at least 4)", o.Ctx)
	}
	if o.Ctx > m.contextLength() {
		return nil, fmt.Errorf("perplexity: -c %d is above the model's context of %d tokens", o.Ctx, m.contextLength())
	}
	if len(tokens) < 2*o.Ctx {
		return nil, fmt.Errorf("perplexity: the text has %d tokens; a context of %d needs at least %d (2·c): use a longer text or a smaller -c", len(tokens), o.Ctx, 2*o.Ctx)
	}
	V := m.vocab()
	r := &PerplexityResult{}
	batch := make([]int, o.Ctx)
	lp := make([]float64, V)
	first := o.Ctx / 2
	for c := range PerplexityChunks(len(tokens), o) {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		start := c * o.Ctx
		copy(batch, tokens[start:start+o.Ctx])
		if o.BOS >= 0 {
			batch[0] = o.BOS
		}
		logits, err := m.eval(batch)
		if err != nil {
			return r, err
		}
		for j := first; j < o.Ctx-1; j++ {
			row := logits[j*V : (j+1)*V]
			for i, v := range row {
				lp[i] = float64(v)
			}
			r.NLL = append(r.NLL, floats.LogSumExp(lp)-lp[tokens[start+j+1]])
		}
		r.Chunks++
		if o.OnLogits != nil {
			if err := o.OnLogits(c, batch, logits); err != nil {
				return r, err
			}
		}
		if o.OnChunk != nil {
			o.OnChunk(r)
		}
	}
	return r, nil
}

// KLResult compares our logits with a base run's over the same tokens.
type KLResult struct {
	Positions int
	MeanKL    float64 // mean KL(base ‖ ours) per position, nats
	Top1      float64 // fraction of positions with the same most likely token
	MaxAbs    float64 // max |Δlogit|
}

// CompareBase runs base's input ids through m and compares every
// position's logits with base's. A base written by Perplexity's
// OnLogits (infer perplexity --save-logits) carries its chunk size as
// metadata "n_ctx" and is evaluated chunk by chunk, each from an empty
// cache; a golden (scripts/golden.py) is one sequence. onChunk, if set,
// sees the running result.
func CompareBase(ctx context.Context, m *model.Model, base *Golden, onChunk func(chunk int, r KLResult)) (KLResult, error) {
	cm := &modelChunks{m: m}
	defer cm.close()
	return compareBase(ctx, cm, base, onChunk)
}

func compareBase(ctx context.Context, m chunkModel, base *Golden, onChunk func(chunk int, r KLResult)) (KLResult, error) {
	var res KLResult
	V := m.vocab()
	if base.Vocab != V {
		return res, fmt.Errorf("%s: base vocabulary %d, model %d: the base is from another model", base.Path, base.Vocab, V)
	}
	n := len(base.IDs)
	chunk := n
	if s := base.Meta["n_ctx"]; s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || n%v != 0 {
			return res, fmt.Errorf("%s: n_ctx %q does not divide its %d tokens", base.Path, s, n)
		}
		chunk = v
	}
	if chunk > m.contextLength() {
		return res, fmt.Errorf("%s: chunks of %d tokens exceed the model's context of %d", base.Path, chunk, m.contextLength())
	}
	var kl, top1, weights []float64
	for c := 0; c*chunk < n; c++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		ids := base.IDs[c*chunk : (c+1)*chunk]
		logits, err := m.eval(ids)
		if err != nil {
			return res, err
		}
		met := Compare(logits, base.Logits[c*chunk*V:(c+1)*chunk*V], V)
		kl, top1, weights = append(kl, met.KL), append(top1, met.Top1), append(weights, float64(met.Positions))
		res.Positions += met.Positions
		res.MaxAbs = max(res.MaxAbs, met.MaxAbs)
		res.MeanKL, res.Top1 = stat.Mean(kl, weights), stat.Mean(top1, weights)
		if onChunk != nil {
			onChunk(c, res)
		}
	}
	return res, nil
}
