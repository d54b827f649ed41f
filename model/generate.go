package model

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// GenerateOptions configures Generate.
type GenerateOptions struct {
	MaxTokens int      // tokens to generate at most (≤ 0: until a stop token or the context is full)
	Sampler   *Sampler // nil: greedy
	Stop      []int    // token ids that end generation (not emitted)
	// OnToken receives each generated token; returning false stops.
	OnToken func(id int) bool
}

// Stats times a generation.
type Stats struct {
	PromptTokens int
	Prompt       time.Duration
	Generated    int
	Generation   time.Duration
}

// PromptTPS and GenTPS are tokens per second of prefill and decode.
func (s Stats) PromptTPS() float64 { return float64(s.PromptTokens) / s.Prompt.Seconds() }
func (s Stats) GenTPS() float64    { return float64(s.Generated) / s.Generation.Seconds() }

// Generate runs prompt through the model (one prefill) and then samples up
// to opts.MaxTokens tokens, one decode step each.
func (m *Model) Generate(ctx context.Context, s *State, prompt []int, opts GenerateOptions) (Stats, error) {
	var st Stats
	if len(prompt) == 0 {
		return st, fmt.Errorf("empty prompt: at least one token (e.g. BOS) is needed")
	}
	sampler := opts.Sampler
	if sampler == nil {
		sampler = NewSampler(0, 0, 1, 0)
	}
	t0 := time.Now()
	logits, err := m.Forward(s, prompt, false)
	if err != nil {
		return st, err
	}
	st.PromptTokens, st.Prompt = len(prompt), time.Since(t0)
	t0 = time.Now()
	defer func() { st.Generation = time.Since(t0) }()
	for opts.MaxTokens <= 0 || st.Generated < opts.MaxTokens {
		if err := ctx.Err(); err != nil {
			st.Generation = time.Since(t0)
			return st, err
		}
		id := sampler.Sample(logits)
		if slices.Contains(opts.Stop, id) {
			break
		}
		st.Generated++
		if opts.OnToken != nil && !opts.OnToken(id) {
			break
		}
		if s.Pos() >= s.ctx {
			break
		}
		if logits, err = m.Forward(s, []int{id}, false); err != nil {
			st.Generation = time.Since(t0)
			return st, err
		}
	}
	st.Generation = time.Since(t0)
	return st, nil
}
