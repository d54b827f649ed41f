package hf

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestReadConfigBundled(t *testing.T) {
	a, err := ReadConfig(goldenModel("tiny_a"))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Architectures: []string{"BitNetForCausalLM"}, ModelType: "bitnet",
		HiddenSize: 256, IntermediateSize: 640, NumHiddenLayers: 2, NumAttentionHeads: 4, NumKeyValueHeads: 1,
		HeadDim: 64, VocabSize: 1000, MaxPositionEmbeddings: 256, RMSNormEps: 1e-5, RopeTheta: 500000,
		HiddenAct: "relu2", TieWordEmbeddings: true, BOSTokenID: 992, EOSTokenID: 993, EOSTokenIDs: []int{993},
		TorchDtype: "bfloat16", PretrainingTP: 1,
	}
	got := *a
	if got.Quantization == nil || mustJSON(got.Quantization) != mustJSON(QuantizationConfig{QuantMethod: "bitnet", LinearClass: "autobitlinear", QuantizationMode: "online"}) {
		t.Errorf("quantization %+v", got.Quantization)
	}
	got.Quantization = nil
	if g, w := mustJSON(got), mustJSON(want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
	if a.Packed() {
		t.Error("tiny_a is not packed")
	}
	b, err := ReadConfig(goldenModel("tiny_b"))
	if err != nil {
		t.Fatal(err)
	}
	if b.HeadDim != 32 || b.NumKeyValueHeads != 2 || b.IntermediateSize != 520 || len(b.Defaulted) != 0 {
		t.Errorf("tiny_b %+v", b)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func parseMap(t *testing.T, m map[string]any) (*Config, error) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return ParseConfig(b)
}

func TestConfigVariants(t *testing.T) {
	// The 2B4T config (docs/SEMANTICS.md §1) with eos as a list and the packed form.
	m := map[string]any{
		"architectures": []string{"BitNetForCausalLM"}, "model_type": "bitnet",
		"hidden_size": 2560, "intermediate_size": 6912, "num_hidden_layers": 30,
		"num_attention_heads": 20, "num_key_value_heads": 5, "vocab_size": 128256,
		"max_position_embeddings": 4096, "rope_theta": 500000.0, "rms_norm_eps": 1e-5,
		"hidden_act": "relu2", "tie_word_embeddings": true, "bos_token_id": 128000,
		"eos_token_id": []int{128001, 128009}, "torch_dtype": "bfloat16",
		"quantization_config": map[string]any{"quant_method": "bitnet", "linear_class": "autobitlinear", "quantization_mode": "offline"},
	}
	c, err := parseMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if c.HeadDim != 128 || c.EOSTokenID != 128001 || !slices.Equal(c.EOSTokenIDs, []int{128001, 128009}) || !c.Packed() {
		t.Errorf("%+v", c)
	}
	specs, err := ExpectedTensors(c)
	if err != nil {
		t.Fatal(err)
	}
	// 2 + 30×(4 norms + 7 projections + 7 scales) tensors, and the
	// parameter count of docs/SEMANTICS.md §1 (projections unpacked).
	var params int64
	for _, s := range specs {
		switch s.Role {
		case RoleProjection:
			params += int64(s.Out) * int64(s.In)
		case RoleWeightScale:
		default:
			n := int64(1)
			for _, d := range s.Shape {
				n *= int64(d)
			}
			params += n
		}
	}
	if len(specs) != 2+30*18 || params != 2412820480 {
		t.Errorf("%d specs, %d parameters", len(specs), params)
	}

	// Explicit head_dim, nulls and HF defaults.
	m = map[string]any{
		"architectures": []string{"BitnetForCausalLM"}, "hidden_size": 64, "intermediate_size": 100,
		"num_hidden_layers": 1, "num_attention_heads": 2, "head_dim": 32, "num_key_value_heads": nil,
		"vocab_size": 10, "bos_token_id": nil, "eos_token_id": 3, "unknown_key": 1,
		"quantization_config": map[string]any{"quant_method": "bitnet"},
	}
	c, err = parseMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if c.NumKeyValueHeads != 2 || c.HeadDim != 32 || !c.ExplicitHeadDim || c.BOSTokenID != -1 || c.EOSTokenID != 3 ||
		c.RopeTheta != 500000 || c.RMSNormEps != 1e-5 || c.MaxPositionEmbeddings != 2048 || c.HiddenAct != "relu2" ||
		c.TieWordEmbeddings || c.Quantization.LinearClass != "bitlinear" || !c.Packed() {
		t.Errorf("%+v %+v", c, c.Quantization)
	}
	wantDef := []string{"max_position_embeddings", "rms_norm_eps", "rope_theta", "hidden_act", "tie_word_embeddings",
		"quantization_config.linear_class", "quantization_config.quantization_mode"}
	if !slices.Equal(c.Defaulted, wantDef) {
		t.Errorf("Defaulted = %q", c.Defaulted)
	}

	// Absent num_key_value_heads takes the HF default 5; absent token ids
	// take 128000/128001, which a small vocabulary rejects clearly.
	delete(m, "num_key_value_heads")
	m["num_attention_heads"], m["head_dim"], m["hidden_size"] = 10, 8, 80
	delete(m, "eos_token_id")
	m["vocab_size"] = 200000
	c, err = parseMap(t, m)
	if err != nil {
		t.Fatal(err)
	}
	if c.NumKeyValueHeads != 5 || c.EOSTokenID != 128001 {
		t.Errorf("%+v", c)
	}
	m["vocab_size"] = 100
	if _, err := parseMap(t, m); err == nil || !strings.Contains(err.Error(), "eos_token_id 128001 is outside the vocabulary of 100 tokens (the HF default: config.json has no eos_token_id)") {
		t.Errorf("got %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"int as float", func(m map[string]any) { m["hidden_size"] = 64.5 }, "hidden_size"},
		{"string dim", func(m map[string]any) { m["vocab_size"] = "50" }, "vocab_size"},
		{"eos object", func(m map[string]any) { m["eos_token_id"] = map[string]any{} }, "eos_token_id must be an integer or a list"},
		{"eos negative", func(m map[string]any) { m["eos_token_id"] = []int{-1} }, "eos_token_id -1 is out of range"},
		{"bos outside vocab", func(m map[string]any) { m["bos_token_id"] = 50 }, "bos_token_id 50 is outside the vocabulary of 50 tokens"},
		{"heads × head_dim != hidden", func(m map[string]any) { m["head_dim"] = 8 }, "num_attention_heads 4 × head_dim 8 != hidden_size 64"},
		{"rope_scaling", func(m map[string]any) { m["rope_scaling"] = map[string]any{"type": "linear"} }, "rope_scaling"},
		{"attention bias", func(m map[string]any) { m["attention_bias"] = true }, "attention_bias"},
		{"model_type", func(m map[string]any) { m["model_type"] = "llama" }, `model_type "llama"`},
		{"negative theta", func(m map[string]any) { m["rope_theta"] = -1 }, "rope_theta -1"},
		{"gptq", func(m map[string]any) { m["quantization_config"] = map[string]any{"quant_method": "gptq"} }, `quant_method "gptq"`},
		{"linear class", func(m map[string]any) {
			m["quantization_config"] = map[string]any{"quant_method": "bitnet", "linear_class": "x"}
		}, `linear_class "x"`},
		{"use_rms_norm", func(m map[string]any) {
			m["quantization_config"] = map[string]any{"quant_method": "bitnet", "use_rms_norm": true}
		}, "use_rms_norm"},
		{"modules_to_not_convert", func(m map[string]any) {
			m["quantization_config"] = map[string]any{"quant_method": "bitnet", "modules_to_not_convert": []string{"lm_head", "model.layers.0.mlp"}}
		}, `modules_to_not_convert lists "model.layers.0.mlp"`},
		{"huge max positions", func(m map[string]any) { m["max_position_embeddings"] = 1 << 30 }, "max_position_embeddings = 1073741824"},
		// The loader's bounds (package limits): what convert accepts, infer
		// loads. 2^24 positions passed config.json and failed the loader.
		{"positions past the loader's cap", func(m map[string]any) { m["max_position_embeddings"] = 1 << 24 }, "max_position_embeddings = 16777216, want 1..1048576"},
		{"eps 0 as a float32", func(m map[string]any) { m["rms_norm_eps"] = 1e-50 }, "rms_norm_eps 1e-50 must be positive and finite as a float32"},
		{"eps +Inf as a float32", func(m map[string]any) { m["rms_norm_eps"] = 1e39 }, "rms_norm_eps 1e+39 must be positive and finite as a float32"},
		{"eps zero", func(m map[string]any) { m["rms_norm_eps"] = 0 }, "rms_norm_eps 0 must be positive and finite"},
		{"eps negative", func(m map[string]any) { m["rms_norm_eps"] = -1e-6 }, "rms_norm_eps -1e-06 must be positive and finite"},
		{"theta +Inf as a float32", func(m map[string]any) { m["rope_theta"] = 1e39 }, "rope_theta 1e+39 must be positive and finite as a float32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := synthConfig("online")
			tc.edit(m)
			_, err := parseMap(t, m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	for _, bad := range []string{``, `{`, `{"a":1}{}`, `{"hidden_size":1,"hidden_size":2}`, `null`} {
		if _, err := ParseConfig([]byte(bad)); err == nil {
			t.Errorf("ParseConfig(%q) succeeded", bad)
		}
	}
}
