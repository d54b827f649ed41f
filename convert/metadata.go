package convert

import (
	"fmt"
	"path/filepath"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
	"github.com/bitnet-go/bitnet/tokenizer"
)

// Arch is the GGUF architecture name written for the BitNet family
// (docs/SEMANTICS.md §5); other families write their arch.Family.GGUFArch.
const Arch = "bitnet-b1.58"

// FileTypeI2S is general.file_type for "mostly I2_S".
const FileTypeI2S = 40

// Keys of our own, beside bitnet.cpp's.
const (
	KeyLayout     = "bitnet-go.i2s.layout"     // "x86" or "arm"
	KeyBlockSize  = "bitnet-go.i2s.block_size" // 128 or 64
	KeyPadded     = "bitnet-go.i2s.padded"     // rows padded to the block
	KeySourceMode = "bitnet-go.source.quantization_mode"
)

// kv is one metadata entry, in the order written.
type kv struct {
	key string
	val gguf.Value
}

// modelKVs lists the general.* and <arch>.* keys of docs/SEMANTICS.md §5, arch
// being the family's GGUF architecture; when head_dim differs from
// hidden/heads also attention.key_length and value_length, which llama.cpp
// reads for it.
func modelKVs(cfg *hf.Config, fam *arch.Family, name string, layout quant.Layout, padded bool) []kv {
	u := func(v int) gguf.Value { return gguf.Uint32(uint32(v)) }
	p := fam.GGUFArch + "."
	mode := "online"
	if cfg.Packed() {
		mode = "offline"
	}
	var headDim []kv
	if cfg.HeadDim*cfg.NumAttentionHeads != cfg.HiddenSize {
		headDim = []kv{{p + "attention.key_length", u(cfg.HeadDim)}, {p + "attention.value_length", u(cfg.HeadDim)}}
	}
	return append(append([]kv{
		{"general.architecture", gguf.String(fam.GGUFArch)},
		{"general.name", gguf.String(name)},
		{"general.file_type", gguf.Uint32(FileTypeI2S)},
		{"general.alignment", gguf.Uint32(32)},
		{p + "context_length", u(cfg.MaxPositionEmbeddings)},
		{p + "embedding_length", u(cfg.HiddenSize)},
		{p + "block_count", u(cfg.NumHiddenLayers)},
		{p + "feed_forward_length", u(cfg.IntermediateSize)},
		{p + "attention.head_count", u(cfg.NumAttentionHeads)},
		{p + "attention.head_count_kv", u(cfg.NumKeyValueHeads)},
		{p + "attention.layer_norm_rms_epsilon", gguf.Float32(float32(cfg.RMSNormEps))},
		{p + "rope.freq_base", gguf.Float32(float32(cfg.RopeTheta))},
		{p + "rope.dimension_count", u(cfg.HeadDim)},
		{p + "vocab_size", u(cfg.VocabSize)},
	}, headDim...), []kv{
		{KeyLayout, gguf.String(layout.String())},
		{KeyBlockSize, u(layout.BlockValues())},
		{KeyPadded, gguf.Bool(padded)},
		{KeySourceMode, gguf.String(mode)},
	}...)
}

// tokenizerKVs embeds tokenizer.json as tokenizer.ggml.* (docs/SEMANTICS.md §5):
// gpt2 BPE with the llama-bpe pre-tokenizer. The vocabulary is padded with
// unused tokens up to the embedding's rows; a larger one is an error.
func tokenizerKVs(dir string, raw []byte, cfg *hf.Config) ([]kv, error) {
	tok, err := tokenizer.FromJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (to convert the model without it, move tokenizer.json aside; infer then takes --prompt-ids)", filepath.Join(dir, "tokenizer.json"), err)
	}
	tokens, types := tok.Tokens(), tok.TokenTypes()
	if len(tokens) > cfg.VocabSize {
		return nil, fmt.Errorf("tokenizer.json has %d tokens but the embedding has %d rows (vocab_size): %w", len(tokens), cfg.VocabSize, tokenizer.ErrVocabMismatch)
	}
	for i := len(tokens); i < cfg.VocabSize; i++ {
		tokens = append(tokens, fmt.Sprintf("[PAD%d]", i))
		types = append(types, 5) // llama.cpp's UNUSED
	}
	kvs := []kv{
		{"tokenizer.ggml.model", gguf.String("gpt2")},
		{"tokenizer.ggml.pre", gguf.String("llama-bpe")},
		{"tokenizer.ggml.tokens", gguf.Strings(tokens)},
		{"tokenizer.ggml.token_type", gguf.Int32s(types)},
		{"tokenizer.ggml.merges", gguf.Strings(tok.Merges())},
	}
	// A token id config.json sets to null (-1: none) comes from
	// tokenizer.json (the BOS its template adds, its end-of-text token),
	// or the key is left out: never written as 0xFFFFFFFF.
	for _, id := range []struct {
		key       string
		cfg, json int
	}{{"tokenizer.ggml.bos_token_id", cfg.BOSTokenID, tok.BOS()}, {"tokenizer.ggml.eos_token_id", cfg.EOSTokenID, tok.EOS()}} {
		v := id.cfg
		if v < 0 {
			v = id.json
		}
		if v >= 0 {
			kvs = append(kvs, kv{id.key, gguf.Uint32(uint32(v))})
		}
	}
	addBOS := true
	settings, ok, err := hf.ReadTokenizerConfig(dir)
	if err != nil {
		return nil, err
	}
	if ok && settings.AddBOSToken != nil {
		addBOS = *settings.AddBOSToken
	}
	kvs = append(kvs, kv{"tokenizer.ggml.add_bos_token", gguf.Bool(addBOS)})
	if ok && settings.ChatTemplate != "" {
		kvs = append(kvs, kv{"tokenizer.chat_template", gguf.String(settings.ChatTemplate)})
	}
	return kvs, nil
}
