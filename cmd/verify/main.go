// Command verify checks that a converted BitNet model computes what the
// reference computes. See package parity.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/atomicfile"
	"github.com/bitnet-go/bitnet/internal/cliapp"
	"github.com/bitnet-go/bitnet/internal/interrupt"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/parity"
)

const description = `With no arguments, runs the bundled golden suite: converts every model under
golden/models/ to a temp dir, checks every golden under golden/logits/, prints a table
and exits non-zero if anything is out of tolerance.

With --model and --golden, checks one file (or HF model directory, converted on the fly)
against goldens written by the reference (scripts/golden.py).

With --check, first verifies the SHA-256 checksums convert stores in the file (every
tensor's data, the header, zero padding), prints one line per tensor and exits non-zero
on corruption before running any golden; --check --model F alone only checks. Files
without checksums (bitnet.cpp's) are reported as such and not failed.

Why the thresholds are statistical: every BitLinear quantizes its input to int8 with
round-half-to-even. The reference itself computes in float32, so two correct
implementations that differ by one ulp anywhere can round one activation the other way
where it sits on a .5 tie, and that single flip moves the logits by up to ~0.1 — as much
as a real bug does. A per-element tolerance would fail correct code (on a real 2B4T
checkpoint, with ~10^5 activations per token, flips are routine) or pass broken code.
So a golden is judged by top-1 agreement and NMSE (sum of squared differences over sum
of squared golden logits), and a suite by the median of per-golden max |Δlogit| and the
share of goldens within 1e-3: a correct implementation matches most goldens to ~1e-6,
a missing or wrong step matches none.

Columns: model and prompt name the golden; ref is the reference's compute dtype
(float32 or bfloat16); max|Δ| is the largest |our logit − golden logit| over every
position and token; RMS Δ the root mean square of those differences; NMSE their sum of
squares over the golden logits' sum of squares; top-1 the share of positions where our
most likely token is the golden's; KL the mean KL(golden ‖ ours) per position in nats;
drift, for goldens with hidden.N tensors, the first layer whose residual stream differs
by more than --hidden-tol (relative RMS; "-": none); status ok or FAIL with the reason.

Source: convert records the SHA-256 of its input's config.json and of its *.safetensors
files (concatenated in name order), as the goldens record theirs (config_sha256,
weights_sha256). A golden whose digest differs from the file's belongs to another
model: its row fails, naming the digest. A line under the table (the "source" field
in JSON) says how the goldens compared; files from other converters record no digests
("not recorded"), and then nothing is checked.
The embedding / LM head type is read from the file (a q8_0 or q6_k head is judged on
top-1 and reported); the kernel that ran is printed first. With --embd-type on the suite,
a model whose hidden_size the type's blocks do not divide (q6_k: 256) is listed as
skipped, with the reason, not evaluated; the suite fails if nothing was evaluated.`

func main() {
	app := &cli.App{
		Name:        "verify",
		UsageText:   "verify [options]                       (the bundled golden suite)\nverify --model FILE.gguf|MODEL_DIR --golden G.safetensors [--golden ...] [options]",
		Usage:       "check a converted BitNet model against the reference's golden logits",
		Description: description,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "GGUF file or Hugging Face model directory (default: the bundled suite)"},
			&cli.StringSliceFlag{Name: "golden", Aliases: []string{"g"}, Usage: "golden safetensors file (repeatable)"},
			&cli.StringFlag{Name: "golden-dir", Value: "golden", Usage: "directory of the bundled suite (models/, logits/)"},
			&cli.StringFlag{Name: "embd-type", Value: "f16", Usage: "suite: convert with this LM head type (f16, q8_0, q6_k) to measure its parity cost; q8_0 and q6_k are judged per golden only (top-1, NMSE), not by the exact-parity suite thresholds"},
			&cli.StringFlag{Name: "outtype", Value: "i2_s", Usage: "suite (or --model MODEL_DIR): convert the projections to this type (" + strings.Join(convert.OutTypes, ", ") + "); t5_s computes the same integer sums as i2_s, so the table must not move"},
			&cli.BoolFlag{Name: "head-cost", Usage: "suite: run it once per LM head type (" + strings.Join(convert.EmbedTypes, ", ") + ") and print each type's parity cost (top-1, KL, NMSE); exits non-zero if a golden fails its head's tolerance"},
			&cli.BoolFlag{Name: "check", Usage: "verify the file's checksums (per tensor, header, padding) before the goldens; exit non-zero if corrupt (needs --model)"},
			&cli.StringFlag{Name: "dump-logits", Usage: "write our logits, input_ids and hidden.N to this safetensors file (one --golden); an existing file needs --force"},
			&cli.BoolFlag{Name: "force", Usage: "let --dump-logits replace an existing regular file"},
			&cli.StringFlag{Name: "format", Value: "table", Usage: "output format: table or json"},
			&cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Value: 2, Usage: "threads for the forward pass"},
			&cli.StringFlag{Name: "kernel", Value: "auto", Usage: "kernel path: auto, " + strings.Join(kernel.Paths(), ", ")},
			&cli.Float64Flag{Name: "min-top1", Usage: "minimum top-1 agreement per golden (default: 0.90 float32 suite, 0.95 float32 --golden, 0.85 bfloat16)"},
			&cli.Float64Flag{Name: "max-nmse", Usage: "maximum NMSE per golden (default: 1e-3 for float32 goldens, none for bfloat16)"},
			&cli.Float64Flag{Name: "hidden-tol", Value: 1e-3, Usage: "relative RMS drift of a layer's residual stream that marks where drift begins"},
			&cli.Float64Flag{Name: "max-median", Value: parity.DefaultSuiteTolerance.MaxMedian, Usage: "suite: maximum median of per-golden max |Δlogit| (float32 goldens)"},
			&cli.Float64Flag{Name: "min-frac-tight", Value: parity.DefaultSuiteTolerance.MinFracTight, Usage: "suite: minimum share of float32 goldens within 1e-3"},
		},
		Action: run,
	}
	if err := cliapp.RunArgs(app, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
		os.Exit(1)
	}
}

func run(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (use --model and --golden; see --help)", c.Args().First())
	}
	if err := cliapp.Checks(
		cliapp.CheckInt(c, "threads", cliapp.Range{Min: 1, Max: cliapp.MaxThreads}),
		cliapp.CheckFloat(c, "min-top1", cliapp.Range{Min: 0, Max: 1}),
		cliapp.CheckFloat(c, "max-nmse", cliapp.Range{Min: 0, Max: math.Inf(1)}),
		cliapp.CheckFloat(c, "hidden-tol", cliapp.Range{Min: 0, Max: math.Inf(1)}),
		cliapp.CheckFloat(c, "max-median", cliapp.Range{Min: 0, Max: math.Inf(1)}),
		cliapp.CheckFloat(c, "min-frac-tight", cliapp.Range{Min: 0, Max: 1}),
	); err != nil {
		return err
	}
	format := c.String("format")
	if format != "table" && format != "json" {
		return fmt.Errorf("unknown --format %q (supported: table, json)", format)
	}
	restore, err := kernel.Use(c.String("kernel"))
	if err != nil {
		return err
	}
	defer restore()
	ctx, stop := interrupt.Context(context.Background())
	defer stop()

	single := c.String("model") != ""
	opts := parity.SuiteOptions{GoldenDir: c.String("golden-dir"), Threads: c.Int("threads"), Tolerance: tolerance(c, single), EmbedType: c.String("embd-type"), OutType: c.String("outtype")}
	var reports []*parity.Report
	var summary *parity.Summary
	if !single {
		if len(c.StringSlice("golden")) > 0 || c.String("dump-logits") != "" || c.Bool("check") {
			return fmt.Errorf("--golden, --dump-logits and --check need --model")
		}
		if c.Bool("head-cost") {
			return headCost(ctx, c, opts, format)
		}
		if reports, err = parity.RunSuite(ctx, opts); err != nil {
			return err
		}
		st := parity.SuiteTolerance{MaxMedian: c.Float64("max-median"), MinFracTight: c.Float64("min-frac-tight"), Tight: 1e-3}
		if e := c.String("embd-type"); e != "f16" && e != "" {
			st = parity.SuiteTolerance{MaxMedian: math.Inf(1), Tight: 1e-3} // lossy LM head: report, judge per golden
		}
		s := parity.Summarize(reports, st)
		summary = &s
	} else {
		if len(c.StringSlice("golden")) == 0 && !c.Bool("check") {
			return fmt.Errorf("--model needs at least one --golden file (or --check)")
		}
		path, cleanup, err := ensureGGUF(ctx, c.String("model"), c.String("outtype"))
		if err != nil {
			return err
		}
		defer cleanup()
		if c.Bool("check") {
			out := os.Stdout
			if format == "json" {
				out = os.Stderr // stdout carries one JSON document
			}
			ok, err := checkIntegrity(out, path)
			if err != nil {
				return err
			}
			if !ok {
				return cli.Exit("", 1)
			}
			if len(c.StringSlice("golden")) == 0 {
				return nil
			}
		}
		if reports, err = checkModel(c, path, opts); err != nil {
			return err
		}
	}
	if format == "json" {
		err = parity.WriteJSON(os.Stdout, reports, summary)
	} else {
		parity.WriteTable(os.Stdout, reports, summary)
	}
	if err != nil {
		return err
	}
	if summary != nil && !summary.Pass {
		return cli.Exit("", 1)
	}
	for _, r := range reports {
		if !r.Pass && r.Skipped == "" {
			return cli.Exit("", 1)
		}
	}
	return nil
}

func tolerance(c *cli.Context, single bool) func(string) parity.Tolerance {
	return func(dtype string) parity.Tolerance {
		t := parity.DefaultTolerance(dtype, single)
		if e := c.String("embd-type"); e != "f16" && e != "" {
			t = parity.LossyHead(t)
		}
		if c.IsSet("min-top1") {
			t.MinTop1 = c.Float64("min-top1")
		}
		if c.IsSet("max-nmse") {
			t.MaxNMSE = c.Float64("max-nmse")
		}
		t.HiddenTol = c.Float64("hidden-tol")
		return t
	}
}

// headCost runs the suite once per LM head type and prints what each costs.
func headCost(ctx context.Context, c *cli.Context, opts parity.SuiteOptions, format string) error {
	if c.IsSet("embd-type") {
		return fmt.Errorf("--head-cost runs every --embd-type (%s); drop --embd-type", strings.Join(convert.EmbedTypes, ", "))
	}
	fmt.Fprintf(os.Stderr, "verify: kernel %s; the bundled suite once per LM head type: %s\n", kernel.Active(), strings.Join(convert.EmbedTypes, ", "))
	rows, err := parity.RunHeadCost(ctx, opts, convert.EmbedTypes)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else {
		parity.WriteHeadCost(os.Stdout, rows)
	}
	for _, r := range rows {
		if r.Failed > 0 || r.Goldens == 0 {
			return cli.Exit("", 1)
		}
	}
	return nil
}

// checkModel runs the --golden files against path, the GGUF of --model.
func checkModel(c *cli.Context, path string, opts parity.SuiteOptions) ([]*parity.Report, error) {
	goldens := c.StringSlice("golden")
	if len(goldens) == 0 {
		return nil, fmt.Errorf("--model needs at least one --golden file (or --check)")
	}
	dump := c.String("dump-logits")
	if dump != "" && len(goldens) != 1 {
		return nil, fmt.Errorf("--dump-logits needs exactly one --golden (got %d)", len(goldens))
	}
	if dump != "" {
		// Refuse before the run, not after it.
		if err := atomicfile.CheckTarget(dump, c.Bool("force")); err != nil {
			return nil, fmt.Errorf("--dump-logits: %w", err)
		}
	}
	m, err := openModel(path, opts.Threads)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	tolFor := opts.Tolerance
	head, ok := m.File().Tensor("output.weight") // an untied LM head (the Llama family)
	if !ok {
		head, ok = m.File().Tensor("token_embd.weight")
	}
	if t := head; ok && t.Type != gguf.TypeF16 && t.Type != gguf.TypeF32 && !c.IsSet("embd-type") {
		// The file says its LM head is lossy (convert --embd-type q8_0 or
		// q6_k): judge it as --embd-type would, without asking.
		fmt.Fprintf(os.Stderr, "verify: %s stores its embedding / LM head as %s: judged as a lossy head (top-1 ≥ 80%%, KL reported)\n", c.String("model"), t.Type)
		tolFor = func(dtype string) parity.Tolerance {
			t := opts.Tolerance(dtype)
			l := parity.LossyHead(t)
			if !c.IsSet("min-top1") {
				t.MinTop1 = l.MinTop1
			}
			if !c.IsSet("max-nmse") {
				t.MaxNMSE = l.MaxNMSE
			}
			return t
		}
	}
	fmt.Fprintf(os.Stderr, "verify: kernel %s, %d threads\n", kernel.Active(), m.Threads())
	var reports []*parity.Report
	for _, gp := range goldens {
		g, err := parity.ReadGolden(gp)
		if err != nil {
			return nil, err
		}
		r, ours, err := parity.Run(m, g, tolFor(g.ComputeDtype()))
		if err != nil {
			return nil, err
		}
		if !r.Pass && r.Top1 < 0.5 && r.Source != parity.SourceMatch && r.Source != parity.SourceOther {
			// No digests to compare on one side: a guess from the figures.
			src := g.Meta["model"]
			if src == "" {
				src = "an unnamed checkpoint"
			}
			hint := fmt.Sprintf("top-1 %.0f%%: if %s was not converted from %s", 100*r.Top1, c.String("model"), src)
			if h := g.Meta["weights_sha256"]; h != "" {
				hint += fmt.Sprintf(" (weights sha256 %.16s…, config sha256 %.16s…)", h, g.Meta["config_sha256"])
			}
			r.Problems = append(r.Problems, hint+", this golden belongs to another model")
		}
		r.Model = filepath.Base(c.String("model"))
		reports = append(reports, r)
		if dump != "" && ours != nil {
			ours.Meta["model"] = c.String("model")
			if err := parity.WriteGolden(dump, ours, c.Bool("force")); err != nil {
				return nil, err
			}
		}
	}
	return reports, nil
}

// ensureGGUF returns a GGUF path for a file or an HF model directory
// (converted into a temp dir that cleanup removes).
func ensureGGUF(ctx context.Context, path, outType string) (string, func(), error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", nil, err
	}
	if !info.IsDir() {
		return path, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "bitnet-verify-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	out := filepath.Join(tmp, "model.gguf")
	if _, err := convert.Convert(ctx, convert.Options{ModelDir: path, OutFile: out, OutType: outType}); err != nil {
		cleanup()
		return "", nil, err
	}
	return out, cleanup, nil
}
