package model

import (
	"fmt"
	"math"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/kernel"
	"github.com/bitnet-go/bitnet/quant"
)

// Config holds the hyper-parameters of a model (docs/SEMANTICS.md §1) and its
// family (package arch), which says what the forward pass does
// differently: activation, sub-norms, tied head, RoPE layout.
type Config struct {
	// Arch is the model family; nil means arch.BitNet.
	Arch          *arch.Family
	Hidden        int     // embedding_length
	Intermediate  int     // feed_forward_length
	Layers        int     // block_count
	Heads         int     // attention.head_count
	KVHeads       int     // attention.head_count_kv
	HeadDim       int     // rope.dimension_count
	Vocab         int     // rows of token_embd
	ContextLength int     // context_length
	RMSEps        float32 // attention.layer_norm_rms_epsilon
	RopeTheta     float32 // rope.freq_base
	BOS, EOS      int     // -1 when unknown
}

// Family returns c.Arch, arch.BitNet when nil.
func (c *Config) Family() *arch.Family {
	if c.Arch == nil {
		return arch.BitNet
	}
	return c.Arch
}

// QDim is the width of the attention's queries and output, Heads·HeadDim.
func (c *Config) QDim() int { return c.Heads * c.HeadDim }

// Validate checks the dimensions the forward pass relies on.
func (c *Config) Validate() error {
	switch {
	case c.Hidden <= 0 || c.Intermediate <= 0 || c.Layers <= 0 || c.Vocab <= 0:
		return fmt.Errorf("model: non-positive dimension (hidden %d, intermediate %d, layers %d, vocab %d)", c.Hidden, c.Intermediate, c.Layers, c.Vocab)
	case c.Heads <= 0 || c.KVHeads <= 0 || c.Heads%c.KVHeads != 0:
		return fmt.Errorf("model: %d kv heads do not divide %d heads", c.KVHeads, c.Heads)
	case c.HeadDim <= 0 || c.HeadDim%2 != 0:
		return fmt.Errorf("model: head_dim %d must be positive and even", c.HeadDim)
	case c.Heads*c.HeadDim != c.Hidden && !c.Family().HeadDimFree:
		return fmt.Errorf("model: %d heads × head_dim %d ≠ hidden %d (attn_sub_norm spans hidden)", c.Heads, c.HeadDim, c.Hidden)
	case c.Heads > 1<<20 || c.HeadDim > 1<<20 || c.Heads*c.HeadDim > 1<<20:
		return fmt.Errorf("model: %d heads × head_dim %d is too large", c.Heads, c.HeadDim)
	case c.ContextLength <= 0:
		return fmt.Errorf("model: context length %d must be positive", c.ContextLength)
	case !(c.RMSEps > 0) || !(c.RopeTheta > 0) || math.IsInf(float64(c.RMSEps), 0) || math.IsInf(float64(c.RopeTheta), 0):
		return fmt.Errorf("model: rms eps %v and rope theta %v must be positive and finite", c.RMSEps, c.RopeTheta)
	}
	return nil
}

// Linear is one BitLinear projection packed for package kernel: Rows output
// rows of K values each (K = Cols padded to the format's block, zero weights
// in the padding), in Format, with absmean scale m (docs/SEMANTICS.md §2).
type Linear struct {
	Rows, Cols, K int
	Packed        []byte
	Scale         float32
	Format        Format
}

// Format is the packing of a Linear's rows.
type Format int

const (
	// FormatI2S is the x86 I2_S layout (docs/SEMANTICS.md §4): K a multiple
	// of 128, K/4 bytes per row, kernel.MatMatStride.
	FormatI2S Format = iota
	// FormatT5S is T5_S (docs/SEMANTICS.md §4b): K a multiple of 160, K/5
	// bytes per row, kernel.MatMatStrideT5S.
	FormatT5S
	// FormatT3S is T3_S (docs/SEMANTICS.md §4c): K a multiple of 96,
	// K/96·20 bytes per row, kernel.MatMatStrideT3S.
	FormatT3S
)

func (f Format) String() string {
	switch f {
	case FormatT5S:
		return "T5_S"
	case FormatT3S:
		return "T3_S"
	}
	return "I2_S"
}

// block is the number of values in one block of the format.
func (f Format) block() int {
	switch f {
	case FormatT5S:
		return kernel.T5SBlockValues
	case FormatT3S:
		return kernel.T3SGroupValues
	}
	return kernel.BlockValues
}

// rowBytes is the size of one packed row of k values.
func (f Format) rowBytes(k int) int {
	switch f {
	case FormatT5S:
		return k / 5
	case FormatT3S:
		return kernel.T3SRowBytes(k)
	}
	return k / 4
}

func (l *Linear) check(name string, rows, cols int) error {
	if l.Rows != rows || l.Cols != cols {
		return fmt.Errorf("model: %s is %d×%d, want %d×%d", name, l.Rows, l.Cols, rows, cols)
	}
	if l.Format != FormatI2S && l.Format != FormatT5S && l.Format != FormatT3S {
		return fmt.Errorf("model: %s has unknown format %d", name, l.Format)
	}
	if l.K < cols || l.K%l.Format.block() != 0 || len(l.Packed) < l.Rows*l.Format.rowBytes(l.K) {
		return fmt.Errorf("model: %s packed as %d bytes of %s K=%d, want K a multiple of %d ≥ %d", name, len(l.Packed), l.Format, l.K, l.Format.block(), cols)
	}
	if math.IsNaN(float64(l.Scale)) || math.IsInf(float64(l.Scale), 0) || l.Scale < 0 {
		return fmt.Errorf("model: %s has scale %v", name, l.Scale)
	}
	return nil
}

// Layer holds one decoder layer's weights. AttnSubNorm and FFNSubNorm are
// nil for a family without sub-norms. With Config.Family().RopeInterleaved,
// Q and K hold their rows permuted per head (arch.PermuteRows).
type Layer struct {
	AttnNorm, AttnSubNorm, FFNNorm, FFNSubNorm []float32
	Q, K, V, O, Gate, Up, Down                 Linear
}

// slot returns the field holding the layer tensor of an arch.Tensor.Key:
// a norm or a projection (both nil for an unknown key).
func (l *Layer) slot(key string) (*[]float32, *Linear) {
	switch key {
	case "attn_norm":
		return &l.AttnNorm, nil
	case "attn_sub_norm":
		return &l.AttnSubNorm, nil
	case "ffn_norm":
		return &l.FFNNorm, nil
	case "ffn_sub_norm":
		return &l.FFNSubNorm, nil
	case "attn_q":
		return nil, &l.Q
	case "attn_k":
		return nil, &l.K
	case "attn_v":
		return nil, &l.V
	case "attn_output":
		return nil, &l.O
	case "ffn_gate":
		return nil, &l.Gate
	case "ffn_up":
		return nil, &l.Up
	case "ffn_down":
		return nil, &l.Down
	}
	return nil, nil
}

// Weights is a whole model. The token embedding Embed is [Vocab][Hidden]
// (a Table: F16, or ggml Q8_0 or Q6_K blocks for the optional 8- and 6-bit
// heads of a tied family). A family with an untied head has it in Output,
// same shape; Output is absent (the zero Table) for a tied head.
type Weights struct {
	Config
	Embed      Table
	Output     Table
	OutputNorm []float32
	Layers     []Layer
}

// TableType is how a Table stores its values.
type TableType int

const (
	// TableF16 is float16 values (the exact head).
	TableF16 TableType = iota
	// TableQ8_0 is ggml Q8_0 blocks (quant.QuantizeQ8_0).
	TableQ8_0
	// TableQ6_K is ggml Q6_K blocks (docs/SEMANTICS.md §9).
	TableQ6_K
)

func (t TableType) String() string {
	return [...]string{"F16", "Q8_0", "Q6_K"}[t]
}

// Table is the token embedding or an LM head: rows of Hidden values, as
// F16 values in F16 (Type TableF16) or as blocks in Data (the other
// types). The zero Table, with neither slice set, is absent.
type Table struct {
	Type TableType
	F16  []uint16
	Data []byte
}

// Absent reports whether t holds no table (a tied model's Output).
func (t Table) Absent() bool { return t.F16 == nil && t.Data == nil }

// Bytes is the size of t's values as stored: what a decode step streams
// when t is the LM head.
func (t Table) Bytes() int64 { return int64(len(t.F16))*2 + int64(len(t.Data)) }

// blockValues is the number of values of one block of t's type.
func (t Table) blockValues() int {
	switch t.Type {
	case TableQ8_0:
		return quant.Q8_0BlockValues
	case TableQ6_K:
		return quant.Q6_KBlockValues
	}
	return 1
}

// rowBytes is the size of one row of hidden values of t's type.
func (t Table) rowBytes(hidden int) int {
	switch t.Type {
	case TableQ8_0:
		return quant.Q8_0Size(hidden)
	case TableQ6_K:
		return quant.Q6_KSize(hidden)
	}
	return 2 * hidden
}

// row writes row r of t (hidden values) into dst as float32.
func (t Table) row(dst []float32, r, hidden int) {
	n := t.rowBytes(hidden)
	switch t.Type {
	case TableQ8_0:
		quant.DequantizeQ8_0(dst, t.Data[r*n:(r+1)*n])
	case TableQ6_K:
		quant.DequantizeQ6_K(dst, t.Data[r*n:(r+1)*n])
	default:
		table := f16ToF32()
		for j, b := range t.F16[r*hidden : (r+1)*hidden] {
			dst[j] = table[b]
		}
	}
}

// check reports whether t holds rows×hidden values of its type.
func (t Table) check(what string, rows, hidden int) error {
	if t.Type < TableF16 || t.Type > TableQ6_K {
		return fmt.Errorf("model: %s has unknown type %d", what, t.Type)
	}
	if hidden%t.blockValues() != 0 {
		return fmt.Errorf("model: %s is %s but hidden %d is not a multiple of its %d-value block", what, t.Type, hidden, t.blockValues())
	}
	if t.Type == TableF16 {
		if t.Data != nil || len(t.F16) != rows*hidden {
			return fmt.Errorf("model: %s holds %d values, want %d×%d", what, len(t.F16), rows, hidden)
		}
		return nil
	}
	if t.F16 != nil || len(t.Data) != rows*t.rowBytes(hidden) {
		return fmt.Errorf("model: %s holds %d bytes of %s, want %d×%d values", what, len(t.Data), t.Type, rows, hidden)
	}
	return nil
}

// Head returns the LM head, [Vocab][Hidden]: the untied output head when
// there is one, else the token embedding.
func (w *Weights) Head() Table {
	if !w.Output.Absent() {
		return w.Output
	}
	return w.Embed
}

// Validate checks every shape against the config.
func (w *Weights) Validate() error {
	c := &w.Config
	if err := c.Validate(); err != nil {
		return err
	}
	fam := c.Family()
	if err := w.Embed.check("token embedding", c.Vocab, c.Hidden); err != nil {
		return err
	}
	switch {
	case fam.TiedHead && !w.Output.Absent():
		return fmt.Errorf("model: the %s family ties the LM head to the embedding, but an output head is set", fam.Name)
	case fam.TiedHead:
	default:
		if err := w.Output.check("output head", c.Vocab, c.Hidden); err != nil {
			return err
		}
	}
	if len(w.OutputNorm) != c.Hidden {
		return fmt.Errorf("model: output norm holds %d values, want %d", len(w.OutputNorm), c.Hidden)
	}
	if len(w.Layers) != c.Layers {
		return fmt.Errorf("model: %d layers, want %d", len(w.Layers), c.Layers)
	}
	q, kv := c.Heads*c.HeadDim, c.KVHeads*c.HeadDim
	for i := range w.Layers {
		l := &w.Layers[i]
		sub := func(n int) int {
			if fam.SubNorms {
				return n
			}
			return 0
		}
		for _, n := range []struct {
			name string
			v    []float32
			want int
		}{{"attn_norm", l.AttnNorm, c.Hidden}, {"attn_sub_norm", l.AttnSubNorm, sub(c.Hidden)}, {"ffn_norm", l.FFNNorm, c.Hidden}, {"ffn_sub_norm", l.FFNSubNorm, sub(c.Intermediate)}} {
			if len(n.v) != n.want {
				return fmt.Errorf("model: blk.%d.%s holds %d values, want %d (family %s)", i, n.name, len(n.v), n.want, fam.Name)
			}
		}
		for _, p := range []struct {
			name       string
			l          *Linear
			rows, cols int
		}{{"attn_q", &l.Q, q, c.Hidden}, {"attn_k", &l.K, kv, c.Hidden}, {"attn_v", &l.V, kv, c.Hidden}, {"attn_output", &l.O, c.Hidden, q},
			{"ffn_gate", &l.Gate, c.Intermediate, c.Hidden}, {"ffn_up", &l.Up, c.Intermediate, c.Hidden}, {"ffn_down", &l.Down, c.Hidden, c.Intermediate}} {
			if err := p.l.check(fmt.Sprintf("blk.%d.%s", i, p.name), p.rows, p.cols); err != nil {
				return err
			}
		}
		// Projections of one input read one quantized copy of it.
		if l.K.K != l.Q.K || l.V.K != l.Q.K || l.Up.K != l.Gate.K {
			return fmt.Errorf("model: blk.%d packs attn_q/k/v with K = %d/%d/%d and ffn_gate/up with K = %d/%d, want equal K for projections of one input", i, l.Q.K, l.K.K, l.V.K, l.Gate.K, l.Up.K)
		}
	}
	return nil
}

// HeadBytes is the LM head's share of BytesPerToken (Head).
func (w *Weights) HeadBytes() int64 { return w.Head().Bytes() }

// BytesPerToken is the weight data one decode step reads: every packed
// projection (with its scale) and the LM head.
func (w *Weights) BytesPerToken() int64 {
	n := w.HeadBytes()
	for i := range w.Layers {
		for _, l := range w.Layers[i].linears() {
			n += int64(len(l.Packed)) + 4
		}
	}
	return n
}
