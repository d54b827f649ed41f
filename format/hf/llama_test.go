package hf

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
)

// TestReadConfigLlama reads the bundled ternary Llama configs: tiny_llama_a
// (Falcon3-like: head_dim key, integer rope_theta, modules_to_not_convert)
// and tiny_llama_b (the real Llama3-8B-1.58 config.json: rope_interleaved,
// and quantization_config given twice, the last one kept).
func TestReadConfigLlama(t *testing.T) {
	a, err := ReadConfig(goldenModel("tiny_llama_a"))
	if err != nil {
		t.Fatal(err)
	}
	if f, err := a.Family(); err != nil || f != arch.Llama {
		t.Fatalf("family %v, %v", f, err)
	}
	if a.HeadDim != 64 || !a.ExplicitHeadDim || a.RopeTheta != 1000042 || a.RMSNormEps != 1e-6 || a.HiddenAct != "silu" ||
		a.TieWordEmbeddings || a.NumKeyValueHeads != 2 || a.PretrainingTP != 1 || !a.Packed() || a.WeightScale() != arch.ScaleDivide ||
		a.Quantization.LinearClass != "bitlinear" || !slices.Equal(a.Quantization.ModulesToNotConvert, []string{"lm_head"}) {
		t.Errorf("tiny_llama_a: %+v %+v", a, a.Quantization)
	}
	if !slices.Equal(a.Defaulted, []string{"quantization_config.linear_class", "quantization_config.quantization_mode"}) {
		t.Errorf("Defaulted %q", a.Defaulted)
	}
	b, err := ReadConfig(goldenModel("tiny_llama_b"))
	if err != nil {
		t.Fatal(err)
	}
	if b.HeadDim != 32 || b.ExplicitHeadDim || b.RopeTheta != 500000 || b.RMSNormEps != 1e-5 || b.NumAttentionHeads != 6 ||
		b.NumKeyValueHeads != 2 || !b.Packed() || b.Quantization.ModulesToNotConvert != nil {
		t.Errorf("tiny_llama_b: %+v %+v", b, b.Quantization)
	}
	for _, name := range []string{"tiny_llama_a", "tiny_llama_b"} {
		if err := loadAll(goldenModel(name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The packed scale of every projection follows it; lm_head is last,
	// floating point and [vocab, hidden].
	specs, err := ExpectedTensors(a)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(specs); n != 1+2*(2+7*2)+2 {
		t.Errorf("%d specs", n)
	}
	last := specs[len(specs)-1]
	if last.Name != LMHead || last.Role != RoleOutput || !slices.Equal(last.Shape, []int{1000, 256}) || last.Arch.GGUFName != "output.weight" {
		t.Errorf("last spec %+v", last)
	}
}

// TestDuplicateKeyLastWins: a repeated config.json key takes its last value.
func TestDuplicateKeyLastWins(t *testing.T) {
	c, err := ParseConfig([]byte(`{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":64,"intermediate_size":128,
		"num_hidden_layers":1,"num_attention_heads":2,"vocab_size":32,"bos_token_id":1,"eos_token_id":2,
		"quantization_config":{"quant_method":"bitnet","linear_class":"bitlinear"},
		"quantization_config":{"quant_method":"bitnet","linear_class":"autobitlinear","quantization_mode":"online"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Quantization.LinearClass != "autobitlinear" || c.Packed() || c.WeightScale() != arch.ScaleMultiply {
		t.Errorf("%+v", c.Quantization)
	}
	// Llama defaults: kv heads = heads, eps 1e-6, theta 10000.
	if c.NumKeyValueHeads != 2 || c.RMSNormEps != 1e-6 || c.RopeTheta != 10000 || c.HiddenAct != "silu" || c.MaxPositionEmbeddings != 2048 {
		t.Errorf("defaults: %+v", c)
	}
}

// TestLlamaBadInputs: configs and checkpoints of the family that must be
// refused, each with a message naming the value and what is accepted.
func TestLlamaBadInputs(t *testing.T) {
	cfg := func(edit func(m map[string]any)) func(t *testing.T) string {
		return func(t *testing.T) string {
			dir := copyModel(t, "tiny_llama_a")
			editJSON(t, filepath.Join(dir, ConfigFile), edit)
			return dir
		}
	}
	tensors := func(edit func(t *testing.T, ts []Tensor) []Tensor) func(t *testing.T) string {
		return func(t *testing.T) string {
			dir := copyModel(t, "tiny_llama_a")
			rewriteTensors(t, filepath.Join(dir, SingleFile), func(ts []Tensor) []Tensor { return edit(t, ts) })
			return dir
		}
	}
	quant := func(kv ...any) func(m map[string]any) {
		return func(m map[string]any) {
			q := map[string]any{"quant_method": "bitnet"}
			for i := 0; i < len(kv); i += 2 {
				q[kv[i].(string)] = kv[i+1]
			}
			m["quantization_config"] = q
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) string
		class error
		want  []string
	}{
		{"rope_scaling", cfg(func(m map[string]any) { m["rope_scaling"] = map[string]any{"rope_type": "llama3", "factor": 8.0} }), nil,
			[]string{`rope_scaling {"factor":8,"rope_type":"llama3"} is not supported (want null`}},
		{"attention_bias", cfg(func(m map[string]any) { m["attention_bias"] = true }), nil, []string{"attention_bias true is not supported (want false"}},
		{"mlp_bias", cfg(func(m map[string]any) { m["mlp_bias"] = true }), nil, []string{"mlp_bias true is not supported (want false"}},
		{"pretraining_tp", cfg(func(m map[string]any) { m["pretraining_tp"] = 2 }), nil, []string{"pretraining_tp 2 is not supported (want 1)"}},
		{"unknown linear_class", cfg(quant("linear_class", "bitlinear_v2")), nil,
			[]string{`linear_class "bitlinear_v2" is not supported (want "autobitlinear" or "bitlinear")`}},
		{"relu2 llama", cfg(func(m map[string]any) { m["hidden_act"] = "relu2" }), nil, []string{`hidden_act "relu2" is not supported for LlamaForCausalLM (want "silu")`}},
		{"tied llama", cfg(func(m map[string]any) { m["tie_word_embeddings"] = true }), nil,
			[]string{"tie_word_embeddings true is not supported for LlamaForCausalLM (want false"}},
		{"plain llama", cfg(func(m map[string]any) { delete(m, "quantization_config") }), nil,
			[]string{`without quantization_config.quant_method "bitnet" is a plain (not ternary) model`}},
		{"1bitLLM bitnet_b1_58", cfg(func(m map[string]any) { m["architectures"] = []string{"BitnetForCausalLM"} }), nil,
			[]string{`BitnetForCausalLM with model_type "llama" is the 1bitLLM bitnet_b1_58 family`, "not supported"}},
		{"head_dim inconsistent with the tensors", cfg(func(m map[string]any) { m["head_dim"] = 32 }), ErrShape,
			[]string{`tensor "model.layers.0.self_attn.q_proj.weight": expected shape [32 256] (packed from [num_attention_heads 4 × head_dim 32 = 128, hidden_size 256]), found [64 256]`}},
		{"missing lm_head", tensors(func(t *testing.T, ts []Tensor) []Tensor {
			return slices.DeleteFunc(ts, func(x Tensor) bool { return x.Name == LMHead })
		}), ErrMissingTensor, []string{`tensor "lm_head.weight" (expected shape [1000 256]) is missing`}},
		{"weight_scale shape", tensors(func(t *testing.T, ts []Tensor) []Tensor {
			s := findTensor(t, ts, "model.layers.1.mlp.up_proj.weight_scale")
			s.Shape, s.Data = []int{2}, append(s.Data, s.Data...)
			return ts
		}), ErrShape, []string{`tensor "model.layers.1.mlp.up_proj.weight_scale": expected shape [1] (one scale per tensor), found [2]`}},
		{"ternarized lm_head", tensors(func(t *testing.T, ts []Tensor) []Tensor {
			h := findTensor(t, ts, LMHead)
			h.Dtype, h.Shape, h.Data = "U8", []int{250, 256}, h.Data[:250*256]
			return ts
		}), nil, []string{`tensor "lm_head.weight": expected shape [1000 256]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loadAll(tc.setup(t))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			t.Log(err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if tc.class != nil && !errors.Is(err, tc.class) {
				t.Errorf("error is not %v", tc.class)
			}
		})
	}
}
