// Command synth writes a random-weight Hugging Face ternary checkpoint
// (BitNetForCausalLM, docs/SEMANTICS.md §1, §3; or the ternary Llama family of
// Falcon3-1.58bit) for benchmarks and tests:
//
//	go run ./scripts/synth --preset 2b4t --out /tmp/synth-2b4t
//	go run ./scripts/synth --preset tiny --out /tmp/synth-tiny --packed
//	go run ./scripts/synth --preset falcon3-1b --out /tmp/synth-falcon3-1b
//
// The 2b4t preset has the exact shapes of microsoft/bitnet-b1.58-2B-4T
// (about 4.8 GB of BF16 master weights, three ~2 GB shards by default).
// falcon3-1b has those of tiiuae/Falcon3-1B-Instruct-1.58bit (packed U8 +
// weight_scale, 1/mean|W| as transformers' BitLinear reads it, an untied
// BF16 lm_head) with the LLaMA 3 tokenizer; falcon3-tiny is a two-layer
// model of that family with the LLaMA 3 vocabulary (128256), small enough
// for interop checks with bitnet.cpp. The Llama-family presets are always
// packed.
// Weights are drawn like the golden models' (golden/README.md) from a seeded
// generator; the output depends only on the flags.
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/urfave/cli/v2"
)

func main() {
	app := &cli.App{
		Name:      "synth",
		Usage:     "write a random-weight Hugging Face BitNet checkpoint",
		UsageText: "go run ./scripts/synth [--preset 2b4t|tiny|tiny-llama3|falcon3-1b|falcon3-tiny] --out DIR [options]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "preset", Value: "2b4t", Usage: "model shape: 2b4t (BitNet b1.58 2B4T), tiny (golden tiny_a), tiny-llama3 (tiny_a with LLaMA 3's vocabulary and tokenizer), falcon3-1b (Falcon3-1B-1.58bit), falcon3-tiny (tiny_llama_a shapes, LLaMA 3 vocabulary)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Required: true, Usage: "output directory"},
			&cli.IntFlag{Name: "hidden", Usage: "hidden size (overrides the preset)"},
			&cli.IntFlag{Name: "intermediate", Usage: "FFN intermediate size"},
			&cli.IntFlag{Name: "layers", Usage: "number of decoder layers"},
			&cli.IntFlag{Name: "heads", Usage: "attention heads"},
			&cli.IntFlag{Name: "kv-heads", Usage: "key/value heads"},
			&cli.IntFlag{Name: "vocab", Usage: "vocabulary size"},
			&cli.IntFlag{Name: "ctx", Usage: "max_position_embeddings"},
			&cli.IntFlag{Name: "shards", Usage: "number of safetensors files (default: ~2 GB each; 1 = model.safetensors)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.BoolFlag{Name: "packed", Usage: "write the offline packed form (U8 codes + weight_scale) instead of BF16 master weights"},
			&cli.StringFlag{Name: "tokenizer", Usage: "tokenizer.json to copy (default: the repository's tokenizer/testdata/tokenizer.json when it fits the vocabulary; \"none\" for none)"},
			&cli.BoolFlag{Name: "force", Usage: "replace a checkpoint already in --out"},
			&cli.IntFlag{Name: "workers", Value: runtime.GOMAXPROCS(0), Usage: "generating goroutines (does not change the output)"},
		},
		Action: run,
	}
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

func run(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	shape, ok := presets[c.String("preset")]
	if !ok {
		return fmt.Errorf("unknown preset %q (want 2b4t, tiny, tiny-llama3, falcon3-1b or falcon3-tiny)", c.String("preset"))
	}
	for _, f := range []struct {
		flag string
		dst  *int
	}{
		{"hidden", &shape.Hidden}, {"intermediate", &shape.Intermediate}, {"layers", &shape.Layers},
		{"heads", &shape.Heads}, {"kv-heads", &shape.KVHeads}, {"vocab", &shape.Vocab}, {"ctx", &shape.Ctx},
	} {
		if c.IsSet(f.flag) {
			if v := c.Int(f.flag); v > 0 {
				*f.dst = v
			} else {
				return fmt.Errorf("--%s %d: must be positive", f.flag, v)
			}
		}
	}
	if c.IsSet("shards") && c.Int("shards") < 1 {
		return fmt.Errorf("--shards %d: must be at least 1", c.Int("shards"))
	}
	o := Options{
		Dir:     c.String("out"),
		Shape:   shape,
		Shards:  c.Int("shards"),
		Seed:    c.Uint64("seed"),
		Packed:  c.Bool("packed"),
		Force:   c.Bool("force"),
		Workers: c.Int("workers"),
		Log:     os.Stderr,
	}
	switch tok := c.String("tokenizer"); tok {
	case "none":
	case "":
		o.Tokenizer, o.TokenizerOptional = findDefaultTokenizer(), true
		if o.Tokenizer == "" {
			fmt.Fprintln(os.Stderr, "synth: tokenizer/testdata/tokenizer.json not found (run inside the repository or pass --tokenizer): writing no tokenizer")
		}
	default:
		o.Tokenizer = tok
	}
	s, err := Generate(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "synth: wrote %d files, %d bytes (%.2f GB) to %s in %.1f s\n", len(s.Files), s.Bytes, float64(s.Bytes)/1e9, s.Dir, s.Seconds)
	for _, f := range s.Files {
		fmt.Fprintf(os.Stderr, "  %s\n", f)
	}
	return nil
}
