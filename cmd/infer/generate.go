package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/internal/cliapp"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/internal/interrupt"
	"github.com/bitnet-go/bitnet/internal/progress"
	"github.com/bitnet-go/bitnet/internal/sysmem"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// checkGenerateFlags validates the numeric flags of a generation.
func checkGenerateFlags(c *cli.Context) error {
	return cliapp.Checks(
		cliapp.CheckInt(c, "threads", cliapp.Range{Min: 1, Max: cliapp.MaxThreads}),
		cliapp.CheckInt(c, "n-predict", cliapp.Range{Min: -1, Max: math.Inf(1), Note: "0 or -1: until an end-of-generation token or the context is full"}),
		cliapp.CheckFloat(c, "temp", cliapp.Range{Min: 0, Max: 100, Note: "0: greedy"}),
		cliapp.CheckInt(c, "top-k", cliapp.Range{Min: 0, Max: math.Inf(1), Note: "0: no limit"}),
		cliapp.CheckFloat(c, "top-p", cliapp.Range{Min: 0, Max: 1, Note: "1: off"}),
		cliapp.CheckInt(c, "ctx-size", cliapp.Range{Min: 0, Max: math.Inf(1), Note: "0: the model's context"}),
	)
}

func generate(c *cli.Context) error {
	if err := checkGenerateFlags(c); err != nil {
		return err
	}
	if c.String("model") == "" {
		return fmt.Errorf("-m FILE.gguf is required (see --help)")
	}
	interactive := c.Bool("chat") && c.String("prompt") == "" && c.String("prompt-ids") == ""
	if c.String("prompt") == "" && c.String("prompt-ids") == "" && !c.Bool("chat") {
		return fmt.Errorf("give a prompt with -p TEXT or --prompt-ids 1,2,3, or --chat for an interactive chat")
	}
	mode, restore, err := prepare(c)
	if err != nil {
		return err
	}
	defer restore()
	t0 := time.Now()
	m, err := model.OpenWith(c.String("model"), model.LoadOptions{Threads: c.Int("threads"), Mode: mode, Prefetch: c.String("prefetch"),
		Note: func(note string) { fmt.Fprintln(os.Stderr, "note:", note) }})
	if err != nil {
		return err
	}
	defer m.Close()
	load := time.Since(t0)
	if n := c.Int("ctx-size"); n > m.W.ContextLength {
		return fmt.Errorf("-c %d is above the model's context of %d tokens: accepted from 1 to %d (0: the model's)", n, m.W.ContextLength, m.W.ContextLength)
	}
	if mode == model.LoadAuto && !m.File().Mapped() {
		fmt.Fprintf(os.Stderr, "note: %s sits in the page cache in 4 KiB pages, so it was read into huge-page memory (%.2f s); drop it from the cache once (dd if=%[1]s iflag=nocache count=0) and later loads map it in place\n", c.String("model"), load.Seconds())
	}
	if c.Bool("check") {
		if err := checkIntegrity(m); err != nil {
			return err
		}
	}

	var tok *tokenizer.Tokenizer
	var prompt []int
	if ids := c.String("prompt-ids"); ids != "" {
		if prompt, err = parseIDs(ids, m.W.Vocab); err != nil {
			return err
		}
		if _, has := m.File().Get("tokenizer.ggml.tokens"); has { // optional: ids are printed when absent
			if tok, err = tokenizer.FromGGUF(m.File()); err != nil {
				return err
			}
		}
	} else {
		if tok, err = tokenizer.FromGGUF(m.File()); err != nil {
			if interactive {
				return fmt.Errorf("--chat needs a tokenizer: %w", err)
			}
			return fmt.Errorf("-p needs a tokenizer: %w", err)
		}
		if !interactive {
			if prompt, err = encodePrompt(c, m, tok); err != nil {
				return err
			}
		}
	}
	seed, sampled := c.Uint64("seed"), c.Float64("temp") > 0
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	opts := model.GenerateOptions{
		MaxTokens: max(c.Int("n-predict"), 0),
		Sampler:   model.NewSampler(float32(c.Float64("temp")), c.Int("top-k"), float32(c.Float64("top-p")), seed),
		Stop:      stopTokens(m, tok),
	}
	// The KV cache is sized from what the run needs (-c, else prompt + -n,
	// the model's context for a chat), not always the file's whole one.
	maxTokens := opts.MaxTokens
	if interactive {
		maxTokens = 0
	}
	st, err := m.NewState(m.ContextFor(c.Int("ctx-size"), len(prompt), maxTokens))
	if err != nil {
		return err
	}
	defer st.Close()
	if interactive {
		sess, err := newChat(m, tok, st, opts, c.String("system"))
		if err != nil {
			return err
		}
		err = sess.run(os.Stdin, os.Stdout, os.Stderr, progress.IsTerminal(os.Stdin))
		fmt.Fprintf(os.Stderr, "%s | %s | %d threads, kernel %s\n", seedNote(seed, sampled), peakMemory(), m.Threads(), kernel.Active())
		return err
	}
	ctx, stop := interrupt.Context(context.Background())
	defer stop()
	out := newPrinter(tok, os.Stdout)
	var firstToken time.Duration // from the start of loading: time to first token
	opts.OnToken = func(id int) bool {
		if firstToken == 0 {
			firstToken = time.Since(t0)
		}
		out.token(id)
		return true
	}
	stats, err := m.Generate(ctx, st, prompt, opts)
	out.flush()
	if err != nil && ctx.Err() == nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nstop: %s | %s | load %.2f s (%s) | first token at %.2f s | prompt %d tokens, %.1f tok/s | generation %d tokens, %.1f tok/s | %s | %d threads, kernel %s, prefetch %s\n",
		stopNote(stats, tok, st), seedNote(seed, sampled), load.Seconds(), loadedHow(m), firstToken.Seconds(), stats.PromptTokens, stats.PromptTPS(), stats.Generated, stats.GenTPS(), peakMemory(), m.Threads(), kernel.Active(), m.PrefetchInfo(false))
	return nil
}

// stopNote names why a generation ended: eos, eot, eom (or the stop
// token's text), -n reached, context full (with its size), interrupted.
func stopNote(st model.Stats, tok *tokenizer.Tokenizer, s *model.State) string {
	switch st.Stop {
	case model.StopToken:
		if tok == nil {
			return fmt.Sprintf("eos (token %d)", st.StopToken)
		}
		text := tok.Decode([]int{st.StopToken})
		switch {
		case st.StopToken == tok.EOS():
			return "eos " + text
		case text == "<|eot_id|>":
			return "eot " + text
		case text == "<|eom_id|>":
			return "eom " + text
		}
		return "end-of-generation token " + text
	case model.StopContext:
		return fmt.Sprintf("context full (%d tokens; -c sets it, up to the model's)", s.Context())
	}
	return st.Stop.String()
}

// seedNote gives the seed of a sampled run so it can be repeated.
func seedNote(seed uint64, sampled bool) string {
	if !sampled {
		return "greedy"
	}
	return fmt.Sprintf("seed %d", seed)
}

// checkIntegrity recomputes the checksums convert stored and refuses a
// corrupted file, naming the damaged tensors.
func checkIntegrity(m *model.Model) error {
	problems, err := integrity.Check(m.File())
	if errors.Is(err, integrity.ErrNoChecksums) {
		fmt.Fprintln(os.Stderr, "warning: --check: the file has no checksums (not written by bitnet-go convert)")
		return nil
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		var names []string
		for _, p := range problems {
			names = append(names, p.String())
		}
		return fmt.Errorf("--check: the file is corrupted:\n  %s", strings.Join(names, "\n  "))
	}
	fmt.Fprintln(os.Stderr, "checksums ok")
	return nil
}

func encodePrompt(c *cli.Context, m *model.Model, tok *tokenizer.Tokenizer) ([]int, error) {
	text := c.String("prompt")
	if c.Bool("chat") {
		var msgs []tokenizer.Message
		if s := c.String("system"); s != "" {
			msgs = append(msgs, tokenizer.Message{Role: "system", Content: s})
		}
		msgs = append(msgs, tokenizer.Message{Role: "user", Content: text})
		tmpl, _ := m.File().String("tokenizer.chat_template")
		var err error
		if text, err = tokenizer.FormatChat(msgs, tmpl); err != nil {
			return nil, err
		}
	}
	addBOS := true
	if v, err := m.File().Bool("tokenizer.ggml.add_bos_token"); err == nil {
		addBOS = v
	}
	ids := tok.Encode(text, addBOS)
	if len(ids) == 0 {
		return nil, fmt.Errorf("the prompt encodes to no tokens")
	}
	return ids, nil
}

// stopTokens are the tokenizer's end-of-generation set (EOS, <|eot_id|>,
// <|eom_id|>, <|end_of_text|>: tokenizer.IsEOG), or the model's EOS for a
// file without a tokenizer.
func stopTokens(m *model.Model, tok *tokenizer.Tokenizer) []int {
	var stop []int
	if tok == nil {
		if m.W.EOS >= 0 {
			stop = append(stop, m.W.EOS)
		}
		return stop
	}
	for id := range tok.VocabSize() {
		if tok.IsEOG(id) {
			stop = append(stop, id)
		}
	}
	if m.W.EOS >= 0 && !slices.Contains(stop, m.W.EOS) {
		stop = append(stop, m.W.EOS)
	}
	return stop
}

func parseIDs(s string, vocab int) ([]int, error) {
	var ids []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("token id %q is not an integer", f)
		}
		if id < 0 || id >= vocab {
			return nil, fmt.Errorf("token id %d outside the vocabulary [0, %d)", id, vocab)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no token ids in %q", s)
	}
	return ids, nil
}

// printer streams generated text (or ids, without a tokenizer) to stdout.
type printer struct {
	w     io.Writer
	dec   *tokenizer.StreamDecoder
	first bool
}

func newPrinter(tok *tokenizer.Tokenizer, w io.Writer) *printer {
	p := &printer{w: w, first: true}
	if tok != nil {
		p.dec = tok.NewStreamDecoder()
	}
	return p
}

func (p *printer) token(id int) {
	if p.dec != nil {
		io.WriteString(p.w, p.dec.Add(id))
		return
	}
	if !p.first {
		io.WriteString(p.w, ",")
	}
	p.first = false
	io.WriteString(p.w, strconv.Itoa(id))
}

func (p *printer) flush() {
	if p.dec != nil {
		io.WriteString(p.w, p.dec.Flush())
	}
	io.WriteString(p.w, "\n")
}

// peakMemory describes the peak resident set size for the timing line.
func peakMemory() string {
	n, ok := sysmem.PeakRSS()
	if !ok {
		return "peak memory unknown"
	}
	return fmt.Sprintf("peak memory %.0f MB", float64(n)/(1<<20))
}
