package convert

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	ggufparser "github.com/gpustack/gguf-parser-go"

	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// A --embd-type q6_k file, read by gguf-parser-go (v0.24.0, the version
// that still reads I2_S) and by our reader: the head tensor is Q6_K, of
// vocab·hidden/256·210 bytes at the same offset, and holds exactly
// quant.QuantizeQ6_K of the checkpoint's tensor (tied: token_embd; untied:
// output, with token_embd staying F16).
func TestQ6_KHeadReadableByGGUFParserGo(t *testing.T) {
	for _, c := range []struct {
		model, head, source string
		vocab               int
	}{{"tiny_a", "token_embd.weight", "model.embed_tokens.weight", 1000}, {"tiny_llama_a", "output.weight", hf.LMHead, 1000}} {
		dir := filepath.Join(goldenDir, "models", c.model)
		out := filepath.Join(t.TempDir(), "out.gguf")
		if _, err := Convert(context.Background(), Options{ModelDir: dir, OutFile: out, EmbedType: "q6_k"}); err != nil {
			t.Fatal(err)
		}
		const hidden = 256
		size := uint64(c.vocab * quant.Q6_KSize(hidden))
		gf, err := ggufparser.ParseGGUFFile(out)
		if err != nil {
			t.Fatalf("%s: gguf-parser-go: %v", c.model, err)
		}
		var found bool
		for _, ti := range gf.TensorInfos {
			switch ti.Name {
			case c.head:
				found = true
				if ti.Type != ggufparser.GGMLTypeQ6_K || ti.Type.String() != "Q6_K" {
					t.Errorf("%s: %s has type %v, want Q6_K", c.model, ti.Name, ti.Type)
				}
				if len(ti.Dimensions) != 2 || ti.Dimensions[0] != hidden || ti.Dimensions[1] != uint64(c.vocab) {
					t.Errorf("%s: %s dims %v", c.model, ti.Name, ti.Dimensions)
				}
				if ti.Bytes() != size {
					t.Errorf("%s: gguf-parser-go sizes %s at %d bytes, want %d", c.model, ti.Name, ti.Bytes(), size)
				}
			case "token_embd.weight":
				if ti.Type != ggufparser.GGMLTypeF16 {
					t.Errorf("%s: untied model's token_embd has type %v, want F16", c.model, ti.Type)
				}
			}
		}
		if !found {
			t.Fatalf("%s: no %s", c.model, c.head)
		}
		f, err := gguf.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := f.Tensor(c.head)
		for _, ti := range gf.TensorInfos {
			if ti.Name == c.head && uint64(gf.TensorDataStartOffset)+ti.Offset != info.Offset {
				t.Errorf("%s: gguf-parser-go puts %s at %d, our reader at %d", c.model, c.head, uint64(gf.TensorDataStartOffset)+ti.Offset, info.Offset)
			}
		}
		if info.Type != gguf.TypeQ6_K || info.Size != size {
			t.Errorf("%s: our reader: %s %v, %d bytes", c.model, c.head, info.Type, info.Size)
		}
		data, err := f.TensorData(c.head)
		if err != nil {
			t.Fatal(err)
		}
		ckpt, err := hf.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		raw, si, err := ckpt.Raw(c.source)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float32, c.vocab*hidden)
		if err := widen(x, raw, si.Dtype); err != nil {
			t.Fatal(err)
		}
		want := make([]byte, size)
		quant.QuantizeQ6_K(want, x)
		if !bytes.Equal(data, want) {
			t.Errorf("%s: %s bytes differ from quant.QuantizeQ6_K of %s", c.model, c.head, c.source)
		}
		ckpt.Close()
		f.Close()
	}
}

// A model whose hidden size 256 does not divide is refused, naming both.
func TestEmbedTypeQ6_KNeedsHidden256(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.gguf")
	_, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_b"), OutFile: out, EmbedType: "q6_k"})
	var shape *EmbedShapeError
	if !errors.As(err, &shape) || !strings.Contains(err.Error(), "192") || !strings.Contains(err.Error(), "256") {
		t.Fatalf("err = %v, want an EmbedShapeError naming 192 and 256", err)
	}
	if _, err := Convert(context.Background(), Options{ModelDir: filepath.Join(goldenDir, "models", "tiny_a"), OutFile: out, EmbedType: "q5_k", DryRun: true}); err == nil || !strings.Contains(err.Error(), "q6_k") {
		t.Fatalf("unknown type: err = %v, want the supported list", err)
	}
}
