package hf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/internal/limits"
)

// SupportedArchitectures lists the config.json "architectures" values of
// every supported family (package arch).
var SupportedArchitectures = func() []string {
	var out []string
	for _, f := range arch.Families {
		out = append(out, f.HFArchitectures...)
	}
	return out
}()

// Defaults of the transformers BitNetQuantConfig, applied when
// quantization_config is present but lacks the key. Other absent keys take
// the defaults of the family's config class (arch.Family.Defaults) and are
// listed in Config.Defaulted. The five core dimensions (hidden_size,
// intermediate_size, num_hidden_layers, num_attention_heads, vocab_size)
// have HF defaults too but are required here: a config.json without them
// is not a checkpoint one should silently treat as some default model.
const (
	DefaultLinearClass      = "bitlinear"
	DefaultQuantizationMode = "offline"
)

// Caps on config.json values. Dimensions are also positive. They are the
// GGUF loader's (package internal/limits), so every file convert writes
// loads.
const (
	MaxDim       = limits.MaxDim     // hidden, intermediate, heads, head_dim, vocab
	MaxLayers    = limits.MaxLayers  // num_hidden_layers (bounds the tensor list)
	MaxPositions = limits.MaxContext // max_position_embeddings
)

// Config is the part of a BitNet config.json this package understands.
type Config struct {
	Architectures         []string
	ModelType             string
	HiddenSize            int
	IntermediateSize      int
	NumHiddenLayers       int
	NumAttentionHeads     int
	NumKeyValueHeads      int
	HeadDim               int  // from "head_dim", else HiddenSize / NumAttentionHeads
	ExplicitHeadDim       bool // config.json had a head_dim key
	VocabSize             int
	MaxPositionEmbeddings int
	RMSNormEps            float64
	RopeTheta             float64
	HiddenAct             string
	TieWordEmbeddings     bool
	AttentionBias         bool
	MLPBias               bool
	PretrainingTP         int // 1 when absent
	// BOSTokenID and EOSTokenID are -1 when config.json sets them to null.
	// eos_token_id may be an int or a list; EOSTokenID is its first element
	// and EOSTokenIDs all of them.
	BOSTokenID  int
	EOSTokenID  int
	EOSTokenIDs []int
	// Quantization is quantization_config, nil when absent (plain master
	// weights, which this project ternarizes at conversion like "online").
	Quantization *QuantizationConfig
	// TorchDtype is "torch_dtype" (or the newer "dtype"), e.g. "bfloat16".
	TorchDtype string
	// RopeScaling is the raw rope_scaling value when present and not null;
	// Validate rejects it (BitNet uses plain RoPE, docs/SEMANTICS.md §1).
	RopeScaling json.RawMessage
	// Defaulted lists the keys that were absent and took the HF defaults
	// above, so a converter can report them.
	Defaulted []string
}

// QuantizationConfig is config.json's quantization_config (docs/SEMANTICS.md §3).
type QuantizationConfig struct {
	QuantMethod string // "bitnet"
	// LinearClass is "autobitlinear" (the matmul result is multiplied by
	// weight_scale) or "bitlinear" (transformers' BitLinear divides by it).
	LinearClass string
	// QuantizationMode is "online" (master weights, ternarized on the fly)
	// or "offline" (packed U8 weights plus weight_scale).
	QuantizationMode    string
	UseRMSNorm          bool
	ModulesToNotConvert []string
}

// Packed reports whether the checkpoint stores the packed form (U8
// [out/4, in] projections plus weight_scale, docs/SEMANTICS.md §3): as
// transformers decides, linear_class "bitlinear" always loads packed
// weights, "autobitlinear" in quantization_mode "offline".
func (c *Config) Packed() bool {
	q := c.Quantization
	return q != nil && (q.QuantizationMode == "offline" || q.LinearClass == "bitlinear")
}

// WeightScale says how the packed form's weight_scale is applied
// (arch.WeightScaleRule of linear_class; ScaleMultiply when not packed,
// where this project ternarizes and the scale is the absmean).
func (c *Config) WeightScale() arch.WeightScale {
	if !c.Packed() {
		return arch.ScaleMultiply
	}
	r, _ := arch.WeightScaleRule(c.Quantization.LinearClass) // checked by Validate
	return r
}

// Family returns the model family of the config (package arch).
func (c *Config) Family() (*arch.Family, error) {
	qm := ""
	if c.Quantization != nil {
		qm = c.Quantization.QuantMethod
	}
	f, err := arch.ByHF(c.Architectures, c.ModelType, qm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	return f, nil
}

// Dims returns the dimensions the family's tensor shapes refer to.
func (c *Config) Dims() arch.Dims {
	return arch.Dims{Hidden: c.HiddenSize, Intermediate: c.IntermediateSize, Heads: c.NumAttentionHeads,
		KVHeads: c.NumKeyValueHeads, HeadDim: c.HeadDim, Vocab: c.VocabSize, Layers: c.NumHiddenLayers}
}

// rawConfig mirrors config.json; pointers and raw values tell absent and
// null apart.
type rawConfig struct {
	Architectures         []string        `json:"architectures"`
	ModelType             *string         `json:"model_type"`
	HiddenSize            *int64          `json:"hidden_size"`
	IntermediateSize      *int64          `json:"intermediate_size"`
	NumHiddenLayers       *int64          `json:"num_hidden_layers"`
	NumAttentionHeads     *int64          `json:"num_attention_heads"`
	NumKeyValueHeads      json.RawMessage `json:"num_key_value_heads"`
	HeadDim               *int64          `json:"head_dim"`
	VocabSize             *int64          `json:"vocab_size"`
	MaxPositionEmbeddings *int64          `json:"max_position_embeddings"`
	RMSNormEps            *float64        `json:"rms_norm_eps"`
	RopeTheta             *float64        `json:"rope_theta"`
	HiddenAct             *string         `json:"hidden_act"`
	TieWordEmbeddings     *bool           `json:"tie_word_embeddings"`
	AttentionBias         *bool           `json:"attention_bias"`
	MLPBias               *bool           `json:"mlp_bias"`
	PretrainingTP         *int64          `json:"pretraining_tp"`
	BOSTokenID            json.RawMessage `json:"bos_token_id"`
	EOSTokenID            json.RawMessage `json:"eos_token_id"`
	TorchDtype            *string         `json:"torch_dtype"`
	Dtype                 *string         `json:"dtype"`
	RopeScaling           json.RawMessage `json:"rope_scaling"`
	QuantizationConfig    json.RawMessage `json:"quantization_config"`
}

type rawQuant struct {
	QuantMethod         *string  `json:"quant_method"`
	LinearClass         *string  `json:"linear_class"`
	QuantizationMode    *string  `json:"quantization_mode"`
	UseRMSNorm          *bool    `json:"use_rms_norm"`
	ModulesToNotConvert []string `json:"modules_to_not_convert"`
}

// ReadConfig reads, parses and validates dir/config.json (at most
// MaxConfigSize bytes).
func ReadConfig(dir string) (*Config, error) {
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, ConfigFile)
	data, err := readCapped(path, MaxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s in %s: not a Hugging Face model directory", ConfigFile, dir)
	}
	if err != nil {
		return nil, err
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err) // err starts with "config.json: "
	}
	return cfg, nil
}

// ParseConfig parses a config.json, applies the defaults of its family's HF
// config class to absent keys and validates the result (see Validate). A
// key repeated in config.json takes its last value, as JSON readers do
// (HF1BitLLM/Llama3-8B-1.58-100B-tokens repeats quantization_config).
func ParseConfig(data []byte) (cfg *Config, err error) {
	defer func() {
		if err != nil && !errors.Is(err, ErrConfig) {
			err = classify(err, ErrConfig)
		}
	}()
	if len(data) > MaxConfigSize {
		return nil, fmt.Errorf("%s: %d bytes exceeds the cap of %d", ConfigFile, len(data), MaxConfigSize)
	}
	if _, err := decodeEntries(data, true); err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	var r rawConfig
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	c := &Config{Architectures: r.Architectures, PretrainingTP: 1}
	def := func(key string) { c.Defaulted = append(c.Defaulted, key) }
	if r.ModelType != nil {
		c.ModelType = *r.ModelType
	}
	var rq *rawQuant
	if r.QuantizationConfig != nil && !isNull(r.QuantizationConfig) {
		rq = new(rawQuant)
		if err := json.Unmarshal(r.QuantizationConfig, rq); err != nil {
			return nil, fmt.Errorf("%s: quantization_config: %w", ConfigFile, err)
		}
	}
	qm := ""
	if rq != nil && rq.QuantMethod != nil {
		qm = *rq.QuantMethod
	}
	fam, err := arch.ByHF(c.Architectures, c.ModelType, qm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	dflt := fam.Defaults
	required := []struct {
		key string
		src *int64
		dst *int
	}{
		{"hidden_size", r.HiddenSize, &c.HiddenSize},
		{"intermediate_size", r.IntermediateSize, &c.IntermediateSize},
		{"num_hidden_layers", r.NumHiddenLayers, &c.NumHiddenLayers}, // capped again in Validate
		{"num_attention_heads", r.NumAttentionHeads, &c.NumAttentionHeads},
		{"vocab_size", r.VocabSize, &c.VocabSize},
	}
	for _, f := range required {
		if f.src == nil {
			return nil, fmt.Errorf("%s: missing %s", ConfigFile, f.key)
		}
		v, err := dim(f.key, *f.src, MaxDim)
		if err != nil {
			return nil, err
		}
		*f.dst = v
	}
	switch {
	case r.NumKeyValueHeads == nil:
		c.NumKeyValueHeads = dflt.NumKeyValueHeads
		if c.NumKeyValueHeads == 0 {
			c.NumKeyValueHeads = c.NumAttentionHeads
		}
		def("num_key_value_heads")
	case isNull(r.NumKeyValueHeads):
		c.NumKeyValueHeads = c.NumAttentionHeads
	default:
		var v int64
		if err := json.Unmarshal(r.NumKeyValueHeads, &v); err != nil {
			return nil, fmt.Errorf("%s: num_key_value_heads is not an integer", ConfigFile)
		}
		n, err := dim("num_key_value_heads", v, MaxDim)
		if err != nil {
			return nil, err
		}
		c.NumKeyValueHeads = n
	}
	if r.HeadDim != nil {
		n, err := dim("head_dim", *r.HeadDim, MaxDim)
		if err != nil {
			return nil, err
		}
		c.HeadDim, c.ExplicitHeadDim = n, true
	} else {
		c.HeadDim = c.HiddenSize / c.NumAttentionHeads
	}
	if r.MaxPositionEmbeddings != nil {
		n, err := dim("max_position_embeddings", *r.MaxPositionEmbeddings, MaxPositions)
		if err != nil {
			return nil, err
		}
		c.MaxPositionEmbeddings = n
	} else {
		c.MaxPositionEmbeddings = dflt.MaxPositionEmbeddings
		def("max_position_embeddings")
	}
	if r.RMSNormEps != nil {
		c.RMSNormEps = *r.RMSNormEps
	} else {
		c.RMSNormEps = dflt.RMSNormEps
		def("rms_norm_eps")
	}
	if r.RopeTheta != nil {
		c.RopeTheta = *r.RopeTheta
	} else {
		c.RopeTheta = dflt.RopeTheta
		def("rope_theta")
	}
	if r.HiddenAct != nil {
		c.HiddenAct = *r.HiddenAct
	} else {
		c.HiddenAct = dflt.HiddenAct
		def("hidden_act")
	}
	if r.TieWordEmbeddings != nil {
		c.TieWordEmbeddings = *r.TieWordEmbeddings
	} else {
		c.TieWordEmbeddings = dflt.TieWordEmbeddings
		def("tie_word_embeddings")
	}
	if r.AttentionBias != nil {
		c.AttentionBias = *r.AttentionBias
	}
	if r.MLPBias != nil {
		c.MLPBias = *r.MLPBias
	}
	if r.PretrainingTP != nil {
		if *r.PretrainingTP < 1 || *r.PretrainingTP > MaxDim {
			return nil, fmt.Errorf("%s: pretraining_tp = %d, want 1", ConfigFile, *r.PretrainingTP)
		}
		c.PretrainingTP = int(*r.PretrainingTP)
	}
	bos, err := tokenIDs("bos_token_id", r.BOSTokenID, dflt.BOSTokenID, def)
	if err != nil {
		return nil, err
	}
	c.BOSTokenID = -1
	if len(bos) > 0 {
		c.BOSTokenID = bos[0]
	}
	c.EOSTokenIDs, err = tokenIDs("eos_token_id", r.EOSTokenID, dflt.EOSTokenID, def)
	if err != nil {
		return nil, err
	}
	c.EOSTokenID = -1
	if len(c.EOSTokenIDs) > 0 {
		c.EOSTokenID = c.EOSTokenIDs[0]
	}
	switch {
	case r.TorchDtype != nil:
		c.TorchDtype = *r.TorchDtype
	case r.Dtype != nil:
		c.TorchDtype = *r.Dtype
	}
	if r.RopeScaling != nil && !isNull(r.RopeScaling) {
		var b bytes.Buffer
		if json.Compact(&b, r.RopeScaling) == nil {
			r.RopeScaling = b.Bytes()
		}
		c.RopeScaling = r.RopeScaling
	}
	if rq != nil {
		q := &QuantizationConfig{ModulesToNotConvert: rq.ModulesToNotConvert}
		if rq.QuantMethod != nil {
			q.QuantMethod = *rq.QuantMethod
		}
		if rq.LinearClass != nil {
			q.LinearClass = *rq.LinearClass
		} else {
			q.LinearClass = DefaultLinearClass
			def("quantization_config.linear_class")
		}
		if rq.QuantizationMode != nil {
			q.QuantizationMode = *rq.QuantizationMode
		} else {
			q.QuantizationMode = DefaultQuantizationMode
			def("quantization_config.quantization_mode")
		}
		if rq.UseRMSNorm != nil {
			q.UseRMSNorm = *rq.UseRMSNorm
		}
		c.Quantization = q
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func dim(key string, v int64, limit int) (int, error) {
	if v <= 0 || v > int64(limit) {
		return 0, fmt.Errorf("%s: %s = %d, want 1..%d", ConfigFile, key, v, limit)
	}
	return int(v), nil
}

// tokenIDs decodes a token id that may be absent (HF default), null (none),
// an int or a list of ints.
func tokenIDs(key string, raw json.RawMessage, dflt int, def func(string)) ([]int, error) {
	if raw == nil {
		def(key)
		return []int{dflt}, nil
	}
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return nil, nil
	}
	var ids []int64
	if len(raw) > 0 && raw[0] == '[' {
		if err := json.Unmarshal(raw, &ids); err != nil {
			return nil, fmt.Errorf("%s: %s must be an integer or a list of integers", ConfigFile, key)
		}
	} else {
		var id int64
		if err := json.Unmarshal(raw, &id); err != nil {
			return nil, fmt.Errorf("%s: %s must be an integer or a list of integers", ConfigFile, key)
		}
		ids = []int64{id}
	}
	out := make([]int, len(ids))
	for i, id := range ids {
		if id < 0 || id > math.MaxInt32 {
			return nil, fmt.Errorf("%s: %s %d is out of range", ConfigFile, key, id)
		}
		out[i] = int(id)
	}
	return out, nil
}

// Validate checks that c describes a model this project runs (docs/SEMANTICS.md
// §1, §3; package arch): a supported family, its activation, positive
// bounded dimensions with checked products, heads dividing hidden (unless
// head_dim is explicit), kv heads dividing heads, heads × head_dim ==
// hidden for a family with sub-norms, an even head_dim (RoPE rotates
// pairs), positive finite eps and theta, token ids inside the vocabulary,
// no rope_scaling, no biases, pretraining_tp 1, an untied head for a
// family without a tied one, and a bitnet quantization_config with a known
// mode and class.
func (c *Config) Validate() error {
	if err := c.validate(); err != nil {
		return classify(err, ErrConfig)
	}
	return nil
}

func (c *Config) validate() error {
	fam, err := c.Family()
	if err != nil {
		return err
	}
	if c.EOSTokenID < -1 || (c.EOSTokenID >= 0 && !slices.Contains(c.EOSTokenIDs, c.EOSTokenID)) {
		return fmt.Errorf("%s: eos_token_id %d is not among EOSTokenIDs %v", ConfigFile, c.EOSTokenID, c.EOSTokenIDs)
	}
	if want := fam.Activation.String(); c.HiddenAct != want {
		return fmt.Errorf("%s: hidden_act %q is not supported for %s (want %q)", ConfigFile, c.HiddenAct, c.Architectures[0], want)
	}
	for _, d := range []struct {
		key   string
		v     int
		limit int
	}{
		{"hidden_size", c.HiddenSize, MaxDim},
		{"intermediate_size", c.IntermediateSize, MaxDim},
		{"num_hidden_layers", c.NumHiddenLayers, MaxLayers},
		{"num_attention_heads", c.NumAttentionHeads, MaxDim},
		{"num_key_value_heads", c.NumKeyValueHeads, MaxDim},
		{"head_dim", c.HeadDim, MaxDim},
		{"vocab_size", c.VocabSize, MaxDim},
		{"max_position_embeddings", c.MaxPositionEmbeddings, MaxPositions},
	} {
		if d.v <= 0 || d.v > d.limit {
			return fmt.Errorf("%s: %s = %d, want 1..%d", ConfigFile, d.key, d.v, d.limit)
		}
	}
	if !c.ExplicitHeadDim && c.HiddenSize%c.NumAttentionHeads != 0 {
		return fmt.Errorf("%s: num_attention_heads %d does not divide hidden_size %d", ConfigFile, c.NumAttentionHeads, c.HiddenSize)
	}
	if c.NumAttentionHeads%c.NumKeyValueHeads != 0 {
		return fmt.Errorf("%s: num_key_value_heads %d does not divide num_attention_heads %d", ConfigFile, c.NumKeyValueHeads, c.NumAttentionHeads)
	}
	if c.HeadDim%2 != 0 {
		return fmt.Errorf("%s: head_dim %d is odd (RoPE rotates pairs)", ConfigFile, c.HeadDim)
	}
	qDim, ok := checkedMul(uint64(c.NumAttentionHeads), uint64(c.HeadDim))
	if !ok || qDim > MaxDim {
		return fmt.Errorf("%s: num_attention_heads %d × head_dim %d is too large", ConfigFile, c.NumAttentionHeads, c.HeadDim)
	}
	if !fam.HeadDimFree && qDim != uint64(c.HiddenSize) {
		return fmt.Errorf("%s: num_attention_heads %d × head_dim %d != hidden_size %d (attn_sub_norm spans hidden_size)",
			ConfigFile, c.NumAttentionHeads, c.HeadDim, c.HiddenSize)
	}
	// Largest tensors: embeddings and the MLP projections; keep element
	// counts well inside int on 64-bit platforms.
	for _, p := range [][2]int{{c.VocabSize, c.HiddenSize}, {c.IntermediateSize, c.HiddenSize}} {
		if n, ok := checkedMul(uint64(p[0]), uint64(p[1])); !ok || n > math.MaxInt {
			return fmt.Errorf("%s: a %d × %d tensor is too large", ConfigFile, p[0], p[1])
		}
	}
	// Both are stored as float32 (GGUF), and checked as the loader does.
	if err := limits.PositiveFloat32("rms_norm_eps", c.RMSNormEps); err != nil {
		return fmt.Errorf("%s: %w", ConfigFile, err)
	}
	if err := limits.PositiveFloat32("rope_theta", c.RopeTheta); err != nil {
		return fmt.Errorf("%s: %w", ConfigFile, err)
	}
	if c.RopeScaling != nil {
		return fmt.Errorf("%s: rope_scaling %s is not supported (want null: plain RoPE)", ConfigFile, c.RopeScaling)
	}
	if c.AttentionBias {
		return fmt.Errorf("%s: attention_bias true is not supported (want false: no biases)", ConfigFile)
	}
	if c.MLPBias {
		return fmt.Errorf("%s: mlp_bias true is not supported (want false: no biases)", ConfigFile)
	}
	if c.PretrainingTP != 1 {
		return fmt.Errorf("%s: pretraining_tp %d is not supported (want 1)", ConfigFile, c.PretrainingTP)
	}
	if !fam.TiedHead && c.TieWordEmbeddings {
		return fmt.Errorf("%s: tie_word_embeddings true is not supported for %s (want false: a separate lm_head.weight)", ConfigFile, c.Architectures[0])
	}
	if c.BOSTokenID < -1 || c.BOSTokenID >= c.VocabSize {
		return fmt.Errorf("%s: bos_token_id %d is outside the vocabulary of %d tokens%s", ConfigFile, c.BOSTokenID, c.VocabSize, c.defaultedNote("bos_token_id"))
	}
	for _, id := range c.EOSTokenIDs {
		if id < 0 || id >= c.VocabSize {
			return fmt.Errorf("%s: eos_token_id %d is outside the vocabulary of %d tokens%s", ConfigFile, id, c.VocabSize, c.defaultedNote("eos_token_id"))
		}
	}
	if q := c.Quantization; q != nil {
		if q.QuantMethod != "bitnet" {
			return fmt.Errorf("%s: quantization_config.quant_method %q is not supported (want \"bitnet\")", ConfigFile, q.QuantMethod)
		}
		if q.QuantizationMode != "online" && q.QuantizationMode != "offline" {
			return fmt.Errorf("%s: quantization_config.quantization_mode %q, want \"online\" or \"offline\"", ConfigFile, q.QuantizationMode)
		}
		if _, err := arch.WeightScaleRule(q.LinearClass); err != nil {
			return fmt.Errorf("%s: %w", ConfigFile, err)
		}
		if q.UseRMSNorm {
			return fmt.Errorf("%s: quantization_config.use_rms_norm true is not supported", ConfigFile)
		}
		for _, m := range q.ModulesToNotConvert {
			if m != "lm_head" {
				return fmt.Errorf("%s: quantization_config.modules_to_not_convert lists %q: only lm_head may stay unquantized", ConfigFile, m)
			}
		}
	}
	return nil
}

func (c *Config) defaultedNote(key string) string {
	if slices.Contains(c.Defaulted, key) {
		return " (the HF default: config.json has no " + key + ")"
	}
	return ""
}
