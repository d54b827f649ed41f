package convert

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

const goldenDir = "../golden"

func convertTo(t *testing.T, modelDir string, layout quant.Layout) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.gguf")
	if _, err := Convert(context.Background(), Options{ModelDir: modelDir, OutFile: out, Layout: layout}); err != nil {
		t.Fatal(err)
	}
	return out
}

// expectedCodes reads golden/expected/<model>.ternary.safetensors.
func expectedCodes(t *testing.T, model string) *hf.Checkpoint {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(goldenDir, "expected", model+".ternary.safetensors")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "model.safetensors"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := hf.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestConvertedCodesMatchReference reads each converted file back through
// our GGUF reader and checks every ternary code exactly and every scale to
// 1 ulp against the reference's expected ternarization, in both layouts.
func TestConvertedCodesMatchReference(t *testing.T) {
	for _, model := range []string{"tiny_a", "tiny_b", "tiny_llama_a", "tiny_llama_b"} {
		for _, layout := range []quant.Layout{quant.LayoutX86, quant.LayoutARM} {
			t.Run(model+"/"+layout.String(), func(t *testing.T) {
				cfg, err := hf.ReadConfig(filepath.Join(goldenDir, "models", model))
				if err != nil {
					t.Fatal(err)
				}
				fam, err := cfg.Family()
				if err != nil {
					t.Fatal(err)
				}
				specs := map[string]arch.Spec{}
				for _, s := range fam.Expand(cfg.Dims()) {
					specs[s.HFName] = s
				}
				f, err := gguf.Open(convertTo(t, filepath.Join(goldenDir, "models", model), layout))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				want := expectedCodes(t, model)
				checked := 0
				for _, name := range want.Names() {
					base, ok := strings.CutSuffix(name, ".ternary")
					if !ok {
						continue
					}
					checkProjection(t, f, want, base, specs[base+".weight"], layout)
					checked++
				}
				if checked != 7*cfg.NumHiddenLayers {
					t.Fatalf("checked %d projections, want %d", checked, 7*cfg.NumHiddenLayers)
				}
				if n, want := len(f.Tensors()), len(fam.Global)+len(fam.Layer)*cfg.NumHiddenLayers+len(fam.Final); n != want {
					t.Fatalf("%d tensors, want %d", n, want)
				}
			})
		}
	}
}

// checkProjection checks the GGUF tensor of spec against the expected codes
// (in HF row order: the GGUF file's q/k rows of the llama family are
// permuted back first) and scale.
func checkProjection(t *testing.T, f *gguf.File, want *hf.Checkpoint, base string, spec arch.Spec, layout quant.Layout) {
	t.Helper()
	name := spec.GGUFName
	if name == "" {
		t.Fatalf("%s: not a tensor of the family", base)
	}
	info, ok := f.Tensor(name)
	if !ok || info.Type != gguf.TypeI2_S {
		t.Fatalf("%s missing or not I2_S", name)
	}
	data, _ := f.TensorData(name)
	codes, ci, _ := want.Raw(base + ".ternary")
	rows, cols := ci.Shape[0], ci.Shape[1]
	if int(info.Dims[0]) != layout.PaddedCols(cols) || int(info.Dims[1]) != rows {
		t.Fatalf("%s dims %v, want {%d, %d}", name, info.Dims, layout.PaddedCols(cols), rows)
	}
	got := make([]int8, rows*cols)
	if err := quant.Unpack(got, data, rows, cols, layout); err != nil {
		t.Fatal(err)
	}
	if spec.Heads > 0 {
		hfOrder := make([]int8, len(got))
		for dst, src := range arch.PermuteRows(rows, spec.Heads) {
			copy(hfOrder[src*cols:(src+1)*cols], got[dst*cols:(dst+1)*cols])
		}
		got = hfOrder
	}
	for i, c := range codes {
		if got[i] != int8(c) {
			t.Fatalf("%s: code %d = %d, want %d", name, i, got[i], int8(c))
		}
	}
	n := rows * layout.PaddedCols(cols) / 4
	scale := math.Float32frombits(binary.LittleEndian.Uint32(data[n:]))
	ws, _, _ := want.Raw(base + ".scale")
	wantScale := math.Float32frombits(binary.LittleEndian.Uint32(ws))
	if d := math.Abs(float64(int64(math.Float32bits(scale)) - int64(math.Float32bits(wantScale)))); d > 1 {
		t.Fatalf("%s: scale %v, want %v (%v ulp)", name, scale, wantScale, d)
	}
}

func TestConvertMetadata(t *testing.T) {
	f, err := gguf.Open(convertTo(t, filepath.Join(goldenDir, "models", "tiny_b"), quant.LayoutX86))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checks := map[string]any{
		"general.architecture":                          Arch,
		"general.file_type":                             uint32(FileTypeI2S),
		"general.alignment":                             uint32(32),
		"bitnet-b1.58.embedding_length":                 uint32(192),
		"bitnet-b1.58.feed_forward_length":              uint32(520),
		"bitnet-b1.58.block_count":                      uint32(3),
		"bitnet-b1.58.attention.head_count":             uint32(6),
		"bitnet-b1.58.attention.head_count_kv":          uint32(2),
		"bitnet-b1.58.rope.dimension_count":             uint32(32),
		"bitnet-b1.58.rope.freq_base":                   float32(500000),
		"bitnet-b1.58.attention.layer_norm_rms_epsilon": float32(1e-5),
		"bitnet-b1.58.vocab_size":                       uint32(512),
		"bitnet-b1.58.context_length":                   uint32(256),
		KeyLayout:                                       "x86",
		KeyPadded:                                       true,
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
	emb, _ := f.Tensor("token_embd.weight")
	if emb.Type != gguf.TypeF16 || emb.Dims[0] != 192 || emb.Dims[1] != 512 {
		t.Errorf("token_embd %v %v", emb.Type, emb.Dims)
	}
	norm, _ := f.Tensor("blk.2.ffn_sub_norm.weight")
	if norm.Type != gguf.TypeF32 || norm.Dims[0] != 520 {
		t.Errorf("ffn_sub_norm %v %v", norm.Type, norm.Dims)
	}
}

func TestConvertIsDeterministic(t *testing.T) {
	dir := filepath.Join(goldenDir, "models", "tiny_b")
	a, _ := os.ReadFile(convertTo(t, dir, quant.LayoutX86))
	b, _ := os.ReadFile(convertTo(t, dir, quant.LayoutX86))
	if string(a) != string(b) {
		t.Fatal("two conversions differ")
	}
}
