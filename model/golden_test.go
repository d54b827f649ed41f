package model

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/nlpodyssey/safetensors"
	"github.com/x448/float16"

	"github.com/bitnet-go/bitnet/format/hf"
	"github.com/bitnet-go/bitnet/quant"
)

// weightsFromHF builds Weights straight from a bundled HF checkpoint with
// package quant, independent of GGUF, to test the forward pass alone.
func weightsFromHF(t testing.TB, dir string) *Weights {
	t.Helper()
	var cfg struct {
		Hidden       int     `json:"hidden_size"`
		Intermediate int     `json:"intermediate_size"`
		Layers       int     `json:"num_hidden_layers"`
		Heads        int     `json:"num_attention_heads"`
		KVHeads      int     `json:"num_key_value_heads"`
		Vocab        int     `json:"vocab_size"`
		Ctx          int     `json:"max_position_embeddings"`
		Eps          float32 `json:"rms_norm_eps"`
		Theta        float32 `json:"rope_theta"`
		BOS          int     `json:"bos_token_id"`
		EOS          int     `json:"eos_token_id"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	tensors := map[string][]float32{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.safetensors"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		st, err := safetensors.Deserialize(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range st.Names() {
			v, _ := st.Tensor(n)
			b := v.Data()
			out := make([]float32, len(b)/2)
			for i := range out {
				out[i] = hf.Float32FromBF16(uint16(b[2*i]) | uint16(b[2*i+1])<<8)
			}
			tensors[n] = out
		}
	}
	w := &Weights{Config: Config{Hidden: cfg.Hidden, Intermediate: cfg.Intermediate, Layers: cfg.Layers,
		Heads: cfg.Heads, KVHeads: cfg.KVHeads, HeadDim: cfg.Hidden / cfg.Heads, Vocab: cfg.Vocab,
		ContextLength: cfg.Ctx, RMSEps: cfg.Eps, RopeTheta: cfg.Theta, BOS: cfg.BOS, EOS: cfg.EOS}}
	for _, v := range tensors["model.embed_tokens.weight"] {
		w.Embed.F16 = append(w.Embed.F16, uint16(float16.Fromfloat32(v)))
	}
	w.OutputNorm = tensors["model.norm.weight"]
	linear := func(name string, rows, cols int) Linear {
		src := tensors[name]
		codes := make([]int8, len(src))
		m, err := quant.Ternarize(codes, src)
		if err != nil {
			t.Fatal(err)
		}
		k := quant.LayoutX86.PaddedCols(cols)
		packed := make([]byte, rows*k/4)
		quant.Pack(packed, codes, rows, cols, quant.LayoutX86)
		return Linear{Rows: rows, Cols: cols, K: k, Packed: packed, Scale: m}
	}
	q, kv := cfg.Heads*w.HeadDim, cfg.KVHeads*w.HeadDim
	for i := 0; i < cfg.Layers; i++ {
		p := fmt.Sprintf("model.layers.%d.", i)
		w.Layers = append(w.Layers, Layer{
			AttnNorm: tensors[p+"input_layernorm.weight"], AttnSubNorm: tensors[p+"self_attn.attn_sub_norm.weight"],
			FFNNorm: tensors[p+"post_attention_layernorm.weight"], FFNSubNorm: tensors[p+"mlp.ffn_sub_norm.weight"],
			Q: linear(p+"self_attn.q_proj.weight", q, cfg.Hidden), K: linear(p+"self_attn.k_proj.weight", kv, cfg.Hidden),
			V: linear(p+"self_attn.v_proj.weight", kv, cfg.Hidden), O: linear(p+"self_attn.o_proj.weight", cfg.Hidden, q),
			Gate: linear(p+"mlp.gate_proj.weight", cfg.Intermediate, cfg.Hidden), Up: linear(p+"mlp.up_proj.weight", cfg.Intermediate, cfg.Hidden),
			Down: linear(p+"mlp.down_proj.weight", cfg.Hidden, cfg.Intermediate),
		})
	}
	return w
}

type golden struct {
	ids    []int
	logits []float32
	hidden map[int][]float32
	meta   map[string]string
}

func readGolden(t testing.TB, path string) golden {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := safetensors.Deserialize(data)
	if err != nil {
		t.Fatal(err)
	}
	g := golden{hidden: map[int][]float32{}}
	_, md, _ := safetensors.ReadMetadata(data)
	g.meta = md.Metadata()
	f32 := func(b []byte) []float32 {
		out := make([]float32, len(b)/4)
		for i := range out {
			out[i] = math.Float32frombits(uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24)
		}
		return out
	}
	for _, n := range st.Names() {
		v, _ := st.Tensor(n)
		switch {
		case n == "input_ids":
			for _, x := range f32(v.Data()) {
				g.ids = append(g.ids, int(int32(math.Float32bits(x))))
			}
		case n == "logits":
			g.logits = f32(v.Data())
		default:
			var l int
			if _, err := fmt.Sscanf(n, "hidden.%d", &l); err == nil {
				g.hidden[l] = f32(v.Data())
			}
		}
	}
	return g
}

func maxAbsDiff(a, b []float32) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
	}
	return d
}

// TestForwardMatchesGoldens runs the forward pass on weights built straight
// from the HF checkpoints and checks every float32 golden, logits and
// hidden states (checkGolden).
func TestForwardMatchesGoldens(t *testing.T) {
	for _, name := range []string{"tiny_a", "tiny_b"} {
		w := weightsFromHF(t, filepath.Join("..", "golden", "models", name))
		m, err := New(w, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkGoldens(t, name, name, func(g golden) ([]float32, map[int][]float32) {
			s := mustState(t, m, 0)
			hidden := map[int][]float32{}
			s.OnHidden(func(l int, h []float32) { hidden[l] = append([]float32(nil), h...) })
			logits, err := m.Forward(s, g.ids, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(hidden) != w.Config.Layers {
				t.Fatalf("%s: OnHidden saw %d layers, want %d", name, len(hidden), w.Config.Layers)
			}
			return logits, hidden
		}, w.Config.Vocab)
	}
}
