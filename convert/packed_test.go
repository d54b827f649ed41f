package convert

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// packedCopy writes the offline packed form (docs/SEMANTICS.md §3) of a bundled
// BF16 model with our own packer: U8 [out/4, in] codes and a BF16
// weight_scale holding mean|W|.
func packedCopy(t *testing.T, model string) string { return packedCopyClass(t, model, "autobitlinear") }

// packedCopyClass is packedCopy with the config's linear_class set to class;
// for "bitlinear" weight_scale holds bf16(1/mean|W|), transformers'
// BitLinear convention.
func packedCopyClass(t *testing.T, model, class string) string {
	t.Helper()
	src := filepath.Join(goldenDir, "models", model)
	ckpt, err := hf.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer ckpt.Close()
	cfg, err := hf.ReadConfig(src)
	if err != nil {
		t.Fatal(err)
	}
	specs, _ := hf.ExpectedTensors(cfg)
	var tensors []hf.Tensor
	for _, s := range specs {
		raw, info, err := ckpt.Raw(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Role != hf.RoleProjection {
			tensors = append(tensors, hf.Tensor{Name: s.Name, Dtype: info.Dtype, Shape: info.Shape, Data: bytes.Clone(raw)})
			continue
		}
		w, _ := ckpt.Float32(s.Name, nil)
		codes := make([]int8, len(w))
		m, err := quant.Ternarize(codes, w)
		if err != nil {
			t.Fatal(err)
		}
		if class == "bitlinear" {
			m = 1 / m
		}
		tensors = append(tensors,
			hf.Tensor{Name: s.Name, Dtype: "U8", Shape: []int{s.Out / 4, s.In}, Data: quant.PackHF(codes, s.Out, s.In)},
			hf.Tensor{Name: strings.TrimSuffix(s.Name, ".weight") + ".weight_scale", Dtype: "BF16", Shape: []int{1},
				Data: binary.LittleEndian.AppendUint16(nil, hf.BF16FromFloat32(m))})
	}
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if err := hf.WriteSafetensors(f, tensors, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	conf, _ := os.ReadFile(filepath.Join(src, "config.json"))
	conf = bytes.Replace(conf, []byte(`"quantization_mode": "online"`), []byte(`"quantization_mode": "offline"`), 1)
	conf = bytes.Replace(conf, []byte(`"linear_class": "autobitlinear"`), []byte(`"linear_class": "`+class+`"`), 1)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPackedFormGivesSameCodes converts the packed form of tiny_a and
// tiny_b and compares every projection's codes with the BF16 form's, and
// its scale with the BF16-rounded absmean.
func TestPackedFormGivesSameCodes(t *testing.T) {
	for _, model := range []string{"tiny_a", "tiny_b"} {
		a, err := gguf.Open(convertTo(t, filepath.Join(goldenDir, "models", model), quant.LayoutX86))
		if err != nil {
			t.Fatal(err)
		}
		b, err := gguf.Open(convertTo(t, packedCopy(t, model), quant.LayoutX86))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ti := range a.Tensors() {
			if ti.Type != gguf.TypeI2_S {
				continue
			}
			da, _ := a.TensorData(ti.Name)
			db, err := b.TensorData(ti.Name)
			if err != nil {
				t.Fatal(err)
			}
			codes := len(da) - 32
			if !bytes.Equal(da[:codes], db[:codes]) {
				t.Fatalf("%s %s: packed-form codes differ from the BF16 form's", model, ti.Name)
			}
			sa := math.Float32frombits(binary.LittleEndian.Uint32(da[codes:]))
			sb := math.Float32frombits(binary.LittleEndian.Uint32(db[codes:]))
			if sb != hf.Float32FromBF16(hf.BF16FromFloat32(sa)) {
				t.Fatalf("%s %s: packed scale %v, want bf16(%v)", model, ti.Name, sb, sa)
			}
			n++
		}
		if n == 0 {
			t.Fatal("no I2_S tensors compared")
		}
		if v, _ := b.String(KeySourceMode); v != "offline" {
			t.Errorf("%s: source mode %q, want offline", model, v)
		}
		a.Close()
		b.Close()
	}
	// The packed file runs: same logits within the scale's BF16 rounding is
	// checked by the model tests; here, make sure a dry run plans U8 → I2_S.
	res, err := Convert(context.Background(), Options{ModelDir: packedCopy(t, "tiny_a"), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Items[2].SrcDtype != "U8" || res.Items[2].Scale == "" {
		t.Fatalf("plan item %+v, want a U8 projection with a scale", res.Items[2])
	}
}

// TestBitLinearDivides: a BitNet checkpoint whose config says linear_class
// "bitlinear" divides by weight_scale, as transformers' BitLinear does, so
// the file stores RN_f32(1/weight_scale) for the multiplying kernels; the
// codes are those of the BF16 form.
func TestBitLinearDivides(t *testing.T) {
	a, err := gguf.Open(convertTo(t, filepath.Join(goldenDir, "models", "tiny_a"), quant.LayoutX86))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := gguf.Open(convertTo(t, packedCopyClass(t, "tiny_a", "bitlinear"), quant.LayoutX86))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := 0
	for _, ti := range a.Tensors() {
		if ti.Type != gguf.TypeI2_S {
			continue
		}
		da, _ := a.TensorData(ti.Name)
		db, _ := b.TensorData(ti.Name)
		codes := len(da) - 32
		if !bytes.Equal(da[:codes], db[:codes]) {
			t.Fatalf("%s: codes differ", ti.Name)
		}
		sa := math.Float32frombits(binary.LittleEndian.Uint32(da[codes:]))
		sb := math.Float32frombits(binary.LittleEndian.Uint32(db[codes:]))
		if want := 1 / hf.Float32FromBF16(hf.BF16FromFloat32(1/sa)); sb != want {
			t.Fatalf("%s: scale %v, want 1/bf16(1/%v) = %v", ti.Name, sb, sa, want)
		}
		n++
	}
	if n != 14 {
		t.Fatalf("%d projections compared", n)
	}
}
