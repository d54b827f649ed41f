package convert

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/internal/atomicfile"
	"github.com/bitnet-go/bitnet/internal/integrity"
	"github.com/bitnet-go/bitnet/quant"
)

// OutTypes lists the supported --outtype values: i2_s (bitnet.cpp's type)
// and t5_s (ours, five values per byte; bitnet.cpp cannot load it).
var OutTypes = []string{"i2_s", "t5_s", "t3_s"}

// DefaultOutName is the output file name inside the model directory
// (ggml-model-t5_s.gguf for --outtype t5_s).
const DefaultOutName = "ggml-model-i2_s.gguf"

// Options configures a conversion.
type Options struct {
	ModelDir string
	OutFile  string       // default ModelDir/ggml-model-i2_s.gguf
	OutType  string       // "i2_s" (the default) or "t5_s"
	Layout   quant.Layout // I2_S layout of the projections (i2_s only)
	// EmbedType is the token embedding's (= LM head's) type: "f16" (the
	// default, exact parity), "q8_0" (ggml Q8_0, half the bytes a decode
	// step reads for the LM head, at a small parity cost) or "q6_k" (ggml
	// Q6_K, 0.41 of F16's bytes; hidden_size a multiple of 256).
	EmbedType string
	Force     bool // overwrite an existing OutFile
	DryRun    bool // plan only, write nothing
	// Warn receives warnings (missing tokenizer, ignored tensors); nil: dropped.
	Warn func(msg string)
	// Progress is called after each tensor with bytes written so far and the
	// total; nil: no progress.
	Progress func(done, total uint64, tensor string)
}

// Result describes a finished (or planned) conversion.
type Result struct {
	OutFile  string
	Items    []Item
	Bytes    uint64 // size of the output file
	Duration time.Duration
}

// Convert reads opts.ModelDir and writes the GGUF file. On any error, or
// when ctx is cancelled, nothing is left at the output path (a previous file
// there is untouched).
func Convert(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	proj, err := parseOutType(opts.OutType, opts.Layout)
	if err != nil {
		return nil, err
	}
	cfg, err := hf.ReadConfig(opts.ModelDir)
	if err != nil {
		return nil, err
	}
	ckpt, err := hf.Open(opts.ModelDir)
	if err != nil {
		return nil, err
	}
	defer ckpt.Close()
	if err := ckpt.CheckShapes(cfg); err != nil {
		return nil, err
	}
	fam, err := cfg.Family()
	if err != nil {
		return nil, err
	}
	if fam.TiedHead && !cfg.TieWordEmbeddings && ckpt.Has(hf.LMHead) {
		warn("config has tie_word_embeddings false and an lm_head.weight: BitNet's LM head is the tied embedding (docs/SEMANTICS.md §5), so lm_head.weight is ignored")
	}
	for _, name := range ckpt.Unexpected(cfg) {
		warn(fmt.Sprintf("ignoring tensor %q: not part of a %s model", name, cfg.Architectures[0]))
	}
	embed, err := parseEmbedType(opts.EmbedType, cfg.HiddenSize)
	if err != nil {
		return nil, err
	}
	items, err := plan(cfg, ckpt, opts.Layout, embed, proj)
	if err != nil {
		return nil, err
	}
	out := opts.OutFile
	if out == "" {
		out = filepath.Join(opts.ModelDir, defaultOutName(proj))
	}
	res := &Result{OutFile: out, Items: items}
	if opts.DryRun {
		res.Duration = time.Since(start)
		return res, nil
	}
	kvs, err := metadata(opts.ModelDir, cfg, items, opts.Layout, warn)
	if err != nil {
		return nil, err
	}
	kvs = append(kvs, sourceKVs()...)
	src := startSourceHash(ctx, opts.ModelDir) // beside the conversion, on another core
	defer src.stop()
	f, err := atomicfile.Create(out, opts.Force)
	if err != nil {
		return nil, err
	}
	defer f.Abort()
	o := &output{f: f, w: io.Writer(f)}
	if testHookOutput != nil {
		o.w = testHookOutput(f)
	}
	if err := write(ctx, o, ckpt, kvs, items, src, opts.Progress); err != nil {
		if o.err != nil {
			// The output failed (disk full, I/O error): say so, by name,
			// whatever layer noticed first.
			return nil, fmt.Errorf("writing %s: %w", out, o.err)
		}
		return nil, err
	}
	if res.Bytes, err = fileSize(f.File); err != nil {
		return nil, err
	}
	if err := f.Commit(); err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// EmbedTypes lists the supported --embd-type values.
var EmbedTypes = []string{"f16", "q8_0", "q6_k"}

// EmbedShapeError is an --embd-type whose blocks do not divide the model's
// hidden size.
type EmbedShapeError struct {
	Type   string // the --embd-type
	Hidden int    // the model's hidden_size
	Block  int    // values per block of Type
}

func (e *EmbedShapeError) Error() string {
	return fmt.Sprintf("--embd-type %s needs hidden_size %d to be a multiple of %d (f16 fits every model)", e.Type, e.Hidden, e.Block)
}

func parseEmbedType(name string, hidden int) (gguf.Type, error) {
	switch name {
	case "", "f16":
		return gguf.TypeF16, nil
	case "q8_0", "q8":
		if hidden%quant.Q8_0BlockValues != 0 {
			return 0, &EmbedShapeError{"q8_0", hidden, quant.Q8_0BlockValues}
		}
		return gguf.TypeQ8_0, nil
	case "q6_k":
		if hidden%quant.Q6_KBlockValues != 0 {
			return 0, &EmbedShapeError{"q6_k", hidden, quant.Q6_KBlockValues}
		}
		return gguf.TypeQ6_K, nil
	}
	return 0, fmt.Errorf("unsupported --embd-type %q (supported: f16, q8_0, q6_k)", name)
}

// metadata gathers every key the file carries, the tokenizer's included.
func metadata(dir string, cfg *hf.Config, items []Item, layout quant.Layout, warn func(string)) ([]kv, error) {
	padded := false
	for _, it := range items {
		padded = padded || it.Padded
	}
	switch ownType(items) {
	case gguf.TypeT5_S:
		warn(t5sWarning)
	case gguf.TypeT3_S:
		warn(t3sWarning)
	default:
		if !padded {
			break
		}
		warn(fmt.Sprintf("in-dimensions %d/%d are not multiples of the %d-value I2_S block: rows are padded with zero weights; bitnet.cpp cannot load this file, bitnet-go runs it exactly",
			cfg.HiddenSize, cfg.IntermediateSize, layout.BlockValues()))
	}
	fam, err := cfg.Family()
	if err != nil {
		return nil, err
	}
	kvs := modelKVs(cfg, fam, filepath.Base(filepath.Clean(dir)), layout, padded)
	switch ownType(items) {
	case gguf.TypeT5_S:
		kvs = t5sKVs(kvs, padded)
	case gguf.TypeT3_S:
		kvs = t3sKVs(kvs, padded)
	}
	raw, ok, err := hf.ReadTokenizerJSON(dir)
	if err != nil {
		return nil, err
	}
	if !ok {
		warn("no tokenizer.json in " + dir + ": writing the file without a tokenizer (verify and infer --prompt-ids work on token ids)")
		return kvs, nil
	}
	tk, err := tokenizerKVs(dir, raw, cfg)
	if err != nil {
		return nil, err
	}
	return append(kvs, tk...), nil
}

// outputFile is the converter's output: written in order, then patched in
// place with the checksums (an *os.File).
type outputFile interface {
	io.Writer
	integrity.ReadWriterAt
}

// output is the output file with its first error remembered, so that a
// failing disk is reported as such and not as whatever layer noticed it.
type output struct {
	f   outputFile
	w   io.Writer // f, or what testHookOutput wrapped around it
	err error
}

func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && o.err == nil {
		o.err = err
	}
	return n, err
}

func (o *output) ReadAt(p []byte, off int64) (int, error) { return o.f.ReadAt(p, off) }

func (o *output) WriteAt(p []byte, off int64) (int, error) {
	n, err := o.f.WriteAt(p, off)
	if err != nil && o.err == nil {
		o.err = err
	}
	return n, err
}

// testHookOutput, when set by a test, wraps the output file's sequential
// writes (to inject a full disk).
var testHookOutput func(io.Writer) io.Writer

// write streams the header and every tensor into out, hashing each
// tensor's bytes as they go, then patches in the source's digests (src)
// and seals the checksums into the header (package internal/integrity).
func write(ctx context.Context, out *output, ckpt *hf.Checkpoint, kvs []kv, items []Item, src *sourceHash, progress func(done, total uint64, tensor string)) error {
	bw := newChunkWriter(out)
	w := gguf.NewWriter(bw)
	for _, e := range kvs {
		if err := w.AddKV(e.key, e.val); err != nil {
			return err
		}
	}
	var total uint64
	for _, it := range items {
		if err := w.AddTensor(it.Name, it.Type, it.Dims); err != nil {
			return err
		}
		total += it.Bytes
	}
	if err := integrity.Declare(w, len(items)); err != nil {
		return err
	}
	if err := w.WriteHeader(); err != nil {
		return err
	}
	var buf buffers
	var done uint64
	sums := make([][sha256.Size]byte, len(items))
	h := sha256.New()
	for i := range items {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("conversion interrupted: %w", err)
		}
		it := &items[i]
		tw, err := w.TensorWriter(it.Name)
		if err != nil {
			return err
		}
		h.Reset()
		if err := writeTensor(io.MultiWriter(tw, h), ckpt, it, &buf); err != nil {
			return err
		}
		if err := tw.Close(); err != nil {
			return fmt.Errorf("tensor %s: %w", it.Name, err)
		}
		h.Sum(sums[i][:0])
		done += it.Bytes
		if progress != nil {
			progress(done, total, it.Name)
		}
	}
	if err := w.Finish(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := src.patch(out, w); err != nil {
		return err
	}
	return integrity.Seal(out, w, sums)
}

func fileSize(f *os.File) (uint64, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return uint64(info.Size()), nil
}
