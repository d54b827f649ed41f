package model

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/internal/limits"
	"github.com/bitnet-go/bitnet/quant"
)

// Architectures lists the general.architecture values Load accepts
// (docs/SEMANTICS.md §5; the families of package arch).
var Architectures = func() []string {
	var out []string
	for _, f := range arch.Families {
		out = append(append(out, f.GGUFArch), f.GGUFAliases...)
	}
	return out
}()

// Keys of ours that Load reads (written by package convert).
const (
	keyLayout     = "bitnet-go.i2s.layout"
	keyT5SVersion = "bitnet-go.t5s.version"
	keyT3SVersion = "bitnet-go.t3s.version"
)

// t5sVersion and t3sVersion are the T5_S and T3_S layouts this loader
// reads (docs/SEMANTICS.md §4b, §4c).
const (
	t5sVersion = 1
	t3sVersion = 1
)

// Open opens a GGUF file (LoadAuto: mapped when the mapping gets huge
// pages, else read into huge-page memory if it fits) and returns a model
// running on threads threads. Packed weights and the embedding are used in
// place; the file stays open until Close.
func Open(path string, threads int) (*Model, error) {
	return OpenWith(path, LoadOptions{Threads: threads})
}

// LoadOptions configures OpenWith.
type LoadOptions struct {
	Threads int
	Mode    LoadMode
	// Prefetch picks the streaming kernels' software-prefetch variants
	// (process-wide): "" or PrefetchAuto times them on the model's own
	// matrices after loading (milliseconds; every variant computes the same
	// values), a hint name (nta, t0, t2, none) forces one, PrefetchDefault
	// keeps the kernel package's defaults.
	Prefetch string
	// Note, when not nil, is told why the file's placement differs from
	// what Mode prefers: a mapping kept because a copy would not fit in
	// memory, or mmap failing.
	Note func(note string)
}

// OpenWith opens a GGUF model file as LoadOptions say (placement.go).
func OpenWith(path string, opts LoadOptions) (*Model, error) {
	f, note, err := openFile(path, opts.Mode)
	if err != nil {
		return nil, err
	}
	w, err := LoadWeights(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m, err := New(w, opts.Threads)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.file = f
	if err := m.setPrefetch(opts.Prefetch); err != nil {
		m.Close()
		return nil, err
	}
	if note != "" && opts.Note != nil {
		opts.Note(note)
	}
	return m, nil
}

// File is the GGUF file the model was opened from (nil for models built
// with New), for its metadata (the tokenizer, for instance).
func (m *Model) File() *gguf.File { return m.file }

// LoadWeights reads a model's weights from an open GGUF file, converting
// I2_S data in another layout than the kernels' to theirs. The tensors are
// those of the family of general.architecture (arch.ByGGUF).
func LoadWeights(f *gguf.File) (*Weights, error) {
	archName, err := f.String("general.architecture")
	if err != nil {
		return nil, err
	}
	fam, err := arch.ByGGUF(archName)
	if err != nil {
		return nil, err
	}
	cfg, err := readConfig(f, archName)
	if err != nil {
		return nil, err
	}
	cfg.Arch = fam
	layout := quant.LayoutX86
	if v, ok := f.Get(keyLayout); ok {
		name, _ := v.Interface().(string)
		if layout, err = quant.ParseLayout(name); err != nil {
			return nil, fmt.Errorf("%s: %w", keyLayout, err)
		}
	}
	w := &Weights{Config: cfg}
	l := loader{f: f, layout: layout}
	if w.Embed, w.Vocab, err = l.embedding("token_embd.weight", cfg.Hidden, 0); err != nil {
		return nil, err
	}
	w.Config.Vocab = w.Vocab
	if v, err := f.Uint32(archName + ".vocab_size"); err == nil && int(v) != w.Vocab {
		return nil, fmt.Errorf("%s.vocab_size is %d but token_embd.weight has %d rows: the vocabulary disagrees with the embedding", archName, v, w.Vocab)
	}
	if toks, ok := f.Get("tokenizer.ggml.tokens"); ok && toks.Len() > w.Vocab {
		return nil, fmt.Errorf("the tokenizer has %d tokens but token_embd.weight has %d rows: the vocabulary disagrees with the embedding", toks.Len(), w.Vocab)
	}
	w.Layers = make([]Layer, cfg.Layers)
	dims := arch.Dims{Hidden: cfg.Hidden, Intermediate: cfg.Intermediate, Heads: cfg.Heads, KVHeads: cfg.KVHeads,
		HeadDim: cfg.HeadDim, Vocab: w.Vocab, Layers: cfg.Layers}
	for _, s := range fam.Expand(dims) {
		switch {
		case s.Key == "token_embd":
		case s.Key == "output_norm":
			if w.OutputNorm, err = l.norm(s.GGUFName, s.Rows); err != nil {
				return nil, err
			}
		case s.Role == arch.RoleOutput:
			if w.Output, _, err = l.embedding(s.GGUFName, cfg.Hidden, w.Vocab); err != nil {
				return nil, err
			}
		case s.Layer >= 0:
			norm, lin := w.Layers[s.Layer].slot(s.Key)
			switch {
			case norm != nil:
				*norm, err = l.norm(s.GGUFName, s.Rows)
			case lin != nil:
				*lin, err = l.linear(s.GGUFName, s.Rows, s.Cols)
			default:
				err = fmt.Errorf("tensor %s: the %s family's slot %q is unknown to the model", s.GGUFName, fam.Name, s.Key)
			}
			if err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("tensor %s: the %s family's tensor %q is unknown to the model", s.GGUFName, fam.Name, s.Key)
		}
	}
	return w, w.Validate()
}

func readConfig(f *gguf.File, arch string) (Config, error) {
	p := arch + "."
	var c Config
	// The bounds are convert's (package limits), so every file convert
	// writes loads.
	ints := []struct {
		key   string
		dst   *int
		limit int
	}{{"embedding_length", &c.Hidden, limits.MaxDim}, {"feed_forward_length", &c.Intermediate, limits.MaxDim}, {"block_count", &c.Layers, limits.MaxLayers},
		{"attention.head_count", &c.Heads, limits.MaxDim}, {"attention.head_count_kv", &c.KVHeads, limits.MaxDim}, {"context_length", &c.ContextLength, limits.MaxContext}}
	for _, k := range ints {
		v, err := f.Uint32(p + k.key)
		if err != nil {
			return c, err
		}
		if err := limits.Count(p+k.key, int64(v), k.limit); err != nil {
			return c, err
		}
		*k.dst = int(v)
	}
	// head_dim: llama.cpp's key_length when present, else the RoPE
	// dimension count (both families rotate the whole head), else
	// hidden/heads.
	c.HeadDim = c.Hidden / c.Heads
	if v, err := f.Uint32(p + "rope.dimension_count"); err == nil {
		if err := limits.Count(p+"rope.dimension_count", int64(v), limits.MaxDim); err != nil {
			return c, err
		}
		c.HeadDim = int(v)
	}
	if v, err := f.Uint32(p + "attention.key_length"); err == nil {
		if v == 0 || v > 1<<20 || int(v) != c.HeadDim {
			return c, fmt.Errorf("%sattention.key_length = %d, want rope.dimension_count %d (RoPE over the whole head)", p, v, c.HeadDim)
		}
		if vl, err := f.Uint32(p + "attention.value_length"); err == nil && vl != v {
			return c, fmt.Errorf("%sattention.value_length = %d differs from key_length %d (not supported)", p, vl, v)
		}
	}
	var err error
	if c.RMSEps, err = f.Float32(p + "attention.layer_norm_rms_epsilon"); err != nil {
		return c, err
	}
	if err := limits.PositiveFloat32(p+"attention.layer_norm_rms_epsilon", float64(c.RMSEps)); err != nil {
		return c, err
	}
	c.RopeTheta = 10000 // ggml's default when the key is missing
	if v, err := f.Float32(p + "rope.freq_base"); err == nil {
		if err := limits.PositiveFloat32(p+"rope.freq_base", float64(v)); err != nil {
			return c, err
		}
		c.RopeTheta = v
	}
	c.BOS, c.EOS = -1, -1
	// 0xFFFFFFFF is no token (-1 as llama.cpp's int32).
	if v, err := f.Uint32("tokenizer.ggml.bos_token_id"); err == nil && v != 0xFFFFFFFF {
		c.BOS = int(v)
	}
	if v, err := f.Uint32("tokenizer.ggml.eos_token_id"); err == nil && v != 0xFFFFFFFF {
		c.EOS = int(v)
	}
	return c, nil
}

type loader struct {
	f      *gguf.File
	layout quant.Layout
}

func (l *loader) tensor(name string, typ gguf.Type) (gguf.TensorInfo, []byte, error) {
	info, ok := l.f.Tensor(name)
	if !ok {
		return info, nil, fmt.Errorf("tensor %s is missing", name)
	}
	if info.Type != typ {
		return info, nil, fmt.Errorf("tensor %s has type %s, want %s", name, info.Type, typ)
	}
	data, err := l.f.TensorData(name)
	return info, data, err
}

// embedding returns token_embd (or the output head), used in place — F16
// values, Q8_0 bytes or Q6_K bytes — and its rows, the vocabulary size,
// which must be vocab unless vocab is 0.
func (l *loader) embedding(name string, hidden, vocab int) (Table, int, error) {
	info, ok := l.f.Tensor(name)
	if !ok {
		return Table{}, 0, fmt.Errorf("tensor %s is missing", name)
	}
	typ, ok := map[gguf.Type]TableType{gguf.TypeF16: TableF16, gguf.TypeQ8_0: TableQ8_0, gguf.TypeQ6_K: TableQ6_K}[info.Type]
	if !ok {
		return Table{}, 0, fmt.Errorf("tensor %s has type %s: supported token embedding types are F16, Q8_0 and Q6_K (re-convert from the HF checkpoint)", name, info.Type)
	}
	info, data, err := l.tensor(name, info.Type)
	if err != nil {
		return Table{}, 0, err
	}
	if len(info.Dims) != 2 || info.Dims[0] != uint64(hidden) || info.Dims[1] == 0 || info.Dims[1] > limits.MaxDim {
		return Table{}, 0, fmt.Errorf("tensor %s has dims %v, want {%d, vocab}", name, info.Dims, hidden)
	}
	if vocab != 0 && info.Dims[1] != uint64(vocab) {
		return Table{}, 0, fmt.Errorf("tensor %s has dims %v, want {%d, %d} (token_embd's vocabulary)", name, info.Dims, hidden, vocab)
	}
	if typ == TableF16 {
		return Table{Type: typ, F16: bytesAs[uint16](data)}, int(info.Dims[1]), nil
	}
	return Table{Type: typ, Data: data}, int(info.Dims[1]), nil
}

func (l *loader) norm(name string, n int) ([]float32, error) {
	info, data, err := l.tensor(name, gguf.TypeF32)
	if err != nil {
		return nil, err
	}
	if len(info.Dims) != 1 || info.Dims[0] != uint64(n) {
		return nil, fmt.Errorf("tensor %s has dims %v, want {%d}", name, info.Dims, n)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out, nil
}

// linear reads an I2_S, T5_S or T3_S projection of rows×cols. Its stored
// in-dimension may be cols padded to the layout's block. Data in the
// kernels' layouts (x86 I2_S, T5_S, T3_S) is used in place; other I2_S layouts
// are repacked.
func (l *loader) linear(name string, rows, cols int) (Linear, error) {
	if info, ok := l.f.Tensor(name); ok && info.Type != gguf.TypeI2_S {
		switch info.Type {
		case gguf.TypeT5_S:
			return l.linearOwn(name, rows, cols, FormatT5S, gguf.TypeT5_S, keyT5SVersion, t5sVersion, quant.T5SPaddedCols(cols))
		case gguf.TypeT3_S:
			return l.linearOwn(name, rows, cols, FormatT3S, gguf.TypeT3_S, keyT3SVersion, t3sVersion, quant.T3SPaddedCols(cols))
		}
		return Linear{}, fmt.Errorf("tensor %s has type %s, want I2_S, T5_S or T3_S", name, info.Type)
	}
	info, data, err := l.tensor(name, gguf.TypeI2_S)
	if err != nil {
		return Linear{}, err
	}
	stored := l.layout.PaddedCols(cols)
	if len(info.Dims) != 2 || info.Dims[1] != uint64(rows) || (info.Dims[0] != uint64(cols) && info.Dims[0] != uint64(stored)) {
		return Linear{}, fmt.Errorf("tensor %s has dims %v, want {%d (or %d padded), %d}", name, info.Dims, cols, stored, rows)
	}
	k := int(info.Dims[0])
	if k%l.layout.BlockValues() != 0 {
		return Linear{}, fmt.Errorf("tensor %s: in-dimension %d is not a multiple of the %s layout's %d-value block", name, k, l.layout, l.layout.BlockValues())
	}
	n := rows * k / 4
	scale, err := trailingScale(name, data, n)
	if err != nil {
		return Linear{}, err
	}
	packed := data[:n]
	if l.layout != quant.LayoutX86 {
		// Unpack the stored (possibly padded) rows, repack for the kernels.
		if packed, err = quant.Repack(packed, rows, k, l.layout, quant.LayoutX86); err != nil {
			return Linear{}, fmt.Errorf("tensor %s: %w", name, err)
		}
		k = quant.LayoutX86.PaddedCols(k)
	}
	return Linear{Rows: rows, Cols: cols, K: k, Packed: packed, Scale: scale}, nil
}

// linearOwn reads a projection of one of bitnet-go's own types, T5_S or
// T3_S (docs/SEMANTICS.md §4b, §4c): rows of cols padded to stored
// (whole blocks), f.rowBytes(stored) bytes each, then the float32 scale,
// as I2_S stores it. The file must name the layout version this build
// reads under key. The data is used in place.
func (l *loader) linearOwn(name string, rows, cols int, f Format, typ gguf.Type, key string, version uint32, stored int) (Linear, error) {
	v, ok := l.f.Get(key)
	if !ok {
		return Linear{}, fmt.Errorf("tensor %s is %s but the file has no %s key saying which %s layout it holds", name, typ, key, typ)
	}
	if n, _ := v.Interface().(uint32); n != version {
		return Linear{}, fmt.Errorf("%s = %v: this build reads %s layout %d only", key, v.Interface(), typ, version)
	}
	info, data, err := l.tensor(name, typ)
	if err != nil {
		return Linear{}, err
	}
	if len(info.Dims) != 2 || info.Dims[1] != uint64(rows) || info.Dims[0] != uint64(stored) {
		return Linear{}, fmt.Errorf("tensor %s has dims %v, want {%d (%d padded to the %s block), %d}", name, info.Dims, stored, cols, typ, rows)
	}
	n := rows * f.rowBytes(stored)
	scale, err := trailingScale(name, data, n)
	if err != nil {
		return Linear{}, err
	}
	return Linear{Rows: rows, Cols: cols, K: stored, Packed: data[:n], Scale: scale, Format: f}, nil
}

// trailingScale reads the float32 scale stored after the n packed bytes
// of an I2_S or T5_S tensor (docs/SEMANTICS.md §4, §4b): finite and ≥ 0.
func trailingScale(name string, data []byte, n int) (float32, error) {
	scale := math.Float32frombits(binary.LittleEndian.Uint32(data[n:]))
	if math.IsNaN(float64(scale)) || math.IsInf(float64(scale), 0) || scale < 0 {
		return 0, fmt.Errorf("tensor %s has scale %v", name, scale)
	}
	return scale, nil
}

// bytesAs views b as a slice of T without copying. GGUF tensor data is
// aligned to 32 bytes within a page-aligned mapping.
func bytesAs[T any](b []byte) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if len(b) < size {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/size)
}
