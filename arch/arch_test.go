package arch

import (
	"slices"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	d := Dims{Hidden: 2048, Intermediate: 8192, Heads: 8, KVHeads: 4, HeadDim: 256, Vocab: 131072, Layers: 18}
	specs := Llama.Expand(d)
	if len(specs) != 1+18*9+2 {
		t.Fatalf("%d specs", len(specs))
	}
	byName := map[string]Spec{}
	for _, s := range specs {
		byName[s.HFName] = s
	}
	q := byName["model.layers.17.self_attn.q_proj.weight"]
	if q.GGUFName != "blk.17.attn_q.weight" || q.Rows != 2048 || q.Cols != 2048 || q.Heads != 8 || q.Role != RoleProjection {
		t.Errorf("q: %+v", q)
	}
	k := byName["model.layers.0.self_attn.k_proj.weight"]
	if k.Rows != 1024 || k.Heads != 4 {
		t.Errorf("k: %+v", k)
	}
	if v := byName["model.layers.0.self_attn.v_proj.weight"]; v.Heads != 0 || v.Permute != PermuteNone {
		t.Errorf("v: %+v", v)
	}
	head := byName["lm_head.weight"]
	if head.GGUFName != "output.weight" || head.Role != RoleOutput || head.Rows != 131072 || head.Cols != 2048 {
		t.Errorf("head: %+v", head)
	}
	for _, s := range BitNet.Expand(Dims{Hidden: 2560, Intermediate: 6912, Heads: 20, KVHeads: 5, HeadDim: 128, Vocab: 128256, Layers: 30}) {
		if s.Role == RoleOutput || s.Permute != PermuteNone {
			t.Errorf("bitnet: %+v", s)
		}
	}
	if n := len(BitNet.Expand(Dims{Layers: 30})); n != 30*11+2 {
		t.Errorf("bitnet: %d tensors, want 332 (docs/SEMANTICS.md §5)", n)
	}
}

// TestPermuteRows checks PermuteRows against llama.cpp's converter's
// permute, written as its reshape: rows viewed as [heads][2][d/2], the two
// middle axes swapped, viewed back as rows.
func TestPermuteRows(t *testing.T) {
	for _, c := range []struct{ rows, heads int }{{8, 1}, {16, 2}, {256, 4}, {64, 2}, {12, 3}} {
		d := c.rows / c.heads
		want := make([]int, 0, c.rows)
		for h := range c.heads {
			for j := range d / 2 { // new axis order [h][j][i]
				for i := range 2 {
					want = append(want, h*d+i*(d/2)+j) // old index [h][i][j]
				}
			}
		}
		if got := PermuteRows(c.rows, c.heads); !slices.Equal(got, want) {
			t.Errorf("%+v: %v, want %v", c, got, want)
		}
	}
}

func TestByHF(t *testing.T) {
	for _, c := range []struct {
		arch      []string
		modelType string
		quant     string
		want      *Family
		err       string
	}{
		{[]string{"BitNetForCausalLM"}, "bitnet", "bitnet", BitNet, ""},
		{[]string{"BitnetForCausalLM"}, "bitnet", "", BitNet, ""},
		{[]string{"BitnetForCausalLM"}, "", "bitnet", BitNet, ""},
		{[]string{"LlamaForCausalLM"}, "llama", "bitnet", Llama, ""},
		{[]string{"BitnetForCausalLM"}, "llama", "", nil, "1bitLLM bitnet_b1_58 family"},
		{[]string{"LlamaForCausalLM"}, "llama", "", nil, "plain (not ternary)"},
		{[]string{"LlamaForCausalLM"}, "mistral", "bitnet", nil, `want model_type "llama"`},
		{[]string{"BitNetForCausalLM"}, "llama", "bitnet", nil, `want model_type "bitnet"`},
		{[]string{"MistralForCausalLM"}, "mistral", "bitnet", nil, "unsupported architecture"},
		{nil, "", "", nil, "unsupported architecture none"},
	} {
		f, err := ByHF(c.arch, c.modelType, c.quant)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v %q: error %v, want %q", c.arch, c.modelType, err, c.err)
			}
			continue
		}
		if err != nil || f != c.want {
			t.Errorf("%v %q: %v, %v", c.arch, c.modelType, f, err)
		}
	}
	for name, want := range map[string]*Family{"bitnet-b1.58": BitNet, "bitnet-25": BitNet, "llama": Llama} {
		if f, err := ByGGUF(name); f != want || err != nil {
			t.Errorf("ByGGUF(%q) = %v, %v", name, f, err)
		}
	}
	if _, err := ByGGUF("falcon"); err == nil || !strings.Contains(err.Error(), `"falcon"`) || !strings.Contains(err.Error(), "llama") {
		t.Errorf("ByGGUF(falcon): %v", err)
	}
}

func TestWeightScaleRule(t *testing.T) {
	if r, err := WeightScaleRule("autobitlinear"); err != nil || r != ScaleMultiply || r.Multiplier(0.25) != 0.25 {
		t.Errorf("autobitlinear: %v %v", r, err)
	}
	if r, err := WeightScaleRule("bitlinear"); err != nil || r != ScaleDivide || r.Multiplier(4) != 0.25 || r.Multiplier(3) != float32(1)/3 {
		t.Errorf("bitlinear: %v %v", r, err)
	}
	if _, err := WeightScaleRule("BitLinear2"); err == nil || !strings.Contains(err.Error(), `"BitLinear2"`) || !strings.Contains(err.Error(), `"autobitlinear" or "bitlinear"`) {
		t.Errorf("unknown: %v", err)
	}
}
