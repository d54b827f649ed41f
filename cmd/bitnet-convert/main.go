// Command bitnet-convert turns a Hugging Face BitNet b1.58 checkpoint into an I2_S
// (or, with --outtype t5_s or t3_s, a T5_S or T3_S) GGUF file. See package convert.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/internal/cliapp"
	"github.com/bitnet-go/bitnet/internal/interrupt"
	"github.com/bitnet-go/bitnet/internal/progress"
	"github.com/bitnet-go/bitnet/quant"
)

func main() {
	app := &cli.App{
		Name:      "bitnet-convert",
		Usage:     "convert a Hugging Face BitNet b1.58 checkpoint to an I2_S (or T5_S, T3_S) GGUF file",
		UsageText: "bitnet-convert [options] MODEL_DIR",
		Description: `MODEL_DIR holds config.json and model.safetensors (or shards listed in
model.safetensors.index.json), with BF16/F16/F32 master weights or the offline packed
U8 + weight_scale form, and optionally tokenizer.json / tokenizer_config.json.
Every projection is ternarized with absmean (round half to even) and packed as I2_S
(2 bits per weight; bitnet.cpp runs it too) or, with --outtype t5_s, as T5_S (five
weights per byte, 1.6 bits per weight plus row padding to 160) or, with --outtype
t3_s, as T3_S (three weights per 5-bit code, 1.67 bits per weight plus row padding
to 96; the cheapest to decode of the two); both are bitnet-go only: bitnet.cpp and
llama.cpp cannot load them;
the embedding becomes F16 (the tied LM head; Q8_0 or Q6_K with --embd-type), norms stay F32. The output appears
complete or not at all, with SHA-256 checksums of every tensor and of the header
(checked by verify --check).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "outfile", Usage: "output path (default: MODEL_DIR/" + convert.DefaultOutName + ", ggml-model-<outtype>.gguf for t5_s and t3_s)"},
			&cli.StringFlag{Name: "outtype", Value: "i2_s", Usage: "output type of the projections: " + strings.Join(convert.OutTypes, ", ") + " (t5_s, 1.6 bits per weight, and t3_s, 1.67, are bitnet-go's own: bitnet.cpp cannot load them; default file name ggml-model-<outtype>.gguf)"},
			&cli.StringFlag{Name: "layout", Value: "x86", Usage: "I2_S block layout (i2_s only): x86 (128-value blocks, bitnet.cpp on x86) or arm (64-value blocks, bitnet.cpp on ARM)"},
			&cli.StringFlag{Name: "embd-type", Value: "f16", Usage: "token embedding / LM head type: f16 (exact parity), q8_0 (ggml Q8_0: half the LM-head bytes per decoded token, small parity cost) or q6_k (ggml Q6_K: 0.41 of F16's bytes, hidden_size a multiple of 256; larger parity cost); see verify --head-cost"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print the plan (every tensor: name, shape, source dtype -> output type, bytes) and write nothing"},
			&cli.BoolFlag{Name: "force", Usage: "overwrite an existing output file"},
		},
		Action: run,
	}
	if path := os.Getenv("BITNET_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if err := cliapp.RunArgs(app, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "bitnet-convert:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(c *cli.Context) error {
	if c.NArg() != 1 {
		return fmt.Errorf("want exactly one MODEL_DIR argument, got %d: %q (see --help)", c.NArg(), c.Args().Slice())
	}
	layout, err := quant.ParseLayout(c.String("layout"))
	if err != nil {
		return err
	}
	ctx, stop := interrupt.Context(context.Background())
	defer stop()
	opts := convert.Options{
		ModelDir:  c.Args().First(),
		OutFile:   c.String("outfile"),
		OutType:   c.String("outtype"),
		EmbedType: c.String("embd-type"),
		Layout:    layout,
		Force:     c.Bool("force"),
		DryRun:    c.Bool("dry-run"),
		Warn:      func(msg string) { fmt.Fprintln(os.Stderr, "warning:", msg) },
	}
	var bar *progress.Bar
	if progress.IsTerminal(os.Stderr) && !opts.DryRun {
		bar = progress.New(os.Stderr, "converting")
		opts.Progress = bar.Update
	}
	res, err := convert.Convert(ctx, opts)
	if bar != nil {
		bar.Done()
	}
	if err != nil {
		return err
	}
	if opts.DryRun {
		fmt.Print(convert.FormatPlan(res.Items))
		fmt.Printf("would write %s\n", res.OutFile)
		return nil
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d tensors, %d bytes, %.1f s\n", res.OutFile, len(res.Items), res.Bytes, res.Duration.Seconds())
	return nil
}
