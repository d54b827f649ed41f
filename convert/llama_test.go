package convert

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// TestConvertLlamaMetadata: the ternary Llama family is written as
// llama.cpp's "llama" architecture with an F16 output.weight and no
// sub-norms.
func TestConvertLlamaMetadata(t *testing.T) {
	f, err := gguf.Open(convertTo(t, filepath.Join(goldenDir, "models", "tiny_llama_a"), quant.LayoutX86))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checks := map[string]any{
		"general.architecture":                   "llama",
		"general.file_type":                      uint32(FileTypeI2S),
		"llama.embedding_length":                 uint32(256),
		"llama.feed_forward_length":              uint32(768),
		"llama.block_count":                      uint32(2),
		"llama.attention.head_count":             uint32(4),
		"llama.attention.head_count_kv":          uint32(2),
		"llama.rope.dimension_count":             uint32(64),
		"llama.rope.freq_base":                   float32(1000042),
		"llama.attention.layer_norm_rms_epsilon": float32(1e-6),
		"llama.vocab_size":                       uint32(1000),
		"llama.context_length":                   uint32(256),
		KeySourceMode:                            "offline",
	}
	for key, want := range checks {
		v, ok := f.Get(key)
		if !ok {
			t.Errorf("key %s missing", key)
			continue
		}
		if got := v.Interface(); fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
			t.Errorf("%s = %v (%T), want %v (%T)", key, got, got, want, want)
		}
	}
	if _, ok := f.Get("llama.attention.key_length"); ok {
		t.Error("key_length written although head_dim = hidden/heads")
	}
	for _, c := range []struct {
		name string
		typ  gguf.Type
		dims []uint64
	}{{"token_embd.weight", gguf.TypeF16, []uint64{256, 1000}}, {"output.weight", gguf.TypeF16, []uint64{256, 1000}},
		{"blk.1.attn_q.weight", gguf.TypeI2_S, []uint64{256, 256}}, {"blk.1.ffn_down.weight", gguf.TypeI2_S, []uint64{768, 256}}} {
		info, ok := f.Tensor(c.name)
		if !ok || info.Type != c.typ || fmt.Sprint(info.Dims) != fmt.Sprint(c.dims) {
			t.Errorf("%s: %v %v %v, want %v %v", c.name, ok, info.Type, info.Dims, c.typ, c.dims)
		}
	}
	for _, name := range []string{"blk.0.attn_sub_norm.weight", "blk.0.ffn_sub_norm.weight"} {
		if _, ok := f.Tensor(name); ok {
			t.Errorf("%s written", name)
		}
	}
	// --embd-type q8_0 applies to the LM head, output.weight; the
	// embedding, only looked up, stays F16.
	out := filepath.Join(t.TempDir(), "q8.gguf")
	if _, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_llama_a"), OutFile: out, EmbedType: "q8_0"}); err != nil {
		t.Fatal(err)
	}
	q, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if e, _ := q.Tensor("token_embd.weight"); e.Type != gguf.TypeF16 {
		t.Errorf("token_embd %v", e.Type)
	}
	if o, _ := q.Tensor("output.weight"); o.Type != gguf.TypeQ8_0 {
		t.Errorf("output %v", o.Type)
	}
}

// TestKeyLength: a head_dim other than hidden/heads (allowed for the llama
// family) is written as attention.key_length and value_length.
func TestKeyLength(t *testing.T) {
	cfg, err := hf.ParseConfig([]byte(`{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":64,"intermediate_size":128,
		"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":1,"head_dim":48,"vocab_size":32,"bos_token_id":1,"eos_token_id":2,
		"quantization_config":{"quant_method":"bitnet"}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range modelKVs(cfg, arch.Llama, "m", quant.LayoutX86, false) {
		got[e.key] = fmt.Sprint(e.val.Interface())
	}
	for k, want := range map[string]string{"llama.attention.key_length": "48", "llama.attention.value_length": "48", "llama.rope.dimension_count": "48", "general.architecture": "llama"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	for k := range got {
		if strings.HasPrefix(k, "bitnet-b1.58.") {
			t.Errorf("key %s", k)
		}
	}
}
