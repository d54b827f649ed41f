package arch

import (
	"fmt"
	"slices"
	"strings"
)

// Activation is the gate activation of the MLP, down(act(gate(x)) · up(x)).
type Activation int

const (
	// ReLU2 is squared ReLU, relu(x)² (BitNet b1.58, hidden_act "relu2").
	ReLU2 Activation = iota
	// SiLU is x·sigmoid(x) (Llama, hidden_act "silu").
	SiLU
)

// String is the config.json hidden_act name.
func (a Activation) String() string {
	if a == SiLU {
		return "silu"
	}
	return "relu2"
}

// Role classifies a tensor of a family.
type Role int

const (
	RoleEmbedding  Role = iota // token embedding [vocab, hidden]; also the LM head when tied
	RoleNorm                   // RMSNorm weight [n]
	RoleProjection             // BitLinear weight [out, in], ternary in the GGUF file
	RoleOutput                 // untied LM head [vocab, hidden], kept in floating point
)

// Dim names a dimension of a tensor in terms of the config.
type Dim int

const (
	DimHidden       Dim = iota + 1 // hidden_size
	DimIntermediate                // intermediate_size
	DimQ                           // num_attention_heads × head_dim
	DimKV                          // num_key_value_heads × head_dim
	DimVocab                       // vocab_size
)

// Permute says how the GGUF file orders a projection's rows.
type Permute int

const (
	PermuteNone Permute = iota
	// PermuteQ and PermuteK reorder each head's rows for llama.cpp's
	// interleaved RoPE (RopeLLaMA): within a head of d rows, GGUF row 2j is
	// HF row j and GGUF row 2j+1 is HF row j+d/2 (llama.cpp's converter
	// "permute"). Q heads are num_attention_heads, K heads
	// num_key_value_heads.
	PermuteQ
	PermuteK
)

// Tensor is one tensor of a family. Per-layer names contain one %d, the
// layer index.
type Tensor struct {
	HF   string // Hugging Face name, e.g. "model.layers.%d.self_attn.q_proj.weight"
	GGUF string // GGUF name, e.g. "blk.%d.attn_q.weight"
	// Key identifies the tensor's slot in a layer (the GGUF short name,
	// "attn_q", "ffn_sub_norm", ...; "token_embd", "output_norm", "output"
	// for the others), for a loader that fills a fixed structure.
	Key  string
	Role Role
	// Out and In are the [out, in] dimensions of a projection, embedding or
	// output head; a norm has Out only.
	Out, In Dim
	Permute Permute
}

// Defaults are the Hugging Face config class's defaults for keys absent
// from config.json.
type Defaults struct {
	// NumKeyValueHeads for an absent key; 0: num_attention_heads.
	NumKeyValueHeads      int
	HiddenAct             string
	MaxPositionEmbeddings int
	RMSNormEps            float64
	RopeTheta             float64
	TieWordEmbeddings     bool
	BOSTokenID            int
	EOSTokenID            int
}

// Family describes one model family.
type Family struct {
	Name string // "bitnet", "llama-bitlinear"
	// HFArchitectures are the config.json "architectures" values and
	// HFModelType its "model_type" (an absent model_type is accepted).
	HFArchitectures []string
	HFModelType     string
	// NeedsBitnetQuantization: the family is only ternary when
	// quantization_config.quant_method is "bitnet" (a plain Llama is not).
	NeedsBitnetQuantization bool
	// GGUFArch is the general.architecture convert writes and the prefix of
	// the hyper-parameter keys; GGUFAliases are also accepted when loading.
	GGUFArch    string
	GGUFAliases []string
	Activation  Activation
	SubNorms    bool // attn_sub_norm before o_proj, ffn_sub_norm before down_proj
	// TiedHead: the LM head is the token embedding; otherwise the family
	// has a RoleOutput tensor.
	TiedHead bool
	// RopeInterleaved: the GGUF file stores q/k rows permuted (Permute) and
	// RoPE rotates adjacent pairs (llama.cpp's LLAMA_ROPE_TYPE_NORM), the
	// same computation as rotate-half on the Hugging Face order. Otherwise
	// q/k keep the Hugging Face order and RoPE rotates halves (NeoX).
	RopeInterleaved bool
	// HeadDimFree: heads × head_dim may differ from hidden_size (no
	// sub-norm spans the attention output).
	HeadDimFree bool
	Defaults    Defaults
	// Global tensors come before the layers in file order, Final after.
	Global, Layer, Final []Tensor
}

// Families lists every supported family.
var Families = []*Family{BitNet, Llama}

// Dims are the dimensions a family's tensor shapes refer to.
type Dims struct {
	Hidden, Intermediate, Heads, KVHeads, HeadDim, Vocab, Layers int
}

// Size returns the size of dimension d.
func (d Dims) Size(x Dim) int {
	switch x {
	case DimHidden:
		return d.Hidden
	case DimIntermediate:
		return d.Intermediate
	case DimQ:
		return d.Heads * d.HeadDim
	case DimKV:
		return d.KVHeads * d.HeadDim
	case DimVocab:
		return d.Vocab
	}
	return 0
}

// Describe explains where dimension x comes from, for error messages.
func (d Dims) Describe(x Dim) string {
	switch x {
	case DimHidden:
		return fmt.Sprintf("hidden_size %d", d.Hidden)
	case DimIntermediate:
		return fmt.Sprintf("intermediate_size %d", d.Intermediate)
	case DimQ:
		return fmt.Sprintf("num_attention_heads %d × head_dim %d = %d", d.Heads, d.HeadDim, d.Heads*d.HeadDim)
	case DimKV:
		return fmt.Sprintf("num_key_value_heads %d × head_dim %d = %d", d.KVHeads, d.HeadDim, d.KVHeads*d.HeadDim)
	case DimVocab:
		return fmt.Sprintf("vocab_size %d", d.Vocab)
	}
	return "?"
}

// Spec is one tensor of a model: a family Tensor with its layer and sizes.
type Spec struct {
	Tensor
	HFName, GGUFName string
	Layer            int // -1 for global and final tensors
	// Rows and Cols are the logical [out, in] sizes; Cols is 0 for a norm.
	Rows, Cols int
	// Heads is the number of heads whose rows Permute reorders (0: none).
	Heads int
}

// Expand lists every tensor of a model of dimensions d, in file order: the
// global tensors, each layer's, the final ones.
func (f *Family) Expand(d Dims) []Spec {
	var out []Spec
	add := func(t Tensor, layer int) {
		s := Spec{Tensor: t, HFName: t.HF, GGUFName: t.GGUF, Layer: layer, Rows: d.Size(t.Out), Cols: d.Size(t.In)}
		if layer >= 0 {
			s.HFName, s.GGUFName = fmt.Sprintf(t.HF, layer), fmt.Sprintf(t.GGUF, layer)
		}
		switch t.Permute {
		case PermuteQ:
			s.Heads = d.Heads
		case PermuteK:
			s.Heads = d.KVHeads
		}
		out = append(out, s)
	}
	for _, t := range f.Global {
		add(t, -1)
	}
	for i := range d.Layers {
		for _, t := range f.Layer {
			add(t, i)
		}
	}
	for _, t := range f.Final {
		add(t, -1)
	}
	return out
}

// ByHF returns the family of a config.json's architectures and model_type
// (quantMethod is quantization_config.quant_method, "" when absent). The
// error names what was found and what is supported, and names known
// unsupported ternary families as such.
func ByHF(architectures []string, modelType, quantMethod string) (*Family, error) {
	// 1bitLLM/bitnet_b1_58-large and -3B spell their class like 2B4T's
	// second spelling but are Llama models with SiLU and no sub-norms,
	// whose reference semantics are not settled.
	if slices.Contains(architectures, "BitnetForCausalLM") && modelType == "llama" {
		return nil, fmt.Errorf("architecture BitnetForCausalLM with model_type \"llama\" is the 1bitLLM bitnet_b1_58 family (bitnet_b1_58-large/-3B), which is not supported (supported: %s)", Supported())
	}
	for _, f := range Families {
		if !slices.ContainsFunc(architectures, func(a string) bool { return slices.Contains(f.HFArchitectures, a) }) {
			continue
		}
		if modelType != "" && modelType != f.HFModelType {
			return nil, fmt.Errorf("architecture %q with model_type %q: want model_type %q", architectures, modelType, f.HFModelType)
		}
		if f.NeedsBitnetQuantization && quantMethod != "bitnet" {
			return nil, fmt.Errorf("architecture %q without quantization_config.quant_method \"bitnet\" is a plain (not ternary) model, which is not supported (supported: %s)", architectures, Supported())
		}
		return f, nil
	}
	found := "none"
	if len(architectures) > 0 {
		found = fmt.Sprintf("%q", architectures)
	}
	return nil, fmt.Errorf("unsupported architecture %s (supported: %s)", found, Supported())
}

// ByGGUF returns the family of a GGUF general.architecture.
func ByGGUF(name string) (*Family, error) {
	for _, f := range Families {
		if name == f.GGUFArch || slices.Contains(f.GGUFAliases, name) {
			return f, nil
		}
	}
	var names []string
	for _, f := range Families {
		names = append(names, f.GGUFArch)
		names = append(names, f.GGUFAliases...)
	}
	return nil, fmt.Errorf("unsupported architecture %q (supported: %s)", name, strings.Join(names, ", "))
}

// Supported describes the supported Hugging Face families for messages.
func Supported() string {
	var parts []string
	for _, f := range Families {
		s := strings.Join(f.HFArchitectures, " or ") + fmt.Sprintf(" with model_type %q", f.HFModelType)
		if f.NeedsBitnetQuantization {
			s += " and quant_method \"bitnet\""
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// WeightScale says how a packed checkpoint's weight_scale is applied.
type WeightScale int

const (
	// ScaleMultiply: y = (Σ t·q)/a · weight_scale (transformers'
	// AutoBitLinear); weight_scale is the absmean m.
	ScaleMultiply WeightScale = iota
	// ScaleDivide: y = (Σ t·q) / (weight_scale · a) (transformers'
	// BitLinear); weight_scale is 1/m.
	ScaleDivide
)

// LinearClasses are the accepted quantization_config.linear_class values.
var LinearClasses = []string{"autobitlinear", "bitlinear"}

// WeightScaleRule returns how linear_class applies weight_scale, as
// transformers' replace_with_bitnet_linear chooses the class.
func WeightScaleRule(linearClass string) (WeightScale, error) {
	switch linearClass {
	case "autobitlinear":
		return ScaleMultiply, nil
	case "bitlinear":
		return ScaleDivide, nil
	}
	return 0, fmt.Errorf("quantization_config.linear_class %q is not supported (want \"autobitlinear\" or \"bitlinear\")", linearClass)
}

// Multiplier returns the per-tensor factor a multiplying kernel (bitnet.cpp's
// I2_S, ours) applies for a stored weight_scale under rule: weight_scale
// itself, or RN_f32(1/weight_scale) for ScaleDivide.
func (r WeightScale) Multiplier(weightScale float32) float32 {
	if r == ScaleDivide {
		return 1 / weightScale
	}
	return weightScale
}
