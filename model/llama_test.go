package model

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/quant"
)

func convertLlama(t testing.TB, name string, layout quant.Layout, embd string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name+".gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: "../golden/models/" + name, OutFile: out, Layout: layout, EmbedType: embd}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLoadLlamaFamily: a converted ternary Llama file loads as the llama
// family: untied F16 (or Q8_0) head, no sub-norms, its config.
func TestLoadLlamaFamily(t *testing.T) {
	for _, embd := range []string{"f16", "q8_0"} {
		f, err := gguf.Open(convertLlama(t, "tiny_llama_a", quant.LayoutX86, embd))
		if err != nil {
			t.Fatal(err)
		}
		w, err := LoadWeights(f)
		if err != nil {
			t.Fatal(err)
		}
		c := &w.Config
		if c.Family() != arch.Llama || c.HeadDim != 64 || c.Heads != 4 || c.KVHeads != 2 || c.RMSEps != 1e-6 || c.RopeTheta != 1000042 || c.Vocab != 1000 {
			t.Errorf("config %+v", c)
		}
		if w.Embed == nil || len(w.Layers[0].AttnSubNorm) != 0 || len(w.Layers[1].FFNSubNorm) != 0 {
			t.Errorf("embedding or sub-norms wrong")
		}
		f16, q8 := w.Head()
		switch embd {
		case "f16":
			if len(f16) != 1000*256 || q8 != nil || &f16[0] == &w.Embed[0] {
				t.Errorf("f16 head: %d values", len(f16))
			}
		case "q8_0":
			if f16 != nil || len(q8) != 1000*256/32*34 {
				t.Errorf("q8_0 head: %d bytes", len(q8))
			}
		}
		f.Close()
	}
}
