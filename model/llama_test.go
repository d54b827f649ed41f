package model

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bitnet-go/bitnet/arch"
	"github.com/bitnet-go/bitnet/convert"
	"github.com/bitnet-go/bitnet/format/gguf"
	"github.com/bitnet-go/bitnet/format/hf"
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
// family: untied F16 (or Q8_0, or Q6_K) head, no sub-norms, its config.
func TestLoadLlamaFamily(t *testing.T) {
	for _, embd := range []string{"f16", "q8_0", "q6_k"} {
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
		if w.Embed.F16 == nil || len(w.Layers[0].AttnSubNorm) != 0 || len(w.Layers[1].FFNSubNorm) != 0 {
			t.Errorf("embedding or sub-norms wrong")
		}
		head := w.Head()
		f16 := head.F16
		switch embd {
		case "f16":
			if len(f16) != 1000*256 || head.Data != nil || &f16[0] == &w.Embed.F16[0] {
				t.Errorf("f16 head: %d values", len(f16))
			}
		case "q8_0":
			if f16 != nil || head.Type != TableQ8_0 || len(head.Data) != 1000*256/32*34 {
				t.Errorf("q8_0 head: %d bytes", len(head.Data))
			}
		case "q6_k":
			if f16 != nil || head.Type != TableQ6_K || len(head.Data) != 1000*210 || w.Output.Type != TableQ6_K || w.Embed.Type != TableF16 {
				t.Errorf("q6_k head: %d bytes", len(head.Data))
			}
		}
		f.Close()
	}
}

// TestLlamaMatchesGoldens runs every float32 golden of tiny_llama_a and
// tiny_llama_b on the converted file (both I2_S layouts; tiny_llama_b's
// rows are padded) and checks each: top-1 100%, NMSE below 1e-6, max
// |Δlogit| below 1e-2 (a rounding-tie flip moves a golden by ~3e-3;
// golden/README.md), and most goldens within 1e-3.
func TestLlamaMatchesGoldens(t *testing.T) {
	for _, name := range []string{"tiny_llama_a", "tiny_llama_b"} {
		for _, layout := range []quant.Layout{quant.LayoutX86, quant.LayoutARM} {
			m, err := Open(convertLlama(t, name, layout, "f16"), 2)
			if err != nil {
				t.Fatal(err)
			}
			files, _ := filepath.Glob("../golden/logits/" + name + "/*_float32.safetensors")
			if len(files) != 7 {
				t.Fatalf("%s: %d float32 goldens", name, len(files))
			}
			tight := 0
			for _, f := range files {
				g := readGolden(t, f)
				logits, err := m.Forward(mustState(t, m, 0), g.ids, true)
				if err != nil {
					t.Fatal(err)
				}
				V := m.W.Vocab
				var num, den float64
				agree := 0
				for i := range g.ids {
					row, want := logits[i*V:(i+1)*V], g.logits[i*V:(i+1)*V]
					if argmax(row) == argmax(want) {
						agree++
					}
					for v := range row {
						d := float64(row[v]) - float64(want[v])
						num += d * d
						den += float64(want[v]) * float64(want[v])
					}
				}
				d := maxAbsDiff(logits, g.logits)
				if d <= 1e-3 {
					tight++
				}
				if agree != len(g.ids) || num/den > 1e-6 || d > 1e-2 {
					t.Errorf("%s (%s) %s: top-1 %d/%d, NMSE %.2e, max|Δ| %.2e", name, layout, filepath.Base(f), agree, len(g.ids), num/den, d)
				}
			}
			if tight < 6 {
				t.Errorf("%s (%s): %d of 7 goldens within 1e-3", name, layout, tight)
			}
			m.Close()
		}
	}
}

func argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// TestLlamaDecodeIsExact: for the Llama family too, decoding token by
// token on 1, 2 and 3 threads gives the prefill's logits bit for bit.
func TestLlamaDecodeIsExact(t *testing.T) {
	for _, name := range []string{"tiny_llama_a", "tiny_llama_b"} {
		path := convertLlama(t, name, quant.LayoutX86, "f16")
		g := readGolden(t, "../golden/logits/"+name+"/len32_float32.safetensors")
		checkDecodeExact(t, name, path, g.ids)
	}
}

func checkDecodeExact(t *testing.T, name, path string, ids []int) {
	t.Helper()
	ref, err := Open(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	full, err := ref.Forward(mustState(t, ref, 0), ids, true)
	if err != nil {
		t.Fatal(err)
	}
	full = slices.Clone(full)
	V := ref.W.Vocab
	ref.Close()
	for _, threads := range []int{1, 2, 3} {
		m, err := Open(path, threads)
		if err != nil {
			t.Fatal(err)
		}
		s := mustState(t, m, 0)
		for i, id := range ids {
			got, err := m.Forward(s, []int{id}, false)
			if err != nil {
				t.Fatal(err)
			}
			for v, x := range got {
				if want := full[i*V+v]; math.Float32bits(x) != math.Float32bits(want) {
					t.Fatalf("%s, %d threads: token %d logit %d = %v, prefill gives %v", name, threads, i, v, x, want)
				}
			}
		}
		m.Close()
	}
}

// TestLlamaFreeHeadDim runs a model of the Llama family whose
// heads × head_dim (2 × 48 = 96) differs from hidden (128), with 2 query
// heads per kv head: it converts (writing key_length), loads, and decodes
// exactly as it prefills; and with the untied head's rows swapped the
// logits move (the head, not the embedding, computes them).
func TestLlamaFreeHeadDim(t *testing.T) {
	dir := t.TempDir()
	cfg := []byte(`{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_act":"silu","hidden_size":128,
		"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":2,"num_key_value_heads":1,"head_dim":48,
		"vocab_size":40,"max_position_embeddings":64,"rms_norm_eps":1e-6,"rope_theta":10000,"bos_token_id":1,"eos_token_id":2,
		"tie_word_embeddings":false,"quantization_config":{"quant_method":"bitnet"}}`)
	c, err := hf.ParseConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	specs, err := hf.ExpectedTensors(c)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(4, 8))
	var ts []hf.Tensor
	for _, s := range specs {
		switch s.Role {
		case hf.RoleProjection:
			codes := make([]int8, s.Out*s.In)
			for i := range codes {
				codes[i] = int8(r.IntN(3)) - 1
			}
			ts = append(ts, hf.Tensor{Name: s.Name, Dtype: "U8", Shape: s.Shape, Data: quant.PackHF(codes, s.Out, s.In)})
		case hf.RoleWeightScale:
			ts = append(ts, hf.Tensor{Name: s.Name, Dtype: "BF16", Shape: s.Shape, Data: hf.AppendBF16(nil, []float32{float32(20 + r.IntN(40))})})
		default:
			n := 1
			for _, d := range s.Shape {
				n *= d
			}
			v := make([]float32, n)
			for i := range v {
				if s.Role == hf.RoleNorm {
					v[i] = float32(1 + 0.1*r.NormFloat64())
				} else {
					v[i] = float32(0.05 * r.NormFloat64())
				}
			}
			ts = append(ts, hf.Tensor{Name: s.Name, Dtype: "BF16", Shape: s.Shape, Data: hf.AppendBF16(nil, v)})
		}
	}
	var buf bytes.Buffer
	if err := hf.WriteSafetensors(&buf, ts, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, hf.SingleFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, hf.ConfigFile), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "m.gguf")
	if _, err := convert.Convert(context.Background(), convert.Options{ModelDir: dir, OutFile: out}); err != nil {
		t.Fatal(err)
	}
	ids := []int{1, 7, 3, 30, 12, 5, 9, 21, 33, 4}
	checkDecodeExact(t, "head_dim 48", out, ids)
	m, err := Open(out, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.W.HeadDim != 48 || m.W.QDim() != 96 || m.W.Hidden != 128 {
		t.Fatalf("config %+v", m.W.Config)
	}
	a, err := m.Forward(mustState(t, m, 0), ids, false)
	if err != nil {
		t.Fatal(err)
	}
	a = slices.Clone(a)
	H := m.W.Hidden
	head := m.W.Output.F16
	swapped := slices.Clone(head)
	copy(swapped[:H], head[H:2*H])
	copy(swapped[H:2*H], head[:H])
	m.W.Output.F16 = swapped
	b, err := m.Forward(mustState(t, m, 0), ids, false)
	if err != nil {
		t.Fatal(err)
	}
	if a[0] != b[1] || a[1] != b[0] || !slices.Equal(a[2:], b[2:]) {
		t.Errorf("swapping output rows 0 and 1 gives %v %v, want the logits swapped (%v %v)", b[0], b[1], a[0], a[1])
	}
}
