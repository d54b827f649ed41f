package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/internal/cliapp"
	"github.com/bitnet-go/bitnet/internal/interrupt"
	"github.com/bitnet-go/bitnet/internal/regfile"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/model"
	"github.com/bitnet-go/bitnet/parity"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// maxSavedLogits caps --save-logits (held in memory, then written; a
// golden file is read back under parity.MaxGoldenSize).
const maxSavedLogits = 2 << 30

func perplexityCommand() *cli.Command {
	return &cli.Command{
		Name:      "perplexity",
		Usage:     "perplexity of a text as llama-perplexity computes it, or KL divergence against a base run",
		UsageText: "infer perplexity -m FILE.gguf -f TEXT [-c 512] [--chunks N] [--save-logits OUT.safetensors]\ninfer perplexity -m FILE.gguf --kl-divergence BASE.safetensors",
		Description: `llama-perplexity's protocol: the text is tokenized (BOS first) and cut into chunks
of -c tokens; each chunk is evaluated on its own from an empty cache with its first
token replaced by BOS, and only the second half of each chunk is scored, so every
scored token sees at least c/2 tokens of context. A running estimate is printed per
chunk ([1]x,[2]y,...), then "Final estimate: PPL = X +/- U", U being PPL times the
standard error of the mean negative log-likelihood. The text needs at least 2·c tokens.

--save-logits writes every chunk's tokens and logits (every position) in the golden
format (safetensors: input_ids, logits, metadata n_ctx). --kl-divergence BASE runs
BASE's tokens (chunk by chunk for a --save-logits file, as one sequence for a golden
from scripts/golden.py) and reports the mean KL(base ‖ ours) per position, the share
of positions whose most likely token agrees (top-1) and the largest |Δlogit|.`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, Usage: "GGUF model file"},
			&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "UTF-8 text file to score"},
			&cli.IntFlag{Name: "ctx-size", Aliases: []string{"c"}, Value: 512, Usage: "tokens per chunk"},
			&cli.IntFlag{Name: "chunks", Usage: "evaluate at most this many chunks (0: all)"},
			&cli.StringFlag{Name: "save-logits", Usage: "write the chunks' tokens and logits to this safetensors file (a base for --kl-divergence)"},
			&cli.StringFlag{Name: "kl-divergence", Usage: "compare with BASE: a --save-logits file or a golden from scripts/golden.py"},
			&cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Value: 2, Usage: "threads"},
			&cli.StringFlag{Name: "kernel", Value: "auto", Usage: "kernel path: auto, " + strings.Join(kernel.Paths(), ", ")},
		}, loadFlags()...),
		Action: runPerplexity,
	}
}

func runPerplexity(c *cli.Context) error {
	if err := cliapp.Checks(
		cliapp.CheckInt(c, "threads", cliapp.Range{Min: 1, Max: cliapp.MaxThreads}),
		cliapp.CheckInt(c, "ctx-size", cliapp.Range{Min: 4, Max: math.Inf(1)}),
		cliapp.CheckInt(c, "chunks", cliapp.Range{Min: 0, Max: math.Inf(1), Note: "0: all"}),
	); err != nil {
		return err
	}
	if c.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (the text is given with -f FILE)", c.Args().First())
	}
	base := c.String("kl-divergence")
	if (c.String("file") == "") == (base == "") {
		return fmt.Errorf("give a text with -f FILE, or a base with --kl-divergence BASE (one of them)")
	}
	if base != "" && c.String("save-logits") != "" {
		return fmt.Errorf("--save-logits and --kl-divergence exclude each other")
	}
	mode, restore, err := prepare(c)
	if err != nil {
		return err
	}
	defer restore()
	m, err := model.OpenWith(c.String("model"), model.LoadOptions{Threads: c.Int("threads"), Mode: mode, Prefetch: c.String("prefetch")})
	if err != nil {
		return err
	}
	defer m.Close()
	ctx, stop := interrupt.Context(context.Background())
	defer stop()
	t0 := time.Now()
	if base != "" {
		g, err := parity.ReadGolden(base)
		if err != nil {
			return err
		}
		res, err := parity.CompareBase(ctx, m, g, func(chunk int, r parity.KLResult) {
			fmt.Printf("[%d]%.6f,", chunk+1, r.MeanKL)
		})
		fmt.Println()
		if err != nil {
			return err
		}
		fmt.Printf("KL divergence vs %s over %d positions: mean KL %.6f nats | top-1 agreement %.2f%% | max |Δlogit| %.4g\n",
			base, res.Positions, res.MeanKL, 100*res.Top1, res.MaxAbs)
		fmt.Fprintf(os.Stderr, "%.1f s | %d threads, kernel %s\n", time.Since(t0).Seconds(), m.Threads(), kernel.Active())
		return nil
	}

	text, err := readText(c.String("file"))
	if err != nil {
		return err
	}
	tok, err := tokenizer.FromGGUF(m.File())
	if err != nil {
		return fmt.Errorf("perplexity needs a tokenizer in the file: %w", err)
	}
	tokens := tok.Encode(text, true)
	o := parity.PerplexityOptions{Ctx: c.Int("ctx-size"), Chunks: c.Int("chunks"), BOS: tok.BOS()}
	if o.Ctx > m.W.ContextLength {
		return fmt.Errorf("-c %d is above the model's context of %d tokens", o.Ctx, m.W.ContextLength)
	}
	n := parity.PerplexityChunks(len(tokens), o)
	fmt.Fprintf(os.Stderr, "%s: %d tokens, %d chunks of %d\n", c.String("file"), len(tokens), n, o.Ctx)
	var saved *parity.Golden
	if path := c.String("save-logits"); path != "" {
		if size := int64(n) * int64(o.Ctx) * int64(m.W.Vocab) * 4; size > maxSavedLogits {
			return fmt.Errorf("--save-logits: %d chunks of %d tokens × %d logits are %d MB, above the %d MB cap: lower --chunks", n, o.Ctx, m.W.Vocab, size>>20, maxSavedLogits>>20)
		}
		saved = &parity.Golden{Vocab: m.W.Vocab, Meta: map[string]string{"n_ctx": strconv.Itoa(o.Ctx), "source": "bitnet-go infer perplexity", "model": c.String("model"), "text": c.String("file")}}
		o.OnLogits = func(_ int, ids []int, logits []float32) error {
			saved.IDs = append(saved.IDs, ids...)
			saved.Logits = append(saved.Logits, logits...)
			return nil
		}
	}
	o.OnChunk = func(r *parity.PerplexityResult) {
		ppl, _ := r.PPL()
		fmt.Printf("[%d]%.4f,", r.Chunks, ppl)
	}
	r, err := parity.Perplexity(ctx, m, tokens, o)
	fmt.Println()
	if err != nil {
		return err
	}
	ppl, unc := r.PPL()
	fmt.Printf("Final estimate: PPL = %.4f +/- %.5f\n", ppl, unc)
	if saved != nil {
		if err := parity.WriteGolden(c.String("save-logits"), saved, true); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "wrote %s: %d tokens of logits\n", c.String("save-logits"), len(saved.IDs))
	}
	el := time.Since(t0).Seconds()
	fmt.Fprintf(os.Stderr, "%d tokens scored in %.1f s (%.1f tok/s evaluated) | %d threads, kernel %s\n", len(r.NLL), el, float64(r.Chunks*o.Ctx)/el, m.Threads(), kernel.Active())
	return nil
}

// readText reads a regular file of at most 64 MiB.
func readText(path string) (string, error) {
	b, err := regfile.ReadFile(path, 64<<20)
	return string(b), err
}
