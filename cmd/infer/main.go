// Command infer runs quick inference on a converted BitNet GGUF file:
// generation with streaming output, tokenization, and a llama-bench style
// benchmark.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/internal/cliapp"
	"github.com/bitnet-go/bitnet/kernel"
)

func main() {
	app := &cli.App{
		Name:      "infer",
		Usage:     "generate text with a BitNet b1.58 GGUF model",
		UsageText: "infer -m FILE.gguf -p PROMPT [options]\ninfer -m FILE.gguf --chat [--system TEXT] [options]   (interactive: one line per turn, Ctrl-C stops a reply, Ctrl-D or /exit quits)\ninfer perplexity|tokenize|detokenize|bench|membw [options]",
		Flags: append(append(modelFlags(),
			&cli.StringFlag{Name: "prompt", Aliases: []string{"p"}, Usage: "prompt text (needs a tokenizer in the file)"},
			&cli.StringFlag{Name: "prompt-ids", Usage: "prompt as comma-separated token ids (for files without a tokenizer); output is printed as ids"},
			&cli.IntFlag{Name: "n-predict", Aliases: []string{"n"}, Value: 128, Usage: "tokens to generate per reply (0 or -1: until an end-of-generation token or the context is full)"},
			&cli.Float64Flag{Name: "temp", Value: 0.8, Usage: "sampling temperature; 0 is greedy and deterministic"},
			&cli.IntFlag{Name: "top-k", Value: 40, Usage: "sample among the k most likely tokens (0: all)"},
			&cli.Float64Flag{Name: "top-p", Value: 0.95, Usage: "nucleus sampling threshold, 0 to 1 (1: off)"},
			&cli.Uint64Flag{Name: "seed", Value: 0, Usage: "random seed (0: a random one, printed at the end so the run can be repeated)"},
			&cli.BoolFlag{Name: "chat", Usage: "wrap the prompt in the BitNet chat format (\"User: ...<|eot_id|>Assistant: \"); without -p, an interactive chat reading one user turn per line from stdin"},
			&cli.StringFlag{Name: "system", Usage: "system message for --chat"},
			&cli.BoolFlag{Name: "check", Usage: "verify the file's SHA-256 checksums (written by convert) before running"},
			&cli.IntFlag{Name: "ctx-size", Aliases: []string{"c"}, Value: 0, Usage: "context size in tokens, at most the model's; it sizes the KV cache (0: prompt + -n, or the model's when -n ≤ 0)"},
		), loadFlags()...),
		Action: generate,
		Commands: []*cli.Command{
			{Name: "tokenize", Usage: "print the token ids of TEXT as a JSON array", ArgsUsage: "TEXT", Flags: []cli.Flag{
				&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, Usage: "GGUF file or tokenizer.json"},
				&cli.BoolFlag{Name: "no-bos", Usage: "do not add the BOS token"},
			}, Action: tokenize},
			{Name: "detokenize", Usage: "print the text of token IDS", ArgsUsage: "IDS...", Flags: []cli.Flag{
				&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, Usage: "GGUF file or tokenizer.json"},
			}, Action: detokenize},
			benchCommand(),
			membwCommand(),
			perplexityCommand(),
		},
	}
	if path := os.Getenv("BITNET_CPUPROFILE"); path != "" {
		stop := startProfile(path)
		defer stop()
	}
	if err := cliapp.RunArgs(app, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "infer:", err)
		os.Exit(1)
	}
}

func modelFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "GGUF model file"},
		&cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Value: 2, Usage: "threads"},
		&cli.StringFlag{Name: "kernel", Value: "auto", Usage: "kernel path: auto, " + strings.Join(kernel.Paths(), ", ")},
	}
}
