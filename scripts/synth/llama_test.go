package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
)

// TestLlamaPreset writes a small model of the falcon3 presets' family and
// checks it is what the Llama family reader expects (packed, divide
// convention, untied head, head_dim key) and converts.
func TestLlamaPreset(t *testing.T) {
	shape := presets["falcon3-tiny"]
	shape.Vocab = 1000
	dir := t.TempDir()
	_, cfg, ck := generate(t, Options{Dir: dir, Shape: shape, Seed: 3})
	if f, err := cfg.Family(); err != nil || f != arch.Llama {
		t.Fatalf("family %v %v", f, err)
	}
	if !cfg.Packed() || cfg.WeightScale() != arch.ScaleDivide || cfg.HeadDim != 64 || !cfg.ExplicitHeadDim || cfg.TieWordEmbeddings || cfg.RopeTheta != 1000042 {
		t.Errorf("config %+v", cfg)
	}
	if err := ck.CheckShapes(cfg); err != nil {
		t.Fatal(err)
	}
	if info, err := ck.Info(hf.LMHead); err != nil || info.Dtype != "BF16" || !slices.Equal(info.Shape, []int{1000, 256}) {
		t.Errorf("lm_head %+v %v", info, err)
	}
	// weight_scale is bf16(1/m): its reciprocal is the absmean, near
	// 0.02·√(2/π) ≈ 0.016 for the synthetic N(0, 0.02²) weights.
	s, err := ck.Float32("model.layers.1.mlp.down_proj.weight_scale", nil)
	if err != nil || 1/s[0] < 0.012 || 1/s[0] > 0.02 {
		t.Errorf("weight_scale %v %v", s, err)
	}
	out := filepath.Join(t.TempDir(), "m.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if a, _ := f.String("general.architecture"); a != "llama" {
		t.Errorf("architecture %q", a)
	}
	// The presets are the real shapes.
	for name, want := range map[string]string{"falcon3-1b": "2048 8192 18 8 4 256 131072", "falcon3-tiny": "256 768 2 4 2 64 128256"} {
		p := presets[name]
		if got := fmt.Sprint(p.Hidden, " ", p.Intermediate, " ", p.Layers, " ", p.Heads, " ", p.KVHeads, " ", p.HeadDim, " ", p.Vocab); got != want || !p.Llama {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
