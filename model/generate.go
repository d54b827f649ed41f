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
	Stop      []int    // token ids that end generation (not emitted, not added to the cache)
	// OnToken receives each generated token; returning false stops.
	OnToken func(id int) bool
}

// StopReason says why Generate returned.
type StopReason int

const (
	StopToken    StopReason = iota // a token of GenerateOptions.Stop was sampled (Stats.StopToken)
	StopMax                        // MaxTokens were generated
	StopContext                    // the context is full
	StopCallback                   // OnToken returned false
	StopCanceled                   // the context.Context was canceled
	StopError                      // the forward pass failed
)

func (r StopReason) String() string {
	switch r {
	case StopToken:
		return "end-of-generation token"
	case StopMax:
		return "-n reached"
	case StopContext:
		return "context full"
	case StopCallback:
		return "stopped"
	case StopCanceled:
		return "interrupted"
	}
	return "error"
}

// Stats times a generation and says how it ended.
type Stats struct {
	PromptTokens int
	Prompt       time.Duration
	Generated    int
	Generation   time.Duration
	Stop         StopReason
	StopToken    int // the stop token sampled when Stop is StopToken, else -1
}

// PromptTPS and GenTPS are tokens per second of prefill and decode.
func (s Stats) PromptTPS() float64 { return float64(s.PromptTokens) / s.Prompt.Seconds() }
func (s Stats) GenTPS() float64    { return float64(s.Generated) / s.Generation.Seconds() }

// Generate runs prompt through the model (one prefill, appended to what s
// already holds) and then samples up to opts.MaxTokens tokens, one decode
// step each. Every emitted token is in s's cache when Generate returns,
// except the last one when the context is full or OnToken stopped; a stop
// token is not.
func (m *Model) Generate(ctx context.Context, s *State, prompt []int, opts GenerateOptions) (Stats, error) {
	st := Stats{StopToken: -1}
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
		st.Stop = StopError
		return st, err
	}
	st.PromptTokens, st.Prompt = len(prompt), time.Since(t0)
	t0 = time.Now()
	defer func() { st.Generation = time.Since(t0) }()
	for {
		if opts.MaxTokens > 0 && st.Generated >= opts.MaxTokens {
			st.Stop = StopMax
			break
		}
		if err := ctx.Err(); err != nil {
			st.Stop, st.Generation = StopCanceled, time.Since(t0)
			return st, err
		}
		id := sampler.Sample(logits)
		if slices.Contains(opts.Stop, id) {
			st.Stop, st.StopToken = StopToken, id
			break
		}
		st.Generated++
		if opts.OnToken != nil && !opts.OnToken(id) {
			st.Stop = StopCallback
			break
		}
		if s.Pos() >= s.ctx {
			st.Stop = StopContext
			break
		}
		if logits, err = m.Forward(s, []int{id}, false); err != nil {
			st.Stop, st.Generation = StopError, time.Since(t0)
			return st, err
		}
	}
	st.Generation = time.Since(t0)
	return st, nil
}

// Context is the number of tokens s can hold.
func (s *State) Context() int { return s.ctx }
