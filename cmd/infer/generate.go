package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/internal/interrupt"
	"github.com/bitnet-go/bitnet/internal/sysmem"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/tokenizer"
)

func generate(c *cli.Context) error {
	if c.String("model") == "" {
		return fmt.Errorf("-m FILE.gguf is required (see --help)")
	}
	if c.String("prompt") == "" && c.String("prompt-ids") == "" && !c.Bool("chat") {
		return fmt.Errorf("give a prompt with -p TEXT or --prompt-ids 1,2,3")
	}
	mode, restore, err := prepare(c)
	if err != nil {
		return err
	}
	defer restore()
	t0 := time.Now()
	m, err := model.OpenWith(c.String("model"), model.LoadOptions{Threads: c.Int("threads"), Mode: mode})
	if err != nil {
		return err
	}
	defer m.Close()
	load := time.Since(t0)
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
			return fmt.Errorf("-p needs a tokenizer: %w", err)
		}
		if prompt, err = encodePrompt(c, m, tok); err != nil {
			return err
		}
	}
	ctx, stop := interrupt.Context(context.Background())
	defer stop()
	seed := c.Uint64("seed")
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	opts := model.GenerateOptions{
		MaxTokens: c.Int("n-predict"),
		Sampler:   model.NewSampler(float32(c.Float64("temp")), c.Int("top-k"), float32(c.Float64("top-p")), seed),
		Stop:      stopTokens(m, tok),
	}
	out := newPrinter(tok)
	var firstToken time.Duration // from the start of loading: time to first token
	opts.OnToken = func(id int) bool {
		if firstToken == 0 {
			firstToken = time.Since(t0)
		}
		out.token(id)
		return true
	}
	// The KV cache is sized from what the run needs (-c, else prompt + -n),
	// not the file's whole context_length.
	s, err := m.NewState(m.ContextFor(c.Int("ctx-size"), len(prompt), opts.MaxTokens))
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := m.Generate(ctx, s, prompt, opts)
	out.flush()
	if err != nil && ctx.Err() == nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nload %.2f s (%s) | first token at %.2f s | prompt %d tokens, %.1f tok/s | generation %d tokens, %.1f tok/s | %s | %d threads, kernel %s\n",
		load.Seconds(), loadedHow(m), firstToken.Seconds(), st.PromptTokens, st.PromptTPS(), st.Generated, st.GenTPS(), peakMemory(), m.Threads(), kernel.Active())
	return nil
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

// stopTokens are EOS and <|eot_id|> when the model or tokenizer has them.
func stopTokens(m *model.Model, tok *tokenizer.Tokenizer) []int {
	var stop []int
	if m.W.EOS >= 0 {
		stop = append(stop, m.W.EOS)
	}
	if tok != nil {
		if id, ok := tok.TokenID("<|eot_id|>"); ok {
			stop = append(stop, id)
		}
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
	dec   *tokenizer.StreamDecoder
	first bool
}

func newPrinter(tok *tokenizer.Tokenizer) *printer {
	p := &printer{first: true}
	if tok != nil {
		p.dec = tok.NewStreamDecoder()
	}
	return p
}

func (p *printer) token(id int) {
	if p.dec != nil {
		os.Stdout.WriteString(p.dec.Add(id))
		return
	}
	if !p.first {
		os.Stdout.WriteString(",")
	}
	p.first = false
	os.Stdout.WriteString(strconv.Itoa(id))
}

func (p *printer) flush() {
	if p.dec != nil {
		os.Stdout.WriteString(p.dec.Flush())
	}
	os.Stdout.WriteString("\n")
}

// peakMemory describes the peak resident set size for the timing line.
func peakMemory() string {
	n, ok := sysmem.PeakRSS()
	if !ok {
		return "peak memory unknown"
	}
	return fmt.Sprintf("peak memory %.0f MB", float64(n)/(1<<20))
}
