package convert

import (
	"path/filepath"
	"testing"

	ggufparser "github.com/gpustack/gguf-parser-go"

	"github.com/bitnet-go/bitnet/quant"
)

// TestOutputReadableByGGUFParserGo parses converted files with an
// independent reader (gguf-parser-go v0.24.0; later versions map type 36 to
// another ggml layout and reject I2_S files).
func TestOutputReadableByGGUFParserGo(t *testing.T) {
	for _, c := range []struct {
		model  string
		layers int
	}{{"tiny_a", 2}, {"tiny_b", 3}} {
		path := convertTo(t, filepath.Join(goldenDir, "models", c.model), quant.LayoutX86)
		gf, err := ggufparser.ParseGGUFFile(path)
		if err != nil {
			t.Fatalf("%s: gguf-parser-go: %v", c.model, err)
		}
		if arch, ok := gf.Header.MetadataKV.Get("general.architecture"); !ok || arch.ValueString() != Arch {
			t.Errorf("%s: architecture %v", c.model, arch.Value)
		}
		for _, key := range []string{"bitnet-b1.58.embedding_length", "bitnet-b1.58.block_count", "bitnet-b1.58.rope.freq_base",
			"bitnet-b1.58.attention.head_count_kv", "bitnet-b1.58.rope.dimension_count", "general.file_type", "general.alignment"} {
			if _, ok := gf.Header.MetadataKV.Get(key); !ok {
				t.Errorf("%s: key %s missing", c.model, key)
			}
		}
		if got, want := len(gf.TensorInfos), 11*c.layers+2; got != want {
			t.Errorf("%s: %d tensors, want %d", c.model, got, want)
		}
		for _, ti := range gf.TensorInfos {
			if ti.Name == "blk.0.attn_q.weight" && uint32(ti.Type) != 36 {
				t.Errorf("%s: attn_q type %d, want 36", c.model, ti.Type)
			}
		}
	}
}
