package convert

import (
	"fmt"
	"strings"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// Item is one output tensor of a conversion.
type Item struct {
	Name     string       // GGUF tensor name, e.g. blk.0.attn_q.weight
	Source   string       // HF tensor name
	SrcDtype string       // safetensors dtype of Source
	Shape    []int        // HF logical shape ([out, in] for projections)
	Type     gguf.Type    // output tensor type
	Dims     []uint64     // ggml dims, ne0 first
	Bytes    uint64       // output byte size
	Role     hf.Role      // embedding, norm or projection
	Scale    string       // HF name of the packed form's weight_scale, if any
	Padded   bool         // projection rows padded to the block
	Layout   quant.Layout // I2_S layout of projections
}

// ggufName maps an HF tensor name to bitnet.cpp's GGUF name (REFERENCE.md §5).
func ggufName(hfName string) (string, error) {
	switch hfName {
	case "model.embed_tokens.weight":
		return "token_embd.weight", nil
	case "model.norm.weight":
		return "output_norm.weight", nil
	}
	var layer int
	var rest string
	if _, err := fmt.Sscanf(hfName, "model.layers.%d.%s", &layer, &rest); err != nil {
		return "", fmt.Errorf("no GGUF name for tensor %q", hfName)
	}
	names := map[string]string{
		"input_layernorm.weight":          "attn_norm.weight",
		"self_attn.q_proj.weight":         "attn_q.weight",
		"self_attn.k_proj.weight":         "attn_k.weight",
		"self_attn.v_proj.weight":         "attn_v.weight",
		"self_attn.o_proj.weight":         "attn_output.weight",
		"self_attn.attn_sub_norm.weight":  "attn_sub_norm.weight",
		"post_attention_layernorm.weight": "ffn_norm.weight",
		"mlp.gate_proj.weight":            "ffn_gate.weight",
		"mlp.up_proj.weight":              "ffn_up.weight",
		"mlp.down_proj.weight":            "ffn_down.weight",
		"mlp.ffn_sub_norm.weight":         "ffn_sub_norm.weight",
	}
	n, ok := names[rest]
	if !ok {
		return "", fmt.Errorf("no GGUF name for tensor %q", hfName)
	}
	return fmt.Sprintf("blk.%d.%s", layer, n), nil
}

// plan lists the output tensors in file order: token_embd, each layer's
// tensors, output_norm.
func plan(cfg *hf.Config, ckpt *hf.Checkpoint, layout quant.Layout, embed gguf.Type) ([]Item, error) {
	specs, err := hf.ExpectedTensors(cfg)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, s := range specs {
		if s.Role == hf.RoleWeightScale {
			items[len(items)-1].Scale = s.Name
			continue
		}
		info, err := ckpt.Info(s.Name)
		if err != nil {
			return nil, err
		}
		name, err := ggufName(s.Name)
		if err != nil {
			return nil, err
		}
		it := Item{Name: name, Source: s.Name, SrcDtype: info.Dtype, Shape: s.Shape, Role: s.Role, Layout: layout}
		switch s.Role {
		case hf.RoleEmbedding:
			it.Type, it.Dims = embed, []uint64{uint64(s.Shape[1]), uint64(s.Shape[0])}
		case hf.RoleNorm:
			it.Type, it.Dims = gguf.TypeF32, []uint64{uint64(s.Shape[0])}
		case hf.RoleProjection:
			it.Shape = []int{s.Out, s.In}
			k := layout.PaddedCols(s.In)
			it.Padded = k != s.In
			it.Type, it.Dims = gguf.TypeI2_S, []uint64{uint64(k), uint64(s.Out)}
		}
		var n uint64 = 1
		for _, d := range it.Dims {
			n *= d
		}
		if it.Bytes, err = it.Type.Size(n); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", it.Name, err)
		}
		items = append(items, it)
	}
	return items, nil
}

// FormatPlan renders items as the table --dry-run prints.
func FormatPlan(items []Item) string {
	var b strings.Builder
	var total uint64
	fmt.Fprintf(&b, "%-28s %-14s %-6s    %-5s %12s\n", "tensor", "shape", "from", "to", "bytes")
	for _, it := range items {
		shape := strings.Trim(strings.ReplaceAll(fmt.Sprint(it.Shape), " ", "×"), "[]")
		note := ""
		if it.Padded {
			note = fmt.Sprintf(" (rows padded to %d)", it.Dims[0])
		}
		fmt.Fprintf(&b, "%-28s %-14s %-6s -> %-5s %12d%s\n", it.Name, shape, it.SrcDtype, it.Type, it.Bytes, note)
		total += it.Bytes
	}
	fmt.Fprintf(&b, "%d tensors, %d bytes of tensor data\n", len(items), total)
	return b.String()
}
