package convert

import (
	"fmt"
	"strings"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// Item is one output tensor of a conversion.
type Item struct {
	Name     string    // GGUF tensor name, e.g. blk.0.attn_q.weight
	Source   string    // HF tensor name
	SrcDtype string    // safetensors dtype of Source
	Shape    []int     // HF logical shape ([out, in] for projections)
	Type     gguf.Type // output tensor type
	Dims     []uint64  // ggml dims, ne0 first
	Bytes    uint64    // output byte size
	Role     hf.Role   // embedding, norm, projection or output head
	Scale    string    // HF name of the packed form's weight_scale, if any
	// ScaleRule says how Scale applies (the config's linear_class): the
	// file stores the multiplier ScaleRule.Multiplier(weight_scale).
	ScaleRule arch.WeightScale
	// PermuteHeads > 0: the projection's rows are written permuted for
	// llama.cpp's interleaved RoPE (arch.PermuteRows over that many heads).
	PermuteHeads int
	Padded       bool         // projection rows padded to the block
	Layout       quant.Layout // I2_S layout of projections
}

// plan lists the output tensors in the family's file order (arch.Family:
// token_embd, each layer's tensors, output_norm, and output for an untied
// head). head is the LM head's type: token_embd's for a tied head,
// output's otherwise (token_embd is then F16). proj is the projections'
// type, I2_S or T5_S.
func plan(cfg *hf.Config, ckpt *hf.Checkpoint, layout quant.Layout, head, proj gguf.Type) ([]Item, error) {
	specs, err := hf.ExpectedTensors(cfg)
	if err != nil {
		return nil, err
	}
	fam, err := cfg.Family()
	if err != nil {
		return nil, err
	}
	embed := head
	if !fam.TiedHead {
		embed = gguf.TypeF16
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
		it := Item{Name: s.Arch.GGUFName, Source: s.Name, SrcDtype: info.Dtype, Shape: s.Shape, Role: s.Role, Layout: layout,
			ScaleRule: cfg.WeightScale(), PermuteHeads: s.Arch.Heads}
		switch s.Role {
		case hf.RoleEmbedding:
			it.Type, it.Dims = embed, []uint64{uint64(s.Shape[1]), uint64(s.Shape[0])}
		case hf.RoleOutput:
			it.Type, it.Dims = head, []uint64{uint64(s.Shape[1]), uint64(s.Shape[0])}
		case hf.RoleNorm:
			it.Type, it.Dims = gguf.TypeF32, []uint64{uint64(s.Shape[0])}
		case hf.RoleProjection:
			it.Shape = []int{s.Out, s.In}
			k := layout.PaddedCols(s.In)
			switch proj {
			case gguf.TypeT5_S:
				k = quant.T5SPaddedCols(s.In)
			case gguf.TypeT3_S:
				k = quant.T3SPaddedCols(s.In)
			}
			it.Padded = k != s.In
			it.Type, it.Dims = proj, []uint64{uint64(k), uint64(s.Out)}
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
